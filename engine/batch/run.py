"""The batch loop: collect the inputs, recover what a killed run left, decide what is to do, run it on the
chosen executor, record each result as it comes, and report."""
from __future__ import annotations

import os
import sys
from collections import deque
from pathlib import Path

from ..errors import BatchFailed, ConfigError, OutputUnwritable
from . import executors, report
from .inputs import Item, collect
from ..provenance import config_hash, hashed_config
from .job import check_provenance, output_overrides, sha256_of
from .state import State, locked


def _unchanged(row: dict, item: Item, chash: str, st, rehash: bool) -> tuple[bool, bool]:
    """(same input and config as the row recorded, the input was only touched: same bytes, new mtime)."""
    if row.get("source") != str(item.source) or row.get("config_hash") != chash:
        return False, False
    if st is None:
        return row.get("size") is None, False
    if row.get("size") != st.st_size:
        return False, False
    if row.get("mtime_ns") == st.st_mtime_ns and not rehash:
        return True, False
    if not row.get("sha256"):
        return False, False
    try:
        same = sha256_of(item.source) == row["sha256"]
    except OSError:
        return False, False
    return same, same and row.get("mtime_ns") != st.st_mtime_ns


def plan(items: list[Item], state: State, overrides: list[str], render: bool, retry_failed: bool, rehash: bool,
         out: Path, exec_overrides):
    """(jobs to run, inputs failed before running (bad overrides), done kept, failed kept)."""
    from ..config import load_config

    configs: dict = {}
    jobs, bad, kept_done, kept_failed = [], [], 0, 0
    for it in items:
        over = tuple(overrides) + it.overrides
        if over not in configs:
            try:
                cfg = load_config(list(over))
                hashed = hashed_config(cfg, render)
                configs[over] = (hashed, config_hash(hashed), exec_overrides(cfg))
            except ConfigError as e:
                configs[over] = e
        c = configs[over]
        if isinstance(c, ConfigError):
            bad.append((it, {"ok": False, "error": f"{it.origin}: {c}", "exit_code": c.exit_code}))
            continue
        hashed, chash, exe = c
        try:
            st = os.stat(it.source)
        except OSError:
            st = None
        row = state.get(it.key)
        if row and row["state"] in ("done", "failed"):
            same, touched = _unchanged(row, it, chash, st, rehash)
            if same and row["state"] == "done":
                if touched:
                    state.restat(it.key, st.st_size, st.st_mtime_ns)
                kept_done += 1
                continue
            if same and row["state"] == "failed" and not retry_failed:
                kept_failed += 1
                continue
        jobs.append({"key": it.key, "source": str(it.source), "prefix": str(out / it.key), "out": str(out),
                     "overrides": list(over) + exe, "user_overrides": output_overrides(over), "render": bool(render),
                     "config_hash": chash, "config": hashed,
                     "size": st.st_size if st else None, "mtime_ns": st.st_mtime_ns if st else None})
    return jobs, bad, kept_done, kept_failed


def run_batch(inputs: list[str], out: str | Path, overrides: list[str], workers: int | None = None,
              render: bool = False, retry_failed: bool = False, quiet: bool = False) -> int:
    """Run (or resume) a batch; returns 0 when every input is done, BatchFailed's code when any failed."""
    from ..config import load_config

    out = Path(out).absolute()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputUnwritable(f"cannot create output folder {out} ({e.strerror or e})") from None
    base = load_config(list(overrides))
    bc = base.batch
    kind = bc.executor
    n = executors.default_workers(int(workers if workers is not None else bc.workers))
    if kind == "inline":
        n = 1
    items = collect(inputs, out)

    def exec_overrides(cfg) -> list[str]:
        """How this run runs (not hashed): no progress bars in workers; torch threads from the worker's share."""
        extra = ["analysis.progress=false"]
        if cfg.analysis.torch_threads == "auto":
            share = 1 if kind == "inline" else n
            if kind == "ray" and bc.ray_address:
                t = max(1, int(bc.ray_cpus_per_task) - int(cfg.analysis.threads))
            else:
                t = executors.torch_threads(share, int(cfg.analysis.threads))
            extra.append(f"analysis.torch_threads={t}")
        return extra

    with locked(out):
        state = State(out)
        try:
            return _run(state, items, out, overrides, render, retry_failed, quiet, bc, kind, n, exec_overrides,
                        str(base.analysis.device).startswith("cuda"))
        finally:
            state.close()


def _run(state, items, out, overrides, render, retry_failed, quiet, bc, kind, n, exec_overrides, gpu) -> int:
    back, found = state.recover(lambda row: check_provenance(out, row))
    jobs, bad, kept_done, kept_failed = plan(items, state, overrides, render, retry_failed, bool(bc.rehash), out,
                                             exec_overrides)
    progress = report.Progress(len(items), kept_done, kept_failed, len(jobs) + len(bad), quiet)
    recovered = f"; after an interrupted run: {back} back to pending, {found} found finished" if back + found else ""
    progress.say(f"batch: {len(items)} input{'s' * (len(items) != 1)}: {len(jobs) + len(bad)} to do, {kept_done} done before"
                 + (f", {kept_failed} failed before (--retry-failed retries them)" if kept_failed else "")
                 + (f"; {kind} executor, {n} worker{'s' * (n != 1)}" if jobs else "") + recovered)
    for it, r in bad:
        state.failed(it.key, str(it.source), r)
        progress.update(it.key, r)
    if jobs:
        ex = executors.make(kind, n, bc, gpu)
        queue, in_flight = deque(jobs), 0
        try:
            while queue or in_flight:
                while queue and in_flight < ex.slots:
                    job = queue.popleft()
                    state.running(job["key"], job["source"], job["size"], job["mtime_ns"], job["config_hash"],
                                  job["user_overrides"])
                    in_flight += 1
                    ex.submit(job)
                job, r = ex.next_done()
                in_flight -= 1
                if r.get("ok"):
                    state.done(job["key"], r)
                else:
                    state.failed(job["key"], job["source"], r)
                progress.update(job["key"], r)
        finally:
            ex.close()
    rows = state.rows([it.key for it in items])
    s = report.summary(rows, progress, kept_done + kept_failed, kind, n)
    paths = report.write(out, rows, s)
    progress.say(report.table(s, rows, paths))
    if s["failed"]:
        print(f"screendirector: error: {s['failed']} of {s['inputs']} inputs failed (each with its reason in "
              f"{paths[1]}); the others are done", file=sys.stderr)
        return BatchFailed.exit_code
    return 0
