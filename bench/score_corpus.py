#!/usr/bin/env python3
"""Score `screendirector analyze` on every clip of a corpus folder with the shared scorer (eval/score.py).

    python bench/score_corpus.py [--corpus ../shared/corpus] [--out out/corpus] [--reuse] [key=value ...]

Prints a markdown table, one row per clip and the mean zoom_typing. --reuse re-directs from saved features
(no decoding) when OUT/<clip>.features.npz exists, for fast director/camera tuning.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["coverage", "zoom_typing", "zoom_all", "jumps", "accel_rms", "latency_mean", "latency_max", "chase_s",
        "aspect_err"]


def load_scorer(corpus: Path):
    path = corpus.parent / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("shared_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.score


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--out", default=str(ROOT / "out" / "corpus"))
    ap.add_argument("--reuse", action="store_true", help="re-direct from saved features when present")
    ap.add_argument("--json", help="also write the rows as JSON here")
    ap.add_argument("overrides", nargs="*", metavar="key=value")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    import engine

    corpus, out = Path(a.corpus), Path(a.out)
    score = load_scorer(corpus)
    rows = []
    for video in sorted(corpus.glob("*.mp4")):
        truth_path = video.with_suffix("").with_suffix(".truth.json")
        if not truth_path.exists():
            continue
        prefix = out / video.stem
        feats = Path(f"{prefix}.features.npz")
        t = time.perf_counter()
        if a.reuse and feats.exists():
            engine.analyze(features_path=feats, output_prefix=prefix, overrides=a.overrides)
        else:
            engine.analyze(str(video), output_prefix=prefix, overrides=a.overrides + ["analysis.progress=false"])
        wall = time.perf_counter() - t
        track = json.loads(Path(f"{prefix}.camera.json").read_text())
        s = score(json.loads(truth_path.read_text()), track)
        rows.append({"clip": video.stem, **{k: s[k] for k in KEYS}, "wall_s": round(wall, 2)})
    print("| clip | " + " | ".join(KEYS) + " | wall s |")
    print("|" + "---|" * (len(KEYS) + 2))
    for r in rows:
        print(f"| {r['clip']} | " + " | ".join(str(r[k]) for k in KEYS) + f" | {r['wall_s']} |")
    zt = [r["zoom_typing"] for r in rows if r["zoom_typing"] is not None]
    if zt:
        print(f"\nmean zoom_typing {sum(zt) / len(zt):.3f} over {len(zt)} clips; "
              f"min coverage {min(r['coverage'] for r in rows)}; jumps {sum(r['jumps'] for r in rows)}; "
              f"chase_s {sum(r['chase_s'] for r in rows)}; max aspect_err {max(r['aspect_err'] for r in rows)}")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
