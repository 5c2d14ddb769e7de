"""Recordings made by other people (../shared/real), scored with the shared scorer: typing that the change
detector can hardly see (a phone notes editor whose line is busy with mention lists, a chat whose input line is
ambient for most of the clip) is found from the caret and pushed in on."""
from __future__ import annotations

import importlib.util
import json

import pytest

import engine
from views import zooms


@pytest.fixture(scope="module")
def real(corpus_dir, tmp_path_factory):
    d = corpus_dir.parent / "real"
    if not d.is_dir():
        pytest.skip("../shared/real is not here")
    spec = importlib.util.spec_from_file_location("shared_score", corpus_dir.parent / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("real")
    done: dict = {}

    def score(name):
        """(the shared scorer's figures, camera.json, truth.json) of the clip analysed with the defaults (once
        per module: several tests look at the same clip)."""
        if name not in done:
            r = engine.analyze(str(d / f"{name}.mp4"), output_prefix=out / name)
            truth = json.loads((d / f"{name}.truth.json").read_text())
            cam = json.loads(r.outputs["camera"].read_text())
            done[name] = (mod.score(truth, cam), cam, truth)
        return done[name]
    return score


def test_phone_notes_typing_is_pushed_in_on(real):
    s, _, _ = real("08_phone_ios_notes_mentions")       # before: never zoomed (zoom_typing 1.0)
    assert s["zoom_typing"] >= 1.3, s
    assert s["coverage"] >= 0.9, s
    assert s["jumps"] == 0 and s["chase_s"] == 0, s


def test_chat_typing_on_a_busy_line_is_followed(real):
    s, _, _ = real("10_phone_android_jetchat")          # before: coverage 0.738
    assert s["coverage"] >= 0.9, s
    assert s["zoom_typing"] >= 1.5, s
    assert s["jumps"] == 0 and s["chase_s"] == 0, s


def test_terminal_typing_after_command_output_is_pushed_in_on(real):
    """Command output that fills the terminal is visited nearly whole; the long command typed on the next
    prompt is then pushed in on, not left at that nearly wide shot (before: zoom 1.05 through it)."""
    s, cam, truth = real("01_zoxide_terminal")
    assert s["coverage"] >= 0.95 and s["jumps"] == 0, s
    longest = max((e for e in truth["events"] if e["kind"] == "typing"), key=lambda e: e["keys"])
    zs = zooms(cam, longest["t0"] + 0.5, longest["t1"])
    assert zs and sum(zs) / len(zs) >= 1.25, sum(zs) / len(zs)


def test_a_scrollbar_flickering_at_the_edge_does_not_release_the_camera(real):
    """In the editor, the overview ruler at the right edge redraws while a completion list opens at the typing:
    two changes far apart, not one as wide as the frame (before: the camera went wide for 7 s of typing)."""
    s, cam, truth = real("04_vscode_yaml_editor")
    assert s["coverage"] >= 0.95 and s["jumps"] == 0, s
    first = min((e for e in truth["events"] if e["kind"] == "typing"), key=lambda e: e["t0"])
    zs = zooms(cam, first["t0"] + 3, first["t1"])
    assert zs and min(zs) >= 1.2, min(zs)


def test_erasing_key_by_key_is_typing(real):
    """In the editor at 47 s a word is erased with backspace on a line the blinking caret made ambient: the
    caret stepping back along its line is typing, and is pushed in on (before: left at a popup's window, 1.69x)."""
    s, cam, truth = real("04_vscode_yaml_editor")
    erased = next(e for e in truth["events"] if e["kind"] == "typing" and 46.5 <= e["t0"] <= 47.5)
    zs = zooms(cam, erased["t0"] + 0.5, erased["t1"])
    assert zs and sum(zs) / len(zs) >= 2.0, sum(zs) / len(zs)


def test_closing_a_popup_too_brief_to_be_seen_is_nothing_new(real):
    """In the notes clip a mention list is up for half a second (9.3-9.8 s), too brief for its opening to
    persist; its closing puts the note back as it was and is not a popup to visit (before: the camera went
    wide at 9.4 s for the rest of the typing)."""
    s, cam, truth = real("08_phone_ios_notes_mentions")
    zs = zooms(cam, 9.5, 10.0)
    assert zs and min(zs) >= 1.5, min(zs)


def test_a_short_command_typed_just_before_a_picker_opens_is_pushed_in_on(real):
    """In the terminal at 33.8 s a two-letter command is typed and the picker it opens covers the screen 0.9 s
    later: the keys before the picker's fringe span a third of a second, and are typing (before: never zoomed,
    1.02x)."""
    s, cam, truth = real("01_zoxide_terminal")
    short = next(e for e in truth["events"] if e["kind"] == "typing" and 33.5 <= e["t0"] <= 34.0)
    zs = zooms(cam, short["t0"] + 0.3, short["t1"])
    assert zs and sum(zs) / len(zs) >= 1.5, sum(zs) / len(zs)
