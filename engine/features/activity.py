"""Frame difference with a noise threshold, pooled into a coarse activity grid, and grid morphology."""
from __future__ import annotations

import torch

from ..media.decode import pad_edges as pad_to_cells  # noqa: F401  (whole cells: the decoder's own edge padding)


def changed(a: torch.Tensor, b: torch.Tensor, threshold: float) -> torch.Tensor:
    """(B, h, w) luma pairs -> bool mask of pixels whose luma moved by more than `threshold` levels."""
    return torch.sub(a, b).abs_().gt(threshold)


def cell_count(mask: torch.Tensor, cell: int) -> torch.Tensor:
    """(B, h, w) bool mask with h, w whole cells -> (B, gh, gw) uint8 share of each cell set (x255)."""
    return share_u8(cell_sums(mask, cell), cell)


def cell_sums(mask: torch.Tensor, cell: int) -> torch.Tensor:
    """(B, h, w) bool mask with h, w whole cells -> (B, gh, gw) count of set pixels per cell."""
    b, h, w = mask.shape
    if cell == 8 and mask.dtype == torch.bool and mask.is_contiguous():
        # one int64 word holds a cell's 8 pixels of one row, a byte (0 or 1) each: their sum by folding the
        # word onto itself, every intermediate below 2^58 (no overflow)
        words = mask.view(torch.uint8).view(torch.int64)               # (B, h, gw)
        s = (words & 0xFFFFFFFF) + (words >> 32)                       # 4 byte lanes, each 0..2
        rows = ((s * 0x01010101) >> 24) & 0xFF                         # their sum, 0..8
    else:
        rows = mask.reshape(b, h, w // cell, cell).sum(-1, dtype=torch.int32)
    return rows.view(b, h // cell, cell, w // cell).sum(2)


def share_u8(n: torch.Tensor, cell: int) -> torch.Tensor:
    """Counts of set pixels per cell -> uint8 share of the cell (x255, rounded)."""
    n = n.to(torch.int32)
    return (n * 255 + (cell * cell) // 2).div(cell * cell, rounding_mode="floor").to(torch.uint8)


def block_changes(a: torch.Tensor, ia: torch.Tensor, b: torch.Tensor, ib: torch.Tensor, cy: torch.Tensor,
                  cx: torch.Tensor, cell: int, threshold: float) -> torch.Tensor:
    """cell_count(changed(a[ia], b[ib])) at chosen cells only: (K,) uint8 for the K cells (cy, cx) of frames
    a[ia] against b[ib]. a, b: (N, h, w) luma with h, w whole cells. Costs K cells, not K frames."""
    va = a.view(a.shape[0], a.shape[1] // cell, cell, a.shape[2] // cell, cell)
    vb = b.view(b.shape[0], b.shape[1] // cell, cell, b.shape[2] // cell, cell)
    d = torch.sub(va[ia, cy, :, cx, :], vb[ib, cy, :, cx, :]).abs_().gt(threshold)     # (K, cell, cell)
    return share_u8(d.sum(dim=(1, 2)), cell)


def dilate(mask: torch.Tensor, size: int) -> torch.Tensor:
    """Binary dilation of (B, h, w) bool masks with a size x size square, as shifted maxima (fast on CPU)."""
    if size <= 1:
        return mask
    r = size // 2
    out = mask.clone()
    for d in range(1, r + 1):
        out[..., :, d:] |= mask[..., :, :-d]
        out[..., :, :-d] |= mask[..., :, d:]
    cols = out.clone()
    for d in range(1, r + 1):
        out[..., d:, :] |= cols[..., :-d, :]
        out[..., :-d, :] |= cols[..., d:, :]
    return out


def to_u8(frac: torch.Tensor) -> torch.Tensor:
    """(...) share in [0, 1] -> uint8 x255."""
    return (frac * 255.0).round().clamp(0, 255).to(torch.uint8)
