"""Fused kernels for the features stage's hottest chains of tensor ops, each beside its pure-torch reference.

`change.py` (the change mask and its counts per cell) and `regions.py` (connected regions on the activity grid)
hold the references, what the CPU runs; `change_triton.py` and `regions_triton.py` the Triton kernels giving the
same integers. The functions here pick one per call: Triton when it is installed and the tensors are on CUDA, or when
Triton's interpreter is on (TRITON_INTERPRET=1, which runs kernels on CPU tensors: the tests); the reference
otherwise, so the CPU path's outputs stay byte for byte what they were. Triton is imported on first use only,
never by `import engine`.
"""
from __future__ import annotations

import importlib
import os

import torch

from . import change as _change
from . import regions as _regions

_triton_ok: bool | None = None      # whether `import triton` works (asked once)


def _triton(t: torch.Tensor, module: str):
    """The Triton module for a call on t, or None: use the reference."""
    global _triton_ok
    if not (t.is_cuda or os.environ.get("TRITON_INTERPRET") == "1"):
        return None
    if _triton_ok is None:
        try:
            importlib.import_module("triton")
            _triton_ok = True
        except ImportError:
            _triton_ok = False
    return importlib.import_module(f".{module}", __name__) if _triton_ok else None


def change_counts(y: torch.Tensor, first: torch.Tensor, threshold: float, cell: int
                  ) -> tuple[torch.Tensor, torch.Tensor]:
    """Changed pixels of each frame against the one before ((B, h, w) bool) and their count per cell ((B, gh, gw)
    int64); see `change.change_counts`."""
    fast = _triton(y, "change_triton")
    return (fast or _change).change_counts(y, first, threshold, cell)


def components(mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The set cells of (N, gh, gw) bool ((K, 3) [frame, y, x]) and each one's 8-connected region label (the
    largest row-major cell index in it, int64); see `regions.components`."""
    fast = _triton(mask, "regions_triton")
    return (fast or _regions).components(mask)
