"""`screendirector version --all` (what a bug report needs) and the logging set up by -v and --log-file."""
from __future__ import annotations

import importlib.metadata
import logging
import platform
import sys

from .errors import OutputUnwritable

LOG_FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s: %(message)s"    # the log file and -v


_SETTINGS: tuple = (False, None)    # (verbose, absolute log file) as set up here, for batch worker processes


def logging_settings() -> tuple:
    """What setup_logging was last given in this process (the log file absolute), to set up workers alike."""
    return _SETTINGS


def setup_logging(verbose: bool = False, log_file: str | None = None) -> None:
    """The `engine` loggers: warnings to stderr as `screendirector: warning: ...` (debug and timestamps with
    -v); with a log file, everything from debug up goes there as well (appended, so batch workers write to
    the same file: each line carries its process id). User-facing messages stay prints."""
    global _SETTINGS
    import os
    _SETTINGS = (bool(verbose), os.path.abspath(log_file) if log_file else None)
    root = logging.getLogger("engine")
    root.setLevel(logging.DEBUG if verbose or log_file else logging.WARNING)
    root.propagate = False
    for h in list(root.handlers):
        root.removeHandler(h)
    err = logging.StreamHandler(sys.stderr)
    err.setLevel(logging.DEBUG if verbose else logging.WARNING)
    err.setFormatter(logging.Formatter(LOG_FORMAT if verbose else "screendirector: %(levelname)s: %(message)s"))
    root.addHandler(err)
    if log_file:
        try:
            fh = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as e:
            raise OutputUnwritable(f"cannot write the log file {log_file} ({e.strerror or e})") from None
        fh.setLevel(logging.DEBUG)
        fh.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(fh)


def _dist(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def report(full: bool) -> list[str]:
    """Lines for `version` (the tool's version) or `version --all` (everything below as well)."""
    from . import __version__

    lines = [f"screendirector {__version__}"]
    if not full:
        return lines
    import av
    import numpy
    import torch

    lines += [f"python {platform.python_version()} ({sys.executable}) on {platform.platform()}",
              f"torch {torch.__version__} (threads {torch.get_num_threads()})",
              f"PyAV {av.__version__} (libavcodec {_libav('libavcodec')}, libavformat {_libav('libavformat')})",
              f"numpy {numpy.__version__}",
              f"hydra-core {_dist('hydra-core')}, omegaconf {_dist('omegaconf')}"]
    if torch.cuda.is_available():
        names = ", ".join(f"cuda:{i} {torch.cuda.get_device_name(i)}" for i in range(torch.cuda.device_count()))
        lines.append(f"torch devices: cpu, {names} (CUDA {torch.version.cuda})")
    else:
        lines.append(f"torch devices: cpu (CUDA available: no{', built without CUDA' if not torch.version.cuda else ''})")
    lines.append(f"triton {_dist('triton')}")
    lines.append(f"ray {_dist('ray')}")
    lines.append(f"PyNvVideoCodec {_dist('PyNvVideoCodec')}")
    lines += _ffmpeg_lines()
    return lines


def _libav(lib: str) -> str:
    import av
    v = getattr(av, "library_versions", {}).get(lib)
    return ".".join(map(str, v)) if v else "?"


def _ffmpeg_lines() -> list[str]:
    import subprocess

    from .errors import UserError
    from .media.ffmpeg import find_ffmpeg
    from .render import encoders

    try:
        exe = find_ffmpeg()
    except UserError as e:
        return [f"ffmpeg: {e}"]
    try:
        first = subprocess.run([exe, "-hide_banner", "-version"], capture_output=True, text=True,
                               timeout=encoders.TEST_TIMEOUT_S).stdout.splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        first = "version unknown"
    try:
        listed = subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, text=True,
                                timeout=encoders.TEST_TIMEOUT_S).stdout
    except (OSError, subprocess.SubprocessError):
        listed = ""
    nvenc, why = encoders.nvenc_works(exe)
    out = [f"ffmpeg {exe}", f"  {first}",
           f"encoders: libx264 {'listed' if ' libx264 ' in listed else 'MISSING (render needs it)'}, "
           f"h264_nvenc {'works (test encode passed)' if nvenc else f'no ({why})'}"]
    if nvenc:
        cuda, cwhy = encoders.scale_cuda_works(exe)
        out.append(f"  scale_cuda {'works' if cuda else f'no ({cwhy})'}")
    chosen = encoders.choose(exe, "auto", True)
    out.append(f"  render.encoder=auto uses {chosen.name}")
    return out
