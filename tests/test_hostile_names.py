"""Names that try to run something: `direct` and `batch --render` on files named with $(...), backticks,
quotes, a newline, a leading dash, spaces and unicode; then the written command.sh, run by sh, re-makes the
video (no argument: where `direct` wrote it; an argument with a leading dash: that file) and runs nothing else."""
from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

import corpus_media
from engine.media.ffmpeg import find_ffmpeg

EVIL = "-x $(touch PWNED1) `touch PWNED2` 'q\" ✓\n; touch PWNED3 #"


def _clip(path: Path) -> Path:
    corpus_media._ff(find_ffmpeg(), *corpus_media._src(seconds=1), *corpus_media.X264, path)
    return path


def _frames(p: Path) -> int:
    import av
    with av.open(str(p)) as c:
        return sum(1 for _ in c.decode(video=0))


def _pwned(*folders: Path) -> list[Path]:
    return [p for d in folders for p in d.rglob("PWNED*")]


@pytest.fixture
def hostile(tmp_path):
    d = tmp_path / f"in {EVIL}"
    d.mkdir()
    return _clip(d / f"{EVIL}.mp4"), tmp_path


def test_direct_then_command_sh(hostile, run_cli):
    src, tmp = hostile
    before = src.read_bytes()
    out = tmp / f"out {EVIL}" / f"{EVIL} directed.mp4"
    r = run_cli("direct", src, "-o", out, "-q", cwd=tmp)
    assert r.returncode == 0, r.stderr
    stem = out.with_suffix("")
    sh, script = Path(f"{stem}.command.sh"), Path(f"{stem}.filter.txt")
    assert sh.is_file() and script.is_file() and "PWNED" not in script.read_text()
    n = _frames(out)
    out.unlink()
    work = tmp / "cwd"
    work.mkdir()
    r = subprocess.run(["sh", str(sh)], cwd=work, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert _frames(out) == n
    r = subprocess.run(["sh", str(sh), "-again.mp4"], cwd=work, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert _frames(work / "-again.mp4") == n
    assert sorted(p.name for p in work.iterdir()) == ["-again.mp4"]
    assert not _pwned(tmp, Path.home()) and not Path("PWNED1").exists()
    assert src.read_bytes() == before


def test_batch_render_with_hostile_names(hostile, run_cli):
    src, tmp = hostile
    out = tmp / "batch"
    r = run_cli("batch", src.parent, "-o", out, "--render", "-q", "--workers", "1", cwd=tmp)
    assert r.returncode == 0, r.stderr
    rows = json.loads((out / "report.json").read_text())["inputs"]
    assert [Path(row["source"]) for row in rows] == [src]
    with open(out / "report.csv", newline="", encoding="utf-8") as f:
        assert [Path(row["source"]) for row in csv.DictReader(f)] == [src]
    video = out / f"{EVIL}.mp4"
    sh = out / f"{EVIL}.command.sh"
    n = _frames(video)
    os.unlink(video)
    r = subprocess.run(["sh", str(sh)], cwd=tmp, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert _frames(video) == n
    assert not _pwned(tmp)


def test_error_naming_a_hostile_file_is_one_line(tmp_path, run_cli):
    from test_bad_input import check_error
    line = check_error(run_cli("analyze", tmp_path / f"{EVIL}.mp4", "-o", tmp_path / "o", cwd=tmp_path), 3)
    assert EVIL.replace("\n", "\\n") in line and not _pwned(tmp_path)
