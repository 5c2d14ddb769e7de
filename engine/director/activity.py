"""Activities found in the features: typing bursts (with their keys) and big changes (popups, windows,
notifications, scrolling). Offline: the director sees the whole recording, so a burst is known whole.

Typing is anchored on the caret where a caret detector saw one: a key is a small, sparse change at the caret
(or where the caret was a frame before), and a burst whose keys carry the caret is typing whatever its rate.
Without a caret, a burst must look like typing (sparse in time, moving along lines). Changes under the mouse
pointer (moving, or resting where it arrived) are never keys. All spans are seconds on the analysis grid.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from omegaconf import DictConfig

from ..config import plain
from ..features import Features
from . import cues, framing


@dataclass
class Key:
    i: int                      # frame index
    t: float
    box: list[float]            # the small change [x, y, w, h] (source px)
    caret: list[float] | None   # the caret at this change, [x, y, w, h]
    seen: bool = True           # a change was seen (False: only the caret stepped)

    @property
    def placed(self) -> bool:
        """The caret placed (a click, Tab, first seen): the key is the caret itself, no change typed."""
        return self.caret is not None and self.box == self.caret


@dataclass
class Burst:
    keys: list[Key] = field(default_factory=list)

    @property
    def i0(self) -> int:
        return self.keys[0].i

    @property
    def i1(self) -> int:
        return self.keys[-1].i

    def carets(self) -> list[list[float]]:
        return [k.caret for k in self.keys if k.caret]

    def line_height(self, fallback: float) -> float:
        hs = sorted(c[3] for c in self.carets())
        return float(hs[len(hs) // 2]) if hs else fallback


@dataclass
class BigChange:
    i0: int
    i1: int                     # last frame with the change (inclusive)
    box: list[float]
    area: float                 # largest share of the frame changed at once (0-1)
    scroll: bool
    clicked: bool = False       # it appeared under the resting pointer (the user clicked: an intent cue)
    what: str = "popup"         # what it is called in the EDL's reasons: popup, or output (printed under typing)
    pane: list[float] | None = None   # the blank pane it left (a terminal cleared): what a visit to it frames


def _lead_gap(k: Key, d) -> float:
    """How long before the next key a burst's first key may come: longer for the caret being placed (a click or
    Tab before typing) than for a lone change (an idle caret blinking)."""
    return d.place_gap_s if k.placed else d.lead_gap_s


def _area(b: Burst) -> float:
    box = b.keys[0].box
    for k in b.keys[1:]:
        box = framing.union(box, k.box)
    return box[2] * box[3]


def _density(features: Features, i: int, box: list[float]) -> float:
    """Mean share of changed pixels over the cells of box at frame i: glyphs are sparse, key flashes solid."""
    cp = float(features.meta["cell_px"])
    x0, y0 = int(box[0] // cp), int(box[1] // cp)
    x1, y1 = max(x0 + 1, int(round((box[0] + box[2]) / cp))), max(y0 + 1, int(round((box[1] + box[3]) / cp)))
    return float(features.raw.act.frame(i)[y0:y1, x0:x1].mean()) / 255.0


def find(features: Features, cfg: DictConfig) -> tuple[list[Burst], list[BigChange]]:
    d = plain(cfg.director)
    m = features.meta
    W, H, fps = float(m["width"]), float(m["height"]), float(m["fps"])
    cell_area = float(m["cell_px"]) ** 2
    times = features.times
    zones = cues.pointer_zones(features, d)
    rest = cues.resting(features, d)
    cs = cues.carets(features, d, [z if not r else None for z, r in zip(zones, rest)])
    moving = cues.caret_moves(cs, max(1, int(round(d.caret_move_s * fps))))
    stepped = cues.caret_steps(cs, d, times)
    keys_by_frame: list[list[Key]] = []
    solid_by_frame: list[list[Key]] = []
    joints: list = []                        # small transients made of parts: echoes of typing, if it types then
    big_frames: list[tuple[int, list[float], float]] = []
    fringe_boxes: list[tuple[int, list[float]]] = []
    last_seen = None                         # the caret where it was last seen
    for i in range(features.raw.n):
        ks, solid = [], []
        big_box, big_area = None, 0.0
        # the pointer's own pixels where it is and where it was, unless it rests (then a change under it is
        # what a click did)
        here = [z for z in (zones[i], zones[i - 1] if i else None) if z is not None] if not rest[i] else []
        for x, y, w, h, cells in features.regions[i]:
            if cells <= 0:
                continue
            box = [float(x), float(y), float(w), float(h)]
            area = cells * cell_area / (W * H)
            if h <= d.typing_max_h * H and w <= d.typing_max_w * W and area < d.big_change:
                if any(cues.near(box, z) and box[2] * box[3] <= d.pointer_region_max * z[2] * z[3] for z in here):
                    continue             # the pointer moved here (or left): never a key (a larger change holds
                                         # more than the pointer: a menu opening as it arrives)
                if area > d.key_max_area or _density(features, i, box) > d.typing_max_density:
                    # too big for a keystroke, or a solid block: a key lit on an on-screen keyboard, a toast
                    # sliding in: a transient if it animates
                    solid.append(Key(i, float(times[i]), box, None))
                    continue
                at = cues.caret_at(box, cs, i, moving)
                if at is None and cs[i] is not None and box[2] * box[3] <= 4 * cell_area and \
                        framing.inside(cs[i], box) > 0.5:
                    continue             # the caret blinking where it rests: not a key
                ks.append(Key(i, float(times[i]), box, at))
            elif area >= d.big_change:
                big_box = box if big_box is None else framing.union(big_box, box)
                big_area += area
            else:                        # too tall or wide for typing, small: a transient if it is one
                solid.append(Key(i, float(times[i]), box, None))
        # parts that together make a big change: a fade (slow changes), or a card whose plain inside did not
        # change, only its text and edges (several small regions appearing at once)
        slow = _joint([(r, r[4]) for r in features.slow_regions[i] if r[4] >= d.slow_min_cells],
                      features, i, cell_area, W, H, d)
        parts = _joint([(k.box, 0.0) for k in solid], features, i, cell_area, W, H, d) if len(solid) > 1 else None
        if parts is not None and not cues.salient(features, i, parts[0], d):
            parts = None                 # key pop-ups and a suggestion strip together: no one looks there
        if parts is not None and parts[1] < d.echo_max_area:
            joints.append((i, parts, len(big_frames)))           # judged once the typing is known (echo)
        for joint in (slow, parts):
            if joint is not None:
                big_box = joint[0] if big_box is None else framing.union(big_box, joint[0])
                big_area += joint[1]
                solid = [k for k in solid if framing.inside(k.box, joint[0]) < d.inside]
        if features.scrolling[i] and big_box is None:
            big_box, big_area = [0.0, 0.0, W, H], float(features.raw.change[i])
        c = cs[i]
        # placed: away from where the caret was last seen (not merely seen again after a frame without it)
        if c is not None and (last_seen is None or cues.jumped(last_seen, c, d)) and not any(k.caret for k in ks):
            ks.append(Key(i, float(times[i]), list(c), c))   # the caret placed (a click, Tab): typing may follow
        elif stepped[i] and not any(k.caret for k in ks):
            # the caret stepped along its line and stays there: a key, even where its change is too faint
            # to count (tiny text) or its line is ambient (a busy line: typing repeats in the same cells)
            ks.append(Key(i, float(times[i]), framing.union(last_seen, c), c, seen=False))
        last_seen = c if c is not None else last_seen
        keys_by_frame.append(ks)
        solid_by_frame.append(solid)
        if big_box is not None:
            big_frames.append((i, big_box, big_area))
            # the small blocks changing with it belong to the same event: their keys are its fringe too
            edge = big_box
            for k in solid:
                edge = framing.union(edge, k.box)
            fringe_boxes.append((i, edge))
    quiet = int(round(d.settle_s * fps))     # keys inside a big change, right around it, are its fringe
    fringe: dict[int, list[list[float]]] = {}
    for i, box in fringe_boxes:
        for j in range(max(0, i - quiet), min(len(keys_by_frame), i + quiet + 1)):
            fringe.setdefault(j, []).append(box)
    # (a caret that only stepped, with no change of its own, moved with the big change: a scroll carries it)
    keys_by_frame = [[k for k in ks if k.caret and k.seen or not any(framing.inside(k.box, b) >= d.inside for b in fringe.get(i, ()))]
                     for i, ks in enumerate(keys_by_frame)]
    src_fps = float(m.get("source_fps", fps))
    typing, animations = _bursts(keys_by_frame, cfg, W, H, fps, cues.needs_caret(features, d), src_fps,
                                 breaks=[i for i, _, _ in big_frames])
    animations += _bursts(solid_by_frame, cfg, W, H, fps, source_fps=src_fps)[1]
    # a block that appears and stays, large enough, is a transient even when it came in one frame or two
    # (a toast in a choppy capture): as a one-key animation
    in_anim = {id(k) for a in animations for k in a.keys}
    animations += [Burst([k]) for ks in solid_by_frame for k in ks
                   if id(k) not in in_anim and k.box[2] * k.box[3] >= d.transient_min_area * W * H
                   and (cues.salient(features, k.i, k.box, d) or cues.clicked(k.box, features, k.i, rest, d))]
    # while the caret types (and just before and after), small blocks flashing elsewhere echo the keys (an
    # on-screen keyboard's key pop-ups, a suggestion strip): not transients. Small in each frame: key pop-ups
    # over a burst cover the whole keyboard between them
    echo = d.echo_s * fps
    typed = [(b.i0 - echo, b.i1 + echo) for b in typing if len(b.carets()) >= d.min_keys]
    echoes = {i for i, _, _ in joints if any(i0 <= i <= i1 for i0, i1 in typed)}
    big_frames = [(i, box, area) for i, box, area in big_frames if i not in echoes]
    animations = [a for a in animations if not any(i0 <= a.i1 and a.i0 <= i1 for i0, i1 in typed)
                  or _area(a) >= d.echo_max_area * W * H
                  # a click opened it, unless the caret moved with it (a tap on an on-screen keyboard)
                  or any(cues.clicked(k.box, features, k.i, rest, d) and not moving[k.i] for k in a.keys)]
    for b in animations:                 # small animated blocks are transients like any big change
        for k in b.keys:
            big_frames.append((k.i, k.box, k.box[2] * k.box[3] / (W * H)))
    big_frames.sort(key=lambda f: (f[0], f[1]))
    bigs = _big_changes(big_frames, features, cfg, fps)
    bigs = sorted(bigs + _output(features, typing, bigs, d, W, H, fps), key=lambda c: (c.i0, c.box[1], c.box[0]))
    bigs = [c for c in bigs if not _reflow(c, typing, cs, d, fps) and not _edge_strip(c.box, W, H, d)]
    for c in bigs:
        if not c.scroll:
            c.box = _extent(features, c, d)
            # a command's effect (Enter, then its place went blank: `clear`), not a popup closing on its own
            # (the burst may end after it begins: the prompt's caret, back at the top, reads as a key)
            if any(b.i0 < c.i0 <= b.i1 + d.clear_after_s * fps for b in typing):
                c.pane = _cleared(features, c, d)
    return typing, bigs


def _joint(parts: list, features: Features, i: int, cell_area: float, W: float, H: float, d):
    """(union box, share of the frame changed) of parts [(box, cells or 0 = count the box's active cells)]
    when together they are as large as a big change and fill enough of their union; else None."""
    if not parts:
        return None
    box, area = None, 0.0
    for b, cells in parts:
        b = [float(v) for v in b[:4]]
        box = b if box is None else framing.union(box, b)
        if not cells:
            cells = b[2] * b[3] / cell_area * _density(features, i, b) / max(d.typing_max_density, 1e-6)
        area += float(cells) * cell_area / (W * H)
    big = box[2] * box[3] >= d.big_change * W * H and area >= d.slow_fill * d.big_change
    if big or box[3] > d.typing_max_h * H or box[2] > d.typing_max_w * W:
        return box, area
    return None


def _reflow(c: BigChange, typing: list[Burst], cs: list, d, fps: float) -> bool:
    """A brief change whose top edge lies at the caret's line, with typing at the caret just after it, the
    caret staying on its line or going to the next: the text below the caret moving (a new line, a wrap), not
    something new to look at (command output pushes the caret further down)."""
    if c.scroll or c.clicked or (c.i1 - c.i0) > d.reflow_max_s * fps:
        return False
    near = int(round(d.reflow_near_s * fps))
    a = next((cs[j] for j in range(c.i0, max(-1, c.i0 - near - 1), -1) if cs[j] is not None), None)
    typed = [k for b in typing for k in b.keys if k.caret and c.i1 < k.i <= c.i1 + near]
    if a is None or not typed:
        return False
    z, lh = typed[0].caret, a[3]
    stays = -0.5 * lh <= z[1] - a[1] <= d.reflow_lines * lh
    return stays and a[1] - lh <= c.box[1] <= a[1] + 2 * lh and c.box[0] <= a[0] + lh


def _bursts(keys_by_frame: list[list[Key]], cfg: DictConfig, W: float, H: float, fps: float,
            needs_caret: bool = False, source_fps: float = 0.0,
            breaks: list[int] = ()) -> tuple[list[Burst], list[Burst]]:
    """Group keys into bursts (a key joins the open burst whose last key is near it in time and space), then
    keep the typing. A burst whose keys carry the caret is typing; one without must be sparse in time, long
    enough and move along lines, and one that changes in nearly every frame is an animation (a toast or
    banner sliding in), returned apart."""
    d = plain(cfg.director)
    gap = d.burst_gap_s * fps
    # a source with fewer pictures a second than that (a 10 fps capture, a GIF) cannot change faster: its
    # animations change in nearly every picture it has
    rate_hz = min(d.max_key_rate_hz, d.anim_picture_share * min(fps, source_fps or fps))
    open_: list[Burst] = []
    done: list[Burst] = []
    import bisect
    for ks in keys_by_frame:
        for k in ks:
            for b in list(open_):
                # a pause ends a burst, and so does a big change since the last key of a burst at the caret
                # (command output, a new screen): what is typed after it is new typing, judged on its own
                if k.i - b.i1 > gap or b.carets() and \
                        bisect.bisect_right(breaks, k.i) > bisect.bisect_right(breaks, b.i1):
                    open_.remove(b)
                    done.append(b)
            best, best_d = None, None
            for b in open_:
                last = b.keys[-1].box
                dy = abs((k.box[1] + k.box[3] / 2) - (last[1] + last[3] / 2))
                dx = abs((k.box[0] + k.box[2] / 2) - (last[0] + last[2] / 2))
                if k.caret and b.carets() and cues.jumped(b.carets()[-1], k.caret, d):
                    continue             # the caret jumped (Tab, a click elsewhere): typing starts anew
                if dy <= d.key_near_y * H and dx <= d.key_near_x * W:
                    dist = dx / W + dy / H
                    if best is None or dist < best_d:
                        best, best_d = b, dist
            if best is None:
                best = Burst()
                open_.append(best)
            best.keys.append(k)
    done.extend(open_)
    typing, animations = [], []
    for b in done:
        # a lone change well before the keys start (an idle caret blinking off) does not start the burst
        while len(b.keys) > 1 and (b.keys[1].i - b.keys[0].i) > _lead_gap(b.keys[0], d) * fps:
            b.keys.pop(0)
        frames = sorted({k.i for k in b.keys})
        if len(frames) < d.min_keys:
            continue
        span = frames[-1] - frames[0] + 1
        at_caret = sum(1 for k in b.keys if k.caret)
        if at_caret >= d.min_keys and at_caret >= d.caret_share * len(b.keys):
            if span >= d.min_burst_s * fps:
                typing.append(b)         # the caret moves with the changes: typing, however fast
            continue
        steps = list(zip(b.keys, b.keys[1:]))
        level = sum(1 for a, c in steps if abs(a.box[1] - c.box[1]) <= d.line_step * H) / max(1, len(steps))
        # one thing changing in (nearly) every frame: it slides in, not keys. Each run of it apart: a toast
        # fading in and, a second later, out is two animations, not one slow burst
        runs = [r for r in _runs(b, d.anim_gap_s * fps) if _animates(r, d, fps, rate_hz)]
        if runs:
            animations.extend(runs)
        elif not needs_caret and span >= d.min_burst_s * fps and level >= d.min_level and at_caret >= d.min_carets:
            typing.append(b)             # no caret detector to ask: changes that look like typing
    # bursts at the same time compete: one far smaller than another is an echo (lit keys, a suggestion strip)
    typing = [b for b in typing if not any(o is not b and o.i0 <= b.i1 and b.i0 <= o.i1 and
                                           len(o.keys) >= d.echo_ratio * len(b.keys) for o in typing)]
    typing.sort(key=lambda b: (b.i0, b.keys[0].box[1], b.keys[0].box[0]))
    return typing, animations


def _output(features: Features, typing: list[Burst], bigs: list[BigChange], d, W: float, H: float,
            fps: float) -> list[BigChange]:
    """Output printed line by line under a typed line (a command's output in a terminal): each line a small
    change, together a block. Changes starting under the burst's last line within `output_after_s` of its
    last key, each no more than `output_gap_lines` below the block so far and starting at most
    `output_indent_lines` right of where the typed keys start, make one change when they cover
    `output_min_area` of the frame and no big change already holds them."""
    out: list[BigChange] = []
    cp = float(features.meta["cell_px"])
    starts = sorted(b.i0 for b in typing)
    for b in typing:
        cs = b.carets()
        if not cs:
            continue
        lh = b.line_height(d.line_step * H)
        line = cs[-1]
        left = min(k.box[0] for k in b.keys)
        end = min([b.i1 + int(round(d.output_after_s * fps))] + [i for i in starts if i > b.i1])
        block, first, last, pieces, area = None, None, None, 0, 0.0
        reach = d.output_gap_lines * lh + cp            # regions come in whole cells
        for i in range(b.i1 + 1, min(end + 1, features.raw.n)):
            for x, y, w, h, cells in features.regions[i]:
                box = [float(x), float(y), float(w), float(h)]
                bottom = (block[1] + block[3]) if block else line[1] + line[3]
                # under the typed line (below the caret's middle), starting near where its keys start
                if cells <= 0 or y < line[1] + line[3] / 2 or y > bottom + reach or \
                        x > left + d.output_indent_lines * lh:
                    continue
                block = box if block is None else framing.union(block, box)
                first = i if first is None else first
                last, pieces = i, pieces + 1
                area = max(area, float(cells) * cp * cp / (W * H))
        if block is None or pieces < 2 or block[2] * block[3] < d.output_min_area * W * H:
            continue
        if any(framing.inside(block, c.box) >= d.overlap and c.i0 <= last and first <= c.i1 for c in bigs):
            continue
        out.append(BigChange(first, last, block, area, False, what="output"))
    return out


def _runs(b: Burst, gap: float) -> list[Burst]:
    """b's keys in runs: a run ends where the next key comes more than `gap` frames later (b itself when none
    does)."""
    out = [Burst([b.keys[0]])]
    for a, k in zip(b.keys, b.keys[1:]):
        if k.i - a.i > gap:
            out.append(Burst([]))
        out[-1].keys.append(k)
    return out if len(out) > 1 else [b]


def _animates(b: Burst, d, fps: float, rate_hz: float) -> bool:
    """Whether b's keys are one thing changing in (nearly) every frame: at least `min_keys` frames, more than
    rate_hz of them a second, mostly overlapping the key before."""
    frames = sorted({k.i for k in b.keys})
    if len(frames) < d.min_keys:
        return False
    steps = list(zip(b.keys, b.keys[1:]))
    coherent = sum(1 for a, c in steps if framing.inside(a.box, c.box) > 0 or framing.inside(c.box, a.box) > 0)
    return len(frames) / ((frames[-1] - frames[0] + 1) / fps) > rate_hz and coherent >= d.min_coherent * len(steps)


def _extent(features: Features, c: BigChange, d) -> list[float]:
    """The whole of what appeared with change c: what changed is often only its text and edges (a card whose fill
    differs from what was under it by less than the change threshold). c's box grown over the cells next to it
    whose mean luma moved by `extent_tol` from just before c to once it settled; c's box as it is when that
    would pass `visit_max_area` (the screen changed around it) or without cell looks (no layout detector)."""
    look = features.raw.look
    if look is None:
        return c.box
    after = settled(features, c, d)
    moved = np.abs(look[after].astype(np.int16) - look[max(0, c.i0 - 1)].astype(np.int16)) >= d.extent_tol
    return _grown(features, c, _flood(moved, *framing.cells(c.box, float(features.meta["cell_px"]))), d)


def _cleared(features: Features, c: BigChange, d) -> list[float] | None:
    """Where c left its place blank (a terminal cleared: only the text that went changed), the blank pane
    around it: the cells 4-connected to c's whose mean luma is within `clear_tol` of what c left, when at least
    `clear_share` of c's cells are. None otherwise, or without cell looks."""
    look = features.raw.look
    if look is None:
        return None
    now = look[settled(features, c, d)].astype(np.int16)
    rows, cols = framing.cells(c.box, float(features.meta["cell_px"]))
    left = now[rows, cols]
    bg = int(np.median(left))
    if np.mean(np.abs(left - bg) <= d.clear_tol) < d.clear_share:
        return None
    # the pane is what was cleared, however large: a visit to it as large as a window goes wide
    return _grown(features, c, _flood(np.abs(now - bg) <= d.clear_tol, rows, cols), d, cap=False)


def settled(features: Features, c: BigChange, d) -> int:
    """The frame c is judged at: `close_settle_s` after it ends, once animations have settled."""
    return min(features.raw.n - 1, c.i1 + int(round(d.close_settle_s * features.meta["fps"])))


def _grown(features: Features, c: BigChange, cells: np.ndarray, d, cap: bool = True) -> list[float]:
    """c's box with the cells set in `cells` (a grid of cell_px cells), within the frame; with `cap`, c's box as
    it is when that would pass `visit_max_area` (the screen changed around it)."""
    ys, xs = np.nonzero(cells)
    if not len(ys):
        return c.box
    m = features.meta
    cp = float(m["cell_px"])
    box = framing.union(c.box, [float(xs.min() * cp), float(ys.min() * cp), float((xs.max() - xs.min() + 1) * cp),
                                float((ys.max() - ys.min() + 1) * cp)])
    W, H = float(m["width"]), float(m["height"])
    box = [box[0], box[1], min(box[2], W - box[0]), min(box[3], H - box[1])]
    return box if not cap or box[2] * box[3] <= d.visit_max_area * W * H else c.box


def _flood(allowed: np.ndarray, rows: slice, cols: slice) -> np.ndarray:
    """The cells of `allowed` (a boolean cell grid) 4-connected to those of it inside [rows, cols]."""
    gh, gw = allowed.shape
    grown = np.zeros_like(allowed)
    grown[rows, cols] = allowed[rows, cols]
    for _ in range(gh + gw):                 # on the coarse grid: a few dozen passes
        nxt = grown.copy()
        nxt[1:] |= grown[:-1]
        nxt[:-1] |= grown[1:]
        nxt[:, 1:] |= grown[:, :-1]
        nxt[:, :-1] |= grown[:, 1:]
        nxt &= allowed
        if (nxt == grown).all():
            break
        grown = nxt
    return grown


def _edge_strip(box: list[float], W: float, H: float, d) -> bool:
    """A thin strip along the frame's edge: a scrollbar, an editor's overview ruler, a page-load bar. Chrome,
    not something that appeared to be looked at."""
    x, y, w, h = box
    side = w <= d.edge_strip * W and (x <= d.edge_strip * W or x + w >= (1 - d.edge_strip) * W)
    top = h <= d.edge_strip * H and (y <= d.edge_strip * H or y + h >= (1 - d.edge_strip) * H)
    return side or top


def _adjoin(a: list[float], b: list[float], growth: float) -> bool:
    """Whether boxes a and b belong together: their union is at most `growth` times the area of the two."""
    u = framing.union(a, b)
    return u[2] * u[3] <= growth * (a[2] * a[3] + b[2] * b[3])


def _big_changes(frames: list[tuple[int, list[float], float]], features: Features, cfg: DictConfig,
                 fps: float) -> list[BigChange]:
    d = plain(cfg.director)
    gap = d.big_gap_s * fps
    out: list[BigChange] = []
    for i, box, area in frames:
        # a change joins the newest one going on that it adjoins (command output line by line, a panel filling
        # in); one far from it (a scrollbar flickering at the frame's edge while a popup opens) is its own
        c = next((c for c in reversed(out) if i - c.i1 <= gap and _adjoin(c.box, box, d.big_join)), None)
        if c is not None:
            c.i1, c.box, c.area = i, framing.union(c.box, box), max(c.area, area)
        else:
            out.append(BigChange(i, i, box, area, False))
    out.sort(key=lambda c: (c.i0, c.box[1], c.box[0]))
    rest = cues.resting(features, d)
    for c in out:
        c.scroll = bool(features.scrolling[c.i0 : c.i1 + 1].mean() >= d.scroll_share)
        c.clicked = cues.clicked(c.box, features, c.i0, rest, d)
    return out
