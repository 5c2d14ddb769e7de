"""From simulated frames to encoded frames: which ones are kept, when each is shown, and its labels.

The apps run on a simulation clock (`sim_fps`); every simulated frame is offered with its picture, whether
any pixel changed, and a function that reads its labels. The capture decides (Style.capture):

* cfr:  every frame, frame k at k / fps (the plain recording);
* thin: the same, but inside a stretch only one frame in `thin_every` is kept: a variable frame rate;
* gif:  a frame only when the picture changed since the last kept one and at least the shortest delay after
        it; a still picture is repeated after the longest delay (GIF recorders cap a frame's delay). The clock
        ticks gif_tick_ms, so every delay is a multiple of it (10 ms, like GIF delays). Written as VFR (pts in
        ms) or resampled to CFR at fps, each output frame showing the latest GIF frame: runs of repeated frames,
        which the encoder makes decode byte-identical (exact_repeats).

`video_time` maps a simulated time to the video time at which its picture (or a later one) first shows, so
the truth of a thinned or GIF-like clip is exact in video time.
"""
from __future__ import annotations

import bisect
import math
from fractions import Fraction

import numpy as np

from .encode import Encoder


def sim_fps(style, fps: int) -> int:
    """The simulation clock for a capture: the frame rate, or the GIF clock."""
    return 1000 // style.gif_tick_ms if style.capture == "gif" else fps


class Capture:
    def __init__(self, path, w: int, h: int, style, fps: int, crf: int, P, labels=None):
        self.style, self.fps, self.labels = style, fps, labels
        self.mode = style.capture if style.capture != "gif" else f"gif_{style.gif_out}"
        self.sim = sim_fps(style, fps)
        enc = dict(crf=crf, preset=P.preset, threads=P.threads, gop_s=P.gop_s, bframes=P.bframes, extra=P.x264_extra,
                   audio=style.audio)
        if self.mode == "cfr":
            self.enc = Encoder(path, w, h, fps, **enc)
        elif self.mode == "thin":
            self.enc = Encoder(path, w, h, fps, time_base=Fraction(1, fps), **enc)
        elif self.mode == "gif_vfr":
            self.enc = Encoder(path, w, h, 1000 // style.gif_delay_ms[0], time_base=Fraction(1, 1000), **enc)
        else:
            self.enc = Encoder(path, w, h, fps, exact_repeats=True, **enc)
        self.shown_i: list[int] = []      # simulated frame of every encoded frame
        self.shown_t: list[float] = []    # its presentation time, s
        self.last = None                  # copy of the last kept picture (thin, gif)
        self.last_i = -1
        self.pending = False              # the picture changed since the last kept frame (gif)
        self.held = None                  # gif cfr: (picture, labels) of the latest GIF frame
        self.out_n = 0                    # gif cfr: output frames written
        self.duration = 0.0

    # ------------------------------------------------------------------ per simulated frame
    def offer(self, i: int, buf: np.ndarray, changed: bool, state) -> None:
        if self.mode == "cfr":
            self._encode(buf, changed, i, i / self.fps, state)
        elif self.mode == "thin":
            self._thin(i, buf, changed, state)
        else:
            self._gif(i, buf, changed, state)

    def _encode(self, buf, changed, i, t, state, pts=None) -> None:
        # a VFR frame lasts one simulation tick unless a later one comes: the last one ends the clip exactly
        self.enc.write(buf, changed, pts, None if pts is None else 1.0 / self.sim)
        self.shown_i.append(i)
        self.shown_t.append(t)
        if self.labels is not None:
            self.labels.add(t, changed, state() if callable(state) else state)

    def _differs(self, buf) -> bool:
        return self.last is None or not np.array_equal(buf, self.last)

    def _keep(self, buf, i, t, state, pts) -> None:
        """Encode simulated frame i (thin, gif vfr): changed when it differs from the last kept picture."""
        changed = self.pending and self._differs(buf)
        self.pending = False
        if changed or self.last is None:
            self.last = buf.copy()
        self.last_i = i
        self._encode(buf, changed or not self.shown_i, i, t, state, pts)

    def _thin(self, i, buf, changed, state) -> None:
        self.pending |= changed or i == 0
        a, b = (round(s * self.n) for s in self.style.thin_span)
        if not (a <= i < b) or (i - a) % self.style.thin_every == 0 or i == self.n - 1:
            self._keep(buf, i, i / self.fps, state, i)

    def _gif(self, i, buf, changed, state) -> None:
        tick = self.style.gif_tick_ms
        lo, hi = self.style.gif_delay_ms
        self.pending |= changed
        ms, since = i * tick, (i - self.last_i) * tick
        if self.last is not None:
            if self.pending and since >= lo and not self._differs(buf):
                self.pending = False                  # changed and changed back: nothing new to keep
            if not ((self.pending and since >= lo) or since >= hi or i == self.n - 1):
                return
        self.pending |= self.last is None
        if self.mode == "gif_vfr":
            self._keep(buf, i, ms / 1000, state, ms)
            return
        self._flush(ms / 1000)
        new = self.pending and self._differs(buf)
        self.pending = False
        if new or self.last is None:
            self.last = buf.copy()
        self.last_i = i
        self.held = [self.last, new, state() if callable(state) else state, i]

    def _flush(self, until_s: float) -> None:
        """gif cfr: output frames before until_s show the held GIF frame (the first one new, then repeats)."""
        while self.held is not None and self.out_n < math.ceil(until_s * self.fps - 1e-9):
            pic, new, st, i = self.held
            self._encode(pic, new or not self.shown_i, i, self.out_n / self.fps, st)
            self.held[1] = False
            self.out_n += 1

    # ------------------------------------------------------------------ end
    def start(self, nframes: int) -> None:
        self.n = nframes

    def finish(self) -> float:
        """Close the video; returns its duration (s)."""
        self.duration = self.n / self.sim
        if self.mode == "gif_cfr":
            self._flush(self.duration)
        self.enc.close()
        return self.duration

    def video_time(self, t: float) -> float:
        """The video time at which the picture of simulated time t (or a later one) first shows."""
        if self.mode == "cfr":
            return t
        k = bisect.bisect_left(self.shown_i, int(round(t * self.sim)))
        return round(self.shown_t[k], 4) if k < len(self.shown_i) else round(self.duration, 4)

    def nominal_fps(self) -> float:
        """The clip's frame rate: the CFR rate, or for a variable rate the average (frames / duration)."""
        if self.mode in ("cfr", "gif_cfr"):
            return self.fps
        return round(len(self.shown_i) / self.duration, 3)
