"""Smoothness measured on the rendered frames, not in camera.json: a still textured clip rendered through a
slow 2 s push-in (1.0x -> 1.3x) and a slow pan; each output frame's window is recovered from its pixels.
No frame may move backwards and every step must be within 25% of the planned one. The same moves rendered
by ffmpeg's zoompan (whole-pixel windows) must fail the same check: the test catches the shake."""
from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
from test_motion import OH, OW, make_source

from engine.media.ffmpeg import find_ffmpeg
from bench.motion import estimate_windows, read_gray, smoothness
from media_files import gray_writer

FPS = 30
HOLD, PUSH, PAN = 10, 60, 30          # frames: still, push-in over 2 s, pan over 1 s
ZOOM = 1.3
PAN_PX = 2.0                          # px per frame, right and down
N = HOLD + PUSH + PAN + 5


def planned() -> np.ndarray:
    """(N, 4) windows x, y, w, h: hold, an eased push-in about the centre, then a diagonal pan."""
    i = np.arange(N, dtype=np.float64)
    u = np.clip((i - HOLD) / (PUSH - 1), 0, 1)
    w = OW + (OW / ZOOM - OW) * u * u * (3 - 2 * u)
    h = w * OH / OW
    pan = PAN_PX * np.clip(i - (HOLD + PUSH - 1), 0, PAN)
    return np.column_stack([(OW - w) / 2 + pan, (OH - h) / 2 + pan, w, h])


# the same path as ffmpeg expressions of zoompan's output frame counter `on`
U = f"clip((on-{HOLD})/{PUSH - 1},0,1)"
W_EXPR = f"({OW}+({OW / ZOOM - OW})*{U}*{U}*(3-2*{U}))"
PAN_EXPR = f"{PAN_PX}*clip(on-{HOLD + PUSH - 1},0,{PAN})"


@pytest.fixture(scope="module")
def still(tmp_path_factory):
    d = tmp_path_factory.mktemp("smooth")
    src = make_source()
    with gray_writer(d / "still.mp4", OW, OH, crf=4) as enc:
        for _ in range(N):
            enc.write_gray(np.clip(src, 0, 255).astype(np.uint8))
    return d, read_gray(d / "still.mp4", max_frames=1)[0]


def _check(video, source) -> dict:
    frames = read_gray(video)
    plan = planned()
    assert len(frames) == N
    est = estimate_windows(source, frames, init=plan[:, :3])
    return smoothness(est, FPS, planned=plan[:, :3])


def test_our_render_is_smooth_to_the_sub_pixel(still, run_cli):
    d, source = still
    cam = {"version": 1, "width": OW, "height": OH, "fps": FPS, "output": {"width": OW, "height": OH},
           "frames": [[i / FPS, *row, 0.0] for i, row in enumerate(planned().tolist())]}
    (d / "cam.json").write_text(json.dumps(cam))
    r = run_cli("render", d / "still.mp4", "--camera", d / "cam.json", "-o", d / "ours.mp4", "--force", "-q",
                "render.crf=10", "render.preset=veryfast")
    assert r.returncode == 0, r.stderr
    s = _check(d / "ours.mp4", source)
    assert s["backward_steps"] == 0, s
    assert s["steps_within_tol"], s
    assert s["worst_step_ratio"] <= 0.25, s


def test_zoompan_fails_the_same_check(still):
    d, source = still
    vf = (f"zoompan=z='{OW}/{W_EXPR}':x='({OW}-{W_EXPR})/2+{PAN_EXPR}':"
          f"y='({OH}-{W_EXPR}*{OH}/{OW})/2+{PAN_EXPR}':d=1:s={OW}x{OH}:fps={FPS}")
    subprocess.run([find_ffmpeg(), "-v", "error", "-y", "-i", str(d / "still.mp4"), "-vf", vf, "-c:v", "libx264",
                    "-crf", "10", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(d / "zoompan.mp4")], check=True)
    s = _check(d / "zoompan.mp4", source)
    assert s["backward_steps"] > 0 or not s["steps_within_tol"], s
