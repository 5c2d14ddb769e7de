"""The shot state machine: WIDE -> FOCUS_IN -> HOLD -> RELEASE, walked frame by frame over the activities.

Priorities: typing (the caret and its line) leads; a big change outside the window releases the camera
(scrolling and large changes go wide; a compact popup or window is visited, and when it closes the camera
returns to the shot it left); generic small changes never move it; ambient change was removed upstream.
Hysteresis: the typing window is latched and moves only when the newest key leaves its inner zone.
"""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from omegaconf import DictConfig

from ..config import plain
from ..features import Features
from . import edit, framing
from .activity import BigChange, Burst, find, settled
from .timeline import Timeline


class _Shot:
    def __init__(self, window, kind, reason, i, box=None, burst=None, opened=None):
        self.window, self.kind, self.reason, self.i = window, kind, reason, i
        self.box = box if box is not None else window     # what the shot is about (a popup's own box)
        self.burst = burst                                 # the typing burst it frames
        self.opened = opened if opened is not None else i  # frame the visited popup began to appear
        self.waits = False        # its move starts lead_s before it, never earlier (a return waits for a closing)
        self.start = None         # when its move starts (s), where not lead_s before it (a caret placed)


def _ink_line(features: Features, i: int, box: list[float], gap_cells: int, edge_run: float) -> tuple[float, float]:
    """(first x, last x) of the text line that box sits on: ink followed both ways across gaps <= gap_cells, up
    to a column whose ink runs unbroken through the line over `edge_run` of the grid's height (a device bezel, a
    panel's border: an edge beside the text, not its start)."""
    raw = features.raw
    if raw.ink.shape[0] == 0:
        return box[0], box[0] + box[2]
    j = int(np.searchsorted(raw.ink_index, i, side="right")) - 1
    ink = raw.ink[max(j, 0)]
    cp = float(raw.meta["cell_px"])
    # rows of the grid the box overlaps, at least one: a caret box the net drew a little past the frame's edge
    # (above its top on a tiny recording) still reads the edge row
    r0 = min(max(int(box[1] // cp), 0), ink.shape[0] - 1)
    r1 = max(r0 + 1, int(np.ceil((box[1] + box[3]) / cp)))
    cols = ink[r0:r1].max(axis=0) > 0
    edge = _edges(ink > 0, r0, edge_run)
    def follow(c: int, step: int) -> int:
        gap, end = 0, c
        while 0 <= c + step < len(cols) and gap <= gap_cells and not edge[c + step]:
            c += step
            if cols[c]:
                end, gap = c, 0
            else:
                gap += 1
        return end
    x0 = follow(int(box[0] // cp), -1) * cp
    x1 = (follow(min(len(cols) - 1, int((box[0] + box[2] - 1) // cp)), 1) + 1) * cp
    return min(box[0], x0), max(box[0] + box[2], x1)


def _edges(ink: np.ndarray, row: int, share: float) -> np.ndarray:
    """Per column of the (rows, cols) ink grid: whether its ink runs unbroken through `row` over more than
    `share` of the rows."""
    blank = ~ink
    # the nearest blank row at or above `row`, and at or below it, per column
    up = np.where(blank[: row + 1][::-1].any(axis=0), row - blank[: row + 1][::-1].argmax(axis=0), -1)
    down = np.where(blank[row:].any(axis=0), row + blank[row:].argmax(axis=0), ink.shape[0])
    return (down - up - 1) > share * ink.shape[0]


def _field(features: Features, keys: list) -> list[float] | None:
    """The single-line field (from the control detector) the newest caret types into, if any."""
    ctrl = features.raw.control
    if ctrl is None:
        return None
    for k in reversed(keys):
        c = ctrl[k.i]
        if k.caret and c[2] > 0:
            return [float(v) for v in c]
    return None


def typing_window(features: Features, burst: Burst, i: int, d, aspect: float, beyond: bool,
                  history: list | None = None) -> tuple[list, list]:
    """(window, what it must hold) for the typing of `burst` as seen at frame i: the recent keys and carets,
    the text line they are on (from its first glyph), one line above and below, at least `min_line_widths`
    line heights wide. `history`: keys of earlier bursts; those on the newest key's line still stand on screen
    and are framed with it. d: the director section as plain values (read once per run: this runs per key);
    beyond: the window may leave the frame (padded output)."""
    m = features.meta
    W, H, fps = m["width"], m["height"], m["fps"]
    ahead = i + d.typing_ahead_s * fps              # offline: where the caret is going, not only where it was
    recent = [k for k in burst.keys if i - d.typing_memory_s * fps <= k.i <= ahead] or [burst.keys[0]]
    recent = [k for k in recent if k.caret] or recent      # at the caret: the rest echo it (a suggestion strip)
    last = recent[-1].caret or recent[-1].box
    same_line = [k for k in history or () if k.i < i and abs(k.box[1] - last[1]) <= d.line_step * H]
    box = last
    for k in recent + same_line:
        box = framing.union(box, k.box)
        if k.caret:
            box = framing.union(box, k.caret)
    now = next((k for k in reversed(recent) if k.i <= i), recent[0])     # the line is read where the caret is now
    at = now.caret or now.box
    x0, x1 = _ink_line(features, i, at, d.line_gap_cells, d.edge_run)
    lh0 = at[3] if now.caret else m["cell_px"]
    x1 = min(x1, at[0] + at[2] + d.ink_ahead_lines * lh0)   # past the caret, only a little (a right-aligned status)
    box = framing.union(box, [x0, at[1], max(0.0, x1 - x0), at[3]])
    lh = burst.line_height(fallback=m["cell_px"])
    if box[2] < d.min_line_widths * lh:              # a line is framed at least this many line heights wide
        box = [box[0], box[1], d.min_line_widths * lh, box[3]]
    field = _field(features, recent)
    if field is not None:                            # a single-line field: its height is the line's, and the
        fx, fy, fw, fh = field                       # line is framed that many heights wide, within the field
        pad = d.pad_frac * min(W, H)
        tightest = framing.tightest(W, H, aspect, d.min_window, d.min_window_width)
        # the whole field when the tightest window holds it anyway (a narrow reframe would otherwise centre on
        # the caret and cut the field's far end); a long one only that many heights wide
        fwid = fw if fw + 2 * pad <= tightest else min(fw, max(box[0] + box[2] - fx, d.min_line_widths * fh))
        box = framing.union(box, [fx, fy, fwid, fh])
    need = [box[0], box[1] - d.context_lines * lh, box[2], box[3] + 2 * d.context_lines * lh]
    pad = d.pad_frac * min(W, H)
    caret = next((k.caret for k in reversed(recent) if k.caret), None)
    anchor = (caret[0], caret[1] + caret[3] / 2) if caret else None
    return framing.fit(need, W, H, aspect, d.min_window, pad, pad, anchor, beyond, d.compose_snap,
                       d.min_window_width), need


def direct(features: Features, cfg: DictConfig, aspect: float) -> Timeline:
    d = plain(cfg.director)
    m = features.meta
    W, H, fps = float(m["width"]), float(m["height"]), float(m["fps"])
    n = features.raw.n
    bursts, bigs = find(features, cfg)
    beyond = padded(cfg)
    wide = framing.full_window(W, H, aspect, beyond)
    key_at: dict[int, list[tuple[Burst, object]]] = {}
    for b in bursts:
        for k in b.keys:
            key_at.setdefault(k.i, []).append((b, k))
    big_at: dict[int, list[BigChange]] = {}
    for c in bigs:
        big_at.setdefault(c.i0, []).append(c)
    ahead = _ahead(bigs, d.visit_ahead_s * fps)
    typed = sorted((k for b in bursts for k in b.keys), key=lambda k: (k.i, k.box[1], k.box[0]))
    shot = _Shot(wide, "wide", "start: nothing meaningful yet", 0)
    stack: list[_Shot] = []                          # shots to return to (wide anchors, the focus a popup left)
    per_frame: list[_Shot] = []
    hold = int(round(d.hold_s * fps))
    settle = int(round(d.settle_s * fps))
    relax = max(1, int(round(d.relax_after_s * fps)))
    visit_guard = int(round(d.visit_guard_s * fps))
    relax_look = int(round(d.relax_unless_s * fps))
    key_frames = sorted(key_at)
    last_big_end = -10**9
    opened: list[BigChange] = []                     # what appeared and has not closed yet
    pending = None                                   # (frame, shot): a return that waits for a closing to end
    for i in range(n):
        for c in big_at.get(i, ()):
            last_big_end = max(last_big_end, c.i1)
            new = _on_big(c, shot, stack, wide, features, cfg, aspect, i, opened, ahead.get(id(c)))
            if new.reason.startswith("popup closed"):
                # the popup stays framed until its closing animation has played (the EDL starts each move lead_s
                # before its shot: the return is set that much later, so it never leaves a popup still there)
                pending = (c.i1 + int(round(d.lead_s * fps)), new)
                new.waits = True
            else:
                shot = new
        if pending is not None and i >= pending[0]:
            shot, pending = pending[1], None
        for b, k in key_at.get(i, []):
            if i - last_big_end < settle and shot.kind != "typing" and not k.caret:
                continue                 # changes right after a big one are its fringe, unless the caret typed them
            if shot.kind == "visit" and (framing.inside(k.box, shot.box) >= d.inside and
                                         shot.window[2] * shot.window[3] <= d.visit_wide_area * W * H and
                                         not _resumes(k, stack, d.line_step * H) or
                                         b.i0 < shot.i and i - shot.i < visit_guard):
                continue                 # typing inside the visited popup, or still the typing that was going on
                                         # when it appeared: the popup is the newer thing to see. A visit to
                                         # nearly the whole screen (command output) is a wide shot, and typing on
                                         # the line the popup interrupted is that typing going on: both are
                                         # pushed in on
            if shot.kind != "typing":
                win, _ = typing_window(features, b, i, d, aspect, beyond, typed)
                if shot.kind == "wide":
                    stack = [s for s in stack if s.kind == "wide"][-3:] + [shot]
                first = shot.i == 0 and shot.kind == "wide" and last_big_end < 0
                shot = _Shot(win, "typing", f"typing at y={k.box[1]:.0f}", i, burst=b)
                if first:
                    shot.start = _placed_start(b, k, features.times, d)
            elif b is not shot.burst and i - shot.i >= hold:
                # typing starts somewhere else (Tab to the next field, a click into another control): the
                # window is set on the new caret, unless it would hardly move
                win, _ = typing_window(features, b, i, d, aspect, beyond, typed)
                if framing.moved(win, shot.window, math.hypot(W, H)) > d.min_move:
                    shot = _Shot(win, "typing", f"typing moved to y={k.box[1]:.0f}", i, burst=b)
                else:
                    shot.burst = b
            elif i - shot.i >= hold:
                # hysteresis: move when the newest key leaves the window's inner zone or what the typing needs
                # in frame (its line, its context) no longer fits
                win, need = typing_window(features, b, i, d, aspect, beyond, typed)
                out = framing.inside(k.box, framing.shrink(shot.window, d.margin)) < d.inside or \
                    framing.inside(need, shot.window) < d.need_inside
                if out and framing.moved(win, shot.window, math.hypot(W, H)) > d.min_move:
                    shot = _Shot(win, "typing", f"caret moved to y={k.box[1]:.0f}", i, burst=b)
        if shot.kind == "typing" and shot.burst is not None and i - shot.burst.i1 == relax and \
                not _typing_within(key_frames, i, relax_look):
            # typing has paused: ease out a little around the same place (the line stays readable, its
            # surroundings come back)
            x, y, w, h = shot.window
            win = framing.fit([x, y, w, h], W, H, aspect, d.relax_window, beyond=beyond, snap_tol=d.compose_snap,
                              min_width=d.min_window_width)
            if framing.moved(win, shot.window, math.hypot(W, H)) > d.min_move:
                shot = _Shot(win, "typing", "typing paused: easing out", i, burst=shot.burst)
        per_frame.append(shot)
    return edit.timeline(per_frame, features.times, features.meta, cfg, aspect)


def _placed_start(b: Burst, k, times, d) -> float | None:
    """When the move onto typing that a caret placement opens (a click, Tab, the caret first seen) starts: at the
    placement, or lead_in_s before the first key typed after it where that is sooner; never before the caret was
    placed (the camera does not go where nothing has happened yet). None: k is not such a placement."""
    if k is not b.keys[0] or not k.placed:
        return None
    t = float(times[k.i])
    return min(t, float(times[b.keys[1].i]) - d.lead_in_s) if len(b.keys) > 1 else t


def padded(cfg: DictConfig) -> bool:
    """Whether windows may extend past the frame (output.pad is not none): the subject is fitted, not cut."""
    return str(cfg.output.pad) != "none"


def _ahead(bigs: list[BigChange], span: float) -> dict[int, list[list[float]]]:
    """For each big change (by id): the boxes of the non-scroll big changes that follow it, each
    starting within `span` frames of the one before ending, in order; absent when none does."""
    out: dict[int, list[list[float]]] = {}
    for k, c in enumerate(bigs):
        boxes, end = [], c.i1
        for e in bigs[k + 1:]:
            if e.i0 - end > span or e.scroll:
                break
            boxes.append(e.box)
            end = max(end, e.i1)
        if boxes:
            out[id(c)] = boxes
    return out


def _resumes(k, stack: list, tol: float) -> bool:
    """Whether key k is on the line of the typing the visit interrupted (the shot it returns to)."""
    back = stack[-1] if stack else None
    if back is None or back.kind != "typing" or back.burst is None:
        return False
    last = back.burst.keys[-1]
    at, was = k.caret or k.box, last.caret or last.box
    return abs((at[1] + at[3] / 2) - (was[1] + was[3] / 2)) <= tol


def _typing_within(key_frames: list[int], i: int, span: int) -> bool:
    """Whether any typing key falls in frames (i, i + span]."""
    import bisect
    j = bisect.bisect_right(key_frames, i)
    return j < len(key_frames) and key_frames[j] <= i + span


def _closes(features: Features, c: BigChange, opened: int, box: list[float], d) -> bool | None:
    """Whether change c puts the cells of box back to how they looked just before frame `opened` (a popup
    closing), judged once c has settled; None when the looks cannot tell: the features hold none (no layout
    detector), or the popup looked as its place did before it opened (a dark card on a dark bar)."""
    look = features.raw.look
    if look is None:
        return None
    after = settled(features, c, d)
    before = max(0, opened - 1)
    rows, cols = framing.cells(box, float(features.meta["cell_px"]))
    b = look[before, rows, cols].astype(np.int16)
    moved = lambda j: float((np.abs(look[j, rows, cols].astype(np.int16) - b) > d.close_tol).mean())
    # and what closes was still there when c began (`close_still` more of it differed then than after): a
    # brief popup that opens and closes within c closes nothing
    if not b.size:
        return False
    gone, was = moved(after), moved(max(0, c.i0 - 1))
    if gone > 1 - d.close_share:
        return False
    return None if was < d.close_still else was >= gone + d.close_still


def _closes_brief(features: Features, c: BigChange, d) -> bool:
    """Whether c puts its place back to how it looked at most `close_brief_s` before it: the closing of a
    popup that was up too briefly for its opening to persist (a mention list shown for half a second), so
    nothing new appeared."""
    fps = float(features.meta["fps"])
    first = max(1, c.i0 - int(round(d.close_brief_s * fps)))
    return any(_closes(features, c, j, c.box, d) for j in range(first, c.i0))


def _on_big(c: BigChange, shot: _Shot, stack: list, wide, features: Features, cfg: DictConfig,
            aspect: float, i: int, opened: list, later: list | None = None) -> _Shot:
    """The shot after big change c. `opened`: earlier big changes that brought something new and have not
    closed, oldest first (what c may be closing); c joins them when it is not a closing."""
    d = plain(cfg.director)
    m = features.meta
    W, H, fps = m["width"], m["height"], m["fps"]
    back_to = lambda why: (lambda b: _Shot(b.window, b.kind, f"{why}: back to {b.kind}", i, burst=b.burst))(
        stack.pop() if stack else _Shot(wide, "wide", "", i))
    # (a clear whose blank pane reaches well past what is visited wiped more than it: new, below)
    wiped = lambda box: c.pane is not None and framing.inside(c.pane, box) < d.overlap
    if shot.kind == "visit" and framing.inside(c.box, shot.box) >= d.overlap and not wiped(shot.box):
        # the visited popup changes again: closing (its place looks as before it opened) returns to the shot it
        # interrupted; other changes inside it (a highlight moving, a list filling) keep it framed
        on = framing.intersect(c.box, shot.box)
        # a closing spans the popup: a change over a small part of it (a cursor, a field) closes nothing
        closed = on[2] * on[3] >= d.close_span * shot.box[2] * shot.box[3] and \
            _closes(features, c, shot.opened, on, d)
        if closed is None:
            closed = c.area * W * H >= d.close_frac * shot.box[2] * shot.box[3]
        if closed:
            opened[:] = [e for e in opened if e.i0 != shot.opened]
            return back_to("popup closed")
        return shot
    # a page put back as it was (scrolled back, a panel closed) is something to see when the camera does not hold
    # it: nothing the camera left for, unlike a popup closing
    page = c.box[2] * c.box[3] > d.visit_max_area * W * H and shot.kind != "wide" and \
        framing.inside(c.box, shot.window) < d.transient_inside
    for e in [] if page else reversed(opened):
        if c.i0 - e.i1 > d.revert_window_s * fps:
            break
        if framing.inside(c.box, e.box) >= d.overlap and not wiped(e.box) and \
                _closes(features, c, e.i0, framing.intersect(c.box, e.box), d):
            opened.remove(e)
            return shot                  # something closing where it opened: nothing new to look at
    if not c.scroll and _closes_brief(features, c, d):
        return shot                      # a popup closing that was up too briefly to be seen opening
    opened.append(c)
    if c.pane is not None:               # it cleared its place (not a closing: those returned above): the pane
        c = replace(c, box=framing.union(c.box, c.pane))
    # what changed shows only part of what appeared (a dark card fading in changes at its text): the whole of it
    # must fit, with room around it, before the camera can stay where it is
    seen = framing.grow(c.box, d.transient_margin * float(m["cell_px"]), W, H)
    if framing.inside(seen, shot.window) >= d.transient_inside and shot.kind != "wide":
        return shot
    if shot.kind == "visit" and not c.scroll and c.i0 - shot.i <= d.revert_window_s * fps:
        # more appears while a popup is visited (command output going on, a second panel): show both
        c = replace(c, box=framing.union(c.box, shot.box))
        seen = framing.grow(c.box, d.transient_margin * float(m["cell_px"]), W, H)
    if later and not c.scroll:
        # offline, the director sees what keeps appearing right after (command output line by line, a panel
        # filling in): the visit frames it from the start, as far as a visit may be large, rather than chasing
        # it piece by piece
        grown = c.box
        for box in later:
            u = framing.union(grown, box)
            if u[2] * u[3] > d.visit_max_area * W * H:
                break
            grown = u
        c = replace(c, box=grown)
        seen = framing.grow(c.box, d.transient_margin * float(m["cell_px"]), W, H)
    box_area = c.box[2] * c.box[3] / (W * H)
    if not c.scroll and box_area <= d.visit_max_area and shot.kind != "wide" or \
            (not c.scroll and box_area <= d.visit_max_area and shot.kind == "wide" and stack):
        if shot.kind != "visit":
            stack.append(shot)
        pad = d.pad_frac * min(W, H)
        why = "clicked: " if c.clicked else ""
        if abs(aspect * H - W) <= 1e-9 * W:
            win = framing.fit(seen, W, H, aspect, d.visit_min_window, pad, pad, snap_tol=d.compose_snap,
                              min_width=d.min_window_width)
        else:
            # reframed: what changed is often only part of what appeared (a command's output, not the whole
            # text area); the shot the source's aspect would give holds the rest, so the output's window holds
            # that shot (padded past the frame where it must)
            win = framing.fit(framing.fit(seen, W, H, W / H, d.visit_min_window, pad, pad), W, H, aspect,
                              d.visit_min_window, beyond=padded(cfg), snap_tol=d.compose_snap,
                              min_width=d.min_window_width)
        if win[2] * win[3] > d.visit_wide_area * W * H:
            win = wide                   # nearly all of the screen (a terminal cleared): shown whole
        return _Shot(win, "visit",
                     f"{why}{c.what} at x={c.box[0]:.0f} y={c.box[1]:.0f}", i, box=c.box, opened=c.i0)
    if shot.kind == "wide":
        return shot
    anchor = next((s for s in reversed(stack) if s.kind == "wide"), None)
    win = anchor.window if anchor else wide
    why = "scrolling" if c.scroll else "large change outside the focus"
    stack.clear()
    return _Shot(win, "wide", why, i)
