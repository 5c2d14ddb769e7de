"""Pillow drawing helpers: text tiles, cards with rounded corners and soft shadows, small icons."""
from __future__ import annotations

import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

from . import fonts
from .canvas import Surface


def image(w: int, h: int, bg):
    im = Image.new("RGB", (w, h), tuple(bg))
    return im, ImageDraw.Draw(im)


def baseline(kind: str, size: int, h: int) -> int:
    """y of the baseline that centres the font's ascent+descent in a box of height h."""
    asc, desc = fonts.metrics(kind, size)
    return int(round((h - (asc + desc)) / 2 + asc))


def text(d: ImageDraw.ImageDraw, x, y, h, s: str, kind: str, size: int, fill, anchor="ls") -> None:
    """Draw s with its left edge at x, vertically centred in the band [y, y + h)."""
    d.text((x, y + baseline(kind, size, h)), s, font=fonts.font(kind, size, s), fill=tuple(fill), anchor=anchor)


def text_tile(s: str, kind: str, size: int, fg, bg, w: int, h: int, x: int = 0) -> Surface:
    """An opaque w x h tile with s drawn from x, vertically centred."""
    return _text_tile(s, kind, fonts.face(kind, s), fonts.face(kind), size, fg, bg, w, h, x)


@lru_cache(maxsize=8192)
def _text_tile(s, kind, face, base, size, fg, bg, w, h, x) -> Surface:     # keyed by the font files too
    im, d = image(w, h, bg)
    if s:
        text(d, x, 0, h, s, kind, size, fg)
    return Surface.from_image(im)


def card(w: int, h: int, fill, radius: int, shadow: int, border=None, dark=False):
    """RGBA image of size (w + 2*shadow, h + 2*shadow): a rounded card at (shadow, shadow) with a soft shadow."""
    W, H = w + 2 * shadow, h + 2 * shadow
    im = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    if shadow:
        sh = Image.new("L", (W, H), 0)
        ImageDraw.Draw(sh).rounded_rectangle((shadow, shadow + 2, shadow + w - 1, shadow + h + 1), radius,
                                             fill=150 if dark else 90)
        sh = sh.filter(ImageFilter.GaussianBlur(shadow / 2.5))
        im.putalpha(sh)
    d = ImageDraw.Draw(im)
    d.rounded_rectangle((shadow, shadow, shadow + w - 1, shadow + h - 1), radius, fill=tuple(fill) + (255,),
                        outline=None if border is None else tuple(border) + (255,), width=2)
    return im, d


def rrect(d, box, radius, fill, outline=None, width=2) -> None:
    x, y, w, h = box
    d.rounded_rectangle((x, y, x + w - 1, y + h - 1), radius, fill=None if fill is None else tuple(fill),
                        outline=None if outline is None else tuple(outline), width=width)


def battery(d, x, y, h, fill, level=0.87) -> None:
    w = int(h * 1.9)
    d.rounded_rectangle((x, y, x + w, y + h), max(2, h // 5), outline=tuple(fill), width=2)
    d.rectangle((x + w + 1, y + h // 3, x + w + 3, y + 2 * h // 3), fill=tuple(fill))
    pad = 4 if h >= 8 else h // 3            # a phone drawn at a small UI scale: its battery is a few px tall
    d.rectangle((x + pad, y + pad, x + pad + int((w - 2 * pad) * level), y + h - pad), fill=tuple(fill))


def signal(d, x, y, h, fill) -> None:
    bw = max(3, h // 5)
    for k in range(4):
        bh = int(h * (k + 1) / 4)
        d.rectangle((x + k * (bw + 3), y + h - bh, x + k * (bw + 3) + bw - 1, y + h), fill=tuple(fill))


def spinner_frames(size: int, n: int, fg, bg) -> list[Surface]:
    """n opaque rotation frames of a 12-spoke activity spinner."""
    out = []
    for k in range(n):
        im, d = image(size, size, bg)
        c = size / 2
        for s in range(12):
            ang = 2 * math.pi * s / 12
            fade = ((s - k) % 12) / 12.0
            col = tuple(int(bg[i] + (fg[i] - bg[i]) * (0.2 + 0.8 * (1 - fade))) for i in range(3))
            r0, r1 = size * 0.22, size * 0.45
            d.line((c + r0 * math.cos(ang), c + r0 * math.sin(ang), c + r1 * math.cos(ang),
                    c + r1 * math.sin(ang)), fill=col, width=max(2, size // 12))
        out.append(Surface.from_image(im))
    return out


def pointer(h: int) -> Surface:
    """An arrow mouse pointer (white with a dark outline) on a transparent background."""
    w = h - (h // 3) + 2
    w, hh = w + (w & 1), h + (h & 1) + 2
    im = Image.new("RGBA", (w, hh), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    s = h / 24.0
    pts = [(1, 1), (1, 1 + 20 * s), (1 + 5 * s, 1 + 15.5 * s), (1 + 8.5 * s, 1 + 22.5 * s),
           (1 + 11 * s, 1 + 21.5 * s), (1 + 7.8 * s, 1 + 14.5 * s), (1 + 14 * s, 1 + 14.5 * s)]
    d.polygon(pts, fill=(255, 255, 255, 255), outline=(10, 10, 10, 255))
    d.line(pts + [pts[0]], fill=(10, 10, 10, 255), width=max(1, int(s)))
    return Surface.from_image(im)


def blend(c1, c2, t: float):
    return tuple(int(round(c1[i] + (c2[i] - c1[i]) * t)) for i in range(3))
