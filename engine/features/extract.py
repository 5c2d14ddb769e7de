"""Pass 1 of the features stage: stream decoded batches through the detectors, keep only small per-frame data."""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np
import torch
from omegaconf import DictConfig

from ..config import plain
from ..media import FrameBatch, VideoInfo, analysis_factor
from . import activity, caret, layout, scroll
from .history import History
from .store import Rows, SparseBuilder
from .types import RawFeatures

SCROLL_BANDS = 4   # vertical bands searched for scrolling independently (count); fixed by the npz layout


def _sticks(y: torch.Tensor, idx: torch.Tensor, hist: History, lag: int, f: DictConfig) -> torch.Tensor:
    """(n, gh, gw) uint8: each frame t of the batch against frame t - lag - 1, on the cells that changed at
    frame t - lag (the only ones the persistence test reads); other cells 0. Frames with many such cells are
    compared whole, the rest cell by cell (the same numbers either way)."""
    src = idx - lag
    want = (hist.grid_at(src.clamp(min=0)) > 0) & (src >= 0).view(-1, 1, 1)
    out = torch.zeros(want.shape, dtype=torch.uint8, device=y.device)
    many = want.flatten(1).float().mean(1) > f.stick_whole_share
    cells = (want & ~many.view(-1, 1, 1)).nonzero()
    if cells.numel():
        i, cy, cx = cells.unbind(1)
        out[i, cy, cx] = activity.block_changes(y, i, hist.frames, hist.slots(idx[i] - lag - 1), cy, cx,
                                                f.cell, f.diff_threshold)
    for i in many.nonzero().flatten().tolist():     # one frame at a time: views, no batch-sized copies
        old = hist.frames[int(hist.slots(idx[i] - lag - 1))]
        grid = activity.cell_count(activity.changed(y[i : i + 1], old.unsqueeze(0), f.diff_threshold), f.cell)[0]
        out[i] = torch.where(want[i], grid, torch.zeros_like(grid))
    return out


def _last_stick(hist: History, lag: int, f: DictConfig) -> torch.Tensor:
    """The stream's last frame against the frame lag + 1 before it, on every cell: the persistence test reads
    it for all the frames whose later frame would lie past the end (zero when frame end - lag changed nothing)."""
    last = torch.tensor([hist.end - 1], device=hist.frames.device)
    if hist.end - 1 - lag < 0 or not bool((hist.grid_at(last - lag) > 0).any()):
        return torch.zeros(hist.grids.shape[1:], dtype=torch.uint8, device=hist.frames.device)
    d = activity.changed(hist.frame_at(last), hist.frame_at(last - lag - 1), f.diff_threshold)
    return activity.cell_count(d, f.cell)[0]


def lags_frames(lags_s, fps: float) -> list[int]:
    return [max(1, int(round(s * fps))) for s in lags_s]


def extract(batches: Iterable[FrameBatch], info: VideoInfo, cfg: DictConfig,
            on_batch: Callable[[int, float], None] | None = None) -> RawFeatures:
    f = plain(cfg.features)
    factor = analysis_factor(info.width, info.height, cfg.analysis.long_side)
    hist: History | None = None
    rate = info.fps
    # accumulated in growing buffers (activity grids sparse): memory grows by bytes per frame, not kilobytes
    out = {"times": Rows(np.float64), "caret": Rows(np.float32, (5,)), "shift": Rows(np.float32, (SCROLL_BANDS,)),
           "gain": Rows(np.float32, (SCROLL_BANDS,)), "change": Rows(np.float32), "ink_index": Rows(np.int64)}
    act_store = SparseBuilder()
    stick_store: list[SparseBuilder] = []
    pending: list = []                   # each lag's newest stick rows, held back until the stream's end is known
    last_prof = None                     # row profiles of the frame before the batch
    ink_store = None
    for b in batches:
        y = activity.pad_to_cells(b.luma, f.cell)
        n = y.shape[0]
        if hist is None:
            rate = b.rate                          # analysed frames per second: every lag is counted in them
            lags = lags_frames(f.persist_lags_s, rate)
            ink_every = max(1, int(round(f.ink_every_s * rate)))
            stick_store = [SparseBuilder() for _ in lags]
            hist = History(max(lags) + 1)
            pending = [None] * len(lags)
        g0 = hist.end
        idx = torch.arange(g0, g0 + n, device=y.device)
        diff = torch.empty_like(y)                 # each frame against the one before (the first against itself)
        torch.sub(y[:1], hist.frame_at(idx[:1] - 1) if g0 else y[:1], out=diff[:1])
        torch.sub(y[1:], y[:-1], out=diff[1:])
        act = diff.abs_().gt(f.diff_threshold)
        del diff
        sums = activity.cell_sums(act, f.cell)
        act_grid = activity.share_u8(sums, f.cell)
        hist.push(y, act_grid)
        act_store.append(act_grid)
        for k, lag in enumerate(lags):
            rows = _sticks(y, idx, hist, lag, f)
            if pending[k] is not None:
                stick_store[k].append(pending[k])
            pending[k] = rows
        frac = sums.flatten(1).sum(1).float() / float(act[0].numel())       # share of the frame changed
        out["change"].append(frac)
        if f.caret == "heuristic":
            out["caret"].append(caret.detect(y, act, act_grid, f.dilate, f.ink_contrast, f.caret_min_h,
                                             f.caret_max_w, f.caret_max_h, f.caret_band_chunk))
        else:
            out["caret"].append(torch.zeros(n, 5, device=y.device))
        sh = torch.zeros(n, SCROLL_BANDS, device=y.device)
        gain = torch.zeros(n, SCROLL_BANDS, device=y.device)
        busy = (frac >= f.scroll_min_change).nonzero().flatten()
        if f.scroll == "phase":
            prof = scroll.profiles(y, SCROLL_BANDS)             # small: a few values per row
            before = torch.cat([last_prof if last_prof is not None else prof[:1], prof[:-1]])
            last_prof = prof[-1:]
            if busy.numel():
                sh[busy], gain[busy] = scroll.phase_shift(prof[busy], before[busy], f.scroll_max_shift)
        out["shift"].append(sh)
        out["gain"].append(gain)
        gi = np.arange(b.index0, b.index0 + n)
        pick = np.nonzero(gi % ink_every == 0)[0]
        if len(pick):
            grid = activity.to_u8(layout.ink_grid(y[torch.as_tensor(pick, device=y.device)], f.cell, f.ink_contrast))
            if ink_store is None:
                ink_store = Rows(np.uint8, tuple(grid.shape[1:]))
            ink_store.append(grid)
            out["ink_index"].append(gi[pick])
        out["times"].append(b.times)
        if on_batch:
            on_batch(n, float(b.times[-1]))
    for k, lag in enumerate(lags if hist is not None else []):
        pending[k][-1] = _last_stick(hist, lag, f)
        stick_store[k].append(pending[k])
    if not out["times"].n:
        from ..errors import EmptyVideo
        raise EmptyVideo(f"video has no decodable frames: {info.path}")
    cat = lambda k: out[k].array()
    width, height = info.display_size
    cell_px = f.cell * factor
    car = cat("caret").astype(np.float32)
    car[:, :4] *= factor
    times = cat("times")
    meta = {"video": info.path, "width": width, "height": height, "fps": rate,
            "source_fps": info.fps, "duration": float(max(info.duration, times[-1] + 1.0 / info.fps)), "factor": factor,
            "cell": int(f.cell), "cell_px": int(cell_px), "lags": lags, "has_audio": info.has_audio,
            "rotation": info.rotation, "codec": info.codec}
    return RawFeatures(meta=meta, times=times, act=act_store.build(), stick=[s.build() for s in stick_store],
                       caret=car, scroll_shift=(cat("shift") * factor).astype(np.float32),
                       scroll_gain=cat("gain"), change=cat("change"), ink=ink_store.array(),
                       ink_index=cat("ink_index"))
