#!/usr/bin/env python3
"""How cost grows with work: analyse 1, 5 and 20 minutes of recording; time and peak memory for each.

    screendirector bench scaling [--minutes 1 5 20] [--source FILE | --synth] [--render] [--json out.json]

The recordings are a generated one (--synth, the default: a phone recording
of the requested length) or FILE looped to length without re-encoding (ffmpeg -stream_loop, -c copy).
Each is analysed by the CLI in a child process; peak memory is that child's ru_maxrss. Memory must stay
flat: the tool streams, so a 20-minute recording should need no more than a 1-minute one (within 10%).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.children import timed  # noqa: E402

FLAT_TOL = 0.10          # peak memory may grow this much from the shortest to the longest recording (share)


def looped(source: Path, minutes: float, out: Path) -> Path:
    from engine.media.ffmpeg import find_ffmpeg
    if not out.exists():
        subprocess.run([find_ffmpeg(), "-v", "error", "-y", "-stream_loop", "-1", "-i", str(source), "-t",
                        str(minutes * 60), "-c", "copy", str(out)], check=True)
    return out


def generated(minutes: float, out: Path, seed: int) -> Path:
    from engine.synth import generate_clip
    if not out.exists():
        generate_clip(out.with_suffix(""), seed=seed, form="phone", theme="dark", seconds=minutes * 60)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="screendirector bench scaling", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, nargs="+", default=[1, 5, 20])
    ap.add_argument("--source", type=Path, help="loop this file to each length instead of generating")
    ap.add_argument("--render", action="store_true", help="also time `render` of each (look=flat)")
    ap.add_argument("--work", type=Path, default=ROOT / "out" / "scaling", help="where the recordings are kept")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for m in a.minutes:
        name = f"{a.source.stem}_{m:g}min" if a.source else f"synth_{a.seed}_{m:g}min"
        t0 = time.perf_counter()
        clip = looped(a.source, m, a.work / f"{name}.mp4") if a.source else generated(m, a.work / f"{name}.mp4", a.seed)
        made = time.perf_counter() - t0
        wall, rss = timed([sys.executable, "-m", "engine.cli", "analyze", str(clip), "-o", str(a.work / name), "-q"])
        row = {"minutes": m, "clip": clip.name, "make_s": round(made, 1), "analyze_s": round(wall, 2),
               "analyze_x_real_time": round(m * 60 / wall, 1), "analyze_peak_mib": round(rss)}
        if a.render:
            wall, rss = timed([sys.executable, "-m", "engine.cli", "render", str(clip), "--camera",
                               str(a.work / f"{name}.camera.json"), "-o", str(a.work / f"{name}.directed.mp4"),
                               "--force", "-q"])
            row.update(render_s=round(wall, 2), render_x_real_time=round(m * 60 / wall, 2),
                       render_peak_mib=round(rss))
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    cols = list(rows[0].keys())
    print("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    peaks = [r["analyze_peak_mib"] for r in rows]
    growth = max(peaks) / min(peaks) - 1
    print(f"\nanalysis peak memory grows {100 * growth:.1f}% from the shortest to the longest "
          f"({'flat' if growth <= FLAT_TOL else 'NOT flat'}: bar {100 * FLAT_TOL:.0f}%)")
    if a.json:
        a.json.write_text(json.dumps({"rows": rows, "growth": growth}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
