"""What this machine's ffmpeg can really do, found by tiny test runs (an encoder listed by `-encoders` may
still fail: no GPU, no driver, or a data-centre GPU such as the H100/H200 that decodes but has no NVENC)."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import cache

TEST_TIMEOUT_S = 30     # a test encode that takes longer than this counts as failed (s)


@dataclass(frozen=True)
class Encoder:
    name: str                 # libx264 | h264_nvenc
    scale_cuda: bool          # the final scale runs on the GPU (frames uploaded once, encoded from GPU memory)
    why: str                  # why this one, in words (logged when NVENC was wanted but not usable)


def _test(ffmpeg: str, args: list[str]) -> tuple[bool, str]:
    cmd = [ffmpeg, "-hide_banner", "-nostdin", "-v", "error"] + args + ["-f", "null", "-"]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=TEST_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError) as e:
        return False, str(e)
    lines = [re.sub(r" @ 0x[0-9a-f]+", "", ln.strip()) for ln in r.stderr.splitlines() if ln.strip()]
    return r.returncode == 0, (lines[0] if lines else f"exit code {r.returncode}")


@cache
def nvenc_works(ffmpeg: str) -> tuple[bool, str]:
    """A 0.2 s h264_nvenc encode of a black 256x256 clip: (works, ffmpeg's first error line)."""
    return _test(ffmpeg, ["-f", "lavfi", "-i", "color=c=black:s=256x256:r=30:d=0.2", "-c:v", "h264_nvenc"])


@cache
def scale_cuda_works(ffmpeg: str) -> tuple[bool, str]:
    """hwupload_cuda + scale_cuda feeding h264_nvenc on a tiny clip."""
    return _test(ffmpeg, ["-init_hw_device", "cuda=cu", "-filter_hw_device", "cu", "-f", "lavfi", "-i",
                          "color=c=black:s=256x256:r=30:d=0.2", "-vf", "format=yuv420p,hwupload_cuda,scale_cuda=128:128",
                          "-c:v", "h264_nvenc"])


def choose(ffmpeg: str, wanted: str, use_scale_cuda: bool) -> Encoder:
    """The encoder for `render.encoder` (auto, libx264, h264_nvenc). NVENC is used only when a real test
    encode succeeds; otherwise libx264, with the reason in `why`."""
    if wanted == "libx264":
        return Encoder("libx264", False, "libx264 (configured)")
    ok, err = nvenc_works(ffmpeg)
    if not ok:
        return Encoder("libx264", False, f"NVENC unavailable ({err}); using libx264")
    cuda = False
    why = "h264_nvenc (test encode passed)"
    if use_scale_cuda:
        cuda, cerr = scale_cuda_works(ffmpeg)
        if not cuda:
            why += f"; scale_cuda unavailable ({cerr}), scaling on the CPU"
    return Encoder("h264_nvenc", cuda, why)


@cache
def ffmpeg_major(ffmpeg: str) -> int:
    """Major version of ffmpeg (99 for a git build, which is newer than any release)."""
    try:
        out = subprocess.run([ffmpeg, "-hide_banner", "-version"], capture_output=True, text=True,
                             timeout=TEST_TIMEOUT_S).stdout
    except (OSError, subprocess.SubprocessError):
        return 99
    m = re.search(r"ffmpeg version n?(\d+)\.", out)
    return int(m.group(1)) if m else 99
