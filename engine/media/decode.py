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
    index0: int             # index of the first analysed frame of the batch
    rate: float             # analysed frames per second (the stream's rate over the analysis step)


def analysis_factor(width: int, height: int, long_side: int) -> int:
    """Whole downsampling factor that brings the long side to at most `long_side` (>= 1)."""
    return max(1, math.ceil(max(width, height) / long_side))


def _y_plane(frame, factor: int) -> np.ndarray:
    p = frame.planes[0]
    h, w = frame.height, frame.width
    a = np.frombuffer(p, np.uint8).reshape(-1, p.line_size)[:h:factor, : (w // factor) * factor]
    return a


def analysis_step(src_fps: float, target_fps: float) -> int:
    """Source frames per analysed frame: the largest whole step that keeps at least `target_fps`
    (1 = every frame; `target_fps` <= 0 means every frame)."""
    if target_fps <= 0 or src_fps <= target_fps:
        return 1
    return max(1, int(math.floor(src_fps / target_fps + 1e-6)))


def decode_luma(info: VideoInfo, long_side: int, batch: int = 32, threads: int = 2,
                device: str | torch.device = "cpu", prefetch: int = 2, fast: bool = True,
                target_fps: float = 0.0, skip_nonref: bool = True, check_s: float = 2.0) -> Iterator[FrameBatch]:
    """Yield FrameBatch after FrameBatch; times come from each frame's pts (variable frame rate safe).

    With target_fps below the stream's rate, one frame in `analysis_step` is analysed, on a time grid; with
    skip_nonref the decoder then skips frames no other frame references (B-frames), which the grid does not
    need, after checking over the first `check_s` seconds that what is left still covers the grid.
    With prefetch > 0 the decoder runs in a thread of its own, `prefetch` batches ahead, so decoding overlaps
    the detectors (both release the GIL); memory stays bounded by the queue."""
    args = (info, long_side, batch, threads, device, fast, analysis_step(info.fps, target_fps), skip_nonref,
            check_s)
    if prefetch <= 0:
        yield from _decode(*args)
        return
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=prefetch)
    stop = threading.Event()
    done = object()

    def work():
        try:
            for b in _decode(*args):
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


def _frames(info: VideoInfo, factor: int, threads: int, fast: bool, skip_nonref: bool,
            state: dict) -> Iterator[tuple[float, np.ndarray]]:
    """(time s from the first frame, strided Y rows) for every frame the decoder gives."""
    import av

    container = open_container(info.path)
    t_first = None
    last_t = -math.inf
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if threads:
            stream.codec_context.thread_count = threads
        opts = {}
        if fast:   # analysis needs no deblocked pixels: skipping the loop filter saves ~15% of H.264 decoding
            opts["skip_loop_filter"] = "all"
        if skip_nonref:
            opts["skip_frame"] = "noref"
        stream.codec_context.options = opts
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
                state["decoded"] += 1
                yield t, _y_plane(frame, factor)
        except av.error.FFmpegError as e:
            n = state["decoded"]
            if n == 0:
                raise DecodeFailed(f"cannot decode the video stream of {info.path} ({_first_line(e)})") from None
            raise DecodeFailed(f"video stream of {info.path} is corrupt after frame {n} "
                               f"({_first_line(e)})") from None
    finally:
        container.close()


def _skipping_frames(info: VideoInfo, factor: int, threads: int, fast: bool, step: int, check_s: float,
                     state: dict) -> Iterator[tuple[float, np.ndarray]]:
    """Frames with non-reference frames skipped, if over the first `check_s` seconds no gap left is wider than
    the analysis step; otherwise every frame (the stream's references are too sparse for the grid)."""
    it = _frames(info, factor, threads, fast, True, state)
    head: list[tuple[float, np.ndarray]] = []
    widest = (step + 0.5) / info.fps
    ok = True
    for t, y in it:
        if head and t - head[-1][0] > widest:
            ok = False
            break
        head.append((t, y))
        if t >= check_s:
            break
    if not ok:
        it.close()
        state["decoded"] = 0
        yield from _frames(info, factor, threads, fast, False, state)
        return
    yield from head
    yield from it


def _decode(info: VideoInfo, long_side: int, batch: int, threads: int, device, fast: bool, step: int,
            skip_nonref: bool, check_s: float) -> Iterator[FrameBatch]:
    factor = analysis_factor(info.width, info.height, long_side)
    state = {"decoded": 0}
    if step > 1 and skip_nonref:
        frames = _skipping_frames(info, factor, threads, fast, step, check_s, state)
    else:
        frames = _frames(info, factor, threads, fast, False, state)
    rate = info.fps / step
    tol = 0.5 / info.fps
    rows: list[np.ndarray] = []
    times: list[float] = []
    index0 = 0
    next_t = -math.inf
    for t, y in frames:
        if t < next_t - tol:              # between two grid points: not analysed
            continue
        next_t = t + step / info.fps
        rows.append(y)
        times.append(t)
        if len(rows) == batch:
            yield _to_batch(rows, times, index0, factor, device, info.rotation, rate)
            index0 += len(rows)
            rows, times = [], []
    if rows:
        yield _to_batch(rows, times, index0, factor, device, info.rotation, rate)
        index0 += len(rows)
    if index0 == 0:
        raise EmptyVideo(f"video has no decodable frames: {info.path}")


# 8-bit formats whose first plane is luma: read as is; anything else is converted to yuv420p first
_LUMA_FIRST = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "nv21", "gray"}


def _to_batch(rows: list[np.ndarray], times: list[float], index0: int, factor: int, device,
              rotation: int, rate: float) -> FrameBatch:
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
    return FrameBatch(luma=y, times=np.asarray(times, dtype=np.float64), index0=index0, rate=rate)
