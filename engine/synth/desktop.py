"""Desktop: wallpaper, top bar with a ticking clock, dock, a mouse pointer, windows; the editor app lives here
(terminal.py and form.py hold the other two). Transient windows and cards for all three.

Laid out for 1920x1080 at UI scale 1 and scaled (k) to the frame as a downscaled 1080p capture would be, times
the UI scale, within dk_ui_range and so that the frame holds at least dk_min_logical layout px; windows are
placed inside whatever frame there is."""
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

    def layout_scale(self):
        P, W, H = self.P, self.W, self.H
        lo, hi = P.dk_ui_range
        k = self.style.ui_scale * min(W / 1920, H / 1080)
        k = min(max(k, lo), hi, W / P.dk_min_logical[0], H / P.dk_min_logical[1])
        return (1.0 if abs(k - 1) < 1e-9 else k), 1.0

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        P, th, W, H, rng, u, ue = self.P, self.th, self.W, self.H, self.rng, self.u, self.ue
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
        paint.text(d, u(16), 0, P.dk_topbar_h, "Activities", "bold", P.dk_ui_font, fg)
        paint.text(d, W - u(130), 0, P.dk_topbar_h, "\u25d0  \u25d1  100%", "sans", P.dk_ui_font, fg)
        dw = u(6 * 64 + 7 * 14)
        dx, dy = (W - dw) // 2, H - u(84)
        paint.rrect(d, (dx, dy, dw, u(76)), u(20), paint.blend(bar, [int(v) for v in wall[dy, dx]], 0.3))
        cols = [(70, 130, 220), (60, 180, 110), (230, 160, 40), (200, 80, 90), (150, 100, 210), (90, 90, 100)]
        for k, col in enumerate(cols):
            paint.rrect(d, (dx + u(14 + k * 78), dy + u(6), u(64), u(64)), u(16), col)
        self.wall = wall
        self.bg = self.canvas.add(Layer("desktop", Surface.from_image(im), 0, 0, z=0))
        self.clock = Clock(self, (W - ue(200)) // 2, 0, ue(200), P.dk_topbar_h, P.dk_ui_font + 1, fg, bar,
                           start_s=rng.randrange(8 * 3600, 20 * 3600), align="center")
        self.truth.event(0.0, None, "ambient", [0, 0, W, P.dk_topbar_h], name="top bar clock")
        self.spinner = self.progress = None
        if self.noise >= P.spinner_noise:
            self.spinner = Spinner(self, W - u(190), u(6), ue(24), fg, bar)
        if self.noise >= P.progress_noise:
            self.progress = ProgressBar(self, W - u(330), u(14), ue(120), max(2, ue(8)), self.accent,
                                        paint.blend(bar, fg, 0.25), name="download progress")
        st = self.style
        self.pointer = Pointer(self, self.rr(u(600), min(u(1300), W - u(40))), self.rr(u(300), min(u(800), H - u(40))),
                               u(st.pointer_px) if st.pointer_px else P.dk_pointer_px,
                               st.pointer, st.pointer_shapes, st.pointer_shadow)
        self.hover_spots = [(dx + u(46 + k * 78), dy + u(38)) for k in range(len(cols))]   # dock icons
        self.caret = Caret(self, self.accent if th.name == "dark" else th.text, max(2, ue(2)))
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
        P, th, s, u = self.P, self.th, self.P.shadow_px, self.u
        im, d = paint.card(w, h, body or th.bg, u(12), s, dark=th.name == "dark")
        tb = paint.blend(th.panel, (0, 0, 0), 0.08) if not dark_title else (44, 45, 50)
        d.rounded_rectangle((s, s, s + w - 1, s + P.dk_title_h), u(12), fill=tb)
        d.rectangle((s, s + P.dk_title_h - u(12), s + w - 1, s + P.dk_title_h - 1), fill=tb)
        for k, col in enumerate([(255, 95, 87), (254, 188, 46), (40, 200, 64)]):
            d.ellipse((s + u(16 + k * 22), s + u(12), s + u(28 + k * 22), s + u(24)), fill=col)
        tw = fonts.width("sans", P.dk_ui_font, title)
        paint.text(d, s + (w - tw) / 2, s, P.dk_title_h, title, "sans", P.dk_ui_font,
                   (220, 220, 224) if dark_title or th.name == "dark" else (60, 60, 66))
        return im, d, s

    # ------------------------------------------------------------------ transient cards
    def notification(self):
        P, th, W, s, u, ue = self.P, self.th, self.W, self.P.shadow_px, self.u, self.ue
        app_name, title, body = self.rng.choice(texts.NOTIFS)
        w, h = min(ue(400), W - ue(32)), ue(100)
        im, d = paint.card(w, h, th.card, u(14), s, dark=th.name == "dark")
        paint.rrect(d, (s + u(14), s + u(16), u(36), u(36)), u(9), self.accent)
        paint.text(d, s + u(62), s + u(10), u(24), f"{app_name}  \u00b7  now", "sans", u(13), th.sub)
        paint.text(d, s + u(62), s + u(34), u(24), title, "bold", u(15), th.text)
        card_text(d, s + u(62), s + u(58), w - u(80), body, "sans", u(14), th.text, u(20), max_lines=1)
        return Transient(self, "notification", f"n{self.i}", im, [W - w - ue(16), P.dk_topbar_h + ue(14), w, h], s,
                         z=80)

    def popup(self):
        th, s, u, ue = self.th, self.P.shadow_px, self.u, self.ue
        title, body, buttons = self.rng.choice(texts.POPUPS)
        w, h = ue(440), ue(180)
        wx, wy, ww, wh = self.main_rect
        x, y = even(wx + (ww - w) / 2), even(wy + min(wh - h - u(40), self.rr(u(80), u(300))))
        im, d = paint.card(w, h, th.card, u(12), s, border=th.line, dark=th.name == "dark")
        paint.text(d, s + u(24), s + u(18), u(32), title, "bold", u(17), th.text)
        card_text(d, s + u(24), s + u(60), w - u(48), body, "sans", u(15), th.sub, u(22), max_lines=2)
        bx = s + w - u(24)
        for k, label in enumerate(reversed(buttons)):
            bw = int(fonts.width("sans", u(15), label)) + u(32)
            bx -= bw
            paint.rrect(d, (bx, s + h - u(52), bw, u(34)), u(8), self.accent if k == 0 else th.panel)
            paint.text(d, bx + u(16), s + h - u(52), u(34), label, "sans", u(15),
                       (255, 255, 255) if k == 0 else th.text)
            bx -= u(12)
        tr = Transient(self, "popup", "popup", im, [x, y, w, h], s, z=70)
        tr.button = (x + w - u(60), y + h - u(35))
        return tr

    def toast(self, msg=None, left=False):
        th, W, H, s, u, ue = self.th, self.W, self.H, self.P.shadow_px, self.u, self.ue
        msg = msg or self.rng.choice(texts.TOASTS[:-1])
        w, h = even(fonts.width("sans", u(15), msg) + u(84)), ue(56)
        fill = (46, 125, 70) if left else ((50, 52, 58) if th.name == "light" else (230, 231, 235))
        fg = (255, 255, 255) if left or th.name == "light" else (20, 20, 24)
        im, d = paint.card(w, h, fill, u(10), s)
        d.ellipse((s + u(18), s + u(18), s + u(38), s + u(38)), fill=(120, 220, 140) if left else self.accent)
        paint.text(d, s + u(52), s, h, msg, "sans", u(15), fg)
        x = ue(40) if left else W - w - ue(40)
        return Transient(self, "toast", "toast", im, [x, H - h - ue(120), w, h], s, z=80)

    def export_window(self):
        """An upload window (kind 'window') whose progress part (kind 'progress') is nested inside."""
        th, W, H, s, u, ue = self.th, self.W, self.H, self.P.shadow_px, self.u, self.ue
        fname = self.rng.choice(texts.WINDOW_FILES)
        w, h = min(ue(740), W - ue(40)), min(ue(490), H - ue(60))
        x = even(min(self.rng.choice([W - w - u(70), W - w - u(200), (W - w) // 2 + u(200)]), W - w - u(10)))
        y = even(min(self.rr(u(120), u(300)), H - h - u(20)))

        def draw(p, nlog):
            im, d, s_ = self.window_image(w, h, f"Upload \u2014 {fname}")
            paint.rrect(d, (s + u(32), s + u(64), u(52), u(64)), u(8), (40, 170, 90))
            paint.text(d, s + u(100), s + u(64), u(32), fname, "bold", u(17), th.text)
            paint.text(d, s + u(100), s + u(94), u(28), f"{self.rng.randint(12, 90)}.2 MB to staging", "sans", u(14),
                       th.sub)
            bx, by, bw = s + u(32), s + u(162), w - u(64)
            paint.rrect(d, (bx, by, bw, u(12)), u(6), th.line)
            if p > 0:
                paint.rrect(d, (bx, by, max(u(12), int(bw * p)), u(12)), u(6), self.accent)
            paint.text(d, bx, by + u(18), u(26), "Uploading\u2026" if p < 1 else "Finished", "sans", u(14), th.sub)
            paint.text(d, bx + bw - u(44), by + u(18), u(26), f"{int(p * 100)}%", "sans", u(14), th.sub)
            paint.rrect(d, (bx, by + u(54), bw, u(196)), u(6), th.panel)
            for k, line in enumerate(texts.LOG_LINES[:nlog]):
                paint.text(d, bx + u(12), by + u(62) + k * u(26), u(26), line, "mono", u(13), th.text)
            for k, label in enumerate(["Open", "Cancel"]):
                paint.rrect(d, (s + w - u(120) - k * u(110), s + h - u(58), u(96), u(36)), u(8), th.panel, th.line)
                paint.text(d, s + w - u(104) - k * u(110), s + h - u(58), u(36), label, "sans", u(14), th.text)
            return im
        tr = Transient(self, "window", "upload", draw(0, 0), [x, y, w, h], s, z=65)
        tr.draw = draw
        tr.progress_box = [x + u(32), y + u(162), w - u(64), u(54 + 196)]
        tr.button = (x + w - u(70), y + h - u(40))
        return tr

    def prefs_window(self):
        th, W, H, s, u, ue = self.th, self.W, self.H, self.P.shadow_px, self.u, self.ue
        w, h = min(ue(560), W - ue(40)), min(ue(380), H - ue(60))
        x, y = even(self.rr(u(500), W - w - u(60))), even(min(self.rr(u(90), u(500)), H - h - u(20)))
        opts = ["Show line numbers", "Wrap long lines", "Autosave every minute", "Spell check", "Sync settings"]
        state = [self.rng.random() < 0.5 for _ in opts]

        def draw():
            im, d, _ = self.window_image(w, h, "Preferences")
            for k, o in enumerate(opts):
                yy = s + u(64 + k * 46)
                paint.rrect(d, (s + u(32), yy + u(8), u(22), u(22)), u(5), self.accent if state[k] else th.field,
                            th.line)
                if state[k]:
                    d.line((s + u(37), yy + u(19), s + u(42), yy + u(25), s + u(50), yy + u(13)), fill=(255, 255, 255),
                           width=max(1, u(3)))
                paint.text(d, s + u(68), yy, u(38), o, "sans", u(15), th.text)
            paint.rrect(d, (s + w - u(120), s + h - u(58), u(96), u(36)), u(8), self.accent)
            paint.text(d, s + w - u(88), s + h - u(58), u(36), "OK", "sans", u(15), (255, 255, 255))
            return im
        tr = Transient(self, "window", "preferences", draw(), [x, y, w, h], s, z=65)
        tr.draw, tr.state = draw, state
        tr.boxes = [(x + u(43), y + u(64 + k * 46 + 19)) for k in range(len(opts))]
        tr.button = (x + w - u(72), y + h - u(40))
        return tr


class Editor(Desktop):
    app_name = "editor"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        P, th, rng, W, H, u, ue = self.P, self.th, self.rng, self.W, self.H, self.u, self.ue
        w, h = even(min(self.rr(u(900), u(1160)), W - u(40))), even(min(self.rr(u(760), u(900)), H - u(100)))
        x, y = even(self.rr(u(40), min(u(220), W - w - u(20)))), even(self.rr(u(56), H - u(40) - h))
        self.main_rect = [x, y, w, h]
        fname = rng.choice(texts.EDITOR_FILES)
        im, d, s = self.window_image(w, h, f"{fname} \u2014 ~/work")
        mb = P.dk_title_h + ue(30)
        d.rectangle((s, s + P.dk_title_h, s + w - 1, s + mb), fill=th.panel)
        self.menus, mx = [], u(16)
        for m in ["File", "Edit", "View", "Help"]:
            mw = int(fonts.width("sans", u(14), m)) + u(20)
            paint.text(d, s + mx + u(10), s + P.dk_title_h, u(30), m, "sans", u(14), th.text)
            self.menus.append((m, [x + mx, y + P.dk_title_h, mw, ue(30)]))
            mx += mw
        sb = ue(28)                                   # status bar at the bottom of the window
        d.rectangle((s, s + h - sb, s + w - 1, s + h - u(12)), fill=th.panel)
        d.rounded_rectangle((s, s + h - sb, s + w - 1, s + h - 1), u(12), fill=th.panel)
        paint.text(d, s + u(16), s + h - sb, sb, "UTF-8    Plain Text    Spaces: 2", "sans", u(13), th.sub)
        self.win = self.canvas.add(Layer("editor", Surface.from_image(im), x - s, y - s, z=10))
        kind = "mono" if rng.random() < 0.6 else "sans"
        self.box = TextBox(self, "doc", (x, y + mb, w, h - mb - sb), kind,
                           P.dk_font - (max(1, u(1)) if kind == "mono" else 0), P.dk_line_h, th.text, th.bg,
                           pad=(ue(22), ue(12)), z=12, caret_w=max(2, ue(2)))
        self.box.set_text([fname] + [""] + texts.EDITOR_LINES[: rng.randint(6, 12)])
        self.text_rects.append([self.box.x, self.box.y, self.box.w, self.box.h])
        self.hover_spots += [(r[0] + r[2] // 2, r[1] + r[3] // 2) for _, r in self.menus]
        caret, _, _ = self.box.boxes()
        self.caret.place("doc", caret, self.box.caret_clip())
        if self.noise >= P.spinner_noise:
            self.win_spinner = Spinner(self, x + w - u(40), y + h - u(26), ue(24), th.sub, th.panel, name="spinner")
        else:
            self.win_spinner = None

    def ambient_tick(self, i: int) -> None:
        super().ambient_tick(i)
        if self.win_spinner:
            self.win_spinner.tick(i)

    def menu(self):
        """A menu-bar dropdown: the menu title highlights and its list unrolls under it."""
        th, s, u, ue = self.th, self.P.shadow_px, self.u, self.ue
        name, (mx, my, mw, mh) = self.rng.choice(self.menus[:3])
        items = {"File": ["New", "Open\u2026", "Save", "Save As\u2026", "Close"],
                 "Edit": ["Undo", "Redo", "Cut", "Copy", "Paste", "Find\u2026"],
                 "View": ["Zoom In", "Zoom Out", "Word Wrap", "Minimap"]}[name]
        w, ih = ue(220), ue(30)
        h = ih * len(items) + ue(12)

        def draw(hi=None):
            im, d = paint.card(w, h, th.card, u(8), s, border=th.line, dark=th.name == "dark")
            for k, it in enumerate(items):
                if k == hi:
                    d.rectangle((s + u(4), s + u(6) + k * ih, s + w - u(5), s + u(6) + (k + 1) * ih - 1),
                                fill=self.accent)
                paint.text(d, s + u(16), s + u(6) + k * ih, ih, it, "sans", u(14),
                           (255, 255, 255) if k == hi else th.text)
            return im
        tr = Transient(self, "dropdown", "menu", draw(), [mx, my + mh, w, h], s, anim="expand", z=70)
        tr.draw, tr.items = draw, items
        tr.control = [mx, my, mw, mh]
        tr.bbox = [mx, my, max(w, mw), mh + h]
        tr.item_xy = [(mx + u(60), my + mh + u(6) + k * ih + ih // 2) for k in range(len(items))]
        him, hd = paint.image(mw + (mw & 1), mh, self.accent)
        paint.text(hd, u(10) + (mx & 1), 0, mh, name, "sans", u(14), (255, 255, 255))
        tr.hi = Layer("menuhi", Surface.from_image(him), mx - (mx & 1), my, z=13)
        return tr
