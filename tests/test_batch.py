"""`screendirector batch`: mirrored outputs, failures isolated and reported, resume (skip, redo on change, retry),
a SIGKILL mid-run then resume gives the uninterrupted run's bytes, manifests, and the Ray executor."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, make_clip
from media_files import small_clip

from engine import cli
from engine.config import load_config
from engine.batch.state import TEMP_RE
from engine.synth import scripts

GOOD = ("a", "sub/b", "sub/deeper/c")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """a.mp4, sub/b.mp4, sub/deeper/c.mp4 (2 s each) and sub/broken.mp4 (random bytes)."""
    d = tmp_path_factory.mktemp("archive")
    make_clip(d, "a", seed=1, form="phone", app="notes", seconds=2, noise=0, script=scripts.typing, labels=False)
    small_clip(d / "sub" / "b.mp4", seconds=2)
    make_clip(d / "sub" / "deeper", "c", seed=3, form="desktop", app="editor", seconds=2, noise=0, labels=False)
    (d / "sub" / "broken.mp4").write_bytes(os.urandom(20000))
    for extra in d.rglob("*.truth.json"):          # only videos in the archive
        extra.unlink()
    return d


def batch(*args) -> int:
    return cli.main(["batch", *[str(a) for a in args]])


def outputs_of(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*")
            if p.is_file() and p.name not in ("batch.sqlite", "batch.sqlite-wal", "batch.sqlite-shm", ".batch.lock",
                                               "report.json", "report.csv")}


def live_in_group(pgid: int) -> list[int]:
    """Processes of a process group that are alive (not zombies: a container's init may never reap them)."""
    live = []
    for d in Path("/proc").iterdir():
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            live.append(int(d.name))
    return live


def rows(out: Path) -> dict[str, dict]:
    return {r["key"]: r for r in json.loads((out / "report.json").read_text())["inputs"]}


@pytest.fixture(scope="module")
def reference(archive, tmp_path_factory) -> Path:
    """One uninterrupted run over the folder with the default local process pool (2 workers)."""
    out = tmp_path_factory.mktemp("reference")
    assert batch(archive, "-o", out, "--workers", "2", "-q") == 17
    return out


def test_folder_mirrored_failure_isolated_and_reported(archive, reference, capsys):
    out = reference
    for key in GOOD:
        for kind in ("segments.json", "camera.json", "features.npz", "provenance.json"):
            assert (out / f"{key}.{kind}").is_file(), f"{key}.{kind}"
    assert not list(out.rglob("broken.*"))
    r = rows(out)
    assert set(r) == {*GOOD, "sub/broken"}
    assert all(r[k]["state"] == "done" and r[k]["exit_code"] == 0 for k in GOOD)
    bad = r["sub/broken"]
    assert bad["state"] == "failed" and bad["exit_code"] == 4 and "not a video" in bad["error"]
    assert "\n" not in bad["error"]
    with open(out / "report.csv", newline="") as f:
        table = {row["key"]: row for row in csv.DictReader(f)}
    assert table["sub/broken"]["exit_code"] == "4" and table["sub/deeper/c"]["state"] == "done"
    summary = json.loads((out / "report.json").read_text())["summary"]
    assert (summary["done"], summary["failed"], summary["inputs"]) == (3, 1, 4)
    # provenance: version, config hash, the input's size and sha256, each output's hash
    prov = json.loads((out / "sub/b.provenance.json").read_text())
    src = archive / "sub" / "b.mp4"
    assert prov["input"]["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert prov["input"]["size"] == src.stat().st_size and prov["version"] and prov["config_hash"] == r["sub/b"]["config_hash"]
    assert prov["outputs"]["camera"]["sha256"] == hashlib.sha256((out / "sub/b.camera.json").read_bytes()).hexdigest()
    assert prov["config"]["director"]["min_window"] == pytest.approx(load_config([]).director.min_window)
    # the same command again: nothing redone, nothing rewritten; the failure is kept (no --retry-failed)
    before = outputs_of(out)
    capsys.readouterr()
    assert batch(archive, "-o", out, "--workers", "2") == 17
    err = capsys.readouterr().err
    assert "0 to do, 3 done before, 1 failed before" in err and "Traceback" not in err
    assert "sub/broken  exit 4" in err                       # the summary table names the failure
    assert outputs_of(out) == before
    assert rows(out)["sub/broken"]["attempts"] == 1


def test_resume_redoes_changed_input_and_config_and_retries_failed(archive, reference, tmp_path, capsys):
    src = tmp_path / "in"
    shutil.copytree(archive, src)
    out = tmp_path / "out"
    assert batch(src, "-o", out, "batch.executor=inline", "-q") == 17
    first = outputs_of(out)
    # touched but the same bytes: kept; replaced with other bytes: redone, alone
    os.utime(src / "a.mp4", ns=(time.time_ns(), time.time_ns()))
    shutil.copy(src / "sub" / "deeper" / "c.mp4", src / "sub" / "b.mp4")
    assert batch(src, "-o", out, "batch.executor=inline", "-q") == 17
    second = outputs_of(out)
    changed = {k for k in first if second[k] != first[k]}
    assert changed == {f"sub/b.{k}" for k in ("segments.json", "camera.json", "features.npz", "provenance.json")}
    assert rows(out)["sub/b"]["sha256"] == hashlib.sha256((src / "sub/b.mp4").read_bytes()).hexdigest()
    # --retry-failed runs the failed input again, and only it
    assert batch(src, "-o", out, "batch.executor=inline", "--retry-failed", "-q") == 17
    assert outputs_of(out) == second and rows(out)["sub/broken"]["attempts"] == 2
    # a changed override: everything redone (the failed one too: it is another job now)
    assert batch(src, "-o", out, "batch.executor=inline", "director.min_window=0.6", "-q") == 17
    third = outputs_of(out)
    assert all(third[k] != second[k] for k in second)
    assert json.loads((out / "a.provenance.json").read_text())["overrides"] == ["director.min_window=0.6"]
    # a setting of how the batch runs is not a change of config
    assert batch(src, "-o", out, "batch.executor=inline", "director.min_window=0.6", "batch.workers=3", "-q") == 17
    assert outputs_of(out) == third
    assert "Traceback" not in capsys.readouterr().err


def test_manifest_with_per_file_overrides(archive, reference, tmp_path):
    m = tmp_path / "list.csv"
    m.write_text("path,output,director.min_window\n"
                 f"{archive / 'a.mp4'},tight/a,0.6\n"
                 f"{archive / 'sub' / 'b.mp4'},,\n"
                 f"{tmp_path / 'missing.mp4'},,\n")
    out = tmp_path / "out"
    assert batch(m, "-o", out, "batch.executor=inline", "-q") == 17
    r = rows(out)
    assert r["tight/a"]["state"] == "done" and r["missing"]["exit_code"] == 3
    a = json.loads((out / "tight/a.provenance.json").read_text())
    b = json.loads((out / "b.provenance.json").read_text())
    assert a["overrides"] == ["director.min_window=0.6"] and a["config"]["director"]["min_window"] == 0.6
    assert b["overrides"] == [] and a["config_hash"] != b["config_hash"]
    assert (out / "b.camera.json").read_bytes() == (reference / "sub/b.camera.json").read_bytes()
    j = tmp_path / "list.jsonl"
    j.write_text(json.dumps({"path": str(archive / "sub" / "b.mp4"), "output": "b",
                             "overrides": {"director.hold_s": 0.9}}) + "\n")
    assert batch(j, "-o", out, "batch.executor=inline", "-q") == 0
    assert json.loads((out / "b.provenance.json").read_text())["overrides"] == ["director.hold_s=0.9"]


def test_sigkill_mid_run_then_resume_gives_the_uninterrupted_bytes(archive, reference, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "engine.cli", "batch", str(archive), "-o", str(out), "--workers", "1", "-q"]
    p = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE)
    db = out / "batch.sqlite"
    deadline = time.time() + 120
    done = 0
    try:
        while time.time() < deadline and p.poll() is None:
            if db.exists():
                try:
                    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
                        done = c.execute("SELECT count(*) FROM inputs WHERE state = 'done'").fetchone()[0]
                except sqlite3.OperationalError:         # the table is not made yet
                    done = 0
                if done:
                    break
            time.sleep(0.05)
        assert p.poll() is None, "the batch ended before it could be killed"
        os.kill(p.pid, signal.SIGKILL)
        p.wait(10)
        time.sleep(1.0)
        assert not live_in_group(p.pid)              # its worker died with it (no orphan writing on)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        p.stderr.close()
    with sqlite3.connect(db) as c:
        finished = [k for k, in c.execute("SELECT key FROM inputs WHERE state = 'done'")]
    assert finished
    kept = {k: (out / f"{k}.camera.json").stat().st_mtime_ns for k in finished}
    for f in out.rglob("*.json"):                   # every final name holds a whole file
        if f.name != "report.json":
            json.loads(f.read_text())
    assert batch(archive, "-o", out, "--workers", "1", "-q") == 17
    assert not [f for f in out.rglob("*") if TEMP_RE.match(f.name)]
    r = rows(out)
    for k in finished:                               # finished work was neither lost nor redone
        assert r[k]["attempts"] == 1 and (out / f"{k}.camera.json").stat().st_mtime_ns == kept[k]
    for k in GOOD:
        assert r[k]["state"] == "done"
        for kind in ("segments.json", "camera.json"):
            assert (out / f"{k}.{kind}").read_bytes() == (reference / f"{k}.{kind}").read_bytes(), f"{k}.{kind}"
    assert r["sub/broken"]["exit_code"] == 4


def test_any_exception_is_one_input_failure(archive, tmp_path, monkeypatch, capsys):
    import engine.pipeline

    real = engine.pipeline.run

    def flaky(video, *a, **kw):
        if Path(video).name == "a.mp4":
            raise RuntimeError("out of cheese\nsecond line")
        if Path(video).name == "b.mp4":
            raise MemoryError()
        return real(video, *a, **kw)

    monkeypatch.setattr(engine.pipeline, "run", flaky)
    out = tmp_path / "out"
    assert batch(archive, "-o", out, "batch.executor=inline") == 17
    err = capsys.readouterr().err
    assert "Traceback" not in err
    r = rows(out)
    assert r["a"]["exit_code"] == 1 and r["a"]["error"].startswith("RuntimeError: out of cheese second line (at ")
    assert r["sub/b"]["exit_code"] == 1 and r["sub/b"]["error"].startswith("MemoryError")
    assert r["sub/deeper/c"]["state"] == "done"
    assert not (out / "a.provenance.json").exists()


def test_batch_errors_and_help(archive, tmp_path, monkeypatch, capsys):
    from engine.batch.state import locked

    assert batch(archive, "-o", tmp_path / "o1", "director.nope=1") == 9
    out = tmp_path / "o2"
    out.mkdir()
    with locked(out):
        assert batch(archive, "-o", out) == 19
    monkeypatch.setitem(sys.modules, "ray", None)     # as if Ray were not installed
    assert batch(archive, "-o", tmp_path / "o3", "batch.executor=ray") == 18
    err = capsys.readouterr().err
    assert "pip install 'screendirector[ray]'" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["batch", "--help"])
    text = capsys.readouterr().out
    assert "17" in text and "--retry-failed" in text and "resume" in text


def test_ray_executor_gives_the_same_bytes(archive, reference, tmp_path):
    pytest.importorskip("ray")
    out = tmp_path / "out"
    assert batch(archive, "-o", out, "--workers", "2", "batch.executor=ray", "-q") == 17
    r = rows(out)
    assert r["sub/broken"]["exit_code"] == 4
    for k in GOOD:
        for kind in ("segments.json", "camera.json"):
            assert (out / f"{k}.{kind}").read_bytes() == (reference / f"{k}.{kind}").read_bytes(), f"{k}.{kind}"
