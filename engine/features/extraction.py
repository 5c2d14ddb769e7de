"""Pass 1 of the features stage: stream decoded batches through the detectors the config lists, keeping only
their small per-frame outputs (in temporary files, so memory stays flat with the recording's length)."""
from __future__ import annotations

import math
from typing import Callable, Iterable

import numpy as np
import torch
from omegaconf import DictConfig, OmegaConf

from ..config import plain
from ..errors import EmptyVideo
from ..media import FrameBatch, VideoInfo, analysis_factor
from . import detector as det
from .registry import build
from .activity import pad_to_cells
from .history import History
from .store import Rows, SparseBuilder
from .types import RawFeatures


class _Sink:
    """Where one output's rows accumulate, by its storage kind."""

    def __init__(self, o: det.Output, chunk: int = 0):
        self.o = o
        if o.store == "sparse":
            self.rows = SparseBuilder(chunk)
        else:
            self.rows = Rows(np.dtype(o.dtype), o.shape, chunk)
        self.index = Rows(np.int64, (), chunk) if o.store == "sampled" else None

    def add(self, value) -> None:
        if self.index is not None:
            idx, value = value
            self.index.append(idx)
        if self.o.store == "sparse":
            self.rows.append(value)
        else:
            self.rows.append(value.to(getattr(torch, self.o.dtype)) if isinstance(value, torch.Tensor) else value)

    @property
    def n(self) -> int:
        return self.rows.n

    def build(self) -> dict:
        name = self.o.name
        if self.o.store == "sparse":
            return {name: self.rows.build()}
        out = {name: self.rows.array()}
        if self.index is not None:
            out[name + "_index"] = self.index.array()
        return out


def extract(batches: Iterable[FrameBatch], info: VideoInfo, cfg: DictConfig,
            on_batch: Callable[[int, float], None] | None = None) -> RawFeatures:
    f = plain(cfg.features)
    model_settings = dict(OmegaConf.to_container(cfg.model, resolve=True)) if "model" in cfg else {}
    factor = analysis_factor(info.width, info.height, cfg.analysis.long_side)
    width, height = info.display_size
    detectors: list[det.Detector] = []
    states: list = []
    sinks: dict[str, _Sink] = {}
    hist: History | None = None
    times = Rows(np.float64)
    rate = info.fps
    for b in batches:
        y = pad_to_cells(b.luma, f.cell)
        if hist is None:
            rate = b.rate                          # analysed frames per second: every span is counted in them
            stream = det.Stream(width, height, factor, int(y.shape[1]), int(y.shape[2]), f.cell, rate, y.device, f,
                                model_settings)
            detectors = build(list(f.detectors), stream)
            states = [d.start() for d in detectors]
            sinks = {o.name: _Sink(o, int(f.device_rows_chunk)) for d in detectors for o in d.outputs()}
            keep = max([1] + [math.ceil(d.history_s() * rate) + 1 for d in detectors])
            hist = History(keep)
        prev = hist.newest() if hist.end else None
        fr = det.Frames(y, b.times, hist.end, hist, f.diff_threshold, f.cell, prev)
        hist.push(y, fr.act)
        for k, d in enumerate(detectors):
            got, states[k] = d.run(fr, states[k])
            fr.outputs.update(got)
            for name, value in got.items():
                sinks[name].add(value)
        times.append(b.times)
        if on_batch:
            on_batch(fr.n, float(b.times[-1]))
    if not times.n:
        raise EmptyVideo(f"video has no decodable frames: {info.path}")
    for k, d in enumerate(detectors):
        for name, value in d.finish(states[k], hist).items():
            sinks[name].add(value)
    for name, s in sinks.items():
        if s.o.store != "sampled" and s.n != times.n:
            raise RuntimeError(f"detector output '{name}' has {s.n} rows for {times.n} frames")
    t = times.array()
    meta = {"video": info.path, "width": width, "height": height, "fps": rate,
            "source_fps": info.fps, "duration": float(max(info.duration, t[-1] + 1.0 / info.fps)), "factor": factor,
            "cell": int(f.cell), "cell_px": int(f.cell * factor), "has_audio": info.has_audio,
            "rotation": info.rotation, "codec": info.codec,
            "detectors": {d.name: d.version for d in detectors},
            "outputs": {o.name: {"detector": d.name, "store": o.store} for d in detectors for o in d.outputs()}}
    for d in detectors:
        meta.update(d.meta())
    data = {}
    for s in sinks.values():
        data.update(s.build())
    return RawFeatures(meta=meta, times=t, data=data)
