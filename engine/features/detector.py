"""The detector interface: what a detector is handed, what it gives back, and the registry of them by name.

A detector is a small object registered by name (`@register`). The features stage hands every detector the
same `Frames` (a batch of analysis luma on its device, with times, the change mask and activity grid computed
once, and the shared ring of recent frames), together with the detector's own carried state. The detector
returns the per-frame tensors it declared (`outputs`), on the batch's device, in source pixels where they are
positions; it may hold rows back until a later batch or `finish` (a value that needs a future frame), as long
as it returns them in frame order.
It states how much history it needs in seconds; the stage keeps that many frames readable.

Output storage kinds: "dense" (one row per frame), "sparse" (per-frame grids that are mostly zero, kept by
their non-zero cells), "sampled" (rows for some frames only; the detector returns (frame indices, rows)).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import torch

from .. import kernels
from . import activity
from .history import History


@dataclass(frozen=True)
class Output:
    name: str            # key in features.npz and in RawFeatures (unique across the detectors run)
    shape: tuple         # shape of one frame's value
    dtype: str           # numpy dtype name of the stored value
    store: str = "dense"  # dense | sparse | sampled


@dataclass(frozen=True)
class Stream:
    """What every detector knows of the recording when it starts."""
    width: int           # source frame as displayed (px)
    height: int
    factor: int          # source px per analysis px
    h: int               # analysis frame, padded to whole cells (px)
    w: int
    cell: int            # side of an activity-grid cell (analysis px)
    rate: float          # analysed frames per second
    device: torch.device
    settings: object     # the `features` config section as plain values
    model: dict = field(default_factory=dict)   # the `model` config section (the learned detector's settings)

    @property
    def grid(self) -> tuple[int, int]:
        return self.h // self.cell, self.w // self.cell

    def frames_for(self, seconds: float) -> int:
        """A span of time in whole analysed frames (at least 1)."""
        return max(1, int(round(seconds * self.rate)))


@dataclass
class Frames:
    """One batch as every detector sees it. The change against the previous frame and its activity grid are
    computed once here; `history` holds this batch and the frames before it that detectors asked for."""
    luma: torch.Tensor           # (B, h, w) float32 0..255
    times: np.ndarray            # (B,) float64 s
    index0: int                  # stream index of the first frame
    history: History
    threshold: float             # luma change that counts (levels)
    cell: int
    prev: torch.Tensor | None = field(default=None, repr=False)    # (1, h, w) the frame before the batch (None: first)
    outputs: dict = field(default_factory=dict, repr=False)       # this batch's rows from the detectors run so far

    @property
    def n(self) -> int:
        return int(self.luma.shape[0])

    @cached_property
    def index(self) -> torch.Tensor:
        return torch.arange(self.index0, self.index0 + self.n, device=self.luma.device)

    @cached_property
    def before(self) -> torch.Tensor:
        """(B, h, w) the frame before each frame of the batch (the stream's first frame: itself)."""
        y = self.luma
        return torch.cat([self.prev if self.prev is not None else y[:1], y[:-1]])

    @cached_property
    def _changed(self) -> tuple[torch.Tensor, torch.Tensor]:
        # the mask and its counts per cell in one call (one pass on the GPU: engine/kernels)
        y = self.luma
        return kernels.change_counts(y, self.prev if self.prev is not None else y[:1], self.threshold, self.cell)

    @property
    def change(self) -> torch.Tensor:
        """(B, h, w) bool: pixels that moved by more than the threshold since the frame before (the first
        frame of the stream against itself: nothing)."""
        return self._changed[0]

    @property
    def cell_sums(self) -> torch.Tensor:
        """(B, gh, gw) int64 count of changed pixels per cell."""
        return self._changed[1]

    @cached_property
    def act(self) -> torch.Tensor:
        """(B, gh, gw) uint8 share of each cell changed (x255)."""
        return activity.share_u8(self.cell_sums, self.cell)


def sync_free(t: torch.Tensor) -> bool:
    """Whether work on t must not make the host wait (a GPU: a value read back to decide, or a result whose size
    depends on the data, stalls every batch). There detectors work on fixed shapes (every frame, every band) and
    mask; on the CPU they take host-decided shortcuts (only the frames, cells and bands that changed), which save
    work there. Both give the same numbers (tests/test_host_syncs.py runs this path on CPU tensors)."""
    return t.device.type != "cpu"


def to_device(a: np.ndarray, device: torch.device) -> torch.Tensor:
    """A host array on `device` without waiting for it: pinned and copied asynchronously to a GPU (a copy from
    ordinary memory waits for the device), as is on the CPU."""
    t = torch.from_numpy(np.ascontiguousarray(a))
    if torch.device(device).type == "cuda":
        return t.pin_memory().to(device, non_blocking=True)
    return t.to(device)


class Detector:
    """Base class: override `outputs` and `run`; `start`, `finish` and `history_s` when needed."""
    name = "?"
    version = 1           # bump when what it writes changes: saved features of another version are refused
    needs: tuple = ()     # outputs of detectors listed before it that it reads from `Frames.outputs`

    def __init__(self, stream: Stream):
        self.stream = stream

    def history_s(self) -> float:
        """Seconds of frames before each batch this detector reads from `Frames.history`."""
        return 0.0

    def outputs(self) -> list[Output]:
        raise NotImplementedError

    def start(self):
        """The carried state at the stream's start."""
        return None

    def run(self, frames: Frames, state) -> tuple[dict, object]:
        """({output name: rows}, new state) for this batch."""
        raise NotImplementedError

    def finish(self, state, history: History) -> dict:
        """Rows held back until the stream's end is known (`history`: the stream's last frames)."""
        return {}

    def meta(self) -> dict:
        """What later stages need to read this detector's outputs (written into the features' meta)."""
        return {}
