"""engine.synth: synthetic recordings whose truth is checked against their own decoded pixels (Y plane)."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from dataclasses import replace

from engine.synth import generate_clip, scenario
from engine.synth.cli import main as synth_main
from engine.synth.params import Params

SHARED = Path("/work/shared")
QUICK = replace(Params(), notif_hold_s=(0.8, 1.0), popup_hold_s=(0.8, 1.0), toast_hold_s=(0.8, 1.0),
                dropdown_hold_s=(0.5, 0.7), progress_s=(1.2, 1.5), window_tail_s=(0.3, 0.4))


def phone_transients(app):
    yield 0.5
    for kind in ("notification", "modal", "dropdown", "toast", "popup"):
        yield from scenario.phone_transient(app, kind)
        yield 0.2


def desktop_transients(app):
    yield 0.5
    for kind in ("export", "menu", "prefs", "popup", "notification"):
        yield from scenario.desktop_transient(app, kind)
        yield 0.2


CLIPS = [  # (app, form, theme, seed, seconds, script): every app, both forms and themes, every event kind
    ("notes", "phone", "light", 6, 10, None),
    ("chat", "phone", "dark", 5, 10, None),
    ("editor", "desktop", "dark", 6, 9, None),
    ("terminal", "desktop", "light", 10, 9, None),
    ("form", "desktop", "dark", 1, 9, None),
    ("chat", "phone", "light", 7, 8, phone_transients),
    ("editor", "desktop", "light", 8, 9, desktop_transients),
]
THR, THR_KEY = 40, 64      # luma change above compression noise (higher next to a keyframe)
MARGIN = 16                # px around boxes: one macroblock of encoder spill and the 8 px card shadows
KINDS = {"typing", "scroll", "popup", "notification", "toast", "dropdown", "window", "progress", "ambient"}


def luma(path):
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            p = f.planes[0]
            yield f.key_frame, np.frombuffer(p, np.uint8).reshape(f.height, p.line_size)[:, :f.width].copy()


def changed(a, b, thr):
    """Pixels whose luma moved more than thr, kept only where an 8x8 block has >= 3 of them."""
    d = np.abs(a.astype(np.int16) - b.astype(np.int16)) > thr
    H, W = d.shape
    blk = d[:H - H % 8, :W - W % 8].reshape(H // 8, 8, W // 8, 8).sum(axis=(1, 3)) >= 3
    out = np.zeros_like(d)
    out[:H - H % 8, :W - W % 8] = np.repeat(np.repeat(blk, 8, 0), 8, 1) & d[:H - H % 8, :W - W % 8]
    return out


def mask(shape, boxes, margin):
    m = np.zeros(shape, bool)
    for x, y, w, h in boxes:
        m[max(0, int(y - margin)):max(0, int(np.ceil(y + h + margin))),
          max(0, int(x - margin)):max(0, int(np.ceil(x + w + margin)))] = True
    return m


def check_pixels(mp4, truth):
    """One decoding pass: {'start': [...], 'key': [...], 'outside': [...]} lists of problems."""
    fps, ev = truth["fps"], truth["events"]
    fr = lambda t: int(round(t * fps))
    span = {id(e): (fr(e["t0"]), fr(e["t1"])) for e in ev}
    amb = [e for e in ev if e["kind"] == "ambient"]
    typing = [e for e in ev if e["kind"] == "typing"]
    keys = {fr(c["t"]): c for c in truth["caret"] if len(c["key"]) == 1 and c["key"].isprintable()}
    starts = {}
    for e in ev:
        if e["t0"] > 0:
            starts.setdefault(span[id(e)][0] - 1, []).append(e)
    probs = {"start": [], "key": [], "outside": []}
    seen, pending, prev, prev_key = set(), [], None, True
    for j, (key, y) in enumerate(luma(mp4)):
        thr = THR_KEY if key or prev_key else THR
        prev_key = key
        for e, before, _ in pending:
            if id(e) not in seen and (changed(before, y, THR) & mask(y.shape, [e["bbox"]], 2)).any():
                seen.add(id(e))
        pending = [p for p in pending if j < p[2]]
        for e in starts.get(j, []):   # frame just before t0; look up to ~0.8 s on (caret placement -> key)
            pending.append((e, y, j + (8 if e["kind"] not in ("typing", "ambient") else 26)))
        if prev is not None:
            ch = changed(prev, y, thr)
            if ch.any():
                act = [e["bbox"] for e in ev if span[id(e)][0] <= j and span[id(e)][1] >= j - 1]
                bad = ch & ~mask(y.shape, act, MARGIN)
                if bad.any():
                    ys, xs = np.nonzero(bad)
                    probs["outside"].append((j, int(bad.sum()), [int(xs.min()), int(ys.min()), int(xs.max()),
                                                                 int(ys.max())]))
            if j in keys:
                te = [e["bbox"] for e in typing if span[id(e)][0] <= j <= span[id(e)][1]]
                ab = [e["bbox"] for e in amb if span[id(e)][0] <= j and span[id(e)][1] >= j - 1]
                bad = ch & ~mask(y.shape, te + ab, 4)
                if not te or bad.any():
                    probs["key"].append((j, keys[j]["key"], int(bad.sum()), bool(te)))
        prev = y
    probs["start"] = [(e["kind"], e["t0"], e["bbox"]) for es in starts.values() for e in es if id(e) not in seen]
    return probs


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    d = tmp_path_factory.mktemp("synth")
    out = []
    for app, form, theme, seed, seconds, script in CLIPS:
        stem = d / f"{app}_{theme}_{seed}"
        truth = generate_clip(stem, seed, form, theme, seconds, density=1.5, noise=1.0, app=app, script=script,
                              params=QUICK if script else None)
        out.append((stem, json.loads(Path(f"{stem}.truth.json").read_text())))
        assert truth["events"] == out[-1][1]["events"]
    return out


@pytest.fixture(scope="module")
def pixel_report(clips):
    return {stem.name: check_pixels(f"{stem}.mp4", truth) for stem, truth in clips}


def test_video_format(clips):
    for stem, truth in clips:
        with av.open(f"{stem}.mp4") as c:
            s = c.streams.video[0]
            assert s.codec_context.name == "h264" and s.codec_context.pix_fmt == "yuv420p"
            assert (s.width, s.height) == (truth["width"], truth["height"])
            assert s.average_rate == 30
            n = sum(1 for _ in c.decode(video=0))
        assert n == round(truth["duration"] * 30)
        assert (truth["width"], truth["height"]) in ((1080, 1920), (1920, 1080))


def test_truth_format(clips):
    ref = SHARED / "corpus" / "P1_notes.truth.json"
    ref_keys = set(json.loads(ref.read_text())) if ref.exists() else None
    seen = set()
    for stem, t in clips:
        if ref_keys:
            assert set(t) == ref_keys
        assert t["video"] == stem.name + ".mp4" and t["fps"] == 30
        W, H, dur = t["width"], t["height"], t["duration"]
        def box_ok(b, W=W, H=H):
            return len(b) == 4 and b[0] >= 0 and b[1] >= 0 and b[0] + b[2] <= W + 0.1 \
                and b[1] + b[3] <= H + 0.1 and all(isinstance(v, (int, float)) for v in b)
        for e in t["events"]:
            assert {"t0", "t1", "kind", "bbox"} <= set(e) <= {"t0", "t1", "kind", "bbox", "name", "id", "el", "keys"}
            assert e["kind"] in KINDS and 0 <= e["t0"] <= e["t1"] <= dur and box_ok(e["bbox"])
            assert ("name" in e) == (e["kind"] == "ambient")
        assert [f["t"] for f in t["focus"]] == [round(k / 10, 1) for k in range(int(round(dur * 10)) + 1)]
        assert all(f["bbox"] is None or box_ok(f["bbox"]) for f in t["focus"])
        assert all(set(c) == {"t", "bbox", "line", "key"} for c in t["caret"])
        assert t["source"]["generator"] == "engine.synth" and "seed" in t["source"]
        seen |= {e["kind"] for e in t["events"]}
        assert any(e["kind"] == "ambient" for e in t["events"])
    assert seen == KINDS, KINDS - seen


def test_focus_rules(clips):
    """Null before the first non-ambient event, a box after it, the transient that started last wins."""
    for _, t in clips:
        first = min(e["t0"] for e in t["events"] if e["kind"] != "ambient")
        for f in t["focus"]:
            assert (f["bbox"] is None) == (f["t"] < first - 1e-9), (f, first)
        for e in t["events"]:
            if e["kind"] in ("popup", "notification", "toast", "dropdown", "window"):
                mid = [f for f in t["focus"] if e["t0"] <= f["t"] < e["t1"]]
                later = [o for o in t["events"] if o["kind"] != "ambient" and e["t0"] < o["t0"] < e["t1"]]
                if mid and not later:
                    assert all(f["bbox"] == e["bbox"] for f in mid)


def test_event_onsets_in_box(pixel_report):
    assert {k: v["start"] for k, v in pixel_report.items() if v["start"]} == {}


def test_keystrokes_inside_typing_box(pixel_report):
    assert {k: v["key"] for k, v in pixel_report.items() if v["key"]} == {}


def test_nothing_changes_outside_boxes(pixel_report):
    assert {k: v["outside"][:5] for k, v in pixel_report.items() if v["outside"]} == {}


def test_same_seed_same_bytes(tmp_path):
    h = []
    for k in range(2):
        generate_clip(tmp_path / f"r{k}", 9, "phone", "dark", 3, app="chat")
        h.append((hashlib.sha256((tmp_path / f"r{k}.mp4").read_bytes()).hexdigest(),
                  json.loads((tmp_path / f"r{k}.truth.json").read_text())["events"]))
    assert h[0] == h[1]
    generate_clip(tmp_path / "r2", 10, "phone", "dark", 3, app="chat")
    assert hashlib.sha256((tmp_path / "r2.mp4").read_bytes()).hexdigest() != h[0][0]


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="no /work/shared/eval/score.py")
def test_score_runs_on_still_camera(clips, tmp_path):
    for stem, t in clips[:2]:
        W, H = t["width"], t["height"]
        frames = [[round(i / 30, 4), 0, 0, W, H, 0] for i in range(int(round(t["duration"] * 30)))]
        cam = tmp_path / f"{stem.name}.camera.json"
        cam.write_text(json.dumps({"version": 1, "width": W, "height": H, "fps": 30,
                                   "output": {"width": W, "height": H}, "frames": frames}))
        r = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), f"{stem}.truth.json", str(cam)],
                           capture_output=True, text=True, check=True)
        s = json.loads(r.stdout.strip().splitlines()[-1])
        assert s["coverage"] == 1.0 and s["jumps"] == 0 and s["frames"] == s["truth_frames"]


def test_cli_writes_corpus(tmp_path, capsys):
    assert synth_main(["--out", str(tmp_path), "--clips", "2", "--seconds", "2", "--seed", "3"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["S00_phone_light.labels.npz", "S00_phone_light.mp4", "S00_phone_light.truth.json",
                     "S01_desktop_light.labels.npz", "S01_desktop_light.mp4", "S01_desktop_light.truth.json"]
    assert capsys.readouterr().out.count("[") >= 2
    assert synth_main(["--out", str(tmp_path), "--forms", "tablet"]) == 2
