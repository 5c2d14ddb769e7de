"""features: batched tensor detectors (change, caret, scroll, layout, the learned model) and their fusion over
time. Submodules load on first use, so the config can check detector names without importing torch."""
__all__ = ["extract", "fuse", "Features", "RawFeatures"]


def __getattr__(name):
    if name == "extract":
        from .extraction import extract
        return extract
    if name == "fuse":
        from .fusion import fuse
        return fuse
    if name in ("Features", "RawFeatures"):
        from . import types
        return getattr(types, name)
    raise AttributeError(f"module 'engine.features' has no attribute '{name}'")
