"""bench.motion: recover the camera window of each frame from pixels, and score the path's smoothness.

Frames are synthesised from a seeded textured still by an independent numpy bilinear warp of known windows
(then, for the round trip, encoded with libx264 crf 12 and decoded again), so the truth is exact.
"""
from __future__ import annotations

import numpy as np
import pytest

from bench.motion import estimate_windows, read_gray, smoothness
from media_files import gray_writer

OW, OH = 540, 960          # output size (portrait), the same as the source's
FPS = 30


def make_source(seed: int = 5) -> np.ndarray:
    """(960, 540) float32 still: blurred noise (texture everywhere) plus dark and light text-like bars."""
    rng = np.random.default_rng(seed)
    img = rng.normal(0.0, 1.0, (OH, OW))
    for _ in range(3):                              # a cheap blur: three 3x3 box passes
        img = sum(np.roll(img, d, 0) for d in (-1, 0, 1)) / 3
        img = sum(np.roll(img, d, 1) for d in (-1, 0, 1)) / 3
    img = 140 + 35 * img / img.std()
    for _ in range(150):
        y, x = rng.integers(0, OH - 10), rng.integers(0, OW - 60)
        img[y:y + rng.integers(3, 10), x:x + rng.integers(8, 60)] = rng.choice([25, 240])
    return np.clip(img, 0, 255).astype(np.float32)


def render(src: np.ndarray, x: float, y: float, w: float, h: float, ow: int = OW, oh: int = OH) -> np.ndarray:
    """The source rect x..x+w, y..y+h (source px) stretched to ow x oh by bilinear sampling, edges clamped."""
    def taps(start, size, n, limit):
        c = start + (np.arange(n) + 0.5) * size / n - 0.5            # sample position in pixel-index units
        i0 = np.clip(np.floor(c).astype(int), 0, limit - 2)
        return i0, np.clip(c - i0, 0.0, 1.0)
    xi, fx = taps(x, w, ow, src.shape[1])
    yi, fy = taps(y, h, oh, src.shape[0])
    top = src[yi][:, xi] * (1 - fx) + src[yi][:, xi + 1] * fx
    bottom = src[yi + 1][:, xi] * (1 - fx) + src[yi + 1][:, xi + 1] * fx
    return (top * (1 - fy)[:, None] + bottom * fy[:, None]).astype(np.float32)


def frames_of(src: np.ndarray, windows: np.ndarray) -> np.ndarray:
    return np.stack([render(src, *win) for win in windows])


def with_h(xyw: np.ndarray) -> np.ndarray:
    return np.column_stack([xyw, xyw[:, 2] * OH / OW])


def push_in(n: int = 60, zoom: float = 1.3) -> np.ndarray:
    """Eased (smoothstep) push-in from the full frame to `zoom`x about a point off the centre: (n, 4) windows."""
    t = np.linspace(0.0, 1.0, n)
    e = t * t * (3 - 2 * t)
    w = OW + (OW / zoom - OW) * e
    fx, fy = 0.35, 0.6                              # the fixed point, as a fraction of the window
    return with_h(np.column_stack([(OW - w) * fx, (OH - w * OH / OW) * fy, w]))


def pan(n: int = 40) -> np.ndarray:
    """A steady pan of 3 px/frame right and 1.25 px/frame down at 1.35x: (n, 4) windows."""
    i = np.arange(n)
    return with_h(np.column_stack([10.3 + 3.0 * i, 150.6 + 1.25 * i, np.full(n, OW / 1.35)]))


def h264_round_trip(frames: np.ndarray, path) -> np.ndarray:
    with gray_writer(path, OW, OH, fps=FPS, crf=12) as enc:
        for f in frames:
            enc.write_gray(np.clip(np.rint(f), 0, 255).astype(np.uint8))
    return read_gray(path)


@pytest.fixture(scope="module")
def source() -> np.ndarray:
    return make_source()


@pytest.fixture(scope="module")
def moves(source):
    """{name: (planned windows (n, 4), rendered frames)} for the push-in and the pan."""
    return {name: (plan, frames_of(source, plan)) for name, plan in (("push", push_in()), ("pan", pan()))}


@pytest.fixture(scope="module")
def decoded(moves, tmp_path_factory):
    d = tmp_path_factory.mktemp("motion")
    return {name: h264_round_trip(frames, d / f"{name}.mp4") for name, (_, frames) in moves.items()}


@pytest.mark.parametrize("name", ["push", "pan"])
def test_recovers_windows_exactly_rendered(source, moves, name):
    plan, frames = moves[name]
    est = estimate_windows(source, frames)
    assert est.shape == (len(plan), 3)
    assert np.abs(est - plan[:, :3]).max() < 0.1


@pytest.mark.parametrize("name", ["push", "pan"])
def test_recovers_windows_after_h264(source, moves, decoded, name):
    plan, frames = moves[name]
    gray = decoded[name]
    assert gray.shape == frames.shape and gray.dtype == np.float32
    assert np.abs(gray - frames).mean() < 2.0                       # the decode is the video, not garbage
    est = estimate_windows(source, gray)
    assert np.abs(est - plan[:, :3]).max() < 0.15
    score = smoothness(est, FPS, plan)
    assert score["checked_steps"] > 0
    assert score["backward_steps"] == 0 and score["steps_within_tol"], score


def test_read_gray_max_frames(decoded, tmp_path):
    path = tmp_path / "short.mp4"
    h264_round_trip(decoded["pan"][:5], path)
    assert read_gray(path, max_frames=3).shape == (3, OH, OW)


def test_init_guesses_are_refined(source, moves):
    plan, frames = moves["push"]
    guess = plan[:, :3] + np.array([1.5, -1.0, 2.0])
    assert np.abs(estimate_windows(source, frames[::10], init=guess[::10]) - plan[::10, :3]).max() < 0.1


def test_whole_pixel_rounding_fails_the_plan(source, moves):
    """zoompan's way: x, y, w and h each rounded to whole pixels per frame -> the measured steps jump."""
    plan, frames = moves["push"]
    smooth = smoothness(estimate_windows(source, frames), FPS, plan)
    rounded = np.rint(plan)
    est = estimate_windows(source, frames_of(source, rounded))
    shaky = smoothness(est, FPS, plan)
    assert smooth["steps_within_tol"] and smooth["backward_steps"] == 0
    assert shaky["backward_steps"] > 0 or not shaky["steps_within_tol"], shaky
    assert shaky["worst_step_ratio"] > 2 * smooth["worst_step_ratio"]
    assert shaky["jitter"] > 5 * smooth["jitter"]


def test_jitter_of_smooth_and_shaky_paths():
    plan = push_in(90, zoom=2.0)
    calm = smoothness(plan, FPS)
    shaky = smoothness(plan + np.random.default_rng(0).normal(0.0, 0.2, plan.shape), FPS)
    assert calm["jitter"] < 1e-3 and calm["backward_steps"] == 0
    assert shaky["jitter"] > 0.1
    assert len(calm["jitter_xyw"]) == 3 and "worst_step_ratio" not in calm
