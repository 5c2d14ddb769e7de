"""Analysis frames of a recording exactly as the engine makes them, and their activity grids.

Training, evaluation and inference must see the same pixels, so the frames come from the engine's own decoder
(`engine.pipeline.decode`), through this one function: when the decoder's signature changes, only
`analysis_frames` changes.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from ..features import activity


@lru_cache(maxsize=4)
def _config(fps: float, long_side: int):
    from ..config import load_config
    return load_config([f"analysis.fps={fps}", f"analysis.long_side={long_side}", "analysis.prefetch=0"])


def analysis_frames(path, fps: float = 0.0, long_side: int = 480) -> tuple[torch.Tensor, np.ndarray, int]:
    """(frames (N, h, w) float32 0..255 padded to whole cells, times (N,) s, factor source px per analysis px)
    of the video at `path`, analysed at `fps` frames per second (0 = every frame), as the pipeline decodes it."""
    from .. import media, pipeline
    cfg = _config(float(fps), int(long_side))
    info = media.probe(path)
    ys, ts = [], []
    for b in pipeline.decode(info, cfg):
        ys.append(b.luma)
        ts.append(b.times)
    factor = media.analysis_factor(info.width, info.height, int(long_side))
    return torch.cat(ys), np.concatenate(ts), factor


def activity_grid(cur: torch.Tensor, prev: torch.Tensor, threshold: float = 16.0, cell: int = 8) -> torch.Tensor:
    """(B, h/cell, w/cell) uint8 share (x255) of each cell's pixels that changed by more than `threshold` levels
    from prev to cur: the grid the features stage computes for consecutive analysis frames."""
    return activity.cell_count(activity.changed(cur, prev, threshold), cell)
