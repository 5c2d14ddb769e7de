"""Where per-frame features accumulate while a recording streams through, without growing with its length:
per-frame rows and the cells of the sparse activity grids wait in temporary files, read back by range or
whole when the stream has ended."""
from __future__ import annotations

import os
import tempfile

import numpy as np
import torch


class Spill:
    """A 1-D array appended to a temporary file and read back by range (os.preadv into a fresh array: nothing
    stays mapped, so reading it all once does not count against the process's memory)."""

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)
        self.file = tempfile.TemporaryFile()
        self.n = 0

    def append(self, values) -> None:
        a = values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else np.asarray(values)
        self.file.write(np.ascontiguousarray(a, dtype=self.dtype).tobytes())
        self.n += a.size

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, sl: slice) -> np.ndarray:
        a, b, _ = sl.indices(self.n)
        out = np.empty(max(0, b - a), self.dtype)
        if b <= a:
            return out
        self.file.flush()
        view, pos = memoryview(out).cast("B"), a * self.dtype.itemsize
        while len(view):
            got = os.preadv(self.file.fileno(), [view], pos)
            if got <= 0:
                raise OSError("temporary feature file ended early")
            view, pos = view[got:], pos + got
        return out

    def chunks(self, rows: int = 1 << 22):
        for a in range(0, self.n, rows):
            yield self[a : a + rows]


def gathered(t: torch.Tensor) -> bool:
    """Whether rows of t wait on their device for one copy per chunk (GPU tensors) or go to the file at once."""
    return t.device.type != "cpu"


class Rows:
    """A numpy array grown along its first axis by appending batches of rows. The rows wait in a temporary
    file until read back whole, so what a recording leaves per frame does not pile up in memory while it
    streams through, and no buffer is grown by doubling.

    Rows on a GPU are gathered there (copies, so a detector may reuse its tensors) and copied to the host once
    per `chunk` rows: no host synchronisation per batch. CPU rows are written as they come; the file holds the
    same bytes either way."""

    def __init__(self, dtype, row_shape: tuple = (), chunk: int = 0):
        self.row_shape = tuple(int(x) for x in row_shape)
        self.spill = Spill(dtype)
        self.n = 0
        self.chunk = int(chunk)
        self.pending: list[torch.Tensor] = []
        self.pending_n = 0

    def append(self, rows) -> None:
        if self.chunk > 0 and isinstance(rows, torch.Tensor) and gathered(rows):
            self.pending.append(rows.detach().clone())
            self.pending_n += len(rows)
            self.n += len(rows)
            if self.pending_n >= self.chunk:
                self.flush()
            return
        self.flush()
        self.spill.append(rows)                       # written flat, in C order
        self.n += len(rows)

    def flush(self) -> None:
        """The rows gathered on the device, to the file in one copy."""
        if self.pending:
            self.spill.append(torch.cat(self.pending))
            self.pending, self.pending_n = [], 0

    def array(self) -> np.ndarray:
        self.flush()
        return self.spill[:].reshape(self.n, *self.row_shape)


class SparseGrids:
    """(N, gh, gw) uint8 grids stored by their non-zero cells (compressed rows: ptr, idx, val); idx and val
    are arrays (loaded from a file) or Spills (while a recording is analysed)."""

    def __init__(self, shape: tuple[int, int], ptr: np.ndarray, idx: np.ndarray, val: np.ndarray):
        self.shape = (int(shape[0]), int(shape[1]))
        self.ptr, self.idx, self.val = ptr, idx, val

    @property
    def n(self) -> int:
        return len(self.ptr) - 1

    def dense(self, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Frames [lo, hi) as a dense (hi - lo, gh, gw) uint8 array."""
        hi = self.n if hi is None else min(hi, self.n)
        lo = max(0, min(lo, hi))
        out = np.zeros((hi - lo, self.shape[0] * self.shape[1]), dtype=np.uint8)
        a, b = self.ptr[lo], self.ptr[hi]
        rows = np.repeat(np.arange(hi - lo), np.diff(self.ptr[lo : hi + 1]))
        out[rows, self.idx[a:b]] = self.val[a:b]
        return out.reshape(hi - lo, *self.shape)

    def frame(self, i: int) -> np.ndarray:
        return self.dense(i, i + 1)[0]

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        return {f"{name}_ptr": self.ptr, f"{name}_idx": self.idx, f"{name}_val": self.val,
                f"{name}_shape": np.array(self.shape, dtype=np.int64)}

    @classmethod
    def from_arrays(cls, z, name: str) -> "SparseGrids":
        return cls(tuple(z[f"{name}_shape"]), z[f"{name}_ptr"], z[f"{name}_idx"], z[f"{name}_val"])

    def __eq__(self, other) -> bool:
        return (isinstance(other, SparseGrids) and self.shape == other.shape and np.array_equal(self.ptr, other.ptr)
                and np.array_equal(self.idx[:], other.idx[:]) and np.array_equal(self.val[:], other.val[:]))


class SparseBuilder:
    """Collects (B, gh, gw) uint8 grid batches (any device) into a SparseGrids. Grids on a GPU are gathered there
    and reduced to their non-zero cells once per `chunk` frames (`nonzero` waits for the device); CPU grids at
    once. The cells come out the same either way."""

    def __init__(self, chunk: int = 0):
        self.shape = None
        self.counts = Rows(np.int64)
        self.idx = Spill(np.int32)
        self.val = Spill(np.uint8)
        self.chunk = int(chunk)
        self.pending: list[torch.Tensor] = []
        self.pending_n = 0

    @property
    def n(self) -> int:
        return self.counts.n + self.pending_n

    def append(self, grids: torch.Tensor) -> None:
        self.shape = tuple(grids.shape[1:])
        if self.chunk > 0 and gathered(grids):
            self.pending.append(grids.detach().clone())
            self.pending_n += grids.shape[0]
            if self.pending_n >= self.chunk:
                self.flush()
            return
        self.flush()
        self._cells(grids)

    def flush(self) -> None:
        if self.pending:
            grids = torch.cat(self.pending)
            self.pending, self.pending_n = [], 0
            self._cells(grids)

    def _cells(self, grids: torch.Tensor) -> None:
        b = grids.shape[0]
        flat = grids.reshape(b, -1)
        nz = flat.nonzero()                                   # row-major: frames in order, cells ascending
        self.counts.append(torch.bincount(nz[:, 0], minlength=b))
        self.idx.append(nz[:, 1].to(torch.int32))
        self.val.append(flat[nz[:, 0], nz[:, 1]])

    def build(self) -> SparseGrids:
        self.flush()
        ptr = np.concatenate([[0], np.cumsum(self.counts.array())]).astype(np.int64)
        return SparseGrids(self.shape, ptr, self.idx, self.val)
