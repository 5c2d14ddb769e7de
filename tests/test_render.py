"""Rendering: the directed video a user watches, its reproducible command, the tilt look, and every way the
render can be refused (each with its exit code, one line, no partial file, the input untouched)."""
from __future__ import annotations

import json
import signal
import re
import subprocess
import sys
import time
from pathlib import Path

import av
import pytest
from test_bad_input import _tree, check_error

from engine.media.ffmpeg import find_ffmpeg

FAST = "render.preset=veryfast"
USER_TILT = ("pad=1200:2200:(ow-iw)/2:(oh-ih)/2:black,perspective=x0=150:y0=150:x1=1050:y1=100:x2=100:y2=2050:"
             "x3=1100:y3=2100:interpolation=linear,scale=886:1920:flags=lanczos")


def _streams(path: Path) -> dict:
    """Size, frame count and stream start times of a video, by demuxing (no decoding)."""
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        a = c.streams.audio[0] if c.streams.audio else None
        frames = sum(1 for p in c.demux(v) if p.size)
        tb = float(v.time_base)
        return {"size": (v.codec_context.width, v.codec_context.height), "frames": frames,
                "fps": float(v.average_rate), "v_start": (v.start_time or 0) * tb,
                "a_start": None if a is None else (a.start_time or 0) * float(a.time_base)}


def _psnr_per_frame(a: Path, b: Path) -> list[float]:
    ff = find_ffmpeg()
    with_stats = a.with_suffix(".psnr.txt")
    subprocess.run([ff, "-v", "error", "-i", str(a), "-i", str(b), "-lavfi", f"psnr=stats_file={with_stats}",
                    "-f", "null", "-"], check=True)
    out = []
    for line in with_stats.read_text().splitlines():
        v = line.split("psnr_avg:")[1].split()[0]
        out.append(float("inf") if v == "inf" else float(v))
    return out


@pytest.fixture(scope="module", params=["flat", "tilt"])
def directed(request, typing_video_landscape, tmp_path_factory, run_cli):
    """`screendirector direct` on a 960x540 clip with audio, in each look."""
    src, _ = typing_video_landscape
    out = tmp_path_factory.mktemp(f"direct_{request.param}") / "rec.mp4"
    r = run_cli("direct", src, "-o", out, f"look={request.param}", FAST)
    assert r.returncode == 0, r.stderr
    return request.param, src, out, r


def test_direct_writes_the_video_and_every_analysis_output(directed):
    look, src, out, r = directed
    for suffix in (".mp4", ".command.sh", ".filter.txt", ".segments.json", ".camera.json", ".features.npz"):
        assert out.with_suffix(suffix).is_file(), suffix
    assert "rendered rec.mp4" in r.stderr
    s, o = _streams(src), _streams(out)
    want = (960, 540) if look == "flat" else (788, 540)
    assert o["size"] == want
    assert abs(o["frames"] - s["frames"]) <= 1
    assert o["fps"] == pytest.approx(s["fps"], rel=1e-3)
    assert o["a_start"] is not None, "audio dropped"
    assert abs(o["a_start"] - o["v_start"]) <= 1 / s["fps"] + 0.03, "audio and video start apart"


def test_command_sh_makes_the_same_frames_again(directed, tmp_path):
    _, _, out, _ = directed
    again = tmp_path / "again.mp4"
    subprocess.run(["sh", str(out.with_suffix(".command.sh")), str(again)], check=True, capture_output=True)
    assert min(_psnr_per_frame(out, again)) >= 50


def test_render_from_saved_camera_matches_direct(directed, tmp_path, run_cli):
    look, src, out, _ = directed
    again = tmp_path / "again.mp4"
    r = run_cli("render", src, "--camera", out.with_suffix(".camera.json"), "-o", again, f"look={look}", FAST)
    assert r.returncode == 0, r.stderr
    assert min(_psnr_per_frame(out, again)) >= 50



def test_command_sh_with_a_hostile_file_name_runs_nothing_and_remakes_that_file(directed, tmp_path, run_cli):
    look, src, out, _ = directed
    if look != "flat":
        pytest.skip("the name, not the look, is under test")
    name = tmp_path / "rec $(touch PWNED) `touch PWNED2` 'q\".mp4"
    r = run_cli("render", src, "--camera", out.with_suffix(".camera.json"), "-o", name, FAST)
    assert r.returncode == 0, r.stderr
    script = name.with_name(name.stem + ".command.sh")
    first = name.stat().st_mtime_ns
    time.sleep(0.01)
    subprocess.run(["sh", str(script)], check=True, capture_output=True, cwd=tmp_path)
    assert not list(tmp_path.glob("PWNED*")), "a command in the file name ran"
    assert name.stat().st_mtime_ns > first, "without an argument the script must remake the original output"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".mp4") == [name.name]
def test_tilt_with_a_still_camera_is_the_users_tilt(corpus_dir, tmp_path, run_cli):
    ff = find_ffmpeg()
    src = tmp_path / "p1.mp4"
    subprocess.run([ff, "-v", "error", "-i", str(corpus_dir / "P1_notes.mp4"), "-t", "2", "-c", "copy", str(src)],
                   check=True)
    n = _streams(src)["frames"]
    cam = {"version": 1, "width": 1080, "height": 1920, "fps": 30.0, "output": {"width": 1080, "height": 1920},
           "frames": [[i / 30, 0, 0, 1080, 1920, 0] for i in range(n)]}
    (tmp_path / "still.json").write_text(json.dumps(cam))
    ours = tmp_path / "ours.mp4"
    r = run_cli("render", src, "--camera", tmp_path / "still.json", "-o", ours, "look=tilt", FAST)
    assert r.returncode == 0, r.stderr
    theirs = tmp_path / "theirs.mp4"
    subprocess.run([ff, "-v", "error", "-i", str(src), "-vf", USER_TILT, "-c:v", "libx264", "-crf", "18",
                    "-preset", "veryfast", "-pix_fmt", "yuv420p", str(theirs)], check=True)
    assert _streams(ours)["size"] == (886, 1920)
    psnr = _psnr_per_frame(ours, theirs)
    assert len(psnr) == n and min(psnr) >= 40


@pytest.mark.parametrize("look", ["flat", "tilt"])
def test_corpus_clip_is_directed_with_size_frames_and_audio(corpus_dir, tmp_path, run_cli, look):
    src = corpus_dir / "D2_windows.mp4"
    out = tmp_path / "d2.mp4"
    r = run_cli("direct", src, "-o", out, f"look={look}", "render.preset=ultrafast")
    assert r.returncode == 0, r.stderr
    s, o = _streams(src), _streams(out)
    w, h = s["size"]
    # the tilt is given for a 1080x1920 view (-> 886x1920) and scales with the view: 1920x1080 -> 1576x1080
    assert o["size"] == ((w, h) if look == "flat" else (round(886 * w / 1080 / 2) * 2, h))
    assert abs(o["frames"] - s["frames"]) <= 1
    assert o["a_start"] is not None and abs(o["a_start"] - o["v_start"]) <= 1 / s["fps"] + 0.03


def test_without_nvenc_the_render_falls_back_to_libx264(typing_video, tmp_path, run_cli):
    src, _ = typing_video
    r = run_cli("direct", src, "-o", tmp_path / "x.mp4", "render.encoder=h264_nvenc", FAST)
    assert r.returncode == 0, r.stderr
    if "NVENC unavailable" in r.stderr:
        assert "libx264" in r.stderr
    else:                                           # a machine with a working NVENC
        assert "h264_nvenc" in r.stderr
    # the path taken is logged and written into command.sh as a comment, whose default output stays a plain
    # single-quoted assignment
    said = [ln for ln in r.stderr.splitlines() if "render path: " in ln]
    assert len(said) == 1
    sh = (tmp_path / "x.command.sh").read_text().splitlines()
    assert sh[2] == "# " + said[0].split(": ", 1)[1]
    assert any(re.fullmatch(r"if \[ \$# -gt 0 \]; then OUT=\"\$1\"; else OUT='?[^\"$`]*x\.mp4'?; fi", ln) for ln in sh)


# ------------------------------------------------------------------------------------------- refusals

@pytest.fixture
def camera(typing_video, tmp_path_factory, run_cli):
    """(video, camera.json dict) for the 540x960 typing clip."""
    src, _ = typing_video
    d = tmp_path_factory.mktemp("cam")
    r = run_cli("analyze", src, "-o", d / "t", "-q")
    assert r.returncode == 0, r.stderr
    return src, json.loads((d / "t.camera.json").read_text())


def _refused(run_cli, tmp_path, src, cam, code, *names, extra=()):
    (tmp_path / "in").mkdir(exist_ok=True)
    cam_path = tmp_path / "in" / "cam.json"
    cam_path.write_text(json.dumps(cam))
    before = _tree(tmp_path)
    r = run_cli("render", src, "--camera", cam_path, "-o", tmp_path / "o" / "x.mp4", "-q", *extra)
    check_error(r, code, *names)
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("edit, names", [
    (lambda c: c.update(version=7), ("version",)),
    (lambda c: c.update(width=1920), ("width",)),
    # x + w past the frame, whatever the window's width there
    (lambda c: c["frames"][40].__setitem__(1, c["width"] - c["frames"][40][3] + 50.0), ("frame 40", "w")),
    (lambda c: c["frames"][12].__setitem__(3, 100.0), ("frame 12", "aspect")),   # w no longer matches h
    (lambda c: c["frames"][5].__setitem__(0, -1.0), ("frame 5", "t")),           # time goes backwards
    (lambda c: c.pop("frames"), ("frames",)),
], ids=["version", "size", "out-of-frame", "aspect", "time", "no-frames"])
def test_a_camera_that_does_not_fit_is_refused(camera, tmp_path, run_cli, edit, names):
    src, cam = camera
    edit(cam)
    _refused(run_cli, tmp_path, src, cam, 15, *names)


def test_output_equal_to_input_is_refused(typing_video, tmp_path, run_cli):
    src = tmp_path / "in.mp4"
    src.write_bytes(Path(typing_video[0]).read_bytes())
    before = _tree(tmp_path)
    check_error(run_cli("direct", src, "-o", src, "-q"), 12, "replace the input")
    assert _tree(tmp_path) == before


def test_existing_output_needs_force(camera, tmp_path, run_cli):
    src, cam = camera
    (tmp_path / "cam.json").write_text(json.dumps(cam))
    out = tmp_path / "x.mp4"
    out.write_bytes(b"keep me")
    check_error(run_cli("render", src, "--camera", tmp_path / "cam.json", "-o", out, "-q"), 13, "--force")
    assert out.read_bytes() == b"keep me"
    r = run_cli("render", src, "--camera", tmp_path / "cam.json", "-o", out, "-q", "--force", FAST)
    assert r.returncode == 0, r.stderr
    assert _streams(out)["frames"] > 0


def test_missing_ffmpeg_is_refused(camera, tmp_path, run_cli):
    src, cam = camera
    _refused(run_cli, tmp_path, src, cam, 11, "ffmpeg", extra=("render.ffmpeg=/nonexistent/ffmpeg",))


def test_ffmpeg_failure_says_what_ffmpeg_said(camera, tmp_path, run_cli):
    src, cam = camera
    _refused(run_cli, tmp_path, src, cam, 14, "ffmpeg failed", extra=("render.preset=no-such-preset",))


def test_unknown_container_is_refused(camera, tmp_path, run_cli):
    src, cam = camera
    (tmp_path / "cam.json").write_text(json.dumps(cam))
    check_error(run_cli("render", src, "--camera", tmp_path / "cam.json", "-o", tmp_path / "x.txt", "-q"), 2, ".mp4")


def test_ctrl_c_while_rendering_leaves_no_partial_video(camera, tmp_path):
    src, cam = camera
    (tmp_path / "cam.json").write_text(json.dumps(cam))
    root = Path(__file__).resolve().parents[1]
    p = subprocess.Popen([sys.executable, "-m", "engine.cli", "render", str(src), "--camera", str(tmp_path / "cam.json"),
                          "-o", str(tmp_path / "o" / "x.mp4"), "-q", "render.preset=veryslow"], cwd=root,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list((tmp_path / "o").glob(".x.*.tmp.mp4")):
        time.sleep(0.05)                # wait until ffmpeg is writing the temporary file
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode in (0, 130), err
    assert "Traceback" not in err
    assert not [f for f in tmp_path.rglob("*") if ".tmp" in f.name]
    if p.returncode == 130:
        assert not (tmp_path / "o" / "x.mp4").exists()


def test_long_tracks_split_into_short_expressions_give_the_same_frames(camera, tmp_path, run_cli):
    """A long recording's camera is rendered by a chain of perspective filters, one per stretch of time
    (render.chunk_s): the frames must not change at the seams."""
    src, cam = camera
    (tmp_path / "cam.json").write_text(json.dumps(cam))
    one, many = tmp_path / "one.mp4", tmp_path / "many.mp4"
    for out, chunk in ((one, "600"), (many, "0.7")):
        r = run_cli("render", src, "--camera", tmp_path / "cam.json", "-o", out, "-q", FAST, f"render.chunk_s={chunk}")
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "many.filter.txt").read_text().count("perspective=") >= 8
    assert (tmp_path / "one.filter.txt").read_text().count("perspective=") == 1
    assert min(_psnr_per_frame(one, many)) >= 50
