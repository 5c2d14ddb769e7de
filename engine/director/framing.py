"""Framing: turn a region of interest into a window of the output's aspect, inside the frame."""
from __future__ import annotations


def full_window(width: float, height: float, aspect: float) -> list[float]:
    """The largest window of `aspect` (w/h) centred in the frame."""
    w = min(width, height * aspect)
    h = w / aspect
    return [(width - w) / 2, (height - h) / 2, w, h]


def fit(box: list[float], width: float, height: float, aspect: float, min_frac: float,
        pad_x: float = 0.0, pad_y: float = 0.0, anchor: list[float] | None = None) -> list[float]:
    """Smallest window of `aspect` holding box (+padding), no smaller than min_frac of the largest window,
    kept inside the frame. `anchor` (x, y), when given, is the point the window is centred on instead of the
    box centre, as far as the box still fits."""
    x, y, bw, bh = box
    bw2, bh2 = bw + 2 * pad_x, bh + 2 * pad_y
    wmax = min(width, height * aspect)
    w = max(bw2, bh2 * aspect, min_frac * wmax)
    w = min(w, wmax)
    h = w / aspect
    cx, cy = x + bw / 2, y + bh / 2
    if anchor is not None:
        ax, ay = anchor
        # move toward the anchor while the padded box stays inside the window
        cx = min(max(ax, x + bw2 - pad_x - w / 2), x - pad_x + w / 2) if bw2 <= w else cx
        cy = min(max(ay, y + bh2 - pad_y - h / 2), y - pad_y + h / 2) if bh2 <= h else cy
    cx = min(max(cx, w / 2), width - w / 2)
    cy = min(max(cy, h / 2), height - h / 2)
    return [cx - w / 2, cy - h / 2, w, h]


def inside(box: list[float], win: list[float]) -> float:
    """Share of box's area that lies inside win."""
    bx, by, bw, bh = box
    wx, wy, ww, wh = win
    iw = max(0.0, min(bx + bw, wx + ww) - max(bx, wx))
    ih = max(0.0, min(by + bh, wy + wh) - max(by, wy))
    a = bw * bh
    return iw * ih / a if a > 0 else 1.0


def shrink(win: list[float], frac: float) -> list[float]:
    """The window shrunk by frac of its size on every side (the inner zone of the hysteresis)."""
    x, y, w, h = win
    return [x + w * frac, y + h * frac, w * (1 - 2 * frac), h * (1 - 2 * frac)]


def grow(box: list[float], by: float, width: float, height: float) -> list[float]:
    """box grown by `by` px on every side, kept inside the frame."""
    x0, y0 = max(0.0, box[0] - by), max(0.0, box[1] - by)
    x1, y1 = min(width, box[0] + box[2] + by), min(height, box[1] + box[3] + by)
    return [x0, y0, x1 - x0, y1 - y0]


def intersect(a: list[float], b: list[float]) -> list[float]:
    """The overlap of two boxes (zero size when they do not meet)."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return [x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0)]


def union(a: list[float], b: list[float]) -> list[float]:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return [x0, y0, x1 - x0, y1 - y0]


def moved(a: list[float], b: list[float], diag: float) -> float:
    """How far window a is from window b: centre shift over the diagonal, or relative size change."""
    import math
    dc = math.hypot(a[0] + a[2] / 2 - b[0] - b[2] / 2, a[1] + a[3] / 2 - b[1] - b[3] / 2) / diag
    return max(dc, abs(math.log(max(a[2], 1e-6) / max(b[2], 1e-6))))
