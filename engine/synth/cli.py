"""python -m engine.synth --out DIR [--clips 12] [--seed 0] [--seconds 30] [--forms phone,desktop]
[--themes light,dark] [--vary] [--no-labels] [--density 1] [--noise 1] [--crf 23] [--preset superfast]
python -m engine.synth --out DIR --recipe acceptance

Seeds 0-9999 are for evaluation corpora; training data uses seeds >= 100000 (--seed 100000 --vary)."""
from __future__ import annotations

import argparse
import os
import sys
import time

from . import generate_corpus


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.synth", description="Write a synthetic corpus with truth "
                                 "(NAME.mp4, NAME.truth.json) and per-frame labels (NAME.labels.npz).")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--recipe", choices=["acceptance"], help="a named corpus (recipes.py) instead of the options below")
    ap.add_argument("--clips", type=int, default=12)
    ap.add_argument("--seed", type=int, default=None, help="first seed (0-9999: evaluation; >= 100000: training; "
                    "default 0, and for a recipe its own: another gives the recipe's clips with other text and timings)")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--forms", default="phone,desktop")
    ap.add_argument("--themes", default="light,dark")
    ap.add_argument("--vary", action="store_true", help="draw every style axis from each clip's seed (frame size, "
                    "scale, fonts, palette, caret, pointer, bezel, frame rate and capture, crf)")
    ap.add_argument("--labels", action=argparse.BooleanOptionalAction, default=True,
                    help="write NAME.labels.npz beside each clip (default: yes)")
    ap.add_argument("--density", type=float, default=1.0, help="events per minute scale")
    ap.add_argument("--noise", type=float, default=1.0, help="ambient amount (spinners, pointer, progress)")
    ap.add_argument("--crf", type=int, default=23, help="x264 crf (a varied clip draws its own)")
    ap.add_argument("--preset", default=None, help="x264 preset (default from params.py)")
    a = ap.parse_args(argv)
    forms = [f.strip() for f in a.forms.split(",") if f.strip()]
    themes = [t.strip() for t in a.themes.split(",") if t.strip()]
    bad = [f for f in forms if f not in ("phone", "desktop")] + [t for t in themes if t not in ("light", "dark")]
    if bad or a.clips < 1 or a.seconds <= 0:
        print(f"bad arguments: {bad or 'clips and seconds must be positive'}", file=sys.stderr)
        return 2
    t_all = time.perf_counter()
    done = {"video_s": 0.0}

    def progress(k, n, path, truth):
        mb = os.path.getsize(path) / 1e6
        kinds = {}
        for e in truth["events"]:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        done["video_s"] += truth["duration"]
        cap = truth["source"].get("capture", {}).get("mode", "cfr")
        print(f"[{k + 1}/{n}] {path.name} {truth['source']['scenario']} {truth['width']}x{truth['height']} "
              f"{truth['fps']:g} fps {cap} {truth['duration']:.1f}s {truth['_render_s']:.1f}s render {mb:.2f} MB "
              f"{8 * mb / truth['duration']:.2f} Mbit/s events {kinds}", flush=True)
    if a.recipe:
        from .recipes import RECIPES
        n = RECIPES[a.recipe](a.out, progress=progress, labels=a.labels,
                              **({"seed": a.seed} if a.seed is not None else {}))
    else:
        n = len(generate_corpus(a.out, a.clips, a.seed or 0, a.seconds, forms, themes, a.density, a.noise, a.crf,
                                progress=progress, vary=a.vary, labels=a.labels,
                                **({"preset": a.preset} if a.preset else {})))
    wall = time.perf_counter() - t_all
    print(f"done: {n} clips, {done['video_s']:.0f} s of video in {wall:.1f} s "
          f"({done['video_s'] / max(wall, 1e-9):.2f} s of video per s) -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
