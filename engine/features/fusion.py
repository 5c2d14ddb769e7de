"""Pass 2 of the features stage: fuse the raw per-frame measurements over time into Features.

Two kinds of change: fast (a frame against the one before, kept when it persists and is not ambient) and slow
(each cell's mean luma against `slow_span_s` earlier, still different `slow_persist_s` later): a window or a
popup fading in changes each frame too little to pass the per-frame threshold, but not over a span.

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
    slow_regions = np.zeros((n, TOP_REGIONS, 5), dtype=np.float32)
    look = raw.look
    span, stay = max(1, int(round(f.slow_span_s * fps))), max(1, int(round(f.slow_persist_s * fps)))
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
        if look is not None:
            t = torch.arange(a, b)
            at = lambda idx: torch.from_numpy(look[idx.clamp(0, n - 1).numpy()]).to(dev).to(torch.int16)
            base, now, later = at(t - span), at(t), at(t + stay)
            # cells the per-frame difference saw changing meanwhile are fast changes, already counted
            fast = act.float() >= f.cell_min * 255.0
            seen = torch.zeros_like(fast[a - lo : b - lo])
            rows = torch.arange(a - lo, b - lo, device=fast.device)
            for k in range(span + 1):           # frame t - k, held at the first frame (a clip shorter than span too)
                seen |= fast[(rows - k).clamp(min=0)]
            slow = ((now - base).abs() > f.slow_tol) & ((later - base).abs() > f.slow_tol) & ~am[a - lo : b - lo] & ~seen
            slow_regions[a:b] = largest(slow, TOP_REGIONS, m["cell_px"], m["width"], m["height"],
                                        f.label_chunk).cpu().numpy()
        ambient_frames += am[a - lo : b - lo].sum(0).cpu().numpy()
    gain = torch.from_numpy(raw.scroll_gain)
    shift = torch.from_numpy(raw.scroll_shift)
    moving = (gain >= f.scroll_min_gain) & (shift.abs() >= f.scroll_min_shift * float(m["height"]))
    change = torch.from_numpy(raw.change)
    scrolling = (moving.float().mean(1) >= f.scroll_bands) & (change >= f.scroll_min_change)
    return Features(raw=raw, regions=regions, slow_regions=slow_regions, scrolling=scrolling.numpy(),
                    ambient_share=(ambient_frames / max(1, n)).astype(np.float32))
