"""Connected regions of meaningful change, per frame, on the activity grid (batched; the labelling itself is
engine/kernels/regions.py)."""
from __future__ import annotations

import torch

from .. import kernels
from . import detector


def label(mask: torch.Tensor) -> torch.Tensor:
    """(N, gh, gw) bool -> (N, gh, gw) int64 labels (8-connected), 0 = background; a region's label is its
    largest row-major cell index + 1."""
    n, gh, gw = mask.shape
    cells, lab = kernels.components(mask)
    out = torch.zeros(n, gh * gw, dtype=torch.long, device=mask.device)
    out[cells[:, 0], cells[:, 1] * gw + cells[:, 2]] = lab + 1
    return out.view(n, gh, gw)


def largest(mask: torch.Tensor, k: int, cell_px: float, width: float, height: float,
            chunk: int = 128) -> torch.Tensor:
    """(N, gh, gw) bool -> (N, k, 5) [x, y, w, h, cells] of the k largest regions (source px), by size then
    position, so ties are broken the same way every run."""
    n, gh, gw = mask.shape
    out = torch.zeros(n, k, 5, device=mask.device)
    if detector.sync_free(mask):      # every frame (empty ones give zeros): no frames picked on the host
        busy = torch.arange(n, device=mask.device)
    else:
        busy = mask.flatten(1).any(1).nonzero().flatten()  # most frames change nothing: label only the rest
    for part in busy.split(chunk) if busy.numel() else ():   # frames are independent: bounded memory
        out[part] = _largest(mask[part], k, cell_px, width, height)
    return out


def _largest(mask: torch.Tensor, k: int, cell_px: float, width: float, height: float) -> torch.Tensor:
    n, gh, gw = mask.shape
    nl = gh * gw + 1
    cells, lab = kernels.components(mask)
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
