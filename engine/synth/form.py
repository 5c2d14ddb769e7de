"""A web form in a browser window on the desktop: text fields with labels, a region dropdown, a message box
and a Submit button that shows a toast; then the page reloads empty (a 'scroll' of the page viewport)."""
from __future__ import annotations

from . import fonts, paint, texts
from .canvas import Layer, Surface, even
from .desktop import Desktop
from .textbox import TextBox
from .widgets import Transient


class Form(Desktop):
    app_name = "form"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        P, th, rng, W, H, u, ue = self.P, self.th, self.rng, self.W, self.H, self.u, self.ue
        w, h = even(min(self.rr(u(1400), u(1800)), W - u(40))), even(min(self.rr(u(820), u(960)), H - u(60)))
        x, y = even(self.rr(u(20), W - u(20) - w)), even(self.rr(u(50), H - u(40) - h))
        self.main_rect = [x, y, w, h]
        im, d, s = self.window_image(w, h, "Contact sales \u2014 Helix Cloud")
        ub = P.dk_title_h
        d.rectangle((s, s + ub, s + w - 1, s + ub + u(44)), fill=th.panel)
        paint.rrect(d, (s + u(120), s + ub + u(8), w - u(240), u(28)), u(14), th.field, th.line)
        paint.text(d, s + u(140), s + ub + u(8), u(28), "https://helix.example/contact", "sans", u(14), th.sub)
        top = ub + ue(46)                              # the page starts under the address bar
        self.page = [x, y + top, w, h - top]
        px, py = s, s + top
        paint.text(d, px + u(28), py, u(52), "Helix Cloud", "bold", u(18), self.accent)
        for k, link in enumerate(["Products", "Pricing", "Support", "Account"]):
            paint.text(d, px + u(190 + k * 100), py, u(52), link, "sans", u(14), th.sub)
        cx, cy = even(x + self.rr(u(60), max(u(61), w - u(1180)))), even(y + top + u(80))
        card, X, Y = th.panel, s - x, s - y          # frame px -> window image px
        paint.rrect(d, (cx + X, cy + Y, u(720), u(600)), u(10), card, th.line, width=1)
        paint.rrect(d, (cx + X + u(760), cy + Y, u(360), u(220)), u(10), card, th.line, width=1)
        paint.text(d, cx + X + u(784), cy + Y + u(16), u(32), "Plan", "bold", u(17), th.text)
        for k, (a_, b_) in enumerate([("Team seats", "25"), ("Storage", "2 TB"), ("Support", "Priority")]):
            yy = cy + Y + u(64 + k * 40)
            paint.text(d, cx + X + u(784), yy, u(32), a_, "sans", u(14), th.sub)
            paint.text(d, cx + X + u(1096) - fonts.width("bold", u(14), b_), yy, u(32), b_, "bold", u(14), th.text)
        paint.text(d, cx + X + u(28), cy + Y + u(20), u(36), "Contact sales", "bold", u(22), th.text)
        paint.text(d, cx + X + u(28), cy + Y + u(56), u(24), "Tell us about your team.", "sans", u(14), th.sub)
        self.fields = []
        labels = ["Your name", "Work email", "Organisation", "Phone number"]
        for k, lab in enumerate(labels):
            fx, fy = cx + ue(28 + (k % 2) * 344), cy + ue(120 + (k // 2) * 92)
            self._label(d, x, y, s, fx, fy, lab, ue(320))
            self.fields.append(TextBox(self, lab.split()[-1].lower(), (fx, fy, ue(320), ue(40)), "sans", u(15),
                                       ue(24), th.text, th.field, pad=(ue(10), 0), multiline=False,
                                       label_top=fy - u(26), z=12, caret_w=max(2, ue(2))))
        self.sel = [cx + ue(28), cy + ue(330), ue(664), ue(40)]
        self._label(d, x, y, s, self.sel[0], self.sel[1], "Region", ue(664))
        my = cy + ue(418)
        self._label(d, x, y, s, cx + ue(28), my, "How can we help?", ue(664))
        self.msg = TextBox(self, "msg", (cx + ue(28), my, ue(664), ue(96)), "sans", u(15), ue(28), th.text, th.field,
                           pad=(ue(10), ue(6)), z=12, caret_w=max(2, ue(2)))
        self.submit = [cx + ue(28), cy + ue(540), ue(110), ue(40)]
        paint.rrect(d, (self.submit[0] + X, self.submit[1] + Y, ue(110), ue(40)), u(8), self.accent)
        paint.text(d, self.submit[0] + X + u(28), self.submit[1] + Y, ue(40), "Submit", "bold", u(15),
                   (255, 255, 255))
        self.win = self.canvas.add(Layer("browser", Surface.from_image(im), x - s, y - s, z=10))
        self.sel_layer = self.canvas.add(Layer("select", self._sel_tile("Choose region", True), *self.sel[:2], z=12))
        for f in self.fields + [self.msg]:
            f.set_text([""])
        self.text_rects += [[f.x, f.y, f.w, f.h] for f in self.fields + [self.msg]]
        self.button_rects += [self.submit, self.sel] + [[x + u(182 + k * 100), y + top + u(12), u(90), u(28)]
                                                        for k in range(4)]

    def _label(self, d, x, y, s, fx, fy, text, w) -> None:
        th, u = self.th, self.u
        paint.text(d, fx - x + s, fy - y + s - u(26), u(22), text, "bold", u(13), th.text)
        paint.rrect(d, (fx - x + s - u(2), fy - y + s - u(2), w + u(4), u(96 if text.startswith("How") else 40) + u(4)),
                    u(6), None, th.line, width=2)

    def _sel_tile(self, value: str, placeholder: bool) -> Surface:
        th, u = self.th, self.u
        im, d = paint.image(self.sel[2], self.sel[3], th.field)
        paint.text(d, u(10), 0, self.sel[3], value, "sans", u(15), th.sub if placeholder else th.text)
        paint.text(d, self.sel[2] - u(26), 0, self.sel[3], "\u25be", "sans", u(15), th.sub)
        return Surface.from_image(im)

    def field_values(self) -> list[str]:
        name = self.rng.choice(texts.FORM_NAMES)
        first, last = name.lower().split()
        comp = self.rng.choice(texts.FORM_COMPANIES)
        return [name, f"{first[0]}{last}@{comp.split()[0].lower()}.example", comp,
                f"0{self.rng.randint(30, 89)} {self.rng.randint(1000, 9999)}"]

    def dropdown(self):
        th, s, u, ue = self.th, self.P.shadow_px, self.u, self.ue
        x, y, w, h0 = self.sel
        ih, items, gap = ue(34), texts.REGIONS, ue(4)
        h = ih * len(items) + ue(12)

        def draw(hi=None):
            im, d = paint.card(w, h, th.card, u(6), s, border=th.line, dark=th.name == "dark")
            for k, it in enumerate(items):
                if k == hi:
                    d.rectangle((s + u(4), s + u(6) + k * ih, s + w - u(5), s + u(6) + (k + 1) * ih - 1), fill=th.line)
                paint.text(d, s + u(14), s + u(6) + k * ih, ih, it, "sans", u(15), th.text)
            return im
        tr = Transient(self, "dropdown", "region", draw(), [x, y + h0 + gap, w, h], s, anim="expand", z=70)
        tr.draw, tr.items = draw, items
        tr.bbox = [x, y, w, h0 + gap + h]
        tr.item_xy = [(x + u(80), y + h0 + gap + u(6) + k * ih + ih // 2) for k in range(len(items))]
        return tr

    def set_region(self, value) -> None:
        self.canvas.update(self.sel_layer, surf=self._sel_tile(value or "Choose region", value is None))

    def reset_page(self):
        """The page reloads empty: a content change of the page viewport (reported as a scroll)."""
        self.truth.event(self.t, self.t + 1.0, "scroll", self.page, el="page")
        self.caret.hide()
        for f in self.fields + [self.msg]:
            f.set_text([""])
        self.set_region(None)
        yield 1.0

    @staticmethod
    def center(box):
        return box[0] + box[2] // 2, box[1] + box[3] // 2

    def text_fits(self, box, s: str) -> str:
        while s and fonts.width(box.kind, box.size, s) + self.u(16) > box.tw:
            s = s[:-1]
        return s
