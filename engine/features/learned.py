"""The `model` detector: the learned caret / pointer / saliency network (engine.models.ScreenModel) run on every
batch, its tracking state carried from batch to batch. Positions are written in source pixels."""
from __future__ import annotations

import logging
import math

from .detector import Detector, Frames, Output
from .registry import register

log = logging.getLogger(__name__)
_LOADED: dict = {}          # (device, settings) -> ScreenModel: the weights are read once per process


def screen_model(device, settings: dict):
    """The shipped model on `device`, deciding with `settings` (the `model` config section)."""
    from ..models import ScreenModel

    key = (str(device), tuple(sorted(settings.items())))
    if key not in _LOADED:
        _LOADED[key] = ScreenModel.load(device=device, **settings)
    return _LOADED[key]


@register
class Learned(Detector):
    name = "model"
    version = 3             # bump with the shipped weights or the tracking: features from another model are refused

    def __init__(self, stream):
        super().__init__(stream)
        self.model = screen_model(stream.device, stream.model)
        block = self.model.cfg.block
        self.sal_grid = (math.ceil(stream.h / block), math.ceil(stream.w / block))

    def outputs(self) -> list[Output]:
        return [Output("caret", (5,), "float32"), Output("pointer", (3,), "float32"),
                Output("saliency", self.sal_grid, "uint8", "sparse")]

    def start(self):
        return self.model.start(self.stream.h, self.stream.w)

    def run(self, fr: Frames, state):
        out = self.model.detect(fr.luma, fr.before, fr.act, fr.times, state)
        f = float(self.stream.factor)
        caret = out["caret"].clone()
        caret[:, :4] *= f
        pointer = out["pointer"].clone()
        pointer[:, :2] *= f
        return {"caret": caret, "pointer": pointer, "saliency": out["saliency"]}, state

    def finish(self, state, history):
        # on a GPU the tracker settles in a fixed number of rounds (models/screen.py, `_settle_fixed`): say when
        # a batch needed more, where its caret and pointer may differ from the CPU's (one value read, per stream)
        n = int(state.get("unsettled", 0))
        if n:
            cfg = self.model.cfg
            log.info("model: %d batch%s needed more than model.settle_rounds=%d / model.settle_steps=%d to "
                     "settle the caret and pointer tracking; raise them for the CPU's result", n,
                     "es" if n > 1 else "", cfg.settle_rounds, cfg.settle_steps)
        return {}
