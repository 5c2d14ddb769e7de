"""Training data: generated recordings with per-frame labels, decoded by the engine, cut into labelled tiles.

Each clip is generated once into a data folder (NAME.mp4, NAME.truth.json, NAME.labels.npz) and its tiles are
cached beside it (NAME.tiles.npz). A tile sample is what inference would examine: frame i against an earlier
frame (1/60 s to `max_dt_s` before it, or the same picture for GIF-like holds), the blocks `tiles.select`
picks from their activity grid, the tracker's blocks when they changed (taken from the truth of the earlier
frame), plus unchanged blocks at the caret and the pointer and a random block (the scan's tiles).
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import torch

from . import tiles
from .config import ModelConfig
from .frames import activity_grid, analysis_frames

TILES_VERSION = 3            # bump when the samples' content changes: cached tiles are rebuilt


# ---------------------------------------------------------------------------------------------- clips
def generate(stem, seed: int, seconds: float, form: str | None = None, theme: str | None = None,
             app: str | None = None) -> Path:
    """Generate one varied recording with labels (stem.mp4, .truth.json, .labels.npz); returns the .mp4.

    The generator is `engine.synth` with every style axis drawn from the seed (form and theme drawn here);
    form, theme and app pin those (tests)."""
    from ..synth import generate_clip

    stem = Path(stem)
    mp4 = stem.with_name(stem.name + ".mp4")
    if mp4.exists() and stem.with_name(stem.name + ".labels.npz").exists():
        return mp4
    r = random.Random(f"screen-model-clip-{seed}")       # a string seed is hashed: near seeds differ
    drawn = r.choice(["phone", "desktop"]), r.choice(["light", "dark"])
    generate_clip(stem, seed=seed, form=form or drawn[0], theme=theme or drawn[1], seconds=seconds, vary=True,
                  app=app)
    return mp4


def load_labels(mp4) -> dict:
    p = Path(mp4)
    d = np.load(p.with_name(p.name[: -len(".mp4")] + ".labels.npz"))
    out = {k: d[k] for k in d.files if k != "meta"}
    out["meta"] = json.loads(bytes(d["meta"]).decode())
    return out


def label_rows(label_t: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Index of the label row of each analysis frame: the last label at or before the frame's time."""
    return np.clip(np.searchsorted(label_t, times + 1e-4, side="right") - 1, 0, len(label_t) - 1)


# ---------------------------------------------------------------------------------------------- tiles
def _centres(lab: dict, rows: np.ndarray, factor: int):
    """Per frame: caret centre, size (analysis px) and visibility; pointer hotspot and visibility."""
    car = lab["caret"][rows].astype(np.float64) / factor
    c_on = (lab["caret_style"][rows] > 0) & (car[:, 2] > 0) & (car[:, 3] > 0)
    c_xy = car[:, :2] + car[:, 2:4] / 2
    ptr = lab["pointer"][rows].astype(np.float64) / factor
    p_on = lab["pointer_style"][rows] > 0
    return c_xy, car[:, 2:4], c_on, ptr[:, :2], p_on


def clip_tiles(mp4, cfg: ModelConfig, seed: int) -> dict:
    """The labelled tiles of one clip (see the module doc), as numpy arrays."""
    frames, times, factor = analysis_frames(mp4)
    lab = load_labels(mp4)
    rows = label_rows(lab["t"], times)
    c_xy, c_wh, c_on, p_xy, p_on = _centres(lab, rows, factor)
    typing = lab["typing"][rows]
    focus = lab["focus"][rows].astype(np.float64) / factor
    n, h, w = frames.shape
    bs = cfg.block
    bh, bw = -(-h // bs), -(-w // bs)
    nb = bh * bw
    rng = np.random.default_rng(seed)
    rate = 1.0 / max(1e-3, float(np.median(np.diff(times)))) if n > 1 else 30.0
    lag_max = max(1, int(cfg.max_dt_s * rate))
    pick = np.sort(rng.choice(np.arange(1, n), size=min(cfg.frames_per_clip, n - 1), replace=False))
    lags = np.where(rng.random(len(pick)) < 0.5, 1, rng.integers(1, lag_max + 1, len(pick)))
    lags = np.where(rng.random(len(pick)) < cfg.dup_share, 0, np.minimum(lags, pick))
    cur_i, prev_i = torch.as_tensor(pick), torch.as_tensor(pick - lags)
    cur, prev = frames[cur_i], frames[prev_i]
    act = activity_grid(cur, prev, cfg.diff_threshold, cfg.cell)
    counts = tiles.changed_blocks(act, cfg)
    sel = tiles.select(counts, cfg).numpy()
    pk = pick - lags                                     # the tracker knows where things were a frame earlier
    extra = []
    for xy, on in ((c_xy[pk], c_on[pk]), (p_xy[pk], p_on[pk])):
        blk = tiles.block_of(torch.as_tensor(xy), cfg, bh, bw)
        ok = torch.as_tensor(on) & (counts.flatten(1)[torch.arange(len(pick)), blk] > 0)
        extra += list(zip(np.nonzero(ok.numpy())[0].tolist(), blk[ok].tolist()))
    for k, i in enumerate(pick):                         # unchanged tiles: tracker re-checks and scans
        if c_on[i] and rng.random() < 0.3:
            extra.append((k, int(tiles.block_of(torch.as_tensor(c_xy[i]), cfg, bh, bw))))
        if p_on[i] and rng.random() < 0.5:
            extra.append((k, int(tiles.block_of(torch.as_tensor(p_xy[i]), cfg, bh, bw))))
        extra.append((k, int(rng.integers(nb))))
    if extra:
        sel = np.concatenate([sel, np.array(extra, dtype=sel.dtype)])
    sel = np.unique(sel, axis=0)                         # sorted by frame, then block
    k_, blk = torch.as_tensor(sel[:, 0]), torch.as_tensor(sel[:, 1])
    by, bx = blk // bw, blk % bw
    out = {"cur": tiles.crop(cur, k_, by, bx, cfg).half().numpy(), "prev": tiles.crop(prev, k_, by, bx, cfg).half().numpy(),
           "changed": (counts.flatten(1)[k_, blk] > 0).numpy()}
    fr = pick[sel[:, 0]]
    by, bx = by.numpy(), bx.numpy()
    out.update(_targets(c_xy[fr], c_wh[fr], c_on[fr], by, bx, cfg, "c"))
    out.update(_targets(p_xy[fr], None, p_on[fr], by, bx, cfg, "p"))
    out["sal"] = _saliency(typing[fr] & c_on[fr] & (out["c_cell"] >= 0), out["changed"], focus[fr], by, bx, cfg, h, w)
    out["clip"] = np.full(len(sel), seed, np.int64)
    return out


def _targets(xy, wh, on, by, bx, cfg: ModelConfig, p: str) -> dict:
    """Heatmap cell (-1: none in this block), offset in the cell (0-1) and log size of a centre per tile."""
    n = cfg.block // cfg.stride
    lx, ly = xy[:, 0] - bx * cfg.block, xy[:, 1] - by * cfg.block
    inside = on & (lx >= 0) & (lx < cfg.block) & (ly >= 0) & (ly < cfg.block)
    cx, cy = np.clip(np.floor(lx / cfg.stride), 0, n - 1), np.clip(np.floor(ly / cfg.stride), 0, n - 1)
    out = {f"{p}_cell": np.where(inside, cy * n + cx, -1).astype(np.int64),
           f"{p}_off": np.stack([lx / cfg.stride - cx, ly / cfg.stride - cy], 1).clip(0, 1).astype(np.float32)}
    if wh is not None:
        out[f"{p}_size"] = np.log(np.maximum(wh, 0.5)).astype(np.float32)
    return out


def _saliency(writing, changed, focus, by, bx, cfg: ModelConfig, h: int, w: int) -> np.ndarray:
    """1 where a viewer should look: the caret's block while typing, or a changed block inside a focus box
    that is not most of the frame (so clocks, spinners and keyboards outside it are not salient)."""
    x0, y0 = bx * cfg.block, by * cfg.block
    fx0, fy0, fw, fh = focus.T
    meet = (x0 < fx0 + fw) & (x0 + cfg.block > fx0) & (y0 < fy0 + fh) & (y0 + cfg.block > fy0) & (fw > 0)
    small = fw * fh < 0.5 * h * w
    return (writing | (changed & meet & small)).astype(np.float32)


def clip_seeds(seed: int, clips: int) -> list[int]:
    """Training clip seeds: 100000 and up (0-9999 are evaluation corpora), one block of 1000 per run seed."""
    return [100000 + 1000 * seed + k for k in range(clips)]


def _tiles_key(cfg: ModelConfig) -> str:
    return json.dumps({"v": TILES_VERSION, **{f: getattr(cfg, f) for f in (
        "block", "margin", "stride", "diff_threshold", "cell", "change_min", "max_tiles", "busy_share",
        "frames_per_clip", "max_dt_s", "dup_share")}}, sort_keys=True, default=list)


def _read_cache(cache: Path, key: str) -> dict | None:
    if not cache.exists():
        return None
    z = np.load(cache)
    if bytes(z["key"]).decode() != key:
        return None
    return {f: z[f] for f in z.files if f != "key"}


def _make(job) -> str:
    """Generate one clip and cut its tiles into the cache (a worker's job); returns the cache path."""
    stem, seed, seconds, cfg = job
    torch.set_num_threads(1)
    mp4 = generate(stem, seed, seconds)
    cache = mp4.with_name(mp4.name[:-4] + ".tiles.npz")
    key = _tiles_key(cfg)
    if _read_cache(cache, key) is None:
        part = clip_tiles(mp4, cfg, seed)
        tmp = cache.with_name(cache.name + ".tmp.npz")
        np.savez(tmp, key=np.frombuffer(key.encode(), np.uint8), **part)
        tmp.replace(cache)
    return str(cache)


def build(data_dir, seeds, cfg: ModelConfig, seconds: float, workers: int = 1, log=print) -> dict:
    """Generate (if missing) and cut (if not cached) every clip, `workers` clips at a time in processes of their
    own; all tiles concatenated in seed order (the same whatever the number of workers)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(data_dir / f"train_{s}", s, seconds, cfg) for s in seeds]
    if workers > 1:
        import multiprocessing as mp
        with mp.get_context("spawn").Pool(workers) as pool:
            paths = []
            for k, p in enumerate(pool.imap(_make, jobs)):
                paths.append(p)
                if log and (k + 1) % 10 == 0:
                    log(f"  {k + 1}/{len(jobs)} clips")
    else:
        paths = []
        for k, j in enumerate(jobs):
            paths.append(_make(j))
            if log and (k + 1) % 10 == 0:
                log(f"  {k + 1}/{len(jobs)} clips")
    key = _tiles_key(cfg)
    parts = [_read_cache(Path(p), key) for p in paths]
    return {f: np.concatenate([p[f] for p in parts]) for f in parts[0]}
