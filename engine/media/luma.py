"""From a decoded frame's Y plane to analysis luma: rows taken with a stride, each column the mean of two
samples half a factor apart (a thin vertical caret survives: a 2 px bar always lands on one of them), written
straight into the batch's buffer, padded on the right and bottom (edge repeated) to a whole multiple."""
from __future__ import annotations

import numpy as np

# a group of `factor` bytes read as one little-endian word: its first and middle bytes are the two samples
_WORDS = {2: np.dtype("<u2"), 4: np.dtype("<u4"), 8: np.dtype("<u8")}


def y_rows(frame, factor: int) -> np.ndarray:
    """The frame's Y plane, every `factor`-th row, whole groups of `factor` columns (a view, no copy)."""
    p = frame.planes[0]
    h, w = frame.height, frame.width
    return np.frombuffer(p, np.uint8).reshape(-1, p.line_size)[:h:factor, : (w // factor) * factor]


def padded(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


class LumaWriter:
    """Converts strided Y rows of one size into (h, w) float32 luma (0..255) slots of a batch buffer."""

    def __init__(self, rows_shape: tuple[int, int], factor: int, multiple: int = 1):
        self.factor = factor
        self.h, self.w = rows_shape[0], rows_shape[1] // factor
        self.shape = (padded(self.h, multiple), padded(self.w, multiple))
        word = _WORDS.get(factor)
        self.word = word
        if word is not None:       # scratch for the word arithmetic: no allocation per frame
            self.lo = np.empty((self.h, self.w), word)
            self.hi = np.empty((self.h, self.w), word) if factor == 2 else None
            shift = 8 * (factor // 2)
            self.shift = word.type(shift)
            self.mask = word.type(0xFF | (0xFF << shift))       # the two sample bytes, in place
            self.fold = word.type(1 + (1 << shift))             # times this: their sum lands at `shift`

    def write(self, rows: np.ndarray, out: np.ndarray) -> None:
        """rows: (h, w * factor) uint8 strided rows; out: (H, W) float32 slot of the padded shape."""
        h, w, f = self.h, self.w, self.factor
        dst = out[:h, :w]
        if f == 1:
            dst[...] = rows
        elif self.word is not None and rows.strides[1] == 1:
            v = rows.view(self.word)                                  # contiguous passes, not strided byte reads
            if f == 2:                                                # no room above the sum in 16 bits
                np.bitwise_and(v, 0xFF, out=self.lo)
                np.right_shift(v, self.shift, out=self.hi)
                np.add(self.lo, self.hi, out=self.lo)
            else:                                                     # a + b < 2^shift: no carry, no overflow
                np.bitwise_and(v, self.mask, out=self.lo)
                np.multiply(self.lo, self.fold, out=self.lo)
                np.right_shift(self.lo, self.shift, out=self.lo)
            dst[...] = self.lo
            dst *= np.float32(0.5)
        else:
            np.add(rows[:, 0::f], rows[:, f // 2::f], out=dst, dtype=np.float32)
            dst *= np.float32(0.5)
        if out.shape[1] > w:
            out[:h, w:] = out[:h, w - 1 : w]
        if out.shape[0] > h:
            out[h:] = out[h - 1 : h]
