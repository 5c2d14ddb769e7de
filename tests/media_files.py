"""Media files for tests that are not recordings of an app: a small clip of changing noise, a grey-frame writer,
a file with only audio, an mp4 with a video stream and no frames, and the top-level boxes of an mp4.

Frames are written by the generator's encoder (engine.synth.encode), the project's one H.264 writer.
"""
from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from engine.synth.encode import Encoder

FPS = 30


def gray_writer(path, width: int, height: int, fps: int = FPS, crf: int = 20, bframes: int = 0,
                b_pyramid: bool = True, faststart: bool = False, time_base: Fraction | None = None,
                audio: bool = False) -> Encoder:
    """An encoder for grey frames (enc.write_gray(gray, pts=None)): libx264 ultrafast, one thread, the default
    GOP; bframes > 0 puts that many B-frames between references (b_pyramid: the middle one is a reference)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    extra = f"b-adapt=0:b-pyramid={'normal' if b_pyramid else 'none'}" if bframes else ""
    return Encoder(path, width, height, fps, crf=crf, preset="ultrafast", gop_s=None, bframes=bframes, extra=extra,
                   time_base=time_base, audio=audio, faststart=faststart, colour_tags=False)


def small_clip(path, seconds: float = 2.0, faststart: bool = False, portrait: bool = True, **writer):
    """A 540x960 (or 960x540) clip: still bars of 'text' and a block of fresh seeded noise every frame, so every
    frame is a sizeable packet (the bytes are spread over the whole clip, not all in the first key frame)."""
    w, h = (540, 960) if portrait else (960, 540)
    rng = np.random.default_rng(5)
    base = np.full((h, w), 232, np.uint8)
    for r in range(12):
        y, n = 100 + 34 * r, int(rng.integers(60, w - 80))
        base[y:y + 14, 30:30 + n] = 40
        base[y:y + 14, 30:30 + n:17] = 232                  # gaps between 'words'
    n = int(round(seconds * FPS))
    with gray_writer(path, w, h, faststart=faststart, **writer) as enc:
        for i in range(n):
            img = base.copy()
            y = 500 + (i * 7) % 300
            img[y:y + 96, 100:196] = rng.integers(0, 256, (96, 96), dtype=np.uint8)
            enc.write_gray(img)
    return Path(path), {"width": w, "height": h, "frames": n}


def audio_only_file(path, seconds: float = 1.0):
    """A file with a single audio track and no video: AAC in mp4 for .m4a/.mp4, PCM for .wav."""
    path = Path(path)
    wav = path.suffix.lower() == ".wav"
    c = av.open(str(path), mode="w", format="wav" if wav else "mp4")
    a = c.add_stream("pcm_s16le" if wav else "aac", rate=48000, layout="mono")
    sr, fs = 48000, 1024
    n = int(math.ceil(seconds * sr / fs)) * fs
    pcm = (0.2 * np.sin(2 * np.pi * 440 * np.arange(n) / sr)).astype(np.float32)
    if wav:
        pcm = (pcm * 32767).astype(np.int16)
    for i in range(0, n, fs):
        af = av.AudioFrame.from_ndarray(pcm[None, i:i + fs], format="s16" if wav else "fltp", layout="mono")
        af.sample_rate, af.pts, af.time_base = sr, i, Fraction(1, sr)
        c.mux(a.encode(af))
    c.mux(a.encode(None))
    c.close()
    return path


def zero_frame_video(path, width: int = 320, height: int = 240):
    """An mp4 whose header declares an H.264 video stream (size, codec) but that holds no frames at all.

    A plain mp4 muxer drops a track without samples, so this is a fragmented mp4 (empty_moov): the moov
    with the track is written up front, and no fragment ever follows.
    """
    c = av.open(str(path), mode="w", format="mp4", options={"movflags": "frag_keyframe+empty_moov"})
    v = c.add_stream("libx264", rate=FPS, options={"preset": "ultrafast", "threads": "1"})
    v.width, v.height, v.pix_fmt = width, height, "yuv420p"
    c.start_encoding()
    c.mux(v.encode(None))
    c.close()
    return Path(path)


def mp4_boxes(data: bytes) -> list[tuple[str, int, int]]:
    """Top-level mp4 boxes as (type, offset, size)."""
    out, off = [], 0
    while off + 8 <= len(data):
        size = int.from_bytes(data[off:off + 4], "big")
        typ = data[off + 4:off + 8].decode("latin-1")
        hdr = 8
        if size == 1:
            size, hdr = int.from_bytes(data[off + 8:off + 16], "big"), 16
        elif size == 0:
            size = len(data) - off
        out.append((typ, off, size))
        if size < hdr:
            break
        off += size
    return out
