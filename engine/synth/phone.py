"""Phone apps (1080x1920): a notes editor and a chat, with status bar, on-screen keyboard and transients.

Each app exposes action generators (`act_*`, yielding seconds to wait) that scenario.py mixes."""
from __future__ import annotations

from . import fonts, paint, texts
from .app import App
from .canvas import Layer, Surface, even
from .textbox import Caret, TextBox
from .widgets import Clock, Keyboard, Spinner, Transient, card_text


class Phone(App):
    form = "phone"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        P, th, W = self.P, self.th, self.W
        self.kb_top = self.H - P.ph_kb_h
        self.head_y, self.body_y = P.ph_status_h, P.ph_status_h + P.ph_header_h
        im, d = paint.image(W, self.body_y, th.panel)
        paint.signal(d, W - 300, 30, 26, th.text)
        paint.text(d, W - 216, 0, P.ph_status_h, "5G", "bold", P.ph_small_font - 2, th.text)
        paint.text(d, W - 170, 0, P.ph_status_h, "87%", "sans", P.ph_small_font - 2, th.text)
        paint.battery(d, W - 100, 30, 26, th.text)
        d.line((0, self.body_y - 2, W, self.body_y - 2), fill=th.line, width=2)
        self.draw_header(d)
        self.chrome = self.canvas.add(Layer("chrome", Surface.from_image(im), 0, 0, z=20))
        self.clock = Clock(self, 32, 0, 240, P.ph_status_h, P.ph_small_font, th.text, th.panel,
                           start_s=self.rng.randrange(7 * 3600, 22 * 3600))
        self.truth.event(0.0, None, "ambient", [0, 0, W, P.ph_status_h], name="status bar clock")
        self.caret = Caret(self, self.accent, 4)
        self.spinner = None
        if self.noise >= P.spinner_noise:
            self.spinner = Spinner(self, W - 332, self.head_y + 40, 48, th.sub, th.panel)
        self.menu_btn = [W - 200, self.head_y + 20, 88, 88]

    def draw_header(self, d) -> None:            # overridden
        pass

    def ambient_tick(self, i: int) -> None:
        self.clock.tick(i)
        self.keyboard.tick(i)
        if self.spinner:
            self.spinner.tick(i)

    def on_key(self, ch: str) -> None:
        self.keyboard.press(ch)

    # ------------------------------------------------------------------ transient cards
    def notification(self):
        P, th, W = self.P, self.th, self.W
        app_name, title, body = self.rng.choice(texts.NOTIFS)
        w, h, s = W - 48, 176, P.shadow_px
        im, d = paint.card(w, h, th.card, 36, s, dark=th.name == "dark")
        paint.rrect(d, (s + 28, s + 28, 56, 56), 14, self.accent)
        paint.text(d, s + 104, s + 22, 40, app_name.upper(), "sans", 24, th.sub)
        paint.text(d, s + w - 110, s + 22, 40, "now", "sans", 24, th.sub)
        paint.text(d, s + 104, s + 62, 44, title, "bold", 32, th.text)
        card_text(d, s + 104, s + 108, w - 140, body, "sans", 28, th.text, 40, max_lines=1)
        return Transient(self, "notification", f"n{self.i}", im, [24, 22, w, h], s, anim="slide", z=80)

    def popup(self, modal: bool = False):
        P, th, W = self.P, self.th, self.W
        title, body, buttons = self.rng.choice(texts.POPUPS)
        w = 900 if modal else 600
        lines = 1 + int(fonts.width("sans", 30, body) / (w - (80 if modal else 144)))
        h = 200 + 44 * lines
        x = (W - w) // 2 if modal else self.rng.choice([60, 120, 400])
        y = even(self.body_y + self.rng.randrange(60, 520 if modal else 260))
        s = P.shadow_px
        im, d = paint.card(w, h, th.card, 32, s, dark=th.name == "dark")
        if not modal:
            paint.rrect(d, (s + 32, s + 36, 52, 52), 12, self.accent)
        tx = s + (40 if modal else 104)
        paint.text(d, tx, s + 30, 64, title, "bold", 38 if modal else 34, th.text)
        card_text(d, tx, s + 104, w - (tx - s) - 40, body, "sans", 30, th.sub, 44, max_lines=3)
        bx = s + w - 40
        for label in reversed(buttons):
            bw = int(fonts.width("bold", 32, label)) + 24
            bx -= bw
            paint.text(d, bx, s + h - 96, 64, label, "bold", 32, self.accent)
            bx -= 24
        return Transient(self, "popup", "modal" if modal else "popup", im, [x, y, w, h], s, z=80)

    def toast(self, bottom: int):
        P, th, W = self.P, self.th, self.W
        msg = self.rng.choice(texts.TOASTS[:-1])
        w = even(fonts.width("sans", 32, msg) + 96)
        h, s = 96, P.shadow_px
        fill = (60, 62, 68) if th.name == "light" else (235, 236, 240)
        im, d = paint.card(w, h, fill, 48, s)
        paint.text(d, s + 48, s, h, msg, "sans", 32, (250, 250, 250) if th.name == "light" else (20, 20, 24))
        return Transient(self, "toast", "toast", im, [even((W - w) / 2), even(bottom - h - 40), w, h], s, z=80)

    def menu(self, items=None):
        P, th, W = self.P, self.th, self.W
        items = items or self.rng.sample(texts.CHAT_MENU if self.app_name == "chat" else texts.MENU, 5)
        w, ih, s = 480, 88, P.shadow_px
        h = ih * len(items) + 16

        def draw(hi=None):
            im, d = paint.card(w, h, th.card, 24, s, dark=th.name == "dark")
            for k, it in enumerate(items):
                if k == hi:
                    d.rectangle((s, s + 8 + k * ih, s + w - 1, s + 8 + (k + 1) * ih - 1), fill=th.line)
                paint.text(d, s + 40, s + 8 + k * ih, ih, it, "sans", 34, th.text)
            return im
        x, y = W - 520, self.body_y + 8
        tr = Transient(self, "dropdown", "menu", draw(), [x, y, w, h], s, anim="expand", z=80)
        tr.items, tr.draw = items, draw
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
                           pad=(P.ph_margin, 24), caret_w=4)
        title = self.rng.choice(texts.NOTE_TITLES)
        lines = [title] + self.rng.sample(texts.NOTE_LINES, self.rng.randint(5, 9))
        self.box.set_text(lines)
        caret, _, _ = self.box.boxes()
        self.caret.place("note", caret, self.box.caret_clip())

    def draw_header(self, d) -> None:
        P, th, W, y = self.P, self.th, self.W, self.P.ph_status_h
        paint.text(d, 32, y, P.ph_header_h, "\u2039 Folders", "sans", P.ph_ui_font, self.accent)
        tw = fonts.width("sans", P.ph_small_font, "Edited just now")
        paint.text(d, (W - tw) / 2, y, P.ph_header_h, "Edited just now", "sans", P.ph_small_font, th.sub)
        paint.text(d, W - 186, y, P.ph_header_h, "\u22ef", "bold", 44, self.accent)
        paint.text(d, W - 110, y, P.ph_header_h, "Done", "bold", P.ph_ui_font, self.accent)

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
        self.content_h, self.off, self.vis_h = 16, 0, self.h

    def append(self, tile: Surface) -> None:
        self.items.append((self.content_h, tile))
        self.content_h += tile.h

    def max_off(self) -> int:
        return max(0, even(self.content_h + 16 - self.vis_h))

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
        P, th, W, H = self.P, self.th, self.W, self.H
        self.keyboard = Keyboard(self, self.kb_top, shown=False)
        ch = P.ph_composer_h
        self.list = ListView(self, "list", (0, self.body_y, W, H - ch - self.body_y), th.bg)
        self.stamp = self.rng.randrange(9 * 60, 20 * 60)
        msgs = self.rng.sample(texts.CHAT_MSGS, 22)
        for k, m in enumerate(msgs):
            if k == 14:
                self.list.append(self.day_tile("Today"))
            self.list.append(self.bubble(m, self.rng.random() < 0.45))
        self.list.set_off(self.list.max_off())
        im, d = paint.image(W, ch, th.panel)
        d.line((0, 0, W, 0), fill=th.line, width=2)
        paint.text(d, 30, 0, ch, "+", "sans", 52, self.accent)
        paint.rrect(d, (96, 16, 860, 88), 44, th.field, th.line)
        d.ellipse((972, 20, 1052, 100), fill=self.accent)
        paint.text(d, 994, 20, 80, "\u2191", "bold", 40, (255, 255, 255))
        self.composer = self.canvas.add(Layer("composer", Surface.from_image(im), 0, H - ch, z=45))
        self.box = TextBox(self, "msg", (140, H - ch + 18, 772, 84), "sans", P.ph_bubble_font, 52, th.text,
                           th.field, pad=(8, 0), multiline=False, placeholder="Message", sub=th.sub, z=46,
                           caret_w=4)
        self.box.set_text([""])

    def draw_header(self, d) -> None:
        P, th, y = self.P, self.th, self.P.ph_status_h
        self.peer = self.rng.choice(texts.CHAT_NAMES)
        paint.text(d, 28, y, P.ph_header_h, "\u2039", "sans", 64, self.accent)
        d.ellipse((84, y + 22, 168, y + 106), fill=self.accent)
        paint.text(d, 110, y + 22, 84, self.peer[0], "bold", 40, (255, 255, 255))
        paint.text(d, 192, y + 14, 56, self.peer, "bold", P.ph_ui_font, th.text)
        paint.text(d, 192, y + 66, 44, "online", "sans", P.ph_small_font - 4, th.sub)
        paint.text(d, self.W - 186, y, P.ph_header_h, "\u22ef", "bold", 44, self.accent)

    def day_tile(self, label: str) -> Surface:
        tw = fonts.width("sans", 26, label)
        return paint.text_tile(label, "sans", 26, self.th.sub, self.th.bg, self.W, 64, int((self.W - tw) / 2))

    def bubble(self, msg: str, out: bool) -> Surface:
        th, W = self.th, self.W
        self.stamp += self.rng.randrange(1, 12)
        stamp = f"{self.stamp // 60 % 24:02d}:{self.stamp % 60:02d}"
        size, lh, mw = self.P.ph_bubble_font, 50, int(W * 0.66)
        lines, cur = [], ""
        for word in msg.split():
            t = (cur + " " + word).strip()
            if cur and fonts.width("sans", size, t) > mw:
                lines.append(cur)
                cur = word
            else:
                cur = t
        lines.append(cur)
        bw = int(max(fonts.width("sans", size, s) for s in lines)) + 56
        bh = len(lines) * lh + 58
        im, d = paint.image(W, even(bh + 20), th.bg)
        x = W - 28 - bw if out else 28
        fill = self.accent if out else th.bubble_in
        fg = (255, 255, 255) if out else th.text
        paint.rrect(d, (x, 10, bw, bh), 34, fill)
        for k, s in enumerate(lines):
            paint.text(d, x + 28, 22 + k * lh, lh, s, "sans", size, fg)
        sw = fonts.width("sans", 22, stamp)
        paint.text(d, x + bw - 24 - sw, 14 + len(lines) * lh, 40, stamp, "sans", 22,
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
            cy = min(kb_y, self.H) - ch
            self.canvas.update(self.composer, y=cy)
            self.box.y = cy + 18
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
        from .scenario import scroll_path
        L = self.list
        vis = (self.kb_top if getattr(self, "kb_up", False) else self.H) - self.P.ph_composer_h - L.y
        top = max(0, even(L.content_h + 16 - vis))
        up = L.off > top * 0.5 or self.rng.random() < 0.35
        dist = self.uniform(self.P.fling_v0) * self.P.fling_tau_s if fling else \
            self.rng.randint(*self.P.wheel_steps) * self.uniform(self.P.wheel_step_px)
        target = max(0, min(top, L.off + (-dist if up else dist)))
        for off in scroll_path(self, L.off, int(target), fling):
            L.set_off(off)
            self.truth.tick(self.t, "list", L.viewport())
            yield 1 / self.P.fps
