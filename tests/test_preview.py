"""`screendirector preview`: the recording with what was detected drawn on it | the directed video, and a timeline
PNG. Checked on the pixels a user sees: the left half is the recording with the camera's window drawn where
camera.json puts it, the right half is the video `render` makes from that camera.json; an earlier run's outputs
(--from) give the same preview; bad input is refused on one line with its exit code."""
from __future__ import annotations

import json
from functools import partial

import av
import numpy as np
import pytest
from conftest import PORTRAIT, make_clip
from test_bad_input import check_error

from engine.synth import scripts

FAST = "render.preset=ultrafast"
GREEN = np.array([0, 255, 0])          # configs/preview: colors.window
BAND = 0.008                           # configs/preview: window_line (share of the preview's height)


def frames_at(path, wanted) -> dict[int, np.ndarray]:
    """Frame index -> (h, w, 3) uint8 RGB, decoding only as far as the last wanted frame."""
    out, last = {}, max(wanted)
    with av.open(str(path)) as c:
        for i, f in enumerate(c.decode(video=0)):
            if i in wanted:
                out[i] = f.to_ndarray(format="rgb24")
            if i >= last:
                break
    return out


def count_frames(path) -> tuple[int, tuple[int, int]]:
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        return sum(1 for p in c.demux(v) if p.size), (v.codec_context.width, v.codec_context.height)


@pytest.fixture(scope="module")
def previewed(tmp_path_factory, run_cli):
    """A 4 s phone typing clip (540x960): preview analysing it, the directed video `render` makes from the same
    camera.json, and preview again from the first run's outputs."""
    d = tmp_path_factory.mktemp("preview")
    src, _ = make_clip(d, "rec", seed=1, form="phone", app="notes", seconds=4, noise=0,
                       script=partial(scripts.typing, start=0.2, pause=0.5), style=PORTRAIT)
    r = run_cli("preview", src, "-o", d / "pv.mp4", "-q")
    assert r.returncode == 0, r.stderr
    r2 = run_cli("render", src, "--camera", d / "pv.camera.json", "-o", d / "directed.mp4", FAST, "-q")
    assert r2.returncode == 0, r2.stderr
    r3 = run_cli("preview", src, "--from", d / "pv", "-o", d / "again.mp4", "-q")
    assert r3.returncode == 0, r3.stderr
    return src, d


def test_preview_writes_the_video_timeline_and_analysis(previewed):
    src, d = previewed
    for name in ("pv.mp4", "pv.timeline.png", "pv.segments.json", "pv.camera.json", "pv.features.npz"):
        assert (d / name).is_file(), name
    assert not (d / "again.segments.json").exists()      # --from analyses nothing
    cam = json.loads((d / "pv.camera.json").read_text())
    n, size = count_frames(d / "pv.mp4")
    assert n == len(cam["frames"])
    assert size == (540 + 540, 960)                        # the recording | the directed video, each 960 high
    from PIL import Image
    with Image.open(d / "pv.timeline.png") as im:
        assert im.format == "PNG" and im.size == (1200, 700)
        px = np.asarray(im.convert("RGB"))
    assert len(np.unique(px.reshape(-1, 3), axis=0)) > 20  # drawn on, not blank
    assert not list(d.glob(".*tmp*"))                      # nothing left under a temporary name


def _window_band(row, scale: float, band: int):
    """Preview pixel bounds of the window's outline: (left, top, right, bottom) of its outer edge."""
    _, x, y, w, h, _ = row
    return [int(round(v * scale)) for v in (x, y, x + w, y + h)]


def test_left_half_is_the_recording_with_the_window_where_camera_json_says(previewed):
    src, d = previewed
    cam = json.loads((d / "pv.camera.json").read_text())
    rows = np.array(cam["frames"])
    ks = [0, int(np.argmin(rows[:, 3])), len(rows) // 2]    # wide, the tightest window, the middle
    got = frames_at(d / "pv.mp4", set(ks))
    raw = frames_at(src, set(ks))                          # a 30 fps source: camera frame k is source frame k
    band = round(BAND * 960)
    for k in ks:
        left = got[k][:, :540].astype(int)
        a, b, c, e = _window_band(rows[k], 540 / cam["width"], band)
        inner = band // 2                                  # the middle of the band, clear of its blurred edges
        samples = [left[b + inner, a + band:c - band:7], left[e - 1 - inner, a + band:c - band:7],
                   left[b + band:e - band:7, a + inner], left[b + band:e - band:7, c - 1 - inner]]
        for side in samples:
            assert len(side) > 3
            assert np.abs(side - GREEN).max(axis=1).mean() < 40, (k, rows[k], side[:5])
        # elsewhere: the recording itself (the drawn boxes and the label cover only a little of it)
        diff = np.abs(left - raw[k].astype(int)).max(axis=2)
        assert (diff < 24).mean() > 0.85, (k, (diff < 24).mean())
        assert (np.abs(raw[k].astype(int) - GREEN).max(axis=2) < 40).mean() < 0.001   # the green is drawn


def test_right_half_is_the_directed_video(previewed):
    src, d = previewed
    n, _ = count_frames(d / "directed.mp4")
    ks = {0, n // 3, n // 2, n - 1}
    got, want = frames_at(d / "pv.mp4", ks), frames_at(d / "directed.mp4", ks)
    for k in ks:
        diff = np.abs(got[k][:, 540:].astype(int) - want[k].astype(int))
        assert diff.mean() < 3.0, (k, diff.mean())


def test_preview_from_an_earlier_run_is_the_same(previewed):
    src, d = previewed
    ks = {0, 30, 90}
    a, b = frames_at(d / "pv.mp4", ks), frames_at(d / "again.mp4", ks)
    for k in ks:
        assert np.abs(a[k].astype(int) - b[k].astype(int)).mean() < 0.5


def test_preview_refuses_bad_input_on_one_line(previewed, run_cli, tmp_path):
    src, d = previewed
    check_error(run_cli("preview", src, "--from", tmp_path / "nothing", "-o", tmp_path / "x.mp4"), 3, "nothing")
    check_error(run_cli("preview", src, "--from", d / "pv", "-o", d / "pv.mp4"), 13, "pv.mp4")
    check_error(run_cli("preview", tmp_path / "missing.mp4", "-o", tmp_path / "y.mp4"), 3, "missing.mp4")
    check_error(run_cli("preview", src, "--from", d / "pv", "-o", tmp_path / "z.mp4", "preview.bogus=1"), 9, "bogus")
    assert not list(tmp_path.glob("*.mp4")) and not list(tmp_path.glob("*.png"))
