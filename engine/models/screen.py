"""ScreenModel: the learned caret / pointer / saliency detector, batched, on the caller's device.

    m = ScreenModel.load(device="cpu")
    state = m.start(h, w)
    out = m.detect(frames, prev, act, times, state)   # out["caret"] (B, 5), out["pointer"] (B, 3), out["saliency"]

Per batch: choose the blocks to examine (tiles.py: where the picture changed, plus a slow scan), run the tile
network once over all their tiles, take each frame's best caret and pointer, and track both through the batch.
A caret or pointer found stays where it was found while its place does not change (nothing there can have
changed: a pointer at rest, a caret between keys), and for `*_hold_s` after its place changed without it (a
blink's off phase, a fast move); a caret is dropped once nothing changed where it is for `caret_stale_s`. One
found away from the one in view must score higher to replace it (config.py). The tracking is cumulative maxima
over the batch, not a loop over frames; where a decision depends on the frames before, a short causal loop
settles it, so any batching gives exactly what frame-by-frame calls give. On the CPU the loop reads back when it
has settled and examines only the tiles picked; on a GPU (`detector.sync_free`) nothing is read back: fixed
tile slots, masked, and a fixed number of rounds (`settle_rounds`, `settle_steps`), the same decisions wherever
the CPU's loop settles within as many (`_settle_fixed`). Settings: config.py.
"""
from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from ..features import detector
from ..features.detector import to_device
from . import tiles
from .config import GEOMETRY, TRAINING, ModelConfig
from .net import CARET, CARET_DX, CARET_DY, CARET_LH, CARET_LW, PTR, PTR_DX, PTR_DY, TileNet, cell_probs, tile_input

WEIGHTS = Path(__file__).resolve().parent / "weights" / "screen.safetensors"


class ScreenModel:
    def __init__(self, net: TileNet, cfg: ModelConfig, device="cpu"):
        self.cfg = cfg
        self.device = torch.device(device)
        self.net = net.to(self.device).eval()

    # ------------------------------------------------------------------ weights
    @classmethod
    def load(cls, path=None, device="cpu", **overrides) -> "ScreenModel":
        """The shipped weights (or those at `path`); `overrides` change decision settings, not the geometry."""
        from safetensors import safe_open
        from safetensors.torch import load_file
        path = Path(path) if path else WEIGHTS
        with safe_open(str(path), "pt") as f:
            stored = ModelConfig.from_dict(json.loads(f.metadata()["config"]))
        bad = [k for k in overrides if k in GEOMETRY]
        if bad:
            raise ValueError(f"{bad} are fixed by the trained weights")
        cfg = replace(ModelConfig(), **{**{k: getattr(stored, k) for k in GEOMETRY + TRAINING}, **overrides})
        net = TileNet(cfg)
        net.load_state_dict(load_file(str(path)))
        return cls(net, cfg, device)

    def save(self, path, extra: dict | None = None) -> None:
        from safetensors.torch import save_file
        meta = {"config": json.dumps(self.cfg.to_dict()), **{k: json.dumps(v) for k, v in (extra or {}).items()}}
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        save_file({k: v.detach().cpu().contiguous() for k, v in self.net.state_dict().items()}, str(path), meta)

    # ------------------------------------------------------------------ state
    def start(self, h: int, w: int) -> dict:
        """Carried state of one stream of (h, w) frames: the tracked caret and pointer, the last frame's time."""
        d = self.device
        z = lambda *s: torch.zeros(*s, device=d)
        no = lambda: torch.zeros((), dtype=torch.bool, device=d)
        t0 = lambda: torch.full((), -math.inf, dtype=torch.float64, device=d)
        return {"h": h, "w": w, "caret": z(5), "caret_has": no(), "caret_vis": no(), "caret_lost_t": t0(),
                "caret_touch_t": t0(), "pointer": z(3), "pointer_has": no(), "pointer_vis": no(),
                "pointer_lost_t": t0(), "pointer_touch_t": t0(),
                "t_last": -math.inf}

    # ------------------------------------------------------------------ detection
    @torch.inference_mode()
    def detect(self, frames: torch.Tensor, prev: torch.Tensor, act: torch.Tensor, times, state: dict) -> dict:
        """frames, prev: (B, h, w) luma (prev[i] is the frame before frames[i]); act: (B, h/8, w/8) uint8 activity
        grid of frames vs prev; times: (B,) s. Updates `state`; returns caret (B, 5) [x0, y0, x1, y1, score],
        pointer (B, 3) [x, y, score] (analysis px, score 0 = none) and saliency (B, ceil(h/32), ceil(w/32)) uint8."""
        cfg, dev = self.cfg, frames.device
        b = frames.shape[0]
        # the times are the host's (a tensor is read back once): the scan is decided from them on the host, and
        # they go to the device pinned, without a wait
        host_t = (times.cpu().numpy() if torch.is_tensor(times) else np.asarray(times)).astype(np.float64)
        t = to_device(host_t, dev)
        counts = tiles.changed_blocks(act, cfg)
        bh, bw = counts.shape[1:]
        nb = bh * bw
        changed = counts.flatten(1) > 0                                          # (B, nb)
        scan = to_device(tiles.scan_keys(host_t, state["t_last"], nb, cfg), dev)
        fixed = detector.sync_free(frames) and b and not cfg.settle_on_host
        settle = self._settle_fixed if fixed else self._settle
        res, keys, ok = settle(frames, prev, counts, scan, changed, t, state, bh, bw)
        for k in ("caret", "pointer"):
            for f in ("", "_has", "_vis", "_lost_t", "_touch_t"):
                state[k + f] = res["state"][k + f]
        if b:                                   # from the host's copy: nothing read back from the device
            state["t_last"] = float(host_t[-1])
        share = counts.flatten(1).float() / (cfg.block // cfg.cell) ** 2
        sal = self._saliency(keys, ok, res["sal"], share)
        return {"caret": res["caret"], "pointer": res["pointer"], "saliency": sal.view(b, bh, bw)}

    def _settle(self, frames, prev, counts, scan, changed, t, state, bh, bw):
        """The host's way: the blocks to examine picked as they are (sizes read back), the rounds run until they
        settle. Returns (decision, the examined keys, None)."""
        nb = bh * bw
        sel = tiles.select(counts, self.cfg)
        base = torch.cat([sel[:, 0] * nb + sel[:, 1], scan]).unique()
        cache = _Tiles(self, frames, prev, bw, nb)
        # The tracker's blocks (where the caret / pointer was before each frame) are examined when they changed;
        # where that is depends on the frames before. Track without them, then again with the blocks that tracking
        # names, until the set no longer changes: frames are causal, so each round settles at least one more
        # frame, and the end is exactly what frame-by-frame calls give (usually one round: they were examined).
        keys = base
        for _ in range(changed.shape[0] + 2):
            res = self._decide(cache.get(keys), keys, None, changed, t, state, bh, bw)
            need, want = res["need"]
            nxt = torch.cat([base, need[want]]).unique()
            if torch.equal(nxt, keys):
                break
            keys = nxt
        return res, keys, None

    def _settle_fixed(self, frames, prev, counts, scan, changed, t, state, bh, bw):
        """The GPU's way, nothing read back: every tile slot a batch may need is examined at a fixed shape (the
        change-driven slots of every frame, the scan, the tracker's four blocks per frame for caret and pointer)
        and those not taken are masked; the rounds run `settle_rounds` times and the thresholds `settle_steps`
        times rather than until they settle. Where the host's way settles within as many (almost every batch:
        README, "On NVIDIA GPUs"), the decisions are the same; a batch that does not is counted in the state
        (`unsettled`, read once at the stream's end). Returns (decision, keys, which of them were examined)."""
        cfg, dev = self.cfg, frames.device
        b, nb = changed.shape
        blk, taken = tiles.select_slots(counts, cfg)
        fr = torch.arange(b, device=dev).unsqueeze(1)
        base = torch.cat([(fr * nb + blk).flatten(), scan])
        base_ok = torch.cat([taken.flatten(), torch.ones_like(scan, dtype=torch.bool)])
        base_rows = _tile_rows(self, frames, prev, base, bw, nb)
        need = torch.zeros(b * 8, dtype=torch.long, device=dev)          # caret's and pointer's 4 blocks a frame
        want = torch.zeros(b * 8, dtype=torch.bool, device=dev)
        need_rows = base_rows.new_zeros(b * 8, base_rows.shape[1])
        for r in range(cfg.settle_rounds):
            keys, ok, order = _distinct(torch.cat([base, need]), torch.cat([base_ok, want]))
            res = self._decide(torch.cat([base_rows, need_rows])[order], keys, ok, changed, t, state, bh, bw)
            need, want = res["need"]
            if r + 1 < cfg.settle_rounds:
                need_rows = _tile_rows(self, frames, prev, need, bw, nb)
        # settled: the blocks the last round names are those it was decided with, and its thresholds settled
        nxt, nxt_ok, _ = _distinct(torch.cat([base, need]), torch.cat([base_ok, want]))
        same = _examined(nxt, nxt_ok) == _examined(keys, ok)
        state["unsettled"] = state.get("unsettled", 0) + (~(same.all() & res["settled"])).to(torch.int32)
        return res, keys, ok

    def _decide(self, rows, keys, ok, changed, t, state, bh, bw) -> dict:
        """Per-frame best caret and pointer among the examined tiles, tracked through the batch. ok: which rows
        were examined (fixed slots), None: all. The thresholds settle as the host's way reads back, or in
        `settle_steps` (fixed: `settled` says whether they had)."""
        cfg = self.cfg
        b, nb = changed.shape
        dev = changed.device
        fixed = ok is not None
        fi, blk = keys // nb, keys % nb
        ch = changed[fi, blk]
        cs, cbox, ps, pxy, sal = rows[:, 0], rows[:, 1:5], rows[:, 5], rows[:, 6:8], rows[:, 8]
        at = torch.where(ok, blk, nb) if fixed else blk   # a slot not examined writes past the grid's end
        c_grid = torch.zeros(b, nb + 1, device=dev)      # scores per examined block: is it still there?
        c_grid[fi, at] = cs
        p_grid = torch.zeros(b, nb + 1, device=dev)
        p_grid[fi, at] = ps
        c_grid, p_grid = c_grid[:, :nb], p_grid[:, :nb]
        if fixed:                                        # and finds nothing
            cs, ps = torch.where(ok, cs, torch.zeros_like(cs)), torch.where(ok, ps, torch.zeros_like(ps))
        # one bar is a caret or an I-beam pointer, not both: the lower score gives way
        cc = _centre(cbox)
        same = ((cc - pxy).abs() <= torch.stack([(cbox[:, 2] - cbox[:, 0]) / 2 + 2,
                                                 (cbox[:, 3] - cbox[:, 1]) / 2 + 2], 1)).all(1)
        cs = torch.where(same & (ps > cs), torch.zeros_like(cs), cs)
        ps = torch.where(same & (cs >= ps), torch.zeros_like(ps), ps)
        if cfg.caret_need_change:                        # found only where the picture changed
            cs = torch.where(ch, cs, torch.zeros_like(cs))
        ps = torch.where(ch | (ps >= cfg.pointer_still_threshold), ps, torch.zeros_like(ps))
        geo = (changed, bh, bw)
        cval, pval = torch.cat([cbox, cs.unsqueeze(1)], 1), torch.cat([pxy, ps.unsqueeze(1)], 1)
        # Thresholds that depend on what is in view before a frame (which depends on the frames before): decide,
        # track, decide again until they settle (causal, so it ends, as frame-by-frame calls would).
        # A caret away from the caret in view needs caret_switch_threshold. A pointer in view whose place did
        # not change is still there (one pointer, and leaving makes change): one elsewhere needs
        # pointer_switch_threshold.
        c_thr = torch.full_like(cs, cfg.caret_threshold)
        p_thr = torch.full_like(ps, cfg.pointer_threshold)
        last, settled = None, None
        for step in range(cfg.settle_steps + 1 if fixed else b + 2):
            c_found, c_val = _per_frame(fi, torch.where(cs >= c_thr, cs, torch.zeros_like(cs)), cval, b,
                                        min(cfg.caret_threshold, cfg.caret_follow_threshold))
            p_found, p_val = _per_frame(fi, torch.where(ps >= p_thr, ps, torch.zeros_like(ps)), pval, b,
                                        cfg.pointer_threshold)
            if last is not None:
                # the new thresholds find the same: the tracking stands (the host reads one value back for the
                # four outputs; fixed, it is kept for the end)
                settled = torch.stack([(x == y).all() for x, y in zip(last, (c_found, c_val, p_found, p_val))]).all()
                if (step == cfg.settle_steps) if fixed else bool(settled):
                    break
            last = (c_found, c_val, p_found, p_val)
            new = {}
            caret, c_need, (cpos, cvis, _) = self._track("caret", c_found, c_val, c_grid, cfg.caret_keep, _centre,
                                                         t, state, cfg.caret_hold_s, cfg.caret_stale_s, geo, new)
            pointer, p_need, (ppos, pvis, plook) = self._track("pointer", p_found, p_val, p_grid, cfg.pointer_keep,
                                                               lambda v: v[:, :2], t, state, cfg.pointer_hold_s,
                                                               math.inf, geo, new, cfg.pointer_refind_s)
            h = (cpos[:, 3] - cpos[:, 1]).clamp(min=1.0)[fi]
            d = (cc - _centre(cpos)[fi]).abs()
            c_far = cvis[fi] & ((d[:, 0] > cfg.caret_near_lines * h) | (d[:, 1] > 0.75 * h))
            p_far = (pvis & ~plook)[fi] & ((pxy - ppos[fi, :2]).abs() > cfg.track_radius).any(1)
            c_near = cvis[fi] & (d[:, 0] <= cfg.caret_follow_lines * h) & (d[:, 1] <= 0.75 * h)
            c_thr = torch.where(c_far, cfg.caret_switch_threshold,
                                torch.where(c_near, cfg.caret_follow_threshold, cfg.caret_threshold))
            p_thr = torch.where(p_far, cfg.pointer_switch_threshold, cfg.pointer_threshold)
        return {"caret": caret, "pointer": pointer, "sal": sal, "state": new, "settled": settled,
                "need": (torch.cat([c_need[0], p_need[0]]), torch.cat([c_need[1], p_need[1]]))}

    def _saliency(self, keys, ok, sal, share) -> torch.Tensor:
        """(B, nb) uint8: the network's saliency on examined blocks (ok: which keys were, None: all); changed
        blocks left unexamined get their changed share times `unseen_saliency`; blocks without change 0."""
        grid = torch.cat([(share * self.cfg.unseen_saliency).flatten(), share.new_zeros(1)])
        grid[keys if ok is None else torch.where(ok, keys, grid.numel() - 1)] = torch.sigmoid(sal)
        return (grid[:-1].view_as(share) * 255).round().clamp(0, 255).to(torch.uint8)

    def _track(self, key, found, val, grid, keep, point, t, state, hold, stale, geo, new, refind=0.0):
        """Carry what was found through the batch (see the module doc). val: (B, D) rows, score last; grid:
        (B, nb) its score in each examined block. Where it was before a frame, the blocks within
        `track_radius` of its point are looked at when one of them changed; if none of them scores `keep`, it
        is gone from there. With `stale` (s), it is also dropped once nothing changed where it is for that long.
        Returns the output (B, D), the blocks to look at (every frame's four keys, and whether each is wanted),
        and (where it was, whether it was in view) before each frame, and whether its place changed in it."""
        changed, bh, bw = geo
        b, nb = changed.shape
        dev = found.device
        ar = torch.arange(b, device=dev)
        lf = torch.cummax(torch.where(found, ar, -1), 0).values                 # last found at or before i
        lf_before = torch.cat([torch.full((1,), -1, device=dev, dtype=lf.dtype), lf[:-1]])
        st_val = state[key]
        pos = torch.where((lf_before >= 0).unsqueeze(1), val[lf_before.clamp(min=0)], st_val.unsqueeze(0))
        has_before = (lf_before >= 0) | state[key + "_has"]
        near = _near_blocks(point(pos), self.cfg, bh, bw)                      # (B, 4)
        look = changed.gather(1, near).any(1) & has_before
        lost = look & ~found & (grid.gather(1, near).amax(1) < keep)          # its place changed without it
        ev = found | lost
        le = torch.cummax(torch.where(ev, ar, -1), 0).values
        vis = torch.where(le >= 0, found[le.clamp(min=0)], state[key + "_vis"])
        lost_t = torch.where(le >= 0, t[le.clamp(min=0)], state[key + "_lost_t"])
        has = (lf >= 0) | state[key + "_has"]
        cur = torch.where((lf >= 0).unsqueeze(1), val[lf.clamp(min=0)], st_val.unsqueeze(0))
        lt = torch.cummax(torch.where(found | look, ar, -1), 0).values          # last sign of life there
        touch_t = torch.where(lt >= 0, t[lt.clamp(min=0)], state[key + "_touch_t"])
        show = has & (vis | (t - lost_t <= hold)) & (t - touch_t <= stale)
        out = torch.where(show.unsqueeze(1), cur, torch.zeros_like(cur))
        if b:
            new[key], new[key + "_has"], new[key + "_vis"] = cur[-1].clone(), has[-1].clone(), vis[-1].clone()
            new[key + "_lost_t"], new[key + "_touch_t"] = lost_t[-1].clone(), touch_t[-1].clone()
        else:
            for f in ("", "_has", "_vis", "_lost_t", "_touch_t"):
                new[key + f] = state[key + f]
        vis_before = torch.cat([state[key + "_vis"].view(1), vis[:-1]])
        # lost from its place a moment ago: the blocks around where it was are looked at again in each frame,
        # changed or not (a pointer that moved its last few pixels and came to rest makes no more change)
        lost_before = torch.cat([state[key + "_lost_t"].view(1).to(lost_t.dtype), lost_t[:-1]])
        again = has_before & ~vis_before & (t - lost_before <= refind)
        # the blocks to look at: (keys (B * 4), wanted (B * 4)), every frame's four, fixed in shape
        want = (look | again).unsqueeze(1).expand(-1, near.shape[1]).flatten()
        return out, ((ar.unsqueeze(1) * nb + near).flatten(), want), (pos, vis_before & has_before, look)


def _tile_rows(model: ScreenModel, frames, prev, keys: torch.Tensor, bw: int, nb: int) -> torch.Tensor:
    """The network's decoded output for each (frame * nb + block) key: rows (K, 9) = caret score, caret box
    x0 y0 x1 y1, pointer score, pointer x y (analysis px), saliency logit."""
    cfg = model.cfg
    fi, blk = keys // nb, keys % nb
    by, bx = blk // bw, blk % bw
    idx = tiles.crop_index(frames.shape, fi, by, bx, cfg)
    maps, sal = model.net(tile_input(frames.reshape(-1).take(idx), prev.reshape(-1).take(idx)))
    cs, cbox = _best(maps, CARET, (CARET_DX, CARET_DY), by, bx, cfg, size=(CARET_LW, CARET_LH))
    ps, pxy = _best(maps, PTR, (PTR_DX, PTR_DY), by, bx, cfg)
    return torch.cat([cs.unsqueeze(1), cbox, ps.unsqueeze(1), pxy, sal.unsqueeze(1)], 1)


def _distinct(keys: torch.Tensor, ok: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Fixed slots in the host's order: (their keys sorted, the slots not taken last; which are taken, a key taken
    twice only the first time: the first slot's tile stands, as the host's cache keeps the tile it computed
    first; the order that sorts them, for their rows)."""
    sk, order = torch.sort(torch.where(ok, keys, tiles.NO_KEY), stable=True)
    again = torch.cat([torch.zeros(1, dtype=torch.bool, device=keys.device), sk[1:] == sk[:-1]])
    return keys[order], ok[order] & ~again, order


def _examined(keys: torch.Tensor, ok: torch.Tensor) -> torch.Tensor:
    """The set of keys taken, as a fixed-shape sorted vector (the others NO_KEY): equal vectors, equal sets."""
    return torch.sort(torch.where(ok, keys, tiles.NO_KEY)).values


class _Tiles:
    """Each examined (frame, block) key's decoded network output (`_tile_rows`), computed once per batch."""

    def __init__(self, model, frames, prev, bw: int, nb: int):
        self.model, self.frames, self.prev, self.bw, self.nb = model, frames, prev, bw, nb
        self.keys = torch.zeros(0, dtype=torch.long, device=frames.device)
        self.rows = frames.new_zeros(0, 9)

    def get(self, keys: torch.Tensor) -> torch.Tensor:
        """Rows for sorted unique keys."""
        new = keys[~torch.isin(keys, self.keys)] if self.keys.numel() else keys
        if new.numel():
            rows = _tile_rows(self.model, self.frames, self.prev, new, self.bw, self.nb)
            if self.keys.numel():
                allk = torch.cat([self.keys, new])
                order = torch.argsort(allk)
                self.keys, self.rows = allk[order], torch.cat([self.rows, rows])[order]
            else:
                self.keys, self.rows = new, rows
        if keys.numel() == 0 or torch.equal(keys, self.keys):
            return self.rows[: keys.numel()]
        return self.rows[torch.searchsorted(self.keys, keys)]


def _centre(box: torch.Tensor) -> torch.Tensor:
    return torch.stack([(box[:, 0] + box[:, 2]) / 2, (box[:, 1] + box[:, 3]) / 2], dim=1)


def _near_blocks(xy: torch.Tensor, cfg: ModelConfig, bh: int, bw: int) -> torch.Tensor:
    """(B, 2) points -> (B, 4) raster indices of the blocks within `track_radius` of each (repeats allowed)."""
    r = cfg.track_radius
    xs = torch.stack([xy[:, 0] - r, xy[:, 0] + r], 1).div(cfg.block).floor().long().clamp(0, bw - 1)
    ys = torch.stack([xy[:, 1] - r, xy[:, 1] + r], 1).div(cfg.block).floor().long().clamp(0, bh - 1)
    return (ys.unsqueeze(2) * bw + xs.unsqueeze(1)).flatten(1)


def _best(maps, ch, off, by, bx, cfg: ModelConfig, size=None):
    """Each tile's best cell for channel ch: (score (K,), box (K, 4) x0 y0 x1 y1 or point (K, 2)), analysis px."""
    k, _, n, _ = maps.shape
    score, idx = cell_probs(maps[:, ch]).max(dim=1)
    cy, cx = idx // n, idx % n
    sel = lambda c: maps[:, c].flatten(1).gather(1, idx.unsqueeze(1)).squeeze(1)
    x = bx * cfg.block + (cx + torch.sigmoid(sel(off[0]))) * cfg.stride
    y = by * cfg.block + (cy + torch.sigmoid(sel(off[1]))) * cfg.stride
    if size is None:
        return score, torch.stack([x, y], 1)
    w, h = torch.exp(sel(size[0])), torch.exp(sel(size[1]))
    return score, torch.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], 1)


def _per_frame(fi, score, val, b: int, threshold: float):
    """The best tile of each frame: (found (B,) bool, its row of val (B, D)); ties go to the first tile."""
    dev = score.device
    best = torch.zeros(b, device=dev).scatter_reduce(0, fi, score, reduce="amax", include_self=True)
    k = torch.arange(score.shape[0], device=dev)
    first = torch.full((b,), score.shape[0], device=dev, dtype=torch.long)
    first = first.scatter_reduce(0, fi, torch.where(score >= best[fi], k, score.shape[0]), reduce="amin")
    found = best >= threshold
    row = torch.cat([val, val.new_zeros(1, val.shape[1])])[first]
    return found & (first < score.shape[0]), row
