"""The bad-input corpus (tests/corpus_media.py: 40-odd generated broken and odd files) through the CLI.

One `batch` over a manifest of every file checks each case's outcome (a result of the right size, or the
documented exit code with a one-line reason); `analyze` on one file of each kind checks the error line the user
sees; outputs that cannot be written (a read-only folder, a full disk, a path through a file) give exit 8 and
leave nothing. Every input's bytes are hashed before and after.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

import corpus_media
from test_bad_input import check_error


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() + ("@link" if p.is_symlink() else "")
            for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    cases = corpus_media.build(folder)
    assert len(cases) >= 30
    return folder, {c.name: c for c in cases}, _hashes(folder)


def _check_result(prefix: str | Path, case: corpus_media.Case) -> None:
    cam = json.loads(Path(f"{prefix}.camera.json").read_text())
    seg = json.loads(Path(f"{prefix}.segments.json").read_text())
    assert (cam["width"], cam["height"]) == case.size, (case.name, cam["width"], cam["height"])
    assert (seg["width"], seg["height"]) == case.size
    assert cam["frames"] and seg["segments"], case.name


def test_batch_over_corpus(corpus, tmp_path, run_cli):
    """Every case in one batch (a JSON-lines manifest names them all, whatever their suffix): exit 17 since
    some fail; each row has the case's exit code, and a failure's reason is one line naming no traceback."""
    folder, cases, before = corpus
    manifest = tmp_path / "corpus.jsonl"
    manifest.write_text("".join(json.dumps({"path": str(folder / n)}) + "\n" for n in cases))
    out = tmp_path / "out"
    r = run_cli("batch", manifest, "-o", out, "-q", "--workers", "2", timeout=600)
    assert r.returncode == 17, r.stderr[-3000:]
    assert "Traceback" not in r.stderr
    rows = {Path(row["source"]).name: row for row in json.loads((out / "report.json").read_text())["inputs"]}
    assert set(rows) == set(cases)
    wrong = []
    for name, case in cases.items():
        row = rows[name]
        code = 0 if row["state"] == "done" else row["exit_code"]
        if code != case.code:
            wrong.append(f"{name}: exit {code} (want {case.code}): {row['error']}")
        elif code:
            err = row["error"]
            assert "\n" not in err and "Traceback" not in err and name in err, err
            assert all(w in err for w in case.words), (name, err)
        else:
            _check_result(out / row["key"], case)
    assert not wrong, "\n".join(wrong)
    assert _hashes(folder) == before, "an input changed"


# one of each kind, as a user runs it: the line they see, the code, the name in it
CLI_CASES = ["zero_bytes.mp4", "random.mp4", "cut50_moov_last.mp4", "cut90_faststart.mp4", "audio_only.m4a",
             "no_frames.mp4", "image.png", "cover_only.mp4", "huge.y4m", "resolution_change.ts", "two_streams.mkv",
             "rotated270.mp4", "hevc_10bit.mkv", "récording ✓ 日本.mp4", "my rec (1) $(touch X).mp4", "link.mp4"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_analyze_cli(corpus, tmp_path, run_cli, name):
    folder, cases, before = corpus
    case = cases[name]
    prefix = tmp_path / "o" / Path(name).stem
    r = run_cli("analyze", folder / name, "-o", prefix, "-q", cwd=tmp_path)
    if case.code:
        check_error(r, case.code, name, *case.words)
        assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())
    else:
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        _check_result(prefix, case)
    assert not (tmp_path / "X").exists() and not (folder / "X").exists()
    assert _hashes(folder) == before


def test_leading_dash_name(corpus, tmp_path, run_cli):
    """'-leading dash.mp4' is a file to argparse (it has a space); '-dash.mp4' reads as an unknown option: exit
    2 in one line. After `--`, or as ./-dash.mp4, either is analysed."""
    folder, cases, before = corpus
    (tmp_path / "-dash.mp4").symlink_to(folder / "plain.mp4")
    check_error(run_cli("analyze", "-dash.mp4", "-o", tmp_path / "a", cwd=tmp_path), 2, "-dash.mp4")
    runs = [(folder, [name]) for name in ("-leading dash.mp4",)] + \
        [(tmp_path, ["--", "-dash.mp4"]), (tmp_path, ["./-dash.mp4"])]
    for i, (cwd, args) in enumerate(runs):
        r = run_cli("analyze", "-o", tmp_path / f"b{i}", "-q", *args, cwd=cwd)
        assert r.returncode == 0, r.stderr
        _check_result(tmp_path / f"b{i}", cases["plain.mp4"])
    assert _hashes(folder) == before


@contextlib.contextmanager
def _tmpfs(where: Path, options: str):
    where.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.decode(errors='replace').strip()})")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_read_only_output_folder(corpus, tmp_path, run_cli):
    """A read-only file system as the output folder (root ignores chmod; a read-only mount it cannot)."""
    folder, cases, _ = corpus
    with _tmpfs(tmp_path / "ro", "ro,size=1m") as ro:
        r = run_cli("analyze", folder / "plain.mp4", "-o", ro / "sub" / "x", "-q")
        check_error(r, 8, str(ro))
        r = run_cli("batch", folder / "plain.mp4", "-o", ro / "batch", "-q")
        check_error(r, 8, str(ro))


def test_full_disk(corpus, tmp_path, run_cli):
    """A 64 kB tmpfs filled but for 2 kB: the outputs do not fit; exit 8, and no partial or temporary file."""
    folder, cases, _ = corpus
    with _tmpfs(tmp_path / "full", "size=64k") as full:
        filler = full / "filler"
        with open(filler, "wb") as f, contextlib.suppress(OSError):
            f.write(bytes(64 * 1024))
        os.truncate(filler, filler.stat().st_size - 2048)
        r = run_cli("analyze", folder / "plain.mp4", "-o", full / "x", "-q")
        check_error(r, 8, "x.")
        assert sorted(p.name for p in full.iterdir()) == ["filler"]


def test_output_through_a_file(corpus, tmp_path, run_cli):
    folder, _, before = corpus
    (tmp_path / "file").write_text("x\n")
    for cmd in (["analyze", folder / "plain.mp4", "-o", tmp_path / "file" / "x"],
                ["batch", folder / "plain.mp4", "-o", tmp_path / "file" / "out"]):
        check_error(run_cli(*cmd, "-q"), 8, "file")
    assert _hashes(folder) == before
