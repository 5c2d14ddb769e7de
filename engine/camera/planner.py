"""Path planning: the EDL's segments (and nothing else) -> a window per output frame.

The camera starts where the first segment aims. Each `focus_in` or `release` starts a move at its t0, from
wherever the camera is (a move cut short by the next one hands on its velocity), to the window of the `hold`
or `wide` it leads into, arriving at rest after its `settle_s` (or by that segment's start, if sooner); a
move cut short by another ramp heads for its own roi. `hold` and `wide` segments never move the camera. The
moves are minimum-jerk quintics (easing.py) evaluated exactly at each output frame's time, in float64: the
same EDL gives the same track at any output rate, and an edited roi or boundary is followed exactly.

Windows stay inside the frame, or, with `output.pad` blur or color, may grow past it up to the window that
shows the whole frame, centred on the axis where they are larger than it (framing.place). A release may
overshoot (`camera.release_overshoot`); look=tilt-follow adds a per-frame tilt (`tilt_moves`).
"""
from __future__ import annotations

import math

import numpy as np
from omegaconf import DictConfig

from ..config import plain
from ..director.framing import largest, place
from ..director.timeline import RAMPS, STILL, Timeline
from .easing import Move, state
from .track import CameraTrack


OVERSHOOT_SHARE = 0.7    # an overshooting release reaches its far point at this share of its settle_s


def moves(timeline: Timeline, aspect: float, overshoot: float = 0.0
          ) -> tuple[list[float], list[tuple[float, list[float], float]]]:
    """(the camera's starting [cx, cy, log w], [(start s, target, duration s)] of every move), from the segments.
    overshoot > 0: a release first goes past its target by that share of the move (from where the camera was
    heading), arriving there at rest, then settles back onto the target by the same end time."""
    segs = timeline.segments
    out = []
    first = segs[0]
    aim = None if first.mode in RAMPS else state(first.roi, aspect)
    start = aim
    for k, s in enumerate(segs):
        if s.mode not in RAMPS:
            continue
        nxt = segs[k + 1] if k + 1 < len(segs) else None
        settles = nxt is not None and nxt.mode in STILL
        roi = nxt.roi if settles else s.roi
        T = float(s.settle_s)
        if settles:
            T = min(T, nxt.t0 - s.t0)
        target = state(roi, aspect)
        if start is None:
            start = aim = target
        if overshoot > 0 and s.mode == "release" and T > 0:
            far = [q + overshoot * (q - p) for p, q in zip(aim, target)]
            out.append((s.t0, far, OVERSHOOT_SHARE * T))
            out.append((s.t0 + OVERSHOOT_SHARE * T, target, (1 - OVERSHOOT_SHARE) * T))
        else:
            out.append((s.t0, target, T))
        aim = target
    return start, out


def follow(start: list[float], todo: list[tuple[float, list[float], float]], times: np.ndarray) -> np.ndarray:
    """(len(times), len(start)) positions of a chain of moves at each time: each move starts at its time from
    where the previous one has got to (position, speed, acceleration)."""
    zero = [0.0] * len(start)
    cur = Move(0.0, (start, zero, zero), start, 0.0)
    k = 0
    out = np.zeros((len(times), len(start)), dtype=np.float64)
    for j, t in enumerate(times):
        while k < len(todo) and todo[k][0] <= t:
            t0, target, T = todo[k]
            cur = Move(t0, cur.at(t0), target, T)
            k += 1
        out[j] = cur.at(float(t))[0]
    return out


def tilt_moves(timeline: Timeline, aspect: float, look) -> list[tuple[float, list[float], float]]:
    """look=tilt-follow's tilt as moves (degrees): a focus_in leans toward the subject (the sign of its vertical
    move: down positive) by look.focus_deg over its settle_s, the hold after it flattens over look.flatten_s,
    a release leans the other way by look.release_deg at its middle and ends flat."""
    segs = timeline.segments
    out = []
    aim = state(segs[0].roi, aspect)
    lean = 1.0
    for k, s in enumerate(segs):
        nxt = segs[k + 1] if k + 1 < len(segs) else None
        if s.mode in RAMPS:
            settles = nxt is not None and nxt.mode in STILL
            T = min(float(s.settle_s), nxt.t0 - s.t0) if settles else float(s.settle_s)
            target = state(nxt.roi if settles else s.roi, aspect)
            if s.mode == "focus_in":
                dy = target[1] - aim[1]
                lean = -1.0 if dy < -0.01 * timeline.height else 1.0
                out.append((s.t0, [lean * float(look.focus_deg)], T))
            else:
                out.append((s.t0, [-lean * float(look.release_deg)], T / 2))
                out.append((s.t0 + T / 2, [0.0], T / 2))
            aim = target
        elif s.mode == "hold" and k > 0:
            out.append((s.t0, [0.0], float(look.flatten_s)))
    return out


def plan(timeline: Timeline, cfg: DictConfig) -> CameraTrack:
    """The camera track for timeline.output (width, height, fps) from the timeline's segments alone (and the
    camera's, output's and look's settings: overshoot, whether windows may extend past the frame, the tilt)."""
    c = plain(cfg.camera)
    if timeline.output is None:
        raise ValueError("the timeline has no output (width, height, fps): set it before planning")
    ow, oh, out_fps = timeline.output
    W, H = float(timeline.width), float(timeline.height)
    aspect = ow / oh
    wmax = largest(W, H, aspect, str(cfg.output.pad) != "none")
    start, todo = moves(timeline, aspect, float(c.release_overshoot))
    m = max(1, int(round(timeline.duration * out_fps)))
    times = np.arange(m, dtype=np.float64) * (1.0 / out_fps)     # j * dt, as the track has always been timed
    pos = follow(start, todo, times)
    rows = np.zeros((m, 6), dtype=np.float64)
    for j in range(m):
        cx, cy, lw = pos[j]
        w = min(math.exp(lw), wmax)
        hh = w / aspect
        cx, cy = place(cx, w, W), place(cy, hh, H)
        rows[j] = (times[j], cx - w / 2, cy - hh / 2, w, hh, c.tilt)
    if cfg.look.name == "tilt-follow":
        rows[:, 5] += follow([0.0], tilt_moves(timeline, aspect, cfg.look), times)[:, 0]
    return CameraTrack(width=int(W), height=int(H), fps=out_fps, out_width=ow, out_height=oh, frames=rows)
