"""Activities found in the features: typing bursts (with their keys) and big changes (popups, windows,
notifications, scrolling). Offline: the director sees the whole recording, so a burst is known whole."""
from __future__ import annotations

from dataclasses import dataclass, field

from omegaconf import DictConfig

from ..config import plain
from ..features import Features
from . import framing


@dataclass
class Key:
    i: int                      # frame index
    t: float
    box: list[float]            # the small change [x, y, w, h] (source px)
    caret: list[float] | None   # a caret bar seen in this change, [x, y, w, h]


@dataclass
class Burst:
    keys: list[Key] = field(default_factory=list)

    @property
    def i0(self) -> int:
        return self.keys[0].i

    @property
    def i1(self) -> int:
        return self.keys[-1].i

    def line_height(self, fallback: float) -> float:
        hs = sorted(k.caret[3] for k in self.keys if k.caret)
        return float(hs[len(hs) // 2]) if hs else fallback


@dataclass
class BigChange:
    i0: int
    i1: int                     # last frame with the change (inclusive)
    box: list[float]
    area: float                 # largest share of the frame changed at once (0-1)
    scroll: bool


def _caret_in(features: Features, i: int, box: list[float]) -> list[float] | None:
    c = features.raw.caret[i]
    if c[4] <= 0:
        return None
    cx, cy = (c[0] + c[2]) / 2, (c[1] + c[3]) / 2
    x, y, w, h = box
    if x <= cx <= x + w and y <= cy <= y + h:
        return [float(c[0]), float(c[1]), float(c[2] - c[0]), float(c[3] - c[1])]
    return None


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
    keys_by_frame: list[list[Key]] = []
    solid_by_frame: list[list[Key]] = []
    big_frames: list[tuple[int, list[float], float]] = []
    for i in range(features.raw.n):
        ks, solid = [], []
        big_box, big_area = None, 0.0
        for x, y, w, h, cells in features.regions[i]:
            if cells <= 0:
                continue
            box = [float(x), float(y), float(w), float(h)]
            area = cells * cell_area / (W * H)
            if h <= d.typing_max_h * H and w <= d.typing_max_w * W and area < d.big_change:
                if _density(features, i, box) > d.typing_max_density:
                    # a solid block: a key lit on an on-screen keyboard, or a toast sliding in
                    solid.append(Key(i, float(times[i]), box, None))
                    continue
                ks.append(Key(i, float(times[i]), box, _caret_in(features, i, box)))
            elif area >= d.big_change or h > d.typing_max_h * H or w > d.typing_max_w * W:
                big_box = box if big_box is None else framing.union(big_box, box)
                big_area += area
        if features.scrolling[i] and big_box is None:
            big_box, big_area = [0.0, 0.0, W, H], float(features.raw.change[i])
        keys_by_frame.append(ks)
        solid_by_frame.append(solid)
        if big_box is not None:
            big_frames.append((i, big_box, big_area))
    quiet = int(round(d.settle_s * fps))     # keys inside a big change, right around it, are its fringe
    fringe: dict[int, list[list[float]]] = {}
    for i, box, _ in big_frames:
        for j in range(max(0, i - quiet), min(len(keys_by_frame), i + quiet + 1)):
            fringe.setdefault(j, []).append(box)
    keys_by_frame = [[k for k in ks if not any(framing.inside(k.box, b) >= 0.9 for b in fringe.get(i, ()))]
                     for i, ks in enumerate(keys_by_frame)]
    typing, animations = _bursts(keys_by_frame, cfg, W, H, fps)
    animations += _bursts(solid_by_frame, cfg, W, H, fps)[1]      # lit keys come one by one: no animation
    for b in animations:                 # small animated blocks are transients like any big change
        for k in b.keys:
            big_frames.append((k.i, k.box, k.box[2] * k.box[3] / (W * H)))
    big_frames.sort(key=lambda f: (f[0], f[1]))
    return typing, _big_changes(big_frames, features, cfg, fps)


def _bursts(keys_by_frame: list[list[Key]], cfg: DictConfig, W: float, H: float,
            fps: float) -> tuple[list[Burst], list[Burst]]:
    """Group keys into bursts (a key joins the open burst whose last key is near it in time and space), then
    keep the typing: sparse in time, long enough, moving along lines. Bursts that change in nearly every
    frame are animations (a toast or banner sliding in) and are returned apart."""
    d = plain(cfg.director)
    gap = d.burst_gap_s * fps
    open_: list[Burst] = []
    done: list[Burst] = []
    for ks in keys_by_frame:
        for k in ks:
            for b in list(open_):
                if k.i - b.i1 > gap:
                    open_.remove(b)
                    done.append(b)
            best, best_d = None, None
            for b in open_:
                last = b.keys[-1].box
                dy = abs((k.box[1] + k.box[3] / 2) - (last[1] + last[3] / 2))
                dx = abs((k.box[0] + k.box[2] / 2) - (last[0] + last[2] / 2))
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
        while len(b.keys) > 1 and (b.keys[1].i - b.keys[0].i) > d.lead_gap_s * fps:
            b.keys.pop(0)
        frames = sorted({k.i for k in b.keys})
        if len(frames) < d.min_keys:
            continue
        span = frames[-1] - frames[0] + 1
        steps = list(zip(b.keys, b.keys[1:]))
        level = sum(1 for a, c in steps if abs(a.box[1] - c.box[1]) <= d.line_step * H) / max(1, len(steps))
        carets = sum(1 for k in b.keys if k.caret)
        if len(frames) / span > d.max_key_rate:
            animations.append(b)         # change in (nearly) every frame: something slides in, not keys
        elif span >= d.min_burst_s * fps and level >= d.min_level and carets >= d.min_carets:
            typing.append(b)
    # bursts at the same time compete: one far smaller than another is an echo (lit keys, a suggestion strip)
    typing = [b for b in typing if not any(o is not b and o.i0 <= b.i1 and b.i0 <= o.i1 and
                                           len(o.keys) >= d.echo_ratio * len(b.keys) for o in typing)]
    typing.sort(key=lambda b: (b.i0, b.keys[0].box[1], b.keys[0].box[0]))
    return typing, animations


def _big_changes(frames: list[tuple[int, list[float], float]], features: Features, cfg: DictConfig,
                 fps: float) -> list[BigChange]:
    gap = float(cfg.director.big_gap_s) * fps
    out: list[BigChange] = []
    for i, box, area in frames:
        if out and i - out[-1].i1 <= gap:
            c = out[-1]
            c.i1, c.box, c.area = i, framing.union(c.box, box), max(c.area, area)
        else:
            out.append(BigChange(i, i, box, area, False))
    for c in out:
        c.scroll = bool(features.scrolling[c.i0 : c.i1 + 1].mean() >= 0.3)
    return out
