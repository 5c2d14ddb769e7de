"""The NVDEC decoder, checked without a GPU: its sampling, grid, rotation and batching are the CPU path's (fed
PyAV's full-size planes on CPU tensors), its times are the stream's, and the registry picks it only where it
can run (here: never; `analysis.decoder=nvdec` is a one-line config error)."""
import subprocess

import numpy as np
import pytest
import torch

import engine
from engine.errors import ConfigError
from engine.media import decode, decoders, nvdec
from engine.media.luma import LumaWriter


def _numpy_luma(y: np.ndarray, factor: int, multiple: int, turn: int) -> np.ndarray:
    """What decode.py does with a full-size plane: np.rot90 upright, strided rows, LumaWriter."""
    if turn:
        y = np.rot90(y, turn)
    rows = y[::factor, : (y.shape[1] // factor) * factor]
    w = LumaWriter(rows.shape, factor, multiple)
    out = np.empty(w.shape, np.float32)
    w.write(rows, out)
    return out


@pytest.mark.parametrize("factor", [1, 2, 3, 4, 5, 8])
@pytest.mark.parametrize("turn", [0, -1, -2, -3])
def test_device_sampling_equals_luma_py_exactly(factor, turn):
    rng = np.random.default_rng(factor * 10 - turn)
    for h, w, multiple in [(37, 53, 1), (64, 48, 8), (101, 77, 16), (9, 31, 4), (1, 1, 1)]:
        y = rng.integers(0, 256, (h, w), dtype=np.uint8)
        y[:, ::7] = 255                                       # thin bars, as carets
        if min(h, w) < factor:
            continue
        want = _numpy_luma(y, factor, multiple, turn)
        got = nvdec.analysis_luma(torch.from_numpy(y), factor, multiple, turn)
        assert got.dtype == torch.float32 and tuple(got.shape) == want.shape
        assert np.array_equal(got.numpy(), want), (h, w, factor, multiple, turn)
        # a batch of planes gives each plane's result
        both = nvdec.analysis_luma(torch.from_numpy(np.stack([y, y[::-1].copy()])), factor, multiple, turn)
        assert np.array_equal(both[1].numpy(), _numpy_luma(y[::-1].copy(), factor, multiple, turn))


def _pyav_planes(info):
    """Every frame's full-size Y plane as PyAV decodes it (as decode_luma's own fast-decode options)."""
    return [(t, torch.from_numpy(np.ascontiguousarray(y))) for t, y in
            decode._frames(info, 1, 2, True, False, {"decoded": 0})]


def _batches(source, info, s):
    out = list(source)
    return (np.concatenate([b.times for b in out]), torch.cat([b.luma for b in out]).numpy(),
            [b.index0 for b in out], out[0].rate)


@pytest.mark.parametrize("fps", [15, 0, 10])
def test_planes_to_batches_equal_the_pyav_decoder(typing_video, fps):
    """Full planes through nvdec's batching (grid, held frames, padding, batch boundaries) give the PyAV
    decoder's batches exactly when PyAV too decodes every frame. (With skip_nonref, PyAV shows the frame before
    a skipped one at a grid time that falls on it: 22 of this clip's 90 grid frames; NVDEC decodes them all.)"""
    info = engine.media.probe(typing_video[0])
    s = engine.media.DecodeSettings(long_side=240, batch=7, prefetch=0, fps=fps, multiple=16, decoder="pyav",
                                    skip_nonref=False)
    want = _batches(decode.decode_luma(info, s), info, s)
    got = _batches(nvdec.batches_from_planes(_pyav_planes(info), info, s), info, s)
    np.testing.assert_array_equal(got[0], want[0])
    assert np.array_equal(got[1], want[1]) and got[2:] == want[2:]


def test_a_rotated_recording_is_turned_upright_as_the_cpu_path_does(typing_video, tmp_path):
    import imageio_ffmpeg

    rotated = tmp_path / "rotated.mp4"        # -display_rotation needs ffmpeg 6: imageio-ffmpeg's, whatever is on PATH
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-display_rotation", "90", "-i", str(typing_video[0]),
                    "-c", "copy", str(rotated)], check=True)
    info = engine.media.probe(rotated)
    assert info.rotation in (90, 270)
    s = engine.media.DecodeSettings(long_side=240, batch=8, prefetch=2, fps=15, multiple=8, decoder="pyav",
                                    skip_nonref=False)
    want = _batches(decode.decode_luma(info, s), info, s)
    got = _batches(nvdec.batches_from_planes(_pyav_planes(info), info, s), info, s)
    assert got[1].shape[1] < got[1].shape[2]                  # a portrait clip shown landscape
    np.testing.assert_array_equal(got[0], want[0])
    assert np.array_equal(got[1], want[1])


def test_stream_times_are_the_decoded_frames_times(typing_video, vfr_video):
    for path in (typing_video[0], vfr_video[0]):
        info = engine.media.probe(path)
        times, pix = nvdec.stream_times(info)
        assert pix == "yuv420p"
        assert times == [t for t, _ in decode._frames(info, 8, 2, True, False, {"decoded": 0})]


def test_repeated_times_move_on_a_millisecond():
    assert nvdec.normalised([5.0, 5.1, 5.1, 5.0, 5.3]) == pytest.approx([0.0, 0.1, 0.101, 0.102, 0.3])


def test_without_the_library_auto_picks_pyav_and_nvdec_is_refused(monkeypatch):
    monkeypatch.setattr(nvdec, "_lib", None)
    monkeypatch.setattr(nvdec, "_lib_error", "PyNvVideoCodec cannot be imported: ImportError: libnvcuvid.so.1")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)     # even with a GPU
    assert decoders.PREFERENCE[0] == "nvdec" and "nvdec" in decoders.names()
    assert type(decoders.get("auto", "cuda")).name == "pyav"
    assert type(decoders.get("auto", "cpu")).name == "pyav"
    with pytest.raises(ConfigError, match="nvdec.*libnvcuvid.*screendirector\\[cuda\\]"):
        decoders.get("nvdec", "cuda")
    with pytest.raises(ConfigError, match="analysis.device=cuda"):
        decoders.get("nvdec", "cpu")


def test_with_the_library_auto_picks_nvdec_on_cuda_only(monkeypatch):
    monkeypatch.setattr(nvdec, "_lib", object())
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert type(decoders.get("auto", "cuda:0")).name == "nvdec"
    assert type(decoders.get("auto", "cpu")).name == "pyav"


def test_the_real_import_is_reported_not_raised():
    ok = nvdec.library() is not None
    assert ok or nvdec._lib_error.startswith("PyNvVideoCodec cannot be imported")
    assert decoders.get("auto", "cpu").name == "pyav"


def test_nvdec_on_the_command_line_without_a_gpu_is_a_one_line_error(run_cli, typing_video, tmp_path):
    if torch.cuda.is_available() and nvdec.library() is not None:
        pytest.skip("this machine can run nvdec")
    r = run_cli("analyze", str(typing_video[0]), "-o", str(tmp_path / "x"), "analysis.decoder=nvdec",
                "analysis.device=cuda")
    assert r.returncode == ConfigError.exit_code
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "nvdec" in lines[0], r.stderr


@pytest.mark.skipif(not torch.cuda.is_available() or nvdec.library() is None, reason="needs a GPU and PyNvVideoCodec")
def test_nvdec_decodes_on_the_gpu_like_pyav(typing_video):
    """On a GPU machine: the same grid times; luma close to PyAV's decoding every frame with the loop filter
    (as NVDEC does)."""
    info = engine.media.probe(typing_video[0])
    s = engine.media.DecodeSettings(long_side=240, batch=8, prefetch=2, fps=15, multiple=8, device="cuda",
                                    decoder="nvdec")
    got = list(decoders.get("nvdec", "cuda").batches(info, s))
    assert got[0].luma.is_cuda
    want = list(decode.decode_luma(info, engine.media.DecodeSettings(long_side=240, batch=8, prefetch=0, fps=15,
                                                                      multiple=8, fast=False,
                                                                      skip_nonref=False)))
    assert np.array_equal(np.concatenate([b.times for b in got]), np.concatenate([b.times for b in want]))
    diff = (torch.cat([b.luma.cpu() for b in got]) - torch.cat([b.luma for b in want])).abs()
    assert float(diff.mean()) < 1.0
