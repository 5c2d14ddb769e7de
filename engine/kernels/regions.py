"""Connected regions (8-connected) of set cells, per frame: the pure-torch reference.

The CPU path runs this; `regions_triton.py` gives the same labels on the GPU without a host synchronisation per
round.
"""
from __future__ import annotations

import torch


def components(mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The set cells of (N, gh, gw) (K, 3) [frame, y, x], and each one's region label: the largest row-major
    cell index in its 8-connected region.

    Only set cells are worked on (screens change in a few places): each takes the largest label among its
    neighbours, then follows its label's own label (pointer jumping: a label travels a region in a few rounds
    whatever its length), until nothing changes."""
    n, gh, gw = mask.shape
    cells = mask.nonzero()                                            # (K, 3), frames and cells in order
    k = cells.shape[0]
    if k == 0:
        return cells, torch.zeros(0, dtype=torch.long, device=mask.device)
    f, y, x = cells.unbind(1)
    index = torch.full((n, gh + 2, gw + 2), -1, dtype=torch.long, device=mask.device)
    index[f, y + 1, x + 1] = torch.arange(k, device=mask.device)
    nbrs = torch.stack([index[f, y + 1 + dy, x + 1 + dx] for dy in (-1, 0, 1) for dx in (-1, 0, 1)], 1)  # (K, 9)
    nbrs = torch.where(nbrs >= 0, nbrs, torch.arange(k, device=mask.device).unsqueeze(1))
    flat = y * gw + x                                                  # a cell's own label
    own = torch.arange(k, device=mask.device)
    best = own.clone()                                                 # the cell holding the largest label seen
    for _ in range(k + 1):
        cand = best[nbrs]                                              # (K, 9) neighbours' best cells
        pick = cand.gather(1, flat[cand].argmax(1, keepdim=True)).squeeze(1)
        pick = torch.where(flat[pick] > flat[best], pick, best)
        pick = pick[pick]                                              # jump: take the best cell's best
        if torch.equal(pick, best):
            break
        best = pick
    return cells, flat[best]
