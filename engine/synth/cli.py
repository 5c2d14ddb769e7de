"""python -m engine.synth --out DIR [--clips 12] [--seed 0] [--seconds 30] [--forms phone,desktop]
[--themes light,dark] [--density 1] [--noise 1] [--crf 23] [--preset superfast]"""
from __future__ import annotations

import argparse
import os
import sys
import time

from . import generate_corpus


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.synth", description="Write a synthetic corpus with truth.")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--clips", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--forms", default="phone,desktop")
    ap.add_argument("--themes", default="light,dark")
    ap.add_argument("--density", type=float, default=1.0, help="events per minute scale")
    ap.add_argument("--noise", type=float, default=1.0, help="ambient amount (spinners, pointer, progress)")
    ap.add_argument("--crf", type=int, default=23)
    ap.add_argument("--preset", default=None, help="x264 preset (default from params.py)")
    a = ap.parse_args(argv)
    forms = [f.strip() for f in a.forms.split(",") if f.strip()]
    themes = [t.strip() for t in a.themes.split(",") if t.strip()]
    bad = [f for f in forms if f not in ("phone", "desktop")] + [t for t in themes if t not in ("light", "dark")]
    if bad or a.clips < 1 or a.seconds <= 0:
        print(f"bad arguments: {bad or 'clips and seconds must be positive'}", file=sys.stderr)
        return 2
    t_all = time.perf_counter()

    def progress(k, n, path, truth):
        mb = os.path.getsize(path) / 1e6
        kinds = {}
        for e in truth["events"]:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        print(f"[{k + 1}/{n}] {path.name} {truth['source']['scenario']} {truth['duration']:.1f}s "
              f"{truth['_render_s']:.1f}s render {mb:.2f} MB {8 * mb / truth['duration']:.2f} Mbit/s "
              f"events {kinds}", flush=True)
    generate_corpus(a.out, a.clips, a.seed, a.seconds, forms, themes, a.density, a.noise, a.crf,
                    progress=progress, **({"preset": a.preset} if a.preset else {}))
    print(f"done: {a.clips} clips in {time.perf_counter() - t_all:.1f}s -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
