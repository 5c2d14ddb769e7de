"""`version --all`, -v and --log-file, the one-line internal error, and the made_by block of the analysis
outputs (tool version and config hash, the same on every run)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import corpus_media
from engine.media.ffmpeg import find_ffmpeg
from test_bad_input import check_error


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    p = tmp_path_factory.mktemp("diag") / "clip.mp4"
    corpus_media._ff(find_ffmpeg(), *corpus_media._src(), *corpus_media.X264, p)
    return p


def test_version(run_cli):
    import engine
    r = run_cli("version")
    assert r.returncode == 0 and r.stdout == f"screendirector {engine.__version__}\n", r.stderr


def test_version_all(run_cli):
    import av
    import torch
    r = run_cli("version", "--all")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for word in (f"torch {torch.__version__}", f"PyAV {av.__version__}", "numpy ", "python ", "torch devices: cpu",
                 "triton ", "ray ", f"ffmpeg {find_ffmpeg()}", "ffmpeg version", "h264_nvenc ", "libx264 listed",
                 "render.encoder=auto uses "):
        assert word in out, (word, out)
    assert ("CUDA available: no" in out) != torch.cuda.is_available()


def test_verbose_and_log_file(run_cli, clip, tmp_path):
    quiet = run_cli("analyze", clip, "-o", tmp_path / "a")
    assert quiet.returncode == 0 and "DEBUG" not in quiet.stderr and "shots" in quiet.stderr
    log = tmp_path / "run.log"
    loud = run_cli("-v", "analyze", clip, "-o", tmp_path / "b", "--log-file", log)
    assert loud.returncode == 0, loud.stderr
    assert "engine.pipeline DEBUG: probed VideoInfo" in loud.stderr
    assert [ln for ln in quiet.stderr.splitlines() if "shots" in ln][0].split(", analysis")[0] in loud.stderr
    text = log.read_text()
    assert "probed VideoInfo" in text and "seconds per stage" in text
    logged = run_cli("analyze", clip, "-o", tmp_path / "c", "-q", "--log-file", tmp_path / "only.log")
    assert logged.returncode == 0 and logged.stderr == "", logged.stderr       # the log file, not stderr
    assert "probed VideoInfo" in (tmp_path / "only.log").read_text()


def test_log_file_unwritable(run_cli, clip, tmp_path):
    (tmp_path / "f").write_text("x")
    check_error(run_cli("analyze", clip, "-o", tmp_path / "o", "--log-file", tmp_path / "f" / "log"), 8, "log")
    assert not (tmp_path / "o.camera.json").exists()


def test_internal_error_is_one_line(monkeypatch, capsys, tmp_path):
    """A bug (any exception that is not a user error) is one line and exit 1; its traceback goes to the log."""
    import engine.commands
    from engine import cli

    def boom(args):
        raise RuntimeError("shape [1] vs [2]\nsecond line")
    monkeypatch.setattr(engine.commands, "analyze", boom)
    log = tmp_path / "log"
    assert cli.main(["analyze", "x.mp4", "--log-file", str(log)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("screendirector: error: internal error: RuntimeError: shape [1] vs [2]")
    assert "Traceback" in log.read_text() and "boom" in log.read_text()


def test_made_by(run_cli, clip, tmp_path):
    import engine
    runs = [("a", []), ("b", ["analysis.progress=false", "-q"]), ("c", ["director.min_window=0.7"])]
    for name, extra in runs:
        assert run_cli("analyze", clip, "-o", tmp_path / name, *extra).returncode == 0
    for kind in ("segments", "camera"):
        a, b, c = (json.loads((tmp_path / f"{n}.{kind}.json").read_text())["made_by"] for n, _ in runs)
        assert a == b and a["version"] == engine.__version__ and a["tool"] == "screendirector"
        assert c["config_hash"] != a["config_hash"] and len(a["config_hash"]) == 64
        assert (tmp_path / f"a.{kind}.json").read_bytes() == (tmp_path / f"b.{kind}.json").read_bytes()
        assert str(tmp_path) not in (tmp_path / f"a.{kind}.json").read_text()


def test_log_file_gets_the_batch_workers_lines(run_cli, clip, tmp_path):
    """batch runs its recordings in worker processes: they log to the same file, each line with its process."""
    (tmp_path / "in").mkdir()
    for name in ("one", "two"):
        (tmp_path / "in" / f"{name}.mp4").write_bytes(Path(clip).read_bytes())
    log = tmp_path / "batch.log"
    r = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out", "--workers", "2", "-q", "--log-file", log)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in log.read_text().splitlines() if "seconds per stage" in ln]
    assert len(lines) == 2 and all(str(tmp_path / "out") in ln for ln in lines), lines
