"""Probe a recording with PyAV: size, frame rate, duration, rotation, audio."""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict
from pathlib import Path

from ..errors import InputMissing, NotAVideo, NoVideoStream, EmptyVideo


@dataclass(frozen=True)
class VideoInfo:
    path: str
    width: int           # coded width (px), before rotation
    height: int          # coded height (px)
    fps: float           # average frame rate (frames/s)
    duration: float      # seconds, from the container or stream
    rotation: int        # display rotation in degrees (0, 90, 180, 270)
    has_audio: bool
    codec: str
    frames: int          # frame count the container states (0 when unknown)
    stream: int = 0      # which video stream is the recording (index among the file's video streams)

    @property
    def display_size(self) -> tuple[int, int]:
        """(width, height) as shown, after rotation: the coordinate frame of every box we write."""
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)

    @property
    def upright_turns(self) -> int:
        """Quarter turns (np.rot90 / torch.rot90 sense) that show a stored frame upright (0 when unrotated)."""
        return -self.rotation // 90 if self.rotation in (90, 180, 270) else 0

    def to_dict(self) -> dict:
        return asdict(self)


def open_container(path: str | Path):
    """av.open with our one-line errors: missing file, not a media file."""
    import av

    p = Path(path)
    if not p.exists():
        raise InputMissing(f"input not found: {p}")
    if p.is_dir():
        raise NotAVideo(f"input is a folder, not a video: {p}")
    if p.stat().st_size == 0:
        raise EmptyVideo(f"input is an empty file (0 bytes): {p}")
    try:
        return av.open(str(p), mode="r")
    except av.error.FileNotFoundError:
        raise InputMissing(f"input not found: {p}") from None
    except (av.error.InvalidDataError, av.error.FFmpegError, UnicodeDecodeError) as e:
        raise NotAVideo(f"not a video file: {p} ({_first_line(e)})") from None


def _first_line(e: Exception) -> str:
    s = (getattr(e, "strerror", None) or str(e)).strip().splitlines()
    return s[0][:160] if s else type(e).__name__


def _rotation(stream) -> int:
    try:
        for sd in stream.side_data if hasattr(stream, "side_data") else []:
            rot = getattr(sd, "rotation", None)
            if rot is not None:
                return int(round(-rot)) % 360
    except Exception:
        pass
    meta = getattr(stream, "metadata", {}) or {}
    try:
        return int(meta.get("rotate", 0)) % 360
    except ValueError:
        return 0


def _frame_rotation(container, stream) -> int:
    """Rotation from the first decoded frame's display matrix (PyAV 18 gives it there, not on the stream, for
    phone recordings stored landscape with a display rotation); clockwise degrees, as _rotation."""
    try:
        for frame in container.decode(stream):
            return int(round(-float(getattr(frame, "rotation", 0) or 0))) % 360
    except Exception:        # an undecodable first frame is reported by the decoder, with its own error
        return 0
    return 0


# demuxers of still pictures (FFmpeg's image2 family): one picture is not a recording (GIF, animated, is one)
_STILL_FORMATS = ("image2", "apng")


def video_stream(container, path) -> tuple[int, object]:
    """(index among the video streams, stream) of the recording: several video streams (a thumbnail track, a
    second camera) -> the one with the most pixels, the first of equals; cover pictures (attached_pic) are
    never the recording. FFmpeg's own choice for `-map 0:v` is the same rule."""
    import av

    cands = [(i, s) for i, s in enumerate(container.streams.video)
             if not (s.disposition & av.stream.Disposition.attached_pic)]
    if not cands:
        raise NoVideoStream(f"no video stream in {path}" + (" (only a cover picture)" if container.streams.video else ""))
    return max(cands, key=lambda c: ((c[1].codec_context.width or 0) * (c[1].codec_context.height or 0), -c[0]))


def probe(path: str | Path) -> VideoInfo:
    container = open_container(path)
    try:
        fmt = container.format.name or ""
        if fmt in _STILL_FORMATS or fmt.endswith("_pipe"):
            raise NotAVideo(f"input is a still image ({fmt.removesuffix('_pipe')}), not a video: {path}")
        index, s = video_stream(container, path)
        cc = s.codec_context
        if not cc.width or not cc.height:
            raise NoVideoStream(f"video stream has no frame size in {path}")
        rate = s.average_rate or s.guessed_rate or s.base_rate
        fps = float(rate) if rate else 0.0
        if s.duration is not None and s.time_base is not None:
            duration = float(s.duration * s.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000.0
        else:
            duration = 0.0
        if not math.isfinite(fps) or fps <= 0 or fps > 1000:
            fps = 30.0
        rotation = _rotation(s) or _frame_rotation(container, s)
        return VideoInfo(path=str(path), width=int(cc.width), height=int(cc.height), fps=fps,
                         duration=max(0.0, duration), rotation=rotation if rotation in (90, 180, 270) else 0,
                         has_audio=bool(container.streams.audio), codec=cc.name or "?",
                         frames=int(s.frames or 0), stream=index)
    finally:
        container.close()
