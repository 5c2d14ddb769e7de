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


def test_several_recordings_in_one_run(typing_video, popup_video, tmp_path, run_cli):
    """An archive in one call: a folder and a file, outputs as DIR/NAME.*, identical to one-by-one runs; a
    broken recording is named and skipped, the others are still written, and the exit code is its kind's."""
    import shutil
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(typing_video[0], archive / "typing.mp4")
    (archive / "broken.mp4").write_text("not a video\n" * 20)
    (archive / "notes.txt").write_text("ignored: not a video file name")
    r = run_cli("analyze", str(archive), str(popup_video[0]), "-o", str(tmp_path / "out"),
                "director.hold_s=0.8")
    assert r.returncode == 4, r.stderr                            # broken.mp4: not a video
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("screendirector: error:")]
    assert len(errors) == 1 and "broken.mp4" in errors[0], r.stderr
    assert "Traceback" not in r.stderr
    assert "2 of 3 recordings analysed" in r.stderr
    for name in ("typing", "popup"):
        for ext in ("segments.json", "camera.json", "features.npz"):
            assert (tmp_path / "out" / f"{name}.{ext}").is_file()
    assert not list((tmp_path / "out").glob("broken*")) and not list((tmp_path / "out").glob(".*"))
    one = run_cli("analyze", str(popup_video[0]), "-o", str(tmp_path / "single"), "director.hold_s=0.8", "-q")
    assert one.returncode == 0, one.stderr
    for ext in ("segments.json", "camera.json"):
        assert (tmp_path / "out" / f"popup.{ext}").read_bytes() == (tmp_path / f"single.{ext}").read_bytes()


def test_several_recordings_with_one_name_are_refused(typing_video, tmp_path, run_cli):
    import shutil
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(typing_video[0], tmp_path / sub / "rec.mp4")
    r = run_cli("analyze", str(tmp_path / "a" / "rec.mp4"), str(tmp_path / "b" / "rec.mp4"), "-o", str(tmp_path / "out"))
    assert r.returncode == 2, r.stderr
    assert "same outputs" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_several_failures_of_different_kinds(tmp_path, run_cli):
    broken = tmp_path / "broken.mp4"
    broken.write_text("not a video\n" * 20)
    r = run_cli("analyze", str(tmp_path / "missing.mp4"), str(broken), "-o", str(tmp_path / "out"))
    assert r.returncode == 16, r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("screendirector: error:")]
    assert len(errors) == 2 and "missing.mp4" in errors[0] and "broken.mp4" in errors[1], r.stderr
    assert "0 of 2 recordings analysed" in r.stderr and "Traceback" not in r.stderr
