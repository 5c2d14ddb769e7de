"""The frame loop shared by the phone and desktop apps.

An app owns the canvas, the truth log and a list of animations (callables `f(i) -> keep`). A scenario is a
generator that performs actions on the app and yields the seconds to wait before its next action; `run`
steps it frame by frame, ticks the animations and ambient widgets, composes each frame and offers it to the
capture (capture.py), which encodes it or not; `label_state` reads what a frame's labels need.
"""
from __future__ import annotations

import random

from .canvas import Canvas
from .labels import CARET_STYLES, POINTER_STYLES
from .params import Params, Style, theme


class App:
    form = "?"

    def __init__(self, P: Params, theme_name: str, seed: int, density: float, noise: float, truth, size,
                 style: Style | None = None):
        self.P, self.seed, self.density, self.noise, self.truth = P, seed, density, noise, truth
        self.style = style or Style()
        self.th, self.accent = theme(theme_name, seed, self.style.palette, self.style.accent)
        self.rng = random.Random(seed * 7919 + 17)
        self.W, self.H = size
        self.canvas = Canvas(self.W, self.H)
        self.i = 0
        self.anims: list = []
        self.caret = None
        self.pointer = None
        self.text_rects: list = []      # (x, y, w, h) of text controls: an I-beam pointer over them
        self.button_rects: list = []    # (x, y, w, h) of buttons and links: a hand pointer over them

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
        self.caret.place(box.el, caret, box.caret_clip())
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
