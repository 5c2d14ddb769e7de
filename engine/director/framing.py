"""Framing: turn a region of interest into a window of the output's aspect.

A window stays inside the frame, unless padding is allowed (`output.pad` blur or color) and the subject is
wider (or taller) than the largest window of the output's aspect inside the frame can show: then the window
grows past the frame on that axis, centred on it, up to the window that holds the whole frame, and the
render pads what lies outside. Window centres close to a composition (the frame's centre line or a third)
snap onto it when the subject still fits (`director.compose_snap`), so shots look chosen.
"""
from __future__ import annotations

import math

COMPOSITIONS = (0.5, 1 / 3, 2 / 3)     # where a window's centre may snap to, as share of the frame's width / height


def largest_inside(width: float, height: float, aspect: float) -> float:
    """Width of the largest window of `aspect` (w/h) inside the frame."""
    return min(width, height * aspect)


def span(width: float, height: float, aspect: float) -> float:
    """Width of the window of `aspect` whose area is the frame's: what "a share of the frame" means for a window
    of another aspect than the source's (the source's own width when the aspects agree), so min_window keeps
    the same largest zoom when a 16:9 recording is reframed to 9:16."""
    if abs(aspect * height - width) < 1e-9 * width:
        return float(width)
    return math.sqrt(width * height * aspect)


def tightest(width: float, height: float, aspect: float, min_frac: float, min_width: float = 0.0) -> float:
    """Width of the tightest window: min_frac of the frame by area and min_width of its width, at most the
    largest window inside the frame."""
    return min(max(min_frac * span(width, height, aspect), min_width * width), largest_inside(width, height, aspect))


def largest(width: float, height: float, aspect: float, beyond: bool) -> float:
    """Width of the largest window allowed: inside the frame, or, when it may extend past the frame
    (`beyond`), the one that holds the whole frame."""
    return max(width, height * aspect) if beyond else largest_inside(width, height, aspect)


def full_window(width: float, height: float, aspect: float, beyond: bool = False) -> list[float]:
    """The wide shot: the largest window of `aspect` (w/h) centred in the frame; with `beyond`, the window
    that shows the whole frame (padded on the axis where the output's aspect has room to spare)."""
    w = largest(width, height, aspect, beyond)
    h = w / aspect
    return [(width - w) / 2, (height - h) / 2, w, h]


def place(c: float, size: float, extent: float) -> float:
    """A window centre on one axis: inside the frame, or the frame's centre when the window is larger than it."""
    return extent / 2 if size >= extent else min(max(c, size / 2), extent - size / 2)


def snap(c: float, size: float, extent: float, lo: float, hi: float, tol: float) -> float:
    """The centre c moved onto the nearest composition line within tol * extent, if the window then still
    holds [lo, hi] (the padded subject on this axis); else c."""
    best = None
    for f in COMPOSITIONS:
        p = f * extent
        if abs(p - c) <= tol * extent and p - size / 2 <= lo + 1e-9 and p + size / 2 >= hi - 1e-9 and \
                (best is None or abs(p - c) < abs(best - c)):
            best = p
    return c if best is None else best


def fit(box: list[float], width: float, height: float, aspect: float, min_frac: float,
        pad_x: float = 0.0, pad_y: float = 0.0, anchor: list[float] | None = None, beyond: bool = False,
        snap_tol: float = 0.0, min_width: float = 0.0) -> list[float]:
    """Smallest window of `aspect` holding box (+padding), no smaller than min_frac of the frame (by area,
    `span`; at most the largest window inside the frame), kept inside the frame (with `beyond`: extending past it, centred, where the box needs
    more than the frame can show). `anchor` (x, y), when given, is the point the window is centred on instead
    of the box centre, as far as the box still fits. snap_tol > 0: a centre within this share of the frame of
    a composition line moves onto it when the padded box still fits. min_width: the tightest window is at least
    this share of the frame's width (what a line of text needs, whatever the output's aspect)."""
    x, y, bw, bh = box
    bw2, bh2 = bw + 2 * pad_x, bh + 2 * pad_y
    w = max(bw2, bh2 * aspect, tightest(width, height, aspect, min_frac, min_width))
    w = min(w, largest(width, height, aspect, beyond))
    h = w / aspect
    cx, cy = x + bw / 2, y + bh / 2
    if anchor is not None:
        ax, ay = anchor
        # move toward the anchor while the padded box stays inside the window
        cx = min(max(ax, x + bw2 - pad_x - w / 2), x - pad_x + w / 2) if bw2 <= w else cx
        cy = min(max(ay, y + bh2 - pad_y - h / 2), y - pad_y + h / 2) if bh2 <= h else cy
    if snap_tol > 0:
        cx = snap(cx, w, width, x - pad_x, x + bw + pad_x, snap_tol)
        cy = snap(cy, h, height, y - pad_y, y + bh + pad_y, snap_tol)
    cx, cy = place(cx, w, width), place(cy, h, height)
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


def cells(box: list[float], cell_w: float, cell_h: float | None = None) -> tuple[slice, slice]:
    """(rows, columns) of a grid of cell_w x cell_h px cells (square when cell_h is None) that box covers, at
    least one of each: for reading a per-cell feature (the cells' looks, the saliency) over a box."""
    cell_h = cell_w if cell_h is None else cell_h
    x0, y0 = int(box[0] // cell_w), int(box[1] // cell_h)
    x1 = max(x0 + 1, int(math.ceil((box[0] + box[2]) / cell_w)))
    y1 = max(y0 + 1, int(math.ceil((box[1] + box[3]) / cell_h)))
    return slice(y0, y1), slice(x0, x1)


def union(a: list[float], b: list[float]) -> list[float]:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return [x0, y0, x1 - x0, y1 - y0]


def moved(a: list[float], b: list[float], diag: float) -> float:
    """How far window a is from window b: centre shift over the diagonal, or relative size change."""
    dc = math.hypot(a[0] + a[2] / 2 - b[0] - b[2] / 2, a[1] + a[3] / 2 - b[1] - b[3] / 2) / diag
    return max(dc, abs(math.log(max(a[2], 1e-6) / max(b[2], 1e-6))))
