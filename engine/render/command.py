"""The one ffmpeg command that renders a camera track: a filter script and the argument list.

The moving window is a single `perspective` filter with `eval=frame` whose eight corner coordinates are
piecewise-polynomial expressions of the frame counter (see expressions.py): sub-pixel, evaluated per frame,
and small even for hour-long tracks. It is followed by one `scale` to the output size. look=tilt composes
the user's static tilt into the same perspective and lays the canvas's black over it with a fixed mask.
Where a view reaches past the frame (a subject fitted with padding, a tilt), the frame is first put on a
padded canvas (output.pad: a blurred copy of the frame, or a colour) that the same perspective samples.
"""
from __future__ import annotations

import math
import shlex
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from omegaconf import DictConfig

from ..camera.track import CameraTrack
from . import expressions, looks
from .encoders import Encoder

CORNER_NAMES = ("x0", "y0", "x1", "y1", "x2", "y2", "x3", "y3")


@dataclass
class Plan:
    graph: str                  # the filter_complex script
    out_size: tuple[int, int]   # final video size (px)
    pieces: int                 # polynomial pieces over all eight corner expressions
    max_error: float            # largest corner deviation of the expressions from the track (source px)


def filter_graph(track: CameraTrack, cfg: DictConfig, encoder: Encoder, resample: bool, stream: int = 0,
                 source: str | None = None) -> Plan:
    """The filter script: [0:v:STREAM] -> (fps) -> perspective(eval=frame) -> scale (-> tilt mask) -> [v].
    source: another input label to start from (`preview` splits the recording and renders one branch)."""
    r, look = cfg.render, cfg.look
    view = (track.out_width, track.out_height)
    if look.name == "tilt":
        tilt = looks.tilt_for(look, view)
        corners = looks.tilt_corners(track.frames, tilt)
        out = tilt.out
    else:
        tilt = None
        corners = looks.flat_corners(track.frames, view)
        out = view
    # look=tilt lays its own black over what lies outside the view, so only the view itself needs the frame's
    # padding; elsewhere every sampled point does
    pad = padding(looks.flat_corners(track.frames, view) if tilt else corners, track.width, track.height)
    if pad is not None:                         # the canvas's origin is the frame's (left, top) on it
        corners = corners + np.tile([pad[0], pad[1]], 4)
    n = len(corners)
    fits, pieces, err = [], 0, 0.0
    for k in range(8):
        ps = expressions.fit(corners[:, k], r.fit_tol_px, r.fit_degree)
        err = max(err, float(np.abs(expressions.evaluate(ps, n) - corners[:, k]).max()))
        pieces += len(ps)
        fits.append(ps)
    head = f"fps={_rate(track.fps)}," if resample else ""
    if pad is not None:
        head += canvas(pad, track.width, track.height, cfg.output)
    persp = ",".join(_perspective(fits, a, b, n, r.interpolation) for a, b in chunks(n, track.fps, r))
    if encoder.scale_cuda and tilt is None:     # the tilt's mask is laid on the CPU: no upload there
        scale = f"format=yuv420p,hwupload_cuda,scale_cuda={out[0]}:{out[1]}:interp_algo=lanczos"
    else:
        scale = f"scale={out[0]}:{out[1]}:flags={r.scale_flags},setsar=1"
    src = f"[{source or f'0:v:{stream}'}]"
    if tilt is None:
        graph = f"{src}{head}{persp},{scale}[v]"
    else:
        # the canvas's black: the static tilt of an all-white view is the card; its negative is the hole
        static = looks.static_tilt_chain(tilt, "linear", r.scale_flags)
        graph = (f"{src}{head}{persp},scale={out[0]}:{out[1]}:flags={r.scale_flags},setsar=1[cam];\n"
                 f"color=c=white:s={view[0]}x{view[1]}:r=1:d=1,format=gray,{static},negate[hole];\n"
                 f"color=c=black:s={out[0]}x{out[1]}:r=1:d=1,format=yuva420p[blk];\n"
                 f"[blk][hole]alphamerge[card];\n"
                 f"[cam][card]overlay=0:0:format=yuv420:eof_action=repeat[v]")
    return Plan(graph + "\n", out, pieces, err)


def padding(corners: np.ndarray, width: int, height: int) -> tuple[int, int, int, int] | None:
    """(left, top, canvas width, canvas height) of the padded canvas the perspective must sample from when some
    frame's view reaches past the frame (a fitted subject wider than the output's window, a tilted view), else
    None: padding costs a larger perspective, so only tracks that need it pay for it. Even sizes and offsets
    (4:2:0), two pixels to spare for the bilinear taps."""
    # the corners are the map's edges (the perspective's output index 0 and its size, which is the frame's); its
    # last samples lie one of its pixels inside them
    x0, x1 = np.minimum(corners[:, 0], corners[:, 4]), np.maximum(corners[:, 2], corners[:, 6])
    y0, y1 = np.minimum(corners[:, 1], corners[:, 3]), np.maximum(corners[:, 5], corners[:, 7])
    lo_x, hi_x = float(x0.min()), float((x1 - (x1 - x0) / width).max())
    lo_y, hi_y = float(y0.min()), float((y1 - (y1 - y0) / height).max())
    # a window inside the frame samples pixel indices in [-0.5, size - 0.5] (pixel edges onto pixel centres)
    if lo_x >= -0.5 - 1e-6 and lo_y >= -0.5 - 1e-6 and hi_x <= width - 0.5 + 1e-6 and hi_y <= height - 0.5 + 1e-6:
        return None
    even = lambda v: int(math.ceil(max(0.0, v) / 2)) * 2
    left, top = even(-lo_x + 2), even(-lo_y + 2)
    right, bottom = even(hi_x - (width - 1) + 2), even(hi_y - (height - 1) + 2)
    return left, top, left + width + right, top + height + bottom


def canvas(pad: tuple[int, int, int, int], width: int, height: int, out: DictConfig) -> str:
    """Filters that put the frame on the padded canvas at (left, top): output.pad=color fills the rest with
    output.pad_color; blur with a blurred copy of the frame covering the canvas (cropped to the canvas's
    aspect, blurred at an eighth of the size, where it is cheap, and scaled up)."""
    left, top, cw, ch = pad
    if str(out.pad) != "blur":
        return f"pad={cw}:{ch}:{left}:{top}:color={out.pad_color},"
    if width * ch > height * cw:                 # the frame is wider than the canvas: crop its sides
        crop_w, crop_h = max(2, int(round(height * cw / ch / 2)) * 2), height
    else:
        crop_w, crop_h = width, max(2, int(round(width * ch / cw / 2)) * 2)
    sw, sh = max(16, int(round(cw / 16)) * 2), max(16, int(round(ch / 16)) * 2)
    radius = max(1, min(int(round(float(out.pad_blur) * sw)), min(sw, sh) // 4 - 1))
    return (f"split[fg][bg];[bg]crop={crop_w}:{crop_h},scale={sw}:{sh}:flags=area,boxblur={radius}:2,"
            f"scale={cw}:{ch}:flags=bilinear[blur];[blur][fg]overlay={left}:{top}:format=yuv420,")


def chunks(n: int, fps: float, r: DictConfig) -> list[tuple[int, int]]:
    """Frame ranges [a, b) each rendered by its own perspective filter. ffmpeg parses a perspective's
    expressions again for every frame, so one expression for a long recording would cost time in proportion
    to its length; a chain of filters, each enabled for its own range, keeps every expression short."""
    size = max(1, round(r.chunk_s * fps), math.ceil(n / max(1, int(r.max_chunks))))
    return [(a, min(a + size, n)) for a in range(0, n, size)]


def _perspective(fits: list[list[expressions.Piece]], a: int, b: int, n: int, interpolation: str) -> str:
    """One perspective filter for frames [a, b): only the pieces that cover them."""
    exprs = []
    for name, ps in zip(CORNER_NAMES, fits):
        starts = [p.start for p in ps]
        lo = max(0, int(np.searchsorted(starts, a, side="right")) - 1)
        hi = int(np.searchsorted(starts, b, side="left"))
        exprs.append(f"{name}='{expressions.expression(ps[lo:max(hi, lo + 1)])}'")
    text = f"perspective={':'.join(exprs)}:interpolation={interpolation}:eval=frame"
    if (a, b) == (0, n):
        return text
    # timeline: n counts every input frame from 0; the last range also takes any frames beyond the track
    return text + (f":enable='between(n,{a},{b - 1})'" if b < n else f":enable='gte(n,{a})'")


def _rate(fps: float) -> str:
    """A frame rate as ffmpeg reads it exactly: 30000/1001 rather than 29.97."""
    for den in (1, 1001):
        num = fps * den
        if abs(num - round(num)) < 1e-6 * den:
            return f"{int(round(num))}/{den}" if den > 1 else str(int(round(num)))
    return f"{fps:.6f}"


def arguments(ffmpeg: str, video: str, script: Path, output: str, cfg: DictConfig, encoder: Encoder,
              script_option: str, has_audio: bool) -> list[str]:
    """The ffmpeg argument list, without progress reporting (that is added when we run it)."""
    r = cfg.render
    args = [ffmpeg, "-hide_banner", "-nostdin", "-y"]
    cuda = encoder.scale_cuda and cfg.look.name != "tilt"
    if cuda:
        args += ["-init_hw_device", "cuda=cu", "-filter_hw_device", "cu"]
    args += ["-i", video, script_option, str(script), "-map", "[v]"]
    if has_audio:
        args += ["-map", "0:a?", "-c:a", "copy"]
    if encoder.name == "h264_nvenc":
        args += ["-c:v", "h264_nvenc", "-preset", str(r.nvenc_preset), "-rc", "vbr", "-cq", str(r.nvenc_cq),
                 "-b:v", "0"]
        if not cuda:
            args += ["-pix_fmt", "yuv420p"]
    else:
        args += ["-c:v", "libx264", "-crf", str(r.crf), "-preset", str(r.preset), "-pix_fmt", "yuv420p"]
    if int(r.threads) > 0:
        args += ["-threads", str(int(r.threads))]
    if r.faststart and Path(output).suffix.lower() in (".mp4", ".mov", ".m4v"):
        args += ["-movflags", "+faststart"]
    return args + [output]


def shell_script(args: list[str], output: Path, note: str, path: str = "") -> str:
    """command.sh: the exact command, runnable from anywhere; `sh command.sh OTHER.mp4` writes elsewhere.
    path: the render path taken (which encoder and why), written as a comment line."""
    quoted = " ".join(shlex.quote(a) for a in args[:-1])
    return ("#!/bin/sh\n"
            f"# {' '.join(note.split())}\n"
            + (f"# render path: {' '.join(path.split())}\n" if path else "") +
            "# Re-makes the video with the same ffmpeg, filter script and settings. Optional argument: another\n"
            "# output path (default: the original output, replaced).\n"
            "set -e\n"
            # The default path is a plain single-quoted assignment: inside "${1:-...}" its quotes would be kept
            # as characters and $(...) or backticks in a user's file name would run.
            f"if [ $# -gt 0 ]; then OUT=\"$1\"; else OUT={shlex.quote(str(output))}; fi\n"
            # a name given with a leading dash would be read by ffmpeg as an option
            "case \"$OUT\" in -*) OUT=\"./$OUT\" ;; esac\n"
            f"exec {quoted} \"$OUT\"\n")


def is_cfr(track_fps: float, src_fps: float, src_frames: int, duration: float) -> bool:
    """Whether the source already runs at the track's rate, one frame per camera row (no resampling)."""
    if src_fps <= 0 or abs(src_fps - track_fps) > 1e-3 * track_fps:
        return False
    return src_frames <= 0 or abs(src_frames - duration * src_fps) <= max(2.0, 0.01 * src_frames) \
        and math.isfinite(duration)
