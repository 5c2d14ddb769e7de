"""Hydra config: composed with the compose API so the command line, the working directory and the disk stay ours."""
from __future__ import annotations

import importlib.resources
import re
from pathlib import Path
from types import SimpleNamespace

from omegaconf import DictConfig, ListConfig, OmegaConf

from .errors import ConfigError


def config_dir() -> Path:
    """configs/ of a checkout, else the copy installed inside the package (engine.configs)."""
    checkout = Path(__file__).resolve().parent.parent / "configs"
    if (checkout / "config.yaml").is_file():
        return checkout
    installed = Path(str(importlib.resources.files("engine") / "configs"))
    if (installed / "config.yaml").is_file():
        return installed
    raise ConfigError("config files not found (expected configs/config.yaml in the checkout or the package)")


def load_config(overrides: list[str] | tuple[str, ...] = ()) -> DictConfig:
    """The resolved config with `key=value` overrides applied; unknown keys and bad values raise ConfigError."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    for o in overrides:
        if "=" not in o:
            raise ConfigError(f"override '{o}' is not key=value")
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base=None):
            cfg = compose(config_name="config", overrides=list(overrides))
    except (HydraException, OmegaConfBaseException) as e:
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        m = re.match(r"Could not override '([^']+)'", msg)
        if m:
            raise ConfigError(f"unknown config key '{m.group(1)}' (see `screendirector config`)") from None
        m = re.search(r"Could not (?:load|find) '([^/']+)/([^']+)'", msg)
        if m:
            raise ConfigError(f"unknown {m.group(1)} '{m.group(2)}'") from None
        raise ConfigError(f"bad override: {msg}") from None
    finally:
        GlobalHydra.instance().clear()
    OmegaConf.set_struct(cfg, True)
    validate(cfg)
    return cfg


def overrides_from_kwargs(**kwargs) -> list[str]:
    """engine.analyze(path, director__min_window=0.4) or {"director.min_window": 0.4} -> hydra overrides."""
    out = []
    for k, v in kwargs.items():
        key = k.replace("__", ".")
        if isinstance(v, (list, tuple)):
            v = "[" + ",".join(str(x) for x in v) + "]"
        out.append(f"{key}={v}")
    return out


def _check(ok: bool, key: str, why: str) -> None:
    if not ok:
        raise ConfigError(f"bad value for {key}: {why}")


def validate(cfg: DictConfig) -> None:
    """Range checks that hydra's types cannot express; each names the key."""
    a, f, d, c = cfg.analysis, cfg.features, cfg.director, cfg.camera
    num = (int, float)
    _check(isinstance(a.long_side, int) and 64 <= a.long_side <= 4096, "analysis.long_side", "an integer 64..4096")
    _check(isinstance(a.batch, int) and 1 <= a.batch <= 4096, "analysis.batch", "an integer 1..4096")
    _check(isinstance(a.threads, int) and a.threads >= 0, "analysis.threads", "an integer >= 0")
    _check(isinstance(a.prefetch, int) and a.prefetch >= 0, "analysis.prefetch", "an integer >= 0")
    _check(isinstance(a.fast_decode, bool), "analysis.fast_decode", "true or false")
    _check(isinstance(a.fps, num) and 0 <= a.fps <= 240, "analysis.fps", "a rate in [0, 240] frames/s (0 = every frame)")
    _check(a.torch_threads == "auto" or (isinstance(a.torch_threads, int) and a.torch_threads >= 1),
           "analysis.torch_threads", "auto or an integer >= 1")
    _check(isinstance(a.skip_nonref, bool), "analysis.skip_nonref", "true or false")
    _check(isinstance(a.nonref_check_s, num) and a.nonref_check_s >= 0, "analysis.nonref_check_s", "seconds >= 0")
    _check(str(a.progress).lower() in ("auto", "true", "false"), "analysis.progress", "auto, true or false")
    from .media.decoders import names
    _check(a.decoder == "auto" or a.decoder in names(), "analysis.decoder", f"auto or one of {', '.join(names())}")
    _check(isinstance(f.diff_threshold, num) and 0 < f.diff_threshold < 255, "features.diff_threshold", "a number in (0, 255)")
    _check(isinstance(f.dilate, int) and f.dilate >= 1 and f.dilate % 2 == 1, "features.dilate", "an odd integer >= 1")
    _check(isinstance(f.cell, int) and 2 <= f.cell <= 64, "features.cell", "an integer 2..64")
    _check(len(f.persist_lags_s) >= 1 and all(isinstance(x, num) and x > 0 for x in f.persist_lags_s),
           "features.persist_lags_s", "a list of positive seconds")
    if "model" in cfg:
        from dataclasses import fields

        from .models.config import GEOMETRY, ModelConfig
        known = {x.name for x in fields(ModelConfig)} - set(GEOMETRY)
        for key in cfg.model:
            _check(key in known, f"model.{key}", "not a setting of the learned detector (engine/models/config.py)")
        for key in ("settle_rounds", "settle_steps"):
            if key in cfg.model:
                _check(isinstance(cfg.model[key], int) and cfg.model[key] >= 1, f"model.{key}", "an integer >= 1")
    from .features.registry import names as detector_names
    known = detector_names()
    _check(isinstance(f.detectors, ListConfig) and all(isinstance(n, str) and n in known for n in f.detectors)
           and len(set(f.detectors)) == len(f.detectors), "features.detectors",
           f"a list of distinct detector names among {', '.join(known)}")
    _check("change" in f.detectors, "features.detectors", "the list must hold 'change' (the director reads it)")
    for key in ("caret_band_chunk", "fuse_chunk", "label_chunk"):
        _check(isinstance(f[key], int) and f[key] >= 1, f"features.{key}", "an integer >= 1")
    for key in ("cell_min", "ambient_duty", "scroll_min_gain", "scroll_min_change", "stick_whole_share"):
        _check(isinstance(f[key], num) and 0 <= f[key] <= 1, f"features.{key}", "a number in [0, 1]")
    for key in ("min_window", "visit_min_window"):
        _check(isinstance(d[key], num) and 0.35 <= d[key] <= 1, f"director.{key}",
               "a number in [0.35, 1]: a window tighter than 0.35 of the frame loses what is around its subject")
    for key in ("hold_s", "focus_in_s", "release_s", "typing_memory_s", "settle_s", "lead_s", "lead_in_s", "burst_gap_s",
                "min_burst_s", "big_gap_s", "lead_gap_s"):
        _check(isinstance(d[key], num) and d[key] >= 0, f"director.{key}", "a number of seconds >= 0")
    for key in ("big_change", "margin", "typing_max_density", "typing_max_h", "typing_max_w", "visit_max_area", "pad_frac"):
        _check(isinstance(d[key], num) and 0 <= d[key] <= 1, f"director.{key}", "a number in [0, 1]")
    for key in ("max_speed", "max_accel", "max_zoom_rate"):
        _check(isinstance(c[key], num) and c[key] > 0, f"camera.{key}", "a positive number")
    _check(isinstance(cfg.output.min_fps, (int, float)) and 1 <= cfg.output.min_fps <= 240, "output.min_fps",
           "a rate in [1, 240] frames/s")
    output_size(cfg, 16, 16)
    output_fps(cfg, 30.0)
    r = cfg.render
    _check(r.encoder in ("auto", "libx264", "h264_nvenc"), "render.encoder", "auto, libx264 or h264_nvenc")
    _check(isinstance(r.crf, num) and 0 <= r.crf <= 51, "render.crf", "a number in [0, 51]")
    _check(isinstance(r.nvenc_cq, int) and 0 <= r.nvenc_cq <= 51, "render.nvenc_cq", "an integer 0..51")
    _check(r.interpolation in ("linear", "cubic"), "render.interpolation", "linear or cubic")
    _check(isinstance(r.fit_tol_px, num) and 0 < r.fit_tol_px <= 1, "render.fit_tol_px", "a number of px in (0, 1]")
    _check(isinstance(r.fit_degree, int) and 0 <= r.fit_degree <= 5, "render.fit_degree", "an integer 0..5")
    _check(isinstance(r.threads, int) and r.threads >= 0, "render.threads", "an integer >= 0")
    _check(isinstance(r.chunk_s, num) and r.chunk_s > 0, "render.chunk_s", "a positive number of seconds")
    _check(isinstance(r.max_chunks, int) and r.max_chunks >= 1, "render.max_chunks", "an integer >= 1")
    _check(cfg.look.name in ("flat", "tilt", "tilt-follow"), "look", "flat, tilt or tilt-follow")
    if cfg.look.name == "tilt-follow":
        for key in ("focus_deg", "release_deg"):
            _check(isinstance(cfg.look[key], num) and 0 <= cfg.look[key] <= 15, f"look.{key}", "degrees in [0, 15]")
        _check(isinstance(cfg.look.flatten_s, num) and cfg.look.flatten_s > 0, "look.flatten_s", "seconds > 0")
    o = cfg.output
    _check(o.pad in ("blur", "color", "none"), "output.pad", "blur, color or none")
    _check(isinstance(o.pad_color, str) and o.pad_color.replace("_", "").replace("@", "").replace(".", "").isalnum(),
           "output.pad_color", "an ffmpeg colour: a name or 0xRRGGBB")
    _check(isinstance(o.pad_blur, num) and 0 <= o.pad_blur <= 0.2, "output.pad_blur", "a share of the canvas in [0, 0.2]")
    _check(isinstance(d.min_window_width, num) and 0 <= d.min_window_width <= 1, "director.min_window_width",
           "a share of the frame's width in [0, 1]")
    _check(isinstance(d.compose_snap, num) and 0 <= d.compose_snap <= 0.1, "director.compose_snap",
           "a share of the frame in [0, 0.1]")
    _check(isinstance(c.release_overshoot, num) and 0 <= c.release_overshoot <= 0.5, "camera.release_overshoot",
           "a share of the move in [0, 0.5]")
    if "preview" in cfg:
        p = cfg.preview
        _check(isinstance(p.height, int) and 16 <= p.height <= 8192, "preview.height", "an integer 16..8192 (px)")
        for key in ("line", "window_line", "text", "caret_pad", "pointer_size"):
            _check(isinstance(p[key], num) and 0 < p[key] <= 0.5, f"preview.{key}", "a share of the height in (0, 0.5]")
        _check(isinstance(p.crf, num) and 0 <= p.crf <= 51, "preview.crf", "a number in [0, 51]")
        for key, rgb in p.colors.items():
            _check(len(rgb) == 3 and all(isinstance(v, int) and 0 <= v <= 255 for v in rgb), f"preview.colors.{key}",
                   "three integers 0..255 (RGB)")
    b = cfg.batch
    _check(isinstance(b.workers, int) and b.workers >= 0, "batch.workers", "an integer >= 0 (0 = one per 2 cores)")
    _check(b.executor in ("local", "inline", "ray"), "batch.executor", "local, inline or ray")
    _check(b.ray_address is None or isinstance(b.ray_address, str), "batch.ray_address", "null or an address")
    _check(isinstance(b.ray_cpus_per_task, num) and b.ray_cpus_per_task > 0, "batch.ray_cpus_per_task", "a count > 0")
    _check(isinstance(b.ray_gpus_per_task, num) and b.ray_gpus_per_task >= 0, "batch.ray_gpus_per_task", "a count >= 0")
    _check(isinstance(b.rehash, bool), "batch.rehash", "true or false")


def output_size(cfg: DictConfig, src_w: int, src_h: int) -> tuple[int, int]:
    """output.size as (w, h): 'source' or 'WxH' with even, positive sides."""
    s = str(cfg.output.size).strip().lower()
    if s == "source":
        return src_w, src_h
    try:
        w, h = (int(v) for v in s.split("x"))
    except ValueError:
        raise ConfigError(f"bad value for output.size: '{cfg.output.size}' is not WxH (e.g. 1080x1920) or source") from None
    _check(16 <= w <= 8192 and 16 <= h <= 8192, "output.size", "each side 16..8192 px")
    return w, h


def output_fps(cfg: DictConfig, src_fps: float) -> float:
    s = str(cfg.output.fps).strip().lower()
    if s == "source":                  # a choppy capture (a GIF's 7 fps) is rendered smooth: each frame held
        return max(src_fps, float(cfg.output.min_fps))
    try:
        v = float(s)
    except ValueError:
        raise ConfigError(f"bad value for output.fps: '{cfg.output.fps}' is not a number or source") from None
    _check(0 < v <= 240, "output.fps", "a rate in (0, 240] frames/s")
    return v


def plain(node):
    """A config section as plain Python values (attribute access, lists, numbers): read once at a stage's
    start, so per-frame loops pay an attribute lookup, not OmegaConf's resolution, for each setting."""
    if isinstance(node, (DictConfig, ListConfig)):
        node = OmegaConf.to_container(node, resolve=True)
    if isinstance(node, dict):
        return SimpleNamespace(**{k: plain(v) for k, v in node.items()})
    if isinstance(node, (list, tuple)):
        return [plain(v) for v in node]
    return node

