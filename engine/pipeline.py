"""One way through: probe -> decode -> features -> director -> camera, and the files each run writes."""
from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from omegaconf import DictConfig

from . import camera, director, features, media
from .config import load_config, output_fps, output_size
from .errors import OutputUnwritable
from .io import check_writable, write_json
from .provenance import made_by

log = logging.getLogger(__name__)


@dataclass
class Result:
    features: features.Features
    timeline: director.Timeline
    camera: camera.CameraTrack
    outputs: dict            # name -> path written ({} when nothing was written)
    seconds: dict            # stage -> wall seconds
    config: DictConfig

    def summary(self) -> str:
        m = self.features.meta
        dur = float(m["duration"])
        zoomed = float((self.camera.zoom() > 1.15).mean()) if len(self.camera.frames) else 0.0
        shots = 1 + sum(1 for s in self.timeline.segments if s.mode in ("focus_in", "release"))
        spent = sum(self.seconds.values())
        speed = f", analysis {dur / spent:.1f}x real time" if spent > 0 else ""
        return (f"{Path(m['video']).name}: {dur:.1f} s, {m['width']}x{m['height']} @ {m.get('source_fps', m['fps']):.3g} fps, "
                f"{shots} shots, zoomed in {100 * zoomed:.0f}% of the time{speed}")


def output_paths(prefix: str | Path) -> dict:
    p = str(prefix)
    return {k: Path(f"{p}.{k}.{ext}") for k, ext in (("segments", "json"), ("camera", "json"), ("features", "npz"))}


def default_prefix(video: str | Path) -> Path:
    v = Path(video)
    return v.with_name(v.stem + ".director")


def _progress(cfg: DictConfig, total: int, desc: str):
    flag = str(cfg.analysis.progress).lower()
    show = sys.stderr.isatty() if flag == "auto" else flag == "true"
    if not show:
        return None
    from tqdm import tqdm
    return tqdm(total=total or None, unit="frame", desc=desc, file=sys.stderr, dynamic_ncols=True, leave=False)


def decode(info: media.VideoInfo, cfg: DictConfig):
    """The recording's analysis frames, batch after batch, as the `analysis` config asks."""
    return media.decode_luma(info, media.DecodeSettings.from_config(cfg))


def extract_features(path: str | Path, cfg: DictConfig) -> features.RawFeatures:
    """Probe and decode the recording, streaming its frames through the detectors."""
    info = media.probe(path)
    log.debug("probed %s", info)
    a = cfg.analysis
    rate = media.grid_rate(info.fps, a.fps)
    total = int(round(info.duration * rate)) if a.fps > 0 or not info.frames else info.frames
    bar = _progress(cfg, total, "analysing")
    try:
        with _detector_threads(cfg):
            return features.extract(decode(info, cfg), info, cfg,
                                    on_batch=(lambda n, t: bar.update(n)) if bar else None)
    finally:
        if bar:
            bar.close()


@contextmanager
def _detector_threads(cfg: DictConfig):
    """While the decoder's threads run, the CPU detectors use only the cores they leave: torch's threads
    spin while they wait, so more threads than free cores slow the decoder and the detectors alike."""
    import torch

    a = cfg.analysis
    if torch.device(a.device).type != "cpu":
        yield
        return
    n = a.torch_threads
    if n == "auto":
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        n = max(1, cores - (a.threads or cores))
    before = torch.get_num_threads()
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def direct_and_plan(raw: features.RawFeatures, cfg: DictConfig, seconds: dict):
    t = time.perf_counter()
    fused = features.fuse(raw, cfg)
    seconds["fuse"] = time.perf_counter() - t
    m = raw.meta
    size = output_size(cfg, int(m["width"]), int(m["height"]))
    src_fps = float(m.get("source_fps", m["fps"]))                 # meta fps is the analysis rate
    t = time.perf_counter()
    timeline = director.direct(fused, cfg, size[0] / size[1])
    timeline.source_fps, timeline.output = src_fps, (size[0], size[1], output_fps(cfg, src_fps))
    # the camera plans from the EDL as written (rounded), so `plan` on the saved file gives the same track
    timeline = director.Timeline.from_dict(timeline.to_dict(int(cfg.camera.decimals)))
    timeline.video = str(m["video"])
    seconds["director"] = time.perf_counter() - t
    t = time.perf_counter()
    track = camera.plan(timeline, cfg)
    seconds["camera"] = time.perf_counter() - t
    return fused, timeline, track


def plan_segments(segments_path: str | Path, cfg: DictConfig, overrides: list[str] = (),
                  output_prefix: str | Path | None = None) -> tuple[director.Timeline, camera.CameraTrack, Path | None]:
    """The camera track from an EDL alone (no video, no features): output size and rate as the EDL records
    them, unless `output.size` / `output.fps` is among the overrides (a size must keep the EDL's aspect, which
    its windows were framed for). Writes PREFIX.camera.json when a prefix is given."""
    from .errors import ConfigError

    timeline = director.load(segments_path)
    w, h, fps = timeline.output
    given = {o.split("=", 1)[0].strip().lstrip("+~") for o in overrides}
    if "output.size" in given:
        nw, nh = output_size(cfg, timeline.width, timeline.height)
        if abs(nw / nh - w / h) > 0.01 * (w / h):
            raise ConfigError(f"output.size={nw}x{nh} has another aspect than the {w}x{h} the EDL's windows were "
                              "framed for: analyze again with that size")
        w, h = nw, nh
    if "output.fps" in given:
        fps = output_fps(cfg, timeline.source_fps or fps)
    timeline.output = (w, h, fps)
    track = camera.plan(timeline, cfg)
    path = None
    if output_prefix is not None:
        path = output_paths(output_prefix)["camera"]
        check_writable(path)
        # what made this camera: the tool and config that planned it (the same stamp analyze writes)
        write_json(path, {**track.to_dict(int(cfg.camera.decimals)), "made_by": made_by(cfg)}, compact_rows=True)
    return timeline, track, path


def run(video: str | Path | None = None, cfg: DictConfig | None = None, output_prefix: str | Path | None = None,
        features_path: str | Path | None = None, write: bool = True) -> Result:
    """Analyse a recording (or re-direct saved features) and write segments/camera/features atomically."""
    cfg = cfg if cfg is not None else load_config()
    seconds: dict = {}
    prefix = Path(output_prefix) if output_prefix else None
    if write:
        if prefix is None:
            prefix = default_prefix(video if video is not None else str(features_path).removesuffix(".features.npz"))
        paths = output_paths(prefix)
        check_writable(paths["camera"])
        if video is not None and any(Path(video).resolve() == p.resolve() for p in paths.values()):
            raise OutputUnwritable(f"output would overwrite the input: {video}")
    t = time.perf_counter()
    if features_path is not None:
        raw = features.RawFeatures.load(features_path)
    else:
        raw = extract_features(video, cfg)
    seconds["decode+features"] = time.perf_counter() - t
    fused, timeline, track = direct_and_plan(raw, cfg, seconds)
    outputs = {}
    if write:
        dec = int(cfg.camera.decimals)
        if features_path is None or Path(features_path).resolve() != paths["features"].resolve():
            raw.save(paths["features"])
            outputs["features"] = paths["features"]
        stamp = {"made_by": made_by(cfg)}
        write_json(paths["segments"], {**timeline.to_dict(dec), **stamp})
        write_json(paths["camera"], {**track.to_dict(dec), **stamp}, compact_rows=True)
        outputs["segments"], outputs["camera"] = paths["segments"], paths["camera"]
    log.debug("seconds per stage: %s; wrote %s", {k: round(v, 3) for k, v in seconds.items()},
              ", ".join(map(str, outputs.values())) or "nothing")
    return Result(fused, timeline, track, outputs, seconds, cfg)
