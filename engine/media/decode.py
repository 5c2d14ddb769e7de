"""Decode a recording to luma (Y plane) tensors at analysis resolution, in batches, streaming.

The Y plane is read straight from the decoder's buffer (no RGB conversion). Rows are taken with a stride and
each output column averages two samples half a factor apart, so a thin vertical caret survives the
downsampling (a vertical bar loses nothing to row striding). Memory stays flat: one batch of small frames at a time.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch

from ..errors import DecodeFailed, EmptyVideo
from .luma import LumaWriter, y_rows
from .decoders import register
from .probe import VideoInfo, open_container, _first_line

log = logging.getLogger(__name__)
from .settings import DecodeSettings


@dataclass
class FrameBatch:
    luma: torch.Tensor      # (B, h, w) float32 on the analysis device, 0..255
    times: np.ndarray       # (B,) float64 presentation times, seconds from the first frame
    index0: int             # index of the first analysed frame of the batch
    rate: float             # analysed frames per second (the stream's rate over the analysis step)


def analysis_factor(width: int, height: int, long_side: int) -> int:
    """Whole downsampling factor that brings the long side to at most `long_side` (>= 1)."""
    return max(1, math.ceil(max(width, height) / long_side))


def grid_rate(src_fps: float, target_fps: float) -> float:
    """Analysed frames per second: the grid `target_fps` (0: the stream's own rate, every frame as it comes)."""
    return float(target_fps) if target_fps > 0 else float(src_fps)


class PyAVDecoder:
    """The CPU decoder: PyAV (FFmpeg's libavcodec), the Y plane read straight from the decoder's buffer."""
    name = "pyav"

    @staticmethod
    def available(device: str = "cpu") -> bool:
        try:
            import av  # noqa: F401
        except ImportError:
            return False
        return True

    @staticmethod
    def why_not(device: str = "cpu") -> str:
        return "PyAV is not installed"

    def batches(self, info: VideoInfo, s: DecodeSettings) -> Iterator[FrameBatch]:
        return decode_luma(info, s)


def decode_luma(info: VideoInfo, s: DecodeSettings | None = None) -> Iterator[FrameBatch]:
    """Yield FrameBatch after FrameBatch of analysis luma.

    With s.fps > 0 the recording is analysed on a uniform time grid of that rate: at each grid time, the
    latest frame shown by then (its pts at or before it). So 10, 30 and 60 fps, variable frame rate and runs
    of duplicated frames all give frames at the same times, and every setting in seconds means the same in
    any of them; batch times are the grid's. Frames the grid does not need are not converted; with
    skip_nonref the decoder also skips frames no other frame references (B-frames), after checking over the
    first `nonref_check_s` seconds that the frames left still cover the grid. With s.fps = 0 every decoded
    frame is analysed, at its own pts.
    With prefetch > 0 the decoder runs in a thread of its own, converting too, about `prefetch` frames (whole
    batches) ahead, so decoding overlaps the detectors (both release the GIL); memory stays bounded by the
    queue. Frames are padded on the right and bottom (edge repeated) to a multiple of `s.multiple` px."""
    s = s or DecodeSettings()
    factor = analysis_factor(info.width, info.height, s.long_side)
    rate = grid_rate(info.fps, s.fps)
    skip = s.skip_nonref and s.fps > 0 and s.fps < info.fps
    # a rotated recording is turned upright at full size before it is downsampled, so the caret-keeping
    # column sampling (luma.py) runs across the columns a viewer sees: the decoder then hands whole planes
    turn = info.upright_turns
    step = 1 if turn else factor
    source = _frames(info, step, s.threads, s.fast, False, {"decoded": 0})
    if skip:
        source = _skipping_frames(info, step, s.threads, s.fast, 1.5 / rate, s.nonref_check_s)
    frames = _on_grid(source, rate) if s.fps > 0 else ((t, y, False) for t, y in source)
    # the decoding thread converts too: the detectors are the busier side, and the queue then holds small
    # analysis frames, not decoded full-size pictures
    ahead = -(-s.prefetch // s.batch) if s.prefetch > 0 else 0
    index0 = 0
    for buf, times in _prefetched(_luma_batches(frames, info, factor, turn, s), ahead):
        yield _batch(buf, times, index0, rate, s.device)
        index0 += len(times)
    if index0 == 0:
        raise EmptyVideo(f"video has no decodable frames: {info.path}")


def _luma_batches(frames: Iterator[tuple[float, np.ndarray, bool]], info: VideoInfo, factor: int, turn: int,
                  s: DecodeSettings) -> Iterator[tuple[np.ndarray, list[float]]]:
    """(B, H, W) float32 analysis luma and its B grid times, a fresh buffer per batch (it crosses threads)."""
    writer: LumaWriter | None = None
    buf = last = None
    times: list[float] = []
    done = 0
    for t, rows, again in frames:
        if turn:                            # views: nothing is copied until the writer converts
            up = np.rot90(rows, turn)
            rows = up[::factor, : (up.shape[1] // factor) * factor]
        if writer is None:
            writer = LumaWriter(rows.shape, factor, s.multiple)
        elif rows.shape[0] != writer.h or rows.shape[1] // factor != writer.w:
            raise DecodeFailed(f"frame size changes mid-stream after frame {done + len(times)} of {info.path}")
        if buf is None:
            buf = np.empty((s.batch, *writer.shape), dtype=np.float32)
        slot = buf[len(times)]
        if again and times:                 # the same picture held over another grid time: copy, not convert
            slot[...] = buf[len(times) - 1]
        elif again:
            slot[...] = last
        else:
            writer.write(rows, slot)
        times.append(t)
        if len(times) == s.batch:
            last = slot.copy()
            yield buf, times
            done += len(times)
            buf, times = None, []
    if times:
        yield buf[: len(times)], times


def _on_grid(frames: Iterator[tuple[float, np.ndarray]], rate: float) -> Iterator[tuple[float, np.ndarray, bool]]:
    """(grid time k / rate, the frame shown then, whether that frame was already given) for k = 0, 1, ...
    up to the last frame's time: frames between grid times are dropped, gaps are filled by holding."""
    eps = 1e-3                          # pts rounding: a frame this close after a grid time counts as on it
    k = 0
    held, last = None, 0.0
    for t, y in frames:
        while held is not None and k / rate < t - eps:      # grid times before this frame show the held one
            yield k / rate, held[0], held[1]
            held = (held[0], True)
            k += 1
        held, last = (y, False), t
    if held is not None and k / rate <= last + eps:         # the last frame, if a grid time falls on it
        yield k / rate, held[0], held[1]


def _prefetched(items: Iterator, ahead: int) -> Iterator:
    """The items of `items`, produced by a thread of its own up to `ahead` items early (0: in this thread).

    The producer only decodes and uses numpy: torch's thread pool stays with the consumer, so the decoder's
    threads and the detectors' do not fight over the cores."""
    if ahead <= 0:
        yield from items
        return
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    done = object()

    def work():
        try:
            for b in items:
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
        stream = container.streams.video[info.stream]
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
                if (frame.width, frame.height) != (info.width, info.height):
                    # the size changed mid-stream (a screen recorder following a resized window, a rotated
                    # phone, spliced segments): scaled to the size the analysis and the outputs were set up for
                    if not state.get("resized"):
                        log.warning("%s: frame %d is %dx%d, not %dx%d: scaled to the first size", info.path,
                                    state["decoded"], frame.width, frame.height, info.width, info.height)
                    state["resized"] = state.get("resized", 0) + 1
                    frame = frame.reformat(width=info.width, height=info.height, format="yuv420p")
                elif frame.format.name not in _LUMA_FIRST:
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
                yield t, y_rows(frame, factor)
        except av.error.FFmpegError as e:
            n = state["decoded"]
            if n == 0:
                raise DecodeFailed(f"cannot decode the video stream of {info.path} ({_first_line(e)})") from None
            raise DecodeFailed(f"video stream of {info.path} is corrupt after frame {n} "
                               f"({_first_line(e)})") from None
    finally:
        container.close()


def _skipping_frames(info: VideoInfo, factor: int, threads: int, fast: bool, widest: float,
                     check_s: float) -> Iterator[tuple[float, np.ndarray]]:
    """Frames with non-reference frames skipped, if over the first `check_s` seconds no gap left is wider than
    `widest` seconds; otherwise every frame (the stream's references are too sparse for the grid)."""
    state = {"decoded": 0}
    it = _frames(info, factor, threads, fast, True, state)
    head: list[tuple[float, np.ndarray]] = []
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


# 8-bit formats whose first plane is luma: read as is; anything else is converted to yuv420p first
_LUMA_FIRST = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "nv21", "gray"}


def _batch(luma: np.ndarray, times: list[float], index0: int, rate: float, device) -> FrameBatch:
    y = torch.from_numpy(luma).to(device, non_blocking=True)
    return FrameBatch(luma=y, times=np.asarray(times, dtype=np.float64), index0=index0, rate=rate)


def pad_edges(x: torch.Tensor, multiple: int) -> torch.Tensor:
    """Pad (B, h, w) on the right and bottom, repeating the edge, to whole multiples of `multiple` px."""
    h, w = x.shape[-2:]
    ph, pw = (-h) % multiple, (-w) % multiple
    if not (ph or pw):
        return x
    return torch.nn.functional.pad(x.unsqueeze(1), (0, pw, 0, ph), mode="replicate").squeeze(1)


register(PyAVDecoder)
