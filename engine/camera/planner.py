"""Path planning: the EDL's segments (and nothing else) -> a window per output frame.

The camera starts where the first segment aims. Each `focus_in` or `release` starts a move at its t0, from
wherever the camera is (a move cut short by the next one hands on its velocity), to the window of the `hold`
or `wide` it leads into, arriving at rest after its `settle_s` (or by that segment's start, if sooner); a
move cut short by another ramp heads for its own roi. `hold` and `wide` segments never move the camera. The
moves are minimum-jerk quintics (easing.py) evaluated exactly at each output frame's time, in float64: the
same EDL gives the same track at any output rate, and an edited roi or boundary is followed exactly.
"""
from __future__ import annotations

import math

import numpy as np
from omegaconf import DictConfig

from ..config import plain
from ..director.timeline import RAMPS, STILL, Timeline
from .easing import Move, state
from .track import CameraTrack


def moves(timeline: Timeline, aspect: float) -> tuple[list[float], list[tuple[float, list[float], float]]]:
    """(the camera's starting [cx, cy, log w], [(start s, target, duration s)] of every move), from the segments."""
    segs = timeline.segments
    out = []
    for k, s in enumerate(segs):
        if s.mode not in RAMPS:
            continue
        nxt = segs[k + 1] if k + 1 < len(segs) else None
        settles = nxt is not None and nxt.mode in STILL
        roi = nxt.roi if settles else s.roi
        T = float(s.settle_s)
        if settles:
            T = min(T, nxt.t0 - s.t0)
        out.append((s.t0, state(roi, aspect), T))
    first = segs[0]
    start = out[0][1] if first.mode in RAMPS else state(first.roi, aspect)
    return start, out


def plan(timeline: Timeline, cfg: DictConfig) -> CameraTrack:
    """The camera track for timeline.output (width, height, fps) from the timeline's segments alone."""
    c = plain(cfg.camera)
    if timeline.output is None:
        raise ValueError("the timeline has no output (width, height, fps): set it before planning")
    ow, oh, out_fps = timeline.output
    W, H = float(timeline.width), float(timeline.height)
    aspect = ow / oh
    wmax = min(W, H * aspect)
    start, todo = moves(timeline, aspect)
    m = max(1, int(round(timeline.duration * out_fps)))
    dt = 1.0 / out_fps
    cur = Move(0.0, (start, [0.0] * 3, [0.0] * 3), start, 0.0)
    k = 0
    rows = np.zeros((m, 6), dtype=np.float64)
    for j in range(m):
        t = j * dt
        while k < len(todo) and todo[k][0] <= t:
            t0, target, T = todo[k]
            cur = Move(t0, cur.at(t0), target, T)
            k += 1
        (cx, cy, lw), _, _ = cur.at(t)
        w = min(math.exp(lw), wmax)
        hh = w / aspect
        cx = min(max(cx, w / 2), W - w / 2)
        cy = min(max(cy, hh / 2), H - hh / 2)
        rows[j] = (t, cx - w / 2, cy - hh / 2, w, hh, c.tilt)
    return CameraTrack(width=int(W), height=int(H), fps=out_fps, out_width=ow, out_height=oh, frames=rows)
