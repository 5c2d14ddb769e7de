"""camera: Timeline -> smooth per-frame window (CameraTrack)."""
from .plan import plan
from .track import CameraTrack

__all__ = ["plan", "CameraTrack"]
