"""Recordings made by other people (../shared/real), scored with the shared scorer: typing that the change
detector can hardly see (a phone notes editor whose line is busy with mention lists, a chat whose input line is
ambient for most of the clip) is found from the caret and pushed in on."""
from __future__ import annotations

import importlib.util
import json

import pytest

import engine


@pytest.fixture(scope="module")
def real(corpus_dir, tmp_path_factory):
    d = corpus_dir.parent / "real"
    if not d.is_dir():
        pytest.skip("../shared/real is not here")
    spec = importlib.util.spec_from_file_location("shared_score", corpus_dir.parent / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("real")

    def score(name):
        r = engine.analyze(str(d / f"{name}.mp4"), output_prefix=out / name)
        truth = json.loads((d / f"{name}.truth.json").read_text())
        return mod.score(truth, json.loads(r.outputs["camera"].read_text()))
    return score


def test_phone_notes_typing_is_pushed_in_on(real):
    s = real("08_phone_ios_notes_mentions")       # before: never zoomed (zoom_typing 1.0)
    assert s["zoom_typing"] >= 1.3, s
    assert s["coverage"] >= 0.9, s
    assert s["jumps"] == 0 and s["chase_s"] == 0, s


def test_chat_typing_on_a_busy_line_is_followed(real):
    s = real("10_phone_android_jetchat")          # before: coverage 0.738
    assert s["coverage"] >= 0.9, s
    assert s["zoom_typing"] >= 1.5, s
    assert s["jumps"] == 0 and s["chase_s"] == 0, s
