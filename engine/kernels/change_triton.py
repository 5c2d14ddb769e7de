"""Frame difference, threshold and per-cell counts of changed pixels in one pass (Triton): the same integers as
`change.change_counts`, without the float difference and the mask being written and read back between ops.

Imported only by the dispatch (`engine.kernels`), when Triton is installed and the tensors are on CUDA (or
Triton's interpreter is on, which runs kernels on CPU tensors).
"""
from __future__ import annotations

import torch
import triton
import triton.language as tl

# cells of one grid row each program counts: 16 cells of 8 px are 128 neighbouring floats (512 bytes) per pixel
# row, one coalesced load per warp (a property of the memory layout, not a setting)
CELLS = 16


@triton.jit
def _change_counts_kernel(y, first, mask, counts, h, w, gw, threshold, cell,
                          CELLS: tl.constexpr, CELL: tl.constexpr):
    f = tl.program_id(0)                           # frame of the batch
    gy = tl.program_id(1)                          # row of cells
    cx = tl.program_id(2) * CELLS + tl.arange(0, CELLS)            # (CELLS,) cells along the row
    j = tl.arange(0, CELL)                                          # px within a cell (CELL: cell to a power of 2)
    col = cx[:, None] * cell + j[None, :]                           # (CELLS, CELL)
    ok = (cx[:, None] < gw) & (j[None, :] < cell)
    plane = h.to(tl.int64) * w
    here = y + f.to(tl.int64) * plane
    if f == 0:                                      # the batch's first frame: against the frame before the batch
        before = first
    else:
        before = here - plane
    out = mask + f.to(tl.int64) * plane
    n = tl.zeros((CELLS,), dtype=tl.int64)
    for r in range(0, cell):
        off = (gy * cell + r).to(tl.int64) * w + col
        a = tl.load(here + off, mask=ok, other=0.0)
        b = tl.load(before + off, mask=ok, other=0.0)
        moved = tl.abs(a - b) > threshold
        tl.store(out + off, moved.to(tl.uint8), mask=ok)
        n += tl.sum((moved & ok).to(tl.int64), axis=1)
    gh = h // cell
    tl.store(counts + (f.to(tl.int64) * gh + gy) * gw + cx, n, mask=cx < gw)


def change_counts(y: torch.Tensor, first: torch.Tensor, threshold: float, cell: int
                  ) -> tuple[torch.Tensor, torch.Tensor]:
    """As `change.change_counts` (same arguments, same results)."""
    b, h, w = y.shape
    gh, gw = h // cell, w // cell
    mask = torch.empty((b, h, w), dtype=torch.uint8, device=y.device)
    counts = torch.empty((b, gh, gw), dtype=torch.int64, device=y.device)
    if b and gh and gw:
        grid = (b, gh, triton.cdiv(gw, CELLS))
        _change_counts_kernel[grid](y.contiguous(), first.contiguous(), mask, counts, h, w, gw, float(threshold),
                                    cell, CELLS=CELLS, CELL=triton.next_power_of_2(cell))
    return mask.view(torch.bool), counts
