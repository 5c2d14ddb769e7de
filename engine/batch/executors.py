"""Where jobs run: `local` (a pool of worker processes), `inline` (this process) and `ray` (Ray tasks).

Each has submit(job) and next_done() -> (job, result); `slots` is how many jobs it runs at once. The job
function is engine.batch.job.run_job everywhere, with the same settings, so the outputs are byte-identical.
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ..errors import MissingExtra
from .job import run_job


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def default_workers(workers: int) -> int:
    """batch.workers, 0 meaning one per 2 cores (a worker keeps about two busy: decoder and detectors)."""
    return workers if workers > 0 else max(1, cores() // 2)


def torch_threads(workers: int, decoder_threads: int) -> int:
    """Torch threads per worker: the worker's share of the cores less its decoder's threads (the engine's
    own `auto` rule, applied to a share), at least 1, so workers do not fight over cores."""
    share = max(1, cores() // workers)
    return max(1, share - (decoder_threads or share))


def _start_worker(parent: int, logs: tuple = (False, None)) -> None:
    """A pool worker logs as the batch does (-v, --log-file), and ends with it."""
    if logs[0] or logs[1]:
        from ..diagnostics import setup_logging
        setup_logging(*logs)
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """A pool worker ends when the batch process ends, even by SIGKILL: no orphan keeps writing."""
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass                                                                # not Linux: best effort
    if os.getppid() != parent:
        os._exit(1)


class Inline:
    """One job after another in this process (like `analyze a b c`): no start-up per worker."""

    def __init__(self):
        self.slots = 1
        self.done: deque = deque()

    def submit(self, job: dict) -> None:
        self.done.append((job, run_job(job)))

    def next_done(self):
        return self.done.popleft()

    def close(self) -> None:
        pass


class LocalPool:
    """Worker processes (spawned, so no torch state is forked). When a worker dies (a segfault, the kernel's
    OOM killer), every job then in flight is re-run alone in a fresh pool; one that kills its worker alone
    is failed with exit code 1, and the others go on."""

    def __init__(self, workers: int):
        import multiprocessing

        self.slots = workers
        self.ctx = multiprocessing.get_context("spawn")
        self.pool = self._new_pool()
        self.futures: dict = {}          # future -> job
        self.alone: deque = deque()      # jobs to re-run one at a time after a worker died
        self.suspects: set = set()

    def _new_pool(self) -> ProcessPoolExecutor:
        from ..diagnostics import logging_settings
        return ProcessPoolExecutor(max_workers=self.slots, mp_context=self.ctx, initializer=_start_worker,
                                   initargs=(os.getpid(), logging_settings()))

    def submit(self, job: dict) -> None:
        if self.suspects or self.alone:
            self.alone.append(job)
            self._feed()
        else:
            self.futures[self.pool.submit(run_job, job)] = job

    def _feed(self) -> None:
        if not self.futures and self.alone:
            job = self.alone.popleft()
            self.futures[self.pool.submit(run_job, job)] = job

    def next_done(self):
        while True:
            self._feed()
            done, _ = wait(list(self.futures), return_when=FIRST_COMPLETED)
            f = next(iter(done))
            job = self.futures.pop(f)
            try:
                result = f.result()
            except BrokenProcessPool:
                result = self._broken(job, done)
                if result is None:
                    continue
            self.suspects.discard(job["key"])
            return job, result

    def _broken(self, job: dict, done) -> dict | None:
        """A worker died: the job is failed if it ran alone, else it and the others in flight run alone."""
        lost = [job] + list(self.futures.values())
        self.futures.clear()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()
        if job["key"] in self.suspects and len(lost) == 1:
            self.suspects.discard(job["key"])
            return {"key": job["key"], "ok": False, "exit_code": 1,
                    "error": "the worker process died while analysing this input (crash or out of memory)"}
        for j in lost:
            self.suspects.add(j["key"])
        self.alone.extendleft(reversed(lost))
        return None

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class RayTasks:
    """The same jobs as Ray tasks: ray.init(address) from batch.ray_address, or a local instance with
    `workers` CPUs. A task that dies is failed (no automatic retry: a crash would only repeat)."""

    def __init__(self, workers: int, bc, gpu: bool):
        try:
            import ray
        except ImportError:
            raise MissingExtra("batch.executor=ray needs Ray: pip install 'screendirector[ray]'") from None
        self.ray = ray
        if not ray.is_initialized():
            kw = dict(address=bc.ray_address) if bc.ray_address else dict(num_cpus=workers)
            ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False, **kw)
        resources = {"num_cpus": float(bc.ray_cpus_per_task), "max_retries": 0}
        if gpu:
            resources["num_gpus"] = float(bc.ray_gpus_per_task)
        self.task = ray.remote(**resources)(run_job)
        total = ray.cluster_resources().get("CPU", workers)
        self.slots = max(1, int(total // float(bc.ray_cpus_per_task))) if bc.ray_address else workers
        self.refs: dict = {}

    def submit(self, job: dict) -> None:
        self.refs[self.task.remote(job)] = job

    def next_done(self):
        ready, _ = self.ray.wait(list(self.refs), num_returns=1)
        job = self.refs.pop(ready[0])
        try:
            return job, self.ray.get(ready[0])
        except Exception as e:      # noqa: BLE001 - the task's worker died or Ray lost it
            msg = " ".join(str(e).split())[:300]
            return job, {"key": job["key"], "ok": False, "exit_code": 1,
                         "error": f"the Ray task failed: {type(e).__name__}: {msg}"}

    def close(self) -> None:
        for ref in self.refs:
            self.ray.cancel(ref, force=True)
        self.refs.clear()
        self.ray.shutdown()


def make(executor: str, workers: int, bc, gpu: bool):
    if executor == "inline":
        return Inline()
    if executor == "ray":
        return RayTasks(workers, bc, gpu)
    return LocalPool(workers)
