#!/usr/bin/env python3
"""The wheel, installed into a fresh venv with constraints.txt, runs `batch` on a generated clip, away from the
checkout (nothing of it importable): what a user elsewhere gets from `pip install screendirector-*.whl`.

    python bench/wheel_check.py [--work DIR] [--keep]

Builds the wheel (pip wheel, no dependencies), makes a venv, installs the wheel with `-c constraints.txt`,
then from a folder outside the checkout: `python -m engine version --all`, `screendirector sample`, and
`screendirector batch` on it, checking the report says done and engine was imported from the venv, then
`screendirector review` on the run, checking it serves the page (package data) and lists the recording. About
a minute here (most of it installing torch into the venv); not run in CI.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(cmd: list, cwd: Path, what: str) -> str:
    t = time.perf_counter()
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=900)
    print(f"{what}: exit {r.returncode} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if r.returncode:
        raise SystemExit(f"wheel check failed at '{what}':\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
    return r.stdout


def _review(sd: Path, run: Path) -> None:
    """`screendirector review OUT --port 0` from the installed wheel: the page and its script (package data)
    and the run's one recording, over HTTP; then the server is stopped."""
    import re
    import urllib.request

    proc = subprocess.Popen([str(sd), "review", str(run / "out"), "--port", "0"], cwd=run, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    try:
        line = proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise SystemExit(f"wheel check failed at 'screendirector review': {line}{proc.stderr.read()[-2000:]}")
        base = f"http://127.0.0.1:{m.group(1)}"
        page = urllib.request.urlopen(base + "/", timeout=30).read().decode()
        script = urllib.request.urlopen(base + "/static/review.js", timeout=30).read().decode()
        listed = json.loads(urllib.request.urlopen(base + "/api/run", timeout=30).read())["recordings"]
        assert "review.js" in page and "loadRun" in script and [r["key"] for r in listed] == ["clip"], listed
        print("screendirector review: served the page and the run", file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the working folder")
    a = ap.parse_args(argv)
    work = a.work or Path(tempfile.mkdtemp(prefix="wheel_check_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        dist, venv, run = work / "dist", work / "venv", work / "run"
        run.mkdir(exist_ok=True)
        _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT], ROOT, "build the wheel")
        wheel = next(dist.glob("screendirector-*.whl"))
        _run([sys.executable, "-m", "venv", venv], work, "make a fresh venv")
        py = venv / "bin" / "python"
        _run([py, "-m", "pip", "install", "-q", "-c", ROOT / "constraints.txt", wheel], work, "install it")
        where = _run([py, "-c", "import engine, torch; print(engine.__file__); print(torch.__version__)"], run,
                     "import").split()
        assert where[0].startswith(str(venv)), f"engine imported from {where[0]}, not the venv"
        print(_run([py, "-m", "engine", "version", "--all"], run, "python -m engine version --all"), end="")
        sd = venv / "bin" / "screendirector"
        _run([sd, "sample", run / "in" / "clip.mp4"], run, "screendirector sample")
        _run([sd, "batch", run / "in", "-o", run / "out", "-q"], run, "screendirector batch")
        rows = json.loads((run / "out" / "report.json").read_text())["inputs"]
        assert [r["state"] for r in rows] == ["done"], rows
        assert (run / "out" / "clip.camera.json").is_file()
        _review(sd, run)
        print(f"ok: {wheel.name} installed with torch {where[1]}; batch did {len(rows)} input; review served its page",
              file=sys.stderr)
        return 0
    finally:
        if not a.keep and not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
