"""What made an output: the tool's version and a hash of the resolved config that decides the outputs.

Written into segments.json and camera.json (a `made_by` block) and used by `batch` to decide whether a done
input must be redone. Nothing here varies between runs of the same config (no time, no host, no absolute path).
"""
from __future__ import annotations

import hashlib
import json

# settings that change only how a run goes (where, how fast, what it prints), never an output
NOT_HASHED = ("batch", "preview", "analysis.progress", "analysis.torch_threads", "analysis.threads", "analysis.prefetch",
              "analysis.batch")


def version() -> str:
    from . import __version__
    return __version__


def hashed_config(cfg, render: bool) -> dict:
    """The part of a resolved config that decides the outputs, as plain values, with the render flag."""
    from omegaconf import OmegaConf

    c = OmegaConf.to_container(cfg, resolve=True)
    for dotted in NOT_HASHED:
        *parents, last = dotted.split(".")
        node = c
        for p in parents:
            node = node.get(p, {})
        node.pop(last, None)
    return {"config": c, "render": bool(render)}


def config_hash(hashed: dict) -> str:
    return hashlib.sha256(json.dumps(hashed, sort_keys=True).encode()).hexdigest()


def made_by(cfg) -> dict:
    """The block the analysis outputs carry: tool version and the analysis config's hash (the same hash as a
    `batch` without --render records for that input; `screendirector config KEY=VALUE...` shows the config)."""
    return {"tool": "screendirector", "version": version(), "config_hash": config_hash(hashed_config(cfg, False))}
