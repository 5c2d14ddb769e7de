"""Connected regions of meaningful change, per frame, on the activity grid (batched, torch only)."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def label(mask: torch.Tensor) -> torch.Tensor:
    """(N, gh, gw) bool -> (N, gh, gw) int64 labels (8-connected), 0 = background.

    Each set cell starts with its own index + 1 and repeatedly takes the largest label among its set
    neighbours, and then along its whole row run and column run, until nothing changes: the label of a region
    is its largest cell index + 1. The runs carry a label across a region in a few rounds, not one per cell.
    """
    n, gh, gw = mask.shape
    m = mask.float().unsqueeze(1)
    lab = (torch.arange(1, gh * gw + 1, device=mask.device, dtype=torch.float32).view(1, 1, gh, gw) * m)
    rows, cols = _runs(mask), _runs(mask.transpose(1, 2))
    for _ in range(gh * gw):
        nxt = F.max_pool2d(lab, 3, stride=1, padding=1) * m
        nxt = _run_max(nxt.squeeze(1), rows)
        nxt = _run_max(nxt.transpose(1, 2), cols).transpose(1, 2).unsqueeze(1).contiguous()
        if torch.equal(nxt, lab):
            break
        lab = nxt
    return lab.squeeze(1).long()


def _runs(mask: torch.Tensor) -> tuple[torch.Tensor, int]:
    """Run number (1..R) of each set cell along the last axis (0 where unset), and R."""
    start = mask.clone()
    start[..., 1:] &= ~mask[..., :-1]
    ids = start.flatten().cumsum(0).view(mask.shape) * mask
    return ids, int(ids.max()) if ids.numel() else 0


def _run_max(lab: torch.Tensor, runs: tuple[torch.Tensor, int]) -> torch.Tensor:
    """Each set cell takes the largest label of its run (lab is 0 where unset)."""
    ids, count = runs                                # numbered in lab's logical (row-major) order
    best = torch.zeros(count + 1, device=lab.device, dtype=lab.dtype)
    best = best.scatter_reduce(0, ids.flatten(), lab.flatten(), reduce="amax", include_self=True)
    return best[ids] * (ids > 0)


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
    lab = label(mask).view(n, -1)
    nl = gh * gw + 1
    ys = torch.arange(gh, device=mask.device).repeat_interleave(gw).expand(n, -1)
    xs = torch.arange(gw, device=mask.device).repeat(gh).expand(n, -1)
    flat = (lab + torch.arange(n, device=mask.device).view(-1, 1) * nl).view(-1)
    def red(v, how, init):
        out = torch.full((n * nl,), init, device=mask.device, dtype=torch.float32)
        return out.scatter_reduce(0, flat, v.reshape(-1).float(), reduce=how, include_self=True).view(n, nl)
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
