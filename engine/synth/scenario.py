"""What happens when: the seed picks a mix of actions per app; each action is a generator that acts on the
app and yields the seconds to wait. `script(app)` is the whole clip (it runs until the frames run out)."""
from __future__ import annotations

import math

from . import texts
from .canvas import even

NEAR = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wertyuiopo" "sdfghjklk" "xcvbnmn", strict=True))  # typo: next key


# ---------------------------------------------------------------------------------------------- helpers
def scroll_path(app, a: int, b: int, fling: bool, glide: bool = False) -> list[int]:
    """Even offsets, one per frame, from a (excluded) to b: wheel notches, a fling, or a short glide."""
    P, fps, d = app.P, app.P.fps, b - a
    if abs(d) < 2:
        return []
    if fling:
        tau = P.fling_tau_s * fps
        n = max(3, int(math.ceil(tau * math.log(max(abs(d), 2) / 1.5))))
        raw = [a + d * (1 - math.exp(-k / tau)) for k in range(1, n)] + [b]
    elif glide:
        n = app.frames(P.glide_s)
        raw = [a + d * (1 - (1 - k / n) ** 3) for k in range(1, n + 1)]
    else:
        steps = max(1, int(round(abs(d) / (sum(P.wheel_step_px) / 2))))
        m = app.frames(P.wheel_step_s)
        raw = [a + d * (s + (1 - (1 - k / m) ** 2)) / steps for s in range(steps) for k in range(1, m + 1)]
    out = []
    for v in raw:
        v = even(v)
        if v != (out[-1] if out else even(a)):
            out.append(v)
    return out


def interval(app) -> float:
    P = app.P
    return max(0.04, P.key_interval_s + app.rng.uniform(-P.key_jitter_s, P.key_jitter_s))


def type_text(app, box, text: str):
    """Keystrokes with human timing, short word pauses and typos fixed with BackSpace (one burst)."""
    P, rng = app.P, app.rng
    for k, ch in enumerate(text):
        if not box.fits(ch):
            break
        if ch.isalpha() and ch.lower() in NEAR and rng.random() < P.typo_p:
            app.press(box, NEAR[ch.lower()])
            yield interval(app) * 1.5
            app.press(box, "\b")
            yield interval(app) * 1.3
        app.press(box, ch)
        if k < len(text) - 1:
            pause = ch == " " and rng.random() < P.word_pause_p
            yield app.uniform(P.word_pause_s) if pause else interval(app)


def end_target(box, extra_lines: int):
    """Scroll offset that shows the end of a TextBox with extra_lines below it, or None if it is in view."""
    end_y = box.pady + len(box.lines) * box.lh
    if box.scroll <= end_y - 2 * box.lh and end_y + extra_lines * box.lh <= box.scroll + box.h - box.pady:
        return None
    return max(0, even(end_y - box.h * 0.45))


def touch(app, vp, down: bool):
    """A phone showing taps with a pointer: it goes to the viewport to drag it (lower when the content moves
    up); returns the start point, or None (no pointer, nothing to wait)."""
    if app.form != "phone" or app.pointer is None:
        return None
    x, y = vp[0] + vp[2] // 2, vp[1] + int(vp[3] * (0.75 if down else 0.25))
    yield from app.tap(x, y)
    return x, y


def follow(app, start, n: int, k: int, moved: int, fling: bool) -> None:
    """The dragging pointer follows the content (a fling lifts the finger after a third of the frames)."""
    if start is not None and (not fling or k < max(1, n // 3)):
        app.drag_to(start[0], start[1] - moved)


def scroll_box(app, box, target: int, fling: bool):
    """Scroll a TextBox to target; the caret rides along; one scroll tick per moved frame."""
    start, s0 = (yield from touch(app, [box.x, box.y, box.w, box.h], target > box.scroll)), box.scroll
    path = scroll_path(app, box.scroll, target, fling)
    for k, off in enumerate(path):
        follow(app, start, len(path), k, off - s0, fling)
        box.set_scroll(off)
        if app.caret.el == box.el:
            caret, _, _ = box.boxes()
            app.caret.place(box.el, caret, box.caret_clip())
        app.truth.tick(app.t, box.el, [box.x, box.y, box.w, box.h])
        yield 1 / app.P.fps


def wait(app, secs: float):
    if hasattr(app, "idle"):
        yield from app.idle(secs)
    else:
        yield secs


def show_for(app, tr, hold: float, bbox=None, then=None):
    """Show a transient for hold s; then(): what happens before it goes (a tap on its button)."""
    tr.show(bbox)
    yield hold
    if then is not None:
        yield from then()
    tr.hide()
    yield app.P.fade_s + 2 / app.P.fps


def choose_item(app, tr):
    """Open a dropdown, let it stay a moment, move the pointer to a random item and pick it: the item's index."""
    P = app.P
    tr.show(tr.bbox)
    yield app.uniform(P.dropdown_hold_s) * 0.5
    k = app.rng.randrange(len(tr.items))
    yield app.pointer.move(*tr.item_xy[k]) + 0.05
    tr.replace(tr.draw(k))
    yield P.pick_s
    return k


def pick(app, weights: dict) -> str:
    r, acc = app.rng.random() * sum(weights.values()), 0.0
    for k, w in weights.items():
        acc += w
        if r <= acc:
            return k
    return k


def sentence(app, lo_hi=None) -> str:
    lo, hi = lo_hi or app.P.burst_chars
    s = app.rng.choice(texts.SENTENCES)
    n = app.rng.randint(lo, hi)
    if len(s) > n:
        s = s[:n].rsplit(" ", 1)[0] if " " in s[:n] else s[:n]
    return s


def tap_point(box) -> tuple[int, int]:
    """Where a tap puts the caret at the end of a TextBox's caret paragraph: the caret's centre."""
    c, _, _ = box.boxes()
    return int(c[0] + c[2] / 2), int(c[1] + c[3] / 2)


# ---------------------------------------------------------------------------------------------- actions
def doc_line(app) -> str:
    """A new line for a document: a list item or a sentence (notes), a bullet (editor)."""
    if app.app_name == "editor":
        return app.rng.choice(texts.EDITOR_TYPED)
    return ("- " if app.rng.random() < 0.5 else "") + sentence(app)


def type_doc(app, box, click):
    """Bursts at the end of a multi-line TextBox (notes, editor): scroll there if needed, click, type."""
    P = app.P
    lines = 2 + int(max(P.burst_chars) * box.size * 0.55 / max(1, box.tw))
    tgt = end_target(box, lines)
    if tgt is not None:
        yield from scroll_box(app, box, tgt, fling=False)
        yield app.rng.uniform(0.25, 0.5)
    yield from click()
    app.place(box, "click")
    yield app.uniform(P.place_to_key_s)
    for b in range(app.rng.choice([1, 1, 2])):
        if b or app.rng.random() < 0.6 or not box.paras[box.cp].strip():
            app.press(box, "\n")
            yield interval(app) * 2
            text = doc_line(app)
        else:
            text = ("" if box.paras[box.cp].endswith(" ") else " ") + sentence(app)
        yield from type_text(app, box, text)
        yield app.uniform(P.between_bursts_s)
        if end_target(box, lines) is not None:
            break


def phone_transient(app, kind=None):
    P = app.P
    kind = kind or pick(app, {"notification": 3, "popup": 2, "modal": 1, "toast": 2, "dropdown": 2})
    if kind == "notification":
        yield from show_for(app, app.notification(), app.uniform(P.notif_hold_s))
    elif kind in ("popup", "modal"):
        tr = app.popup(modal=kind == "modal")
        yield from show_for(app, tr, app.uniform(P.popup_hold_s), then=lambda: app.tap(*tr.buttons[0]))
    elif kind == "toast":
        yield from show_for(app, app.toast(), app.uniform(P.toast_hold_s))
    else:
        tr = app.menu()
        b = app.menu_btn
        yield from app.tap(b[0] + b[2] // 2, b[1] + b[3] // 2)
        tr.show(tr.bbox)
        yield app.uniform(P.dropdown_hold_s)
        k = app.rng.randrange(len(tr.items))
        yield from app.tap(*tr.item_xy[k])
        tr.replace(tr.draw(k))
        yield P.pick_s
        tr.hide()
        yield P.fade_s + 2 / P.fps
        if app.rng.random() < 0.5:
            yield 0.3
            yield from show_for(app, app.toast(), app.uniform(P.toast_hold_s))


def desktop_transient(app, kind=None):
    P = app.P
    opts = {"notification": 3, "popup": 2, "toast": 2, "export": 2, "prefs": 1.5}
    if hasattr(app, "menu"):
        opts["menu"] = 2.5
    kind = kind or pick(app, opts)
    if kind == "notification":
        yield from show_for(app, app.notification(), app.uniform(P.notif_hold_s))
    elif kind == "toast":
        yield from show_for(app, app.toast(), app.uniform(P.toast_hold_s))
    elif kind == "popup":
        tr = app.popup()
        tr.show()
        yield from app.idle(app.uniform(P.popup_hold_s) * 0.5)
        yield from app.click(*tr.button)
        tr.hide()
        yield P.fade_s + 2 / P.fps
    elif kind == "menu":
        tr = app.menu()
        yield from app.click(tr.control[0] + 12, tr.control[1] + 14)
        app.canvas.add(tr.hi)
        yield from choose_item(app, tr)
        tr.hide(then=lambda: app.canvas.remove(tr.hi))
        yield P.expand_s + 2 / P.fps
    elif kind == "export":
        tr = app.export_window()
        tr.show()
        yield 0.5
        ev = app.truth.event(app.t, None, "progress", tr.progress_box, id="progress")
        dur, t0 = app.uniform(P.progress_s), app.t
        while app.t < t0 + dur:
            p = (app.t - t0) / dur
            tr.replace(tr.draw(p, 1 + int(p * (len(texts.LOG_LINES) - 1))))
            yield 0.1
        tr.replace(tr.draw(1.0, len(texts.LOG_LINES)))
        ev["t1"] = round(app.t, 3)
        yield from app.idle(app.uniform(P.window_tail_s))
        yield from app.click(*tr.button)
        tr.hide()
        yield P.fade_s + 2 / P.fps
    else:
        tr = app.prefs_window()
        tr.show()
        yield 0.6
        for _ in range(app.rng.randint(1, 2)):
            k = app.rng.randrange(len(tr.boxes))
            yield from app.click(*tr.boxes[k])
            tr.state[k] = not tr.state[k]
            tr.replace(tr.draw())
            yield 0.5
        yield from app.click(*tr.button)
        tr.hide()
        yield P.fade_s + 2 / P.fps


# ---------------------------------------------------------------------------------------------- flows
def notes_flow(app):
    P, box = app.P, app.box
    while True:
        kind = pick(app, {"type": 1 - P.transient_share - P.scroll_share, "scroll": P.scroll_share,
                          "transient": P.transient_share})
        if kind == "type":
            yield from type_doc(app, box, lambda: app.tap(*tap_point(box)))
        elif kind == "scroll" and box.content_h() > box.h:
            fling = app.rng.random() < 0.5
            top = max(0, box.content_h() - box.h)
            tgt = app.rng.randint(0, top) if box.scroll > top // 2 else top
            yield from scroll_box(app, box, even(tgt), fling)
        else:
            yield from phone_transient(app)
        yield app.uniform(P.action_gap_s) / app.density


def chat_flow(app):
    P = app.P
    while True:
        kind = pick(app, {"send": 0.35, "reply": 0.12, "scroll": P.scroll_share, "transient": P.transient_share})
        if kind == "send":
            f = app.box
            yield from app.tap(f.x + f.w // 3, f.y + f.h // 2)
            if not app.keyboard.layer.visible:
                yield from app.keyboard_slide(True)
            app.place(app.box, "focus")
            yield app.uniform(P.place_to_key_s)
            msg = app.rng.choice(texts.CHAT_REPLIES + texts.CHAT_MSGS)
            if app.rng.random() < 0.4:
                yield from type_text(app, app.box, msg + " ")
                yield app.uniform(P.between_bursts_s)
                msg = app.rng.choice(texts.CHAT_REPLIES)
            yield from type_text(app, app.box, msg)
            yield app.uniform(P.send_after_s)
            yield from app.send()
            yield app.uniform(P.between_bursts_s)
        elif kind == "reply":
            yield from app.incoming(app.rng.choice(texts.CHAT_REPLIES))
        elif kind == "scroll":
            if app.keyboard.layer.visible:
                g = app.keyboard_slide(False)
                next(g)
            yield from app.scroll_list(fling=app.rng.random() < 0.5)
        else:
            yield from phone_transient(app)
        yield app.uniform(P.action_gap_s) / app.density


def editor_flow(app):
    P, box = app.P, app.box

    def click():
        u = app.u
        cx, cy = box.tx + u(80) + app.rng.randint(0, u(200)), box.line_top(len(box.lines) - 1) + box.lh // 2
        yield from app.click(cx, min(cy, box.y + box.h - u(10)))
    while True:
        kind = pick(app, {"type": 1 - P.transient_share - P.scroll_share, "scroll": P.scroll_share * 0.6,
                          "transient": P.transient_share})
        if kind == "type":
            yield from type_doc(app, box, click)
        elif kind == "scroll" and box.content_h() > box.h:
            top = max(0, box.content_h() - box.h)
            tgt = app.rng.randint(0, top) if box.scroll > top // 2 else top
            yield from scroll_box(app, box, even(tgt), fling=False)
        else:
            yield from desktop_transient(app)
        yield from app.idle(app.uniform(P.action_gap_s) / app.density)


def term_flow(app):
    P, T = app.P, app.term
    k = 0
    while True:
        cmd, out = app.cmds[k % len(app.cmds)]
        k += 1
        yield from type_text(app, T, cmd)
        yield app.rng.uniform(0.2, 0.6)
        yield from app.run_command(cmd, out)
        yield from app.idle(app.uniform(P.action_gap_s) / app.density)
        if app.rng.random() < P.transient_share:
            yield from desktop_transient(app)
            yield from app.idle(app.uniform(P.after_transient_s))


def form_flow(app):
    P = app.P
    while True:
        vals = app.field_values()
        for k, f in enumerate(app.fields):
            if k and app.rng.random() < 0.6:
                yield app.uniform(P.tab_after_s)
                app.place(f, "Tab")
            else:
                if k:
                    yield from app.idle(app.uniform(P.between_bursts_s))
                yield from app.click(f.x + app.u(60) + app.rng.randint(0, app.u(150)), f.y + f.h // 2)
                app.place(f, "click")
            yield app.uniform(P.place_to_key_s)
            yield from type_text(app, f, app.text_fits(f, vals[k]))
            if app.rng.random() < 0.25 * app.density:
                yield from app.idle(app.uniform(P.between_bursts_s))
                yield from desktop_transient(app)
        yield from app.idle(app.uniform(P.between_bursts_s))
        tr = app.dropdown()
        yield from app.click(*app.center(app.sel))
        app.caret.hide()
        k = yield from choose_item(app, tr)
        tr.hide()
        app.set_region(tr.items[k])
        yield from app.idle(app.uniform(P.after_transient_s))
        yield from app.click(app.msg.x + app.u(100), app.msg.y + app.u(20))
        app.place(app.msg, "click")
        yield app.uniform(P.place_to_key_s)
        yield from type_text(app, app.msg, app.rng.choice(texts.FORM_MSGS))
        yield from app.idle(app.uniform(P.between_bursts_s))
        yield from app.click(*app.center(app.submit))
        app.caret.hide()
        yield from show_for(app, app.toast(texts.TOASTS[-1], left=True), app.uniform(P.toast_hold_s))
        yield from app.idle(app.uniform(P.after_transient_s))
        yield from app.reset_page()
        yield from app.idle(app.uniform(P.action_gap_s) / app.density)


FLOWS = {"notes": notes_flow, "chat": chat_flow, "editor": editor_flow, "terminal": term_flow, "form": form_flow}


def script(app):
    yield app.uniform(app.P.start_idle_s)
    yield from FLOWS[app.app_name](app)
