"""Bad input, bad output, bad settings: each gives its own exit code and ONE line on stderr, never a
traceback; the input is left untouched and no partial output is left behind."""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import numpy as np
import pytest

import media_files as media

PREFIX = "screendirector: error:"


# ---------------------------------------------------------------------------------------------- helpers

def _tree(d: Path) -> dict[str, tuple[str, int]]:
    """Every file under d (hidden ones too): relative path -> (sha256, mtime_ns)."""
    return {str(p.relative_to(d)): _stamp(p) for p in sorted(d.rglob("*")) if p.is_file()}


def _stamp(p: Path) -> tuple[str, int]:
    return hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns


def check_error(r, code: int, *names: str) -> str:
    """Exit code `code`; stderr is one line, starts with the prefix, no traceback, mentions `names`."""
    msg = f"exit {r.returncode} (want {code})\n--- stderr:\n{r.stderr}\n--- stdout:\n{r.stdout[-2000:]}"
    assert r.returncode == code, msg
    assert "Traceback" not in r.stderr, msg
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, msg
    assert lines[0].startswith(PREFIX), msg
    for n in names:
        assert n in lines[0], f"{n!r} not named in: {lines[0]}"
    return lines[0]


@pytest.fixture
def work(tmp_path, run_cli):
    """work(args..., code=N, names=(...)): run the CLI with -o <tmp>/out/x, check the error line, and
    check that no file in the test's folder was changed, added or removed (inputs unchanged, no partial
    outputs, no *.tmp). An empty output folder is tolerated."""
    def go(*args, code: int, names=(), out: str | Path | None = None):
        outside = [a for a in args if isinstance(a, Path) and a.is_file() and tmp_path not in a.parents]
        before = _tree(tmp_path), [_stamp(a) for a in outside]
        out = tmp_path / "out" / "x" if out is None else out
        r = run_cli(*args, "-o", out)
        line = check_error(r, code, *names)
        assert _tree(tmp_path) == before[0], "files under the test folder changed"
        assert [_stamp(a) for a in outside] == before[1], "an input file changed"
        return line
    return go


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("bad")


@pytest.fixture(scope="module")
def faststart_bytes(bad_dir):
    """A 2 s clip with the moov atom first (+faststart) and every frame a sizeable packet."""
    p, _ = media.small_clip(bad_dir / "faststart.mp4", faststart=True)
    data = p.read_bytes()
    assert [b[0] for b in media.mp4_boxes(data)][:2] == ["ftyp", "moov"]
    return data


@pytest.fixture(scope="module")
def moov_last_bytes(bad_dir):
    """The same clip as muxed by default: mdat first, moov at the end."""
    p, _ = media.small_clip(bad_dir / "moov_last.mp4")
    data = p.read_bytes()
    assert media.mp4_boxes(data)[-1][0] == "moov"
    return data


# ---------------------------------------------------------------------------------------------- input

def test_missing_input(tmp_path, work):
    work("analyze", tmp_path / "nope.mp4", code=3, names=("nope.mp4",))


def test_folder_without_videos(tmp_path, work):
    """A folder stands for the videos in it; one with none is a missing input, named."""
    (tmp_path / "dir.mp4").mkdir()
    (tmp_path / "dir.mp4" / "notes.txt").write_text("not a video")
    work("analyze", tmp_path / "dir.mp4", code=3, names=("dir.mp4",))


def test_text_file_named_mp4(tmp_path, work):
    p = tmp_path / "notes.mp4"
    p.write_text("this is not a video\n" * 50)
    work("analyze", p, code=4, names=("notes.mp4",))


@pytest.mark.parametrize("name", ["voice.m4a", "voice.wav"])
def test_audio_only(tmp_path, work, name):
    p = media.audio_only_file(tmp_path / name)
    work("analyze", p, code=5, names=(name,))


def test_zero_byte_file(tmp_path, work):
    p = tmp_path / "empty.mp4"
    p.write_bytes(b"")
    work("analyze", p, code=7, names=("empty.mp4",))


def test_zero_frame_video(tmp_path, work):
    """A valid mp4 header with an H.264 stream (320x240) and not a single frame."""
    p = media.zero_frame_video(tmp_path / "noframes.mp4")
    work("analyze", p, code=7, names=("noframes.mp4",))


def test_truncated_moov_lost(tmp_path, work, moov_last_bytes):
    """Cut to 40%: the moov atom (at the end) is gone, so the file cannot be opened as a video at all."""
    p = tmp_path / "cut.mp4"
    p.write_bytes(moov_last_bytes[: int(len(moov_last_bytes) * 0.4)])
    work("analyze", p, code=4, names=("cut.mp4",))


def test_truncated_faststart(tmp_path, work, faststart_bytes):
    """Cut to 40% with the header intact: ~20 of the 60 frames are whole, then the demuxer hands the
    decoder the last, partial packet and the H.264 decoder reports invalid data (observed with PyAV 18 /
    FFmpeg 8). Decoding does not just stop quietly, so this is a truncated stream: exit 6."""
    p = tmp_path / "cut.mp4"
    p.write_bytes(faststart_bytes[: int(len(faststart_bytes) * 0.4)])
    work("analyze", p, code=6, names=("cut.mp4",))


def test_garbage_after_header(tmp_path, work, faststart_bytes):
    """Header intact, every byte of video data replaced by seeded noise: nothing decodes -> exit 6."""
    _, off, size = next(b for b in media.mp4_boxes(faststart_bytes) if b[0] == "mdat")
    data = bytearray(faststart_bytes)
    data[off + 8:off + size] = np.random.default_rng(0).integers(0, 256, size - 8, np.uint8).tobytes()
    p = tmp_path / "garbage.mp4"
    p.write_bytes(bytes(data))
    work("analyze", p, code=6, names=("garbage.mp4",))


# ---------------------------------------------------------------------------------------------- output

def test_output_parent_is_a_file(tmp_path, work, typing_video):
    """Runs as root, so chmod cannot make a folder unwritable; a path through an existing file can't be."""
    (tmp_path / "existing_file.txt").write_text("x\n")
    work("analyze", typing_video[0], code=8, names=("existing_file.txt",),
         out=tmp_path / "existing_file.txt" / "sub" / "out")


# ---------------------------------------------------------------------------------------------- settings

def test_unknown_override_key(tmp_path, work, typing_video):
    work("analyze", typing_video[0], "nope.key=1", code=9, names=("nope.key",))


@pytest.mark.parametrize("override, name", [("director.min_window=abc", "min_window"),
                                            ("output.size=12by5", "size")])
def test_bad_override_value(tmp_path, work, typing_video, override, name):
    work("analyze", typing_video[0], override, code=9, names=(name,))


def test_bad_command_line(tmp_path, run_cli, typing_video):
    """argparse's own usage error: exit 2, no traceback (argparse prints a usage line first, so this one
    is not held to the single-line rule)."""
    r = run_cli("analyze", typing_video[0], "--no-such-option", "-o", tmp_path / "out" / "x")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "error:" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*"))


# ---------------------------------------------------------------------------------------------- --features

def test_features_missing(tmp_path, work):
    work("analyze", "--features", tmp_path / "gone.features.npz", code=10, names=("gone.features.npz",))


def test_features_not_npz(tmp_path, work):
    p = tmp_path / "text.features.npz"
    p.write_text("not a numpy archive\n")
    work("analyze", "--features", p, code=10, names=("text.features.npz",))


def test_features_foreign_npz(tmp_path, work):
    """A valid .npz, but not one of ours (no version, no expected arrays)."""
    p = tmp_path / "other.features.npz"
    np.savez(p, a=np.arange(10))
    work("analyze", "--features", p, code=10, names=("other.features.npz",))


@pytest.fixture(scope="module")
def good_features(tmp_path_factory, typing_video, run_cli):
    """A real features file from a successful run on the typing clip."""
    out = tmp_path_factory.mktemp("good") / "run" / "typing"
    r = run_cli("analyze", typing_video[0], "-o", out)
    assert r.returncode == 0, r.stderr
    p = Path(f"{out}.features.npz")
    assert p.is_file() and zipfile.is_zipfile(p)
    return p.read_bytes()


def test_features_truncated(tmp_path, work, good_features):
    p = tmp_path / "cut.features.npz"
    p.write_bytes(good_features[: len(good_features) // 2])
    work("analyze", "--features", p, code=10, names=("cut.features.npz",))


def test_features_with_unknown_key(tmp_path, work, good_features):
    p = tmp_path / "ok.features.npz"
    p.write_bytes(good_features)
    work("analyze", "--features", p, "nope.key=1", code=9, names=("nope.key",))


# ---------------------------------------------------------------------------------------------- Python API

def test_api_raises_user_errors(tmp_path, typing_video):
    import engine
    from engine import errors

    with pytest.raises(errors.InputMissing):
        engine.analyze(tmp_path / "nope.mp4")
    with pytest.raises(errors.ConfigError):
        engine.analyze(typing_video[0], overrides=["nope.key=1"])
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_leaves_no_partial_file(corpus_dir, tmp_path):
    """Interrupt an analysis: exit 130 (or 0 if it had finished), no temporary file, every output complete."""
    import json
    import signal
    import subprocess
    import sys
    import time as _time

    import numpy as np

    out = tmp_path / "o" / "rec"
    p = subprocess.Popen([sys.executable, "-m", "engine.cli", "analyze", str(corpus_dir / "P1_notes.mp4"), "-o",
                          str(out)], cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _time.sleep(2.5)                      # usually mid-analysis; either outcome must leave no partial file
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode in (0, 130), err
    assert "Traceback" not in err
    assert not [f for f in tmp_path.rglob("*") if ".tmp" in f.name]
    for f in (tmp_path / "o").glob("*"):
        if f.suffix == ".json":
            json.loads(f.read_text())
        else:
            np.load(f)["times"]

