"""The director's value: a Timeline (edit decision list), one segment per shot, written as segments.json.

The EDL is the camera's only input (engine/camera/planner.py): a `focus_in` or `release` moves the camera,
over its `settle_s`, to the window of the `hold` or `wide` it leads into; `hold` and `wide` keep it still.
`from_dict` reads an edited file back and refuses one the planner cannot follow (BadSegments, one line).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadSegments

MODES = ("wide", "focus_in", "hold", "release")
RAMPS = ("focus_in", "release")          # the camera moves during these ...
STILL = ("wide", "hold")                 # ... and never during these
SEGMENTS_VERSION = 2


@dataclass
class Segment:
    t0: float
    t1: float
    mode: str                    # wide | focus_in | hold | release
    roi: list[float]             # the window the camera aims at [x, y, w, h] (source px)
    reason: str                  # what triggered the cut, in plain words
    settle_s: float | None = None  # ramps: how long the move takes from t0 (s); a hold starts no earlier


@dataclass
class Timeline:
    video: str
    width: int
    height: int
    fps: float                                      # analysis rate (frames/s)
    duration: float
    out_aspect: float                               # output width / height
    segments: list[Segment] = field(default_factory=list)
    source_fps: float | None = None                 # the recording's rate (frames/s)
    output: tuple[int, int, float] | None = None    # the camera's output (width, height px, frames/s)

    def to_dict(self, decimals: int = 3) -> dict:
        r = lambda v: round(float(v), decimals)
        d = {"version": SEGMENTS_VERSION, "video": Path(self.video).name, "width": self.width, "height": self.height,
             "fps": r(self.fps), "duration": r(self.duration)}
        if self.source_fps is not None:
            d["source_fps"] = round(float(self.source_fps), 6)
        if self.output is not None:
            d["output"] = {"width": int(self.output[0]), "height": int(self.output[1]),
                           "fps": round(float(self.output[2]), 6)}
        segs = []
        for s in self.segments:
            row = {"t0": r(s.t0), "t1": r(s.t1), "mode": s.mode, "roi": [r(v) for v in s.roi], "reason": s.reason}
            if s.settle_s is not None:
                row["settle_s"] = r(s.settle_s)
            segs.append(row)
        d["segments"] = segs
        return d

    @classmethod
    def from_dict(cls, d: dict, where: str = "segments.json") -> "Timeline":
        """A Timeline from segments.json (version 2), checked: every problem is a BadSegments naming the
        segment and the field."""
        def bad(why: str):
            raise BadSegments(f"{where}: {why}")

        def num(v, what: str, lo: float = -math.inf) -> float:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < lo:
                bad(f"{what} must be a number" + (f" >= {lo:g}" if lo > -math.inf else ""))
            return float(v)

        if not isinstance(d, dict):
            bad("not a JSON object")
        if d.get("version") != SEGMENTS_VERSION:
            bad(f"version {d.get('version')!r}: this screendirector reads version {SEGMENTS_VERSION} "
                "(re-run analyze to write it)")
        for key in ("width", "height", "duration", "output", "segments"):
            if key not in d:
                bad(f"missing field '{key}'")
        W, H = num(d["width"], "width", 1), num(d["height"], "height", 1)
        dur = num(d["duration"], "duration", 0)
        o = d["output"]
        if not isinstance(o, dict) or any(k not in o for k in ("width", "height", "fps")):
            bad("output must be {width, height, fps}")
        ow, oh, ofps = num(o["width"], "output.width", 1), num(o["height"], "output.height", 1), \
            num(o["fps"], "output.fps", 1e-3)
        raw = d["segments"]
        if not isinstance(raw, list) or not raw:
            bad("segments must be a non-empty list")
        segs: list[Segment] = []
        for k, s in enumerate(raw):
            at = f"segment {k}"
            if not isinstance(s, dict):
                bad(f"{at} is not an object")
            for key in ("t0", "t1", "mode", "roi"):
                if key not in s:
                    bad(f"{at}: missing field '{key}'")
            t0, t1 = num(s["t0"], f"{at}: t0", 0), num(s["t1"], f"{at}: t1", 0)
            if s["mode"] not in MODES:
                bad(f"{at}: mode {s['mode']!r} is not one of {', '.join(MODES)}")
            roi = s["roi"]
            if not isinstance(roi, list) or len(roi) != 4:
                bad(f"{at}: roi must be [x, y, w, h] (source px)")
            x, y, w, h = (num(v, f"{at}: roi") for v in roi)
            if w <= 0 or h <= 0 or not (_on_axis(x, w, W) and _on_axis(y, h, H)) or \
                    max(w, h * ow / oh) > max(W, H * ow / oh) * 1.01:
                bad(f"{at}: roi {roi} is not a window inside the {W:g}x{H:g} frame (or, larger than it on one "
                    "axis, covering it there, no larger than the window that shows the whole frame)")
            settle = s.get("settle_s")
            if s["mode"] in RAMPS:
                if settle is None:
                    bad(f"{at}: a {s['mode']} needs settle_s (how long its move takes, s)")
                settle = num(settle, f"{at}: settle_s", 0)
            elif settle is not None:
                bad(f"{at}: a {s['mode']} keeps the camera still; only focus_in and release have settle_s")
            if t1 < t0:
                bad(f"{at}: ends (t1={t1:g}) before it starts (t0={t0:g})")
            if k == 0 and t0 != 0:
                bad(f"{at}: the first segment must start at 0 (t0={t0:g})")
            if segs and abs(t0 - segs[-1].t1) > 1e-6:
                bad(f"{at}: starts at {t0:g}, not where segment {k - 1} ends ({segs[-1].t1:g}): segments tile the clip")
            segs.append(Segment(t0, t1, s["mode"], [x, y, w, h], str(s.get("reason", "")), settle))
        if abs(segs[-1].t1 - dur) > 1e-6:
            bad(f"the last segment ends at {segs[-1].t1:g}, not at the clip's end ({dur:g})")
        for k, s in enumerate(segs[1:], 1):
            p = segs[k - 1]
            if s.mode in STILL and p.mode in STILL and max(abs(a - b) for a, b in zip(s.roi, p.roi)) > 0.01:
                bad(f"segment {k} ({s.mode} at {s.t0:g} s): its roi differs from segment {k - 1}'s and only a "
                    "focus_in or release moves the camera (insert one, or change both)")
        sfps = d.get("source_fps")
        return cls(video=str(d.get("video", "")), width=int(W), height=int(H), fps=float(d.get("fps") or ofps),
                   duration=dur, out_aspect=ow / oh, segments=segs,
                   source_fps=None if sfps is None else num(sfps, "source_fps", 1e-3),
                   output=(int(ow), int(oh), ofps))


def _on_axis(a: float, size: float, extent: float, tol: float = 0.5) -> bool:
    """A window's span [a, a + size] on one axis: inside the frame, or (padded) larger than it and covering it."""
    if size <= extent + tol:
        return a >= -tol and a + size <= extent + tol
    return a <= tol and a + size >= extent - tol


def load(path: str | Path) -> Timeline:
    """segments.json -> Timeline; a missing, unreadable or malformed file is a one-line BadSegments."""
    import json

    p = Path(path)
    if not p.is_file():
        from ..errors import InputMissing
        raise InputMissing(f"segments file not found: {p}")
    try:
        d = json.loads(p.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadSegments(f"{p.name}: not readable JSON ({str(e).splitlines()[0]})") from None
    return Timeline.from_dict(d, p.name)
