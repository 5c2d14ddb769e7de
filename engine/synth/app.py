"""The frame loop shared by the phone and desktop apps.

An app owns the canvas, the truth log and a list of animations (callables `f(i) -> keep`). A scenario is a
generator that performs actions on the app and yields the seconds to wait before its next action; `run`
steps it frame by frame, ticks the animations and ambient widgets, composes each frame and offers it to the
capture (capture.py), which encodes it or not; `label_state` reads what a frame's labels need.
"""
from __future__ import annotations

import random
from dataclasses import replace

from .canvas import Canvas, even
from .labels import CARET_STYLES, POINTER_STYLES
from .params import Params, Style, theme

# Params fields that are sizes: scaled by the layout scale k (TEXT: also by the text scale; KEYS: by the
# device width scale kx, as a phone keyboard always spans the screen); EVEN ones stay even (layer sizes)
SIZES = ("ph_status_h", "ph_header_h", "ph_ui_font", "ph_small_font", "ph_margin", "ph_composer_h", "dk_topbar_h",
         "dk_ui_font", "dk_title_h", "dk_pointer_px", "shadow_px", "pointer_speed")
TEXT = ("ph_font", "ph_line_h", "ph_bubble_font", "dk_font", "dk_line_h", "dk_mono", "dk_row_h")
KEYS = ("ph_kb_h", "ph_key_font")
EVEN = ("ph_status_h", "ph_header_h", "ph_composer_h", "ph_kb_h", "dk_topbar_h", "dk_title_h", "shadow_px",
        "ph_line_h", "dk_line_h", "dk_row_h")
PAIRS = ("wheel_step_px", "fling_v0", "pointer_drift_px")


def scaled(P: Params, k: float, kx: float, text: float) -> Params:
    """Params with every layout size scaled (unchanged at scale 1)."""
    if k == 1 and kx == 1 and text == 1:
        return P
    def sz(name, f):
        v = getattr(P, name) * f
        return max(2, even(v)) if name in EVEN else max(1, int(round(v)))
    new = {n: sz(n, k) for n in SIZES}
    new.update({n: sz(n, k * text) for n in TEXT})
    new.update({n: sz(n, kx) for n in KEYS})
    new.update({n: tuple(type(v)(round(v * k)) for v in getattr(P, n)) for n in PAIRS})
    return replace(P, **new)


class App:
    form = "?"

    def __init__(self, P: Params, theme_name: str, seed: int, density: float, noise: float, truth, size,
                 style: Style | None = None):
        self.P, self.seed, self.density, self.noise, self.truth = P, seed, density, noise, truth
        self.style = style or Style()
        self.th, self.accent = theme(theme_name, seed, self.style.palette, self.style.accent)
        self.rng = random.Random(seed * 7919 + 17)
        self.W, self.H = size
        self.k, self.kx = self.layout_scale()
        self.text = self.style.text_scale
        self.P = scaled(P, self.k, self.kx, self.text)
        self.canvas = Canvas(self.W, self.H)
        self.i = 0
        self.anims: list = []
        self.caret = None
        self.pointer = None
        self.text_rects: list = []      # (x, y, w, h) of text controls: an I-beam pointer over them
        self.button_rects: list = []    # (x, y, w, h) of buttons and links: a hand pointer over them

    # ------------------------------------------------------------------ layout scale
    def layout_scale(self) -> tuple[float, float]:
        """(k, kx): px per layout px of the UI, and of elements that span the device width (overridden)."""
        return 1.0, 1.0

    def u(self, v) -> int:
        """A layout size in px at this clip's scale (exactly v at scale 1)."""
        return v if self.k == 1 and isinstance(v, int) else int(round(v * self.k))

    def ue(self, v) -> int:
        """u(v) rounded to even px (layer positions and sizes)."""
        return v if self.k == 1 and isinstance(v, int) else even(v * self.k)

    def rr(self, lo: int, hi: int) -> int:
        """rng.randrange(lo, hi) that stays valid when a small frame leaves no room (hi <= lo)."""
        return self.rng.randrange(lo, max(hi, lo + 1))

    @property
    def t(self) -> float:
        return self.i / self.P.fps

    def frames(self, s: float) -> int:
        return max(1, int(round(s * self.P.fps)))

    def animate(self, fn) -> None:
        """Run fn(i) every frame, from the current one on, until it returns False."""
        self.anims.append(fn)

    def uniform(self, lo_hi) -> float:
        return self.rng.uniform(*lo_hi)

    def ambient_tick(self, i: int) -> None:   # clocks, spinners, progress bars (overridden)
        pass

    # ------------------------------------------------------------------ typing into a TextBox
    def place(self, box, key: str = "click") -> None:
        """Put the caret at the end of box's caret paragraph (a click, tap, Tab or focus)."""
        caret, line, ctx = box.boxes()
        self.caret.place(box.el, caret, box.caret_clip(), placed=True)
        self.truth.caret(self.t, box.el, key, caret, line, ctx)

    def press(self, box, ch: str) -> None:
        """One keystroke into box: a character, '\\b' (BackSpace) or '\\n' (Enter)."""
        if ch == "\b":
            box.backspace()
            key = "BackSpace"
        elif ch == "\n":
            box.enter()
            key = "Enter"
        else:
            box.type(ch)
            key = ch
        self.on_key(ch)
        caret, line, ctx = box.boxes()
        self.caret.place(box.el, caret, box.caret_clip())
        self.truth.caret(self.t, box.el, key, caret, line, ctx, term=getattr(box, "term", False))

    def on_key(self, ch: str) -> None:       # keyboard flash on the phone (overridden)
        pass

    # ------------------------------------------------------------------ pointer shapes, labels
    def shape_at(self, x, y) -> str:
        """The pointer shape over (x, y): a hand over buttons, an I-beam over text, else the arrow."""
        inside = lambda r: r[0] <= x < r[0] + r[2] and r[1] <= y < r[1] + r[3]
        if any(inside(r) for r in self.button_rects):
            return "hand"
        return "ibeam" if any(inside(r) for r in self.text_rects) else "arrow"

    def label_state(self):
        """(caret box, caret style, pointer (hot x, hot y, x, y, w, h), pointer style) as drawn now."""
        c = self.caret.drawn() if self.caret is not None else None
        p = self.pointer.drawn() if self.pointer is not None else None
        return (c[0] if c else None, CARET_STYLES[c[1]] if c else 0,
                p[0] if p else None, POINTER_STYLES[p[1]] if p else 0)

    # ------------------------------------------------------------------ loop
    def run(self, script, capture, nframes: int, screen=None) -> None:
        """Step the scenario over nframes; screen(canvas, rects) -> the video picture (a bezel around it)."""
        capture.start(nframes)
        gen, wake = script, 0
        for i in range(nframes):
            self.i = i
            while gen is not None and i >= wake:
                try:
                    wait = next(gen)
                except StopIteration:
                    gen = None
                    break
                wake = i + max(1, int(round(float(wait) * self.P.fps)))
            self.anims = [a for a in self.anims if a(i)]
            if self.caret is not None:
                self.caret.tick(i)
            self.ambient_tick(i)
            rects = self.canvas.compose()
            buf = self.canvas.buf if screen is None else screen(self.canvas, rects)
            capture.offer(i, buf, self.canvas.changed, self.label_state)
