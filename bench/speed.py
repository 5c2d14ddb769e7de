#!/usr/bin/env python3
"""Speed in one run: analysis against ffmpeg decode-only, then render against the static tilt chain.

    screendirector bench speed [FILE ...] [--runs N] [--no-render] [--synth SECONDS]

FILE defaults to the 1080x1920 corpus clips (analysis) and P1_notes (render); --synth makes a generated
phone recording of that many seconds and uses it for both. Medians of N interleaved runs, ratios, frames/s,
times real time and peak memory, as bench/bench_analyze.py and bench/bench_render.py print them.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="screendirector bench speed", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-render", action="store_true", help="analysis only")
    ap.add_argument("--synth", type=float, metavar="SECONDS", help="use a generated phone recording this long")
    a = ap.parse_args(argv)
    from bench import bench_analyze, bench_render
    files = list(a.files)
    if a.synth:
        from engine.synth import generate_clip
        out = ROOT / "out" / "speed" / f"synth_{a.synth:g}s"
        if not out.with_suffix(".mp4").exists():
            out.parent.mkdir(parents=True, exist_ok=True)
            generate_clip(out, seed=0, form="phone", theme="light", seconds=a.synth)
        files = [str(out.with_suffix(".mp4"))]
    print("== analysis: screendirector analyze vs ffmpeg decode-only ==")
    bench_analyze.main(files + ["--runs", str(a.runs)])
    if not a.no_render:
        print("\n== render: screendirector render look=tilt vs ffmpeg running the static tilt chain alone ==")
        bench_render.main(files[:1] + ["--runs", str(a.runs)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
