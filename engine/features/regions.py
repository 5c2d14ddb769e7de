"""Connected regions of meaningful change, per frame, on the activity grid (batched, torch only)."""
from __future__ import annotations

import torch


def label(mask: torch.Tensor) -> torch.Tensor:
    """(N, gh, gw) bool -> (N, gh, gw) int64 labels (8-connected), 0 = background; a region's label is its
    largest row-major cell index + 1."""
    n, gh, gw = mask.shape
    cells, lab = _components(mask)
    out = torch.zeros(n, gh * gw, dtype=torch.long, device=mask.device)
    out[cells[:, 0], cells[:, 1] * gw + cells[:, 2]] = lab + 1
    return out.view(n, gh, gw)


def _components(mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
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


def largest(mask: torch.Tensor, k: int, cell_px: float, width: float, height: float,
            chunk: int = 128) -> torch.Tensor:
    """(N, gh, gw) bool -> (N, k, 5) [x, y, w, h, cells] of the k largest regions (source px), by size then
    position, so ties are broken the same way every run."""
    n, gh, gw = mask.shape
    out = torch.zeros(n, k, 5, device=mask.device)
    busy = mask.flatten(1).any(1).nonzero().flatten()      # most frames change nothing: label only the rest
    for part in busy.split(chunk) if busy.numel() else ():   # frames are independent: bounded memory
        out[part] = _largest(mask[part], k, cell_px, width, height)
    return out


def _largest(mask: torch.Tensor, k: int, cell_px: float, width: float, height: float) -> torch.Tensor:
    n, gh, gw = mask.shape
    nl = gh * gw + 1
    cells, lab = _components(mask)
    flat = cells[:, 0] * nl + lab + 1                                  # (frame, label) as one index
    def red(v, how, init):
        out = torch.full((n * nl,), init, device=mask.device, dtype=torch.float32)
        return out.scatter_reduce(0, flat, v.float(), reduce=how, include_self=True).view(n, nl)
    ys, xs = cells[:, 1], cells[:, 2]
    cnt = red(torch.ones_like(xs), "sum", 0.0)
    x0, x1 = red(xs, "amin", 1e9), red(xs, "amax", -1.0)
    y0, y1 = red(ys, "amin", 1e9), red(ys, "amax", -1.0)
    cnt[:, 0] = 0                                        # background is no region
    key = cnt * nl + torch.arange(nl, device=mask.device)  # size first, then label: deterministic order
    top = key.topk(min(k, nl), dim=1).indices
    g = lambda a: a.gather(1, top)
    c = g(cnt)
    x = g(x0) * cell_px
    y = g(y0) * cell_px
    w = ((g(x1) + 1) * cell_px).clamp(max=width) - x
    h = ((g(y1) + 1) * cell_px).clamp(max=height) - y
    box = torch.stack([x, y, w, h, c], dim=-1)
    return torch.where((c > 0).unsqueeze(-1), box, torch.zeros_like(box))
