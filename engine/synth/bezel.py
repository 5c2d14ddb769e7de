"""A device frame around the phone screen, as simulator captures show it: the screen (rounded corners, a
camera island) inset in a rounded device body with side buttons, on a black, dark or coloured background.

The app draws its screen on its own canvas; every frame the repainted rectangles are copied into the video
picture at the screen's offset, and the parts of the frame that lie over the screen (its rounded corners, the
island) are laid over them again. Truth and labels are shifted by the same offset (video pixels).
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from .canvas import Surface, _blend, even, planes
from .params import BEZEL_BACKGROUNDS, BEZEL_BODIES

SS = 3                       # the frame is drawn this many times larger, then scaled down (smooth edges)


class Bezel:
    """The video picture around a phone screen; geometry from Params (bezel_*), colours from the Style."""

    def __init__(self, size, style, P):
        self.vw, self.vh = size
        self.border, self.radius, self.island = P.bezel_border, P.bezel_radius, P.bezel_island
        sh = even(self.vh * style.bezel_share)
        sw = even(sh * P.bezel_aspect)
        if sw > self.vw * P.bezel_max_w:
            sw = even(self.vw * P.bezel_max_w)
            sh = even(sw / P.bezel_aspect)
        self.sw, self.sh = sw, sh
        self.ox, self.oy = even((self.vw - sw) / 2), even((self.vh - sh) / 2)
        im = self._draw(BEZEL_BACKGROUNDS[style.bezel_bg % len(BEZEL_BACKGROUNDS)],
                        BEZEL_BODIES[style.bezel_body % len(BEZEL_BODIES)])
        frame = Surface.from_image(im)
        self.buf = np.zeros((self.vh * 3 // 2, self.vw), np.uint8)
        self.Y, self.U, self.V = planes(self.buf, self.vw, self.vh)
        self.Y[:], self.U[:], self.V[:] = frame.y, frame.u, frame.v
        self.patches = self._patches(im)
        self.first = True

    def _draw(self, bg, body):
        """The frame as an RGBA picture of the video: opaque except over the screen. Drawn at SS times the size
        and scaled down, so its edges are smooth (thin hard edges flicker once compressed)."""
        q = SS
        ox, oy, sw, sh = self.ox * q, self.oy * q, self.sw * q, self.sh * q
        b, r = even(self.sw * self.border) * q, int(self.sw * self.radius) * q
        size = (self.vw * q, self.vh * q)
        im = Image.new("RGB", size, tuple(bg))
        d = ImageDraw.Draw(im)
        edge = tuple(min(255, c + 40) for c in body)
        for side, ys in ((-1, (0.16, 0.22)), (-1, (0.25, 0.33)), (-1, (0.35, 0.43)), (1, (0.27, 0.38))):
            x = ox - b - 5 * q if side < 0 else ox + sw + b - 3 * q
            d.rounded_rectangle((x, oy + sh * ys[0], x + 8 * q, oy + sh * ys[1]), 2 * q, fill=edge)
        d.rounded_rectangle((ox - b, oy - b, ox + sw + b - 1, oy + sh + b - 1), r + b, fill=tuple(body),
                            outline=edge, width=max(2, b // 6))
        d.rounded_rectangle((ox - 2 * q, oy - 2 * q, ox + sw + 2 * q - 1, oy + sh + 2 * q - 1), r + 2 * q,
                            fill=(0, 0, 0))
        hole = Image.new("L", size, 0)
        hd = ImageDraw.Draw(hole)
        hd.rounded_rectangle((ox, oy, ox + sw - 1, oy + sh - 1), r, fill=255)
        iw, ih, gap = (int(self.sw * k) * q for k in self.island)
        hd.rounded_rectangle(((size[0] - iw) // 2, oy + gap, (size[0] + iw) // 2, oy + gap + ih), ih // 2, fill=0)
        small = (self.vw, self.vh)
        im = im.resize(small, Image.LANCZOS).convert("RGBA")
        hole = np.asarray(hole.resize(small, Image.LANCZOS))
        im.putalpha(Image.fromarray(255 - hole))
        return im

    def _patches(self, im):
        """Pieces of the frame over the screen (corners, island): (x, y, Surface with alpha) in video px."""
        ox, oy, sw, sh = self.ox, self.oy, self.sw, self.sh
        r = even(sw * self.radius) + 2
        iw, ih, gap = (int(sw * k) for k in self.island)
        boxes = [(ox, oy, r, r), (ox + sw - r, oy, r, r), (ox, oy + sh - r, r, r), (ox + sw - r, oy + sh - r, r, r),
                 (even((self.vw - iw) / 2) - 2, oy + even(gap) - 2, even(iw) + 6, even(ih) + 6)]
        out = []
        for x, y, w, h in boxes:
            out.append((x, y, Surface.from_image(im.crop((x, y, x + w, y + h)))))
        return out

    def compose(self, canvas, rects):
        """The video picture: the screen's repainted rectangles copied in, the frame's pieces over them."""
        if self.first:
            rects, self.first = [(0, 0, self.sw, self.sh)], False
        ox, oy = self.ox, self.oy
        touched = set()
        for (x0, y0, x1, y1) in rects:
            self._copy(canvas, x0, y0, x1, y1)
            for k, (px, py, s) in enumerate(self.patches):
                if px - ox < x1 and x0 < px - ox + s.w and py - oy < y1 and y0 < py - oy + s.h:
                    touched.add(k)
        for k in sorted(touched):
            px, py, s = self.patches[k]
            self._copy(canvas, px - ox, py - oy, px - ox + s.w, py - oy + s.h)
            _blend(self.Y[py:py + s.h, px:px + s.w], s.y, s.a, 1.0)
            _blend(self.U[py // 2:(py + s.h) // 2, px // 2:(px + s.w) // 2], s.u, s.a2, 1.0)
            _blend(self.V[py // 2:(py + s.h) // 2, px // 2:(px + s.w) // 2], s.v, s.a2, 1.0)
        return self.buf

    def _copy(self, canvas, x0, y0, x1, y1) -> None:
        ox, oy = self.ox, self.oy
        self.Y[oy + y0:oy + y1, ox + x0:ox + x1] = canvas.Y[y0:y1, x0:x1]
        cy, cx = slice((oy + y0) // 2, (oy + y1) // 2), slice((ox + x0) // 2, (ox + x1) // 2)
        self.U[cy, cx] = canvas.U[y0 // 2:y1 // 2, x0 // 2:x1 // 2]
        self.V[cy, cx] = canvas.V[y0 // 2:y1 // 2, x0 // 2:x1 // 2]
