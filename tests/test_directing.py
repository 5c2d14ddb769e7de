"""What a user sees: the camera follows the typing, visits the popup, stays wide on ambient noise. The clips are
scripted engine.synth recordings (conftest.py); their truth is in the corpus format."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

import engine
from engine.synth.labels import load as load_labels

from conftest import make_clip
from engine.synth.params import Style
from views import inside, window_at, zoom_at


def events(truth, kind):
    return [e for e in truth["events"] if e["kind"] == kind]


def acceptance_clip(tmp_path, row: int, seed: int | None = None):
    """(path, truth) of one row of the acceptance recipe (engine/synth/recipes.py), drawn from its own seed or
    from `seed` (the same row with other text, layouts and timings)."""
    from engine.synth.recipes import ACCEPTANCE_SEED, acceptance
    acceptance(tmp_path, rows=[row], labels=False, seed=ACCEPTANCE_SEED if seed is None else seed)
    (path,) = tmp_path.glob(f"A{row:02d}_*.mp4")
    return path, json.loads(path.with_suffix(".truth.json").read_text())


@pytest.fixture(scope="module")
def typing_result(typing_video):
    return engine.analyze(str(typing_video[0]))


def test_camera_pushes_in_on_typing_and_keeps_it_in_frame(typing_result, typing_video):
    bursts = events(typing_video[1], "typing")
    assert len(bursts) == 2
    for burst in bursts:
        ts = np.arange(burst["t0"] + 0.9, burst["t1"], 0.1)     # after the push-in has settled
        assert len(ts)
        for t in ts:
            assert zoom_at(typing_result, t) > 1.15, f"not zoomed in while typing at {t:.1f} s"
            assert inside(burst["bbox"], window_at(typing_result, t)) >= 0.9, f"typing out of frame at {t:.1f} s"


def test_no_zoom_before_the_first_key(typing_result, typing_video):
    first = min(b["t0"] for b in events(typing_video[1], "typing"))
    assert first >= 1.0
    for t in np.arange(0.0, first - 0.6, 1 / 30):             # a blinking idle caret is not activity; moving
        assert zoom_at(typing_result, t) <= 1.15, f"zoomed in on an idle caret at {t:.1f} s"  # early is fine


def test_a_caret_blinking_before_the_first_key_does_not_start_the_push_in(tmp_path):
    """A terminal whose caret blinks for 1.8 s before the first command is typed: the caret seen blinking is where
    typing will start, but nothing has happened yet; the push-in starts when it is first seen, not lead_s
    before (before: zoomed in 0.6 s ahead of the first key, chase 0.13 s; A09 of the acceptance set 0.25 s)."""
    from engine.synth.scenario import type_text

    def idle_then_type(app):
        yield 1.8
        yield from type_text(app, app.term, "ls -la")
        yield 1e6

    path, truth = make_clip(tmp_path, "term", seed=1, form="desktop", app="terminal", seconds=5, noise=0,
                            script=idle_then_type, style=Style(size=(960, 540), blink=True))
    r = engine.analyze(str(path))
    (burst,) = events(truth, "typing")
    assert burst["t0"] >= 1.8
    for t in np.arange(0.0, burst["t0"] - 0.5, 1 / 30):     # the scorer's chase: zoomed in > 0.5 s early
        assert zoom_at(r, t) <= 1.15, f"zoomed in at {t:.2f} s, before anything happened"
    assert min(zoom_at(r, t) for t in np.arange(burst["t0"] + 0.3, burst["t1"], 0.1)) > 2.0


def test_popup_is_framed_within_a_second(popup_video):
    path, truth = popup_video
    r = engine.analyze(str(path))
    (p,) = events(truth, "popup")
    hits = [t for t in np.arange(p["t0"], p["t1"], 1 / 30) if inside(p["bbox"], window_at(r, t)) >= 0.9]
    assert hits, "the popup never came into frame"
    assert hits[0] - p["t0"] <= 1.0
    modes = [s.mode for s in r.timeline.segments if s.t0 >= p["t0"] - 0.5]
    assert modes, "no cut at the popup"
    # typing resumes afterwards: the camera goes back to it
    last = events(truth, "typing")[-1]
    t = last["t1"] - 0.1
    assert inside(last["bbox"], window_at(r, t)) >= 0.9


def test_ambient_only_never_zooms(ambient_video):
    assert {e["kind"] for e in ambient_video[1]["events"]} == {"ambient"}
    r = engine.analyze(str(ambient_video[0]))
    assert float(r.camera.zoom().max()) <= 1.01, "a clock, spinner or idle caret moved the camera"
    assert all(s.mode == "wide" for s in r.timeline.segments)


def test_scrolling_stays_wide(scroll_video):
    assert len(events(scroll_video[1], "scroll")) == 2
    r = engine.analyze(str(scroll_video[0]))
    assert float(r.camera.zoom().max()) <= 1.15


@pytest.mark.parametrize("seed, row", [(9000, 3), (9500, 21)])
def test_a_cleared_terminal_is_shown_whole(tmp_path, seed, row):
    """A terminal cleared after some commands: what changed is the text that went, but what there is to see is
    the whole terminal. Row 3 of the acceptance recipe (before: the camera stopped at 85% of it); row 21 drawn
    from seed 9500, a terminal filling half the screen whose blank pane was too large to visit (before: the
    camera visited the corner the text had filled, coverage 0.88)."""
    path, truth = acceptance_clip(tmp_path, row, seed=seed)
    W, H = truth["width"], truth["height"]
    whole = [e for e in events(truth, "scroll") if e["bbox"][2] * e["bbox"][3] >= 0.4 * W * H]
    assert whole, "the generated terminal was not cleared"
    r = engine.analyze(str(path))
    for e in whole:
        ts = np.arange(e["t0"] + 0.5, e["t1"], 0.1)
        assert all(inside(e["bbox"], window_at(r, t)) >= 0.9 for t in ts), e


def test_a_terminal_pane_cleared_by_a_command_is_shown_whole(tmp_path):
    """`clear` typed in a terminal pane beside other windows (generated clip A09 of the acceptance recipe): what
    changed is the text that went, and the look of its place after is as before the last command's output
    appeared, which reads as that output closing; but the blank pane is what there is to see (before: the
    camera stayed on the old command line and covered the pane 0.40)."""
    path, truth = acceptance_clip(tmp_path, 9)
    W, H = truth["width"], truth["height"]
    pane = max(events(truth, "scroll"), key=lambda e: e["bbox"][2] * e["bbox"][3])
    assert pane["bbox"][2] * pane["bbox"][3] < 0.35 * W * H      # a pane, not the screen: visited, not wide
    r = engine.analyze(str(path))
    ts = np.arange(pane["t0"] + 0.5, pane["t1"], 0.1)
    assert len(ts) and all(inside(pane["bbox"], window_at(r, t)) >= 0.9 for t in ts), pane


def test_a_notification_is_framed_whole_though_only_its_text_changed(tmp_path):
    """A light card over a light screen: only its text and edges pass the change threshold, yet the whole card
    must be in frame (generated clip A08 of the acceptance recipe: before, its right part was cut off)."""
    path, truth = acceptance_clip(tmp_path, 8)
    (note,) = events(truth, "notification")
    r = engine.analyze(str(path))
    ts = np.arange(note["t0"] + 0.6, note["t1"], 0.1)
    assert all(inside(note["bbox"], window_at(r, t)) >= 0.9 for t in ts)


def test_a_dark_notification_on_a_dark_bar_is_left_when_it_closes(tmp_path):
    """An editor's notification, a dark card on the dark top bar (row 1 of the acceptance recipe drawn from seed
    9500): cell by cell it looks like what it covers, so its closing never 'put the place back' and the camera
    stayed on the empty corner until the next typing (before: coverage 0.895)."""
    path, truth = acceptance_clip(tmp_path, 1, seed=9500)
    (note,) = events(truth, "notification")
    before = max((e for e in events(truth, "typing") if e["t1"] < note["t0"]), key=lambda e: e["t1"])
    after = min((e for e in events(truth, "typing") if e["t0"] > note["t1"]), key=lambda e: e["t0"])
    assert after["t0"] - note["t1"] >= 1.5
    r = engine.analyze(str(path))
    assert any(inside(note["bbox"], window_at(r, t)) >= 0.9 for t in np.arange(note["t0"], note["t1"], 0.1))
    ts = np.arange(note["t1"] + 0.6, after["t0"], 0.1)          # back where the typing was, once it has gone
    assert len(ts) and all(inside(before["bbox"], window_at(r, t)) >= 0.9 for t in ts)


def test_a_menu_opening_as_the_pointer_arrives_is_visited_and_left(tmp_path):
    """A File menu clicked 0.13 s after the pointer reached it (row 13 of the acceptance recipe drawn from seed
    9500): the pointer had not rested long enough for a click, and the menu's opening touched it, so it was
    taken for the pointer's own pixels; only its closing was seen, and visited as something new (before: the
    camera went to the menu as it closed and stayed there until the next typing, coverage 0.90)."""
    path, truth = acceptance_clip(tmp_path, 13, seed=9500)
    (menu,) = events(truth, "dropdown")
    after = min((e for e in events(truth, "typing") if e["t0"] > menu["t1"]), key=lambda e: e["t0"])
    r = engine.analyze(str(path))
    hits = [t for t in np.arange(menu["t0"], menu["t1"], 0.1) if inside(menu["bbox"], window_at(r, t)) >= 0.9]
    assert hits and hits[0] - menu["t0"] <= 0.5, hits[:1]
    ts = np.arange(menu["t1"] + 0.6, after["t0"], 0.1)          # the menu gone: the document, not its place
    assert len(ts) and all(inside(after["bbox"], window_at(r, t)) >= 0.9 for t in ts)


def test_an_i_beam_crossing_a_terminal_and_a_clear_while_output_is_visited(tmp_path):
    """A full-screen terminal (row 9 of the acceptance recipe drawn from seed 9700). The terminal is cleared
    while the camera visits the last command's output: a clear, not a change inside that visit (before: the
    camera stayed on the old output for 3 s). Later an I-beam pointer crosses the black terminal, lost by the
    pointer detector and found as a caret: not typing (before: 'typing' at the bottom of the screen took the
    camera away from the next command's output and past a popup; coverage 0.75)."""
    path, truth = acceptance_clip(tmp_path, 9, seed=9700)
    W, H = truth["width"], truth["height"]
    r = engine.analyze(str(path))
    (clear,) = [e for e in events(truth, "scroll") if e["bbox"][2] * e["bbox"][3] >= 0.4 * W * H]
    ts = np.arange(clear["t0"] + 0.5, clear["t1"], 0.1)
    assert len(ts) and all(inside(clear["bbox"], window_at(r, t)) >= 0.9 for t in ts), clear
    (popup,) = events(truth, "popup")
    hits = [t for t in np.arange(popup["t0"], popup["t1"], 0.1) if inside(popup["bbox"], window_at(r, t)) >= 0.9]
    assert hits and hits[0] - popup["t0"] <= 0.5, hits[:1]
    # every command is typed at the terminal's left edge; the I-beam crossed the screen's middle
    assert all(s.roi[0] < 0.2 * W for s in r.timeline.segments if s.reason.startswith("typing"))


def test_a_note_scrolled_back_is_shown_though_it_looks_as_before(tmp_path):
    """A phone note scrolled down and, eight seconds later, back (row 0 of the acceptance recipe drawn from seed
    9900; both scrolls too sparse for the scroll detector): the second puts the page back as it looked, which
    read as a popup closing, so the camera stayed on the typed line's window while the whole note moved
    (before: coverage 0.83)."""
    path, truth = acceptance_clip(tmp_path, 0, seed=9900)
    typed = min(e["t1"] for e in events(truth, "typing"))
    later = [e for e in events(truth, "scroll") if e["t0"] > typed + 2 and e["t1"] - e["t0"] >= 1.0]
    assert later, "the generated note was not scrolled long enough after the typing"
    r = engine.analyze(str(path))
    for e in later:
        ts = np.arange(e["t0"] + 0.6, e["t1"], 0.1)
        assert len(ts) and all(inside(e["bbox"], window_at(r, t)) >= 0.9 for t in ts), e


def test_command_output_printed_line_by_line_is_framed(tmp_path):
    """A command's output printed under it a line at a time, each line a small change (generated clip A15 of
    the acceptance recipe): together they are what there is to see, framed as they come (before: the camera
    stayed on the typed line while the output ran out of frame below it)."""
    path, truth = acceptance_clip(tmp_path, 15)
    W, H = truth["width"], truth["height"]
    last = max((e for e in events(truth, "scroll") if e["bbox"][2] * e["bbox"][3] < 0.1 * W * H),
               key=lambda e: e["t0"])
    r = engine.analyze(str(path))
    ts = np.arange(last["t0"] + 0.3, last["t1"], 0.1)
    assert all(inside(last["bbox"], window_at(r, t)) >= 0.9 for t in ts), last
    assert any(s.reason.startswith("output at") for s in r.timeline.segments)     # the EDL says what it is


def test_a_small_toast_that_fades_in_and_out_is_visited(tmp_path):
    """A 92x26 px toast fading in and, under 1.5 s later, out (generated clip A05 of the acceptance recipe):
    two short animations at one place, not one slow burst that is neither typing nor animation (before: never
    visited)."""
    path, truth = acceptance_clip(tmp_path, 5)
    (toast,) = events(truth, "toast")
    r = engine.analyze(str(path))
    hits = [t for t in np.arange(toast["t0"], toast["t1"], 0.1) if inside(toast["bbox"], window_at(r, t)) >= 0.9]
    assert hits and hits[0] - toast["t0"] <= 0.5, hits[:1]


def test_typing_at_an_underline_caret_is_zoomed(tmp_path):
    """A phone chat typed above its keyboard with an underline caret (generated clip A14 of the acceptance
    recipe): the net finds the underline, a box as thin as a rule, and the director must read it as the glyph
    it marks (before: every caret was shorter than a caret may be and the clip was never zoomed)."""
    path, truth = acceptance_clip(tmp_path, 14)
    assert truth["source"]["style"]["caret"] == "underline"
    r = engine.analyze(str(path))
    bursts = events(truth, "typing")
    assert len(bursts) == 3
    for b in bursts:
        ts = np.arange(b["t0"] + 0.9, b["t1"] - 0.6, 0.1)        # settled, and before the message is sent
        assert len(ts)
        for t in ts:
            assert zoom_at(r, t) > 1.5, f"not zoomed in on the typing at {t:.1f} s"
            assert inside(b["bbox"], window_at(r, t)) >= 0.9, f"typing out of frame at {t:.1f} s"


def test_a_phone_bezel_is_not_part_of_the_typed_line(tmp_path):
    """Notes typed on a phone shown inside its device frame (generated clip A16 of the acceptance recipe): the
    line is read from its first glyph, not from the bezel's edge beside it (before: the window reached back
    to the bezel and widened to 1.5x as the line grew to the right)."""
    path, truth = acceptance_clip(tmp_path, 16)
    assert truth["source"]["style"]["bezel"]
    r = engine.analyze(str(path))
    for b in events(truth, "typing"):
        focus = [f for f in truth["focus"] if b["t0"] + 0.9 <= f["t"] <= b["t1"] and f["bbox"]]
        assert focus
        for f in focus:
            assert zoom_at(r, f["t"]) > 1.8, f"not pushed in on the line at {f['t']:.1f} s"
            assert inside(f["bbox"], window_at(r, f["t"])) >= 0.9, f"typing out of frame at {f['t']:.1f} s"


def test_same_input_gives_identical_files(typing_video, tmp_path):
    a = engine.analyze(str(typing_video[0]), output_prefix=tmp_path / "a" / "rec")
    b = engine.analyze(str(typing_video[0]), output_prefix=tmp_path / "b" / "rec")
    for name in ("segments", "camera"):
        assert a.outputs[name].read_bytes() == b.outputs[name].read_bytes()


def test_variable_frame_rate_is_analysed_on_the_grid_and_every_frame_keeps_its_time(vfr_video):
    """On the analysis grid (analysis.fps) the frames come at uniform times whatever gaps the stream has; asked
    for every frame (analysis.fps=0), each keeps its own presentation time."""
    path, truth = vfr_video
    want = load_labels(path.with_suffix(".labels.npz"))["t"]          # every frame's presentation time
    assert not np.allclose(np.diff(want), np.diff(want)[0])            # really variable
    grid = engine.analyze(str(path)).features
    rate = grid.meta["fps"]
    np.testing.assert_allclose(grid.times, np.arange(grid.raw.n) / rate, atol=1e-9)
    assert grid.times[-1] <= want[-1] - want[0] + 1e-6 < grid.times[-1] + 1 / rate
    every = engine.analyze(str(path), overrides=["analysis.fps=0"]).features.times
    assert np.allclose(every, want - want[0], atol=1e-3)


def test_outputs_follow_the_contracts(typing_video_landscape, tmp_path):
    engine.analyze(str(typing_video_landscape[0]), output_prefix=tmp_path / "out" / "rec")
    seg = json.loads((tmp_path / "out" / "rec.segments.json").read_text())
    cam = json.loads((tmp_path / "out" / "rec.camera.json").read_text())
    assert (tmp_path / "out" / "rec.features.npz").is_file()
    assert seg["version"] == 2 and cam["version"] == 1
    s = seg["segments"]
    assert s[0]["t0"] == 0 and abs(s[-1]["t1"] - seg["duration"]) < 1e-6
    assert all(abs(a["t1"] - b["t0"]) < 1e-9 for a, b in zip(s, s[1:])), "segments must tile the clip"
    assert all(x["mode"] in ("wide", "focus_in", "hold", "release") and x["reason"] for x in s)
    W, H = cam["width"], cam["height"]
    asp = cam["output"]["width"] / cam["output"]["height"]
    for t, x, y, w, h, tilt in cam["frames"]:
        assert -1e-3 <= x and -1e-3 <= y and x + w <= W + 1e-3 and y + h <= H + 1e-3
        assert abs(math.log((w / h) / asp)) <= 0.01
    assert len(cam["frames"]) == pytest.approx(seg["duration"] * cam["fps"], abs=1)
    assert not list(tmp_path.rglob("*.tmp*"))


def test_reframes_to_another_aspect(typing_video_landscape):
    r = engine.analyze(str(typing_video_landscape[0]), overrides=["output.size=540x960"])
    f = r.camera.frames
    assert r.camera.out_width == 540 and r.camera.out_height == 960
    assert np.all(np.abs(np.log((f[:, 3] / f[:, 4]) / (540 / 960))) <= 0.01)
    assert np.all(f[:, 1] >= -1e-6) and np.all(f[:, 1] + f[:, 3] <= r.camera.width + 1e-6)


def test_redirect_from_saved_features_without_the_video(typing_video, tmp_path):
    first = engine.analyze(str(typing_video[0]), output_prefix=tmp_path / "rec")
    engine.analyze(features_path=tmp_path / "rec.features.npz", output_prefix=tmp_path / "rec2")
    assert (tmp_path / "rec2.camera.json").read_bytes() == (tmp_path / "rec.camera.json").read_bytes()
    wider = engine.analyze(features_path=tmp_path / "rec.features.npz", overrides=["director.min_window=0.9"])
    assert wider.camera.zoom().max() < first.camera.zoom().max()


def test_stages_run_one_by_one(typing_video):
    cfg = engine.load_config()
    info = engine.media.probe(typing_video[0])
    assert (info.width, info.height) == (540, 960) and not info.has_audio
    raw = engine.features.extract(engine.pipeline.decode(info, cfg), info, cfg)
    fused = engine.features.fuse(raw, cfg)
    timeline = engine.director.direct(fused, cfg, 540 / 960)
    timeline.output = (540, 960, info.fps)
    track = engine.camera.plan(timeline, cfg)
    assert track.frames.shape[1] == 6 and timeline.segments


def test_batch_size_does_not_change_the_result(popup_video):
    a = engine.analyze(str(popup_video[0]), overrides=["analysis.batch=7", "analysis.prefetch=0"])
    b = engine.analyze(str(popup_video[0]), overrides=["analysis.batch=64"])
    assert a.features.raw.act == b.features.raw.act
    assert a.features.raw.stick == b.features.raw.stick
    assert np.array_equal(a.camera.frames, b.camera.frames)
    # a batch shorter than the ink grid's sampling step (one frame: most batches hold no sample)
    c = engine.analyze(str(popup_video[0]), overrides=["analysis.batch=1", "analysis.prefetch=0"])
    assert np.array_equal(a.camera.frames, c.camera.frames)


def test_speed_and_memory_settings_change_no_feature(popup_video, typing_video):
    """Comparing frames whole or cell by cell, and how many bands, frames or cells are worked on at once,
    change the time and memory an analysis takes, never what it finds."""
    for video in (popup_video[0], typing_video[0]):
        a = engine.analyze(str(video), write=False, overrides=["features.stick_whole_share=0"])
        b = engine.analyze(str(video), write=False, overrides=[
            "features.stick_whole_share=1", "features.caret_band_chunk=3", "features.fuse_chunk=50",
            "features.label_chunk=7"])
        assert a.features.raw.stick == b.features.raw.stick
        assert np.array_equal(a.features.raw.caret, b.features.raw.caret)
        assert np.array_equal(a.features.regions, b.features.regions)
        assert np.array_equal(a.camera.frames, b.camera.frames)


def test_a_caret_box_past_the_frames_edge_reads_the_edge_row():
    """The net may draw a caret box a pixel or two past the frame (above the top row of a 90x160 recording):
    the text line it sits on is read from the edge row of the ink grid, not from an empty slice (a crash)."""
    from types import SimpleNamespace

    from engine.director.machine import _ink_line
    ink = np.zeros((1, 3, 12), np.uint8)
    ink[0, 0, 2:7] = 1                                     # the top row holds text in cells 2-6
    raw = SimpleNamespace(ink=ink, ink_index=np.array([0]), meta={"cell_px": 8})
    features = SimpleNamespace(raw=raw)
    assert _ink_line(features, 5, [30.0, -2.0, 2.0, 5.0], 1, 0.6) == (16.0, 56.0)      # above the top
    x0, x1 = _ink_line(features, 5, [30.0, 30.0, 2.0, 5.0], 1, 0.6)              # below the grid: its edge row,
    assert x0 <= 30.0 and x1 >= 32.0                                                # empty there, holds the box
