"""Measure a rendered camera move from its pixels: which window of the still source each output frame shows.

A window is ``[x, y, w, h]`` in source pixels (origin at the top-left corner of the pixel grid, pixel centres at
+0.5): output frame ``(ow, oh)`` shows the source rectangle x..x+w, y..y+h scaled to the full frame, with
``h = w * oh / ow``. Output pixel centre ``u + 0.5`` maps to source ``x + (u + 0.5) * w / ow`` (and likewise in y).

``estimate_windows`` fits (x, y, w) per frame by Gauss-Newton (Lucas-Kanade) on the squared difference between
the frame and the bilinearly warped source, coarse to fine over an image pyramid. ``smoothness`` turns a
measured path into numbers a test can assert on: jitter, backward steps, and per-frame steps against a plan.
"""
from __future__ import annotations

import itertools
import math

import av
import numpy as np
import torch
import torch.nn.functional as F


def read_gray(path, max_frames: int | None = None) -> np.ndarray:
    """(n, h, w) float32 luma (the decoder's Y plane, 0..255, no RGB conversion) of the first `max_frames`
    frames of a video (all of them when None)."""
    out = list(itertools.islice(_frames_gray(path, 1), max_frames))
    return np.stack(out) if out else np.zeros((0, 0, 0), np.float32)


# ------------------------------------------------------------------------------------------------ images

def _blur(img: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur of (B, 1, h, w) with standard deviation `sigma` px (reflected edges)."""
    if sigma <= 0:
        return img
    r = max(1, math.ceil(3 * sigma))
    t = torch.arange(-r, r + 1, dtype=img.dtype)
    k = torch.exp(-0.5 * (t / sigma) ** 2)
    k = k / k.sum()
    img = F.conv2d(F.pad(img, (r, r, 0, 0), mode="reflect"), k.view(1, 1, 1, -1))
    return F.conv2d(F.pad(img, (0, 0, r, r), mode="reflect"), k.view(1, 1, -1, 1))


def _with_gradients(img: torch.Tensor) -> torch.Tensor:
    """(1, 3, h, w): the image and its central-difference x and y gradients (per pixel)."""
    p = F.pad(img, (1, 1, 1, 1), mode="replicate")
    gx = (p[..., 1:-1, 2:] - p[..., 1:-1, :-2]) / 2
    gy = (p[..., 2:, 1:-1] - p[..., :-2, 1:-1]) / 2
    return torch.cat([img, gx, gy], 1)


# ------------------------------------------------------------------------------------------------ search

def _coarse_search(src_c: torch.Tensor, frame: torch.Tensor, factor: int, max_zoom: float,
                   scales: int) -> np.ndarray:
    """Rough (x, y, w) of one frame by normalised cross-correlation of the frame, shrunk to each of `scales`
    candidate window sizes (zoom 1x .. `max_zoom` x of the largest window that fits), against the source
    pooled by `factor` (`src_c`, (1, 1, Hc, Wc)). Good to about `factor` px: a start for the refinement."""
    _, _, hc, wc = src_c.shape
    oh, ow = frame.shape[-2:]
    widest = min(wc, hc * ow / oh)
    best = (-2.0, 0.0, 0.0, float(wc * factor))
    for z in np.geomspace(1.0, max_zoom, scales):
        tw = max(4, round(widest / z))
        th = max(4, min(hc, round(tw * oh / ow)))
        t = F.interpolate(frame, size=(th, tw), mode="area")
        t = t - t.mean()
        tn = t.norm()
        if tn == 0:
            continue
        ones = torch.ones_like(t)
        s1 = F.conv2d(src_c, ones)
        s2 = F.conv2d(src_c ** 2, ones)
        var = (s2 - s1 ** 2 / t.numel()).clamp_min(1e-6)
        ncc = (F.conv2d(src_c, t) / (var.sqrt() * tn))[0, 0]
        i = int(ncc.argmax())
        score = float(ncc.flatten()[i])
        if score > best[0]:
            best = (score, (i % ncc.shape[1]) * factor, (i // ncc.shape[1]) * factor, tw * factor)
    return np.array(best[1:], np.float64)


# ------------------------------------------------------------------------------------------------ refine

def _blurs(blur: float, level_blur: float, levels: int) -> list[float]:
    """Gaussian sigma (px) that pyramid level k carries in all: `blur`, then `level_blur` px of every level
    above it (level j's pixel being 2**j px)."""
    return [math.sqrt(blur ** 2 + sum((level_blur * 2 ** j) ** 2 for j in range(k))) for k in range(levels)]


def _refine(src_levels: list[torch.Tensor], sigmas: list[float], frame: torch.Tensor, p: np.ndarray,
            level_blur: float, stride: int, margin: int, iterations: int, tol: float) -> np.ndarray:
    """Gauss-Newton on (x, y, w, gain, offset), coarse to fine: minimise sum (gain * I(warp) + offset - frame)^2
    over interior output pixels. `src_levels[k]` is the full-resolution source with gradients, blurred by
    `sigmas[k]` px (_blurs); the frame's level k carries the same blur in source px (its sigmas divided by the
    zoom scale w / ow of the start `p`) and is decimated by 2**k. The parameters are full-resolution source px."""
    ow = frame.shape[-1]
    s0 = max(p[2] / ow, 1e-2)
    levels = [_blur(frame, sigmas[0] / s0)]
    for _ in range(1, len(src_levels)):
        levels.append(_blur(levels[-1], level_blur / s0)[..., ::2, ::2])
    hs, ws = src_levels[0].shape[-2:]
    p = p.copy()
    for k in reversed(range(len(src_levels))):
        f, fk = 2 ** k, levels[k]
        step = stride if k == 0 else 1
        mk = math.ceil((margin + 3 * sigmas[k] / s0) / f)  # the frame's edge and its blur's reach, in level px
        v, u = torch.meshgrid(torch.arange(mk, fk.shape[-2] - mk, step), torch.arange(mk, fk.shape[-1] - mk, step),
                              indexing="ij")
        target = fk[0, 0, v, u].reshape(-1)
        uc = (u.reshape(-1) * f + 0.5).float()          # output-pixel centres in full-resolution output px
        vc = (v.reshape(-1) * f + 0.5).float()
        for _ in range(iterations):
            x, y, w, a, b = p
            sx, sy = x + uc * (w / ow), y + vc * (w / ow)
            grid = torch.stack([sx * (2 / ws) - 1, sy * (2 / hs) - 1], -1).view(1, 1, -1, 2)
            i, gx, gy = F.grid_sample(src_levels[k], grid, mode="bilinear", padding_mode="border",
                                      align_corners=False)[0, :, 0]
            ok = ((sx > 1) & (sx < ws - 1) & (sy > 1) & (sy < hs - 1)).float()
            if float(ok.sum()) < 16:
                break
            gx, gy = gx * (ok * a), gy * (ok * a)
            jac = torch.stack([gx, gy, (gx * uc + gy * vc) / ow, i * ok, ok])
            r = (a * i + b - target) * ok
            dp = torch.linalg.lstsq((jac @ jac.T).double(), -(jac @ r).double()[:, None]).solution[:, 0].numpy()
            p += dp
            if np.abs(dp[:3]).max() < tol * f:
                break
    return p


def estimate_windows(source: np.ndarray, frames: np.ndarray, init: np.ndarray | None = None, *,
                     levels: int = 4, blur: float = 0.7, level_blur: float = 1.0, stride: int = 2, margin: int = 8,
                     iterations: int = 20, tol: float = 1e-3, max_zoom: float = 4.0,
                     search_scales: int = 24) -> np.ndarray:
    """(n, 3) float64 window (x, y, w) in source px shown by each of `frames` ((n, oh, ow) luma) of the still
    `source` ((H, W) luma) it was rendered from; h = w * oh / ow. Pure zoom and pan, no rotation.

    Each frame starts from `init[i]` ((n, 3) or (n, 4) window rows) when given, else from the previous frames'
    estimates extrapolated at constant velocity; the first frame without `init` starts from a coarse search
    (normalised cross-correlation over `search_scales` zooms from 1x to `max_zoom` x). Then Gauss-Newton on
    (x, y, w) plus a luma gain and offset (so a levels/range change between source and video does not bias it),
    over `levels` pyramid levels (factor 2 each; a start within about 2**(levels-1) px converges).

    blur: Gaussian sigma in source px applied to the source (and the matching sigma, blur / zoom scale, in output
    px to each frame) before matching, which damps the finest detail, where interpolation and compression
    errors live. level_blur: sigma in a level's own px applied before each halving of the pyramid. stride: use
    every `stride`-th output pixel (each axis) at full resolution. margin: output px ignored at each frame edge
    (plus the reach of the level's blur). iterations: at most this many Gauss-Newton steps per level; tol: a
    level stops when no step of x, y or w exceeds this many source px (times the level's pixel size).
    Assumes the window is at most the output's size (zoom >= 1 output px per source px); a frame the source does
    not explain (a cut, a title card) gets a meaningless window and may throw the next frames' start off.
    """
    with torch.no_grad():
        src = torch.as_tensor(np.asarray(source, np.float32))[None, None]
        sigmas = _blurs(blur, level_blur, levels)
        pyr = [_with_gradients(_blur(src, sigma)) for sigma in sigmas]
        f = 2 ** (levels - 1)
        coarse = F.avg_pool2d(pyr[-1][:, :1], f)
        n = len(frames)
        out = np.zeros((n, 3))
        p = np.array([0.0, 0.0, float(source.shape[1]), 1.0, 0.0])
        for t in range(n):
            fr = torch.as_tensor(np.asarray(frames[t], np.float32))[None, None]
            if init is not None:
                p[:3] = np.asarray(init[t], np.float64)[:3]
            elif t == 0:
                p[:3] = _coarse_search(coarse, fr, f, max_zoom, search_scales)
            elif t >= 2:
                p[:3] = 2 * out[t - 1] - out[t - 2]
            p = _refine(pyr, sigmas, fr, p, level_blur, stride, margin, iterations, tol)
            out[t] = p[:3]
    return out


# ------------------------------------------------------------------------------------------------ scoring

def _smooth(path: np.ndarray, window: int, degree: int) -> np.ndarray:
    """Savitzky-Golay-style local polynomial fit of each column of (n, k) `path`: at every frame, the least
    squares polynomial of `degree` over the `window` frames around it (shifted inwards at the ends)."""
    n = len(path)
    window = min(window, n)
    degree = min(degree, window - 1)
    t = np.arange(window, dtype=np.float64)
    vand = np.vander(t, degree + 1)
    proj = vand @ np.linalg.pinv(vand)                  # row j: fitted value at position j of the window
    half = window // 2
    out = np.empty_like(path, dtype=np.float64)
    for i in range(n):
        s = min(max(i - half, 0), n - window)
        out[i] = proj[i - s] @ path[s:s + window]
    return out


def smoothness(windows: np.ndarray, fps: float, planned: np.ndarray | None = None, rel_tol: float = 0.25,
               min_step: float = 0.5, window: int = 9, degree: int = 3) -> dict:
    """How smooth a measured window path ((n, 3) or (n, 4) rows x, y, w[, h] in source px) is.

    A step is the per-frame change of x, y and w (source px/frame), each parameter on its own.
    - jitter: RMS (px/frame^2) of the second difference of the path minus that of its own local fit (a
      polynomial of `degree` over `window` frames around each frame, Savitzky-Golay-style), the largest of x, y,
      w; jitter_xyw has all three. A smooth path scores about its measurement noise; a shaky one much more.
    - backward_steps: steps against the reference step's sign (total over x, y, w; backward_steps_xyw per
      parameter), counted where the reference (the plan when given, else the local fit) moves at least
      `min_step` px/frame, i.e. within a monotonic move above the noise floor.
    - with `planned` ((n, 3) or (n, 4) windows): worst_step_ratio, the largest |measured step - planned step| /
      |planned step| over steps whose planned size is at least `min_step` (0 when none), and steps_within_tol,
      whether it is at most `rel_tol`; checked_steps counts those steps.
    - speed_max: the largest |step| times `fps` (frames/s), in source px/s, for scale.

    rel_tol: allowed step error as a fraction of the planned step. min_step: the noise floor, source px/frame
    (well above the ~0.02 px/frame scatter of estimate_windows on compressed video). window: frames in the local
    fit (odd); degree: its polynomial degree.
    """
    path = np.asarray(windows, np.float64)[:, :3]
    fit = _smooth(path, window, degree)
    acc = np.diff(path - fit, 2, axis=0)
    jitter = np.sqrt((acc ** 2).mean(0)) if len(acc) else np.zeros(3)
    ref = fit if planned is None else np.asarray(planned, np.float64)[:, :3]
    step, ref_step = np.diff(path, axis=0), np.diff(ref, axis=0)
    moving = np.abs(ref_step) >= min_step
    backward = (moving & (step * ref_step < 0)).sum(0)
    res = {
        "jitter": float(jitter.max()),
        "jitter_xyw": [float(j) for j in jitter],
        "backward_steps": int(backward.sum()),
        "backward_steps_xyw": [int(b) for b in backward],
        "speed_max": float(np.abs(step).max() * fps) if len(step) else 0.0,
    }
    if planned is not None:
        ratio = np.abs(step - ref_step)[moving] / np.abs(ref_step)[moving]
        worst = float(ratio.max()) if ratio.size else 0.0
        res.update(worst_step_ratio=worst, steps_within_tol=worst <= rel_tol, checked_steps=int(moving.sum()))
    return res


def _frames_gray(path, shrink: int):
    """Y planes of a video, block-averaged by `shrink`, one (h, w) float32 array at a time."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        s.thread_type = "AUTO"
        for fr in c.decode(s):
            p = fr.planes[0]
            y = np.frombuffer(p, np.uint8).reshape(-1, p.line_size)[: fr.height, : fr.width].astype(np.float32)
            h, w = (y.shape[0] // shrink) * shrink, (y.shape[1] // shrink) * shrink
            yield y[:h, :w].reshape(h // shrink, shrink, w // shrink, shrink).mean((1, 3))


def render_smoothness(source_path, rendered_path, camera_rows: np.ndarray, fps: float, shrink: int = 2,
                      moving_px: float = 0.05, pad: int = 2, min_run: int = 5) -> dict:
    """Smoothness of a flat render, measured from its frames where the camera moves.

    camera_rows: the track's (n, 6) rows [t, x, y, w, h, tilt]. Frames whose planned window moves by more than
    `moving_px` source px (x, y or w) from the previous one, with `pad` frames either side, form runs; each
    frame of a run is measured against the source frame of the same index (recordings change, so each frame has
    its own reference), both block-averaged by `shrink` for speed, starting from its planned window. Runs shorter
    than `min_run` frames are skipped. Returns the worst jitter, the total backward steps and the worst step
    ratio over the runs (see smoothness), jitter_vs_plan (RMS px/frame^2 of the second difference of the
    measured path minus the planned one: the shake the render adds), and how many frames were measured."""
    plan = np.asarray(camera_rows, np.float64)[:, 1:4]
    step = np.r_[0.0, np.abs(np.diff(plan, axis=0)).max(1)]
    moving = np.convolve(step > moving_px, np.ones(2 * pad + 1), mode="same") > 0
    want = set(np.nonzero(moving)[0].tolist())
    measured: dict[int, np.ndarray] = {}
    frames = zip(_frames_gray(source_path, shrink), _frames_gray(rendered_path, shrink))
    for i, (src, frame) in enumerate(frames):
        if i >= len(plan):
            break
        if i in want:
            measured[i] = estimate_windows(src, frame[None], init=plan[i : i + 1] / shrink)[0] * shrink
    res = {"jitter": 0.0, "jitter_vs_plan": 0.0, "backward_steps": 0, "worst_step_ratio": 0.0,
           "measured_frames": len(measured)}
    idx = sorted(measured)
    runs = np.split(np.array(idx, dtype=int), np.nonzero(np.diff(idx) > 1)[0] + 1) if idx else []
    for run in runs:
        if len(run) < min_run:
            continue
        path = np.array([measured[i] for i in run])
        s = smoothness(path, fps, planned=plan[run])
        res["jitter"] = max(res["jitter"], s["jitter"])
        off = np.diff(path - plan[run], 2, axis=0)          # shake the render adds to the planned path
        res["jitter_vs_plan"] = max(res["jitter_vs_plan"], float(np.sqrt((off ** 2).mean(0)).max()))
        res["backward_steps"] += s["backward_steps"]
        res["worst_step_ratio"] = max(res["worst_step_ratio"], s["worst_step_ratio"])
    return res
