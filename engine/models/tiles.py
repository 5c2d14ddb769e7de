"""Which blocks of which frames the network looks at, and cutting their tiles out of the frames.

The frame is split into blocks of `block` px (the saliency grid). A block is examined in a frame when some of
its activity cells changed: at most `max_tiles` per frame, the most isolated changes first (a caret, a pointer,
a typed glyph: a few cells with quiet neighbours); none in a frame where more than `busy_share` of the blocks
changed (scrolling, a new screen). The tracker adds the blocks of the tracked caret and pointer when they
changed (screen.py), and a slow scan adds unchanged blocks to find a pointer at rest. A frame without change
costs nothing beyond the scan. The picking is tensor ops over the whole batch (`select`, or `select_slots`:
fixed slots, nothing read back); the scan is decided on the host from the frames' times.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from .config import ModelConfig

NO_KEY = torch.iinfo(torch.int64).max    # a key past every real one: slots not taken sort last


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
    changed cells in the 3 x 3 blocks around); none in a busy frame."""
    b, bh, bw = counts.shape
    idx, keep = select_slots(counts, cfg)
    fr = torch.arange(b, device=counts.device).unsqueeze(1).expand_as(idx)
    sel = torch.stack([fr[keep], idx[keep]], dim=1)
    return sel[torch.argsort(sel[:, 0] * bh * bw + sel[:, 1])]


def select_slots(counts: torch.Tensor, cfg: ModelConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """`select` as fixed-shape slots, nothing read back: (blocks (B, k), whether each slot is taken (B, k)),
    k = min(max_tiles, blocks). Keys are unique integers (isolation, then raster order) so the choice is the
    same on every device."""
    b, bh, bw = counts.shape
    nb = bh * bw
    on = counts.flatten(1) > 0
    near = F.avg_pool2d(counts.float().unsqueeze(1), 3, 1, 1, count_include_pad=False).squeeze(1) * 9
    key = near.round().long().flatten(1) * nb + torch.arange(nb, device=counts.device)   # small: isolated
    busy = on.float().mean(1) > cfg.busy_share
    key = torch.where(on & ~busy.unsqueeze(1), key, torch.full_like(key, NO_KEY))
    val, idx = torch.topk(key, min(cfg.max_tiles, nb), dim=1, largest=False, sorted=True)
    return idx, val < NO_KEY


def scan_keys(t: np.ndarray, t_before: float, nb: int, cfg: ModelConfig) -> np.ndarray:
    """Blocks scanned for a resting pointer (it makes no change), as keys frame * nb + block: every block once
    over the first `scan_first_s` of the stream, then `scan_per_s` blocks a second, in raster order, frame j
    taking the next ones (mod nb). A function of the frames' times only (decided on the host, from the host's
    times: nothing read back from a GPU), so batching does not change it. t: (B,) s; t_before: the time of the
    frame before the batch (-inf: the stream starts)."""
    t = np.asarray(t, dtype=np.float64)

    def g(x):
        first = np.clip(x / cfg.scan_first_s, 0, 1) if cfg.scan_first_s > 0 else (x >= 0).astype(x.dtype)
        return np.floor(nb * first + cfg.scan_per_s * np.maximum(x, 0))
    before = np.concatenate([[t_before], t[:-1]])
    lo = np.where(np.isfinite(before), g(np.where(np.isfinite(before), before, 0.0)), 0.0).astype(np.int64)
    count = np.maximum(g(t) - lo, 0).astype(np.int64)
    fr = np.repeat(np.arange(len(t), dtype=np.int64), count)
    k = np.arange(len(fr), dtype=np.int64) - (np.cumsum(count) - count)[fr]
    return fr * nb + (lo[fr] + k) % nb


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
