#!/usr/bin/env python3
"""Quality benchmark: direct every clip of a corpus folder and score it against its truth.

    screendirector bench quality [--corpus DIR] [--out DIR] [--quick] [--reuse] [--json R.json] [key=value ...]
    screendirector bench compare A.json B.json

A corpus folder holds videos with a `<name>.truth.json` beside each (../shared/corpus, a generated one from
`screendirector bench synth`, or your own). Prints one markdown table, a row per clip and a mean row, with
the metrics of ../shared/METRICS.md (scored by ../shared/eval/score.py) and the wall time per clip. --json
writes the same with the run's metadata (commit, config, versions, machine) so two runs can be compared.
--quick takes every third clip (at least one) for the inner loop; --reuse re-directs from saved features.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["coverage", "zoom_typing", "zoom_all", "jumps", "accel_rms", "latency_mean", "latency_max", "chase_s",
        "aspect_err", "hold_px"]
# the bars of the analysis issue: (metric, "min" or "max", limit)
BARS = [("coverage", "min", 0.95), ("jumps", "max", 0), ("chase_s", "max", 0.0), ("aspect_err", "max", 0.01),
        ("hold_px", "max", 0.1)]
QUICK_EVERY = 3          # --quick scores one clip in this many (count)


def load_scorer(corpus: Path):
    """The shared scorer, found beside the corpus (../eval/score.py) or in ../shared/eval (engine/scoring.py)."""
    from engine.scoring import find_scorer, scorer_paths

    score = find_scorer(corpus)
    if score is None:
        sys.exit(f"scorer not found: expected {scorer_paths(corpus)[0]}")
    return score


def clips(corpus: Path, quick: bool) -> list[Path]:
    found = [v for v in sorted(corpus.glob("*.mp4")) if v.with_suffix(".truth.json").exists()]
    if not found:
        sys.exit(f"no clips with truth files in {corpus}")
    return found[::QUICK_EVERY] if quick else found


def metadata(overrides: list[str], corpus: Path) -> dict:
    import av
    import numpy
    import torch

    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    from omegaconf import OmegaConf

    from engine.config import load_config
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), "")
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain")),
            "overrides": overrides, "config": OmegaConf.to_container(load_config(overrides)),
            "versions": {"python": platform.python_version(), "torch": torch.__version__, "av": av.__version__,
                         "numpy": numpy.__version__},
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "cpu": cpu},
            "corpus": str(corpus.resolve()), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def score_clip(engine, score, video: Path, prefix: Path, overrides: list[str], reuse: bool) -> dict:
    feats = Path(f"{prefix}.features.npz")
    t = time.perf_counter()
    if reuse and feats.exists():
        engine.analyze(features_path=feats, output_prefix=prefix, overrides=overrides)
    else:
        engine.analyze(str(video), output_prefix=prefix, overrides=overrides + ["analysis.progress=false"])
    wall = time.perf_counter() - t
    cam = json.loads(Path(f"{prefix}.camera.json").read_text())
    s = score(json.loads(video.with_suffix(".truth.json").read_text()), cam)
    s["hold_px"] = hold_motion(json.loads(Path(f"{prefix}.segments.json").read_text()), cam)
    return {"clip": video.stem, **{k: s[k] for k in KEYS}, "wall_s": round(wall, 2)}


def hold_motion(segments: dict, camera: dict) -> float:
    """The most any window edge moves in one output frame inside a `hold` segment (source px): the EDL says
    the camera is still there (issue 12's bar: < 0.1)."""
    import numpy as np

    f = np.asarray(camera["frames"], dtype=np.float64)
    t = f[:, 0]
    edges = np.column_stack([f[:, 1], f[:, 2], f[:, 1] + f[:, 3], f[:, 2] + f[:, 4]])
    step = np.abs(np.diff(edges, axis=0)).max(axis=1)
    worst = 0.0
    for seg in segments["segments"]:
        if seg["mode"] == "hold":
            both = (t[:-1] >= seg["t0"] - 1e-6) & (t[1:] <= seg["t1"] + 1e-6)
            worst = max(worst, float(step[both].max(initial=0.0)))
    return round(worst, 3)


RENDER_KEYS = ["render_s", "jitter", "jitter_vs_plan", "backward_steps", "worst_step_ratio"]


def render_clip(video: Path, prefix: Path, overrides: list[str]) -> dict:
    """Render the clip's camera (look=flat) and measure the video's smoothness from its frames."""
    from engine.config import load_config
    from engine.render import load_track, render
    from bench.motion import render_smoothness
    cfg = load_config(["render.preset=veryfast"] + overrides + ["look=flat"])
    track = load_track(f"{prefix}.camera.json")
    r = render(video, track, cfg, f"{prefix}.mp4", force=True, log=lambda s: None, show_progress=False)
    s = render_smoothness(video, r.video, track.frames, track.fps)
    return {"render_s": round(r.seconds, 2), **{k: round(s[k], 4) for k in RENDER_KEYS[1:]}}


def mean_row(rows: list[dict]) -> dict:
    out = {"clip": "mean"}
    for k in KEYS + ["wall_s"] + [k for k in RENDER_KEYS if k in rows[0]]:
        vals = [r[k] for r in rows if r[k] is not None]
        out[k] = round(sum(vals) / len(vals), 4) if vals else None
    return out


def table(rows: list[dict], mean: dict) -> str:
    extra = [k for k in RENDER_KEYS if k in rows[0]]
    cols = KEYS + ["wall_s"] + extra
    lines = ["| clip | " + " | ".join(cols) + " |", "|" + "---|" * (len(cols) + 1)]
    for r in rows + [mean]:
        lines.append(f"| {r['clip']} | " + " | ".join("-" if r.get(k) is None else str(r[k]) for k in cols) + " |")
    return "\n".join(lines)


def missed(rows: list[dict]) -> dict[tuple[str, str], str]:
    """Bars missed: (clip, metric) -> in words, 'D3_form coverage 0.72 < 0.95'."""
    out = {}
    for r in rows:
        for k, kind, lim in BARS:
            v = r.get(k)
            if v is not None and ((kind == "min" and v < lim) or (kind == "max" and v > lim)):
                out[(r["clip"], k)] = f"{r['clip']} {k} {v} {'<' if kind == 'min' else '>'} {lim}"
    return out


def misses(rows: list[dict]) -> list[str]:
    return list(missed(rows).values())


def quality(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="screendirector bench quality", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "quality", help="analysis outputs (default out/quality)")
    ap.add_argument("--quick", action="store_true", help=f"one clip in {QUICK_EVERY}")
    ap.add_argument("--reuse", action="store_true", help="re-direct from saved features when present")
    ap.add_argument("--json", type=Path, help="write rows, mean and run metadata here")
    ap.add_argument("--render", action="store_true",
                    help="also render each clip (look=flat) and measure its smoothness from the frames (slow)")
    ap.add_argument("overrides", nargs="*", metavar="key=value")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import engine

    score = load_scorer(a.corpus)
    todo = clips(a.corpus, a.quick)
    rows = []
    for i, video in enumerate(todo, 1):
        rows.append(score_clip(engine, score, video, a.out / video.stem, list(a.overrides), a.reuse))
        if a.render:
            rows[-1].update(render_clip(video, a.out / video.stem, list(a.overrides)))
        print(f"[{i}/{len(todo)}] {video.stem}: coverage {rows[-1]['coverage']}, zoom_typing "
              f"{rows[-1]['zoom_typing']}, {rows[-1]['wall_s']} s", file=sys.stderr)
    mean = mean_row(rows)
    print(table(rows, mean))
    missed = misses(rows)
    print("\nbars (coverage >= 0.95, jumps 0, chase_s 0, aspect_err <= 0.01, hold_px <= 0.1): "
          + ("all met" if not missed else "missed: " + "; ".join(missed)))
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps({"meta": metadata(list(a.overrides), a.corpus), "rows": rows, "mean": mean},
                                     indent=1, sort_keys=True) + "\n")
    return 0


def compare(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="screendirector bench compare",
                                 description="What changed between two `bench quality --json` runs.")
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    a = ap.parse_args(argv)
    A, B = (json.loads(p.read_text()) for p in (a.a, a.b))
    print(f"A: {a.a} (commit {A['meta']['commit'][:10]}, overrides {A['meta']['overrides'] or 'none'})")
    print(f"B: {a.b} (commit {B['meta']['commit'][:10]}, overrides {B['meta']['overrides'] or 'none'})")
    diff = [k for k in sorted(set(_flat(A["meta"]["config"])) | set(_flat(B["meta"]["config"])))
            if _flat(A["meta"]["config"]).get(k) != _flat(B["meta"]["config"]).get(k)]
    for k in diff:
        print(f"  config {k}: {_flat(A['meta']['config']).get(k)} -> {_flat(B['meta']['config']).get(k)}")
    ra = {r["clip"]: r for r in A["rows"] + [A["mean"]]}
    rb = {r["clip"]: r for r in B["rows"] + [B["mean"]]}
    print("\n| clip | " + " | ".join(KEYS) + " | wall s |\n|" + "---|" * (len(KEYS) + 2))
    for clip in [c for c in ra if c in rb]:
        cells = []
        for k in KEYS + ["wall_s"]:
            x, y = ra[clip].get(k), rb[clip].get(k)
            if x is None or y is None or x == y:
                cells.append("-" if y is None else str(y))
            else:
                cells.append(f"{y} ({y - x:+.4g})")
        print(f"| {clip} | " + " | ".join(cells) + " |")
    only = sorted(set(ra) ^ set(rb))
    if only:
        print(f"\nin one run only: {', '.join(only)}")
    ma, mb = missed(A["rows"]), missed(B["rows"])        # by (clip, metric): a new value is no new miss
    gained = [mb[k] for k in sorted(set(mb) - set(ma))]
    fixed = [ma[k] for k in sorted(set(ma) - set(mb))]
    print("\nbars newly missed in B: " + ("; ".join(gained) or "none"))
    print("bars newly met in B: " + ("; ".join(fixed) or "none"))
    return 0


def _flat(d, prefix="") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


if __name__ == "__main__":
    sys.exit(quality())
