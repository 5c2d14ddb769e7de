"""The timeline PNG: the shots as coloured bands, the camera's zoom and pan over time, and what was detected when
(caret, pointer, change, scrolling, regions), one shared time axis. matplotlib with the Agg backend (no display)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from omegaconf import DictConfig

from ..features.types import Features
from ..io import atomic_path
from .overlay import Drawn

MODE_COLORS = {"wide": "#d9d9d9", "focus_in": "#9ecae1", "hold": "#74c476", "release": "#fdae6b"}


def _runs(on: np.ndarray, times: np.ndarray, step: float) -> list[tuple[float, float]]:
    """(start, length) of each run of True in `on`, in seconds, for broken_barh."""
    if not on.any():
        return []
    d = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return [(float(times[a]), float(times[b - 1] - times[a] + step)) for a, b in zip(starts, ends)]


def timeline_png(path: str | Path, drawn: Drawn, fused: Features, cfg: DictConfig, title: str) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    tr, tl = drawn.track, drawn.timeline
    rows = tr.frames
    t = rows[:, 0]
    fig, (ax_shot, ax_zoom, ax_pan, ax_ev) = plt.subplots(
        4, 1, sharex=True, figsize=tuple(cfg.preview.timeline_size), dpi=100,
        gridspec_kw={"height_ratios": [1.1, 1.4, 1.4, 1.8]})
    end = max(float(tl.duration), float(t[-1]) if len(t) else 0.0)

    # the shots: a band per segment, coloured by mode; each hold says why
    for k, s in enumerate(tl.segments):
        ax_shot.axvspan(s.t0, s.t1, color=MODE_COLORS.get(s.mode, "white"), lw=0)
        if s.mode == "hold" and k > 0 and tl.segments[k - 1].mode == "focus_in":   # what the camera holds on
            ax_shot.text((s.t0 + s.t1) / 2, 0.35, tl.segments[k - 1].reason, ha="center", va="center", fontsize=7,
                         clip_on=True)
    ax_shot.set_yticks([])
    ax_shot.set_ylabel("shots")
    ax_shot.legend(handles=[Patch(color=c, label=m) for m, c in MODE_COLORS.items()], loc="upper right",
                   ncol=4, fontsize=7, framealpha=0.9)
    ax_shot.set_title(title, fontsize=10)

    # zoom: the source's width over the window's (1 = the whole frame)
    ax_zoom.plot(t, tr.zoom(), color="#08519c", lw=1.2)
    ax_zoom.set_ylabel("zoom (x)")
    ax_zoom.set_ylim(bottom=0.95)
    ax_zoom.grid(alpha=0.3)

    # pan: the window's centre, as share of the frame (0 = left / top edge)
    ax_pan.plot(t, (rows[:, 1] + rows[:, 3] / 2) / tr.width, color="#e6550d", lw=1.2, label="centre x")
    ax_pan.plot(t, (rows[:, 2] + rows[:, 4] / 2) / tr.height, color="#756bb1", lw=1.2, label="centre y")
    ax_pan.set_ylim(0, 1)
    ax_pan.invert_yaxis()
    ax_pan.set_ylabel("window centre\n(share of frame)")
    ax_pan.legend(loc="upper right", fontsize=7, ncol=2)
    ax_pan.grid(alpha=0.3)

    # what was detected: a lane per event, a bar where it was seen; the change share as a line beneath
    at = drawn.times
    step = float(np.median(np.diff(at))) if len(at) > 1 else 1.0 / 15
    lanes = [("caret", drawn.caret[:, 4] > 0, "#00b4d8"),
             ("pointer", drawn.pointer[:, 2] >= drawn.pointer_min, "#d6249f"),
             ("scrolling", np.asarray(fused.scrolling, bool), "#31a354"),
             ("fast change", drawn.regions[:, :, 4].max(1) > 0, "#ff8c00"),
             ("slow change", drawn.slow[:, :, 4].max(1) > 0, "#a050ff")]
    for k, (name, on, color) in enumerate(lanes):
        ax_ev.broken_barh(_runs(on, at, step), (k + 1.15, 0.7), color=color)
    change = np.asarray(fused.raw.change, float)
    top = max(float(change.max()), 1e-6) if len(change) else 1.0
    ax_ev.fill_between(at, 0, 0.9 * change / top, color="#636363", lw=0, step="post")
    ax_ev.set_yticks([0.45] + [k + 1.5 for k in range(len(lanes))],
                     [f"change (max {100 * top:.0f}%)"] + [n for n, _, _ in lanes], fontsize=8)
    ax_ev.set_ylim(0, len(lanes) + 1)
    ax_ev.set_xlabel("time (s)")
    ax_ev.set_xlim(0, end)
    ax_ev.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return Path(path)
