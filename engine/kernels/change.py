"""Frame difference, threshold and per-cell counts of changed pixels: the pure-torch reference.

The CPU path runs this; `change_triton.py` computes the same integers in one pass on the GPU.
"""
from __future__ import annotations

import torch

from ..features.activity import cell_sums


def change_counts(y: torch.Tensor, first: torch.Tensor, threshold: float, cell: int
                  ) -> tuple[torch.Tensor, torch.Tensor]:
    """Each frame of y (B, h, w) float32 luma against the frame before it in y, the first frame against `first`
    (1, h, w); h, w whole cells. -> ((B, h, w) bool: pixels whose luma moved by more than `threshold` levels,
    (B, h // cell, w // cell) int64: count of such pixels per cell)."""
    diff = torch.empty_like(y)
    torch.sub(y[:1], first, out=diff[:1])
    torch.sub(y[1:], y[:-1], out=diff[1:])
    mask = diff.abs_().gt(threshold)
    return mask, cell_sums(mask, cell)
