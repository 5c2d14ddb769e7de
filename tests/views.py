"""What the camera shows, for tests: the window at a time, how much of a box it holds, its zoom."""
from __future__ import annotations

import math


def inside(box, win) -> float:
    """Share of box's area that lies inside win (both [x, y, w, h])."""
    bx, by, bw, bh = box
    wx, wy, ww, wh = win
    iw = max(0.0, min(bx + bw, wx + ww) - max(bx, wx))
    ih = max(0.0, min(by + bh, wy + wh) - max(by, wy))
    return iw * ih / (bw * bh)


def window_at(result, t):
    """The camera window [x, y, w, h] of an engine.analyze result at time t (s)."""
    f = result.camera.frames
    i = min(len(f) - 1, max(0, int(round(t * result.camera.fps))))
    return f[i, 1:5]


def zoom_at(result, t) -> float:
    w = window_at(result, t)
    return math.sqrt(result.camera.width * result.camera.height / (w[2] * w[3]))


def zooms(cam: dict, t0: float, t1: float) -> list[float]:
    """The linear zoom of every frame of a camera.json (as read) from t0 to t1 (s), both included."""
    W, H = cam["width"], cam["height"]
    return [math.sqrt(W * H / (f[3] * f[4])) for f in cam["frames"] if t0 <= f[0] <= t1]
