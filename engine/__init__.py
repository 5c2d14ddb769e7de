"""screendirector's engine: direct a screen recording from its pixels.

    import engine
    r = engine.analyze("rec.mp4", director__min_window=0.6)     # or overrides=["director.min_window=0.6"]
    r.features, r.timeline, r.camera

The stages can be called one by one: engine.media.probe / decode_luma, engine.features.extract / fuse,
engine.director.direct, engine.camera.plan (engine.pipeline runs them in that order). Submodules load on
first use, so the command line answers --help without importing torch.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"
_LAZY = {"media", "features", "director", "camera", "render", "pipeline", "synth"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in ("load_config", "overrides_from_kwargs"):
        return getattr(importlib.import_module(".config", __name__), name)
    if name in ("Result", "run"):
        return getattr(importlib.import_module(".pipeline", __name__), name)
    if name == "UserError":
        from .errors import UserError
        return UserError
    raise AttributeError(f"module 'engine' has no attribute '{name}'")


def analyze(path=None, output_prefix=None, overrides=(), features_path=None, write=None, **kwargs):
    """Analyse a recording: features -> timeline -> camera track (an engine.pipeline.Result). Writes the
    three files when output_prefix is given (or write=True: beside the input as NAME.director.*)."""
    from .config import load_config, overrides_from_kwargs
    from .pipeline import run

    cfg = load_config(list(overrides) + overrides_from_kwargs(**kwargs))
    if write is None:
        write = output_prefix is not None
    return run(path, cfg, output_prefix=output_prefix, features_path=features_path, write=write)


__all__ = ["analyze", "load_config", "run", "Result", "UserError", "media", "features", "director", "camera"]
