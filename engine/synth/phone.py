"""Phone apps: a notes editor and a chat, with status bar, on-screen keyboard and transients.

Laid out for a 1080 px wide screen and scaled to the clip's: the keyboard by the screen width (kx), everything
else also by the UI scale (k). A tall screen (iPhone X and later, 9:19.5) gets a taller status bar, insets
away from its rounded corners and a home indicator strip at the bottom. With Style.phone_pointer, taps are
shown by a Mac pointer moving to where they happen (as in simulator captures).
Each app exposes action generators (yielding seconds to wait) that scenario.py mixes."""
from __future__ import annotations

from PIL import Image

from . import fonts, paint, texts
from .app import App
from .canvas import Layer, Surface, even
from .pointer import Pointer
from .textbox import Caret, TextBox
from .widgets import Clock, Keyboard, Spinner, Transient, card_text


class Phone(App):
    form = "phone"

    def layout_scale(self):
        lo, hi = self.P.ph_ui_range
        kx = self.W / 1080
        return kx * min(hi, max(lo, self.style.ui_scale)), kx

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        P, th, W, u, ue = self.P, self.th, self.W, self.u, self.ue
        self.tall = self.H / self.W > P.ph_tall_aspect
        status_h = even(P.ph_status_h * P.ph_tall_status) if self.tall else P.ph_status_h
        sy = even((status_h - P.ph_status_h) * 0.6)           # status bar content sits low on a tall phone
        ix = ue(P.ph_tall_inset) if self.tall else 0          # ... and away from the rounded corners
        self.bottom = ue(P.ph_home_h) if self.tall else 0      # home indicator strip
        self.kb_top = self.H - P.ph_kb_h - self.bottom
        self.head_y, self.body_y = status_h, status_h + P.ph_header_h
        im, d = paint.image(W, self.body_y, th.panel)
        paint.signal(d, W - u(300) - ix, u(30) + sy, u(26), th.text)
        paint.text(d, W - u(216) - ix, sy, P.ph_status_h, "5G", "bold", P.ph_small_font - u(2), th.text)
        paint.text(d, W - u(170) - ix, sy, P.ph_status_h, "87%", "sans", P.ph_small_font - u(2), th.text)
        paint.battery(d, W - u(100) - ix, u(30) + sy, u(26), th.text)
        d.line((0, self.body_y - 2, W, self.body_y - 2), fill=th.line, width=2)
        self.draw_header(d)
        self.chrome = self.canvas.add(Layer("chrome", Surface.from_image(im), 0, 0, z=20))
        self.clock = Clock(self, ue(32) + ix, sy, ue(240), P.ph_status_h, P.ph_small_font, th.text, th.panel,
                           start_s=self.rng.randrange(7 * 3600, 22 * 3600))
        self.truth.event(0.0, None, "ambient", [0, 0, W, status_h], name="status bar clock")
        if self.bottom:                                        # the home indicator, drawn smooth (x3, scaled)
            bar, d = paint.image(W * 3, self.bottom * 3, self.bottom_colour())
            d.rounded_rectangle(((W - u(280)) * 3 // 2, (self.bottom - u(26)) * 3, (W + u(280)) * 3 // 2,
                                 (self.bottom - u(16)) * 3), u(5) * 3, fill=th.text)
            bar = bar.resize((W, self.bottom), Image.LANCZOS)
            self.canvas.add(Layer("home", Surface.from_image(bar), 0, self.H - self.bottom, z=55))
        self.caret = Caret(self, self.accent, max(2, ue(4)))
        self.spinner = None
        sx = self.spinner_x(W - u(332) - ix, ue(48))
        if self.noise >= P.spinner_noise and sx is not None:
            self.spinner = Spinner(self, sx, self.head_y + u(40), ue(48), th.sub, th.panel)
        self.menu_btn = [W - u(200), self.head_y + u(20), u(88), u(88)]
        if self.style.phone_pointer:
            h = max(12, int(round((self.style.pointer_px or P.dk_pointer_px) * self.W / P.ph_pointer_ref_w)))
            self.pointer = Pointer(self, self.rng.randrange(W // 4, W * 3 // 4), self.H // 2, h, "mac",
                                   shadow=self.style.pointer_shadow)

    def bottom_colour(self):
        return self.th.kb_bg

    # ------------------------------------------------------------------ taps (shown by a pointer or not)
    def tap(self, x, y):
        """A tap at (x, y): with a pointer (simulator capture) it moves there first; else nothing to wait."""
        if self.pointer is not None:
            d = self.pointer.move(x, y)
            yield d + self.P.tap_settle_s

    def drag_to(self, x, y):
        """The pointer follows a drag (a scroll by touch) to (x, y) in one frame; nothing without a pointer."""
        if self.pointer is not None:
            ax, ay = self.pointer.anchor
            self.canvas.update(self.pointer.layer, x=even(min(max(x, 0), self.W - 8) - ax),
                               y=even(min(max(y, 0), self.H - 8) - ay))

    def draw_header(self, d) -> None:            # overridden; records the x spans its texts take in self.taken
        pass

    def spinner_x(self, x: int, size: int):
        """The header spinner at x or (a scaled layout) at the nearest x that clears the header's texts; None
        when there is no room."""
        if self.k == 1 and not self.tall:
            return x
        gap = self.u(12)
        free = [c for c in range(gap, self.W - size - gap, 2)
                if not any(a - gap < c + size and c < b + gap for a, b in self.taken)]
        return min(free, key=lambda c: abs(c - x)) if free else None

    def ambient_tick(self, i: int) -> None:
        self.clock.tick(i)
        self.keyboard.tick(i)
        if self.spinner:
            self.spinner.tick(i)

    def on_key(self, ch: str) -> None:
        self.keyboard.press(ch)

    # ------------------------------------------------------------------ transient cards
    def notification(self):
        P, th, W, u, ue = self.P, self.th, self.W, self.u, self.ue
        app_name, title, body = self.rng.choice(texts.NOTIFS)
        w, h, s = W - ue(48), ue(176), P.shadow_px
        im, d = paint.card(w, h, th.card, u(36), s, dark=th.name == "dark")
        paint.rrect(d, (s + u(28), s + u(28), u(56), u(56)), u(14), self.accent)
        paint.text(d, s + u(104), s + u(22), u(40), app_name.upper(), "sans", u(24), th.sub)
        paint.text(d, s + w - u(110), s + u(22), u(40), "now", "sans", u(24), th.sub)
        paint.text(d, s + u(104), s + u(62), u(44), title, "bold", u(32), th.text)
        card_text(d, s + u(104), s + u(108), w - u(140), body, "sans", u(28), th.text, u(40), max_lines=1)
        top = ue(22) + (self.head_y - P.ph_status_h if self.tall else 0)
        return Transient(self, "notification", f"n{self.i}", im, [ue(24), top, w, h], s, anim="slide", z=80)

    def popup(self, modal: bool = False, at=None):
        """A popup card (modal: centred, wider); at: its top-left corner instead of one picked by the seed."""
        P, th, W, u, ue = self.P, self.th, self.W, self.u, self.ue
        title, body, buttons = self.rng.choice(texts.POPUPS)
        w = min(ue(900) if modal else ue(600), W - ue(60))
        lines = 1 + int(fonts.width("sans", u(30), body) / (w - (u(80) if modal else u(144))))
        h = ue(200) + ue(44) * lines
        x = (W - w) // 2 if modal else min(self.rng.choice([ue(60), ue(120), ue(400)]), W - w - ue(20))
        y = even(self.body_y + self.rr(u(60), u(520) if modal else u(260)))
        if at is not None:
            x, y = even(at[0]), even(at[1])
        s = P.shadow_px
        im, d = paint.card(w, h, th.card, u(32), s, dark=th.name == "dark")
        if not modal:
            paint.rrect(d, (s + u(32), s + u(36), u(52), u(52)), u(12), self.accent)
        tx = s + (u(40) if modal else u(104))
        paint.text(d, tx, s + u(30), u(64), title, "bold", u(38) if modal else u(34), th.text)
        card_text(d, tx, s + u(104), w - (tx - s) - u(40), body, "sans", u(30), th.sub, u(44), max_lines=3)
        bx, spots = s + w - u(40), []
        for label in reversed(buttons):
            bw = int(fonts.width("bold", u(32), label)) + u(24)
            bx -= bw
            paint.text(d, bx, s + h - u(96), u(64), label, "bold", u(32), self.accent)
            spots.append((x + bx - s + bw // 2, y + h - u(64)))
            bx -= u(24)
        tr = Transient(self, "popup", "modal" if modal else "popup", im, [x, y, w, h], s, z=80)
        tr.buttons = spots
        return tr

    def toast(self, bottom: int):
        P, th, W, u, ue = self.P, self.th, self.W, self.u, self.ue
        msg = self.rng.choice(texts.TOASTS[:-1])
        w = even(fonts.width("sans", u(32), msg) + u(96))
        h, s = ue(96), P.shadow_px
        fill = (60, 62, 68) if th.name == "light" else (235, 236, 240)
        im, d = paint.card(w, h, fill, u(48), s)
        paint.text(d, s + u(48), s, h, msg, "sans", u(32), (250, 250, 250) if th.name == "light" else (20, 20, 24))
        return Transient(self, "toast", "toast", im, [even((W - w) / 2), even(bottom - h - u(40)), w, h], s, z=80)

    def menu(self, items=None):
        P, th, W, u, ue = self.P, self.th, self.W, self.u, self.ue
        items = items or self.rng.sample(texts.CHAT_MENU if self.app_name == "chat" else texts.MENU, 5)
        w, ih, s = min(ue(480), W - ue(40)), ue(88), P.shadow_px
        h = ih * len(items) + ue(16)

        def draw(hi=None):
            im, d = paint.card(w, h, th.card, u(24), s, dark=th.name == "dark")
            for k, it in enumerate(items):
                if k == hi:
                    d.rectangle((s, s + u(8) + k * ih, s + w - 1, s + u(8) + (k + 1) * ih - 1), fill=th.line)
                paint.text(d, s + u(40), s + u(8) + k * ih, ih, it, "sans", u(34), th.text)
            return im
        x, y = max(ue(20), W - ue(520)), self.body_y + ue(8)
        tr = Transient(self, "dropdown", "menu", draw(), [x, y, w, h], s, anim="expand", z=80)
        tr.items, tr.draw = items, draw
        tr.item_xy = [(x + u(120), y + u(8) + k * ih + ih // 2) for k in range(len(items))]
        by = self.menu_btn[1]
        tr.bbox = [x, by, w, y + h - by]
        return tr


class Notes(Phone):
    app_name = "notes"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        P, th, W = self.P, self.th, self.W
        self.keyboard = Keyboard(self, self.kb_top, shown=True)
        rect = (0, self.body_y, W, self.kb_top - self.body_y)
        self.box = TextBox(self, "note", rect, "sans", P.ph_font, P.ph_line_h, th.text, th.bg,
                           pad=(even(P.ph_margin), self.ue(24)), caret_w=max(2, self.ue(4)))
        title = self.rng.choice(texts.NOTE_TITLES)
        lines = [title] + self.rng.sample(texts.NOTE_LINES, self.rng.randint(5, 9))
        self.box.set_text(lines)
        caret, _, _ = self.box.boxes()
        self.caret.place("note", caret, self.box.caret_clip())

    def draw_header(self, d) -> None:
        P, th, W, y, u = self.P, self.th, self.W, self.head_y, self.u
        paint.text(d, u(32), y, P.ph_header_h, "\u2039 Folders", "sans", P.ph_ui_font, self.accent)
        tw = fonts.width("sans", P.ph_small_font, "Edited just now")
        paint.text(d, (W - tw) / 2, y, P.ph_header_h, "Edited just now", "sans", P.ph_small_font, th.sub)
        paint.text(d, W - u(186), y, P.ph_header_h, "\u22ef", "bold", u(44), self.accent)
        paint.text(d, W - u(110), y, P.ph_header_h, "Done", "bold", P.ph_ui_font, self.accent)
        self.taken = [(u(32), u(32) + fonts.width("sans", P.ph_ui_font, "\u2039 Folders")), ((W - tw) / 2, (W + tw) / 2),
                      (W - u(186), W)]

    def toast(self):
        return Phone.toast(self, self.kb_top)


class ListView:
    """A vertically scrolled list of opaque full-width tiles (chat bubbles), drawn from a tile cache."""

    def __init__(self, app, el: str, rect, bg, z: int = 10):
        self.app, self.el, self.bg = app, el, bg
        self.x, self.y, self.w, self.h = rect
        self.surf = Surface.solid(self.w, self.h, bg)
        self.layer = app.canvas.add(Layer(el, self.surf, self.x, self.y, z=z))
        self.items: list = []          # (content y, tile)
        self.pad = app.ue(16)          # space above the first and below the last tile, px
        self.content_h, self.off, self.vis_h = self.pad, 0, self.h

    def append(self, tile: Surface) -> None:
        self.items.append((self.content_h, tile))
        self.content_h += tile.h

    def max_off(self) -> int:
        return max(0, even(self.content_h + self.pad - self.vis_h))

    def viewport(self):
        return [self.x, self.y, self.w, self.vis_h]

    def redraw(self) -> None:
        self.surf.fill(self.bg)
        for iy, tile in self.items:
            if iy + tile.h > self.off and iy < self.off + self.h:
                self.surf.paste(tile, 0, iy - self.off)
        self.app.canvas.damage_layer(self.layer, 0, 0, self.w, self.vis_h)

    def set_off(self, off: int) -> None:
        self.off = max(0, even(off))
        self.redraw()


class Chat(Phone):
    app_name = "chat"

    def __init__(self, *a, **kw):
        self.peer = None
        super().__init__(*a, **kw)
        P, th, W, H, u, ue = self.P, self.th, self.W, self.H, self.u, self.ue
        self.keyboard = Keyboard(self, self.kb_top, shown=False)
        ch, self.floor = P.ph_composer_h, H - self.bottom        # the composer rests on the floor
        self.list = ListView(self, "list", (0, self.body_y, W, self.floor - ch - self.body_y), th.bg)
        self.stamp = self.rng.randrange(9 * 60, 20 * 60)
        msgs = self.rng.sample(texts.CHAT_MSGS, 22)
        for k, m in enumerate(msgs):
            if k == 14:
                self.list.append(self.day_tile("Today"))
            self.list.append(self.bubble(m, self.rng.random() < 0.45))
        self.list.set_off(self.list.max_off())
        im, d = paint.image(W, ch, th.panel)
        d.line((0, 0, W, 0), fill=th.line, width=2)
        paint.text(d, u(30), 0, ch, "+", "sans", u(52), self.accent)
        paint.rrect(d, (u(96), u(16), W - u(220), u(88)), u(44), th.field, th.line)
        d.ellipse((W - u(108), u(20), W - u(28), u(100)), fill=self.accent)
        paint.text(d, W - u(86), u(20), u(80), "\u2191", "bold", u(40), (255, 255, 255))
        self.composer = self.canvas.add(Layer("composer", Surface.from_image(im), 0, self.floor - ch, z=45))
        self.field_dy = ue(18)                                 # the text field inside the composer, px
        self.box = TextBox(self, "msg", (ue(140), self.floor - ch + self.field_dy, W - ue(308), ue(84)), "sans",
                           P.ph_bubble_font, ue(52 * self.text), th.text, th.field, pad=(ue(8), 0),
                           multiline=False, placeholder="Message", sub=th.sub, z=46, caret_w=max(2, ue(4)))
        self.box.set_text([""])

    def bottom_colour(self):
        return self.th.panel

    def draw_header(self, d) -> None:
        P, th, y, u = self.P, self.th, self.head_y, self.u
        self.peer = self.rng.choice(texts.CHAT_NAMES)
        paint.text(d, u(28), y, P.ph_header_h, "\u2039", "sans", u(64), self.accent)
        d.ellipse((u(84), y + u(22), u(168), y + u(106)), fill=self.accent)
        paint.text(d, u(110), y + u(22), u(84), self.peer[0], "bold", u(40), (255, 255, 255))
        paint.text(d, u(192), y + u(14), u(56), self.peer, "bold", P.ph_ui_font, th.text)
        paint.text(d, u(192), y + u(66), u(44), "online", "sans", P.ph_small_font - u(4), th.sub)
        paint.text(d, self.W - u(186), y, P.ph_header_h, "\u22ef", "bold", u(44), self.accent)
        self.taken = [(0, u(192) + fonts.width("bold", P.ph_ui_font, self.peer)), (self.W - u(186), self.W)]

    def day_tile(self, label: str) -> Surface:
        u = self.u
        tw = fonts.width("sans", u(26), label)
        return paint.text_tile(label, "sans", u(26), self.th.sub, self.th.bg, self.W, self.ue(64),
                               int((self.W - tw) / 2))

    def bubble(self, msg: str, out: bool) -> Surface:
        th, W, u = self.th, self.W, self.u
        self.stamp += self.rng.randrange(1, 12)
        stamp = f"{self.stamp // 60 % 24:02d}:{self.stamp % 60:02d}"
        size, lh, mw = self.P.ph_bubble_font, u(50 * self.text), int(W * 0.66)
        lines, cur = [], ""
        for word in msg.split():
            t = (cur + " " + word).strip()
            if cur and fonts.width("sans", size, t) > mw:
                lines.append(cur)
                cur = word
            else:
                cur = t
        lines.append(cur)
        bw = int(max(fonts.width("sans", size, s) for s in lines)) + u(56)
        bh = len(lines) * lh + u(58)
        im, d = paint.image(W, even(bh + u(20)), th.bg)
        x = W - u(28) - bw if out else u(28)
        fill = self.accent if out else th.bubble_in
        fg = (255, 255, 255) if out else th.text
        paint.rrect(d, (x, u(10), bw, bh), u(34), fill)
        for k, s in enumerate(lines):
            paint.text(d, x + u(28), u(22) + k * lh, lh, s, "sans", size, fg)
        sw = fonts.width("sans", u(22), stamp)
        paint.text(d, x + bw - u(24) - sw, u(14) + len(lines) * lh, u(40), stamp, "sans", u(22),
                   paint.blend(fg, fill, 0.35))
        return Surface.from_image(im)

    def toast(self):
        return Phone.toast(self, self.composer.y)

    # ------------------------------------------------------------------ actions
    def keyboard_slide(self, show: bool):
        """Keyboard up (show) or down; the composer rides on it and the list viewport follows (ticks)."""
        L = self.list
        at_end = L.off >= L.max_off() - 4
        ch = self.P.ph_composer_h

        def follow(kb_y):
            cy = min(kb_y, self.floor) - ch
            self.canvas.update(self.composer, y=cy)
            self.box.y = cy + self.field_dy
            self.canvas.update(self.box.layer, y=self.box.y)
            old = L.viewport()
            L.vis_h = cy - L.y
            if at_end and show:
                L.off = L.max_off()
            L.redraw()
            self.truth.tick(self.t, "list", [L.x, L.y, L.w, max(old[3], L.vis_h)])
        if not show:
            self.caret.hide()
        self.kb_up = show
        self.keyboard.slide(show, then=follow)
        yield self.P.slide_s + 1 / self.P.fps

    def send(self):
        """Return: the message leaves the field, a bubble is appended and the list scrolls to the end."""
        msg = "".join(self.box.paras).strip()
        self.keyboard.press("\n")
        self.box.clear()
        caret, line, ctx = self.box.boxes()
        self.caret.place("msg", caret, self.box.caret_clip())
        self.truth.caret(self.t, "msg", "Enter", caret, line, ctx)
        yield 0.1
        if msg:
            yield from self.incoming(msg, out=True)

    def incoming(self, msg: str, out: bool = False):
        L = self.list
        L.append(self.bubble(msg, out))
        from .scenario import scroll_path
        path = scroll_path(self, L.off, L.max_off(), fling=False, glide=True) or [L.off]
        for off in path:
            L.set_off(off)
            self.truth.tick(self.t, "list", L.viewport())
            yield 1 / self.P.fps

    def scroll_list(self, fling: bool):
        from .scenario import follow, scroll_path, touch
        L = self.list
        vis = (self.kb_top if getattr(self, "kb_up", False) else self.floor) - self.P.ph_composer_h - L.y
        top = max(0, even(L.content_h + L.pad - vis))
        up = L.off > top * 0.5 or self.rng.random() < 0.35
        dist = self.uniform(self.P.fling_v0) * self.P.fling_tau_s if fling else \
            self.rng.randint(*self.P.wheel_steps) * self.uniform(self.P.wheel_step_px)
        target = max(0, min(top, L.off + (-dist if up else dist)))
        start, s0 = (yield from touch(self, L.viewport(), target > L.off)), L.off
        path = scroll_path(self, L.off, int(target), fling)
        for k, off in enumerate(path):
            follow(self, start, len(path), k, off - s0, fling)
            L.set_off(off)
            self.truth.tick(self.t, "list", L.viewport())
            yield 1 / self.P.fps
