"""The `change` detector: what changed since the previous frame, and whether it stayed changed.

Per frame: the activity grid (share of each cell changed vs the previous frame), the share of the whole
frame changed, and for each persistence lag the grid of the frame against the one `lag + 1` frames earlier,
on the cells that changed `lag` frames before (the only cells the persistence test in fuse reads). Lags are
settings in seconds, counted in analysed frames on the analysis grid.
"""
from __future__ import annotations

import torch

from .. import kernels
from . import activity, detector
from .detector import Detector, Frames, Output
from .registry import register
from .history import History


def lags_frames(lags_s, rate: float) -> list[int]:
    return [max(1, int(round(s * rate))) for s in lags_s]


@register
class Change(Detector):
    name = "change"
    version = 1

    def __init__(self, stream):
        super().__init__(stream)
        self.f = stream.settings
        self.lags = lags_frames(self.f.persist_lags_s, stream.rate)

    def history_s(self) -> float:
        return (max(self.lags) + 1) / self.stream.rate

    def outputs(self) -> list[Output]:
        g = self.stream.grid
        return ([Output("act", g, "uint8", "sparse"), Output("change", (), "float32")]
                + [Output(f"stick{k}", g, "uint8", "sparse") for k in range(len(self.lags))])

    def start(self):
        return [None] * len(self.lags)       # each lag's newest rows, held back until the stream's end is known

    def run(self, fr: Frames, pending):
        out = {"act": fr.act, "change": fr.cell_sums.flatten(1).sum(1).float() / float(fr.change[0].numel())}
        new = []
        for k, lag in enumerate(self.lags):
            rows = _sticks(fr.luma, fr.index, fr.history, lag, self.f)
            if pending[k] is not None:
                out[f"stick{k}"] = pending[k]
            new.append(rows)
        return out, new

    def meta(self) -> dict:
        return {"lags": self.lags}

    def finish(self, pending, history: History) -> dict:
        out = {}
        for k, lag in enumerate(self.lags):
            if pending[k] is not None:
                pending[k][-1] = _last_stick(history, lag, self.f)
                out[f"stick{k}"] = pending[k]
        return out


def _sticks(y: torch.Tensor, idx: torch.Tensor, hist: History, lag: int, f) -> torch.Tensor:
    """(n, gh, gw) uint8: each frame t of the batch against frame t - lag - 1, on the cells that changed at
    frame t - lag (the only ones the persistence test reads); other cells 0. Frames with many such cells are
    compared whole, the rest cell by cell (the same numbers either way); on a GPU every frame is compared whole
    (`detector.sync_free`: no cells picked on the host)."""
    src = idx - lag
    want = (hist.grid_at(src.clamp(min=0)) > 0) & (src >= 0).view(-1, 1, 1)
    if detector.sync_free(y):
        old = hist.frames.index_select(0, hist.slots(idx - lag - 1))
        grid = activity.cell_count(activity.changed(y, old, f.diff_threshold), f.cell)
        return torch.where(want, grid, torch.zeros_like(grid))
    out = torch.zeros(want.shape, dtype=torch.uint8, device=y.device)
    many = want.flatten(1).float().mean(1) > f.stick_whole_share
    cells = (want & ~many.view(-1, 1, 1)).nonzero()
    if cells.numel():
        i, cy, cx = cells.unbind(1)
        out[i, cy, cx] = activity.block_changes(y, i, hist.frames, hist.slots(idx[i] - lag - 1), cy, cx,
                                                f.cell, f.diff_threshold)
    for i in many.nonzero().flatten().tolist():     # one frame at a time: views, no batch-sized copies
        old = hist.frames[int(hist.slots(idx[i] - lag - 1))]
        grid = activity.share_u8(kernels.change_counts(y[i : i + 1], old.unsqueeze(0), f.diff_threshold, f.cell)[1],
                                 f.cell)[0]
        out[i] = torch.where(want[i], grid, torch.zeros_like(grid))
    return out


def _last_stick(hist: History, lag: int, f) -> torch.Tensor:
    """The stream's last frame against the frame lag + 1 before it, on every cell: the persistence test reads
    it for all the frames whose later frame would lie past the end (zero when frame end - lag changed nothing)."""
    zero = torch.zeros(hist.grids.shape[1:], dtype=torch.uint8, device=hist.frames.device)
    if hist.end - 1 - lag < 0:
        return zero
    last = torch.arange(hist.end - 1, hist.end, device=hist.frames.device)
    n = kernels.change_counts(hist.frame_at(last), hist.frame_at(last - lag - 1), f.diff_threshold, f.cell)[1]
    # once per stream, but no need to read back whether frame end - lag changed anything: mask instead
    return torch.where((hist.grid_at(last - lag) > 0).any(), activity.share_u8(n, f.cell)[0], zero)
