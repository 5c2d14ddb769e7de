"""One input's work, the same in a local worker process, in this process and in a Ray task: hash the input,
analyse it (and render it with --render), then write its provenance file last. Every exception becomes a
result with a one-line error and an exit code; nothing here raises."""
from __future__ import annotations

import hashlib
import json
import os
import time
from functools import lru_cache
from pathlib import Path

from ..errors import InputMissing, UserError, one_line
from ..provenance import NOT_HASHED, version

HASH_CHUNK = 1 << 20      # bytes read at a time while hashing an input


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def output_overrides(overrides) -> list[str]:
    """The overrides that can change an output (those of NOT_HASHED settings left out)."""
    def key(o: str) -> str:
        return o.split("=", 1)[0].lstrip("+~")
    return [o for o in overrides if not any(key(o) == n or key(o).startswith(n + ".") for n in NOT_HASHED)]


def provenance_path(prefix: Path) -> Path:
    return Path(f"{prefix}.provenance.json")


@lru_cache(maxsize=16)
def _config(overrides: tuple):
    from ..config import load_config
    return load_config(list(overrides))


def run_job(job: dict) -> dict:
    """job: key, source, prefix (absolute output prefix), out (OUT), overrides (the user's, this input's,
    then the run's execution settings), render, config_hash, config (what was hashed). Returns a result dict
    (ok, the input's size / mtime_ns / sha256, duration_s, seconds, outputs under OUT, error, exit_code)."""
    t0 = time.perf_counter()
    res = {"key": job["key"], "ok": False, "version": version()}
    try:
        src = Path(job["source"])
        try:
            st = os.stat(src)
        except FileNotFoundError:
            raise InputMissing(f"input file not found: {src}") from None
        if not os.path.isfile(src):
            raise InputMissing(f"input is not a file: {src}")
        res.update(size=st.st_size, mtime_ns=st.st_mtime_ns)
        try:
            res["sha256"] = sha256_of(src)
        except OSError as e:
            raise InputMissing(f"cannot read {src} ({e.strerror or e})") from None
        prefix = Path(job["prefix"])
        prov = provenance_path(prefix)
        prov.unlink(missing_ok=True)            # present again only once this run's outputs are all in place
        res.update(_make(src, prefix, job))
        out = Path(job["out"])
        outputs = {name: Path(p).relative_to(out).as_posix() for name, p in res.pop("paths").items()}
        res.update(ok=True, outputs=outputs, seconds=round(time.perf_counter() - t0, 3))
        _write_provenance(prov, job, res)
        res["outputs"]["provenance"] = prov.relative_to(out).as_posix()
    except Exception as e:        # noqa: BLE001 - MemoryError, RuntimeError, a bug: this input fails, the batch goes on
        res.update(ok=False, error=one_line(e), exit_code=e.exit_code if isinstance(e, UserError) else 1,
                   seconds=round(time.perf_counter() - t0, 3))
    return res


def _make(src: Path, prefix: Path, job: dict) -> dict:
    from ..pipeline import run

    cfg = _config(tuple(job["overrides"]))
    result = run(src, cfg, output_prefix=prefix)
    paths = dict(result.outputs)
    if job["render"]:
        from ..render import load_track, render
        r = render(src, load_track(paths["camera"]), cfg, Path(f"{prefix}.mp4"), force=True,
                   log=lambda s: None, show_progress=False)
        paths.update(r.outputs)
    return {"paths": paths, "duration_s": round(float(result.features.meta["duration"]), 3)}


def _write_provenance(path: Path, job: dict, res: dict) -> None:
    """What made these outputs: tool version, the resolved config and overrides with its hash, the input's
    size, mtime and sha256, and each output's sha256, so an archive can be audited and re-run exactly."""
    from ..io import write_json

    out = Path(job["out"])
    doc = {
        "tool": "screendirector", "version": res["version"],
        "input": {"path": str(job["source"]), "size": res["size"], "mtime_ns": res["mtime_ns"],
                  "sha256": res["sha256"]},
        "overrides": list(job["user_overrides"]),
        "config_hash": job["config_hash"], "config": job["config"]["config"], "render": job["config"]["render"],
        "outputs": {name: {"path": rel, "sha256": sha256_of(out / rel)} for name, rel in res["outputs"].items()},
        "duration_s": res["duration_s"], "seconds": res["seconds"],
    }
    write_json(path, doc)


def check_provenance(out: Path, row: dict) -> dict | None:
    """A result for an input a killed run left running, when its provenance file shows it was finished: the
    file is written only after all of its outputs, and removed when an attempt starts. None otherwise."""
    prov = provenance_path(out / row["key"])
    try:
        doc = json.loads(prov.read_text())
        st = os.stat(row["source"])
    except (OSError, ValueError):
        return None
    i = doc.get("input", {})
    if (doc.get("config_hash") != row["config_hash"] or i.get("size") != st.st_size
            or i.get("mtime_ns") != st.st_mtime_ns or i.get("path") != row["source"]):
        return None
    outputs = {name: o["path"] for name, o in doc.get("outputs", {}).items()}
    if not all((out / rel).is_file() for rel in outputs.values()):
        return None
    outputs["provenance"] = prov.relative_to(out).as_posix()
    return {"size": i["size"], "mtime_ns": i["mtime_ns"], "sha256": i["sha256"], "version": doc.get("version"),
            "duration_s": doc.get("duration_s"), "seconds": doc.get("seconds"), "outputs": outputs}
