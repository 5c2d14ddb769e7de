"""The shots the state machine chose, frame by frame -> the EDL (Timeline) the camera follows.

Each new shot becomes a ramp (`focus_in` toward a focus, `release` back to a wide shot) that starts `lead_s`
before the shot (the director works offline: the camera starts moving before what it moves for) and lasts
the move's `settle_s` (engine/camera/easing.py: focus_in_s or release_s, longer when the camera's speed limits
need it), or starts when the shot says (`start`: the first push-in of a recording, onto a caret seen before
anything happened, never anticipates that sighting), then a still segment (`hold` or `wide`) until the next
ramp. A ramp the next shot cuts short keeps its settle_s: the camera was still on its way, and the next move
starts from where it is.
"""
from __future__ import annotations

import math

from omegaconf import DictConfig

from ..camera.easing import move_time
from ..config import plain
from .timeline import Segment, Timeline


def timeline(per_frame: list, times, meta: dict, cfg: DictConfig, aspect: float) -> Timeline:
    """per_frame: the shot (window, kind, reason, waits) at each analysis frame; times: the frames' times (s)."""
    d, c = plain(cfg.director), plain(cfg.camera)
    dur = float(meta["duration"])
    diag = math.hypot(float(meta["width"]), float(meta["height"]))
    segs: list[Segment] = []
    prev = None
    for i, s in enumerate(per_frame):
        if s is prev:
            continue
        win = [float(v) for v in s.window]
        frm = _aimed(segs) if segs else win                   # where the camera is heading before this shot
        # a push in (the window narrows) anticipates less than a widening move: what is on screen before the
        # typing starts (the output the typed command printed) is still the subject until its first key
        lead = d.lead_in_s if win[2] * win[3] < frm[2] * frm[3] else d.lead_s
        t0 = max(0.0, float(times[i]) - lead if s.start is None else s.start) if i else 0.0
        if prev is None:
            segs.append(Segment(0.0, 0.0, "hold" if s.kind != "wide" else "wide", win, s.reason))
            prev = s
            continue
        zoom_in = s.kind != "wide"
        ramp = "focus_in" if zoom_in else "release"
        # a widening move the camera's limits make longer than its nominal time starts that much earlier, so
        # it arrives when a nominal one would (from a tight window out to the whole frame: the output appears
        # framed, not while the camera is still on its way), taken from the hold before it, never from a move
        # still on its way. A push in keeps its start (it would chase), and so does a return that waits for a
        # popup to close
        nominal = d.focus_in_s if zoom_in else d.release_s
        if win[2] * win[3] > frm[2] * frm[3] and not s.waits:
            arrived = segs[-1].t0 if segs[-1].mode in ("hold", "wide") else t0
            t0 = max(0.0, min(t0, max(arrived, t0 - (move_time(frm, win, aspect, nominal, c, diag) - nominal))))
        while len(segs) > 1 and segs[-1].t0 >= t0 - 1e-9:     # a ramp or hold the new shot cuts short is dropped
            segs.pop()
        if segs[-1].t0 >= t0 - 1e-9:                          # the first shot itself: the camera starts here
            segs[-1] = Segment(0.0, 0.0, "hold" if zoom_in else "wide", win, s.reason)
            prev = s
            continue
        settle = move_time(_aimed(segs), win, aspect, nominal, c, diag)
        segs.append(Segment(t0, t0, ramp, win, s.reason, settle))
        segs.append(Segment(t0 + settle, t0 + settle, "hold" if zoom_in else "wide", win,
                            "settled on " + ("the focus" if zoom_in else "the wide shot")))
        prev = s
    # tile [0, duration]: each segment ends where the next starts; drop what starts at or after the end
    tiled = [s for s in segs if s.t0 < dur - 1e-9] or segs[:1]
    for a, b in zip(tiled, tiled[1:]):
        a.t1 = b.t0
    tiled[-1].t1 = dur
    return Timeline(video=meta["video"], width=meta["width"], height=meta["height"], fps=meta["fps"], duration=dur,
                    out_aspect=aspect, segments=tiled)


def _aimed(segs: list[Segment]) -> list[float]:
    """The window the camera is at (or heading for) at the end of segs: the last segment's roi."""
    return segs[-1].roi
