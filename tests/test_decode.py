"""Decoding at a lower analysis rate: frames on the stream's clock, and skipping non-reference frames
changes nothing but the time it takes."""
import numpy as np
import pytest

import engine
from media_files import small_clip


def _decoded(path, **kw):
    info = engine.media.probe(path)
    s = engine.media.DecodeSettings(long_side=240, batch=8, prefetch=0, **kw)
    batches = list(engine.media.decode_luma(info, s))
    times = np.concatenate([b.times for b in batches])
    luma = np.concatenate([b.luma.numpy() for b in batches])
    return times, luma, batches[0].rate


@pytest.mark.parametrize("pyramid", [True, False], ids=["refs-every-2nd", "refs-every-4th"])
def test_half_rate_grid_takes_every_other_frame_whatever_the_gop(tmp_path, pyramid):
    path, meta = small_clip(tmp_path / "b.mp4", seconds=3.0, bframes=3, b_pyramid=pyramid)
    t_all, y_all, rate_all = _decoded(path)
    t_skip, y_skip, rate = _decoded(path, fps=15)
    t_full, y_full, _ = _decoded(path, fps=15, skip_nonref=False)
    assert rate_all == 30 and rate == 15
    assert len(t_all) == meta["frames"]
    # the grid's times, 0, 1/15, 2/15, ...; the frames shown then: every other frame of the stream
    np.testing.assert_allclose(t_skip, np.arange(len(t_skip)) / 15, atol=1e-9)
    np.testing.assert_array_equal(y_skip, y_all[::2][: len(y_skip)])
    # skipping what nothing references (or, with references only every 4th frame, not skipping) changes nothing
    np.testing.assert_array_equal(t_skip, t_full)
    np.testing.assert_array_equal(y_skip, y_full)


def test_the_grid_holds_a_frame_over_gaps_and_drops_frames_between_grid_times(tmp_path):
    """A variable-rate stream (frames at 0, 0.1, 0.4, 0.45, 0.5 s) on a 10 fps grid: at each grid time the
    latest frame shown by then."""
    from fractions import Fraction

    from media_files import gray_writer
    pts_ms = [0, 100, 400, 450, 500]
    with gray_writer(tmp_path / "vfr.mp4", 64, 64, time_base=Fraction(1, 1000)) as enc:
        for k, ms in enumerate(pts_ms):
            enc.write_gray(np.full((64, 64), 30 + 40 * k, np.uint8), pts=ms)
    t, y, rate = _decoded(tmp_path / "vfr.mp4", fps=10)
    assert rate == 10
    np.testing.assert_allclose(t, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5], atol=1e-9)
    shown = [int(round((v - 30) / 40)) for v in y[:, 10, 10]]
    assert shown == [0, 1, 1, 1, 2, 4]


def test_lower_analysis_rate_still_directs_the_typing(typing_video, tmp_path):
    typing_video, _ = typing_video
    res = engine.analyze(typing_video, output_prefix=tmp_path / "t", overrides=["analysis.fps=15"])
    assert res.features.meta["fps"] == 15
    np.testing.assert_allclose(res.features.times, np.arange(res.features.raw.n) / 15, atol=1e-9)
    assert any(s.mode == "hold" for s in res.timeline.segments)
    assert len(res.camera.frames) == len(engine.analyze(typing_video, write=False).camera.frames)


@pytest.mark.parametrize("long_side", [960, 480, 320, 240, 120], ids=lambda s: f"long{s}")
def test_analysis_luma_is_strided_rows_and_two_column_samples_padded_with_the_edge(tmp_path, long_side):
    """Whatever the factor (1, 2, 3, 4, 8 here), the luma is rows 0, f, 2f, ... of the Y plane, each column
    the mean of samples f // 2 apart, padded right and bottom by repeating the edge to whole cells."""
    import av

    path, _ = small_clip(tmp_path / "s.mp4", seconds=0.5)
    info = engine.media.probe(path)
    f = engine.media.analysis_factor(info.width, info.height, long_side)
    got = np.concatenate([b.luma.numpy() for b in engine.media.decode_luma(
        info, engine.media.DecodeSettings(long_side=long_side, batch=4, prefetch=3, fast=False, multiple=8))])
    with av.open(str(path)) as c:
        planes = [fr.to_ndarray()[: fr.height].astype(np.float32) for fr in c.decode(video=0)]   # the Y plane
    assert len(planes) == len(got)
    for y, g in zip(planes, got):
        rows = y[::f, : (y.shape[1] // f) * f]
        ref = (rows[:, 0::f] + rows[:, f // 2::f]) / 2 if f > 1 else rows
        h, w = ref.shape
        assert g.shape == (-(-h // 8) * 8, -(-w // 8) * 8)
        np.testing.assert_array_equal(g[:h, :w], ref)
        np.testing.assert_array_equal(g[:h, w:], np.repeat(ref[:, -1:], g.shape[1] - w, axis=1))
        np.testing.assert_array_equal(g[h:], np.repeat(g[h - 1 : h], g.shape[0] - h, axis=0))



@pytest.mark.parametrize("turn,shown", [("transpose=1", "90"), ("transpose=2", "-90")], ids=["rot90", "rot270"])
def test_a_phone_recording_stored_landscape_with_a_display_rotation_is_analysed_upright(typing_video, tmp_path,
                                                                                       turn, shown):
    """Phones store portrait video landscape with a display matrix; players (and our render) show it upright,
    so the analysis must too: the same shots and windows as the upright original, in the upright frame."""
    import subprocess

    import imageio_ffmpeg
    src, _ = typing_video
    ff = imageio_ffmpeg.get_ffmpeg_exe()    # -display_rotation needs ffmpeg 6 or later (Debian 12's is 5.1)
    landscape = tmp_path / "stored_landscape.mp4"
    rotated = tmp_path / "rotated.mp4"
    # turn the pixels a quarter (stored 960x540; lossless, so orientation is the only difference), then tag
    # the stream to be shown a quarter back
    subprocess.run([ff, "-v", "error", "-i", str(src), "-vf", turn, "-c:v", "libx264", "-qp", "0",
                    "-pix_fmt", "yuv420p", str(landscape)], check=True)
    subprocess.run([ff, "-v", "error", "-display_rotation", shown, "-i", str(landscape), "-c", "copy",
                    str(rotated)], check=True)
    info = engine.media.probe(rotated)
    assert (info.width, info.height) == (960, 540) and info.display_size == (540, 960)
    upright = engine.analyze(src, write=False)
    turned = engine.analyze(rotated, write=False)
    assert (turned.camera.width, turned.camera.height) == (540, 960)
    a, b = upright.camera.frames[:, 1:5], turned.camera.frames[:, 1:5]
    assert len(a) == len(b) and a[:, 2].min() < 0.7 * 540, "the upright original should push in on its typing"
    assert np.abs(a - b).max() <= 1.0, "windows more than 1 px apart"
    sa, sb = upright.timeline.segments, turned.timeline.segments
    assert [s.mode for s in sa] == [s.mode for s in sb]
    assert max(abs(x.t0 - y.t0) for x, y in zip(sa, sb)) <= 0.05
