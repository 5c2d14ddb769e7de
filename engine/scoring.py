"""The shared scorer (../shared/eval/score.py, METRICS.md) and the truth file beside a recording.

The scorer lives outside the package, beside the corpus it scores; `bench quality` and `screendirector review`
both find it here. Nothing in the engine's own path depends on it.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]      # a checkout's root (the scorer is in ../shared/eval beside it)


def scorer_paths(near: Path) -> list[Path]:
    """Where the scorer is looked for: ../eval/score.py beside a corpus folder, then the checkout's
    ../shared/eval/score.py."""
    return [Path(near).parent / "eval" / "score.py", ROOT.parent / "shared" / "eval" / "score.py"]


def find_scorer(near: Path) -> Callable | None:
    """score(truth, camera) from the first scorer found (see scorer_paths), or None."""
    for path in scorer_paths(near):
        if path.is_file():
            spec = importlib.util.spec_from_file_location("shared_score", path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod.score
    return None


def truth_path(video: Path) -> Path:
    """NAME.truth.json beside NAME.mp4 (the corpus format, ../shared/corpus/README.md)."""
    return Path(video).with_suffix(".truth.json")
