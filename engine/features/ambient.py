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
    """Sum over frames t-half..t+half (clipped to the span given) of (N, ...) counts (int32; floats stay float).

    Differences of one running sum, taken as slices: two arrays the size of x, whatever the window."""
    n = x.shape[0]
    dtype = x.dtype if x.is_floating_point() else torch.int32
    c = torch.zeros((n + 1, *x.shape[1:]), dtype=dtype, device=x.device)
    torch.cumsum(x, 0, dtype=dtype, out=c[1:])
    out = torch.empty((n, *x.shape[1:]), dtype=dtype, device=x.device)
    m = max(0, n - half)                                   # frames whose window ends inside the span
    out[:m] = c[half + 1 : half + 1 + m]
    out[m:] = c[n]
    out[half:] -= c[:m]                                    # frames whose window starts inside the span
    return out


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
