#!/usr/bin/env python
"""Time `screendirector render` against ffmpeg running the user's static tilt chain alone.

Both make a video of the same file with the same encoder settings (libx264, render.crf, render.preset, audio
copied); rounds are interleaved so machine noise hits both alike, and medians are printed with their ratio.
The camera comes from `analyze` on the same file (done once, not timed).

    python bench/bench_render.py                                  # ../shared/corpus/P1_notes.mp4, look=tilt, 3 runs
    python bench/bench_render.py a.mp4 --runs 5 --look flat --set render.preset=veryfast --json out.json
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.children import timed  # noqa: E402
from engine.config import load_config
from engine.media.ffmpeg import find_ffmpeg

USER_TILT = ("pad=1200:2200:(ow-iw)/2:(oh-ih)/2:black,perspective=x0=150:y0=150:x1=1050:y1=100:x2=100:y2=2050:"
             "x3=1100:y3=2100:interpolation=linear,scale=886:1920:flags=lanczos")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--look", default="tilt", choices=("flat", "tilt"))
    ap.add_argument("--set", action="append", default=[], metavar="key=value", help="config override for ours")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    files = a.files or [ROOT.parent / "shared" / "corpus" / "P1_notes.mp4"]
    cfg = load_config(a.set)
    ff = find_ffmpeg(cfg.render.ffmpeg)
    enc = ["-c:v", "libx264", "-crf", str(cfg.render.crf), "-preset", str(cfg.render.preset), "-pix_fmt", "yuv420p",
           "-c:a", "copy"]
    rows = []
    print(f"ffmpeg {ff}\nencoder libx264 crf {cfg.render.crf} preset {cfg.render.preset}, look={a.look}, "
          f"runs {a.runs}, overrides {a.set or 'none'}")
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        for f in files:
            cam = tmp / f"{f.stem}"
            subprocess.run([sys.executable, "-m", "engine.cli", "analyze", str(f), "-o", str(cam), "-q"], cwd=ROOT,
                           check=True)
            static_cmd = [ff, "-v", "error", "-nostdin", "-y", "-i", str(f), "-vf", USER_TILT, *enc,
                          str(tmp / "static.mp4")]
            ours_cmd = [sys.executable, "-m", "engine.cli", "render", str(f), "--camera", f"{cam}.camera.json",
                        "-o", str(tmp / "ours.mp4"), "--force", "-q", f"look={a.look}", *a.set]
            st, us, rss = [], [], 0.0
            for _ in range(a.runs):
                w, _ = timed(static_cmd)
                st.append(w)
                w, m = timed(ours_cmd)
                us.append(w)
                rss = max(rss, m)
            row = {"file": f.name, "static_s": statistics.median(st), "render_s": statistics.median(us),
                   "ratio": statistics.median(us) / statistics.median(st), "static_runs": st, "render_runs": us,
                   "render_peak_mib": rss}
            rows.append(row)
    print(f"\n{'file':<16} {'static s':>9} {'render s':>9} {'ratio':>6} {'peak MiB':>9}")
    for r in rows:
        print(f"{r['file']:<16} {r['static_s']:9.2f} {r['render_s']:9.2f} {r['ratio']:6.2f} {r['render_peak_mib']:9.0f}")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps({"look": a.look, "overrides": a.set, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
