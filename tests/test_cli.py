"""The command line as a user meets it: help, config, overrides anywhere, progress and summary."""
from __future__ import annotations


def test_help_teaches_outputs_overrides_and_exit_codes(run_cli):
    r = run_cli("analyze", "--help")
    assert r.returncode == 0
    for text in ("segments.json", "camera.json", "features.npz", "--features", "director.min_window",
                 "output.size", "exit codes", "130"):
        assert text in r.stdout, text


def test_config_prints_the_resolved_config(run_cli):
    r = run_cli("config", "director.hold_s=2.5")
    assert r.returncode == 0
    assert "hold_s: 2.5" in r.stdout and "long_side:" in r.stdout


def test_overrides_after_options_progress_and_summary(typing_video, tmp_path, run_cli):
    r = run_cli("analyze", str(typing_video[0]), "-o", str(tmp_path / "rec"), "analysis.progress=true",
                "director.hold_s=1.0")
    assert r.returncode == 0, r.stderr
    assert "frame/s" in r.stderr                      # the progress bar: frames done, rate, time left
    assert "shots" in r.stderr and "real time" in r.stderr
    r = run_cli("analyze", "--features", str(tmp_path / "rec.features.npz"), "-o", str(tmp_path / "rec2"),
                "director.hold_s=1.0", "-q")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert (tmp_path / "rec2.camera.json").is_file()


def test_default_outputs_go_beside_the_input(typing_video, tmp_path, run_cli):
    import shutil
    src = tmp_path / "rec.mp4"
    shutil.copy(typing_video[0], src)
    r = run_cli("analyze", str(src), "-q")
    assert r.returncode == 0, r.stderr
    for ext in ("segments.json", "camera.json", "features.npz"):
        assert (tmp_path / f"rec.director.{ext}").is_file()
    assert src.read_bytes() == typing_video[0].read_bytes()
