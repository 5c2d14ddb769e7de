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
        P, th, rng = self.P, self.th, self.rng
        w, h = even(rng.randrange(1400, 1800)), even(rng.randrange(820, 960))
        x, y = even(rng.randrange(20, 1900 - w)), even(rng.randrange(50, 1040 - h))
        self.main_rect = [x, y, w, h]
        im, d, s = self.window_image(w, h, "Contact sales \u2014 Helix Cloud")
        ub = P.dk_title_h
        d.rectangle((s, s + ub, s + w - 1, s + ub + 44), fill=th.panel)
        paint.rrect(d, (s + 120, s + ub + 8, w - 240, 28), 14, th.field, th.line)
        paint.text(d, s + 140, s + ub + 8, 28, "https://helix.example/contact", "sans", 14, th.sub)
        self.page = [x, y + ub + 46, w, h - ub - 46]
        px, py = s, s + ub + 46
        paint.text(d, px + 28, py, 52, "Helix Cloud", "bold", 18, self.accent)
        for k, link in enumerate(["Products", "Pricing", "Support", "Account"]):
            paint.text(d, px + 190 + k * 100, py, 52, link, "sans", 14, th.sub)
        cx, cy = even(x + rng.randrange(60, max(61, w - 1180))), even(y + ub + 46 + 80)
        card = th.panel
        paint.rrect(d, (cx - x + s, cy - y + s, 720, 600), 10, card, th.line, width=1)
        paint.rrect(d, (cx - x + s + 760, cy - y + s, 360, 220), 10, card, th.line, width=1)
        paint.text(d, cx - x + s + 784, cy - y + s + 16, 32, "Plan", "bold", 17, th.text)
        for k, (a_, b_) in enumerate([("Team seats", "25"), ("Storage", "2 TB"), ("Support", "Priority")]):
            yy = cy - y + s + 64 + k * 40
            paint.text(d, cx - x + s + 784, yy, 32, a_, "sans", 14, th.sub)
            paint.text(d, cx - x + s + 1096 - fonts.width("bold", 14, b_), yy, 32, b_, "bold", 14, th.text)
        paint.text(d, cx - x + s + 28, cy - y + s + 20, 36, "Contact sales", "bold", 22, th.text)
        paint.text(d, cx - x + s + 28, cy - y + s + 56, 24, "Tell us about your team.", "sans", 14, th.sub)
        self.fields = []
        labels = ["Your name", "Work email", "Organisation", "Phone number"]
        for k, lab in enumerate(labels):
            fx, fy = cx + 28 + (k % 2) * 344, cy + 120 + (k // 2) * 92
            self._label(d, x, y, s, fx, fy, lab, 320)
            self.fields.append(TextBox(self, lab.split()[-1].lower(), (fx, fy, 320, 40), "sans", 15, 24, th.text,
                                       th.field, pad=(10, 0), multiline=False, label_top=fy - 26, z=12))
        self.sel = [cx + 28, cy + 330, 664, 40]
        self._label(d, x, y, s, self.sel[0], self.sel[1], "Region", 664)
        my = cy + 418
        self._label(d, x, y, s, cx + 28, my, "How can we help?", 664)
        self.msg = TextBox(self, "msg", (cx + 28, my, 664, 96), "sans", 15, 28, th.text, th.field, pad=(10, 6),
                           z=12)
        self.submit = [cx + 28, cy + 540, 110, 40]
        paint.rrect(d, (self.submit[0] - x + s, self.submit[1] - y + s, 110, 40), 8, self.accent)
        paint.text(d, self.submit[0] - x + s + 28, self.submit[1] - y + s, 40, "Submit", "bold", 15, (255, 255, 255))
        self.win = self.canvas.add(Layer("browser", Surface.from_image(im), x - s, y - s, z=10))
        self.sel_layer = self.canvas.add(Layer("select", self._sel_tile("Choose region", True), *self.sel[:2], z=12))
        for f in self.fields + [self.msg]:
            f.set_text([""])
        self.text_rects += [[f.x, f.y, f.w, f.h] for f in self.fields + [self.msg]]
        self.button_rects += [self.submit, self.sel] + [[x + 190 + k * 100 - 8, y + ub + 46 + 12, 90, 28]
                                                        for k in range(4)]

    def _label(self, d, x, y, s, fx, fy, text, w) -> None:
        th = self.th
        paint.text(d, fx - x + s, fy - y + s - 26, 22, text, "bold", 13, th.text)
        paint.rrect(d, (fx - x + s - 2, fy - y + s - 2, w + 4, (96 if text.startswith("How") else 40) + 4), 6,
                    None, th.line, width=2)

    def _sel_tile(self, value: str, placeholder: bool) -> Surface:
        th = self.th
        im, d = paint.image(self.sel[2], self.sel[3], th.field)
        paint.text(d, 10, 0, self.sel[3], value, "sans", 15, th.sub if placeholder else th.text)
        paint.text(d, self.sel[2] - 26, 0, self.sel[3], "\u25be", "sans", 15, th.sub)
        return Surface.from_image(im)

    def field_values(self) -> list[str]:
        name = self.rng.choice(texts.FORM_NAMES)
        first, last = name.lower().split()
        comp = self.rng.choice(texts.FORM_COMPANIES)
        return [name, f"{first[0]}{last}@{comp.split()[0].lower()}.example", comp,
                f"0{self.rng.randint(30, 89)} {self.rng.randint(1000, 9999)}"]

    def dropdown(self):
        th, s = self.th, self.P.shadow_px
        x, y, w, h0 = self.sel
        ih, items = 34, texts.REGIONS
        h = ih * len(items) + 12

        def draw(hi=None):
            im, d = paint.card(w, h, th.card, 6, s, border=th.line, dark=th.name == "dark")
            for k, it in enumerate(items):
                if k == hi:
                    d.rectangle((s + 4, s + 6 + k * ih, s + w - 5, s + 6 + (k + 1) * ih - 1), fill=th.line)
                paint.text(d, s + 14, s + 6 + k * ih, ih, it, "sans", 15, th.text)
            return im
        tr = Transient(self, "dropdown", "region", draw(), [x, y + h0 + 4, w, h], s, anim="expand", z=70)
        tr.draw, tr.items = draw, items
        tr.bbox = [x, y, w, h0 + 4 + h]
        tr.item_xy = [(x + 80, y + h0 + 4 + 6 + k * ih + ih // 2) for k in range(len(items))]
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
        while s and fonts.width(box.kind, box.size, s) + 16 > box.tw:
            s = s[:-1]
        return s
