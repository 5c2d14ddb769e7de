"""models: the learned caret / pointer / saliency detector (ScreenModel), its training and its evaluation.

The network looks only at tiles where the picture changed (and where the caret and pointer were), so it costs
little per frame; see screen.py for the inference API, train.py for `python -m engine.models.train`."""
from .config import ModelConfig


def __getattr__(name):
    if name == "ScreenModel":             # loads torch: only when a model is used, not when the config is checked
        from .screen import ScreenModel
        return ScreenModel
    raise AttributeError(f"module 'engine.models' has no attribute '{name}'")

__all__ = ["ModelConfig", "ScreenModel"]
