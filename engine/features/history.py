"""The last frames of the stream and their activity grids, addressed by frame index.

A ring of slots, written batch by batch: the detectors that compare a frame with one a lag earlier read the
older frame from here, and nothing is concatenated or copied per batch beyond the new frames themselves.
"""
from __future__ import annotations

import torch


class History:
    def __init__(self, keep: int):
        self.keep = keep          # frames before the newest batch that stay readable (count)
        self.frames: torch.Tensor | None = None
        self.grids: torch.Tensor | None = None
        self.end = 0              # index of the frame after the newest one pushed

    def slots(self, index: torch.Tensor) -> torch.Tensor:
        """Ring slots of frame indices (the frames must be among the readable ones)."""
        return index % self.frames.shape[0]

    def push(self, frames: torch.Tensor, grids: torch.Tensor) -> None:
        """Add a batch of frames and their grids; the `keep` frames before it stay readable."""
        n = frames.shape[0]
        if self.frames is None or self.frames.shape[0] < self.keep + n:
            self._grow(self.keep + n, frames, grids)
        idx = torch.arange(self.end, self.end + n, device=frames.device)
        self.frames.index_copy_(0, self.slots(idx), frames)
        self.grids.index_copy_(0, self.slots(idx), grids)
        self.end += n

    def newest(self) -> torch.Tensor:
        """(1, h, w) a copy of the newest frame pushed (indexed from the host: nothing read back, nothing copied
        from the host)."""
        return self.frames[(self.end - 1) % self.frames.shape[0]].unsqueeze(0).clone()

    def frame_at(self, index: torch.Tensor) -> torch.Tensor:
        return self.frames.index_select(0, self.slots(index))

    def grid_at(self, index: torch.Tensor) -> torch.Tensor:
        return self.grids.index_select(0, self.slots(index))

    def _grow(self, size: int, frames: torch.Tensor, grids: torch.Tensor) -> None:
        old_f, old_g = self.frames, self.grids
        self.frames = frames.new_zeros((size, *frames.shape[1:]))
        self.grids = grids.new_zeros((size, *grids.shape[1:]))
        if old_f is not None:                       # carry the readable frames over to their new slots
            idx = torch.arange(max(0, self.end - self.keep), self.end, device=frames.device)
            src = idx % old_f.shape[0]
            self.frames.index_copy_(0, self.slots(idx), old_f.index_select(0, src))
            self.grids.index_copy_(0, self.slots(idx), old_g.index_select(0, src))
