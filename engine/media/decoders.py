"""Decoders by name. Each turns a probed recording into FrameBatches of analysis luma on its device, with
the frames' own timestamps; `analysis.decoder=auto` takes the first available in preference order.

A decoder is a class with a `name`, `available()` (can it run here: libraries, devices) and
`batches(info, settings)`. Register one with `@register`; `pyav` (CPU) is always there; `nvdec` (NVDEC through
PyNvVideoCodec, engine/media/nvdec.py) runs where analysis.device is a CUDA device and the library imports."""
from __future__ import annotations

from typing import Iterator

from ..errors import ConfigError

_DECODERS: dict[str, type] = {}
PREFERENCE: list[str] = []        # auto tries these in order (a GPU decoder registers itself in front)


def register(cls, prefer: bool = False):
    _DECODERS[cls.name] = cls
    if prefer:
        PREFERENCE.insert(0, cls.name)
    else:
        PREFERENCE.append(cls.name)
    return cls


# name -> module that registers it (imported on first use: it loads torch). nvdec imports PyNvVideoCodec only
# when asked whether it can run, and puts itself first for auto: auto picks it on a CUDA device with the library
BUILTIN = {"pyav": ".decode", "nvdec": ".nvdec"}


def names() -> list[str]:
    """Every decoder that can be named, without importing any of them."""
    return sorted(set(_DECODERS) | set(BUILTIN))


def get(name: str, device: str = "cpu"):
    """The decoder called `name` ('auto': the first available for `device`), ready to use."""
    _load_builtin()
    if name == "auto":
        for n in PREFERENCE:
            if _DECODERS[n].available(device):
                return _DECODERS[n]()
        raise ConfigError("no decoder can run here (PyAV missing?)")
    if name not in _DECODERS:
        raise ConfigError(f"unknown decoder '{name}' (known: auto, {', '.join(sorted(_DECODERS))})")
    if not _DECODERS[name].available(device):
        raise ConfigError(f"decoder '{name}' cannot run here ({_DECODERS[name].why_not(device)})")
    return _DECODERS[name]()


def decode_luma(info, settings) -> Iterator:
    """FrameBatch after FrameBatch of the recording, by the decoder the settings name."""
    return get(settings.decoder, settings.device).batches(info, settings)


def _load_builtin() -> None:
    import importlib
    for module in sorted(set(BUILTIN.values())):
        importlib.import_module(module, __package__)
