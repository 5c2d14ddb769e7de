"""Stand-in for `engine.synth`'s per-frame labels until the widened generator lands (branch synth-wide).

It runs the current generator (`bench.synth`) with a hook in its frame loop that records, for every frame,
the caret and the pointer exactly as composed, and writes `NAME.labels.npz` in the format the widened
generator will write (t, caret [x,y,w,h], caret_style, pointer [hot_x,hot_y,x,y,w,h], pointer_style, typing,
focus, changed, meta). It also varies what the current generator lets one vary (frame rate, crf, font and
pointer size) by the seed. Delete this file when `engine.synth` writes labels itself.
"""
from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import numpy as np


def _record(app, rows: list, changed: bool) -> None:
    car, cstyle = [0.0] * 4, 0
    c = getattr(app, "caret", None)
    if c is not None and c.el is not None:
        r = c.layer.rect()
        if r is not None and not _covered(app, c.layer, r):
            car = [r[0], r[1], r[2] - r[0], r[3] - r[1]]
            cstyle = 2 if c.w > 6 else 1
    ptr, pstyle = [0.0] * 6, 0
    p = getattr(app, "pointer", None)
    if p is not None and p.layer.visible:
        L = p.layer
        ptr = [L.x + 1, L.y + 1, L.x, L.y, L.surf.w, L.surf.h]      # the arrow's tip is drawn at (1, 1)
        pstyle = 1
    rows.append((app.t, car, cstyle, ptr, pstyle, changed))


def _covered(app, layer, r) -> bool:
    """The caret's centre lies under an opaque layer drawn above it (a popup, a window)."""
    cx, cy = (r[0] + r[2]) / 2, (r[1] + r[3]) / 2
    for L in app.canvas.layers:
        if L.z <= layer.z or L.name == "pointer" or L.surf.a is not None:
            continue
        q = L.rect()
        if q is not None and q[0] <= cx < q[2] and q[1] <= cy < q[3] and L.opacity >= 0.5:
            return True
    return False


def _run_recording(self, script, encoder, nframes):
    """bench.synth App.run with one line added: record the frame's labels after composing it."""
    gen, wake = script, 0
    self._labels = []
    for i in range(nframes):
        self.i = i
        while gen is not None and i >= wake:
            try:
                wait = next(gen)
            except StopIteration:
                gen = None
                break
            wake = i + max(1, int(round(float(wait) * self.P.fps)))
        self.anims = [a for a in self.anims if a(i)]
        if self.caret is not None:
            self.caret.tick(i)
        self.ambient_tick(i)
        rects = self.canvas.compose()
        _record(self, self._labels, bool(rects))
        encoder.write(self.canvas.buf, bool(rects))
    _LAST["rows"] = self._labels


_LAST: dict = {}


def varied_params(seed: int):
    """Frame rate, crf and sizes picked by the seed (what the current generator can vary)."""
    from bench.synth.params import Params
    rng = random.Random(f"labels-shim-{seed}")      # a string seed is hashed: near seeds differ
    s = rng.uniform(0.8, 1.3)                  # UI scale of text and pointer
    P = Params()
    sc = lambda v: int(round(v * s / 2)) * 2
    P = replace(P, fps=rng.choice([10, 15, 20, 24, 30, 30, 60]), crf=rng.randint(18, 35),
                ph_font=sc(P.ph_font), ph_line_h=sc(P.ph_line_h), ph_bubble_font=sc(P.ph_bubble_font),
                dk_font=sc(P.dk_font), dk_line_h=sc(P.dk_line_h), dk_mono=sc(P.dk_mono), dk_row_h=sc(P.dk_row_h),
                dk_pointer_px=sc(P.dk_pointer_px))
    return P, rng


def generate(stem, seed: int, seconds: float = 20.0, form=None, theme=None, app=None) -> Path:
    """One varied clip: stem.mp4, stem.truth.json, stem.labels.npz; returns the .mp4 path."""
    from bench.synth import APPS, generate_clip
    from bench.synth import app as app_mod
    P, rng = varied_params(seed)
    form = form or rng.choice(["phone", "desktop"])
    theme = theme or rng.choice(["light", "dark"])
    app = app or rng.choice(APPS[form])
    stem = Path(stem)
    orig = app_mod.App.run
    app_mod.App.run = _run_recording
    try:
        truth = generate_clip(stem, seed, form, theme, seconds, density=rng.uniform(0.8, 1.6),
                              noise=rng.uniform(0.5, 1.5), crf=P.crf, app=app, params=P)
    finally:
        app_mod.App.run = orig
    rows = _LAST.pop("rows")
    write_labels(stem.with_name(stem.name + ".labels.npz"), rows, truth, P.fps)
    return stem.with_name(stem.name + ".mp4")


def write_labels(path, rows, truth: dict, fps: float) -> None:
    n = len(rows)
    t = np.arange(n, dtype=np.float64) / fps
    typing = np.zeros(n, bool)
    for e in truth["events"]:
        if e["kind"] == "typing":
            typing |= (t >= e["t0"] - 1e-6) & (t <= e["t1"] + 1e-6)
    focus = np.zeros((n, 4), np.float32)
    ft = np.array([f["t"] for f in truth["focus"]])
    for i in range(n):
        k = int(np.searchsorted(ft, t[i] + 1e-6)) - 1
        if k >= 0 and truth["focus"][k]["bbox"] is not None:
            focus[i] = truth["focus"][k]["bbox"]
    meta = {k: truth["source"][k] for k in ("scenario", "seed", "form", "theme", "crf") if k in truth["source"]}
    meta.update(width=truth["width"], height=truth["height"], fps=fps, generator="engine.models.labels_shim")
    np.savez_compressed(path, t=t, caret=np.array([r[1] for r in rows], np.float32),
                        caret_style=np.array([r[2] for r in rows], np.uint8),
                        pointer=np.array([r[3] for r in rows], np.float32),
                        pointer_style=np.array([r[4] for r in rows], np.uint8), typing=typing, focus=focus,
                        changed=np.array([r[5] for r in rows], bool),
                        meta=np.frombuffer(json.dumps(meta).encode(), np.uint8))


if __name__ == "__main__":
    import sys
    out = Path(sys.argv[1])
    for s in [int(v) for v in sys.argv[2:]]:
        print(generate(out / f"shim_{s:06d}", s), flush=True)
