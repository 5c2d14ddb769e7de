#!/usr/bin/env python3
"""A batch killed with SIGKILL at random moments and resumed must finish every good clip exactly once, with
the bytes of an uninterrupted run, the broken files failed with their reasons, and no partial file.

    python bench/batch_kill.py [--clips 60] [--broken 5] [--kills 3] [--workers 0] [--work DIR]
    python bench/batch_kill.py --compare 12      # seconds of video per second: one process, local workers, Ray

Generates N short clips (engine.synth, seeded, phone and desktop apps) and broken files (random bytes, zero
bytes, a truncated mp4, a header only, text named .mp4); runs the batch once uninterrupted, then again into
another folder killed (SIGKILL, the batch process only) at random moments, resumed each time. Not run in CI.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BROKEN = ("random", "zero", "truncated", "header", "text")


def make_archive(folder: Path, clips: int, broken: int, seconds: float, seed: int) -> tuple[list[str], list[str]]:
    """(good keys, broken keys); clips spread over three sub-folders; kept between runs when already there."""
    from engine.synth import generate_clip

    good, bad = [], []
    for i in range(clips):
        key = f"g{i % 3}/clip{i:03d}"
        p = folder / f"{key}.mp4"
        if not p.exists():
            form = "phone" if i % 2 == 0 else "desktop"
            generate_clip(p.with_suffix(""), seed=seed + i, form=form, seconds=seconds, labels=False)
            p.with_suffix(".truth.json").unlink(missing_ok=True)
        good.append(key)
    sample = (folder / f"{good[0]}.mp4").read_bytes()
    rng = random.Random(seed)
    for j in range(broken):
        kind = BROKEN[j % len(BROKEN)]
        p = folder / "broken" / f"{kind}{j}.mp4"
        p.parent.mkdir(parents=True, exist_ok=True)
        data = {"random": bytes(rng.getrandbits(8) for _ in range(30000)), "zero": b"",
                "truncated": sample[: len(sample) // 3], "header": sample[:2048],
                "text": b"this is not a video\n" * 50}[kind]
        p.write_bytes(data)
        bad.append(f"broken/{kind}{j}")
    return good, bad


def cli(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "engine.cli", "batch", *args]


def done_now(db: Path) -> dict[str, int]:
    """key -> provenance mtime (ns) of the inputs done so far."""
    if not db.exists():
        return {}
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as c:
            keys = [k for k, in c.execute("SELECT key FROM inputs WHERE state = 'done'")]
    except sqlite3.OperationalError:
        return {}
    return {k: (db.parent / f"{k}.provenance.json").stat().st_mtime_ns for k in keys}


def kill_run(src: Path, out: Path, extra: list[str], kills: int, expect_s: float, rng: random.Random) -> list[dict]:
    """Start the batch `kills` times, each killed by SIGKILL after a random delay; returns what each kill saw."""
    seen = []
    for i in range(kills):
        before = done_now(out / "batch.sqlite")
        p = subprocess.Popen(cli([str(src), "-o", str(out), "-q", *extra]), cwd=ROOT, start_new_session=True,
                             stderr=subprocess.DEVNULL)
        left = max(0.0, 1 - len(before) / max(1, expect_s[1])) * expect_s[0]
        delay = rng.uniform(1.0, max(1.5, 0.7 * left))
        t0 = time.perf_counter()
        while p.poll() is None and time.perf_counter() - t0 < delay:
            time.sleep(0.02)
        finished_first = p.poll() is not None
        if not finished_first:
            os.kill(p.pid, signal.SIGKILL)
        p.wait()
        time.sleep(0.5)
        after = done_now(out / "batch.sqlite")
        seen.append({"kill": i + 1, "after_s": round(time.perf_counter() - t0, 2), "ended_before_kill": finished_first,
                     "done_before": len(before), "done_at_kill": len(after)})
        print(f"  kill {i + 1}: after {seen[-1]['after_s']} s, {len(before)} -> {len(after)} done"
              + (" (the run ended first)" if finished_first else ""), file=sys.stderr)
    return seen


def check(out: Path, ref: Path, good: list[str], bad: list[str], kept: dict[str, int]) -> dict:
    """Every good clip done once, byte-identical to the reference; broken ones failed; no temp or partial file."""
    from engine.batch.state import TEMP_RE

    rep = {r["key"]: r for r in json.loads((out / "report.json").read_text())["inputs"]}
    problems = []
    for k in good:
        if rep[k]["state"] != "done":
            problems.append(f"{k} is {rep[k]['state']}")
            continue
        for kind in ("segments.json", "camera.json"):
            if (out / f"{k}.{kind}").read_bytes() != (ref / f"{k}.{kind}").read_bytes():
                problems.append(f"{k}.{kind} differs from the uninterrupted run")
    for k, mtime in kept.items():
        if (out / f"{k}.provenance.json").stat().st_mtime_ns != mtime:
            problems.append(f"{k} was done before a kill and made again")
    for k in bad:
        if rep[k]["state"] != "failed" or not rep[k]["error"]:
            problems.append(f"{k} is {rep[k]['state']} without a reason")
    temps = [str(f) for f in out.rglob("*") if TEMP_RE.match(f.name)]
    problems += [f"temporary file left: {t}" for t in temps]
    for f in out.rglob("*"):
        try:
            if f.suffix == ".json":
                json.loads(f.read_text())
            elif f.suffix == ".npz":
                zipfile.ZipFile(f).testzip()
        except (ValueError, zipfile.BadZipFile) as e:
            problems.append(f"partial file under a final name: {f} ({e})")
    redone = sum(1 for k in good if rep[k]["attempts"] > 1)
    return {"problems": problems, "good_done": sum(rep[k]["state"] == "done" for k in good), "good": len(good),
            "broken_failed": {k: f"exit {rep[k]['exit_code']}: {rep[k]['error']}" for k in bad},
            "inputs_started_more_than_once (in flight at a kill)": redone}


def timed_run(src: Path, out: Path, extra: list[str]) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    rc = subprocess.run(cli([str(src), "-o", str(out), "-q", *extra]), cwd=ROOT).returncode
    wall = time.perf_counter() - t
    s = json.loads((out / "report.json").read_text())["summary"]
    return {"rc": rc, "wall_s": round(wall, 2), "video_s": s["video_s_this_run"],
            "video_s_per_s_inside": s["video_s_per_s"], "video_s_per_s_with_startup": round(s["video_s_this_run"] / wall, 3)}


def compare(work: Path, n: int, seconds: float, seed: int, workers: int) -> dict:
    src = work / f"compare{n}"
    good, _ = make_archive(src, n, 0, seconds, seed)
    runs = {"one process (executor=inline)": ["batch.executor=inline"],
            "local pool, 1 worker": ["--workers", "1"],
            f"local pool, {workers} workers": ["--workers", str(workers)]}
    try:
        import ray  # noqa: F401
        runs[f"ray local instance, {workers} workers"] = ["--workers", str(workers), "batch.executor=ray"]
    except ImportError:
        pass
    res = {}
    for name, extra in runs.items():
        res[name] = timed_run(src, work / "cmp_out", extra)
        print(f"  {name:<36} {res[name]}", file=sys.stderr)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", type=int, default=60, help="good clips (count)")
    ap.add_argument("--broken", type=int, default=5, help="broken files (count)")
    ap.add_argument("--seconds", type=float, default=2.0, help="length of each clip (s)")
    ap.add_argument("--kills", type=int, default=3, help="SIGKILLs at random moments (count)")
    ap.add_argument("--workers", type=int, default=2, help="batch workers (count)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", help="folder for clips and outputs (default: a new temporary folder)")
    ap.add_argument("--compare", type=int, default=0, help="instead: speed of the executors over this many clips")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args(argv)
    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="batch_kill_"))
    work.mkdir(parents=True, exist_ok=True)
    if a.compare:
        figures = compare(work, a.compare, a.seconds, a.seed + 5000, a.workers)
    else:
        src = work / "in"
        t = time.perf_counter()
        good, bad = make_archive(src, a.clips, a.broken, a.seconds, a.seed)
        print(f"archive: {len(good)} clips of {a.seconds} s, {len(bad)} broken ({time.perf_counter() - t:.0f} s to make)",
              file=sys.stderr)
        extra = ["--workers", str(a.workers)]
        ref = timed_run(src, work / "reference", extra)
        print(f"uninterrupted: {ref}", file=sys.stderr)
        out = work / "killed"
        shutil.rmtree(out, ignore_errors=True)
        kills = kill_run(src, out, extra, a.kills, (ref["wall_s"], len(good) + len(bad)), random.Random(a.seed))
        kept = done_now(out / "batch.sqlite")
        t = time.perf_counter()
        rc = subprocess.run(cli([str(src), "-o", str(out), "-q", *extra]), cwd=ROOT).returncode
        resume_s = round(time.perf_counter() - t, 2)
        result = check(out, work / "reference", good, bad, kept)
        figures = {"clips": len(good), "broken": len(bad), "uninterrupted": ref, "kills": kills,
                   "final_resume": {"rc": rc, "wall_s": resume_s}, **result}
        print(json.dumps(figures, indent=1), file=sys.stderr)
        print("OK" if not result["problems"] else f"FAILED: {len(result['problems'])} problems", file=sys.stderr)
    if a.json:
        Path(a.json).write_text(json.dumps(figures, indent=1))
    return 1 if not a.compare and figures["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
