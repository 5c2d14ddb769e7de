"""Ground truth in the corpus format, recorded while the frames are drawn (see corpus/README.md).

The apps report what they do as they do it: caret changes with their caret, line and context boxes, caret
spans and blink toggles, scroll ticks (frames in which a viewport's content moved), and transient / ambient
events. `build()` turns that log into the README's events, caret track and 10 Hz focus track:

* typing: caret entries grouped into bursts (new burst at a placement (click/focus/Tab), a control change, a
  pause > burst_gap_s, after Return in a terminal); t0 = first entry, t1 = last key + burst_tail_s, bbox =
  union of the per-entry context boxes. A burst without a key other than Return/Tab is no event.
* scroll: ticks of one element grouped with gaps <= scroll_gap_s; t0 = first moved frame, t1 = last; bbox =
  union of the viewport over the burst. Terminal output scrolls are reported as finished events.
* idle caret (ambient): the caret shown in a focused control, outside typing / scroll windows (starting
  idle_caret_lag_s after a typing event, or at the first blink / vanish if sooner), kept if it lasts
  >= idle_caret_min_s or if the caret blinked or vanished in it (so every caret pixel change is covered).
* focus: the README rules (latest-started candidate among active transients, outermost only, and the current
  persistent typing / scroll activity; full frame once something happened; null before).

Times are logged on the simulation clock; `build` maps them through the capture's video_time first (a
thinned or GIF-like capture shows a change at its next kept frame), so all times are video times. Boxes are
logged in screen pixels and shifted by the screen's offset in the video (a device bezel around it); the
"full frame" of the focus track is then the device screen.
"""
from __future__ import annotations

import bisect

TRANSIENT = ("popup", "notification", "toast", "dropdown", "window", "progress")
PLACE = ("click", "focus", "Tab")


def r1(b):
    return [round(float(v), 1) for v in b]


def union(a, b):
    if a is None:
        return list(b)
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    return [x0, y0, max(a[0] + a[2], b[0] + b[2]) - x0, max(a[1] + a[3], b[1] + b[3]) - y0]


def inside(a, b, tol=2.0) -> bool:
    return a[0] >= b[0] - tol and a[1] >= b[1] - tol and a[0] + a[2] <= b[0] + b[2] + tol \
        and a[1] + a[3] <= b[1] + b[3] + tol


class Truth:
    def __init__(self, P, w: int, h: int, video: str):
        self.P, self.w, self.h, self.video = P, w, h, video
        self.carets: list[dict] = []
        self.spans: list[list] = []      # [el, t_from, t_to or None, caret box]
        self.toggles: dict = {}          # el -> [t] blink / vanish times
        self.ticks: dict = {}            # el -> [(t, viewport)]
        self.events: list[dict] = []
        self.term_els: set = set()

    # ------------------------------------------------------------------ logging
    def clip(self, b):
        x0, y0 = max(0.0, b[0]), max(0.0, b[1])
        x1, y1 = min(float(self.w), b[0] + b[2]), min(float(self.h), b[1] + b[3])
        return [x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0)]

    def caret(self, t, el, key, box, line, ctx, term=False):
        if term:
            self.term_els.add(el)
        self.carets.append({"t": round(t, 3), "el": el, "key": key, "bbox": r1(box), "line": r1(line),
                            "ctx": self.clip(ctx)})

    def span(self, t, el, box):
        """The caret of el is shown (blinking when idle) at box from t on; box None: hidden from t."""
        if self.spans and self.spans[-1][2] is None:
            self.spans[-1][2] = t
        if box is not None:
            self.spans.append([el, t, None, list(box)])

    def toggle(self, t, el):
        self.toggles.setdefault(el, []).append(t)

    def tick(self, t, el, viewport):
        self.ticks.setdefault(el, []).append((t, list(viewport)))

    def event(self, t0, t1, kind, bbox, **extra) -> dict:
        e = {"t0": round(t0, 3), "t1": None if t1 is None else round(t1, 3), "kind": kind,
             "bbox": self.clip(bbox), **extra}
        self.events.append(e)
        return e

    # ------------------------------------------------------------------ build
    def _typing(self, dur):
        P, out, cur = self.P, [], []

        def flush():
            keys = [c for c in cur if c["key"] not in PLACE]
            cut = not keys and cur and cur[0]["key"] in PLACE and cur[-1]["t"] + P.burst_gap_s > dur
            if cut:
                keys = cur[-1:]          # the clip ends between a caret placement and its first key
            if keys and (cut or any(c["key"] not in ("Enter", "Tab") for c in keys)):
                bb = None
                for c in cur:
                    bb = union(bb, c["ctx"])
                out.append({"t0": cur[0]["t"], "t1": round(min(dur, keys[-1]["t"] + P.burst_tail_s), 3),
                            "kind": "typing", "bbox": self.clip(bb), "el": cur[0]["el"],
                            "keys": sum(c["key"] not in PLACE for c in keys),
                            "_carets": list(cur)})
            cur.clear()

        for c in self.carets:
            if cur and (c["key"] in PLACE or c["el"] != cur[-1]["el"] or c["t"] - cur[-1]["t"] > P.burst_gap_s
                        or (cur[-1]["key"] == "Enter" and c["el"] in self.term_els)):
                flush()
            cur.append(c)
        flush()
        return out

    def _scrolls(self):
        out = []
        for el, ticks in self.ticks.items():
            cur = []
            for t, vp in ticks + [(None, None)]:
                if cur and (t is None or t - cur[-1][0] > self.P.scroll_gap_s):
                    bb = None
                    for _, v in cur:
                        bb = union(bb, v)
                    out.append({"t0": round(cur[0][0], 3), "t1": round(cur[-1][0], 3), "kind": "scroll",
                                "bbox": self.clip(bb), "el": el})
                    cur = []
                if t is not None:
                    cur.append((t, vp))
        return out

    def _idle(self, typing, scrolls, dur):
        P, out = self.P, []
        for el, a, b, box in self.spans:
            b = dur if b is None else b
            cuts = sorted([(e["t0"], e["t1"], True) for e in typing if e["el"] == el] +
                          [(e["t0"], e["t1"], False) for e in scrolls if e["el"] == el])
            pieces, s, lag = [], a, False
            for c0, c1, ty in cuts:
                if c1 <= s or c0 >= b:
                    continue
                if c0 > s:
                    pieces.append((s, c0, lag))
                s, lag = max(s, c1), ty
            if s < b:
                pieces.append((s, b, lag))
            tog = self.toggles.get(el, [])
            for p0, p1, lag in pieces:
                if lag:     # after typing: from idle_caret_lag_s on, or from the first blink / vanish if sooner
                    p0 = min(p0 + P.idle_caret_lag_s, min((t for t in tog if p0 <= t <= p1), default=p1))
                if p1 - p0 >= P.idle_caret_min_s - 1e-6 or any(p0 <= t <= p1 for t in tog):
                    x, y, w, h = box
                    out.append({"t0": round(p0, 3), "t1": round(p1, 3), "kind": "ambient",
                                "bbox": self.clip([x - 8, y, w + 16, h]), "name": "idle caret"})
        return out

    def _focus(self, events, dur):
        full = [0.0, 0.0, float(self.w), float(self.h)]
        trans = sorted([e for e in events if e["kind"] in TRANSIENT], key=lambda e: e["t0"])
        pers = sorted([e for e in events if e["kind"] in ("typing", "scroll")],
                      key=lambda e: (e["t0"], e["kind"] == "typing"))
        pt = [e["t0"] for e in pers]
        meaningful = min((e["t0"] for e in events if e["kind"] != "ambient"), default=None)
        out, act, nxt = [], [], 0
        for k in range(int(round(dur * 10)) + 1):
            t = round(k / 10, 1)
            while nxt < len(trans) and trans[nxt]["t0"] <= t + 1e-9:
                act.append(trans[nxt])
                nxt += 1
            act = [e for e in act if t < e["t1"]]
            cands = [(e["t0"], 1, e["bbox"]) for e in act
                     if not any(o is not e and inside(e["bbox"], o["bbox"]) and o["t0"] <= e["t0"] for o in act)]
            j = bisect.bisect_right(pt, t + 1e-9) - 1
            if j >= 0:
                e = pers[j]
                if e["kind"] == "typing":
                    cs = e["_carets"]
                    i = max(0, bisect.bisect_right([c["t"] for c in cs], t + 1e-9) - 1)
                    cands.append((e["t0"], 0, cs[i]["ctx"]))
                else:
                    cands.append((e["t0"], 0, e["bbox"]))
            if cands:
                box = max(cands, key=lambda c: (c[0], c[1]))[2]
            elif meaningful is not None and meaningful <= t + 1e-9:
                box = full
            else:
                box = None
            out.append({"t": t, "bbox": None if box is None else r1(box)})
        return out

    def retime(self, f) -> None:
        """Map every logged time through f (simulation time -> video time)."""
        for c in self.carets:
            c["t"] = round(f(c["t"]), 3)
        for sp in self.spans:
            sp[1], sp[2] = f(sp[1]), None if sp[2] is None else f(sp[2])
        self.toggles = {el: [f(t) for t in ts] for el, ts in self.toggles.items()}
        self.ticks = {el: [(f(t), vp) for t, vp in ts] for el, ts in self.ticks.items()}
        for e in self.events:
            e["t0"] = round(f(e["t0"]), 3)
            if e["t1"] is not None:
                e["t1"] = round(f(e["t1"]), 3)

    def build(self, dur: float, source: dict, fps=None, time_map=None, offset=(0, 0), size=None) -> dict:
        """The truth dict: times mapped by time_map (None: the simulation's own), boxes shifted by offset,
        width and height the video's `size` (default the screen's), fps the clip's frame rate."""
        if time_map is not None:
            self.retime(time_map)
        out = self._build(dur, source)
        ox, oy = offset
        if ox or oy:
            sh = lambda b: None if b is None else [round(b[0] + ox, 1), round(b[1] + oy, 1), b[2], b[3]]
            for e in out["events"]:
                e["bbox"] = sh(e["bbox"])
            for f in out["focus"]:
                f["bbox"] = sh(f["bbox"])
            for c in out["caret"]:
                c["bbox"], c["line"] = sh(c["bbox"]), sh(c["line"])
        if size is not None:
            out["width"], out["height"] = size
        if fps is not None:
            out["fps"] = fps
        return out

    def _build(self, dur: float, source: dict) -> dict:
        for e in self.events:
            if e["t1"] is None or e["t1"] > dur:
                e["t1"] = round(dur, 3)
        typing = self._typing(dur)
        scrolls = self._scrolls()
        idle = self._idle(typing, scrolls, dur)
        evs = sorted(self.events + typing + scrolls + idle, key=lambda e: (e["t0"], e["kind"]))
        focus = self._focus(evs, dur)
        for e in evs:
            e.pop("_carets", None)
            e["bbox"] = r1(e["bbox"])
        carets = [{"t": c["t"], "bbox": c["bbox"], "line": c["line"], "key": c["key"]} for c in self.carets]
        return {"video": self.video, "width": self.w, "height": self.h, "fps": self.P.fps,
                "duration": round(dur, 3), "events": evs, "focus": focus, "caret": carets, "source": source}
