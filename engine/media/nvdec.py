"""The GPU decoder: NVDEC through PyNvVideoCodec, frames decoded into GPU memory and reduced there to analysis
luma, with no host copy of a picture.

Everything but the hardware calls is shared with the CPU path or checked against it on the CPU:
- `analysis_luma` is luma.py's sampling (rows strided, each column the mean of two samples half a factor apart,
  edge padding) on torch tensors, on any device; tests/test_nvdec.py checks it equals LumaWriter exactly.
- `batches_from_planes` turns full-size Y planes with their times into FrameBatches on decode.py's time grid
  (`_on_grid`) and with its rotation rule (turned upright at full size, then downsampled); the tests feed it
  PyAV's planes and compare with the PyAV decoder's batches.
- the times are the stream's: the video packets' presentation times read with PyAV (`stream_times`, no
  decoding), in display order, normalised as decode.py does, since NVDEC hands frames back in display order.

NVDEC decodes every frame (it cannot skip non-reference frames) and always applies the loop filter, so it equals
the CPU path run with skip_nonref=false and fast_decode=false, not the default one: with skip_nonref the CPU shows
the frame before a skipped one at a grid time that falls on it, and fast_decode leaves out the deblocking; `bench gpu` measures what that
changes in segments.json. PyNvVideoCodec is imported on first use: without NVIDIA's libraries its import
raises, and `available()` / `why_not()` report that. Untested on a GPU in this repository's CI (no GPU there):
`screendirector bench gpu` is the check on a GPU machine.
"""
from __future__ import annotations

import math
from typing import Iterable, Iterator

import numpy as np
import torch

from ..errors import DecodeFailed, EmptyVideo
from .decode import FrameBatch, PyAVDecoder, _on_grid, _prefetched, analysis_factor, grid_rate, pad_edges
from .decoders import register
from .probe import VideoInfo, open_container
from .settings import DecodeSettings

# what NVDEC decodes here: these codecs (PyAV's names), 8-bit 4:2:0 (NV12 out); anything else goes to PyAV
NVDEC_CODECS = {"h264", "hevc", "av1", "vp9", "vp8", "mpeg2video", "mpeg4", "mjpeg"}
NV12_SOURCES = {"yuv420p", "yuvj420p", "nv12"}

_lib: object | None = None          # the PyNvVideoCodec module, once imported
_lib_error: str | None = None       # why it could not be imported


def library():
    """PyNvVideoCodec, or None (the reason in `_lib_error`). Imported once; its import raises without the
    NVIDIA video libraries (libnvcuvid), which is reported, not raised."""
    global _lib, _lib_error
    if _lib is None and _lib_error is None:
        try:
            import PyNvVideoCodec
            _lib = PyNvVideoCodec
        except Exception as e:          # ImportError, or OSError / RuntimeError from the native libraries
            _lib_error = f"PyNvVideoCodec cannot be imported: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    return _lib


def analysis_luma(y: torch.Tensor, factor: int, multiple: int = 1, turn: int = 0) -> torch.Tensor:
    """(..., h, w) uint8 Y planes -> (..., H, W) float32 analysis luma (0..255), on y's device: luma.py's numbers.

    turn: quarter turns (np.rot90's sense) applied at full size first, as decode.py turns a rotated recording
    upright. Rows every `factor`-th, whole groups of `factor` columns, each output column the mean of the
    group's first and middle samples; padded right and bottom (edge repeated) to whole multiples of `multiple`."""
    if turn:
        y = torch.rot90(y, turn, dims=(-2, -1))
    w = y.shape[-1]
    rows = y[..., ::factor, : (w // factor) * factor]
    if factor == 1:
        out = rows.to(torch.float32)
    else:   # the two samples' integer sum, then halved in float32: exact, as in luma.py
        out = (rows[..., 0::factor].to(torch.int16) + rows[..., factor // 2::factor]).to(torch.float32) * 0.5
    h, w = out.shape[-2:]
    if not (h % multiple or w % multiple):
        return out
    lead = out.shape[:-2]
    if not out.numel():
        return out.new_empty(*lead, -(-h // multiple) * multiple, -(-w // multiple) * multiple)
    flat = pad_edges(out.reshape(-1, h, w), multiple)
    return flat.reshape(*lead, *flat.shape[-2:])


def batches_from_planes(planes: Iterable[tuple[float, torch.Tensor]], info: VideoInfo, s: DecodeSettings
                        ) -> Iterator[FrameBatch]:
    """FrameBatches from (time s, full-size (h, w) uint8 Y plane) in display order, on the planes' device.

    The same grid (decode._on_grid), rotation rule and batching as the PyAV decoder; each plane is reduced to
    analysis size as it arrives (a decoder may reuse its picture's memory for the next one)."""
    factor = analysis_factor(info.width, info.height, s.long_side)
    rate = grid_rate(info.fps, s.fps)
    turn = info.upright_turns
    small = ((t, analysis_luma(y, factor, s.multiple, turn)) for t, y in planes)
    frames = _on_grid(small, rate) if s.fps > 0 else ((t, y, False) for t, y in small)
    buf = None
    times: list[float] = []
    index0 = 0
    last = None
    for t, y, again in _prefetched(frames, s.prefetch):
        if buf is None:
            buf = torch.empty((s.batch, *y.shape), dtype=torch.float32, device=y.device)
        elif y.shape != buf.shape[1:]:
            raise DecodeFailed(f"frame size changes mid-stream after frame {index0 + len(times)} of {info.path}")
        slot = buf[len(times)]
        slot.copy_(buf[len(times) - 1] if again and times else last if again else y)
        times.append(t)
        if len(times) == s.batch:
            last = slot.clone()
            yield FrameBatch(luma=buf, times=np.asarray(times, dtype=np.float64), index0=index0, rate=rate)
            index0 += len(times)
            buf, times = None, []
    if times:
        yield FrameBatch(luma=buf[: len(times)], times=np.asarray(times, dtype=np.float64), index0=index0,
                         rate=rate)
        index0 += len(times)
    if index0 == 0:
        raise EmptyVideo(f"video has no decodable frames: {info.path}")


def stream_times(info: VideoInfo) -> tuple[list[float], str]:
    """(the video packets' presentation times in display order, s from the first, strictly increasing as
    decode._frames makes them; the stream's pixel format), read with PyAV without decoding."""
    container = open_container(info.path)
    try:
        stream = container.streams.video[0]
        tb = float(stream.time_base) if stream.time_base else 1.0 / max(info.fps, 1.0)
        pts = [p.pts for p in container.demux(stream) if p.size]
        pix = stream.codec_context.pix_fmt or ""
    finally:
        container.close()
    if pts and all(p is not None for p in pts):
        raw = [float(p) * tb for p in sorted(pts)]
    else:                                  # no presentation times (a raw stream): the stream's rate
        raw = [k / info.fps for k in range(len(pts))]
    return normalised(raw), pix


def normalised(raw: Iterable[float]) -> list[float]:
    """decode._frames's rule: from the first time, strictly increasing (a repeat moves 1 ms on)."""
    out: list[float] = []
    first, last = None, -math.inf
    for t in raw:
        first = t if first is None else first
        t -= first
        if t <= last:
            t = last + 1e-3
        out.append(t)
        last = t
    return out


class NvdecDecoder:
    """NVDEC (PyNvVideoCodec): frames decoded to GPU memory, luma reduced there; CUDA analysis devices only."""
    name = "nvdec"

    @staticmethod
    def available(device: str = "cpu") -> bool:
        return NvdecDecoder.why_not(device) == ""

    @staticmethod
    def why_not(device: str = "cpu") -> str:
        if torch.device(device).type != "cuda":
            return f"it decodes into GPU memory: set analysis.device=cuda (now {device})"
        if not torch.cuda.is_available():
            return "no CUDA device (torch.cuda.is_available() is False)"
        if library() is None:
            return f"{_lib_error}; install the cuda extra: pip install 'screendirector[cuda]'"
        return ""

    def batches(self, info: VideoInfo, s: DecodeSettings) -> Iterator[FrameBatch]:
        times, pix = stream_times(info)
        if info.codec not in NVDEC_CODECS or pix not in NV12_SOURCES:
            why = f"NVDEC here takes 8-bit 4:2:0 {', '.join(sorted(NVDEC_CODECS))}, not {info.codec} {pix}"
            if s.decoder != "auto":
                raise DecodeFailed(f"cannot decode {info.path} with nvdec ({why}); use analysis.decoder=pyav")
            return PyAVDecoder().batches(info, s)          # auto: the CPU decodes what NVDEC cannot
        return batches_from_planes(self._planes(info, times, torch.device(s.device)), info, s)

    def _planes(self, info: VideoInfo, times: list[float], device: torch.device) -> Iterator[tuple[float, torch.Tensor]]:
        nvc = library()
        index = device.index if device.index is not None else torch.cuda.current_device()
        stream = torch.cuda.current_stream(index)
        with torch.cuda.device(index):
            try:
                demuxer = nvc.CreateDemuxer(filename=str(info.path))
                decoder = nvc.CreateDecoder(gpuid=index, codec=demuxer.GetNvCodecId(), cudacontext=0,
                                            cudastream=stream.cuda_stream, usedevicememory=True)
            except Exception as e:
                raise DecodeFailed(f"NVDEC cannot open {info.path} ({_said(e)}); use analysis.decoder=pyav") from None
            k = 0
            step = 1.0 / max(info.fps, 1.0)
            for frame in _decoded(nvc, demuxer, decoder, info, lambda: k):
                t = times[k] if k < len(times) else (times[-1] if times else 0.0) + (k - len(times) + 1) * step
                k += 1
                yield t, y_plane(frame, info.height, info.width)


def _decoded(nvc, demuxer, decoder, info: VideoInfo, count) -> Iterator:
    """Every decoded picture, in display order, the decoder flushed at the end."""
    try:
        for packet in demuxer:
            yield from decoder.Decode(packet)
        if hasattr(nvc, "PacketData"):                      # end of stream: the pictures still held back
            yield from decoder.Decode(nvc.PacketData())
    except Exception as e:
        n = count()
        if n == 0:
            raise DecodeFailed(f"NVDEC cannot decode the video stream of {info.path} ({_said(e)})") from None
        raise DecodeFailed(f"video stream of {info.path} is corrupt after frame {n} ({_said(e)})") from None


def y_plane(frame, height: int, width: int) -> torch.Tensor:
    """The (height, width) uint8 Y plane of a decoded NV12 picture in GPU memory, as a view (DLPack: no copy).
    NV12 comes as (rows * 3 / 2, pitch or width): luma rows first, then the interleaved chroma."""
    t = torch.from_dlpack(frame)
    while t.dim() > 2 and t.shape[0] == 1:
        t = t[0]
    if t.dim() == 3 and t.shape[-1] == 1:
        t = t[..., 0]
    if t.dim() != 2 or t.dtype != torch.uint8 or t.shape[0] < height or t.shape[1] < width:
        raise DecodeFailed(f"NVDEC gave a {tuple(t.shape)} {t.dtype} picture for a {width}x{height} 8-bit stream")
    return t[:height, :width]


def _said(e: Exception) -> str:
    s = str(e).strip().splitlines()
    return s[0][:160] if s else type(e).__name__


register(NvdecDecoder, prefer=True)
