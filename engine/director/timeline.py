"""The director's value: a Timeline (edit decision list), one segment per shot, written as segments.json."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MODES = ("wide", "focus_in", "hold", "release")


@dataclass
class Segment:
    t0: float
    t1: float
    mode: str                    # wide | focus_in | hold | release
    roi: list[float]             # the window the camera aims at [x, y, w, h] (source px)
    reason: str                  # what triggered the cut, in plain words


@dataclass
class Timeline:
    video: str
    width: int
    height: int
    fps: float
    duration: float
    out_aspect: float                               # output width / height
    segments: list[Segment] = field(default_factory=list)
    targets: list | None = None                     # per-frame (time, window, mode) the camera follows

    def to_dict(self, decimals: int = 3) -> dict:
        r = lambda v: round(float(v), decimals)
        return {"version": 1, "video": Path(self.video).name, "width": self.width, "height": self.height,
                "fps": r(self.fps), "duration": r(self.duration),
                "segments": [{"t0": r(s.t0), "t1": r(s.t1), "mode": s.mode, "roi": [r(v) for v in s.roi],
                              "reason": s.reason} for s in self.segments]}
