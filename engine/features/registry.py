"""Detectors by name: `@register` on a Detector class; the config's `features.detectors` lists which run.
Light to import (no torch): the config checks names against it."""
from __future__ import annotations

from ..errors import ConfigError

_REGISTRY: dict[str, type] = {}
# module that registers each built-in detector (imported when first named: the model loads its weights)
BUILTIN = {"change": ".change", "caret_heuristic": ".caret", "scroll": ".scroll", "layout": ".layout",
           "model": ".learned", "control": ".control"}


def register(cls):
    _REGISTRY[cls.name] = cls
    return cls


def names() -> list[str]:
    return sorted(set(_REGISTRY) | set(BUILTIN))


def build(names_: list[str], stream) -> list:
    """The detectors the config lists, in that order; one output name may come from one detector only."""
    import importlib

    out, seen = [], {}
    for n in names_:
        if n not in _REGISTRY and n in BUILTIN:
            importlib.import_module(BUILTIN[n], __package__)
        if n not in _REGISTRY:
            raise ConfigError(f"unknown detector '{n}' (known: {', '.join(names())})")
        d = _REGISTRY[n](stream)
        missing = [x for x in d.needs if x not in seen]
        if missing:
            raise ConfigError(f"detector '{n}' reads {', '.join(missing)}: list a detector that writes it before '{n}'")
        for o in d.outputs():
            if o.name in seen:
                raise ConfigError(f"detectors '{seen[o.name]}' and '{n}' both write '{o.name}': list one of them")
            seen[o.name] = n
        out.append(d)
    return out


def version_of(name: str) -> int | None:
    import importlib

    if name not in _REGISTRY and name in BUILTIN:
        importlib.import_module(BUILTIN[name], __package__)
    cls = _REGISTRY.get(name)
    return cls.version if cls else None
