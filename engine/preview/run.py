"""`screendirector preview`: the recording with what the engine saw drawn on it | the directed video, side by
side in one ffmpeg encode, and the timeline PNG.

One ffmpeg run: the recording is split; one branch goes through the render's own filter graph (the directed
video, as `render` makes it), the other is resampled to the camera's rate like it and gets the drawn layer
(RGBA frames piped from here, one per camera frame) laid over it. Both are scaled to the preview's height,
numbered frame by frame (so camera frame k meets layer k and directed frame k) and stacked.
"""
from __future__ import annotations

import contextlib
import logging
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from omegaconf import DictConfig

from .. import director, features, media
from ..errors import BadFeatures, FfmpegFailed, InputMissing
from ..io import atomic_path
from ..media.ffmpeg import find_ffmpeg
from ..pipeline import output_paths, run
from ..render import check_fits, check_output, load_track
from ..render import command, encoders
from ..render.run import VIDEO_SUFFIXES, ffmpeg_said, progress_bar
from .overlay import Drawn, Painter
from .plot import timeline_png

log = logging.getLogger(__name__)


@dataclass
class PreviewResult:
    video: Path
    timeline: Path
    analysis: dict          # name -> path of the analysis outputs written ({} with --from)
    frames: int
    size: tuple[int, int]
    seconds: float

    def summary(self) -> str:
        return (f"preview {self.video.name}: {self.size[0]}x{self.size[1]}, {self.frames} frames, "
                f"{self.seconds:.1f} s; timeline {self.timeline.name}")


def default_output(video: str | Path) -> Path:
    v = Path(video)
    return v.with_name(v.stem + ".preview.mp4")


def timeline_path(out: str | Path) -> Path:
    o = Path(out).with_suffix("")
    return o.with_name(o.name + ".timeline.png")


def preview(video: str | Path, cfg: DictConfig, output: str | Path | None = None, from_prefix: str | Path | None = None,
            force: bool = False, show_progress: bool | None = None, say=lambda s: None) -> PreviewResult:
    """Analyse `video` (its outputs at OUT's prefix, as `direct` writes them) or read an earlier run's
    PREFIX.features.npz / .segments.json / .camera.json, then write OUT (the side-by-side video) and
    OUT.timeline.png. Raises UserError subclasses."""
    out = check_output(video, output or default_output(video), force)
    png = timeline_path(out)
    info = media.probe(video)
    t0 = time.perf_counter()
    written: dict = {}
    if from_prefix is not None:
        if Path(from_prefix).suffix.lower() in VIDEO_SUFFIXES:   # `direct -o out/rec.mp4` wrote out/rec.*
            from_prefix = Path(from_prefix).with_suffix("")
        paths = output_paths(from_prefix)
        for name, p in paths.items():
            if not p.is_file():
                raise InputMissing(f"--from {from_prefix}: {name} file not found: {p}")
        raw = features.RawFeatures.load(paths["features"])
        if (int(raw.meta["width"]), int(raw.meta["height"])) != info.display_size:
            raise BadFeatures(f"{paths['features']} is for a {raw.meta['width']}x{raw.meta['height']} video, "
                              f"{video} is {info.display_size[0]}x{info.display_size[1]}")
        fused = features.fuse(raw, cfg)
        timeline = director.load(paths["segments"])
        camera_path = paths["camera"]
    else:
        result = run(video, cfg, output_prefix=out.with_suffix(""))
        say(result.summary() + f" ({time.perf_counter() - t0:.2f} s)")
        fused, timeline, written = result.features, result.timeline, result.outputs
        camera_path = written["camera"]
    track = load_track(camera_path)         # what the directed half shows: the track as saved
    check_fits(track, *info.display_size, source=str(camera_path))
    drawn = Drawn.gather(fused, timeline, track, cfg)
    t1 = time.perf_counter()
    frames, size = _video(video, info, drawn, cfg, out, show_progress)
    timeline_png(png, drawn, fused, cfg, f"{Path(video).name}: shots, camera and what was detected")
    return PreviewResult(out, png, written, frames, size, time.perf_counter() - t1)


def _even(v: float) -> int:
    return max(2, 2 * int(round(v / 2)))


def _video(video, info: media.VideoInfo, drawn: Drawn, cfg: DictConfig, out: Path,
           show_progress: bool | None) -> tuple[int, tuple[int, int]]:
    """The side-by-side video, written atomically; returns (frames, (width, height))."""
    track = drawn.track
    p = cfg.preview
    sw, sh = info.display_size
    h = _even(min(int(p.height), sh))
    lw = _even(h * sw / sh)
    enc = encoders.Encoder("libx264", False, "the preview encodes with libx264")
    resample = not command.is_cfr(track.fps, info.fps, info.frames, info.duration)
    directed = command.filter_graph(track, cfg, enc, resample, info.stream, source="pv_cam")
    rate = command._rate(track.fps)
    number = f"setpts=N/({rate})/TB"           # frame k at k / rate: the three branches meet frame by frame
    rw = _even(h * directed.out_size[0] / directed.out_size[1])
    graph = (f"[0:v:{info.stream}]split[pv_cam][pv_raw];\n"
             + directed.graph.rstrip("\n") + ";\n"
             f"[v]{number},scale={rw}:{h}:flags=bicubic,setsar=1[pv_right];\n"
             f"[pv_raw]{f'fps={rate},' if resample else ''}{number},scale={lw}:{h}:flags=bicubic,setsar=1[pv_rec];\n"
             f"[1:v]{number},format=rgba[pv_layer];\n"
             f"[pv_rec][pv_layer]overlay=0:0:format=auto:eof_action=pass[pv_left];\n"
             f"[pv_left][pv_right]hstack=inputs=2:shortest=1,format=yuv420p[pv]\n")
    ffmpeg = find_ffmpeg(cfg.render.ffmpeg)
    option = "-/filter_complex" if encoders.ffmpeg_major(ffmpeg) >= 7 else "-filter_complex_script"
    painter = Painter(drawn, (lw, h), cfg)
    n = len(track.frames)
    with atomic_path(out) as tmp, tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "preview.filter.txt"
        script.write_text(graph)
        args = [ffmpeg, "-hide_banner", "-y", "-v", "error", "-i", str(Path(video).absolute()),
                "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{lw}x{h}", "-framerate", rate, "-i", "pipe:0",
                option, str(script), "-map", "[pv]", "-an",
                "-c:v", "libx264", "-crf", str(p.crf), "-preset", str(p.preset), "-pix_fmt", "yuv420p",
                "-movflags", "+faststart", str(tmp)]
        log.debug("preview %s: %s", video, args)
        _pipe(args, (painter.frame(k).tobytes() for k in range(n)), n, show_progress)
    made = media.probe(out)
    return made.frames, (made.width, made.height)


def _pipe(args: list[str], layers, total: int, show: bool | None) -> None:
    """Run ffmpeg, feeding it the drawn layers on stdin; its stderr becomes the message when it fails."""
    bar = progress_bar(total, "preview", show)
    with tempfile.TemporaryFile(mode="w+") as err:
        try:
            proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err)
        except OSError as e:
            raise FfmpegFailed(f"cannot run ffmpeg ({e})") from None
        try:
            try:
                for layer in layers:
                    proc.stdin.write(layer)
                    if bar:
                        bar.update(1)
                proc.stdin.close()
            except BrokenPipeError:          # ffmpeg stopped reading: it failed, and says why below
                pass
            proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            if bar:
                bar.close()
            with contextlib.suppress(OSError, ValueError):
                proc.stdin.close()
        if proc.returncode != 0:
            raise FfmpegFailed(f"ffmpeg failed while making the preview: {ffmpeg_said(err, proc.returncode)}")
