"""Render a camera track: check everything first, write the filter script, run ffmpeg once with a progress
bar, rename the video into place when complete, and write command.sh beside it."""
from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from omegaconf import DictConfig

from .. import media
from ..camera.track import CameraTrack
from ..errors import BadArgument, FfmpegFailed, OutputExists, SameAsInput
from ..io import atomic_path, check_writable
from ..media.ffmpeg import find_ffmpeg
from . import command, encoders
from .track_file import check_fits

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".mkv")

logger = logging.getLogger(__name__)


@dataclass
class RenderResult:
    video: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    frames: int = 0
    size: tuple[int, int] = (0, 0)
    encoder: str = ""
    seconds: float = 0.0
    duration: float = 0.0

    def summary(self) -> str:
        speed = f", {self.duration / self.seconds:.1f}x real time" if self.seconds > 0 else ""
        return (f"rendered {self.video.name}: {self.size[0]}x{self.size[1]}, {self.frames} frames, "
                f"{self.encoder}, {self.seconds:.1f} s{speed}")


def check_output(video: str | Path, output: str | Path, force: bool) -> Path:
    """The output video path, refused before anything is written: same file as the input, an unknown
    container, an existing file without force, a folder that cannot be written."""
    out = Path(output)
    if out.suffix.lower() not in VIDEO_SUFFIXES:
        raise BadArgument(f"output video must end in {', '.join(VIDEO_SUFFIXES)}: {out}")
    src = Path(video)
    if out.absolute() == src.absolute() or (out.exists() and src.exists() and os.path.samefile(out, src)):
        raise SameAsInput(f"output would replace the input: {out}")
    if out.exists() and not force:
        raise OutputExists(f"output exists: {out} (use --force to replace it)")
    return check_writable(out)


def render(video: str | Path, track: CameraTrack, cfg: DictConfig, output: str | Path, force: bool = False,
           log: Callable[[str], None] | None = None, show_progress: bool | None = None,
           on_frames: Callable[[int, int], None] | None = None) -> RenderResult:
    """Make the directed video from `track`; returns where everything went. Raises UserError subclasses.
    on_frames(done, total) is called as ffmpeg reports frames written (`screendirector review` shows it)."""
    log = log or (lambda s: print(s, file=sys.stderr))
    out = check_output(video, output, force)
    info = media.probe(video)
    check_fits(track, *info.display_size)
    ffmpeg = find_ffmpeg(cfg.render.ffmpeg)
    enc = encoders.choose(ffmpeg, str(cfg.render.encoder), bool(cfg.render.scale_cuda))
    log(f"screendirector: render path: {enc.why}")      # NVENC, or why not (no GPU, or one without NVENC: H100/H200)
    resample = not command.is_cfr(track.fps, info.fps, info.frames, info.duration)
    plan = command.filter_graph(track, cfg, enc, resample, info.stream)
    stem = out.with_suffix("")
    script = stem.with_name(stem.name + ".filter.txt")
    sh = stem.with_name(stem.name + ".command.sh")
    option = "-/filter_complex" if encoders.ffmpeg_major(ffmpeg) >= 7 else "-filter_complex_script"
    args = command.arguments(ffmpeg, str(Path(video).absolute()), script.absolute(), str(out.absolute()), cfg, enc, option,
                             info.has_audio)
    logger.debug("render %s: encoder %s (%s), stream %d, %s", video, enc.name, enc.why, info.stream, args)
    total = len(track.frames)
    t0 = time.perf_counter()
    # the video and its filter script land together, or neither does (ffmpeg failed, Ctrl-C)
    with atomic_path(script) as tmp_script, atomic_path(out) as tmp:
        tmp_script.write_text(plan.graph)
        run_args = [str(tmp_script) if a == str(script.absolute()) else a for a in args[:-1]]
        _run(run_args + ["-v", "error", "-progress", "pipe:1", "-nostats", str(tmp)], total, show_progress,
             on_frames)
    seconds = time.perf_counter() - t0
    note = (f"made by screendirector: look={cfg.look.name}, encoder {enc.name}, {plan.pieces} expression "
            f"pieces within {plan.max_error:.4f} px of the camera track")
    with atomic_path(sh) as tmp:
        tmp.write_text(command.shell_script(args, out, note, enc.why))
        tmp.chmod(0o755)
    made = media.probe(out)
    return RenderResult(video=out, outputs={"video": out, "command": sh, "filter": script}, frames=made.frames,
                        size=(made.width, made.height), encoder=enc.name, seconds=seconds,
                        duration=made.duration)


def progress_bar(total: int, desc: str, show: bool | None):
    """A frame-counting bar on stderr (show None: when stderr is a terminal), or None."""
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="frame", desc=desc, file=sys.stderr, dynamic_ncols=True, leave=False)


def ffmpeg_said(err, returncode: int) -> str:
    """The last two lines ffmpeg wrote to the (temporary) file err, or its exit code: the one-line reason."""
    err.seek(0)
    lines = [ln.strip() for ln in err.read().splitlines() if ln.strip()]
    return "; ".join(lines[-2:]) if lines else f"exit code {returncode}"


def _run(args: list[str], total: int, show: bool | None,
         on_frames: Callable[[int, int], None] | None = None) -> None:
    """Run ffmpeg, reading `-progress` from its stdout for the bar; its stderr goes to a temp file (no pipe
    to fill up) and becomes the error message when it fails. Ctrl-C stops it before anything is renamed."""
    bar = progress_bar(total, "rendering", show)
    with tempfile.TemporaryFile(mode="w+") as err:
        try:
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, text=True)
        except OSError as e:
            raise FfmpegFailed(f"cannot run ffmpeg ({e})") from None
        try:
            done = 0
            for line in proc.stdout:
                if (bar or on_frames) and line.startswith("frame="):
                    n = int(line.split("=", 1)[1].strip() or 0)
                    if bar:
                        bar.update(max(0, min(n, total) - done))
                    done = max(done, min(n, total))
                    if on_frames:
                        on_frames(done, total)
            proc.wait()
        except BaseException:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            if proc.poll() is None:
                proc.kill()
            raise
        finally:
            if bar:
                bar.close()
        if proc.returncode != 0:
            raise FfmpegFailed(f"ffmpeg failed: {ffmpeg_said(err, proc.returncode)}")
