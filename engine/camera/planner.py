"""Path planning: the timeline's per-frame targets -> a smooth window per output frame.

Centre and log-size follow the target with a critically damped spring (slow on a push-in, quick on a
release), velocity and acceleration bounded, evaluated in float64 at sub-pixel precision. The target is read
`lead_s` ahead: the director works offline, so the camera may start a move before what it moves for.
"""
from __future__ import annotations

import math

import numpy as np
from omegaconf import DictConfig

from ..config import plain
from ..director import Timeline
from .track import CameraTrack


def plan(timeline: Timeline, cfg: DictConfig, out_size: tuple[int, int], out_fps: float) -> CameraTrack:
    c, d = plain(cfg.camera), plain(cfg.director)
    W, H = float(timeline.width), float(timeline.height)
    aspect = out_size[0] / out_size[1]
    diag = math.hypot(W, H)
    t_src = np.array([t for t, _, _ in timeline.targets])
    wins = [w for _, w, _ in timeline.targets]
    kinds = [k for _, _, k in timeline.targets]
    m = max(1, int(round(timeline.duration * out_fps)))
    dt = 1.0 / out_fps
    sub = max(1, int(c.substeps))
    h = dt / sub
    wmax = min(W, H * aspect)
    vmax = c.max_speed * diag
    amax = c.max_accel * diag
    zmax = c.max_zoom_rate
    state = None
    vel = [0.0, 0.0, 0.0]
    rows = np.zeros((m, 6), dtype=np.float64)
    for j in range(m):
        t = j * dt
        k = int(np.searchsorted(t_src, t + d.lead_s, side="right")) - 1
        k = min(max(k, 0), len(wins) - 1)
        x, y, w, _ = wins[k]
        tgt = [x + w / 2, y + (w / aspect) / 2, math.log(w)]
        if state is None:
            state = tgt[:]
        settle = d.focus_in_s if kinds[k] != "wide" else d.release_s
        om = 5.8 / max(settle, 1e-3)
        for _ in range(sub):
            for a in range(3):
                acc = om * om * (tgt[a] - state[a]) - 2 * om * vel[a]
                if a < 2:
                    acc = max(-amax, min(amax, acc))
                vel[a] += acc * h
                lim = vmax if a < 2 else zmax
                vel[a] = max(-lim, min(lim, vel[a]))
                state[a] += vel[a] * h
        w = min(math.exp(state[2]), wmax)
        hh = w / aspect
        cx = min(max(state[0], w / 2), W - w / 2)
        cy = min(max(state[1], hh / 2), H - hh / 2)
        rows[j] = (t, cx - w / 2, cy - hh / 2, w, hh, c.tilt)
    return CameraTrack(width=int(W), height=int(H), fps=out_fps, out_width=out_size[0], out_height=out_size[1],
                       frames=rows)
