"""What the camera does with what the detectors see: the frame rate changes nothing, the mouse pointer is never
typing, typing moved on by Tab is followed, the on-screen keyboard is never the subject."""
from __future__ import annotations

import numpy as np
import pytest

import engine
from engine.synth import scripts
from engine.synth.params import Style

from conftest import make_clip
from views import inside, window_at, zoom_at


def typing_focus(truth) -> list[tuple[float, list]]:
    """(t, box) of the truth's focus samples inside typing events."""
    typing = [e for e in truth["events"] if e["kind"] == "typing"]
    return [(f["t"], f["bbox"]) for f in truth["focus"]
            if f["bbox"] is not None and any(e["t0"] <= f["t"] <= e["t1"] for e in typing)]


def covered(result, samples) -> float:
    return float(np.mean([inside(box, window_at(result, t)) >= 0.9 for t, box in samples]))


@pytest.fixture(scope="module")
def retimed(clip_dir):
    """The same phone typing (scripts.typing, seed 1) captured at 30, 10 and 60 fps and as a GIF (a frame only
    when the picture changes, resampled to 30 fps: runs of repeated frames)."""
    out = {}
    for name, style in (("30", Style(size=(540, 960))), ("10", Style(size=(540, 960), fps=10)),
                        ("60", Style(size=(540, 960), fps=60)),
                        ("gif", Style(size=(540, 960), capture="gif", gif_out="cfr"))):
        out[name] = make_clip(clip_dir, f"retimed_{name}", seed=1, form="phone", app="notes", seconds=6, noise=0,
                              script=scripts.typing, style=style)
    return out


def test_the_frame_rate_does_not_change_the_directing(retimed):
    results = {k: engine.analyze(str(p)) for k, (p, _) in retimed.items()}
    samples = typing_focus(retimed["30"][1])
    base = results["30"]
    assert covered(base, samples) >= 0.9
    zoom = lambda r: float(np.mean([zoom_at(r, t) for t, _ in samples]))
    assert zoom(base) > 1.3
    for name, r in results.items():
        assert r.features.meta["fps"] == 15                  # the same analysis grid whatever the capture
        assert abs(covered(r, samples) - covered(base, samples)) <= 0.05, name
        assert abs(zoom(r) - zoom(base)) <= 0.1 * zoom(base), name


@pytest.fixture(scope="module")
def form_video(clip_dir):
    """A 960x540 web form: the pointer wanders and rests for about 4 s, then a click into the first field, typing,
    Tab, typing in the next field (scripts.form)."""
    return make_clip(clip_dir, "form", seed=2, form="desktop", app="form", seconds=9, noise=0,
                     script=scripts.form, style=Style(size=(960, 540)))


def test_the_pointer_moving_or_resting_never_pulls_the_camera_in(form_video):
    path, truth = form_video
    r = engine.analyze(str(path))
    first = min(e["t0"] for e in truth["events"] if e["kind"] == "typing")
    assert first > 2.5
    early = np.arange(0.0, first - 0.5, 0.1)
    assert max(zoom_at(r, t) for t in early) < 1.1


def test_typing_moved_on_by_tab_is_followed(form_video):
    path, truth = form_video
    r = engine.analyze(str(path))
    second = sorted((e for e in truth["events"] if e["kind"] == "typing"), key=lambda e: e["t0"])[-1]
    samples = [(f["t"], f["bbox"]) for f in truth["focus"] if second["t0"] + 0.8 <= f["t"] <= second["t1"]]
    assert samples and covered(r, samples) >= 0.9
    assert zoom_at(r, second["t1"] - 0.2) > 1.3


def test_the_keyboard_is_never_the_subject(typing_video):
    path, truth = typing_video
    r = engine.analyze(str(path))
    keyboard = next(e["bbox"] for e in truth["events"] if e["kind"] == "ambient" and "keyboard" in e.get("name", ""))
    for t in np.arange(0.0, truth["duration"], 0.1):
        x, y, w, h = window_at(r, t)
        assert inside([x + w / 2 - 1, y + h / 2 - 1, 2, 2], keyboard) == 0, t      # its centre is never on the keys
    assert covered(r, typing_focus(truth)) >= 0.9


def test_a_closing_popup_ends_its_visit(popup_video):
    path, truth = popup_video
    r = engine.analyze(str(path))
    popup = next(e for e in truth["events"] if e["kind"] == "popup")
    assert inside(popup["bbox"], window_at(r, popup["t0"] + 0.8)) >= 0.9
    after = [e for e in truth["events"] if e["kind"] == "typing" and e["t0"] > popup["t1"]][0]
    assert covered(r, [(t, after["bbox"]) for t in np.arange(after["t0"] + 0.6, after["t1"], 0.1)]) >= 0.9


@pytest.mark.parametrize("fps", [30, 10])
def test_a_notification_sliding_in_is_visited_whatever_the_frame_rate(clip_dir, fps):
    """A 10 fps capture has only 10 pictures a second: a banner sliding in changes in every one of them, which
    is as fast as that source can change, and must still read as an animation to visit, not as keys."""
    path, truth = make_clip(clip_dir, f"notification_{fps}", seed=3, form="phone", app="notes", seconds=8, noise=0,
                            script=scripts.notification, style=Style(size=(540, 960), fps=fps))
    r = engine.analyze(str(path))
    note = next(e for e in truth["events"] if e["kind"] == "notification")
    seen = [inside(note["bbox"], window_at(r, t)) >= 0.9 for t in np.arange(note["t0"] + 0.6, note["t1"], 0.1)]
    assert np.mean(seen) >= 0.8, f"{fps} fps: the notification was framed {np.mean(seen):.0%} of its time"


def test_typing_on_a_line_that_keeps_changing_is_still_followed(clip_dir):
    """A short line typed, erased and typed again (a chat input between sends): its cells change over and over
    and count as ambient for most of the clip, like a clock's. The caret carried forward along the line is
    typing all the same, and the camera pushes in on it (a spinner's arc goes nowhere)."""
    path, truth = make_clip(clip_dir, "retype", seed=4, form="phone", app="chat", seconds=9, noise=0,
                            script=scripts.retype, style=Style(size=(540, 960)))
    r = engine.analyze(str(path))
    assert r.features.ambient_share.max() > 0.6, "the test no longer makes the line ambient: change the script"
    samples = [(t, box) for t, box in typing_focus(truth) if t >= 1.5]
    assert covered(r, samples) >= 0.9
    assert np.mean([zoom_at(r, t) for t, _ in samples]) > 1.3, "the typing was never pushed in on"
