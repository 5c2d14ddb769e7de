"""Shared fixtures: synthetic clips built once per session, the real corpus, and a CLI runner."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:                     # `import engine` without an installed package
    sys.path.insert(0, str(ROOT))
TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from engine import samples as clips  # noqa: E402


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def typing_video(clip_dir):
    """(path, truth) of clips.typing_clip: 540x960, 6 s, no audio."""
    return clips.typing_clip(clip_dir / "typing.mp4")


@pytest.fixture(scope="session")
def typing_video_landscape(clip_dir):
    """(path, truth) of clips.typing_clip: 960x540, 6 s, with an AAC track."""
    return clips.typing_clip(clip_dir / "typing_landscape.mp4", portrait=False, audio=True)


@pytest.fixture(scope="session")
def popup_video(clip_dir):
    return clips.popup_clip(clip_dir / "popup.mp4")


@pytest.fixture(scope="session")
def scroll_video(clip_dir):
    return clips.scroll_clip(clip_dir / "scroll.mp4")


@pytest.fixture(scope="session")
def ambient_video(clip_dir):
    return clips.ambient_clip(clip_dir / "ambient.mp4")


@pytest.fixture(scope="session")
def vfr_video(clip_dir):
    return clips.vfr_clip(clip_dir / "vfr.mp4")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real recordings with ground truth (../shared/corpus beside the repository); skip when absent."""
    d = ROOT.parent / "shared" / "corpus"
    if not d.is_dir() or not any(d.glob("*.mp4")):
        pytest.skip(f"corpus not found at {d}")
    return d


def _run_cli(*args, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "engine.cli", *[str(a) for a in args]]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, **kw)


@pytest.fixture(scope="session")
def run_cli():
    """run_cli("analyze", path, "-o", prefix, "key=value", ...) -> CompletedProcess (text, captured)."""
    return _run_cli

