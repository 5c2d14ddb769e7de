"""Per-frame labels beside each clip: NAME.labels.npz, one row per encoded frame (np.savez's format, no pickle).

    t              (N,) float64   presentation time of the frame, s
    caret          (N, 4) float32 [x, y, w, h] of the caret as drawn in that frame, video px; zeros when no
                                  caret shows (blinked off, hidden, covered by a popup)
    caret_style    (N,) uint8     0 none, 1 bar, 2 block, 3 underline
    pointer        (N, 6) float32 [hot_x, hot_y, x, y, w, h]: the pointer's hotspot (its click point) and the
                                  box of its drawn pixels (shadow included), video px; zeros when none shows
    pointer_style  (N,) uint8     0 none, 1 arrow, 2 I-beam, 3 hand
    typing         (N,) bool      the frame is inside a truth typing event [t0, t1]
    focus          (N, 4) float32 the truth focus box at that time (the 10 Hz track, latest sample <= t);
                                  zeros when null
    changed        (N,) bool      the frame's pixels differ from the previous encoded frame (false for repeats)
    meta           uint8          the bytes of a JSON dict: width, height, fps, frames, duration, the style
"""
from __future__ import annotations

import bisect
import json
import zipfile

import numpy as np

CARET_STYLES = {"none": 0, "bar": 1, "block": 2, "underline": 3}
POINTER_STYLES = {"none": 0, "arrow": 1, "ibeam": 2, "hand": 3}
NONE = ((0.0,) * 4, 0, (0.0,) * 6, 0)      # a frame's labels without caret or pointer


class Labels:
    def __init__(self, offset=(0, 0)):
        self.ox, self.oy = offset
        self.t, self.changed, self.caret, self.cstyle, self.pointer, self.pstyle = [], [], [], [], [], []

    def add(self, t: float, changed: bool, state) -> None:
        """state: (caret box, caret style, (hot_x, hot_y, x, y, w, h), pointer style) in screen px or None."""
        caret, cs, ptr, ps = state or NONE
        ox, oy = self.ox, self.oy
        self.t.append(t)
        self.changed.append(bool(changed))
        self.caret.append((caret[0] + ox, caret[1] + oy, caret[2], caret[3]) if cs else (0.0,) * 4)
        self.cstyle.append(cs)
        self.pointer.append((ptr[0] + ox, ptr[1] + oy, ptr[2] + ox, ptr[3] + oy, ptr[4], ptr[5]) if ps else (0.0,) * 6)
        self.pstyle.append(ps)

    def arrays(self, truth: dict) -> dict:
        t = np.asarray(self.t, np.float64)
        typing = np.zeros(len(t), bool)
        for e in truth["events"]:
            if e["kind"] == "typing":
                typing |= (t >= e["t0"] - 1e-6) & (t <= e["t1"] + 1e-6)
        ft = [f["t"] for f in truth["focus"]]
        focus = np.zeros((len(t), 4), np.float32)
        for k, tk in enumerate(t):
            j = bisect.bisect_right(ft, tk + 1e-6) - 1
            if j >= 0 and truth["focus"][j]["bbox"] is not None:
                focus[k] = truth["focus"][j]["bbox"]
        return {"t": t, "caret": np.asarray(self.caret, np.float32).reshape(-1, 4),
                "caret_style": np.asarray(self.cstyle, np.uint8),
                "pointer": np.asarray(self.pointer, np.float32).reshape(-1, 6),
                "pointer_style": np.asarray(self.pstyle, np.uint8), "typing": typing, "focus": focus,
                "changed": np.asarray(self.changed, bool)}

    def write(self, path, truth: dict, meta: dict) -> None:
        arrays = self.arrays(truth)
        meta = dict(meta, frames=len(self.t))
        arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8)
        savez(path, arrays)


def savez(path, arrays: dict) -> None:
    """What np.savez writes (one NAME.npy per array in an uncompressed zip, no pickle), with every entry's time
    fixed: np.savez stamps the current time, and the same clip must give the same bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, arr in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            with z.open(info, "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.asanyarray(arr), allow_pickle=False)


def load(path) -> dict:
    """The labels of a clip as arrays, `meta` decoded to a dict."""
    with np.load(path, allow_pickle=False) as z:
        out = {k: z[k] for k in z.files}
    out["meta"] = json.loads(out["meta"].tobytes().decode())
    return out
