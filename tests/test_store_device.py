"""Per-frame rows gathered on the device and copied to the host once per chunk give the same arrays, byte for
byte, as rows written every batch; the detectors' outputs on each device (CUDA skipped without a GPU)."""
import numpy as np
import pytest
import torch

import engine
from engine.features import store

DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no GPU"))]


def _feed(device, chunk, monkeypatch, gather_cpu):
    if gather_cpu:                                   # the GPU's gathering path, run on CPU tensors
        monkeypatch.setattr(store, "gathered", lambda t: True)
    rng = np.random.default_rng(3)
    rows, grids, idx = store.Rows(np.float32, (2,), chunk), store.SparseBuilder(chunk), store.Rows(np.int64, (), chunk)
    buf = torch.zeros((5, 2), device=device)
    for b in (5, 1, 7, 4, 9):
        vals = torch.from_numpy(rng.random((b, 2), dtype=np.float32)).to(device)
        if b > len(buf):
            buf = torch.zeros((b, 2), device=device)
        buf[:b] = vals
        rows.append(buf[:b])                          # a view the "detector" overwrites next batch
        g = torch.from_numpy((rng.random((b, 3, 4)) < 0.3).astype(np.uint8) * 200).to(device)
        grids.append(g)
        idx.append(torch.arange(b, device=device))
        buf.fill_(-1)
    assert rows.n == 26 and grids.n == 26
    s = grids.build()
    return rows.array(), s.ptr, s.idx[:], s.val[:], idx.array()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("chunk", [1, 3, 256])
def test_rows_gathered_per_chunk_equal_rows_written_per_batch(device, chunk, monkeypatch):
    want = _feed(device, 0, monkeypatch, False)
    got = _feed(device, chunk, monkeypatch, device == "cpu")
    for a, b in zip(got, want):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("device", DEVICES)
def test_detectors_write_the_same_features_on_every_device(typing_video, device, monkeypatch, tmp_path):
    """Features of the typing clip on this device equal the CPU's; on the CPU, gathering rows as on a GPU
    changes no byte of them."""
    over = ["features.detectors=[change,caret_heuristic,scroll,layout]"]
    from engine.pipeline import extract_features
    ref = extract_features(typing_video[0], engine.load_config(over))
    if device == "cpu":
        monkeypatch.setattr(store, "gathered", lambda t: True)
    got = extract_features(typing_video[0], engine.load_config(over + [f"analysis.device={device}",
                                                                        "analysis.decoder=pyav"]))
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    ref.save(a)
    got.save(b)
    assert a.read_bytes() == b.read_bytes()
