"""Which changes matter: persistent changes that do not repeat in place.

- Persistent: a cell that changes at frame t and still differs from frame t-1 after every lag in
  `persist_lags_s`. A blinking caret, a key flashing on an on-screen keyboard, a pointer passing by: all
  return to what they were, so they are transient and carry no weight.
- Ambient: a cell whose persistent changes repeat (many onsets within +-ambient_window_s, like a ticking
  clock) or never stop (a high duty, like a spinner). Ambient cells, grown by `ambient_spread`, are removed.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def persistent(act: torch.Tensor, stick: torch.Tensor, lags: list[int], cell_min: float) -> torch.Tensor:
    """act (N, gh, gw), stick (K, N, gh, gw) uint8 -> (N, gh, gw) bool persistent change."""
    thr = cell_min * 255.0
    p = act.float() >= thr
    n = act.shape[0]
    for k, lag in enumerate(lags):
        later = torch.arange(n, device=act.device) + lag
        later = later.clamp(max=n - 1)
        p &= stick[k].index_select(0, later).float() >= thr
    return p


def window_sum(x: torch.Tensor, half: int) -> torch.Tensor:
    """Sum over frames t-half..t+half (clipped to the span given) of (N, ...) counts."""
    c = torch.cat([torch.zeros_like(x[:1]), x.cumsum(0)])
    n = x.shape[0]
    idx = torch.arange(n, device=x.device)
    hi = (idx + half + 1).clamp(max=n)
    lo = (idx - half).clamp(min=0)
    return c.index_select(0, hi) - c.index_select(0, lo)


def ambient(p: torch.Tensor, half: int, onsets: int, duty: float, spread: int) -> torch.Tensor:
    """(N, gh, gw) persistent change -> (N, gh, gw) bool ambient cells.

    Windows are clipped at the span's ends and rates judged over the frames they hold; a caller working in
    chunks passes margins of `half` frames, so the frames it keeps see their whole window."""
    pi = p.to(torch.int32)
    prev = torch.cat([torch.zeros_like(pi[:1]), pi[:-1]])
    on = (pi - prev).clamp(min=0)
    n_on = window_sum(on, half).float()
    active = window_sum(pi, half).float()
    # the window is clipped at the clip's ends: judge rates over the frames it really holds
    length = window_sum(torch.ones(p.shape[0], 1, 1, device=p.device), half)
    full = float(2 * half + 1)
    amb = (n_on * (full / length) >= onsets) | (active >= duty * length)
    if spread > 0:
        k = 2 * spread + 1
        amb = F.max_pool2d(amb.float().unsqueeze(1), k, stride=1, padding=spread).squeeze(1) > 0
    return amb
