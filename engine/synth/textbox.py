"""Editable text controls: word-wrapped multi-line areas and single-line fields, and the blinking caret.

Text is edited at the end of a paragraph (the caret paragraph `cp`). Each visual line is a Pillow-rendered
tile; after an edit only the lines whose text changed are redrawn into the control's surface. The control
reports the caret box, the caret's line box and the README's per-keystroke context box.
"""
from __future__ import annotations

import re
from functools import lru_cache

from PIL import Image

from . import fonts, paint
from .canvas import Layer, Surface, even

TOKEN = re.compile(r"\S+\s*|\s+")


class Caret:
    """One caret per app: a bar, a block (terminal-like) or an underline, solid for caret_hold_s after a key or
    placement, then blinking when it blinks. The app passes its own look (shape, width, colour, blink); a
    Style other than 'app' replaces it. Boxes are snapped to even pixels for the app's own look (as always) and
    to whole pixels otherwise, so 1 and 3 px bars exist (drawn on an even-sized layer with alpha)."""

    def __init__(self, app, color, w: int, z: int = 60, blink: bool = True, shape: str = "bar", text=None):
        st = app.style
        self.legacy = st.caret == "app"
        if not self.legacy:
            shape = st.caret
            w = st.caret_px if shape == "bar" else w
        if st.caret_accent is not None:
            color = app.accent if st.caret_accent else (text or app.th.text)
        if st.blink is not None:
            blink = st.blink
        self.app, self.color, self.w, self.blink, self.shape = app, color, w, blink, shape
        self.thick = max(2, st.caret_px)            # underline thickness, px
        self.layer = app.canvas.add(Layer("caret", Surface.solid(2, 2, color), visible=False, z=z))
        self.el, self.box, self.hold, self.on = None, None, 0, False

    def cell(self, kind: str, size: int) -> int:
        """Width of the caret drawn after text of this font: the bar's, or one character cell."""
        return self.w if self.shape == "bar" else max(2, int(round(fonts.width(kind, size, "0"))))

    def geometry(self, cx, ly, lh, cw, row: bool = False) -> list:
        """The caret box at x cx on the line [ly, ly + lh); row: a terminal cell (the whole row high)."""
        ch = lh if row else int(lh * 0.8)
        top = ly + (lh - ch) / 2
        if self.shape == "underline":
            return [cx, top + ch - self.thick, cw, self.thick]
        return [cx, top, cw, ch]

    def _surface(self, x, y, w, h):
        """The layer's position and surface for a caret box: opaque where the caret is, even-sized."""
        if not (x % 2 or y % 2 or w % 2 or h % 2):
            s = self.layer.surf
            return x, y, s if (s.w, s.h) == (w, h) and s.a is None else Surface.solid(w, h, self.color)
        lx, ly = x & ~1, y & ~1
        W, H = even(x - lx + w + 1), even(y - ly + h + 1)
        im = Image.new("RGBA", (W, H), tuple(self.color) + (0,))
        im.paste(tuple(self.color) + (255,), (x - lx, y - ly, x - lx + w, y - ly + h))
        return lx, ly, Surface.from_image(im)

    def place(self, el: str, box, clip, placed: bool = False) -> None:
        """Show the caret of control el at box (x, y, w, h), solid for caret_hold_s. placed: by a click, tap or
        Tab (not a keystroke), so where it was it vanishes."""
        x, y, w, h = (even(v) for v in box) if self.legacy else (int(round(v)) for v in box)
        w, h = max(1, w), max(1, h)
        app = self.app
        if placed and (el, [x, y, w, h]) != (self.el, self.box):
            self.vanish()
        lx, ly, surf = self._surface(x, y, w, h)
        app.canvas.update(self.layer, x=lx, y=ly, surf=surf, clip=clip, visible=True)
        self.hold = app.i + app.frames(app.P.caret_hold_s)
        self.on = True
        if self.blink and (el, [x, y, w, h]) != (self.el, self.box):
            app.truth.span(app.t, el, [x, y, w, h])
        self.el, self.box = el, [x, y, w, h]

    def vanish(self) -> None:
        """The caret leaves where it was (placed elsewhere by a click or Tab, or hidden): that change is ambient.
        A blinking caret's idle span ends with a toggle; a steady one gets a one-frame 'idle caret' event. The
        app's own carets (legacy) keep their old truth: only blinking ones log, and only when hidden."""
        if self.el is None or self.legacy:
            return
        app = self.app
        if self.blink:
            app.truth.toggle(app.t, self.el)
        else:
            x, y, w, h = self.box
            app.truth.event(app.t, app.t + 1 / app.P.fps, "ambient", [x - 8, y, w + 16, h], name="idle caret")

    def hide(self) -> None:
        if self.el is not None and self.blink:
            self.app.truth.span(self.app.t, self.el, None)
            self.app.truth.toggle(self.app.t, self.el)
        elif self.el is not None and self.visible_now():
            self.vanish()
        self.app.canvas.update(self.layer, visible=False)
        self.el, self.box, self.on = None, None, False

    def tick(self, i: int) -> None:
        if self.el is None or not self.blink:
            return
        half = self.app.frames(self.app.P.caret_blink_s)
        on = i < self.hold or ((i - self.hold) // half) % 2 == 1
        if on != self.on:
            self.on = on
            self.app.canvas.update(self.layer, visible=on)
            self.app.truth.toggle(self.app.t, self.el)

    def visible_now(self) -> bool:
        return self.layer.visible and self.layer in self.app.canvas.layers

    def drawn(self):
        """(box, shape) of the caret pixels that show in the frame, or None."""
        if not self.layer.visible:
            return None
        box = self.app.canvas.visible_box(self.layer)
        return None if box is None else (box, self.shape)


def line_tile(s: str, kind: str, size: int, fg, bg, w: int, h: int) -> Surface:
    return _line_tile(s, kind, fonts.face(kind, s), fonts.face(kind), size, fg, bg, w, h)


@lru_cache(maxsize=768)
def _line_tile(s, kind, face, base, size, fg, bg, w, h) -> Surface:       # keyed by the font files too
    return paint.text_tile(s, kind, size, fg, bg, w, h)


class TextBox:
    def __init__(self, app, el: str, rect, kind: str, size: int, lh: int, fg, bg, pad=(16, 8),
                 multiline=True, label_top=None, placeholder: str = "", sub=None, z: int = 10, caret_w: int = 2):
        self.app, self.el, self.kind, self.size, self.lh, self.fg, self.bg = app, el, kind, size, lh, fg, bg
        self.x, self.y, self.w, self.h = rect
        self.padx, self.pady = pad
        self.tx, self.tw = self.x + self.padx, self.w - 2 * self.padx
        self.multiline, self.label_top, self.placeholder, self.sub = multiline, label_top, placeholder, sub or fg
        self.caret_w = caret_w
        self.paras, self.cp, self.scroll = [""], 0, 0
        self.lines: list[tuple[str, int]] = [("", 0)]
        self.surf = Surface.solid(self.w, self.h, bg)
        self.layer = app.canvas.add(Layer(el, self.surf, self.x, self.y, z=z))
        self._wrap_cache: dict = {}

    # ------------------------------------------------------------------ layout
    def wrap(self, s: str) -> list[str]:
        if not self.multiline:
            return [s]
        got = self._wrap_cache.get(s)
        if got is not None:
            return got
        out, cur = [], ""
        for tok in TOKEN.findall(s):
            if cur and fonts.width(self.kind, self.size, (cur + tok).rstrip()) > self.tw:
                out.append(cur)
                cur = tok
            else:
                cur += tok
        out.append(cur)
        if len(self._wrap_cache) > 4096:
            self._wrap_cache.clear()
        self._wrap_cache[s] = out
        return out

    def layout(self):
        return [(l, p) for p, s in enumerate(self.paras) for l in self.wrap(s)]

    def rows(self) -> int:
        """Visual lines that fit in the control."""
        return max(1, (self.h - 2 * self.pady) // self.lh)

    def line_top(self, k: int) -> int:
        """Screen y of visual line k (single-line fields centre their one line)."""
        if not self.multiline:
            return self.y + even((self.h - self.lh) / 2)
        return self.y + self.pady + k * self.lh - self.scroll

    def caret_line(self) -> int:
        return max(k for k, (_, p) in enumerate(self.lines) if p == self.cp)

    # ------------------------------------------------------------------ drawing
    def _draw_line(self, k: int) -> None:
        ly = self.line_top(k) - self.y
        if ly + self.lh <= 0 or ly >= self.h:
            return
        s = self.lines[k][0] if k < len(self.lines) else ""
        fg = self.fg
        if not any(self.paras) and k == 0 and self.placeholder:
            s, fg = self.placeholder, self.sub
        self.surf.paste(line_tile(s, self.kind, self.size, fg, self.bg, self.tw, self.lh), self.padx, ly)
        top, bot = max(0, ly), min(self.h, ly + self.lh)
        self.app.canvas.damage_layer(self.layer, self.padx, top, self.tw, bot - top)

    def redraw(self) -> None:
        self.surf.fill(self.bg)
        for k in range(len(self.lines)):
            ly = self.line_top(k) - self.y
            if -self.lh < ly < self.h:
                self._draw_line(k)
        self.app.canvas.damage_layer(self.layer)

    def _changed(self) -> None:
        old, new = self.lines, self.layout()
        self.lines = new
        for k in range(max(len(old), len(new))):
            if k >= len(old) or k >= len(new) or old[k][0] != new[k][0] or (k == 0 and not any(self.paras)):
                self._draw_line(k)

    def set_text(self, paras, cp=None) -> None:
        self.paras = list(paras) or [""]
        self.cp = len(self.paras) - 1 if cp is None else cp
        self.lines = self.layout()
        self.redraw()

    def set_scroll(self, off: int) -> None:
        off = even(off)
        if off != self.scroll:
            self.scroll = off
            self.redraw()

    def content_h(self) -> int:
        return 2 * self.pady + len(self.lines) * self.lh

    # ------------------------------------------------------------------ editing (at the end of paragraph cp)
    def caret_width(self) -> int:
        car = self.app.caret
        return self.caret_w if car is None or car.legacy else car.cell(self.kind, self.size)

    def fits(self, ch: str) -> bool:
        """Single-line: does ch still fit; multi-line: does the caret stay on a visible row."""
        if not self.multiline:
            return fonts.width(self.kind, self.size, self.paras[self.cp] + ch) + self.caret_width() + 4 <= self.tw
        return True

    def type(self, ch: str) -> None:
        self.paras[self.cp] += ch
        self._changed()

    def backspace(self) -> None:
        if self.paras[self.cp]:
            self.paras[self.cp] = self.paras[self.cp][:-1]
        elif self.cp > 0:
            del self.paras[self.cp]
            self.cp -= 1
        self._changed()

    def enter(self) -> None:
        self.paras.insert(self.cp + 1, "")
        self.cp += 1
        self._changed()

    def clear(self) -> None:
        self.paras, self.cp = [""], 0
        self._changed()

    # ------------------------------------------------------------------ geometry for truth
    def boxes(self):
        """(caret box, line box, context box) in frame pixels."""
        k = self.caret_line()
        s = self.lines[k][0]
        ly, lh, cw = self.line_top(k), self.lh, self.caret_width()
        cx = min(self.tx + fonts.width(self.kind, self.size, s), self.x + self.w - cw - 2)
        if self.app.caret is None or self.app.caret.legacy:
            ch = int(lh * 0.8)
            caret = [cx, ly + (lh - ch) / 2, cw, ch]
        else:
            caret = self.app.caret.geometry(cx, ly, lh, cw)
        x1 = max(self.tx + fonts.width(self.kind, self.size, s.rstrip()), cx + cw)
        line = [self.tx, ly, x1 - self.tx, lh]
        P = self.app.P
        pad = P.context_pad * lh
        cx0, cx1 = self.tx - pad, max(x1, self.tx + P.context_min_w * lh) + pad
        if self.multiline:
            cy0, cy1 = ly - lh, ly + 2 * lh
        else:
            cy0, cy1 = (self.y if self.label_top is None else self.label_top), self.y + self.h
        cx0, cy0 = max(cx0, self.x), max(cy0, self.y if self.label_top is None else self.label_top)
        cx1, cy1 = min(cx1, self.x + self.w), min(cy1, self.y + self.h)
        return caret, line, [cx0, cy0, cx1 - cx0, cy1 - cy0]

    def caret_clip(self):
        return (self.x, self.y, self.w, self.h)
