"""The camera's value: a CameraTrack, one window per output frame, written as camera.json."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CAMERA_VERSION = 1


@dataclass
class CameraTrack:
    width: int                  # source frame (px)
    height: int
    fps: float                  # output frame rate (frames/s)
    out_width: int              # output frame (px)
    out_height: int
    frames: np.ndarray          # (M, 6) float64 [t, x, y, w, h, tilt] per output frame (source px, degrees)

    def to_dict(self, decimals: int = 3) -> dict:
        r = np.round(self.frames, decimals)
        rows = [[float(v) for v in row] for row in r]
        return {"version": CAMERA_VERSION, "width": self.width, "height": self.height,
                "fps": round(float(self.fps), 6), "output": {"width": self.out_width, "height": self.out_height},
                "frames": rows}

    def zoom(self) -> np.ndarray:
        """Linear zoom of each frame: sqrt(source area / window area)."""
        return np.sqrt(self.width * self.height / np.maximum(1.0, self.frames[:, 3] * self.frames[:, 4]))
