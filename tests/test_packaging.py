"""Packaging: `python -m engine` is the command; the wheel holds every engine package, every config and the
review page's files, and installs into a fresh venv with constraints.txt and runs `batch` there, then serves
the run's review page (bench/wheel_check.py: about 30 s here, most of it installing torch from disk)."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT

tomllib = pytest.importorskip("tomllib")      # Python 3.11+


def test_python_m_engine(tmp_path):
    import engine
    r = subprocess.run([sys.executable, "-m", "engine", "version"], cwd=tmp_path, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and r.stdout == f"screendirector {engine.__version__}\n", r.stderr


def test_torch_is_a_range_and_the_pin_is_a_constraint():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    torch = [d for d in deps if d.startswith("torch")]
    assert torch == ["torch>=2.1"]
    pins = [ln.split("#")[0].strip() for ln in (ROOT / "constraints.txt").read_text().splitlines()]
    assert "torch==2.13.0" in pins
    readme = (ROOT / "README.md").read_text().split("```bash\n", 1)[1].splitlines()[:2]
    ci = (ROOT / ".ci" / "run").read_text()
    assert all("-c constraints.txt" in line for line in readme) and "-c constraints.txt" in ci


def test_wheel_installs_and_runs_batch(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "wheel_check.py"), "--work", str(tmp_path)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "batch did 1 input" in r.stderr and "review served its page" in r.stderr
    names = set(zipfile.ZipFile(next((tmp_path / "dist").glob("*.whl"))).namelist())
    packages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "engine").rglob("__init__.py")}
    configs = {"engine/configs/" + p.relative_to(ROOT / "configs").as_posix() for p in (ROOT / "configs").rglob("*.yaml")}
    page = {p.relative_to(ROOT).as_posix() for p in (ROOT / "engine" / "review" / "static").iterdir()}
    assert packages - names == set() and configs - names == set() and page - names == set(), \
        "files a wheel would leave out"
    assert "engine/models/weights/screen.safetensors" in names
