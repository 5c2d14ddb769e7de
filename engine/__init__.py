"""screendirector's engine: direct a screen recording from its pixels.

    import engine
    r = engine.analyze("rec.mp4", director__min_window=0.4)      # or overrides=["director.min_window=0.4"]
    r.features, r.timeline, r.camera

The stages can be called one by one: engine.media.probe / decode_luma, engine.features.extract / fuse,
engine.director.direct, engine.camera.plan (see engine.pipeline for the order).
"""
from __future__ import annotations

from . import camera, director, features, media
from .config import load_config, overrides_from_kwargs
from .errors import UserError
from .pipeline import Result, run

__version__ = "0.1.0"


def analyze(path=None, output_prefix=None, overrides=(), features_path=None, write=None, **kwargs) -> Result:
    """Analyse a recording: features -> timeline -> camera track. Writes the three files when output_prefix
    is given (or write=True: beside the input as NAME.director.*)."""
    cfg = load_config(list(overrides) + overrides_from_kwargs(**kwargs))
    if write is None:
        write = output_prefix is not None
    return run(path, cfg, output_prefix=output_prefix, features_path=features_path, write=write)


__all__ = ["analyze", "load_config", "run", "Result", "UserError", "media", "features", "director", "camera"]
