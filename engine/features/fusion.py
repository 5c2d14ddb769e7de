"""Pass 2 of the features stage: fuse the raw per-frame measurements over time into Features.

Runs on saved features too, so detector settings that act here can be changed without decoding again.
Works through the recording in chunks of frames (each with the margins its time windows need), so its
memory does not grow with the recording's length.
"""
from __future__ import annotations

import numpy as np
import torch
from omegaconf import DictConfig

from ..config import plain
from . import ambient as amb
from .regions import largest
from .types import Features, RawFeatures

TOP_REGIONS = 4       # regions kept per frame (count); fixed by the Features layout


def fuse(raw: RawFeatures, cfg: DictConfig) -> Features:
    f = plain(cfg.features)
    chunk = f.fuse_chunk
    dev = torch.device(cfg.analysis.device)
    m = raw.meta
    fps = float(m["fps"])
    lags = list(m["lags"])
    half = max(1, int(round(f.ambient_window_s * fps)))
    n = raw.n
    regions = np.zeros((n, TOP_REGIONS, 5), dtype=np.float32)
    ambient_frames = np.zeros(raw.act.shape, dtype=np.int64)
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        lo, hi = max(0, a - half - 1), min(n, b + half)           # margins for the ambient window
        end = min(n, hi + max(lags))
        act = torch.from_numpy(raw.act.dense(lo, end)).to(dev)
        stick = torch.from_numpy(np.stack([s.dense(lo, end) for s in raw.stick])).to(dev)
        p = amb.persistent(act, stick, lags, f.cell_min)[: hi - lo]
        am = amb.ambient(p, half, f.ambient_onsets, f.ambient_duty, f.ambient_spread)
        meaningful = (p & ~am)[a - lo : b - lo]
        regions[a:b] = largest(meaningful, TOP_REGIONS, m["cell_px"], m["width"], m["height"], f.label_chunk).cpu().numpy()
        ambient_frames += am[a - lo : b - lo].sum(0).cpu().numpy()
    gain = torch.from_numpy(raw.scroll_gain)
    shift = torch.from_numpy(raw.scroll_shift)
    moving = (gain >= f.scroll_min_gain) & (shift.abs() >= f.scroll_min_shift * float(m["height"]))
    change = torch.from_numpy(raw.change)
    scrolling = (moving.float().mean(1) >= f.scroll_bands) & (change >= f.scroll_min_change)
    return Features(raw=raw, regions=regions, scrolling=scrolling.numpy(),
                    ambient_share=(ambient_frames / max(1, n)).astype(np.float32))
