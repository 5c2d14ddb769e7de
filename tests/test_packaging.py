"""What an installed wheel holds: every package of the engine and every config."""
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")      # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]


def test_every_engine_package_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "engine").rglob("__init__.py")}
    assert found - listed == set(), "packages a wheel would leave out"
    assert "engine.configs" in listed
