"""The project's one H.264 writer: I420 buffers or grey images to an mp4 (libx264, yuv420p), CFR or VFR.

    with Encoder(path, w, h, fps=30) as enc:
        enc.write(i420)                 # (h * 3 / 2, w) uint8: Y, then U, then V
        enc.write_gray(gray, pts=k)     # a grey image, neutral chroma; pts in time_base units (VFR)

One x264 thread, so the same frames give the same bytes. `time_base` (e.g. Fraction(1, 1000)) makes every
frame's pts explicit: variable frame rate. `audio` adds a mono 48 kHz AAC track with an 80 ms 523 Hz pip at
every whole second (as in the corpus), covering the video. `exact_repeats` makes a frame written with
changed=False decode byte-identical to the one before it: x264 would otherwise keep refining a repeated
picture towards its source, so the repeat is fed the decoder's reconstruction of the previous frame instead
(x264 runs without delay for that: tune zerolatency, no B-frames). The reconstruction must include the rows and
columns H.264 pads a frame to (whole 16 px macroblocks), or motion search on the edge macroblocks drifts: so
such a clip is encoded at the padded size with the padding cropped in the stream header (x264 crop-rect), its
frames padded by repeating their edges, and the reconstruction decoded without the crop.
"""
from __future__ import annotations

import math
from fractions import Fraction

import av
import numpy as np

from .canvas import planes

AUDIO_RATE = 48000      # audio sample rate, Hz
PIP_HZ = 523            # pitch of the once-a-second pip, Hz
PIP_S = 0.08            # length of the pip, s


class Encoder:
    def __init__(self, path, w: int, h: int, fps: float = 30, crf: int = 23, preset: str = "superfast",
                 threads: int = 1, gop_s: float | None = 8.0, bframes: int = 3, extra: str = "",
                 time_base: Fraction | None = None, audio: bool = False, faststart: bool = True,
                 exact_repeats: bool = False, colour_tags: bool = True):
        self.w, self.h, self.fps = w, h, fps
        self.c = av.open(str(path), mode="w", format="mp4",
                         options={"movflags": "+faststart"} if faststart else {})
        params = []
        if gop_s is not None:
            params.append(f"keyint={max(1, int(gop_s * fps))}")
        params.append(f"bframes={0 if exact_repeats else bframes}")
        if colour_tags:
            params.append("colorprim=bt709:transfer=bt709:colormatrix=bt709")
        self.pad = (0, 0)                            # columns, rows added to whole macroblocks (exact_repeats)
        if exact_repeats:
            self.pad = (-w % 16, -h % 16)
            if any(self.pad):
                params.append(f"crop-rect=0,0,{self.pad[0]},{self.pad[1]}")
        if extra:
            params.append(extra)
        opts = {"crf": str(crf), "preset": preset, "threads": str(threads), "x264-params": ":".join(params)}
        if exact_repeats:
            opts["tune"] = "zerolatency"
        self.rate = Fraction(fps).limit_denominator(1001)
        self.s = self.c.add_stream("libx264", rate=self.rate, options=opts)
        self.s.width, self.s.height, self.s.pix_fmt = w + self.pad[0], h + self.pad[1], "yuv420p"
        self.s.codec_context.thread_count = threads
        self.time_base = time_base
        if time_base is not None:
            self.s.time_base = time_base
            self.s.codec_context.time_base = time_base
        self.c.metadata["encoder"] = "engine.synth"
        self.audio = self.c.add_stream("aac", rate=AUDIO_RATE, layout="mono") if audio else None
        if self.audio is not None:
            self.audio.codec_context.thread_count = 1
        self.exact = exact_repeats
        self.decoder, self.recon = None, None
        self.frame = None
        self.n = 0
        self.end_t = 0.0

    # ------------------------------------------------------------------ video
    def write(self, buf: np.ndarray, changed: bool = True, pts: int | None = None, duration_s: float | None = None):
        """Encode one I420 frame. changed=False promises it equals the previous one (reused, or with
        exact_repeats replaced by the previous frame as decoded). pts: in time_base units (VFR only)."""
        if self.exact and not changed and self.recon is not None:
            self.frame = av.VideoFrame.from_ndarray(self.recon, format="yuv420p")
        elif changed or self.frame is None:
            self.frame = av.VideoFrame.from_ndarray(self._padded(buf) if any(self.pad) else buf, format="yuv420p")
        if pts is not None:
            self.frame.pts, self.frame.time_base = pts, self.time_base
        elif self.time_base is not None:            # CFR times written in an explicit time base
            self.frame.pts, self.frame.time_base = round(self.n / self.rate / self.time_base), self.time_base
        else:
            self.frame.pts, self.frame.time_base = self.n, 1 / self.rate
        t = float(self.frame.pts * self.frame.time_base)
        self.end_t = t + (duration_s if duration_s is not None else 1.0 / self.fps)
        if duration_s is not None and self.time_base is not None:
            self.frame.duration = round(duration_s / self.time_base)
        packets = self.s.encode(self.frame)
        if self.exact:
            self._reconstruct(packets)
        self.c.mux(packets)
        self.n += 1

    def write_gray(self, gray: np.ndarray, pts: int | None = None) -> None:
        h, w = gray.shape
        buf = np.full((h * 3 // 2, w), 128, np.uint8)
        buf[:h] = gray
        self.write(buf, True, pts)

    def _padded(self, buf: np.ndarray) -> np.ndarray:
        """An I420 frame grown to whole macroblocks by repeating its last row and column (as x264 pads)."""
        (w, h), (px, py) = (self.w, self.h), self.pad
        out = np.empty(((h + py) * 3 // 2, w + px), np.uint8)
        for src, dst, f in zip(planes(buf, w, h), planes(out, w + px, h + py), (1, 2, 2)):
            dst[...] = np.pad(src, ((0, py // f), (0, px // f)), mode="edge")
        return out

    def _reconstruct(self, packets) -> None:
        """Decode what was just encoded (zero delay, uncropped) and keep the picture the next repeat is."""
        for p in packets:
            if self.decoder is None:
                self.decoder = av.CodecContext.create("h264", "r")
                self.decoder.thread_count = 1
                self.decoder.extradata = self.s.codec_context.extradata
                self.decoder.options = {"flags2": "+ignorecrop"}
            for f in self.decoder.decode(p):
                self.recon = f.to_ndarray()

    # ------------------------------------------------------------------ audio, closing
    def _write_audio(self, seconds: float) -> None:
        fs = 1024
        n = int(math.ceil(seconds * AUDIO_RATE / fs)) * fs
        t = np.arange(n) / AUDIO_RATE
        pcm = (0.3 * np.sin(2 * np.pi * PIP_HZ * t) * ((t % 1.0) < PIP_S)).astype(np.float32)
        for i in range(0, n, fs):
            af = av.AudioFrame.from_ndarray(pcm[None, i:i + fs], format="fltp", layout="mono")
            af.sample_rate, af.pts, af.time_base = AUDIO_RATE, i, Fraction(1, AUDIO_RATE)
            self.c.mux(self.audio.encode(af))
        self.c.mux(self.audio.encode(None))

    def close(self) -> None:
        self.c.mux(self.s.encode(None))
        if self.audio is not None:
            self._write_audio(self.end_t)
        self.c.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.close()
        else:
            self.c.close()
