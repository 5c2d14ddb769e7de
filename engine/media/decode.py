"""Decode a recording to luma (Y plane) tensors at analysis resolution, in batches, streaming.

The Y plane is read straight from the decoder's buffer (no RGB conversion). Rows are taken with a stride and
each output column averages two samples half a factor apart, so a thin vertical caret survives the
downsampling (a vertical bar loses nothing to row striding). Memory stays flat: one batch of small frames at a time.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch

from ..errors import DecodeFailed, EmptyVideo
from .probe import VideoInfo, open_container, _first_line


@dataclass
class FrameBatch:
    luma: torch.Tensor      # (B, h, w) float32 on the analysis device, 0..255
    times: np.ndarray       # (B,) float64 presentation times, seconds from the first frame
    index0: int             # index of the first frame of the batch in the recording


def analysis_factor(width: int, height: int, long_side: int) -> int:
    """Whole downsampling factor that brings the long side to at most `long_side` (>= 1)."""
    return max(1, math.ceil(max(width, height) / long_side))


def _y_plane(frame, factor: int) -> np.ndarray:
    p = frame.planes[0]
    h, w = frame.height, frame.width
    a = np.frombuffer(p, np.uint8).reshape(-1, p.line_size)[:h:factor, : (w // factor) * factor]
    return a


def decode_luma(info: VideoInfo, long_side: int, batch: int = 32, threads: int = 2,
                device: str | torch.device = "cpu", prefetch: int = 2, fast: bool = True) -> Iterator[FrameBatch]:
    """Yield FrameBatch after FrameBatch; times come from each frame's pts (variable frame rate safe).

    With prefetch > 0 the decoder runs in a thread of its own, `prefetch` batches ahead, so decoding overlaps
    the detectors (both release the GIL); memory stays bounded by the queue."""
    if prefetch <= 0:
        yield from _decode(info, long_side, batch, threads, device, fast)
        return
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=prefetch)
    stop = threading.Event()
    done = object()

    def work():
        try:
            for b in _decode(info, long_side, batch, threads, device, fast):
                while not stop.is_set():
                    try:
                        q.put(b, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as e:          # handed to the consumer, raised there
            q.put(e)

    t = threading.Thread(target=work, name="decode", daemon=True)
    t.start()
    try:
        while True:
            item = q.get()
            if item is done:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        t.join()


def _decode(info: VideoInfo, long_side: int, batch: int, threads: int, device,
            fast: bool = True) -> Iterator[FrameBatch]:
    import av

    factor = analysis_factor(info.width, info.height, long_side)
    container = open_container(info.path)
    t_first = None
    rows: list[np.ndarray] = []
    times: list[float] = []
    index0 = 0
    last_t = -math.inf
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if threads:
            stream.codec_context.thread_count = threads
        if fast:   # analysis needs no deblocked pixels: skipping the loop filter saves ~15% of H.264 decoding
            stream.codec_context.options = {"skip_loop_filter": "all"}
        tb = float(stream.time_base) if stream.time_base else 1.0 / max(info.fps, 1.0)
        try:
            for frame in container.decode(stream):
                if frame.format.name not in _LUMA_FIRST:
                    frame = frame.reformat(format="yuv420p")
                if frame.pts is not None:
                    t = float(frame.pts) * tb
                else:
                    t = last_t + 1.0 / info.fps if math.isfinite(last_t) else 0.0
                if t_first is None:
                    t_first = t
                t -= t_first
                if t <= last_t:           # keep times strictly increasing (duplicate or broken pts)
                    t = last_t + 1e-3
                last_t = t
                rows.append(_y_plane(frame, factor))
                times.append(t)
                if len(rows) == batch:
                    yield _to_batch(rows, times, index0, factor, device, info.rotation)
                    index0 += len(rows)
                    rows, times = [], []
        except av.error.FFmpegError as e:
            if index0 + len(rows) == 0:
                raise DecodeFailed(f"cannot decode the video stream of {info.path} ({_first_line(e)})") from None
            raise DecodeFailed(f"video stream of {info.path} is corrupt after frame {index0 + len(rows)} "
                               f"({_first_line(e)})") from None
        if rows:
            yield _to_batch(rows, times, index0, factor, device, info.rotation)
            index0 += len(rows)
        if index0 == 0:
            raise EmptyVideo(f"video has no decodable frames: {info.path}")
    finally:
        container.close()


# 8-bit formats whose first plane is luma: read as is; anything else is converted to yuv420p first
_LUMA_FIRST = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "nv21", "gray"}


def _to_batch(rows: list[np.ndarray], times: list[float], index0: int, factor: int, device,
              rotation: int = 0) -> FrameBatch:
    a = torch.from_numpy(np.stack(rows))                          # (B, h, w*factor) uint8, one copy
    if a.dtype != torch.uint8:
        a = a.to(torch.uint8)
    a = a.to(device, non_blocking=True)
    if factor > 1:   # two column samples per factor, averaged: a 2 px caret always lands on one of them
        # summed as int16 first: strided uint8 -> float conversions are several times slower on the CPU
        y = (a[..., 0::factor].to(torch.int16) + a[..., factor // 2::factor]).float().mul_(0.5)
    else:
        y = a.float()
    if rotation in (90, 180, 270):                                # show frames upright, as players do
        y = torch.rot90(y, k=-rotation // 90, dims=(1, 2)).contiguous()
    return FrameBatch(luma=y, times=np.asarray(times, dtype=np.float64), index0=index0)
