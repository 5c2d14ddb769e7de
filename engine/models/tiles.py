"""Which blocks of which frames the network looks at, and cutting their tiles out of the frames.

The frame is split into blocks of `block` px (the saliency grid). A block is examined in a frame when some of
its activity cells changed: at most `max_tiles` per frame, the most isolated changes first (a caret, a pointer,
a typed glyph: a few cells with quiet neighbours); none in a frame where more than `busy_share` of the blocks
changed (scrolling, a new screen). The tracker adds the blocks of the tracked caret and pointer when they
changed (screen.py), and a slow scan adds unchanged blocks to find a pointer at rest. A frame without change
costs nothing beyond the scan. All of it is tensor ops over the whole batch.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .config import ModelConfig


def changed_blocks(act: torch.Tensor, cfg: ModelConfig) -> torch.Tensor:
    """(B, gh, gw) uint8 activity grid -> (B, bh, bw) int32 count of changed cells per block."""
    per = cfg.block // cfg.cell
    ch = (act > round(cfg.change_min * 255)).to(torch.int32)
    gh, gw = ch.shape[-2:]
    ch = F.pad(ch, (0, (-gw) % per, 0, (-gh) % per))
    b, h, w = ch.shape
    return ch.view(b, h // per, per, w // per, per).sum(dim=(2, 4))


def block_of(xy: torch.Tensor, cfg: ModelConfig, bh: int, bw: int) -> torch.Tensor:
    """(..., 2) points in analysis px -> (...,) raster index of the block holding them (clamped to the grid)."""
    bx = (xy[..., 0] // cfg.block).long().clamp(0, bw - 1)
    by = (xy[..., 1] // cfg.block).long().clamp(0, bh - 1)
    return by * bw + bx


def select(counts: torch.Tensor, cfg: ModelConfig) -> torch.Tensor:
    """Change-driven blocks to examine: (K, 2) [frame, raster block index], in frame then block order.

    counts: (B, bh, bw) changed cells per block. At most `max_tiles` per frame, the most isolated first (fewest
    changed cells in the 3 x 3 blocks around); none in a busy frame. Keys are unique integers (isolation, then
    raster order) so the choice is the same on every device."""
    b, bh, bw = counts.shape
    nb = bh * bw
    on = counts.flatten(1) > 0
    near = F.avg_pool2d(counts.float().unsqueeze(1), 3, 1, 1, count_include_pad=False).squeeze(1) * 9
    key = near.round().long().flatten(1) * nb + torch.arange(nb, device=counts.device)   # small: isolated
    busy = on.float().mean(1) > cfg.busy_share
    big = torch.iinfo(torch.int64).max
    key = torch.where(on & ~busy.unsqueeze(1), key, torch.full_like(key, big))
    k = min(cfg.max_tiles, nb)
    val, idx = torch.topk(key, k, dim=1, largest=False, sorted=True)
    keep = val < big
    fr = torch.arange(b, device=counts.device).unsqueeze(1).expand(b, k)
    sel = torch.stack([fr[keep], idx[keep]], dim=1)
    return sel[torch.argsort(sel[:, 0] * nb + sel[:, 1])]


def scan_counts(t: torch.Tensor, t_before: float, nb: int, cfg: ModelConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """Blocks scanned per frame for a resting pointer (it makes no change): every block once over the first
    `scan_first_s` of the stream, then `scan_per_s` blocks a second, in raster order. A function of the frames'
    times only, so batching does not change it. Returns (first scan index (B,), count (B,))."""
    def g(x):
        first = (x / cfg.scan_first_s).clamp(0, 1) if cfg.scan_first_s > 0 else (x >= 0).to(x.dtype)
        return torch.floor(nb * first + cfg.scan_per_s * x.clamp(min=0))
    before = torch.cat([torch.full((1,), t_before, dtype=t.dtype, device=t.device), t[:-1]])
    lo = torch.where(torch.isfinite(before), g(before), torch.zeros_like(before))
    return lo.long(), (g(t) - lo).clamp(min=0).long()


def scan_blocks(first: torch.Tensor, count: torch.Tensor, nb: int) -> torch.Tensor:
    """(sum(count), 2) [frame, block]: frame j scans blocks first[j], first[j] + 1, ... (mod nb)."""
    fr = torch.repeat_interleave(torch.arange(len(count), device=count.device), count)
    start = torch.cumsum(count, 0) - count
    k = torch.arange(fr.shape[0], device=count.device) - start[fr]
    return torch.stack([fr, (first[fr] + k) % nb], dim=1)


def crop_index(shape, fi: torch.Tensor, by: torch.Tensor, bx: torch.Tensor, cfg: ModelConfig) -> torch.Tensor:
    """(K, T, T) flat indices into frames of `shape` (B, h, w) of the tiles around blocks (by, bx) of frames fi;
    outside the frame the edge is repeated. One `take` with them is ~2x faster than advanced indexing."""
    _, h, w = shape
    ar = torch.arange(cfg.tile, device=fi.device)
    ys = (by.unsqueeze(1) * cfg.block - cfg.margin + ar).clamp(0, h - 1)
    xs = (bx.unsqueeze(1) * cfg.block - cfg.margin + ar).clamp(0, w - 1)
    return (fi.view(-1, 1, 1) * h + ys.unsqueeze(2)) * w + xs.unsqueeze(1)


def crop(frames: torch.Tensor, fi: torch.Tensor, by: torch.Tensor, bx: torch.Tensor, cfg: ModelConfig) -> torch.Tensor:
    """(K, T, T) tiles of frames[fi] around blocks (by, bx)."""
    return frames.reshape(-1).take(crop_index(frames.shape, fi, by, bx, cfg))
