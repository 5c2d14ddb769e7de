"""What the preview draws over the recording, one transparent RGBA layer per output frame: the regions of change,
the caret, the pointer, the camera's window and the shot's state and reason. ffmpeg lays each layer on the
recording's frame; here every box is a handful of numpy slice assignments, and each label is rasterised once.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from omegaconf import DictConfig

from ..camera.track import CameraTrack
from ..director.timeline import Timeline
from ..features.types import Features


@dataclass
class Drawn:
    """Everything drawn, per analysis frame or per output frame, in source pixels."""
    times: np.ndarray          # (N,) analysis frame times (s)
    regions: np.ndarray        # (N, k, 5) fast-change regions [x, y, w, h, cells]; cells 0 = none
    slow: np.ndarray           # (N, k, 5) slow-change regions, the same layout
    caret: np.ndarray          # (N, 5) [x0, y0, x1, y1, strength]; strength 0 = none
    pointer: np.ndarray        # (N, 3) [x, y, score]
    pointer_min: float         # a pointer counts from this score
    track: CameraTrack         # the window per output frame
    timeline: Timeline         # the shots

    @classmethod
    def gather(cls, fused: Features, timeline: Timeline, track: CameraTrack, cfg: DictConfig) -> "Drawn":
        raw = fused.raw
        pointer = raw.data["pointer"] if raw.has("pointer") else np.zeros((raw.n, 3), np.float32)
        return cls(raw.times, fused.regions, fused.slow_regions, raw.caret, pointer,
                   float(cfg.director.pointer_min_score), track, timeline)

    def shot(self, t: float) -> tuple[str, str]:
        """(mode, reason) of the segment playing at time t (the last one after the end)."""
        segs = self.timeline.segments
        for k, s in enumerate(segs):
            if s.t0 <= t < s.t1:
                return s.mode, reason(segs, k)
        return (segs[-1].mode, reason(segs, len(segs) - 1)) if segs else ("wide", "")


def reason(segments: list, k: int) -> str:
    """A segment's reason; a hold after a push-in gives what the push-in was for ("settled on the focus", a
    hold's own reason, does not say on what)."""
    s = segments[k]
    if s.mode == "hold" and k > 0 and segments[k - 1].mode == "focus_in":
        return segments[k - 1].reason
    return s.reason


class Painter:
    """Draws the layer of output frame k at the left half's size (width, height px)."""

    def __init__(self, drawn: Drawn, size: tuple[int, int], cfg: DictConfig):
        self.d = drawn
        self.w, self.h = size
        p = cfg.preview
        self.sx, self.sy = self.w / drawn.track.width, self.h / drawn.track.height
        self.line = max(1, round(p.line * self.h))
        self.window_line = max(2, round(p.window_line * self.h))
        self.caret_pad = max(1, round(p.caret_pad * self.h))
        self.pointer_px = max(3, round(p.pointer_size * self.h))
        self.text_px = max(8, round(p.text * self.h))
        self.colors = {k: np.array(list(v) + [255], np.uint8) for k, v in p.colors.items()}

    def frame(self, k: int) -> np.ndarray:
        """(h, w, 4) uint8 RGBA; alpha 0 where nothing is drawn."""
        d = self.d
        row = d.track.frames[k]
        t = float(row[0])
        i = max(0, int(np.searchsorted(d.times, t + 1e-6, side="right")) - 1)   # the analysis frame shown
        img = np.zeros((self.h, self.w, 4), np.uint8)
        for kind, boxes in (("slow", d.slow[i]), ("region", d.regions[i])):
            for x, y, w, h, cells in boxes:
                if cells > 0:
                    self._rect(img, x, y, x + w, y + h, kind, self.line)
        x0, y0, x1, y1, strength = d.caret[i]
        if strength > 0:
            p = self.caret_pad
            self._fill(img, x0 * self.sx - p, y0 * self.sy - p, x1 * self.sx + p, y1 * self.sy + p, "caret")
        px, py, score = d.pointer[i]
        if score >= d.pointer_min:
            cx, cy, r = px * self.sx, py * self.sy, self.pointer_px / 2
            self._fill(img, cx - r, cy - self.line / 2, cx + r, cy + self.line / 2, "pointer")   # a cross
            self._fill(img, cx - self.line / 2, cy - r, cx + self.line / 2, cy + r, "pointer")
        _, x, y, w, h, _ = row
        self._rect(img, x, y, x + w, y + h, "window", self.window_line, inside=True)
        mode, reason = d.shot(t)
        label = _label(f"{mode.upper()}  {reason}" if reason else mode.upper(), self.text_px, self.w - 2 * self.window_line)
        o = self.window_line                            # inside the frame's edge, clear of a wide window's outline
        lh, lw = label.shape[:2]
        lh, lw = min(lh, self.h - o), min(lw, self.w - o)
        img[o:o + lh, o:o + lw] = label[:lh, :lw]       # the label's bar replaces what lies beneath it
        return img

    def _rect(self, img, x0, y0, x1, y1, color: str, th: int, inside: bool = False) -> None:
        """An outline of a source-pixel box, `th` px thick; inside: drawn within the box (the window touches
        the frame's edges when wide, so an outline centred on them would be half cut off)."""
        a, b, c, e = self._px(x0 * self.sx, y0 * self.sy, x1 * self.sx, y1 * self.sy)
        if inside:
            o, i = 0, th
        else:
            o, i = th // 2, th - th // 2
        col = self.colors[color]
        for (ra, rb, ca, cb) in ((b - o, b + i, a - o, e + o), (c - i, c + o, a - o, e + o),
                                 (b - o, c + o, a - o, a + i), (b - o, c + o, e - i, e + o)):
            img[max(0, ra):max(0, rb), max(0, ca):max(0, cb)] = col

    def _fill(self, img, x0, y0, x1, y1, color: str) -> None:
        a, b, c, e = self._px(x0, y0, x1, y1)
        img[max(0, b):max(0, c), max(0, a):max(0, e)] = self.colors[color]

    def _px(self, x0, y0, x1, y1) -> tuple[int, int, int, int]:
        """Preview pixel bounds (left, top, bottom, right), inside the frame, at least 1 px across."""
        a = int(np.clip(round(x0), 0, self.w - 1))
        b = int(np.clip(round(y0), 0, self.h - 1))
        e = int(np.clip(round(x1), a + 1, self.w))
        c = int(np.clip(round(y1), b + 1, self.h))
        return a, b, c, e


@lru_cache(maxsize=256)
def _label(text: str, px: int, max_w: int) -> np.ndarray:
    """(h, w, 4) white text on a translucent black bar, rasterised once per distinct label."""
    from PIL import Image, ImageDraw

    from ..synth.fonts import font

    f = font("bold", px)
    pad = max(2, px // 4)
    left, top, right, bottom = f.getbbox(text)
    w = min(max_w, right + 2 * pad)
    h = px + 2 * pad
    im = Image.new("RGBA", (w, h), (0, 0, 0, 170))
    ImageDraw.Draw(im).text((pad, pad + (px - (bottom - top)) // 2 - top), text, font=f, fill=(255, 255, 255, 255))
    return np.asarray(im, dtype=np.uint8)
