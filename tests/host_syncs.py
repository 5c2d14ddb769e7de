"""Counting, on the CPU, the calls that would make the host wait for a GPU while the features stage runs.

`torch.cuda.set_sync_debug_mode` needs a GPU. Without one, `count_syncs` wraps the torch calls that synchronise
on CUDA (a value read on the host, a result whose size depends on the data, a copy between host and device) and
records each call made while the features stage works on a batch (the decoder's time is left out). Calls made
inside the store's once-per-chunk copy (`Rows.flush`, `SparseBuilder.flush`) are counted apart: they are the
declared synchronisation, once per `features.device_rows_chunk` frames. The run takes the GPU's path on CPU
tensors (`gpu_path`: the store gathers its rows, the detectors work on fixed shapes).

What it cannot see: a wait inside a torch operator that only CUDA has (none of the wrapped calls), and whether a
host-to-device copy is pinned (every `torch.tensor` / `torch.as_tensor` in the hot path counts; the engine copies
host arrays with `detector.to_device`).

    with count_syncs() as calls:
        extraction.extract(counted_batches(batches, calls), info, cfg)
    calls.per_batch   # [(what, "file:line", detector), ...]: must be empty
    calls.per_chunk   # the store's copies
"""
from __future__ import annotations

import contextlib
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import torch

from engine.features import detector, store

ROOT = Path(__file__).resolve().parents[1]
HERE = str(Path(__file__).resolve())
MINE = tuple(str(ROOT / d) + "/" for d in ("engine", "tests", "bench"))     # not torch, not the venv
FLUSHES = {"flush"}                    # store.Rows.flush, store.SparseBuilder.flush: the per-chunk copy


@dataclass
class Calls:
    on: bool = False                   # counting (the features stage works on a batch)
    per_batch: list = field(default_factory=list)
    per_chunk: list = field(default_factory=list)
    batches: int = 0

    def where(self) -> tuple[str, bool]:
        """The innermost frame of this repository making the call ("engine/features/x.py:12"), and whether it
        is inside the store's chunk copy."""
        frames = [f for f in traceback.extract_stack() if f.filename.startswith(MINE)
                  and f.filename != HERE]
        chunk = any(f.filename.endswith("features/store.py") and f.name in FLUSHES for f in frames)
        at = f"{Path(frames[-1].filename).relative_to(ROOT)}:{frames[-1].lineno}" if frames else "?"
        return at, chunk

    def quiet(self, fn, *a, **k):
        """fn called without counting what it calls in turn (one wait per call of the caller's)."""
        self.on = False
        try:
            return fn(*a, **k)
        finally:
            self.on = True

    def record(self, what: str) -> None:
        if not self.on:
            return
        self.on = False                # the bookkeeping below calls no wrapped function, but be sure
        try:
            at, chunk = self.where()
            (self.per_chunk if chunk else self.per_batch).append((what, at))
        finally:
            self.on = True


def _bool_index(idx) -> bool:
    """Whether an index holds a boolean (or uint8) mask: its selection's size depends on the data."""
    items = idx if isinstance(idx, tuple) else (idx,)
    return any(isinstance(i, torch.Tensor) and i.dtype in (torch.bool, torch.uint8) for i in items)


@contextlib.contextmanager
def count_syncs():
    calls = Calls()
    saved: list = []

    def patch(owner, name, wrapper):
        orig = getattr(owner, name)
        saved.append((owner, name, owner.__dict__.get(name)))
        setattr(owner, name, wrapper(orig))

    def always(what):
        def wrap(orig):
            def f(*a, **k):
                if not calls.on:
                    return orig(*a, **k)
                calls.record(what)
                return calls.quiet(orig, *a, **k)
            return f
        return wrap

    def when(what, test):
        def wrap(orig):
            def f(*a, **k):
                if not (calls.on and test(*a, **k)):
                    return orig(*a, **k)
                calls.record(what)
                return calls.quiet(orig, *a, **k)
            return f
        return wrap

    T = torch.Tensor
    # a value read on the host
    for name in ("item", "tolist", "cpu", "numpy", "__bool__", "__int__", "__float__", "__index__", "equal"):
        patch(T, name, always(f"Tensor.{name}"))
    patch(torch, "equal", always("torch.equal"))
    # a result whose size depends on the data (torch.nonzero_static is not: its size is given)
    for name in ("nonzero", "unique", "unique_consecutive", "masked_select", "bincount", "argwhere"):
        patch(T, name, always(f"Tensor.{name}"))
        patch(torch, name, always(f"torch.{name}"))
    patch(torch, "where", when("torch.where(cond)", lambda *a, **k: len(a) + len(k) == 1))
    rep = lambda *a, **k: "output_size" not in k and isinstance(a[1] if len(a) > 1 else k.get("repeats"), torch.Tensor)
    patch(T, "repeat_interleave", when("Tensor.repeat_interleave", rep))
    patch(torch, "repeat_interleave", when("torch.repeat_interleave",
                                           lambda *a, **k: len(a) == 1 or rep(*a, **k)))
    patch(T, "__getitem__", when("x[mask]", lambda self, idx: _bool_index(idx)))
    patch(T, "__setitem__", when("x[mask] = v", lambda self, idx, v: _bool_index(idx)))
    # host data copied to the device (a wait unless pinned and non_blocking)
    patch(torch, "tensor", always("torch.tensor"))
    patch(torch, "as_tensor", always("torch.as_tensor"))
    calls.patches = saved
    try:
        with gpu_path():
            yield calls
    finally:
        for owner, name, orig in reversed(saved):
            if orig is None:               # inherited (a TensorBase slot): drop the wrapper
                delattr(owner, name)
            else:
                setattr(owner, name, orig)


@contextlib.contextmanager
def gpu_path():
    """The features stage takes the GPU's path on CPU tensors: rows wait for the chunk copy, detectors work on
    fixed shapes (`store.gathered`, `detector.sync_free`)."""
    orig = store.gathered, detector.sync_free
    store.gathered = detector.sync_free = lambda t: True
    try:
        yield
    finally:
        store.gathered, detector.sync_free = orig


def counted_batches(batches, calls: Calls):
    """The batches, counting only while the features stage works on one (not while the decoder makes the next,
    nor after the last: `finish` runs once per stream)."""
    it = iter(batches)
    while True:
        calls.on = False
        try:
            b = next(it)
        except StopIteration:
            return
        calls.batches += 1
        calls.on = True
        yield b
