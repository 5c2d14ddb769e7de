"""Finding ffmpeg: a configured path first, then the system's, then the one imageio-ffmpeg ships."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..errors import UserError


class FfmpegMissing(UserError):
    exit_code = 11


def find_ffmpeg(configured: str | None = None) -> str:
    """Path of a working ffmpeg: `configured` (a path or a name on PATH), else $SCREENDIRECTOR_FFMPEG, else
    `ffmpeg` on PATH, else imageio-ffmpeg's binary. Raises FfmpegMissing naming what was tried."""
    tried = []
    for cand in (configured, os.environ.get("SCREENDIRECTOR_FFMPEG")):
        if cand:
            exe = shutil.which(cand) or (cand if Path(cand).is_file() else None)
            if exe and _runs(exe):
                return exe
            tried.append(cand)
            if configured:          # a path the user chose must not be silently replaced
                raise FfmpegMissing(f"configured ffmpeg does not run: {cand}")
    exe = shutil.which("ffmpeg")
    if exe and _runs(exe):
        return exe
    tried.append("ffmpeg on PATH")
    try:
        import imageio_ffmpeg
        exe = imageio_ffmpeg.get_ffmpeg_exe()
        if _runs(exe):
            return exe
    except (ImportError, RuntimeError):
        pass
    tried.append("imageio-ffmpeg")
    raise FfmpegMissing("no working ffmpeg found (tried " + ", ".join(tried) + ")")


def _runs(exe: str) -> bool:
    try:
        return subprocess.run([exe, "-hide_banner", "-version"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
