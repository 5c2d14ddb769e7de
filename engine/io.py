"""Atomic output: write to a temporary name beside the target, rename when complete, clean up on failure."""
from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from .errors import OutputUnwritable


def ensure_parent(path: str | Path) -> Path:
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except (OSError, FileExistsError) as e:
        raise OutputUnwritable(f"cannot create output folder {p.parent} ({e.strerror or e})") from None
    if not os.access(p.parent, os.W_OK):
        raise OutputUnwritable(f"output folder is not writable: {p.parent}")
    return p


def check_writable(path: str | Path) -> Path:
    """Fail early, creating nothing, when `path` could not be written: its nearest existing ancestor must be
    a writable folder."""
    p = Path(path).absolute()
    a = p.parent
    while not a.exists():
        a = a.parent
    if not a.is_dir():
        raise OutputUnwritable(f"cannot create output folder {p.parent}: {a} is a file")
    if not os.access(a, os.W_OK):
        raise OutputUnwritable(f"output folder is not writable: {a}")
    return p


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path; on success rename it onto `path`, on any failure (Ctrl-C too) remove it."""
    p = ensure_parent(path)
    tmp = p.with_name(f".{p.stem}.{os.getpid()}.tmp{p.suffix}")    # the suffix kept: tools pick formats by it
    try:
        yield tmp
        os.replace(tmp, p)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputUnwritable(f"cannot write {p} ({e.strerror or e})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_json(path: str | Path, obj, compact_rows: bool = False) -> None:
    """Deterministic JSON (sorted keys, fixed separators), written atomically."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":") if compact_rows else (", ", ": "))
    with atomic_path(path) as tmp:
        tmp.write_text(text + "\n")
