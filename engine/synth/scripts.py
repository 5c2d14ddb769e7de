"""Short scripted scenarios for tests and the demo: generate_clip(..., script=scripts.typing). What happens
when is fixed here; the seed still picks the texts around it, the layout and the typing rhythm (and typos).

    typing   1 s idle (the caret blinks), a tap or click at the end of the text, a burst on a new line, a
             pause longer than a burst gap, a second burst on the same line; then idle
    popup    a burst, a popup card upper-left (shown from 3.5 s for popup_s), a second burst after it
    scroll   (chat) two wheel bursts of the message list, 1 s apart
    idle     nothing but the ambient: clock, spinner, the idle caret blinking
    form     (form) the pointer wanders and rests over the page, then a click into the first field, a burst,
             Tab, a burst in the next field
"""
from __future__ import annotations

from .scenario import show_for, tap_point, type_text

BURSTS = ("pack the bag", " and the tea")     # what typing() types, one burst each


def place(app, box):
    """Click (desktop) or tap (phone) at the end of box's text and put the caret there."""
    x, y = tap_point(box)
    yield from (app.click(x, y) if app.form == "desktop" else app.tap(x, y))
    app.place(box, "click")


def until(app, t: float):
    """Wait until simulated time t (at least one frame)."""
    yield max(1.0 / app.P.fps, t - app.t)


def typing(app, start: float = 1.0, pause: float = 1.3, words=BURSTS):
    box = app.box
    yield start
    yield from place(app, box)
    yield 0.3
    app.press(box, "\n")
    yield 0.25
    yield from type_text(app, box, words[0])
    yield pause
    yield from type_text(app, box, words[1])
    yield 1e6


def popup(app, show_at: float = 3.5, popup_s: float = 1.6, resume_at: float = 6.0):
    box = app.box
    yield 0.5
    yield from place(app, box)
    yield 0.3
    app.press(box, "\n")
    yield 0.25
    yield from type_text(app, box, "call the landlord")
    yield from until(app, show_at)
    tr = app.popup(at=(app.ue(24), app.body_y + app.ue(24))) if app.form == "phone" else app.popup()
    yield from show_for(app, tr, popup_s)
    yield from until(app, resume_at)
    yield from type_text(app, box, " on friday")
    yield 1e6


def notification(app, show_at: float = 3.0, hold_s: float = 2.0, resume_at: float = 6.0):
    """Typing, a notification sliding in (on a phone) while nothing is typed, typing again."""
    box = app.box
    yield 0.5
    yield from place(app, box)
    yield 0.3
    yield from type_text(app, box, "call the landlord")
    yield from until(app, show_at)
    yield from show_for(app, app.notification(), hold_s)
    yield from until(app, resume_at)
    yield from type_text(app, box, " on friday")
    yield 1e6


def retype(app, times: int = 4, text: str = "on my way"):
    """The same short line typed, erased with BackSpace and typed again: its cells change over and over, as a
    busy line does in a short recording (a chat input between sends)."""
    box = app.box
    yield 0.5
    yield from place(app, box)
    yield 0.3
    for _ in range(times):
        yield from type_text(app, box, text)
        yield 0.3
        for _ in range(len(text)):
            app.press(box, "\b")
            yield 0.05
        yield 0.3
    yield 1e6


def scroll(app, start: float = 1.0, gap: float = 1.0):
    yield start
    yield from app.scroll_list(fling=False)
    yield gap
    yield from app.scroll_list(fling=False)
    yield 1e6


def idle(app):
    yield 1e6


def form(app, wander=((0.30, 0.25), (0.70, 0.55), (0.45, 0.80)), rest: float = 0.8,
         words=("Ada Lovelace", "ada@example.org")):
    """Only the pointer moves, resting between moves, until the first click; then a field, Tab, the next."""
    yield 0.5
    for fx, fy in wander:
        yield app.pointer.move(int(fx * app.W), int(fy * app.H)) + rest
    first, second = app.fields[0], app.fields[1]
    yield from place(app, first)
    yield 0.4
    yield from type_text(app, first, words[0])
    yield 0.12
    app.place(second, "Tab")
    yield 0.4
    yield from type_text(app, second, words[1])
    yield 1e6


def demo_clip(path, seed: int = 3) -> dict:
    """The demo's recording at path (an .mp4; its truth and labels beside it as NAME.truth.json and
    NAME.labels.npz): a phone note, 540x960, 8 s, typing, a popup card upper-left, typing again. Written under
    temporary names first and renamed when complete (the video last). Returns the truth."""
    import os
    from pathlib import Path

    from . import generate_clip
    from .params import Style
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp")
    out = {s: path.with_name(path.stem + s) for s in (".truth.json", ".labels.npz", ".mp4")}
    try:
        truth = generate_clip(tmp, seed, "phone", "light", 8, app="notes", noise=0.5, script=popup,
                              style=Style(size=(540, 960)))
        for suffix, final in out.items():
            os.replace(tmp.with_name(tmp.name + suffix), final)
    finally:
        for suffix in out:
            tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)
    truth.pop("_render_s", None)
    return truth


def describe(truth: dict) -> str:
    """One line: size, length and what happens when (for the demo and `sample`)."""
    what = ", ".join(f"{e['kind']} {e['t0']:.1f}-{e['t1']:.1f} s" for e in truth["events"] if e["kind"] != "ambient")
    return f"{truth['duration']:g} s, {truth['width']}x{truth['height']}: {what}"
