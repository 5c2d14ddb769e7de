"""A terminal window on the desktop: a prompt, typed commands, output that fills rows, scrolls or clears."""
from __future__ import annotations

from . import fonts, texts
from .canvas import Layer, Surface, even
from .desktop import Desktop
from .textbox import Caret, line_tile


class Terminal:
    """Rows of monospace text in rect; the caret is a steady block at the end of the current row."""
    term = True

    def __init__(self, app, el, rect, size, row_h, fg, bg, prompt):
        self.app, self.el, self.size, self.row_h, self.fg, self.bg, self.prompt = \
            app, el, size, row_h, fg, bg, prompt
        self.x, self.y, self.w, self.h = rect
        self.padx, pady = app.ue(12), app.ue(4)                 # text inset from the left and top, px
        self.nrows = (self.h - 2 * pady) // row_h
        self.tx, self.ty = self.x + self.padx, self.y + pady
        self.cw = fonts.width("mono", size, "M")
        self.rows = [""] * self.nrows
        self.cur = 0
        self.surf = Surface.solid(self.w, self.h, bg)
        self.layer = app.canvas.add(Layer(el, self.surf, self.x, self.y, z=12))
        self.rows[0] = prompt
        self.redraw()

    def row_top(self, r: int) -> int:
        return self.ty + r * self.row_h

    def _draw_row(self, r: int) -> None:
        tw = self.w - 2 * self.padx
        tile = line_tile(self.rows[r], "mono", self.size, self.fg, self.bg, tw, self.row_h)
        self.surf.paste(tile, self.padx, self.row_top(r) - self.y)
        self.app.canvas.damage_layer(self.layer, self.padx, self.row_top(r) - self.y, tw, self.row_h)

    def redraw(self) -> None:
        for r in range(self.nrows):
            self._draw_row(r)

    def type(self, ch: str) -> None:
        self.rows[self.cur] += ch
        self._draw_row(self.cur)

    def backspace(self) -> None:
        if len(self.rows[self.cur]) > len(self.prompt):
            self.rows[self.cur] = self.rows[self.cur][:-1]
            self._draw_row(self.cur)

    def newline(self, text: str = "") -> bool:
        """Move to the next row (scrolling the screen up at the bottom) and put text there."""
        scrolled = False
        if self.cur + 1 >= self.nrows:
            self.rows = self.rows[1:] + [""]
            scrolled = True
        else:
            self.cur += 1
        self.rows[self.cur] = text
        if scrolled:
            self.redraw()
        else:
            self._draw_row(self.cur)
        return scrolled

    def clear(self) -> None:
        self.rows = [""] * self.nrows
        self.cur = 0
        self.redraw()

    def boxes(self):
        s = self.rows[self.cur]
        ly, lh = self.row_top(self.cur), self.row_h
        cx = self.tx + fonts.width("mono", self.size, s)
        car = self.app.caret
        if car is None or car.legacy:
            caret = [cx, ly, self.cw, lh]
        else:
            caret = car.geometry(cx, ly, lh, car.cell("mono", self.size), row=True)
        x1 = cx + self.cw
        P = self.app.P
        pad = P.context_pad * lh
        cx0, cx1 = max(self.x, self.tx - pad), min(self.x + self.w, max(x1, self.tx + P.context_min_w * lh) + pad)
        cy0, cy1 = max(self.y, ly - lh), min(self.y + self.h, ly + 2 * lh)
        return caret, [self.tx, ly, x1 - self.tx, lh], [cx0, cy0, cx1 - cx0, cy1 - cy0]

    def caret_clip(self):
        return (self.x, self.y, self.w, self.h)

    def fits(self, ch: str) -> bool:
        return fonts.width("mono", self.size, self.rows[self.cur] + ch) + 2 * self.cw < self.w - 2 * self.padx


class Term(Desktop):
    app_name = "terminal"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        P, th, rng, W, H, u = self.P, self.th, self.rng, self.W, self.H, self.u
        w, h = even(min(self.rr(u(1100), u(1600)), W - u(40))), even(min(self.rr(u(640), u(900)), H - u(100)))
        x, y = even(self.rr(u(40), W - u(40) - w)), even(self.rr(u(56), H - u(50) - h))
        self.main_rect = [x, y, w, h]
        user = rng.choice(["dev", "jonas", "mia", "sam"])
        im, _, s = self.window_image(w, h, f"{user}@build-box: ~/app", body=th.term_bg, dark_title=th.name == "dark")
        self.win = self.canvas.add(Layer("termwin", Surface.from_image(im), x - s, y - s, z=10))
        prompt = f"{user}@build-box:~/app$ "
        self.term = Terminal(self, "term", (x, y + P.dk_title_h, w, h - P.dk_title_h - self.ue(10)), P.dk_mono,
                             P.dk_row_h, th.term_fg, th.term_bg, prompt)
        self.canvas.remove(self.caret.layer)
        self.caret = Caret(self, th.term_fg, even(self.term.cw), z=60, blink=False, shape="block", text=th.term_fg)
        caret, _, _ = self.term.boxes()
        self.caret.place("term", caret, self.term.caret_clip())
        self.text_rects.append([x, y + P.dk_title_h, w, h - P.dk_title_h])
        self.cmds = list(texts.COMMANDS)
        rng.shuffle(self.cmds)

    def run_command(self, cmd: str, output: list):
        """Return was pressed: the output fills rows (or the screen scrolls / clears), then a new prompt."""
        T, P = self.term, self.P
        t_ret, first = self.t, T.cur + 1
        scrolled = T.newline("")
        caret, line, ctx = T.boxes()
        self.caret.place("term", caret, T.caret_clip())
        self.truth.caret(self.t, "term", "Enter", caret, line, ctx, term=True)
        ev = self.truth.event(t_ret, None, "scroll", [T.x, T.y, T.w, T.h], el="terminal")   # refined below
        slow = cmd.startswith("./") or "pytest" in cmd
        if cmd == "clear":
            yield 0.05
            T.clear()
            scrolled = True
        for k, out in enumerate(output):
            if k:
                yield self.uniform(P.term_slow_line_s if slow else P.term_line_s)
            if k == 0:
                T.rows[T.cur] = out
                T._draw_row(T.cur)
            else:
                scrolled |= T.newline(out)
            caret, _, _ = T.boxes()
            self.caret.place("term", caret, T.caret_clip())
        yield self.rng.uniform(0.05, 0.2)
        if output:
            scrolled |= T.newline(T.prompt)
        else:
            T.rows[T.cur] = T.prompt
            T._draw_row(T.cur)
        caret, _, _ = T.boxes()
        self.caret.place("term", caret, T.caret_clip())
        if scrolled:
            bbox = [T.x, T.y, T.w, T.h]
        else:
            first = min(first, T.cur)
            wmax = max(fonts.width("mono", T.size, T.rows[r]) for r in range(first, T.cur + 1)) + T.cw
            bbox = [T.tx, T.row_top(first), wmax, (T.cur - first + 1) * T.row_h]
        ev["bbox"], ev["t1"] = self.truth.clip(bbox), round(max(self.t, t_ret + P.term_scroll_min_s), 3)
