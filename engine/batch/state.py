"""The run's state in OUT/batch.sqlite, one row per input: pending, running, done or failed.

Only the batch's own process writes it, one statement at a time (each its own transaction), so a SIGKILL
leaves it as it was after the last finished statement. An input is marked done only after every output
and its provenance file are renamed into place. On start, inputs left running go back to pending, and
temporary files of the atomic writes (engine.io.atomic_path: `.STEM.PID.tmpSUFFIX`) under OUT are removed.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import sqlite3
import time
from pathlib import Path

from ..errors import BatchBusy, OutputUnwritable

DB_NAME = "batch.sqlite"
LOCK_NAME = ".batch.lock"
# the temporary names engine.io.atomic_path gives (".NAME.segments.1234.tmp.json", ".NAME.1234.tmp.mp4")
TEMP_RE = re.compile(r"^\..+\.\d+\.tmp\.(json|npz|mp4|sh|txt|csv)$")

COLUMNS = {
    "key": "TEXT PRIMARY KEY",     # output prefix under OUT
    "source": "TEXT",              # the input's path
    "state": "TEXT",               # pending, running, done, failed
    "size": "INTEGER",             # input bytes
    "mtime_ns": "INTEGER",         # input modification time (ns)
    "sha256": "TEXT",              # input hash (hex)
    "config_hash": "TEXT",         # resolved config (with this input's overrides) + render flag
    "overrides": "TEXT",           # this input's overrides (JSON list)
    "version": "TEXT",             # screendirector version that made the outputs
    "duration_s": "REAL",          # seconds of video
    "seconds": "REAL",             # wall seconds it took
    "outputs": "TEXT",             # JSON {name: path under OUT}
    "error": "TEXT",               # one line
    "exit_code": "INTEGER",
    "attempts": "INTEGER",
    "updated": "REAL",             # unix time of the last change
}


class State:
    def __init__(self, out: Path):
        self.out = out
        self.path = out / DB_NAME
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS inputs ("
                            + ", ".join(f"{k} {v}" for k, v in COLUMNS.items()) + ")")
        except sqlite3.Error as e:
            raise OutputUnwritable(f"cannot open the batch state {self.path} ({e})") from None

    def close(self) -> None:
        self.db.close()

    def get(self, key: str) -> dict | None:
        row = self.db.execute("SELECT * FROM inputs WHERE key = ?", (key,)).fetchone()
        return dict(row) if row else None

    def _set(self, key: str, **values) -> None:
        values["updated"] = time.time()
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        update = ", ".join(f"{k} = excluded.{k}" for k in values)
        self.db.execute(f"INSERT INTO inputs (key, {names}) VALUES (?, {marks}) "
                        f"ON CONFLICT(key) DO UPDATE SET {update}", (key, *values.values()))

    def running(self, key: str, source: str, size: int, mtime_ns: int, config_hash: str, overrides: list) -> None:
        attempts = (self.get(key) or {}).get("attempts") or 0
        self._set(key, source=source, state="running", size=size, mtime_ns=mtime_ns, config_hash=config_hash,
                  overrides=json.dumps(overrides), error=None, exit_code=None, attempts=attempts + 1)

    def done(self, key: str, r: dict) -> None:
        self._set(key, state="done", size=r["size"], mtime_ns=r["mtime_ns"], sha256=r["sha256"],
                  version=r["version"], duration_s=r["duration_s"], seconds=r["seconds"],
                  outputs=json.dumps(r["outputs"], sort_keys=True), error=None, exit_code=0)

    def failed(self, key: str, source: str, r: dict, config_hash: str | None = None, overrides=()) -> None:
        extra = {"config_hash": config_hash, "overrides": json.dumps(list(overrides))} if config_hash else {}
        self._set(key, source=source, state="failed", sha256=r.get("sha256"), version=r.get("version"),
                  seconds=r.get("seconds"), duration_s=None, outputs=None, error=r["error"],
                  exit_code=r["exit_code"], **{k: r[k] for k in ("size", "mtime_ns") if r.get(k) is not None},
                  **extra)

    def restat(self, key: str, size: int, mtime_ns: int) -> None:
        """The input was touched but its bytes are the same: keep it done, remember the new stat."""
        self._set(key, size=size, mtime_ns=mtime_ns)

    def recover(self, provenance_ok) -> tuple[int, int]:
        """Inputs a killed run left running: done when their provenance file says they were finished
        (provenance_ok(row) -> result dict or None), else pending. Then remove stray temporary files.
        Returns (back to pending, found done)."""
        pending = finished = 0
        for row in self.db.execute("SELECT * FROM inputs WHERE state = 'running'").fetchall():
            r = provenance_ok(dict(row))
            if r:
                self.done(row["key"], r)
                finished += 1
            else:
                self._set(row["key"], state="pending")
                pending += 1
        for folder, dirs, files in os.walk(self.out):
            for f in files:
                if TEMP_RE.match(f):
                    with contextlib.suppress(OSError):
                        os.unlink(os.path.join(folder, f))
        return pending, finished

    def rows(self, keys: list[str]) -> list[dict]:
        return [self.get(k) or {"key": k, "state": "pending"} for k in keys]


@contextlib.contextmanager
def locked(out: Path):
    """Hold OUT/.batch.lock for the run: a second batch on the same folder stops at once (exit 19). The
    kernel drops the lock when the process dies, SIGKILL included."""
    try:
        fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputUnwritable(f"cannot write in the output folder {out} ({e.strerror or e})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchBusy(f"another batch run is using {out}; wait for it or choose another -o") from None
        yield
    finally:
        os.close(fd)
