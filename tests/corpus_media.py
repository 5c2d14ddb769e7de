"""A generated corpus of broken and odd media files, each with the outcome `analyze` must give.

Files are made by imageio-ffmpeg's ffmpeg, whatever is on PATH (-display_rotation needs ffmpeg 6; Debian 12's
is 5.1), from lavfi's test pattern, tiny (64x36 to 321x241, 1-2 s), plus byte surgery on them (truncation, a
stripped moov, random bytes) and media_files' PyAV writers. A case whose encoder this ffmpeg lacks is left out
(AV1).
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import media_files as media
import imageio_ffmpeg

X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]


@dataclass
class Case:
    name: str                       # the file's name in the corpus folder (stems are unique: batch keys)
    code: int                       # expected exit code (0: analysed)
    size: tuple[int, int] | None = None   # expected display size (w, h) of a good result
    words: tuple[str, ...] = ()     # words the one-line error must contain (besides the name)
    note: str = ""
    extra: dict = field(default_factory=dict)


def _ff(exe: str, *args) -> None:
    subprocess.run([exe, "-hide_banner", "-loglevel", "error", "-y", *map(str, args)], check=True,
                   capture_output=True, timeout=120)


def _src(w: int = 160, h: int = 90, rate: int = 15, seconds: float = 1.5) -> list[str]:
    return ["-f", "lavfi", "-i", f"testsrc2=size={w}x{h}:rate={rate}:duration={seconds}"]


def encoders(exe: str) -> str:
    return subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=60).stdout


def build(folder: Path) -> list[Case]:
    """Write every case's file into `folder`; returns the cases (AV1 only when an encoder exists)."""
    ff = imageio_ffmpeg.get_ffmpeg_exe()
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def good(name, size=(160, 90), note=""):
        cases.append(Case(name, 0, size, note=note))

    def bad(name, code, words=(), note=""):
        cases.append(Case(name, code, None, tuple(words), note))

    # the sources the surgery starts from: moov at the end (the muxer's default) and moov first (faststart)
    _ff(ff, *_src(), *X264, d / "plain.mp4")
    good("plain.mp4", note="control")
    _ff(ff, *_src(), *X264, "-movflags", "+faststart", d / "faststart.mp4")
    good("faststart.mp4")
    tail, head = (d / "plain.mp4").read_bytes(), (d / "faststart.mp4").read_bytes()
    for pct in (10, 50, 90):
        (d / f"cut{pct}_moov_last.mp4").write_bytes(tail[: len(tail) * pct // 100])
        bad(f"cut{pct}_moov_last.mp4", 4, note="moov lost with the tail")
        (d / f"cut{pct}_faststart.mp4").write_bytes(head[: len(head) * pct // 100])
        bad(f"cut{pct}_faststart.mp4", 6, note="header whole, frames cut")
    (d / "no_moov.mp4").write_bytes(b"".join(tail[o:o + s] for t, o, s in media.mp4_boxes(tail) if t != "moov"))
    bad("no_moov.mp4", 4)
    _ff(ff, *_src(), *X264, "-movflags", "frag_keyframe+empty_moov", d / "fragmented.mp4")
    good("fragmented.mp4")
    frag = (d / "fragmented.mp4").read_bytes()
    (d / "fragment_only.m4s").write_bytes(b"".join(frag[o:o + s] for t, o, s in media.mp4_boxes(frag)
                                                   if t not in ("ftyp", "moov")))
    bad("fragment_only.m4s", 4, note="a media segment without its init segment")
    (d / "zero_bytes.mp4").write_bytes(b"")
    bad("zero_bytes.mp4", 7)
    (d / "random.mp4").write_bytes(np.random.default_rng(3).integers(0, 256, 50_000, np.uint8).tobytes())
    bad("random.mp4", 4)
    media.audio_only_file(d / "audio_only.m4a")
    bad("audio_only.m4a", 5)
    media.zero_frame_video(d / "no_frames.mp4", 160, 90)
    bad("no_frames.mp4", 7)
    _ff(ff, *_src(), "-frames:v", "1", d / "image.png")
    bad("image.png", 4, ("still image",))
    _ff(ff, "-i", d / "image.png", "-map", "0", "-c:v", "png", "-disposition:v:0", "attached_pic",
        "-f", "mp4", d / "cover_only.mp4")
    bad("cover_only.mp4", 5, ("cover picture",))
    (d / "huge.y4m").write_bytes(b"YUV4MPEG2 W60000 H60000 F15:1 Ip A1:1 C420jpeg\nFRAME\n" + bytes(1000))
    bad("huge.y4m", 4, note="60000x60000 declared, 1 kB of data")

    _ff(ff, *_src(), "-frames:v", "1", *X264, d / "one_frame.mp4")
    good("one_frame.mp4")
    _ff(ff, *_src(16, 16), *X264, d / "tiny16.mp4")
    good("tiny16.mp4", (16, 16))
    _ff(ff, *_src(rate=30, seconds=2), "-vf", r"select=not(between(t\,0.5\,1.2))", "-fps_mode", "vfr", *X264,
        d / "vfr_gap.mp4")
    good("vfr_gap.mp4", note="0.7 s with no frame")
    for r in (90, 180, 270):
        _ff(ff, "-display_rotation", -r, "-i", d / "plain.mp4", "-c", "copy", d / f"rotated{r}.mp4")
        good(f"rotated{r}.mp4", (90, 160) if r != 180 else (160, 90))
    _ff(ff, *_src(seconds=1), *X264, d / "a.ts")
    _ff(ff, *_src(128, 72, seconds=1), *X264, "-output_ts_offset", 1, d / "b.ts")
    (d / "resolution_change.ts").write_bytes((d / "a.ts").read_bytes() + (d / "b.ts").read_bytes())
    (d / "a.ts").unlink()
    (d / "b.ts").unlink()
    good("resolution_change.ts", note="160x90 then 128x72: scaled to the first")
    _ff(ff, *_src(320, 240), "-vf", "scale=321:241", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
        "yuv444p", d / "odd_321x241_444.mp4")
    good("odd_321x241_444.mp4", (321, 241))
    _ff(ff, *_src(320, 240), "-vf", "scale=321:241", "-c:v", "libvpx-vp9", "-deadline", "realtime",
        "-cpu-used", 8, d / "odd_321x241.webm")
    good("odd_321x241.webm", (321, 241))
    _ff(ff, *_src(), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le", d / "h264_10bit.mp4")
    good("h264_10bit.mp4")
    _ff(ff, *_src(), "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", d / "hevc.mp4")
    good("hevc.mp4")
    _ff(ff, *_src(), "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le", "-x265-params",
        "log-level=error", d / "hevc_10bit.mkv")
    good("hevc_10bit.mkv")
    _ff(ff, *_src(), "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", 8, d / "vp9.webm")
    good("vp9.webm")
    have = encoders(ff)
    av1 = next((e for e in ("libsvtav1", "libaom-av1", "librav1e") if f" {e} " in have), None)
    if av1:
        opts = {"libsvtav1": ["-preset", "12"], "libaom-av1": ["-cpu-used", "8"], "librav1e": ["-speed", "10"]}[av1]
        _ff(ff, *_src(), "-c:v", av1, *opts, d / "av1.mp4")
        good("av1.mp4")
    _ff(ff, *_src(), "-c:v", "prores_ks", "-profile:v", 0, d / "prores.mov")
    good("prores.mov")
    _ff(ff, *_src(64, 36), *_src(), "-map", 0, "-map", 1, *X264, d / "two_streams.mkv")
    good("two_streams.mkv", note="a 64x36 stream first: the 160x90 one is the recording")
    _ff(ff, "-i", d / "image.png", "-i", d / "plain.mp4", "-map", 0, "-map", 1, "-c:v:0", "png",
        "-disposition:v:0", "attached_pic", "-c:v:1", "copy", d / "cover_first.mp4")
    good("cover_first.mp4", note="a cover picture as the first video stream")
    _ff(ff, *_src(), "-f", "lavfi", "-i", "sine=duration=1.5", *X264, "-c:a", "aac", d / "with_audio.mp4")
    good("with_audio.mp4")
    _ff(ff, *_src(), "-c:v", "gif", d / "animated.gif")
    good("animated.gif")
    _ff(ff, *_src(), "-c:v", "mjpeg", d / "mjpeg.avi")
    good("mjpeg.avi")
    # names: the same clip under names a user may give it
    for name in ("récording ✓ 日本.mp4", "my rec (1) $(touch X).mp4", "-leading dash.mp4"):
        (d / name).write_bytes(tail)
        good(name)
    (d / "link.mp4").symlink_to(d / "plain.mp4")
    good("link.mp4", note="a symlink to plain.mp4")
    return cases
