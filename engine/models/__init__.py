"""models: the learned caret / pointer / saliency detector (ScreenModel), its training and its evaluation.

The network looks only at tiles where the picture changed (and where the caret and pointer were), so it costs
little per frame; see screen.py for the inference API, train.py for `python -m engine.models.train`."""
from .config import ModelConfig
from .screen import ScreenModel

__all__ = ["ModelConfig", "ScreenModel"]
