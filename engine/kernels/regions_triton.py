"""Connected regions (8-connected) of set cells, per frame (Triton): the same labels as `regions.components`.

One program labels one frame's grid, every cell at once, and loops until no label changes inside the kernel:
no host synchronisation per round (the reference compares on the host each round). Imported only by the
dispatch (`engine.kernels`).
"""
from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def _label_kernel(mask, labels, gh, gw, BLOCK: tl.constexpr):
    # labels: a set cell's label is some row-major index + 1 of a cell in its region; it starts as its own and
    # only grows (the largest among its neighbours, then that cell's own label: pointer jumping), so when no
    # label changes every cell holds its region's largest index + 1. Background cells stay 0.
    n = gh * gw
    base = tl.program_id(0).to(tl.int64) * n
    i = tl.arange(0, BLOCK)
    inside = i < n
    y = i // gw
    x = i % gw
    on = tl.load(mask + base + i, mask=inside, other=0) != 0
    lab = tl.where(on, i + 1, 0)
    tl.store(labels + base + i, lab, mask=inside)
    busy = tl.max(lab, axis=0) > 0
    while busy:
        tl.debug_barrier()                          # every label of the last round is stored before it is read
        best = lab
        for dy in tl.static_range(-1, 2):
            for dx in tl.static_range(-1, 2):
                yy = y + dy
                xx = x + dx
                ok = on & (yy >= 0) & (yy < gh) & (xx >= 0) & (xx < gw)
                best = tl.maximum(best, tl.load(labels + base + yy * gw + xx, mask=ok, other=0))
        best = tl.maximum(best, tl.load(labels + base + best - 1, mask=on, other=0))    # jump
        tl.debug_barrier()                          # every read of this round is done before it is overwritten
        tl.store(labels + base + i, best, mask=inside)
        busy = tl.max((best != lab).to(tl.int32), axis=0) > 0
        lab = best


def components(mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """As `regions.components` (same argument, same results)."""
    n, gh, gw = mask.shape
    labels = torch.empty((n, gh * gw), dtype=torch.int32, device=mask.device)
    if n and gh and gw:
        _label_kernel[(n,)](mask.contiguous().view(torch.uint8), labels, gh, gw,
                            BLOCK=triton.next_power_of_2(gh * gw))
    cells = mask.nonzero()
    return cells, labels[cells[:, 0], cells[:, 1] * gw + cells[:, 2]].long() - 1
