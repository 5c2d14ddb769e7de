"""The EDL (segments.json) is the camera's only input: re-planning it reproduces camera.json, an edited shot is
followed exactly (a moved window, a full-frame shot, the render), the camera never moves inside a hold, and a
malformed EDL is refused on one line with its exit code."""
from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from test_bad_input import check_error
from test_motion import render

from engine.config import load_config
from engine.director.timeline import Timeline
from engine.errors import BadSegments
from engine.pipeline import plan_segments
from bench.motion import read_gray

FAST = "render.preset=veryfast"


@pytest.fixture(scope="module")
def edl(typing_video_landscape, tmp_path_factory, run_cli):
    """(prefix, segments dict) of `analyze` on the 960x540 desktop clip (a click, two typing bursts)."""
    prefix = tmp_path_factory.mktemp("edl") / "rec"
    r = run_cli("analyze", typing_video_landscape[0], "-o", prefix, "-q")
    assert r.returncode == 0, r.stderr
    return prefix, json.loads(prefix.with_suffix(".segments.json").read_text())


def _write(d: dict, path):
    path.write_text(json.dumps(d))
    return path


def _longest_hold(d: dict) -> int:
    holds = [k for k, s in enumerate(d["segments"]) if s["mode"] == "hold"]
    assert holds, "the clip has no hold"
    return max(holds, key=lambda k: d["segments"][k]["t1"] - d["segments"][k]["t0"])


def _hold_shifted(d: dict, by: float) -> tuple[int, float, dict]:
    """(index of the longest hold, the shift applied, a copy of the EDL with that hold's window moved `by` px
    across: right if it stays in the frame, else left)."""
    k = _longest_hold(d)
    x, y, w, h = d["segments"][k]["roi"]
    n = by if x + w + by <= d["width"] else -by
    moved = copy.deepcopy(d)
    moved["segments"][k]["roi"] = [x + n, y, w, h]
    return k, n, moved


def _window_at(track, t: float) -> np.ndarray:
    return track.frames[int(np.argmin(np.abs(track.frames[:, 0] - t))), 1:5]


def test_replanning_the_unedited_edl_gives_the_same_camera(edl, tmp_path, run_cli):
    prefix, d = edl
    assert d["version"] == 2 and d["output"] == {"width": 960, "height": 540, "fps": 30.0} and d["source_fps"] == 30
    r = run_cli("plan", prefix.with_suffix(".segments.json"), "-o", tmp_path / "again", "-q")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "again.camera.json").read_bytes() == prefix.with_suffix(".camera.json").read_bytes()


def test_the_camera_never_moves_inside_a_hold(edl):
    prefix, d = edl
    f = np.array(json.loads(prefix.with_suffix(".camera.json").read_text())["frames"])
    for s in d["segments"]:
        if s["mode"] == "hold":
            inside = f[(f[:, 0] >= s["t0"] - 1e-6) & (f[:, 0] <= s["t1"] + 1e-6), 1:5]
            assert len(inside) and np.abs(np.diff(inside, axis=0)).max(initial=0) < 0.1, s


def test_a_moved_window_moves_the_camera_by_as_much(edl, tmp_path):
    prefix, d = edl
    cfg = load_config()
    k, n, moved = _hold_shifted(d, 24.0)
    s = d["segments"][k]
    _, before, _ = plan_segments(prefix.with_suffix(".segments.json"), cfg)
    _, after, _ = plan_segments(_write(moved, tmp_path / "moved.segments.json"), cfg)
    mid = (s["t0"] + s["t1"]) / 2
    np.testing.assert_allclose(_window_at(after, mid) - _window_at(before, mid), [n, 0, 0, 0], atol=0.01)
    early = d["segments"][k - 2]["t1"] / 2 if k >= 2 else 0.0          # before that shot's focus_in: unchanged
    np.testing.assert_allclose(_window_at(after, early), _window_at(before, early), atol=0.01)


def test_a_shot_set_to_the_full_frame_shows_the_full_frame(edl, tmp_path):
    prefix, d = edl
    k = _longest_hold(d)
    full = copy.deepcopy(d)
    full["segments"][k]["roi"] = [0, 0, d["width"], d["height"]]
    _, track, _ = plan_segments(_write(full, tmp_path / "full.segments.json"), load_config())
    s = d["segments"][k]
    np.testing.assert_allclose(_window_at(track, (s["t0"] + s["t1"]) / 2), [0, 0, d["width"], d["height"]], atol=0.01)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255.0 ** 2 / max(np.mean((a - b) ** 2), 1e-9)))


def test_the_render_of_an_edited_edl_follows_it(edl, typing_video_landscape, tmp_path, run_cli):
    prefix, d = edl
    src = typing_video_landscape[0]
    k, _, moved = _hold_shifted(d, 48.0)
    s = d["segments"][k]
    path = _write(moved, tmp_path / "moved.segments.json")
    out = tmp_path / "moved.mp4"
    r = run_cli("render", src, "--segments", path, "-o", out, FAST, "-q")
    assert r.returncode == 0, r.stderr
    _, track, _ = plan_segments(path, load_config())
    _, unedited, _ = plan_segments(prefix.with_suffix(".segments.json"), load_config())
    mid = int(np.argmin(np.abs(track.frames[:, 0] - (s["t0"] + s["t1"]) / 2)))
    frames = [mid - 5, mid, mid + 5]
    source, rendered = read_gray(src, mid + 6), read_gray(out, mid + 6)
    for j in frames:
        want = render(source[j], *track.frames[j, 1:5], 960, 540)
        old = render(source[j], *unedited.frames[j, 1:5], 960, 540)
        assert _psnr(rendered[j], want) >= 30, f"frame {j} does not show the edited window"
        assert _psnr(rendered[j], want) > _psnr(rendered[j], old) + 3, f"frame {j} still shows the old window"


@pytest.mark.parametrize("edit, names", [
    (lambda d: d.update(version=1), ("version 1",)),
    (lambda d: d["segments"][1].update(mode="zoom"), ("segment 1", "mode")),
    (lambda d: d["segments"][1].update(roi=[0, 0, 5000, 10]), ("segment 1", "roi")),
    (lambda d: d["segments"][1].update(t0=d["segments"][1]["t0"] + 0.01), ("segment 1", "tile")),
    (lambda d: d["segments"][0].pop("roi"), ("segment 0", "roi")),
    (lambda d: [s.pop("settle_s", None) for s in d["segments"]], ("settle_s",)),
    (lambda d: d.pop("output"), ("output",)),
])
def test_a_malformed_edl_is_refused_naming_what_is_wrong(edl, tmp_path, edit, names):
    _, d = edl
    bad = copy.deepcopy(d)
    edit(bad)
    with pytest.raises(BadSegments) as e:
        plan_segments(_write(bad, tmp_path / "bad.segments.json"), load_config())
    assert "\n" not in str(e.value) and all(n in str(e.value) for n in names), str(e.value)


def test_a_bad_edl_gives_one_line_and_its_exit_code(edl, tmp_path, run_cli):
    (tmp_path / "broken.segments.json").write_text("{not json")
    r = run_cli("plan", tmp_path / "broken.segments.json", "-o", tmp_path / "x")
    check_error(r, BadSegments.exit_code, "broken.segments.json")
    _, d = edl
    still = copy.deepcopy(d)                   # a hold whose window differs from the focus_in's and no ramp
    k = next(k for k, s in enumerate(still["segments"]) if s["mode"] == "hold")
    still["segments"].insert(k + 1, dict(still["segments"][k], t0=still["segments"][k]["t1"], roi=[0, 0, 100, 56.25]))
    r = run_cli("plan", _write(still, tmp_path / "still.segments.json"), "-o", tmp_path / "x")
    check_error(r, BadSegments.exit_code, f"segment {k + 1}")
    assert not list(tmp_path.glob("x*"))


def test_timeline_round_trips_through_its_dict(edl):
    _, d = edl
    shots = {k: v for k, v in d.items() if k != "made_by"}     # provenance is stamped on writing, not read back
    assert Timeline.from_dict(d).to_dict() == shots
