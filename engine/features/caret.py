"""Caret heuristic: a thin, high-contrast vertical bar, standing where the picture just changed.

A pixel is a bar pixel when it is brighter (or darker) than both pixels `max_w` columns to its left and
right by at least the ink contrast, along a vertical run of at least `min_h` rows. Only bars inside recent
change count, so static text (an 'l', a table rule) is not a caret, and only frames with some change are
searched at all. The per-frame answer is the bounding box of the bar pixels and their count (0 = none).
"""
from __future__ import annotations

import torch


def bar_mask(y: torch.Tensor, contrast: float, min_h: int, max_w: int) -> torch.Tensor:
    """(B, h, w) luma -> (B, h, w) bool mask of thin vertical bar pixels (border columns never)."""
    d = max_w
    c = y[..., :, d:-d]
    dl = c - y[..., :, : -2 * d]
    dr = c - y[..., :, 2 * d:]
    strength = torch.maximum(torch.minimum(dl, dr), torch.minimum(-dl, -dr))
    run = strength.clone()
    for k in range(1, min_h):                       # vertical erosion: the bar holds over min_h rows
        run[..., :-k, :] = torch.minimum(run[..., :-k, :], strength[..., k:, :])
    out = torch.zeros_like(y, dtype=torch.bool)
    out[..., :, d:-d] = run >= contrast
    return out


def detect(y: torch.Tensor, recent_change: torch.Tensor, contrast: float, min_h: int, max_w: int,
           max_h: int) -> torch.Tensor:
    """(B, h, w) luma and bool change mask -> (B, 5) [x0, y0, x1, y1, count] in analysis px (count 0 = none)."""
    b, h, w = y.shape
    out = torch.zeros(b, 5, device=y.device)
    busy = recent_change.flatten(1).any(1).nonzero().flatten()
    if busy.numel() == 0:
        return out
    bars = bar_mask(y[busy], contrast, min_h, max_w) & recent_change[busy]
    count = bars.sum(dim=(1, 2)).float()
    cols = bars.any(dim=1)
    rows = bars.any(dim=2)
    xs = torch.arange(w, device=y.device, dtype=torch.float32)
    ys = torch.arange(h, device=y.device, dtype=torch.float32)
    big = torch.tensor(1e9, device=y.device)
    x0 = torch.where(cols, xs, big).amin(dim=1)
    x1 = torch.where(cols, xs, -big).amax(dim=1)
    y0 = torch.where(rows, ys, big).amin(dim=1)
    y1 = torch.where(rows, ys, -big).amax(dim=1)
    ok = (count > 0) & ((y1 - y0 + 1) <= max_h)
    found = torch.stack([x0, y0, x1 + 1, y1 + 1, count], dim=1)
    out[busy] = torch.where(ok.unsqueeze(1), found, torch.zeros_like(found))
    return out
