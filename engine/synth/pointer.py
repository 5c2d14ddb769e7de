"""The mouse pointer: looks (classic white arrow, Mac black arrow, light arrow), shapes (arrow, I-beam over text,
hand over buttons), an optional drop shadow, and its moves (eased travel to a click, small drifts, rests).

Each picture knows its hotspot (the click point): a move aims the hotspot at the target. Every move is an
ambient 'pointer' truth event over the box it sweeps. The plain recording's pointer (look 'classic', one shape,
no shadow) is drawn and placed exactly as it always was (paint.pointer, its top-left corner at the target).
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import paint
from .canvas import Layer, Surface, even

SS = 4                      # supersampling factor for anti-aliased pointers
LOOKS = {                   # look -> arrow (fill, outline), I-beam (fill, outline), hand (fill, outline)
    "classic": (((255, 255, 255), (10, 10, 10)), ((10, 10, 10), (255, 255, 255)), ((255, 255, 255), (10, 10, 10))),
    "mac": (((0, 0, 0), (255, 255, 255)), ((0, 0, 0), (255, 255, 255)), ((255, 255, 255), (0, 0, 0))),
    "light": (((255, 255, 255), (0, 0, 0)), ((0, 0, 0), (230, 230, 230)), ((255, 255, 255), (0, 0, 0))),
}


def _arrow(d, s, fill, line, o):
    pts = [(o, o), (o, o + 20 * s), (o + 5 * s, o + 15.5 * s), (o + 8.5 * s, o + 22.5 * s), (o + 11 * s, o + 21.5 * s),
           (o + 7.8 * s, o + 14.5 * s), (o + 14 * s, o + 14.5 * s)]
    d.polygon(pts, fill=fill, outline=line, width=max(SS, int(1.6 * s)))
    return o, o


def _ibeam(d, s, fill, line, o):
    cx, top, bot, arm = o + 5 * s, o, o + 22 * s, 3.2 * s
    for width, col in ((max(3 * SS, int(3.2 * s)), line), (max(SS, int(1.3 * s)), fill)):
        d.line((cx, top, cx, bot), fill=col, width=width)
        for y in (top, bot):
            d.line((cx - arm, y, cx + arm, y), fill=col, width=width)
    return cx, (top + bot) / 2


def _hand(d, s, fill, line, o):
    w = max(SS, int(1.4 * s))
    x = o + 4 * s                                             # the raised index finger
    d.rounded_rectangle((x, o, x + 4 * s, o + 14 * s), 2 * s, fill=fill, outline=line, width=w)
    d.rounded_rectangle((o + 1 * s, o + 10 * s, o + 5 * s, o + 17 * s), 2 * s, fill=fill, outline=line, width=w)
    d.rounded_rectangle((o + 3 * s, o + 9 * s, o + 17 * s, o + 23 * s), 4 * s, fill=fill, outline=line, width=w)
    for k in range(3):                                        # folded fingers
        fx = o + (8 + 3 * k) * s
        d.rounded_rectangle((fx, o + 8 * s, fx + 3.6 * s, o + 14 * s), 1.8 * s, fill=fill, outline=line, width=w)
    d.rectangle((x + w, o + 12 * s, o + 16 * s, o + 15 * s), fill=fill)
    return x + 2 * s, o


SHAPES = {"arrow": _arrow, "ibeam": _ibeam, "hand": _hand}


@lru_cache(maxsize=64)
def picture(shape: str, look: str, h: int, shadow: float):
    """(Surface, hotspot (x, y) in it, tight box (x, y, w, h) of its pixels) of a pointer h px tall; shadow: the
    drop shadow's opacity (0: none)."""
    if look == "classic" and shape == "arrow" and not shadow:
        surf = paint.pointer(h)
        return surf, (1, 1), _tight(surf)
    fill, line = LOOKS[look][("arrow", "ibeam", "hand").index(shape)]
    pad = 2 + (max(2, h // 8) if shadow else 0)
    size = int(h * 0.8) + 2 * pad + 2
    big = Image.new("RGBA", (size * SS, (h + 2 * pad + 2) * SS), (0, 0, 0, 0))
    hx, hy = SHAPES[shape](ImageDraw.Draw(big), h / 24.0 * SS, fill + (255,), line + (255,), pad * SS)
    im = big.resize((size, h + 2 * pad + 2), Image.LANCZOS)
    if shadow:
        a = np.asarray(im)[..., 3].astype(np.float32)
        sh = Image.fromarray((a * shadow).astype(np.uint8)).filter(ImageFilter.GaussianBlur(max(1, h / 14)))
        off = max(1, h // 14)
        base = Image.new("RGBA", im.size, (0, 0, 0, 0))
        base.putalpha(sh.transform(sh.size, Image.AFFINE, (1, 0, -off, 0, 1, -off)))
        im = Image.alpha_composite(base, im)
    w, hh = im.size
    canvas = Image.new("RGBA", (w + (w & 1), hh + (hh & 1)), (0, 0, 0, 0))
    canvas.paste(im, (0, 0))
    surf = Surface.from_image(canvas)
    return surf, (int(round(hx / SS)), int(round(hy / SS))), _tight(surf)


def _tight(surf: Surface):
    a = surf.a if surf.a is not None else np.full((surf.h, surf.w), 255, np.uint8)
    ys, xs = np.nonzero(a)
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min()) + 1, int(ys.max() - ys.min()) + 1


class Pointer:
    """The pointer layer; `move` starts an eased move of the hotspot to a target and logs its truth event."""

    def __init__(self, app, x, y, h, look="classic", shapes=False, shadow=False, z=90):
        self.app, self.h, self.look, self.shapes = app, h, look, shapes
        self.shadow = app.P.pointer_shadow_alpha if shadow else 0.0
        self.legacy = look == "classic" and not shapes and not shadow
        self.shape = "arrow"
        self.surf, self.anchor = self._picture("arrow")
        self.layer = app.canvas.add(Layer("pointer", self.surf, even(x - self.anchor[0]), even(y - self.anchor[1]),
                                          z=z))
        self.until = 0

    def pos(self):
        """Where the pointer aims (the target of its last move)."""
        return self.layer.x + self.anchor[0], self.layer.y + self.anchor[1]

    def _picture(self, shape: str):
        """(surface, anchor): the anchor is the point aimed at a target (the legacy pointer's corner)."""
        surf, hot, _ = picture(shape, self.look, self.h, self.shadow)
        return surf, (0, 0) if self.legacy else hot

    def _set_shape(self, shape: str) -> None:
        if shape != self.shape:
            self.shape = shape
            self.surf, self.anchor = self._picture(shape)

    def move(self, x, y, end_shape=None) -> float:
        """Start moving the pointer to (x, y); returns the move's duration in s. end_shape: the shape it takes
        on arrival (a hand over a button), else the one under it (when shapes are on)."""
        app, P = self.app, self.app.P
        x0, y0 = self.layer.x, self.layer.y
        ax, ay = self.anchor
        x1, y1 = even(min(max(x, 0), app.W - 8) - ax), even(min(max(y, 0), app.H - 8) - ay)
        dist = math.hypot(x1 - x0, y1 - y0)
        if dist < 2:
            return 0.0
        dur = max(P.pointer_min_move_s, dist / P.pointer_speed)
        i0, n = app.i, app.frames(dur)
        path = [(even(x0 + (x1 - x0) * self._ease(k / n)), even(y0 + (y1 - y0) * self._ease(k / n)))
                for k in range(1, n + 1)]
        shapes = [self.shape] * n
        if self.shapes:
            shapes = [app.shape_at(px + ax, py + ay) for px, py in path]
            if end_shape:
                shapes[-1] = end_shape
        steps, rects = [], [(x0, y0, self.surf.w, self.surf.h)]
        for (px, py), shape in zip(path, shapes):
            surf, anchor = self._picture(shape)
            px, py = even(px + ax - anchor[0]), even(py + ay - anchor[1])
            steps.append((px, py, shape))
            rects.append((px, py, surf.w, surf.h))
        bx0, by0 = min(r[0] for r in rects), min(r[1] for r in rects)
        bx1, by1 = max(r[0] + r[2] for r in rects), max(r[1] + r[3] for r in rects)
        app.truth.event(app.t, (i0 + n - 1) / P.fps, "ambient", [bx0, by0, bx1 - bx0, by1 - by0], name="pointer")
        self.until = i0 + n

        def f(i):
            k = i - i0
            px, py, shape = steps[k]
            self._set_shape(shape)
            app.canvas.update(self.layer, x=px, y=py, surf=self.surf)
            return k + 1 < n
        app.animate(f)
        return n / P.fps

    def drawn(self):
        """((hot_x, hot_y, x, y, w, h), style) of what shows in the frame, or None."""
        box = self.app.canvas.visible_box(self.layer, share=1 / 255)
        if box is None:
            return None
        _, hot, _ = picture(self.shape, self.look, self.h, self.shadow)
        return (self.layer.x + hot[0], self.layer.y + hot[1], *box), self.shape

    @staticmethod
    def _ease(p: float) -> float:
        return 0.5 - 0.5 * math.cos(math.pi * p)
