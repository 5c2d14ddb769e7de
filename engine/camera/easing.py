"""The camera's moves: minimum-jerk (quintic) easing that arrives exactly when the EDL says it does.

A move starts where the camera is (position, velocity, acceleration: a move may cut into one still under way)
and ends at its target at rest after `settle_s`, so a `hold` that starts then sees no motion at all. The
director sizes `settle_s` with `move_time` so that a move from rest stays within the camera's speed,
acceleration and zoom-rate limits. Coordinates: window centre x, y (source px) and log of its width.
Nothing here imports the director, so the director may use it.
"""
from __future__ import annotations

import math

# peak speed and acceleration of the rest-to-rest quintic, in units of distance / T and distance / T^2
PEAK_V = 1.875
PEAK_A = 10 / math.sqrt(3)


def state(roi: list[float], aspect: float) -> list[float]:
    """[centre x, centre y, log width] of the smallest window of `aspect` (w/h) holding roi [x, y, w, h]."""
    x, y, w, h = roi
    return [x + w / 2, y + h / 2, math.log(max(w, h * aspect, 1e-6))]


def move_time(a: list[float], b: list[float], aspect: float, base_s: float, limits, diag: float) -> float:
    """Seconds a move from window a to window b takes: base_s, or longer when the quintic from rest would pass
    limits.max_speed or limits.max_accel (frame diagonals/s, /s^2) or limits.max_zoom_rate (log units/s)."""
    p, q = state(a, aspect), state(b, aspect)
    d = math.hypot(q[0] - p[0], q[1] - p[1])
    z = abs(q[2] - p[2])
    return max(base_s,
               PEAK_V * d / (limits.max_speed * diag),
               math.sqrt(PEAK_A * d / (limits.max_accel * diag)),
               PEAK_V * z / limits.max_zoom_rate)


class Move:
    """One quintic per axis (the window's three, or a single tilt): from (p0, v0, a0) at t0 to (p1, 0, 0) at
    t0 + T."""

    def __init__(self, t0: float, start: tuple[list, list, list], target: list[float], T: float):
        self.t0, self.T, self.target = t0, T, target
        p0, v0, a0 = start
        self.coef = []
        for k in range(len(target)):
            if T <= 0:
                self.coef.append(None)
                continue
            d = target[k] - p0[k]
            v, a = v0[k] * T, a0[k] * T * T            # in units of the normalised time u = (t - t0) / T
            c3 = 10 * d - 6 * v - 1.5 * a
            c4 = -15 * d + 8 * v + 1.5 * a
            c5 = 6 * d - 3 * v - 0.5 * a
            self.coef.append((p0[k], v, 0.5 * a, c3, c4, c5))

    def at(self, t: float) -> tuple[list, list, list]:
        """(position, velocity, acceleration) at time t (the target at rest once the move is over)."""
        u = (t - self.t0) / self.T if self.T > 0 else 1.0
        if u >= 1.0:
            return list(self.target), [0.0] * len(self.target), [0.0] * len(self.target)
        u = max(u, 0.0)
        pos, vel, acc = [], [], []
        for c0, c1, c2, c3, c4, c5 in self.coef:
            pos.append(c0 + u * (c1 + u * (c2 + u * (c3 + u * (c4 + u * c5)))))
            vel.append((c1 + u * (2 * c2 + u * (3 * c3 + u * (4 * c4 + u * 5 * c5)))) / self.T)
            acc.append((2 * c2 + u * (6 * c3 + u * (12 * c4 + u * 20 * c5))) / (self.T * self.T))
        return pos, vel, acc
