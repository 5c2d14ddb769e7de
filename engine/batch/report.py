"""What a batch says: a progress line per finished input on stderr, OUT/report.json and OUT/report.csv with
a row per input, and a summary table at the end."""
from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

from ..io import atomic_path, write_json

FIELDS = ("key", "source", "state", "exit_code", "error", "duration_s", "seconds", "size", "sha256", "config_hash",
          "version", "attempts", "outputs")


def _clock(s: float) -> str:
    s = int(round(s))
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


class Progress:
    """Counts over the run: done and failed of the total, seconds of video per second of wall time, and the
    time left (this run's seconds per finished input times those left)."""

    def __init__(self, total: int, done_before: int, failed_before: int, todo: int, quiet: bool):
        self.total, self.todo, self.quiet = total, todo, quiet
        self.done, self.failed = done_before, failed_before
        self.finished = 0
        self.video_s = 0.0
        self.t0 = time.perf_counter()

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def update(self, key: str, r: dict) -> None:
        self.finished += 1
        if r.get("ok"):
            self.done += 1
            self.video_s += float(r.get("duration_s") or 0)
            what = f"done   {key} ({float(r.get('duration_s') or 0):.1f} s of video in {r.get('seconds', 0):.1f} s)"
        else:
            self.failed += 1
            what = f"FAILED {key}: exit {r.get('exit_code')}: {r.get('error')}"
        wall = time.perf_counter() - self.t0
        left = self.todo - self.finished
        eta = f", ~{_clock(wall / self.finished * left)} left" if left else ""
        rate = f", {self.video_s / wall:.2f} s of video/s" if wall > 0 else ""
        self.say(f"[{self.done} done, {self.failed} failed of {self.total}{rate}{eta}] {what}")

    @property
    def wall(self) -> float:
        return time.perf_counter() - self.t0


def row(r: dict) -> dict:
    out = {k: r.get(k) for k in FIELDS}
    out["outputs"] = json.loads(r["outputs"]) if isinstance(r.get("outputs"), str) else (r.get("outputs") or {})
    return out


def write(out: Path, rows: list[dict], summary: dict) -> tuple[Path, Path]:
    """OUT/report.json ({summary, inputs}) and OUT/report.csv (outputs as JSON in one cell), atomically."""
    rows = [row(r) for r in rows]
    j, c = out / "report.json", out / "report.csv"
    write_json(j, {"summary": summary, "inputs": rows})
    with atomic_path(c) as tmp:
        with open(tmp, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS)
            w.writeheader()
            for r in rows:
                w.writerow({**r, "outputs": json.dumps(r["outputs"], sort_keys=True) if r["outputs"] else ""})
    return j, c


def summary(rows: list[dict], progress: Progress, skipped: int, executor: str, workers: int) -> dict:
    states = {s: sum(1 for r in rows if r.get("state") == s) for s in ("done", "failed", "pending", "running")}
    wall = progress.wall
    return {"inputs": len(rows), **states, "this_run": progress.finished, "skipped": skipped,
            "video_s_this_run": round(progress.video_s, 3), "wall_s": round(wall, 3),
            "video_s_per_s": round(progress.video_s / wall, 3) if wall > 0 else None,
            "video_s_total": round(sum(float(r.get("duration_s") or 0) for r in rows if r.get("state") == "done"), 3),
            "executor": executor, "workers": workers}


def table(s: dict, rows: list[dict], paths: tuple[Path, Path], shown: int = 10) -> str:
    """The closing summary: counts, this run's throughput, the failures (first `shown`) and where the reports are."""
    lines = [f"{'state':<8} {'inputs':>7}",
             f"{'done':<8} {s['done']:>7}   {s['video_s_total']:.1f} s of video",
             f"{'failed':<8} {s['failed']:>7}",
             f"{'total':<8} {s['inputs']:>7}   this run: {s['this_run']} processed, {s['skipped']} skipped; "
             f"{s['video_s_this_run']:.1f} s of video in {s['wall_s']:.1f} s"
             + (f" ({s['video_s_per_s']:.2f} s/s)" if s["this_run"] and s["video_s_per_s"] else "")]
    failed = [r for r in rows if r.get("state") == "failed"]
    if failed:
        lines.append("failed:")
        for r in failed[:shown]:
            lines.append(f"  {r['key']}  exit {r.get('exit_code')}  {r.get('error')}")
        if len(failed) > shown:
            lines.append(f"  ... and {len(failed) - shown} more (see the report)")
    lines.append(f"report: {paths[0]}  {paths[1]}")
    return "\n".join(lines)
