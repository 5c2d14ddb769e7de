"""Pass 1 of the features stage: stream decoded batches through the detectors, keep only small per-frame data."""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np
import torch
from omegaconf import DictConfig

from ..media import FrameBatch, VideoInfo, analysis_factor
from . import activity, caret, layout, scroll
from .store import Rows, SparseBuilder
from .types import RawFeatures

SCROLL_BANDS = 4   # vertical bands searched for scrolling independently (count); fixed by the npz layout


def lags_frames(lags_s, fps: float) -> list[int]:
    return [max(1, int(round(s * fps))) for s in lags_s]


def extract(batches: Iterable[FrameBatch], info: VideoInfo, cfg: DictConfig,
            on_batch: Callable[[int, float], None] | None = None) -> RawFeatures:
    f = cfg.features
    factor = analysis_factor(info.width, info.height, cfg.analysis.long_side)
    hist = None
    rate = info.fps
    # accumulated in growing buffers (activity grids sparse): memory grows by bytes per frame, not kilobytes
    out = {"times": Rows(np.float64), "caret": Rows(np.float32, (5,)), "shift": Rows(np.float32, (SCROLL_BANDS,)),
           "gain": Rows(np.float32, (SCROLL_BANDS,)), "change": Rows(np.float32), "ink_index": Rows(np.int64)}
    act_store = SparseBuilder()
    stick_store: list[SparseBuilder] = []
    ink_store = None
    for b in batches:
        y = activity.pad_to_cells(b.luma, f.cell)
        n = y.shape[0]
        if hist is None:
            rate = b.rate                          # analysed frames per second: every lag is counted in them
            lags = lags_frames(f.persist_lags_s, rate)
            keep = max(lags) + 1
            ink_every = max(1, int(round(f.ink_every_s * rate)))
            stick_store = [SparseBuilder() for _ in lags]
            hist = y[:1].expand(keep, -1, -1)
            hist_flags = torch.zeros(keep, dtype=torch.bool, device=y.device)
        seq = torch.cat([hist, y])
        h0 = hist.shape[0]
        prev = seq[h0 - 1 : h0 - 1 + n]
        act = activity.changed(y, prev, f.diff_threshold)
        act_grid = activity.cell_count(act, f.cell)
        act_store.append(act_grid)
        flags = torch.cat([hist_flags, act_grid.flatten(1).amax(1) > 0])
        sticks = torch.zeros((len(lags),) + act_grid.shape, dtype=torch.uint8, device=y.device)
        for k, lag in enumerate(lags):
            # stick at frame t only matters where frame t - lag changed: most frames of a recording are still
            sel = flags[h0 - lag : h0 - lag + n].nonzero().flatten()
            if sel.numel():
                old = seq[h0 - lag - 1 + sel]
                sticks[k, sel] = activity.cell_count(activity.changed(y[sel], old, f.diff_threshold), f.cell)
        for k, store in enumerate(stick_store):
            store.append(sticks[k])
        hist_flags = flags[-keep:]
        frac = act.flatten(1).mean(1)
        out["change"].append(frac)
        if f.caret == "heuristic":
            recent = activity.dilate(act > 0, f.dilate)
            out["caret"].append(caret.detect(y, recent, f.ink_contrast, f.caret_min_h, f.caret_max_w, f.caret_max_h))
        else:
            out["caret"].append(torch.zeros(n, 5, device=y.device))
        sh = torch.zeros(n, SCROLL_BANDS, device=y.device)
        gain = torch.zeros(n, SCROLL_BANDS, device=y.device)
        busy = (frac >= f.scroll_min_change).nonzero().flatten()
        if f.scroll == "phase" and busy.numel():
            s_b, g_b = scroll.phase_shift(scroll.profiles(y[busy], SCROLL_BANDS),
                                          scroll.profiles(prev[busy], SCROLL_BANDS), f.scroll_max_shift)
            sh[busy], gain[busy] = s_b, g_b
        out["shift"].append(sh)
        out["gain"].append(gain)
        idx = np.arange(b.index0, b.index0 + n)
        pick = np.nonzero(idx % ink_every == 0)[0]
        if len(pick):
            grid = activity.to_u8(layout.ink_grid(y[torch.as_tensor(pick, device=y.device)], f.cell, f.ink_contrast))
            if ink_store is None:
                ink_store = Rows(np.uint8, tuple(grid.shape[1:]), capacity=64)
            ink_store.append(grid)
            out["ink_index"].append(idx[pick])
        out["times"].append(b.times)
        hist = seq[-keep:]
        if on_batch:
            on_batch(n, float(b.times[-1]))
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
