#!/usr/bin/env python3
"""Frame-rate robustness: every clip of a corpus re-timed four ways, directed, and scored beside its original.

    screendirector bench retime [--corpus DIR] [--out out/retime] [--only NAME,...] [key=value ...]

Variants (made with ffmpeg, the truth unchanged: the pictures keep their times):
  fps60   60 fps, every frame doubled
  fps10   10 fps (two frames in three dropped)
  vfr     a stretch (the middle third) thinned to one frame in three, kept as variable frame rate (pts gaps)
  dups    runs of duplicated frames, as GIF captures have: one picture every 4-6 frames, held (CFR 30 fps)
A director whose settings are seconds on the frames' own times directs all of them like the original: the
table gives each variant's coverage and zoom_typing and its coverage difference to the original.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = {
    "fps60": ["-vf", "fps=60"],
    "fps10": ["-vf", "fps=10"],
    # frames 1/3..2/3 of the way through: one in three kept, with their own times (no duplication)
    "vfr": ["-vf", "select='not(between(t,{a},{b}))+not(mod(n,3))'", "-fps_mode", "vfr"],
    # one picture held for 4, 5 or 6 frames in turn: long runs of identical frames at a constant rate
    "dups": ["-vf", "select='eq(mod(n,15),0)+eq(mod(n,15),4)+eq(mod(n,15),9)',fps=30"],
}


def make(video: Path, name: str, out: Path, duration: float) -> Path:
    """The variant `name` of video in out/ (kept: made once)."""
    from engine.media.ffmpeg import find_ffmpeg

    dst = out / f"{video.stem}.{name}.mp4"
    if dst.exists():
        return dst
    args = [a.format(a=f"{duration / 3:.3f}", b=f"{2 * duration / 3:.3f}") for a in VARIANTS[name]]
    tmp = dst.with_suffix(".tmp.mp4")
    cmd = [find_ffmpeg(None), "-v", "error", "-y", "-i", str(video), *args, "-an", "-c:v", "libx264", "-crf", "18",
           "-preset", "veryfast", "-pix_fmt", "yuv420p", str(tmp)]
    subprocess.run(cmd, check=True)
    tmp.replace(dst)
    return dst


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="screendirector bench retime", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "retime")
    ap.add_argument("--only", default="", help="comma-separated clip names")
    ap.add_argument("--json", type=Path, help="write the rows here")
    ap.add_argument("overrides", nargs="*", metavar="key=value")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import engine
    from bench.quality import clips, load_scorer

    score = load_scorer(a.corpus)
    a.out.mkdir(parents=True, exist_ok=True)
    only = {s for s in a.only.split(",") if s}
    rows = []
    for video in clips(a.corpus, False):
        if only and video.stem not in only:
            continue
        truth = json.loads(video.with_suffix(".truth.json").read_text())
        base = None
        for name in ["original", *VARIANTS]:
            src = video if name == "original" else make(video, name, a.out, float(truth["duration"]))
            t = time.perf_counter()
            res = engine.analyze(str(src), overrides=list(a.overrides) + ["analysis.progress=false"], write=False)
            s = score(truth, res.camera.to_dict(3))
            base = s["coverage"] if name == "original" else base
            rows.append({"clip": video.stem, "variant": name, "coverage": s["coverage"],
                         "zoom_typing": s["zoom_typing"], "jumps": s["jumps"], "chase_s": s["chase_s"],
                         "d_coverage": None if name == "original" else round(s["coverage"] - base, 4),
                         "frames": res.features.raw.n, "wall_s": round(time.perf_counter() - t, 2)})
            print(f"{video.stem} {name}: coverage {s['coverage']} zoom_typing {s['zoom_typing']}", file=sys.stderr)
    cols = ["clip", "variant", "coverage", "d_coverage", "zoom_typing", "jumps", "chase_s", "frames", "wall_s"]
    print("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join("-" if r[c] is None else str(r[c]) for c in cols) + " |")
    worst = max((abs(r["d_coverage"]) for r in rows if r["d_coverage"] is not None), default=0.0)
    print(f"\nlargest coverage difference to the original: {worst:.4f} (bar: 0.02)")
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
