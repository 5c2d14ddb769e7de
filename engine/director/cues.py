"""Cues: what the detectors' outputs tell the director, frame by frame. Where the caret is (when it can be
believed), whether it moves, whether it jumped; where the mouse pointer is, whether it rests, whether a change
appeared under it (a click); whether a viewer would look at a place (the learned saliency)."""
from __future__ import annotations

import math

import numpy as np

from ..features import Features
from . import framing


def carets(features: Features, d, zones: list | None = None) -> list[list[float] | None]:
    """Per frame: the caret [x, y, w, h] when a detector saw one with enough confidence, at least
    `caret_min_h` of the frame tall, not on the moving pointer or on its way between two sightings (an I-beam
    pointer looks like a caret) and not in a cell that is ambient much of the time (a spinner), else None."""
    c = glyph_boxes(features.raw.caret, d.caret_underline_cell)
    H = float(features.meta["height"])
    ok = (c[:, 4] >= d.caret_min_score) & ((c[:, 3] - c[:, 1]) >= d.caret_min_h * H)
    out = [[float(r[0]), float(r[1]), float(r[2] - r[0]), float(r[3] - r[1])] if o else None for r, o in zip(c, ok)]
    for i, z in enumerate(zones or ()):
        if out[i] is not None and z is not None and framing.inside(out[i], z) > 0.5:
            out[i] = None
    for i in _on_pointer_path(out, features, d):
        out[i] = None
    # nor where the picture keeps changing on its own (a spinner's arc looks like a bar and moves), unless
    # it writes along its line: a spinner stays in its place, typed text (which, in a short or busy
    # recording, can make its own line ambient much of the time) carries the caret across it
    amb = features.ambient_share
    cp = float(features.meta["cell_px"])
    writes = _writing(out, features.times, d)
    for i, c in enumerate(out):
        if c is not None and not writes[i]:
            cy = min(amb.shape[0] - 1, int((c[1] + c[3] / 2) // cp))
            cx = min(amb.shape[1] - 1, int((c[0] + c[2] / 2) // cp))
            if amb[cy, cx] > d.caret_max_ambient:
                out[i] = None
    return out


def _on_pointer_path(cs: list, features: Features, d) -> list[int]:
    """Frames whose caret lies where the pointer passed between two places it was seen at, at most
    `pointer_path_s` apart, within a pointer's size of the straight way between them: an I-beam crossing a dark
    field, lost by the pointer detector (which holds it where it was last seen) and found as a caret."""
    raw = features.raw
    if not raw.has("pointer"):
        return []
    p = raw.data["pointer"]
    t = features.times
    s = d.pointer_size * math.hypot(features.meta["width"], features.meta["height"])
    seen = np.nonzero(p[:, 2] >= d.pointer_min_score)[0]
    # sightings: where the pointer was seen anew (a held pointer repeats its last place exactly)
    fresh = [int(j) for k, j in enumerate(seen)
             if k == 0 or p[j, 0] != p[seen[k - 1], 0] or p[j, 1] != p[seen[k - 1], 1]]
    out: set[int] = set()
    for a, b in zip(fresh, fresh[1:]):
        pa, pb = p[a, :2].astype(np.float64), p[b, :2].astype(np.float64)
        way = pb - pa
        if t[b] - t[a] > d.pointer_path_s or np.hypot(*way) <= s:
            continue                     # not one movement, or too short to tell from a caret beside it
        for i in range(a + 1, b):
            c = cs[i]
            if c is None:
                continue
            v = np.array([c[0] + c[2] / 2, c[1] + c[3] / 2]) - pa
            u = min(1.0, max(0.0, float(v @ way) / float(way @ way)))
            if np.hypot(*(v - u * way)) <= s:
                out.add(i)
    for i in sorted(out):                # and where that caret is then held, unchanged
        j = i + 1
        while j < len(cs) and cs[j] is not None and cs[j] == cs[i]:
            out.add(j)
            j += 1
    return sorted(out)


def glyph_boxes(c: np.ndarray, cell: float) -> np.ndarray:
    """(N, 5) caret rows [x0, y0, x1, y1, score] -> the same with each underline caret (a box wider than tall)
    grown upward to the glyph it marks, `cell` of its widths tall: the director reads a caret's height as its
    line's (framing, how far it travels, how tall a caret must be), and an underline is as thin as a rule."""
    c = np.array(c, copy=True)
    w, h = c[:, 2] - c[:, 0], c[:, 3] - c[:, 1]
    under = w > h
    c[:, 1] = np.where(under, c[:, 3] - np.maximum(h, cell * w), c[:, 1])
    return c


def _writing(cs: list, times, d) -> list[bool]:
    """Per frame: within `caret_writes_s` either side the caret is carried forward along its line by more than
    `caret_writes_lines` of its heights, either net (typing carries it on; a spinner's arc or a clock digit goes
    back and forth in its place, net nothing, and a field cleared on send takes it back) or by steps it stays
    at, resting between them, all forward or all back (a word typed and then erased, a word erased with
    backspace: keys come apart, a spinner moves every frame)."""
    n = len(cs)
    run = [0.0] * (n + 1)                      # running sum of the signed steps along a line
    fwd = [0.0] * (n + 1)                      # ... of the forward steps the caret stays at
    bwd = [0.0] * (n + 1)                      # ... of the backward ones (erasing, a key at a time)
    nstep = [0] * (n + 1)                      # ... how many steps it stays at
    seen = [0] * (n + 1)                       # ... frames with a caret
    stays = caret_steps(cs, d, times)
    prev = None
    for k in range(n):
        step = 0.0
        c = cs[k]
        if c is not None and prev is not None and abs(c[1] - prev[1]) < 0.5 * max(c[3], prev[3], 1.0):
            step = c[0] - prev[0]
        if c is not None:
            prev = c
        run[k + 1] = run[k] + step
        fwd[k + 1] = fwd[k] + (max(step, 0.0) if stays[k] else 0.0)
        bwd[k + 1] = bwd[k] + (max(-step, 0.0) if stays[k] else 0.0)
        nstep[k + 1] = nstep[k] + stays[k]
        seen[k + 1] = seen[k] + (c is not None)
    out = [False] * n
    lo = hi = 0
    for k in range(n):
        while times[lo] < times[k] - d.caret_writes_s:
            lo += 1
        while hi + 1 < n and times[hi + 1] <= times[k] + d.caret_writes_s:
            hi += 1
        c = cs[k]
        if c is None:
            continue
        need = d.caret_writes_lines * c[3]
        steps, frames = nstep[hi + 1] - nstep[lo], seen[hi + 1] - seen[lo]
        keyed = max(fwd[hi + 1] - fwd[lo + 1], bwd[hi + 1] - bwd[lo + 1]) > need and steps <= 0.5 * frames
        out[k] = run[hi + 1] - run[lo + 1] > need or keyed
    return out


def needs_caret(features: Features, d) -> bool:
    """Whether typing must be seen at a caret: `typing_needs_caret`, where auto means when the caret comes
    from the learned model (it finds the caret wherever text is typed; the heuristic misses most)."""
    v = str(d.typing_needs_caret).lower()
    if v == "auto":
        return features.meta.get("outputs", {}).get("caret", {}).get("detector") == "model"
    return v == "true"


def pointer_zones(features: Features, d) -> list[list[float] | None]:
    """Per frame: the box the mouse pointer may cover (around its hotspot, sized by the frame diagonal),
    where a pointer detector saw one; else None."""
    raw = features.raw
    if not raw.has("pointer"):
        return [None] * raw.n
    p = raw.data["pointer"]
    m = raw.meta
    s = d.pointer_size * math.hypot(m["width"], m["height"])
    zx, zy, zw, zh = d.pointer_zone
    return [[float(r[0]) + zx * s, float(r[1]) + zy * s, zw * s, zh * s] if r[2] >= d.pointer_min_score else None
            for r in p]


def resting(features: Features, d) -> list[bool]:
    """Per frame: the pointer has stayed within `rest_tol` (share of the diagonal) of where it is for at least
    `rest_s`, having been seen moving within `rest_after_move_s` (something shaped like a pointer that never
    moves is not one). A change appearing under a resting pointer is what a click did, not the pointer moving."""
    raw = features.raw
    n = raw.n
    if not raw.has("pointer"):
        return [False] * n
    p = raw.data["pointer"]
    m = raw.meta
    tol = d.rest_tol * math.hypot(m["width"], m["height"])
    need = max(1, int(round(d.rest_s * float(m["fps"]))))
    recent = int(round(d.rest_after_move_s * float(m["fps"])))
    out, since, travelled = [False] * n, 0, -10**9
    for i in range(n):
        seen = p[i, 2] >= d.pointer_min_score
        both = seen and i > 0 and p[i - 1, 2] >= d.pointer_min_score
        step = math.hypot(p[i, 0] - p[i - 1, 0], p[i, 1] - p[i - 1, 1]) if both else 0.0
        if step > tol:
            travelled = i                # seen moving: a pointer, not something shaped like one
        since = since + 1 if both and step <= tol else 0
        out[i] = since >= need and i - travelled <= recent
    return out


def clicked(box: list[float], features: Features, i: int, rest: list[bool], d) -> bool:
    """Whether the change `box` at frame i appeared under the pointer while it rested (a click)."""
    p = features.raw.data["pointer"][i] if features.raw.has("pointer") else None
    j = max(0, i - 1)
    if p is None or not (rest[i] or rest[j]):
        return False
    r = d.click_radius * math.hypot(features.meta["width"], features.meta["height"])
    return framing.inside([float(p[0]) - r, float(p[1]) - r, 2 * r, 2 * r], box) > 0


def near(box: list[float], zone: list[float] | None) -> bool:
    return zone is not None and framing.inside(box, zone) > 0 and framing.inside(zone, box) > 0


def caret_moves(cs: list, span: int) -> list[bool]:
    """Per frame: the caret moved within `span` frames either side (a key moves it; a caret that stays put
    while something changes near it, a placeholder coming back, is not being typed at)."""
    n = len(cs)
    step = [False] * n
    for i in range(1, n):
        a, b = cs[i - 1], cs[i]
        step[i] = a is not None and b is not None and \
            abs((a[0] + a[2] / 2) - (b[0] + b[2] / 2)) + abs(a[1] - b[1]) >= 0.2 * max(a[3], b[3], 1.0)
    run = [0] * (n + 1)
    for i in range(n):
        run[i + 1] = run[i] + step[i]
    return [run[min(n, i + span + 1)] - run[max(0, i - span)] > 0 for i in range(n)]


def caret_steps(cs: list, d, times) -> list[bool]:
    """Per frame: the caret stepped along its line (by at least `caret_step_lines` of its height, at most a
    jump) from where it was last seen, at most `caret_move_s` before (a small caret flickers out of sight between
    keys), keeping its height, and does not go straight back (a detection flickering between the caret and a
    glyph that looks like one)."""
    n = len(cs)
    out = [False] * n
    last, last_t = None, None
    for i in range(n):
        b = cs[i]
        t = float(times[i])
        a = last if last is not None and t - last_t <= d.caret_move_s + 1e-9 else None
        if b is not None:
            last, last_t = b, t
        if a is None or b is None or jumped(a, b, d):
            continue
        lh = max(a[3], b[3], 1.0)
        if abs(b[1] - a[1]) >= 0.5 * lh or min(a[3], b[3]) < 0.7 * lh:
            continue
        after = cs[i + 1] if i + 1 < n else None
        back = after is not None and abs(after[0] - a[0]) < d.caret_step_lines * lh and abs(after[1] - a[1]) < 0.5 * lh
        out[i] = abs(b[0] - a[0]) >= d.caret_step_lines * lh and not back
    return out


def caret_at(box: list[float], cs: list, i: int, moving: list[bool]) -> list[float] | None:
    """The caret at frame i (or, as a key moves it, at i - 1) inside box grown by a line height, if it moves."""
    if not moving[i]:
        return None
    for j in (i, i - 1):
        c = cs[j] if 0 <= j < len(cs) else None
        if c is None:
            continue
        lh = c[3]
        cx, cy = c[0] + c[2] / 2, c[1] + c[3] / 2
        if box[0] - lh <= cx <= box[0] + box[2] + lh and box[1] - lh / 2 <= cy <= box[1] + box[3] + lh / 2:
            return c
    return None


def jumped(a: list[float], b: list[float], d) -> bool:
    """The caret went from a to b other than by typing: further than `caret_jump_lines` line heights along its
    line, or further up or down than the next line (`caret_next_line` line heights)."""
    lh = max(a[3], b[3], 1.0)
    dy = abs(b[1] - a[1])
    return abs(b[0] - a[0]) > d.caret_jump_lines * lh and dy < 0.5 * lh or dy > d.caret_next_line * lh


def salient(features: Features, i: int, box: list[float], d) -> bool:
    """Whether a viewer would look at box around frame i, by the learned saliency (its best block over the
    frames around i): an on-screen keyboard's key pop-ups are not, a toast is. True without a saliency map."""
    raw = features.raw
    if not raw.has("saliency"):
        return True
    sal = raw.data["saliency"]
    gh, gw = sal.shape
    bh, bw = features.meta["height"] / gh, features.meta["width"] / gw
    rows, cols = framing.cells(box, bw, bh)
    grids = sal.dense(max(0, i - 1), i + 2)[:, rows, cols]
    return bool(grids.size) and int(grids.max()) >= d.transient_min_saliency
