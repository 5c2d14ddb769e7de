"""Shared fixtures: synthetic clips built once per session, the real corpus, and a CLI runner."""
from __future__ import annotations

import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:                     # `import engine` without an installed package
    sys.path.insert(0, str(ROOT))
TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from engine.synth import generate_clip, scripts  # noqa: E402
from engine.synth.params import Style  # noqa: E402

PORTRAIT, LANDSCAPE = Style(size=(540, 960)), Style(size=(960, 540))


def make_clip(folder: Path, name: str, **kw):
    """(path, truth) of a scripted engine.synth recording; the truth is in the corpus format (and NAME.labels.npz
    lies beside the video)."""
    truth = generate_clip(folder / name, **kw)
    truth.pop("_render_s", None)
    return folder / f"{name}.mp4", truth


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def typing_video(clip_dir):
    """Phone notes, 540x960, 6 s, no audio: 1 s idle (the caret blinks), a tap and a burst on a new line, a pause,
    a second burst (scripts.typing)."""
    return make_clip(clip_dir, "typing", seed=1, form="phone", app="notes", seconds=6, noise=0,
                     script=scripts.typing, style=PORTRAIT)


@pytest.fixture(scope="session")
def typing_video_landscape(clip_dir):
    """Desktop editor, 960x540, 6 s, with an AAC track: a click, then the same typing (scripts.typing)."""
    return make_clip(clip_dir, "typing_landscape", seed=1, form="desktop", app="editor", seconds=6, noise=0,
                     script=scripts.typing, style=Style(size=(960, 540), audio=True))


@pytest.fixture(scope="session")
def popup_video(clip_dir):
    """Phone notes, 540x960, 8 s: typing, a popup card upper-left from 3.5 s, typing again (scripts.popup)."""
    return make_clip(clip_dir, "popup", seed=1, form="phone", app="notes", seconds=8, noise=0,
                     script=scripts.popup, style=PORTRAIT)


@pytest.fixture(scope="session")
def scroll_video(clip_dir):
    """Phone chat, 540x960, 5 s: two wheel bursts of the message list (scripts.scroll)."""
    return make_clip(clip_dir, "scroll", seed=1, form="phone", app="chat", seconds=5, noise=0,
                     script=scripts.scroll, style=PORTRAIT)


@pytest.fixture(scope="session")
def ambient_video(clip_dir):
    """Phone notes, 540x960, 8 s, nothing but ambient change: the clock, a spinner, the idle caret blinking."""
    return make_clip(clip_dir, "ambient", seed=1, form="phone", app="notes", seconds=8, noise=1,
                     script=scripts.idle, style=PORTRAIT)


@pytest.fixture(scope="session")
def vfr_video(clip_dir):
    """Phone notes, 540x960, 3 s, a variable frame rate: 30 fps, but from 0.9 to 2.1 s only one frame in three
    was kept (100 ms gaps); every frame's time is in NAME.labels.npz."""
    return make_clip(clip_dir, "vfr", seed=1, form="phone", app="notes", seconds=3, noise=0,
                     script=partial(scripts.typing, start=0.2, pause=0.5),
                     style=Style(size=(540, 960), capture="thin", thin_every=3, thin_span=(0.3, 0.7)))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real recordings with ground truth (../shared/corpus beside the repository); skip when absent."""
    d = ROOT.parent / "shared" / "corpus"
    if not d.is_dir() or not any(d.glob("*.mp4")):
        pytest.skip(f"corpus not found at {d}")
    return d


def _run_cli(*args, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "engine.cli", *[str(a) for a in args]]
    kw.setdefault("cwd", ROOT)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


@pytest.fixture(scope="session")
def run_cli():
    """run_cli("analyze", path, "-o", prefix, "key=value", ...) -> CompletedProcess (text, captured)."""
    return _run_cli

