"""Desktop (1920x1080): wallpaper, top bar with a ticking clock, dock, a mouse pointer, windows; the editor
app lives here (terminal.py and form.py hold the other two). Transient windows and cards for all three."""
from __future__ import annotations

import numpy as np
from PIL import Image

from . import fonts, paint, texts
from .app import App
from .canvas import Layer, Surface, even
from .pointer import Pointer
from .textbox import Caret, TextBox
from .widgets import Clock, ProgressBar, Spinner, Transient, card_text


class Desktop(App):
    form = "desktop"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        P, th, W, H, rng = self.P, self.th, self.W, self.H, self.rng
        c0, c1 = np.array(th.wall[0], float), np.array(th.wall[1], float)
        shift = rng.uniform(-25, 25)
        ramp = np.linspace(0, 1, H)[:, None, None] * 0.8 + np.linspace(0, 1, W)[None, :, None] * 0.2
        wall = np.clip(c0 + (c1 - c0) * ramp + np.array([shift, -shift / 2, shift / 3]), 0, 255).astype(np.uint8)
        im = Image.fromarray(wall)
        from PIL import ImageDraw
        d = ImageDraw.Draw(im)
        bar = (28, 29, 33) if th.name == "dark" else (236, 236, 240)
        fg = (230, 230, 234) if th.name == "dark" else (30, 30, 34)
        d.rectangle((0, 0, W, P.dk_topbar_h - 1), fill=bar)
        paint.text(d, 16, 0, P.dk_topbar_h, "Activities", "bold", P.dk_ui_font, fg)
        paint.text(d, W - 130, 0, P.dk_topbar_h, "\u25d0  \u25d1  100%", "sans", P.dk_ui_font, fg)
        dw = 6 * 64 + 7 * 14
        dx, dy = (W - dw) // 2, H - 84
        paint.rrect(d, (dx, dy, dw, 76), 20, paint.blend(bar, [int(v) for v in wall[dy, dx]], 0.3))
        cols = [(70, 130, 220), (60, 180, 110), (230, 160, 40), (200, 80, 90), (150, 100, 210), (90, 90, 100)]
        for k, col in enumerate(cols):
            paint.rrect(d, (dx + 14 + k * 78, dy + 6, 64, 64), 16, col)
        self.wall = wall
        self.bg = self.canvas.add(Layer("desktop", Surface.from_image(im), 0, 0, z=0))
        self.clock = Clock(self, (W - 200) // 2, 0, 200, P.dk_topbar_h, P.dk_ui_font + 1, fg, bar,
                           start_s=rng.randrange(8 * 3600, 20 * 3600), align="center")
        self.truth.event(0.0, None, "ambient", [0, 0, W, P.dk_topbar_h], name="top bar clock")
        self.spinner = self.progress = None
        if self.noise >= P.spinner_noise:
            self.spinner = Spinner(self, W - 190, 6, 24, fg, bar)
        if self.noise >= P.progress_noise:
            self.progress = ProgressBar(self, W - 330, 14, 120, 8, self.accent, paint.blend(bar, fg, 0.25),
                                        name="download progress")
        st = self.style
        self.pointer = Pointer(self, rng.randrange(600, 1300), rng.randrange(300, 800), st.pointer_px or P.dk_pointer_px,
                               st.pointer, st.pointer_shapes, st.pointer_shadow)
        self.hover_spots = [(dx + 46 + k * 78, dy + 38) for k in range(len(cols))]   # dock icons
        self.caret = Caret(self, self.accent if th.name == "dark" else th.text, 2)
        self.wander_at = 0

    def ambient_tick(self, i: int) -> None:
        self.clock.tick(i)
        if self.spinner:
            self.spinner.tick(i)
        if self.progress:
            cyc = self.frames(self.P.progress_cycle_s)
            self.progress.set((i % cyc) / cyc)

    # ------------------------------------------------------------------ pointer
    def click(self, x, y, shape=None):
        """Move the pointer to (x, y) and click (yields the travel time and a short settle); shape: the
        pointer's shape on arrival (a hand over a button), else the one under it."""
        d = self.pointer.move(x, y, end_shape=shape)
        yield d + 0.12

    def hover_targets(self) -> list:
        """Points the idle pointer may rest on (hovering): dock icons, buttons, text controls."""
        centre = lambda r: (r[0] + r[2] // 2, r[1] + r[3] // 2)
        return self.hover_spots + [centre(r) for r in self.button_rects + self.text_rects]

    def idle(self, secs: float):
        """Wait secs; with noise the pointer drifts a little now and then (or, with pointer_hover, rests on a
        control)."""
        P, end = self.P, self.t + secs
        while self.t < end - 1e-6:
            left = end - self.t
            if self.noise > 0 and left > 1.0 and self.rng.random() < 0.5:
                if self.style.pointer_hover and self.rng.random() < P.pointer_hover_p:
                    x, y = self.rng.choice(self.hover_targets())
                    d = self.pointer.move(x + self.rng.randint(-6, 6), y + self.rng.randint(-4, 4))
                else:
                    px, py = self.pointer.pos()
                    dx, dy = P.pointer_drift_px
                    d = self.pointer.move(px + self.rng.randint(-dx, dx), py + self.rng.randint(-dy, dy))
                yield max(1 / self.P.fps, min(left, d + 0.05))
            else:
                gap = self.uniform(P.pointer_wander_s) / max(0.25, self.noise)
                yield max(1 / self.P.fps, min(left, gap))

    # ------------------------------------------------------------------ window chrome
    def window_image(self, w, h, title, body=None, dark_title=False):
        P, th, s = self.P, self.th, self.P.shadow_px
        im, d = paint.card(w, h, body or th.bg, 12, s, dark=th.name == "dark")
        tb = paint.blend(th.panel, (0, 0, 0), 0.08) if not dark_title else (44, 45, 50)
        d.rounded_rectangle((s, s, s + w - 1, s + P.dk_title_h), 12, fill=tb)
        d.rectangle((s, s + P.dk_title_h - 12, s + w - 1, s + P.dk_title_h - 1), fill=tb)
        for k, col in enumerate([(255, 95, 87), (254, 188, 46), (40, 200, 64)]):
            d.ellipse((s + 16 + k * 22, s + 12, s + 28 + k * 22, s + 24), fill=col)
        tw = fonts.width("sans", P.dk_ui_font, title)
        paint.text(d, s + (w - tw) / 2, s, P.dk_title_h, title, "sans", P.dk_ui_font,
                   (220, 220, 224) if dark_title or th.name == "dark" else (60, 60, 66))
        return im, d, s

    # ------------------------------------------------------------------ transient cards
    def notification(self):
        P, th, W, s = self.P, self.th, self.W, self.P.shadow_px
        app_name, title, body = self.rng.choice(texts.NOTIFS)
        w, h = 400, 100
        im, d = paint.card(w, h, th.card, 14, s, dark=th.name == "dark")
        paint.rrect(d, (s + 14, s + 16, 36, 36), 9, self.accent)
        paint.text(d, s + 62, s + 10, 24, f"{app_name}  \u00b7  now", "sans", 13, th.sub)
        paint.text(d, s + 62, s + 34, 24, title, "bold", 15, th.text)
        card_text(d, s + 62, s + 58, w - 80, body, "sans", 14, th.text, 20, max_lines=1)
        return Transient(self, "notification", f"n{self.i}", im, [W - w - 16, P.dk_topbar_h + 14, w, h], s, z=80)

    def popup(self):
        th, s = self.th, self.P.shadow_px
        title, body, buttons = self.rng.choice(texts.POPUPS)
        w, h = 440, 180
        wx, wy, ww, wh = self.main_rect
        x, y = even(wx + (ww - w) / 2), even(wy + min(wh - h - 40, self.rng.randrange(80, 300)))
        im, d = paint.card(w, h, th.card, 12, s, border=th.line, dark=th.name == "dark")
        paint.text(d, s + 24, s + 18, 32, title, "bold", 17, th.text)
        card_text(d, s + 24, s + 60, w - 48, body, "sans", 15, th.sub, 22, max_lines=2)
        bx = s + w - 24
        for k, label in enumerate(reversed(buttons)):
            bw = int(fonts.width("sans", 15, label)) + 32
            bx -= bw
            paint.rrect(d, (bx, s + h - 52, bw, 34), 8, self.accent if k == 0 else th.panel)
            paint.text(d, bx + 16, s + h - 52, 34, label, "sans", 15, (255, 255, 255) if k == 0 else th.text)
            bx -= 12
        tr = Transient(self, "popup", "popup", im, [x, y, w, h], s, z=70)
        tr.button = (x + w - 60, y + h - 35)
        return tr

    def toast(self, msg=None, left=False):
        th, W, H, s = self.th, self.W, self.H, self.P.shadow_px
        msg = msg or self.rng.choice(texts.TOASTS[:-1])
        w, h = even(fonts.width("sans", 15, msg) + 84), 56
        fill = (46, 125, 70) if left else ((50, 52, 58) if th.name == "light" else (230, 231, 235))
        fg = (255, 255, 255) if left or th.name == "light" else (20, 20, 24)
        im, d = paint.card(w, h, fill, 10, s)
        d.ellipse((s + 18, s + 18, s + 38, s + 38), fill=(120, 220, 140) if left else self.accent)
        paint.text(d, s + 52, s, h, msg, "sans", 15, fg)
        x = 40 if left else W - w - 40
        return Transient(self, "toast", "toast", im, [x, H - h - 120, w, h], s, z=80)

    def export_window(self):
        """An upload window (kind 'window') whose progress part (kind 'progress') is nested inside."""
        th, W, s = self.th, self.W, self.P.shadow_px
        fname = self.rng.choice(texts.WINDOW_FILES)
        w, h = 740, 490
        x = even(self.rng.choice([W - w - 70, W - w - 200, (W - w) // 2 + 200]))
        y = even(self.rng.randrange(120, 300))

        def draw(p, nlog):
            im, d, s_ = self.window_image(w, h, f"Upload \u2014 {fname}")
            paint.rrect(d, (s + 32, s + 64, 52, 64), 8, (40, 170, 90))
            paint.text(d, s + 100, s + 64, 32, fname, "bold", 17, th.text)
            paint.text(d, s + 100, s + 94, 28, f"{self.rng.randint(12, 90)}.2 MB to staging", "sans", 14, th.sub)
            bx, by, bw = s + 32, s + 162, w - 64
            paint.rrect(d, (bx, by, bw, 12), 6, th.line)
            if p > 0:
                paint.rrect(d, (bx, by, max(12, int(bw * p)), 12), 6, self.accent)
            paint.text(d, bx, by + 18, 26, "Uploading\u2026" if p < 1 else "Finished", "sans", 14, th.sub)
            paint.text(d, bx + bw - 44, by + 18, 26, f"{int(p * 100)}%", "sans", 14, th.sub)
            paint.rrect(d, (bx, by + 54, bw, 196), 6, th.panel)
            for k, line in enumerate(texts.LOG_LINES[:nlog]):
                paint.text(d, bx + 12, by + 62 + k * 26, 26, line, "mono", 13, th.text)
            for k, label in enumerate(["Open", "Cancel"]):
                paint.rrect(d, (s + w - 120 - k * 110, s + h - 58, 96, 36), 8, th.panel, th.line)
                paint.text(d, s + w - 104 - k * 110, s + h - 58, 36, label, "sans", 14, th.text)
            return im
        tr = Transient(self, "window", "upload", draw(0, 0), [x, y, w, h], s, z=65)
        tr.draw = draw
        tr.progress_box = [x + 32, y + 162, w - 64, 54 + 196]
        tr.button = (x + w - 70, y + h - 40)
        return tr

    def prefs_window(self):
        th, W, s = self.th, self.W, self.P.shadow_px
        w, h = 560, 380
        x, y = even(self.rng.randrange(500, W - w - 60)), even(self.rng.randrange(90, 500))
        opts = ["Show line numbers", "Wrap long lines", "Autosave every minute", "Spell check", "Sync settings"]
        state = [self.rng.random() < 0.5 for _ in opts]

        def draw():
            im, d, _ = self.window_image(w, h, "Preferences")
            for k, o in enumerate(opts):
                yy = s + 64 + k * 46
                paint.rrect(d, (s + 32, yy + 8, 22, 22), 5, self.accent if state[k] else th.field, th.line)
                if state[k]:
                    d.line((s + 37, yy + 19, s + 42, yy + 25, s + 50, yy + 13), fill=(255, 255, 255), width=3)
                paint.text(d, s + 68, yy, 38, o, "sans", 15, th.text)
            paint.rrect(d, (s + w - 120, s + h - 58, 96, 36), 8, self.accent)
            paint.text(d, s + w - 88, s + h - 58, 36, "OK", "sans", 15, (255, 255, 255))
            return im
        tr = Transient(self, "window", "preferences", draw(), [x, y, w, h], s, z=65)
        tr.draw, tr.state = draw, state
        tr.boxes = [(x + 43, y + 64 + k * 46 + 19) for k in range(len(opts))]
        tr.button = (x + w - 72, y + h - 40)
        return tr


class Editor(Desktop):
    app_name = "editor"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        P, th, rng = self.P, self.th, self.rng
        w, h = even(rng.randrange(900, 1160)), even(rng.randrange(760, 900))
        x, y = even(rng.randrange(40, 220)), even(rng.randrange(56, 1040 - h))
        self.main_rect = [x, y, w, h]
        fname = rng.choice(texts.EDITOR_FILES)
        im, d, s = self.window_image(w, h, f"{fname} \u2014 ~/work")
        mb = P.dk_title_h + 30
        d.rectangle((s, s + P.dk_title_h, s + w - 1, s + mb), fill=th.panel)
        self.menus, mx = [], 16
        for m in ["File", "Edit", "View", "Help"]:
            mw = int(fonts.width("sans", 14, m)) + 20
            paint.text(d, s + mx + 10, s + P.dk_title_h, 30, m, "sans", 14, th.text)
            self.menus.append((m, [x + mx, y + P.dk_title_h, mw, 30]))
            mx += mw
        d.rectangle((s, s + h - 28, s + w - 1, s + h - 12), fill=th.panel)
        d.rounded_rectangle((s, s + h - 28, s + w - 1, s + h - 1), 12, fill=th.panel)
        paint.text(d, s + 16, s + h - 28, 28, "UTF-8    Plain Text    Spaces: 2", "sans", 13, th.sub)
        self.win = self.canvas.add(Layer("editor", Surface.from_image(im), x - s, y - s, z=10))
        kind = "mono" if rng.random() < 0.6 else "sans"
        self.box = TextBox(self, "doc", (x, y + mb, w, h - mb - 28), kind, P.dk_font - (1 if kind == "mono" else 0),
                           P.dk_line_h, th.text, th.bg, pad=(22, 12), z=12)
        self.box.set_text([fname] + [""] + texts.EDITOR_LINES[: rng.randint(6, 12)])
        self.text_rects.append([self.box.x, self.box.y, self.box.w, self.box.h])
        self.hover_spots += [(r[0] + r[2] // 2, r[1] + r[3] // 2) for _, r in self.menus]
        caret, _, _ = self.box.boxes()
        self.caret.place("doc", caret, self.box.caret_clip())
        if self.noise >= P.spinner_noise:
            self.win_spinner = Spinner(self, x + w - 40, y + h - 26, 24, th.sub, th.panel, name="spinner")
        else:
            self.win_spinner = None

    def ambient_tick(self, i: int) -> None:
        super().ambient_tick(i)
        if self.win_spinner:
            self.win_spinner.tick(i)

    def menu(self):
        """A menu-bar dropdown: the menu title highlights and its list unrolls under it."""
        th, s = self.th, self.P.shadow_px
        name, (mx, my, mw, mh) = self.rng.choice(self.menus[:3])
        items = {"File": ["New", "Open\u2026", "Save", "Save As\u2026", "Close"],
                 "Edit": ["Undo", "Redo", "Cut", "Copy", "Paste", "Find\u2026"],
                 "View": ["Zoom In", "Zoom Out", "Word Wrap", "Minimap"]}[name]
        w, ih = 220, 30
        h = ih * len(items) + 12

        def draw(hi=None):
            im, d = paint.card(w, h, th.card, 8, s, border=th.line, dark=th.name == "dark")
            for k, it in enumerate(items):
                if k == hi:
                    d.rectangle((s + 4, s + 6 + k * ih, s + w - 5, s + 6 + (k + 1) * ih - 1), fill=self.accent)
                paint.text(d, s + 16, s + 6 + k * ih, ih, it, "sans", 14, (255, 255, 255) if k == hi else th.text)
            return im
        tr = Transient(self, "dropdown", "menu", draw(), [mx, my + mh, w, h], s, anim="expand", z=70)
        tr.draw, tr.items = draw, items
        tr.control = [mx, my, mw, mh]
        tr.bbox = [mx, my, max(w, mw), mh + h]
        tr.item_xy = [(mx + 60, my + mh + 6 + k * ih + ih // 2) for k in range(len(items))]
        him, hd = paint.image(mw + (mw & 1), mh, self.accent)
        paint.text(hd, 10 + (mx & 1), 0, mh, name, "sans", 14, (255, 255, 255))
        tr.hi = Layer("menuhi", Surface.from_image(him), mx - (mx & 1), my, z=13)
        return tr
