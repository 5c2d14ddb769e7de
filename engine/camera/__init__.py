"""camera: Timeline -> smooth per-frame window (CameraTrack)."""
from .track import CameraTrack


def __getattr__(name):
    if name == "plan":          # loads the director (and torch) only when planning: reading tracks stays light
        from .planner import plan
        return plan
    raise AttributeError(f"module 'engine.camera' has no attribute '{name}'")

__all__ = ["plan", "CameraTrack"]
