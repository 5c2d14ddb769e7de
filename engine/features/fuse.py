"""Pass 2 of the features stage: fuse the raw per-frame measurements over time into Features.

Runs on saved features too, so detector settings that act here can be changed without decoding again.
"""
from __future__ import annotations

import numpy as np
import torch
from omegaconf import DictConfig

from . import ambient as amb
from .regions import largest
from .types import Features, RawFeatures

TOP_REGIONS = 4       # regions kept per frame (count); fixed by the Features layout


def fuse(raw: RawFeatures, cfg: DictConfig, chunk: int = 2048) -> Features:
    f = cfg.features
    dev = torch.device(cfg.analysis.device)
    m = raw.meta
    fps = float(m["fps"])
    act = torch.from_numpy(raw.act).to(dev)
    stick = torch.from_numpy(raw.stick).to(dev)
    p = amb.persistent(act, stick, list(m["lags"]), f.cell_min)
    a = amb.ambient(p, max(1, int(round(f.ambient_window_s * fps))), f.ambient_onsets, f.ambient_duty,
                    f.ambient_spread)
    meaningful = p & ~a
    regions = torch.cat([largest(meaningful[i:i + chunk], TOP_REGIONS, m["cell_px"], m["width"], m["height"])
                         for i in range(0, raw.n, chunk)])
    gain = torch.from_numpy(raw.scroll_gain)
    shift = torch.from_numpy(raw.scroll_shift)
    moving = (gain >= f.scroll_min_gain) & (shift.abs() >= 1.0)
    change = torch.from_numpy(raw.change)
    scrolling = (moving.float().mean(1) >= 0.5) & (change >= f.scroll_min_change)
    return Features(raw=raw, meaningful=meaningful.cpu().numpy(), ambient=a.cpu().numpy(),
                    regions=regions.cpu().numpy().astype(np.float32), scrolling=scrolling.numpy())
