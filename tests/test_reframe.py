"""Reframing any source to any output (issue 12): a subject wider than the output's window inside the frame is
fitted with padding, not cut; the render shows the padding and follows the track; look=tilt-follow's per-frame
tilt is rendered in the same single run; composition snapping centres a near-centre window exactly."""
from __future__ import annotations

import json
from functools import partial

import numpy as np
import pytest
from conftest import make_clip

from bench.motion import read_gray
from engine.config import load_config
from engine.director import framing
from engine.render.looks import view_to_source
from engine.synth import scripts
from engine.synth.params import Style

FAST = "render.preset=veryfast"
LONG = "the quick brown fox jumps over the lazy dog"    # a line wider than a 9:16 window of a 16:9 frame shows
BLACK_Y = 16.0                                          # black's luma in limited-range yuv420p


@pytest.fixture(scope="module")
def long_line(clip_dir):
    """(path, truth) of a 960x540 desktop editor: a click, then a long line typed in two bursts."""
    return make_clip(clip_dir, "long_line", seed=1, form="desktop", app="editor", seconds=11, noise=0,
                     script=partial(scripts.typing, start=0.3, pause=0.3, words=(LONG, " and the cat naps")),
                     style=Style(size=(960, 540)))


def _sample(src: np.ndarray, row: np.ndarray, view: tuple[int, int]) -> np.ndarray:
    """The frame a camera row [t, x, y, w, h, tilt] shows, by bilinear sampling of the source padded with black:
    each output pixel's centre mapped to the source by the track's projection (looks.view_to_source)."""
    ow, oh = view
    gy, gx = np.mgrid[0:oh, 0:ow]
    pts = np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float64)
    s = view_to_source(row[None, :], view, pts)[0]
    m = int(np.ceil(max(0.0, -s.min(), s[:, 0].max() - src.shape[1], s[:, 1].max() - src.shape[0]))) + 2
    pad = np.pad(src, m, constant_values=BLACK_Y)
    x, y = s[:, 0] + m, s[:, 1] + m
    x0 = np.clip(np.floor(x).astype(int), 0, pad.shape[1] - 2)
    y0 = np.clip(np.floor(y).astype(int), 0, pad.shape[0] - 2)
    fx, fy = np.clip(x - x0, 0, 1), np.clip(y - y0, 0, 1)
    top = pad[y0, x0] * (1 - fx) + pad[y0, x0 + 1] * fx
    bottom = pad[y0 + 1, x0] * (1 - fx) + pad[y0 + 1, x0 + 1] * fx
    return (top * (1 - fy) + bottom * fy).reshape(oh, ow)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255.0 ** 2 / max(np.mean((a - b) ** 2), 1e-9)))


def _window_at(frames: np.ndarray, t: float) -> np.ndarray:
    return frames[int(np.argmin(np.abs(frames[:, 0] - t))), 1:5]


def test_snapping_makes_a_near_centre_window_exactly_centred():
    W, H = 1920.0, 1080.0
    box = [900.0, 480.0, 150.0, 100.0]                   # centre (975, 530): 15 px right and 10 px up of the middle
    free = framing.fit(box, W, H, W / H, 0.45, 20, 20)
    snapped = framing.fit(box, W, H, W / H, 0.45, 20, 20, snap_tol=0.01)
    assert abs(free[0] + free[2] / 2 - W / 2) > 10                        # without snapping: where the box is
    assert snapped[0] + snapped[2] / 2 == W / 2 and snapped[1] + snapped[3] / 2 == H / 2
    assert snapped[2:] == free[2:]
    far = [1100.0, 250.0, 150.0, 100.0]                  # 200 px off the centre both ways, off the thirds too
    assert framing.fit(far, W, H, W / H, 0.45, 20, 20, snap_tol=0.01) == framing.fit(far, W, H, W / H, 0.45, 20, 20)


@pytest.fixture(scope="module")
def reframed(long_line, tmp_path_factory, run_cli):
    """(prefix, camera frames) of `analyze` of the long line to 9:16, padded with black."""
    prefix = tmp_path_factory.mktemp("reframe") / "rec"
    r = run_cli("analyze", long_line[0], "-o", prefix, "-q", "output.size=540x960", "output.pad=color",
                "output.pad_color=black")
    assert r.returncode == 0, r.stderr
    return prefix, np.array(json.loads(prefix.with_suffix(".camera.json").read_text())["frames"])


def test_a_desktop_clip_reframed_to_9_16_keeps_the_typed_line_whole(long_line, reframed, tmp_path, run_cli):
    _, truth = long_line
    prefix, frames = reframed
    # the typed line (from its first glyph to the caret) lies across the window while it is being typed, though
    # with the director's padding (0.06 of 540 px each side) it is wider than the 304 px a 9:16 window inside the
    # 960x540 frame could show
    typed = [c for c in truth["caret"] if c["key"] not in ("click", "focus") and c["line"][2] + 2 * 32.4 > 304]
    assert len(typed) >= 5
    def shown(c) -> float:                               # share of the line's width inside the window
        w = _window_at(frames, c["t"])
        x0, x1 = c["line"][0], c["line"][0] + c["line"][2]
        return max(0.0, min(x1, w[0] + w[2]) - max(x0, w[0])) / (x1 - x0)
    # the director moves on once less than director.need_inside (0.97) of the line is in frame
    assert min(shown(c) for c in typed) >= 0.95, [round(shown(c), 3) for c in typed]
    assert frames[:, 4].max() > 540 and np.all(frames[:, 3] / frames[:, 4] == pytest.approx(540 / 960, rel=1e-3))
    # the render shows the window, padding and all, and the plan re-made from segments.json is the same camera
    out = tmp_path / "r.mp4"
    r = run_cli("render", long_line[0], "--camera", prefix.with_suffix(".camera.json"), "-o", out, FAST, "-q",
                "output.pad=color", "output.pad_color=black")
    assert r.returncode == 0, r.stderr
    j = int(np.argmax(frames[:, 4]))                     # the tallest window: padded above and below
    j = min(j + 3, len(frames) - 1)
    source, rendered = read_gray(long_line[0], j + 1)[j], read_gray(out, j + 1)[j]
    assert _psnr(rendered, _sample(source, frames[j], (540, 960))) >= 30
    rows = int(-frames[j, 2] / frames[j, 4] * 960) - 4  # output rows above the frame's top edge
    assert rows > 8 and np.abs(rendered[:rows] - BLACK_Y).mean() < 2, "no padding above the frame"
    r = run_cli("plan", prefix.with_suffix(".segments.json"), "-o", tmp_path / "again", "-q", "output.pad=color")
    assert r.returncode == 0, r.stderr
    again = np.array(json.loads((tmp_path / "again.camera.json").read_text())["frames"])
    assert np.abs(again - frames).max() <= 0.01


def test_without_padding_the_window_stays_in_the_frame(long_line, tmp_path, run_cli):
    r = run_cli("analyze", long_line[0], "-o", tmp_path / "c", "-q", "output.size=540x960", "output.pad=none")
    assert r.returncode == 0, r.stderr
    f = np.array(json.loads((tmp_path / "c.camera.json").read_text())["frames"])
    assert f[:, 1].min() >= -0.01 and f[:, 2].min() >= -0.01 and (f[:, 2] + f[:, 4]).max() <= 540.01


def test_tilt_follow_leans_in_flattens_and_its_render_matches_the_track(long_line, tmp_path, run_cli):
    prefix = tmp_path / "t"
    r = run_cli("analyze", long_line[0], "-o", prefix, "-q", "look=tilt-follow", "output.pad=color",
                "output.pad_color=black")
    assert r.returncode == 0, r.stderr
    frames = np.array(json.loads(prefix.with_suffix(".camera.json").read_text())["frames"])
    segs = json.loads(prefix.with_suffix(".segments.json").read_text())["segments"]
    tilt = frames[:, 5]
    cfg = load_config(["look=tilt-follow"])
    assert tilt[0] == 0 and 0.9 * cfg.look.focus_deg <= np.abs(tilt).max() <= cfg.look.focus_deg + 1e-6
    hold = next(s for s in segs if s["mode"] == "hold" and s["t1"] - s["t0"] > 0.5)
    inside = tilt[(frames[:, 0] >= hold["t0"]) & (frames[:, 0] <= hold["t1"])]
    assert np.abs(inside[-1]) < np.abs(inside[0]), "the tilt does not flatten during the hold"
    out = tmp_path / "t.mp4"
    r = run_cli("render", long_line[0], "--camera", prefix.with_suffix(".camera.json"), "-o", out, FAST, "-q",
                "output.pad=color", "output.pad_color=black")
    assert r.returncode == 0, r.stderr
    order = np.argsort(-np.abs(tilt))
    picks = [int(order[0]), int(order[len(order) // 8])]
    source, rendered = read_gray(long_line[0], max(picks) + 1), read_gray(out, max(picks) + 1)
    for j in picks:
        want = _sample(source[j], frames[j], (960, 540))
        flat = _sample(source[j], np.r_[frames[j, :5], 0.0], (960, 540))
        assert _psnr(rendered[j], want) >= 30, f"frame {j} (tilt {tilt[j]:.2f}) does not match its track"
        assert _psnr(rendered[j], want) > _psnr(rendered[j], flat) + 1, f"frame {j} is not tilted"


def test_a_release_may_overshoot_and_settles_exactly_on_its_target():
    from engine.camera.planner import plan
    from engine.director.timeline import Segment, Timeline
    small, medium = [400.0, 200.0, 320.0, 180.0], [160.0, 90.0, 640.0, 360.0]
    tl = Timeline(video="v.mp4", width=960, height=540, fps=15.0, duration=3.0, out_aspect=16 / 9,
                  segments=[Segment(0.0, 1.0, "hold", small, ""), Segment(1.0, 1.6, "release", medium, "", 0.6),
                            Segment(1.6, 3.0, "wide", medium, "")], output=(960, 540, 30.0))
    plain_track = plan(tl, load_config()).frames
    over = plan(tl, load_config(["camera.release_overshoot=0.1"])).frames
    during = (over[:, 0] > 1.0) & (over[:, 0] < 1.6)
    assert plain_track[during, 3].max() <= 640 + 1e-9                 # without: never past the target
    assert over[during, 3].max() == pytest.approx(640 * 2 ** 0.1, rel=1e-3)   # 10% past it, in log size
    after = over[over[:, 0] >= 1.6, 1:5]
    assert np.abs(after - medium).max() < 1e-6                         # at rest on the target when the wide starts
