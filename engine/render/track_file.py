"""Reading a camera.json back (ours or one a person edited) and checking that it fits the video."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from ..camera.track import CAMERA_VERSION, CameraTrack
from ..errors import BadCamera

ASPECT_TOL = 0.01      # a window's aspect may differ from the output's by this much (relative)
EDGE_TOL = 0.01        # a window may poke out of the frame by this much (source px), rounding in the file


def load_track(path: str | Path) -> CameraTrack:
    """Parse camera.json into a CameraTrack; any structural problem is a BadCamera naming the field."""
    p = Path(path)
    try:
        d = json.loads(p.read_text())
    except FileNotFoundError:
        raise BadCamera(f"camera track missing: {p}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadCamera(f"camera track {p} is not readable JSON ({e})") from None
    if not isinstance(d, dict):
        raise BadCamera(f"camera track {p}: expected a JSON object")
    if d.get("version") != CAMERA_VERSION:
        raise BadCamera(f"camera track {p}: field version is {d.get('version')!r}, this tool reads {CAMERA_VERSION}")
    for key in ("width", "height", "fps", "output", "frames"):
        if key not in d:
            raise BadCamera(f"camera track {p}: field {key} is missing")
    out = d["output"]
    try:
        W, H, fps = int(d["width"]), int(d["height"]), float(d["fps"])
        ow, oh = int(out["width"]), int(out["height"])
    except (TypeError, ValueError, KeyError) as e:
        raise BadCamera(f"camera track {p}: width, height, fps and output width/height must be numbers ({e})") from None
    if min(W, H, ow, oh) <= 0 or not (0 < fps <= 240):
        raise BadCamera(f"camera track {p}: sizes must be positive and fps in (0, 240]")
    rows = d["frames"]
    if not isinstance(rows, list) or not rows:
        raise BadCamera(f"camera track {p}: field frames must be a non-empty list")
    for i, r in enumerate(rows):
        if not isinstance(r, list) or len(r) != 6 or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in r):
            raise BadCamera(f"camera track {p}: frame {i}: expected [t, x, y, w, h, tilt] as 6 finite numbers")
    return CameraTrack(width=W, height=H, fps=fps, out_width=ow, out_height=oh,
                       frames=np.asarray(rows, dtype=np.float64))


def check_fits(track: CameraTrack, width: int, height: int, source: str = "camera track") -> None:
    """The track must be for a video of this (displayed) size, with windows inside the frame (or larger than it
    on an axis and covering it there: padded), of the output's aspect, in time order. The first problem found is raised, naming the frame and the field."""
    if (track.width, track.height) != (width, height):
        raise BadCamera(f"{source}: field width/height is {track.width}x{track.height}, the video is {width}x{height}")
    if track.out_width % 2 or track.out_height % 2:
        raise BadCamera(f"{source}: field output is {track.out_width}x{track.out_height}; H.264 needs even sizes")
    f = track.frames
    aspect = track.out_width / track.out_height
    t, x, y, w, h = f[:, 0], f[:, 1], f[:, 2], f[:, 3], f[:, 4]
    checks = [
        ("t", np.r_[False, np.diff(t) <= 0], "times must increase"),
        ("w", w < 1, "window narrower than 1 px"),
        ("h", h < 1, "window shorter than 1 px"),
        # a window larger than the frame on one axis (a fitted subject, padded) must cover it there
        ("x", np.where(w > width, x > EDGE_TOL, x < -EDGE_TOL), "window starts left of the frame"),
        ("y", np.where(h > height, y > EDGE_TOL, y < -EDGE_TOL), "window starts above the frame"),
        ("w", np.where(w > width, x + w < width - EDGE_TOL, x + w > width + EDGE_TOL),
         f"window ends right of the frame (x + w > {width})"),
        ("h", np.where(h > height, y + h < height - EDGE_TOL, y + h > height + EDGE_TOL),
         f"window ends below the frame (y + h > {height})"),
        ("h", np.abs(np.log(np.maximum(w, 1e-9) / np.maximum(h, 1e-9) / aspect)) > ASPECT_TOL,
         f"window aspect w/h differs from the output's {aspect:.4f}"),
    ]
    for field, bad, why in checks:
        idx = np.nonzero(bad)[0]
        if len(idx):
            i = int(idx[0])
            raise BadCamera(f"{source}: frame {i} field {field}: {why} "
                            f"(t={t[i]:.3f}, x={x[i]:.3f}, y={y[i]:.3f}, w={w[i]:.3f}, h={h[i]:.3f})")
