"""features: batched tensor detectors (change, caret, scroll, layout) and their fusion over time."""
from .extract import extract
from .fuse import fuse
from .types import Features, RawFeatures

__all__ = ["extract", "fuse", "Features", "RawFeatures"]
