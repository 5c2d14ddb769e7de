"""Caret heuristic: a thin, high-contrast vertical bar, standing where the picture just changed.

A pixel is a bar pixel when it is brighter (or darker) than both pixels `max_w` columns to its left and
right by at least the ink contrast, along a vertical run of at least `min_h` rows. Only bars inside recent
change count, so static text (an 'l', a table rule) is not a caret. Only the bands of rows (one grid cell
high) with change nearby are searched: typing or a blinking caret touch a few bands of a frame, not all of
it. The per-frame answer is the bounding box of the bar pixels and their count (0 = none).
"""
from __future__ import annotations

import torch

from . import detector
from .detector import Detector, Frames, Output
from .registry import register

from .activity import dilate as dilate_mask

BIG = 1e9   # stands for "no bar" in the per-band minima and maxima (px; larger than any frame)


def bar_mask(y: torch.Tensor, contrast: float, min_h: int, max_w: int) -> torch.Tensor:
    """(B, h, w) luma -> (B, h, w) bool mask of thin vertical bar pixels (border columns never).

    A pixel stands out when it is at least `contrast` above the brighter (or below the darker) of its two
    neighbours `max_w` columns away; a bar pixel stands out on itself and the min_h - 1 rows below it (fewer at
    the bottom edge)."""
    d = max_w
    c = y[..., :, d:-d]
    left, right = y[..., :, : -2 * d], y[..., :, 2 * d:]
    out_ = torch.sub(c, torch.maximum(left, right)).ge(contrast)           # brighter than both
    out_ |= torch.sub(torch.minimum(left, right), c).ge(contrast)          # darker than both
    run = out_.clone()
    for k in range(1, min_h):                       # vertical erosion: the bar holds over min_h rows
        run[..., :-k, :] &= out_[..., k:, :]
    out = torch.zeros_like(y, dtype=torch.bool)
    out[..., :, d:-d] = run
    return out


def detect(y: torch.Tensor, change: torch.Tensor, cells: torch.Tensor, dilate: int, contrast: float,
           min_h: int, max_w: int, max_h: int, chunk: int = 256) -> torch.Tensor:
    """Caret bar per frame.

    y: (B, h, w) luma; change: (B, h, w) mask of changed pixels; cells: (B, gh, gw) its activity grid
    (non-zero where a cell has a changed pixel; h a whole number of cell rows). The change is dilated by a
    `dilate` square before it gates the bars. Bands are searched `chunk` at a time (memory stays bounded when
    whole frames change). Returns (B, 5) [x0, y0, x1, y1, count] in analysis px. On the CPU only the bands
    holding change are searched; on a GPU every band, the others' finds masked out (`detector.sync_free`: no
    bands picked on the host), the same numbers.
    """
    b, h, w = y.shape
    band = h // cells.shape[1]
    out = torch.zeros(b, 5, device=y.device)
    r = dilate // 2 if dilate > 1 else 0
    m = max(r, min_h - 1)                           # rows each band needs above and below it
    need = cells.amax(2) > 0                        # (B, gh) bands holding change
    reach = -(-r // band)                           # bands a dilation can spill into
    if reach:
        need = torch.nn.functional.max_pool1d(need.float().unsqueeze(1), 2 * reach + 1, 1, reach).squeeze(1) > 0
    if detector.sync_free(y):
        gh = need.shape[1]
        every = torch.arange(b * gh, device=y.device)
        sel = torch.stack([every // gh, every % gh], 1)                           # every (frame, band)
    else:
        sel = need.nonzero()
        if sel.numel() == 0:
            return out
    stats = torch.cat([_band_stats(y, change, s[:, 0], s[:, 1], band, m, dilate, contrast, min_h, max_w)
                       for s in sel.split(max(1, chunk))])                       # (K, 5) per band
    fr = sel[:, 0]
    if detector.sync_free(y):                   # bands without change find nothing
        none = torch.full_like(stats, BIG)
        none[:, 2:4] = -BIG
        none[:, 4] = 0.0
        stats = torch.where(need.flatten().unsqueeze(1), stats, none)

    def per_frame(v: torch.Tensor, how: str, init: float) -> torch.Tensor:
        acc = torch.full((b,), init, device=y.device)
        return acc.scatter_reduce(0, fr, v, reduce=how, include_self=True)

    n = per_frame(stats[:, 4], "sum", 0.0)
    x0, y0 = per_frame(stats[:, 0], "amin", BIG), per_frame(stats[:, 1], "amin", BIG)
    x1, y1 = per_frame(stats[:, 2], "amax", -BIG), per_frame(stats[:, 3], "amax", -BIG)
    ok = (n > 0) & ((y1 - y0 + 1) <= max_h)
    found = torch.stack([x0, y0, x1 + 1, y1 + 1, n], dim=1)
    return torch.where(ok.unsqueeze(1), found, out)


def _band_stats(y: torch.Tensor, change: torch.Tensor, fr: torch.Tensor, bd: torch.Tensor, band: int, m: int,
                dilate: int, contrast: float, min_h: int, max_w: int) -> torch.Tensor:
    """Bar pixels of the bands (frame fr, band bd): (K, 5) [x0, y0, x1, y1, count], extremes +-BIG when none."""
    h, w = y.shape[-2:]
    rows = (bd * band - m).unsqueeze(1) + torch.arange(band + 2 * m, device=y.device)
    rows = rows.clamp(0, h - 1)   # repeated edge rows change neither a dilation nor the erosion's minimum
    strip_y = y[fr.unsqueeze(1), rows]                               # (K, band + 2m, w)
    strip_c = change[fr.unsqueeze(1), rows] > 0
    recent = dilate_mask(strip_c, dilate)[:, m : m + band]
    bars = bar_mask(strip_y, contrast, min_h, max_w)[:, m : m + band] & recent
    count = bars.sum(dim=(1, 2)).float()
    cols = bars.any(dim=1)
    rws = bars.any(dim=2)
    xs = torch.arange(w, device=y.device, dtype=torch.float32)
    ys = torch.arange(band, device=y.device, dtype=torch.float32) + (bd * band).float().unsqueeze(1)
    return torch.stack([torch.where(cols, xs, BIG).amin(1), torch.where(rws, ys, BIG).amin(1),
                        torch.where(cols, xs, -BIG).amax(1), torch.where(rws, ys, -BIG).amax(1), count], dim=1)


@register
class HeuristicCaret(Detector):
    """The caret as a thin bar inside recent change (the heuristic above): one box per frame, source px."""
    name = "caret_heuristic"
    version = 1

    def outputs(self) -> list[Output]:
        return [Output("caret", (5,), "float32")]

    def run(self, fr: Frames, state):
        f = self.stream.settings
        c = detect(fr.luma, fr.change, fr.act, f.dilate, f.ink_contrast, f.caret_min_h, f.caret_max_w,
                   f.caret_max_h, f.caret_band_chunk)
        c[:, :4] *= self.stream.factor
        return {"caret": c}, state
