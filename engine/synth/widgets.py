"""Widgets shared by the phone and desktop apps: transient cards, on-screen keyboard, clock, spinner and
ambient progress bar (the mouse pointer is in pointer.py). Each one reports its truth event."""
from __future__ import annotations

from . import fonts, paint
from .canvas import Layer, Surface, even


def ease(p: float) -> float:
    return 1 - (1 - p) ** 3


# ---------------------------------------------------------------------------------------------- transients
class Transient:
    """A card (RGBA image with `shadow` px margins) whose element box is `box`; shows and hides animated.

    anim: 'fade' (opacity), 'slide' (drops in from above the frame top), 'expand' (unrolls downwards)."""

    def __init__(self, app, kind: str, ident: str, im, box, shadow: int, anim: str = "fade", z: int = 40,
                 extra=None):
        self.app, self.kind, self.ident, self.box, self.anim = app, kind, ident, [even(v) for v in box], anim
        self.shadow, self.extra = shadow, extra or {}
        self.surf = Surface.from_image(im)
        self.lx, self.ly = self.box[0] - shadow, self.box[1] - shadow
        self.layer = Layer(kind, self.surf, self.lx, self.ly, z=z, visible=False)
        self.event = None
        self.shown = False

    def _dur(self) -> float:
        P = self.app.P
        return {"fade": P.fade_s, "slide": P.slide_s, "expand": P.expand_s}[self.anim]

    def _apply(self, p: float) -> None:
        c, L = self.app.canvas, self.layer
        if self.anim == "fade":
            c.update(L, opacity=round(p, 3), visible=True)
        elif self.anim == "slide":
            y0 = -self.surf.h
            c.update(L, y=even(y0 + (self.ly - y0) * ease(p)), visible=True)
        else:
            c.update(L, clip=(self.lx, self.ly, self.surf.w, max(2, even(self.surf.h * ease(p)))), visible=True)

    def show(self, bbox=None):
        """Start the entry animation now; bbox overrides the event box (dropdown: control + list)."""
        app = self.app
        self.event = app.truth.event(app.t, None, self.kind, bbox or self.box, id=self.ident, **self.extra)
        self.shown = True
        if self.anim == "slide":
            self.layer.y = -self.surf.h
        app.canvas.add(self.layer)
        i0, n = app.i, app.frames(self._dur())

        def f(i):
            k = i - i0 + 1
            self._apply(min(1.0, k / n))
            return k < n
        app.animate(f)
        return self

    def replace(self, im) -> None:
        """Swap the card's picture (same size), e.g. a highlighted menu item."""
        self.surf = Surface.from_image(im)
        self.app.canvas.update(self.layer, surf=self.surf)

    def hide(self, then=None) -> None:
        app = self.app
        i0, n = app.i, app.frames(self._dur())

        def f(i):
            k = i - i0 + 1
            if k >= n:
                app.canvas.remove(self.layer)
                self.event["t1"] = round(i / app.P.fps, 3)
                self.shown = False
                if then:
                    then()
                return False
            self._apply(1 - k / n)
            return True
        app.animate(f)


def card_text(d, x, y, w, s: str, kind: str, size: int, fill, lh: int, max_lines: int = 3) -> int:
    """Word-wrap s into width w at (x, y); returns the y below the last line."""
    line = ""
    n = 0
    for word in s.split():
        t = (line + " " + word).strip()
        if line and fonts.width(kind, size, t) > w:
            paint.text(d, x, y + n * lh, lh, line, kind, size, fill)
            n += 1
            line = word
            if n >= max_lines:
                return y + n * lh
        else:
            line = t
    if line:
        paint.text(d, x, y + n * lh, lh, line, kind, size, fill)
        n += 1
    return y + n * lh


# ---------------------------------------------------------------------------------------------- keyboard
class Keyboard:
    """Phone keyboard: suggestion strip + 4 rows of keys; typed keys light up (ambient while shown)."""
    ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]

    def __init__(self, app, top: int, shown: bool, z: int = 50):
        self.app, self.top = app, top
        P, th = app.P, app.th
        W, H = app.W, P.ph_kb_h
        q = lambda v: v if app.kx == 1 else even(v * app.kx)      # keyboard sizes follow the screen width
        self.q = q
        self.box = [0, top, W, H]
        self.strip_h = q(100)
        self.keys = {}
        pitch, kw, kh, rp = W / 10.0, even(W / 10.0 - q(12)), q(118), q(142)
        y0 = self.strip_h + q(14)
        for r, row in enumerate(self.ROWS):
            off = q(6) + (pitch / 2 if r == 1 else pitch * 1.5 if r == 2 else 0)
            for k, ch in enumerate(row):
                self.keys[ch] = (even(off + k * pitch), y0 + r * rp, kw, kh, ch)
        self.keys["shift"] = (q(6), y0 + 2 * rp, even(pitch * 1.35), kh, "\u21e7")
        self.keys["back"] = (even(W - q(6) - pitch * 1.35), y0 + 2 * rp, even(pitch * 1.35), kh, "\u232b")
        y3 = y0 + 3 * rp
        self.keys["123"] = (q(6), y3, q(150), kh, "123")
        self.keys[","] = (q(166), y3, q(96), kh, ",")
        self.keys[" "] = (q(272), y3, q(494), kh, "space")
        self.keys["."] = (q(776), y3, q(96), kh, ".")
        self.keys["\n"] = (q(882), y3, q(192), kh, "return")
        im, d = paint.image(W, H, th.kb_bg)
        for name, (x, y, w, h, label) in self.keys.items():
            self._key(d, x, y, w, h, label, th.key2 if name in ("shift", "back", "123", "\n") else th.key)
        self.surf = Surface.from_image(im)
        self.layer = app.canvas.add(Layer("keyboard", self.surf, 0, top if shown else app.H, z=z, visible=shown))
        self.hi = app.canvas.add(Layer("keyhi", Surface.solid(2, 2, th.key_hi), z=z + 1, visible=False))
        self.hi_until = 0
        self.word = ""
        self.event = app.truth.event(0.0, None, "ambient", self.box, name="on-screen keyboard") if shown else None
        self.set_strip(["the", "to", "and"])

    def _key(self, d, x, y, w, h, label, fill) -> None:
        th, P, q = self.app.th, self.app.P, self.q
        paint.rrect(d, (x, y, w, h), q(14), fill)
        size = P.ph_key_font if len(label) == 1 else q(28)
        tw = fonts.width("sans", size, label)
        paint.text(d, x + (w - tw) / 2, y, h, label, "sans", size, th.text)

    def set_strip(self, words) -> None:
        th, P, W, q = self.app.th, self.app.P, self.app.W, self.q
        im, d = paint.image(W, self.strip_h, th.kb_bg)
        for k, wd in enumerate(words[:3]):
            tw = fonts.width("sans", q(32), wd)
            paint.text(d, W * (2 * k + 1) / 6 - tw / 2, 0, self.strip_h, wd, "sans", q(32), th.text)
            if k:
                d.line((W * k / 3, q(28), W * k / 3, self.strip_h - q(28)), fill=th.line, width=2)
        self.surf.paste(Surface.from_image(im), 0, 0)
        self.app.canvas.damage_layer(self.layer, 0, 0, W, self.strip_h)

    def press(self, ch: str) -> None:
        app = self.app
        name = {"\b": "back"}.get(ch, ch.lower())
        if name not in self.keys:
            name = "123" if not ch.isalpha() else "shift"
        x, y, w, h, label = self.keys[name]
        im, d = paint.image(w, h, app.th.kb_bg)
        self._key(d, 0, 0, w, h, label, app.th.key_hi)
        app.canvas.update(self.hi, surf=Surface.from_image(im), x=x, y=self.layer.y + y, visible=True)
        self.hi_until = app.i + app.frames(app.P.key_flash_s)
        if ch.isalpha():
            self.word += ch.lower()
        elif self.word:
            from .texts import suggestions
            self.set_strip(suggestions(self.word))
            self.word = ""

    def tick(self, i: int) -> None:
        if self.hi.visible and i >= self.hi_until:
            self.app.canvas.update(self.hi, visible=False)

    def slide(self, show: bool, then=None) -> None:
        app = self.app
        i0, n = app.i, app.frames(app.P.slide_s)
        if show:
            self.event = app.truth.event(app.t, None, "ambient", self.box, name="on-screen keyboard")
            app.canvas.update(self.layer, visible=True)

        def f(i):
            p = ease(min(1.0, (i - i0 + 1) / n))
            y = self.top + (app.H - self.top) * ((1 - p) if show else p)
            app.canvas.update(self.layer, y=even(y))
            if then:
                then(self.layer.y)
            if i - i0 + 1 >= n:
                if not show:
                    app.canvas.update(self.layer, visible=False)
                    self.event["t1"] = round(app.t, 3)
                return False
            return True
        app.animate(f)


# ---------------------------------------------------------------------------------------------- ambient
class Clock:
    """A clock ticking seconds (hh:mm:ss) drawn on bg at (x, y) in a w x h box."""

    def __init__(self, app, x, y, w, h, size, fg, bg, start_s: int, kind="bold", align="left"):
        self.app, self.x, self.y, self.w, self.h = app, x, y, w, h
        self.size, self.fg, self.bg, self.start, self.kind, self.align = size, fg, bg, start_s, kind, align
        self.layer = app.canvas.add(Layer("clock", self._tile(0), x, y, z=30))
        self.shown = 0

    def _tile(self, sec: int) -> Surface:
        s = self.start + sec
        txt = f"{s // 3600 % 24:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
        off = 0 if self.align == "left" else int((self.w - fonts.width(self.kind, self.size, txt)) / 2)
        return paint.text_tile(txt, self.kind, self.size, self.fg, self.bg, self.w, self.h, off)

    def tick(self, i: int) -> None:
        sec = i // self.app.P.fps
        if sec != self.shown:
            self.shown = sec
            self.app.canvas.update(self.layer, surf=self._tile(sec))


class Spinner:
    def __init__(self, app, x, y, size, fg, bg, name="spinner"):
        self.app = app
        self.frames = paint.spinner_frames(size, app.P.spinner_frames, fg, bg)
        self.layer = app.canvas.add(Layer(name, self.frames[0], even(x), even(y), z=30))
        self.step = app.frames(app.P.spinner_step_s)
        app.truth.event(app.t, None, "ambient", [self.layer.x, self.layer.y, size, size], name=name)

    def tick(self, i: int) -> None:
        if i % self.step == 0:
            self.app.canvas.update(self.layer, surf=self.frames[(i // self.step) % len(self.frames)])


class ProgressBar:
    """A thin bar filling over `cycle_s` (ambient: restarts) or once (`fill`), drawn at (x, y, w, h)."""

    def __init__(self, app, x, y, w, h, fg, track, z=30, name=None):
        self.app, self.fg, self.track = app, fg, track
        self.surf = Surface.solid(even(w), even(h), track)
        self.layer = app.canvas.add(Layer(name or "progress", self.surf, even(x), even(y), z=z))
        self.filled = 0
        if name:
            app.truth.event(app.t, None, "ambient", [self.layer.x, self.layer.y, even(w), even(h)], name=name)

    def set(self, p: float) -> None:
        n = even(self.surf.w * max(0.0, min(1.0, p)))
        if n == self.filled:
            return
        self.surf.fill(self.track)
        if n:
            self.surf.fill(self.fg, 0, 0, n, self.surf.h)
        self.filled = n
        self.app.canvas.damage_layer(self.layer)
