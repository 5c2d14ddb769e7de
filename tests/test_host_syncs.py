"""The features stage on a GPU never makes the host wait per batch: on the CPU, tests/host_syncs.py counts the
calls that would (a value read back, a size that depends on the data, a pageable copy) while the GPU's path runs
on CPU tensors; that path writes the CPU's features byte for byte."""
import numpy as np
import pytest
import torch

import engine
from engine import media, pipeline
from engine.features import extraction, store
from engine.features.detector import Detector, Output
from engine.features.registry import register
from engine.media import decode, nvdec
from host_syncs import count_syncs, counted_batches, gpu_path

NO_MODEL = "features.detectors=[change,caret_heuristic,control,scroll,layout]"


def _pass(path, over):
    cfg = engine.load_config(over)
    info = media.probe(path)
    with count_syncs() as calls:
        raw = extraction.extract(counted_batches(pipeline.decode(info, cfg), calls), info, cfg)
    return raw, calls


def test_the_features_stage_waits_on_the_host_only_for_the_chunk_copy(typing_video):
    raw, calls = _pass(typing_video[0], [NO_MODEL, "features.device_rows_chunk=16", "analysis.prefetch=0",
                                         "analysis.batch=16"])
    assert calls.batches >= 4 and raw.n > 16 * 3
    assert calls.per_batch == [], "host waits per batch:\n" + "\n".join(map(str, calls.per_batch))
    # the declared wait: the store's copy, once per 16 frames (rows and sparse grids alike)
    assert calls.per_chunk and all(at.startswith("engine/features/store.py") for _, at in calls.per_chunk)


def test_the_default_detectors_wait_on_nothing(typing_video):
    """The learned model too: its tiles are fixed slots, its tracking settles in a fixed number of rounds."""
    _, calls = _pass(typing_video[0], ["analysis.prefetch=0", "analysis.batch=16"])
    assert calls.batches >= 4
    assert calls.per_batch == [], "host waits per batch:\n" + "\n".join(map(str, calls.per_batch))
    # model.settle_on_host: the host's way on a GPU too, its waits seen (bench gpu times both)
    _, calls = _pass(typing_video[0], ["analysis.prefetch=0", "analysis.batch=16", "model.settle_on_host=true"])
    assert {at.rsplit(":", 1)[0] for _, at in calls.per_batch} == {"engine/models/screen.py",
                                                                    "engine/models/tiles.py"}


def test_the_model_on_the_gpu_path_decides_as_on_the_cpu(typing_video, tmp_path, caplog):
    """The model's fixed-shape path gives the CPU's caret and pointer (tiles computed in other batches may differ
    in the last float bits) and the same segments.json and camera.json; too few settling rounds are reported."""
    engine.analyze(typing_video[0], output_prefix=tmp_path / "cpu")
    with gpu_path():
        engine.analyze(typing_video[0], output_prefix=tmp_path / "gpu")
    for ext in ("segments.json", "camera.json"):
        assert (tmp_path / f"cpu.{ext}").read_bytes() == (tmp_path / f"gpu.{ext}").read_bytes(), ext
    cpu, gpu = np.load(tmp_path / "cpu.features.npz"), np.load(tmp_path / "gpu.features.npz")
    assert (cpu["caret"][:, 4] > 0).sum() > 10
    for k in ("caret", "pointer"):
        assert np.allclose(cpu[k], gpu[k], atol=1e-3), k
    caplog.set_level("INFO", logger="engine.features.learned")
    with gpu_path():
        engine.analyze(typing_video[0], output_prefix=tmp_path / "few",
                       overrides=["model.settle_rounds=1", "model.settle_steps=1"])
    assert "needed more than model.settle_rounds=1" in caplog.text


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no GPU")
def test_on_a_gpu_torch_sees_no_synchronisation_per_batch(typing_video, monkeypatch):
    """torch's own check on a GPU: any synchronising call while a batch is worked on raises (the decoder's copy
    to the device and the store's chunk copy excepted)."""
    for cls in (store.Rows, store.SparseBuilder):
        def flush(self, flush=cls.flush):
            mode = torch.cuda.get_sync_debug_mode()
            torch.cuda.set_sync_debug_mode(0)
            try:
                flush(self)
            finally:
                torch.cuda.set_sync_debug_mode(mode)
        monkeypatch.setattr(cls, "flush", flush)

    def strict(batches):
        it = iter(batches)
        try:
            while True:
                torch.cuda.set_sync_debug_mode(0)
                try:
                    b = next(it)
                except StopIteration:
                    return
                torch.cuda.set_sync_debug_mode("error")
                yield b
        finally:
            torch.cuda.set_sync_debug_mode(0)

    cfg = engine.load_config(["analysis.device=cuda", "analysis.decoder=pyav", "analysis.prefetch=0",
                              "features.device_rows_chunk=16"])      # the default detectors, the model too
    info = media.probe(typing_video[0])
    raw = extraction.extract(strict(pipeline.decode(info, cfg)), info, cfg)
    assert raw.n > 0


@register
class Peeks(Detector):
    """A detector that reads a value back and picks frames by a mask: both are seen."""
    name = "test_peeks"

    def outputs(self):
        return [Output("peek", (), "float32")]

    def run(self, fr, state):
        bright = fr.luma.mean((1, 2))
        if bright.max().item() > 300:                                  # never, but it asks the device
            bright = bright + 1
        bright[bright > 1e9] = 0.0
        return {"peek": bright}, state


def test_the_counter_sees_a_detector_reading_back(typing_video):
    _, calls = _pass(typing_video[0], ["features.detectors=[change,test_peeks]", "analysis.prefetch=0"])
    seen = {what for what, at in calls.per_batch if at.startswith("tests/test_host_syncs.py")}
    assert seen == {"Tensor.item", "x[mask] = v"}, calls.per_batch
    assert len(calls.per_batch) == 2 * calls.batches


def test_the_gpu_path_writes_the_cpu_s_outputs(typing_video, tmp_path):
    """Every detector but the model, and the fusion's regions: CPU path and the GPU's path on CPU tensors give
    the same features.npz, segments.json and camera.json, byte for byte."""
    over = [NO_MODEL, "features.device_rows_chunk=16"]
    engine.analyze(typing_video[0], output_prefix=tmp_path / "cpu", overrides=over)
    with gpu_path():
        engine.analyze(typing_video[0], output_prefix=tmp_path / "gpu", overrides=over)
    for ext in ("features.npz", "segments.json", "camera.json"):
        assert (tmp_path / f"cpu.{ext}").read_bytes() == (tmp_path / f"gpu.{ext}").read_bytes(), ext


def test_the_gpu_decoders_batching_waits_on_nothing(typing_video):
    """nvdec's per-batch path (planes to analysis luma, the time grid, the batch buffer), fed PyAV's planes."""
    info = engine.media.probe(typing_video[0])
    s = engine.media.DecodeSettings(long_side=240, batch=7, prefetch=0, fps=15, multiple=16, decoder="pyav",
                                    skip_nonref=False)
    planes = [(t, torch.from_numpy(np.ascontiguousarray(y))) for t, y in
              decode._frames(info, 1, 2, True, False, {"decoded": 0})]
    with count_syncs() as calls:
        calls.on = True
        n = sum(b.luma.shape[0] for b in nvdec.batches_from_planes(iter(planes), info, s))
        calls.on = False
    assert n > 0 and calls.per_batch == [], calls.per_batch
