"""Looks: where each output frame's four corners come from in the source, for ffmpeg's `perspective` filter.

`perspective` (sense=source) maps four source points to the corners of its output, in pixel-index
coordinates: output column x samples source column x0 + x * (x1 - x0) / W on the top edge. The camera's
windows are in pixel-edge coordinates, so a flat window [x, y, w, h] becomes corners shifted by half a pixel
of the zoom: (w / W - 1) / 2.

flat: the camera window, scaled to the output size.
tilt: the camera window as a W x H view, padded onto a larger black canvas, seen through a static
  perspective and scaled: the user's "cinematic tilt" chain, given for a 1080x1920 view in configs/look/tilt.yaml
  and scaled to other view sizes. Both maps are projective, so they compose into one perspective on the
  source; the canvas's black is laid over afterwards as a fixed mask (the tilt chain run once on white).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from omegaconf import DictConfig

from .expressions import number


@dataclass(frozen=True)
class Tilt:
    view: tuple[int, int]        # the camera view the tilt is applied to (px): the camera's output size
    canvas: tuple[int, int]      # padded canvas (px)
    offset: tuple[float, float]  # where the view sits on the canvas (px)
    corners: np.ndarray          # (4, 2) canvas points mapped to the output's corners (TL, TR, BL, BR)
    out: tuple[int, int]         # final output size (px, even)


def tilt_for(look: DictConfig, view: tuple[int, int]) -> Tilt:
    """The configured tilt (given for look.ref_size) scaled to a view of another size."""
    rw, rh = look.ref_size
    sx, sy = view[0] / rw, view[1] / rh
    cw, ch = round(look.canvas[0] * sx), round(look.canvas[1] * sy)
    corners = np.array(look.corners, dtype=np.float64).reshape(4, 2) * (sx, sy)
    ow, oh = _even(look.out_size[0] * sx), _even(look.out_size[1] * sy)
    # where ffmpeg's pad=...:(ow-iw)/2:(oh-ih)/2 puts the view: whole pixels, even on 4:2:0
    offset = (float((cw - view[0]) // 2 // 2 * 2), float((ch - view[1]) // 2 // 2 * 2))
    return Tilt(view, (cw, ch), offset, corners, (ow, oh))


def _even(v: float) -> int:
    return max(2, int(round(v / 2)) * 2)


def view_to_source(frames: np.ndarray, view: tuple[int, int], pts: np.ndarray) -> np.ndarray:
    """(n, K, 2) source points (pixel-index coordinates, as `perspective` reads them) shown at view points
    `pts` (K, 2) by each camera row [t, x, y, w, h, tilt]: pixel centres onto pixel centres, and a tilt of
    theta degrees seen as the screen leaning back by theta about its middle row, from one view height away."""
    vw, vh = float(view[0]), float(view[1])
    x, y, w, h, tilt = (frames[:, k, None] for k in range(1, 6))
    cx = pts[None, :, 0] + 0.5 - vw / 2                # view point from the view's centre (view px)
    cy = pts[None, :, 1] + 0.5 - vh / 2
    th = np.radians(tilt)
    if np.any(th != 0):                                 # invert the pinhole view of the leaning plane
        d = vh
        cy = cy * d / (d * np.cos(th) - cy * np.sin(th))
        cx = cx * (d + cy * np.sin(th)) / d
    sx = x + (cx + vw / 2) * (w / vw) - 0.5
    sy = y + (cy + vh / 2) * (h / vh) - 0.5
    return np.stack([sx, sy], axis=2)


def flat_corners(frames: np.ndarray, view: tuple[int, int]) -> np.ndarray:
    """(n, 8) perspective corners x0 y0 x1 y1 x2 y2 x3 y3 showing each window on a view of this size."""
    vw, vh = view
    pts = np.array([[0, 0], [vw, 0], [0, vh], [vw, vh]], dtype=np.float64)
    return view_to_source(frames, view, pts).reshape(len(frames), 8)


def tilt_corners(frames: np.ndarray, tilt: Tilt) -> np.ndarray:
    """(n, 8) corners of the composed map: output corner k shows canvas point P_k, which is view point
    P_k - offset, which the camera shows from the source."""
    pts = tilt.corners - np.array(tilt.offset)
    return view_to_source(frames, tilt.view, pts).reshape(len(frames), 8)


def static_tilt_chain(tilt: Tilt, interpolation: str, scale_flags: str) -> str:
    """The user's static tilt as a filter chain on a view-sized input: pad, perspective, scale."""
    c = tilt.corners
    pts = ":".join(f"x{k}={number(c[k, 0])}:y{k}={number(c[k, 1])}" for k in range(4))
    return (f"pad={tilt.canvas[0]}:{tilt.canvas[1]}:(ow-iw)/2:(oh-ih)/2:black,"
            f"perspective={pts}:interpolation={interpolation},"
            f"scale={tilt.out[0]}:{tilt.out[1]}:flags={scale_flags}")
