"""What the page's Save does: the edited shots, checked as `plan` checks them, written atomically as
PREFIX.edited.segments.json beside the original EDL; then, in a thread, the camera re-planned from it alone
(PREFIX.edited.camera.json, as `screendirector plan`) and the raw recording re-rendered to PREFIX.edited.mp4
(as `screendirector render --segments`). The original EDL, camera, video and the raw recording are never
written. One job at a time: the page polls its state."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from ..director.timeline import Timeline
from ..errors import UserError, one_line
from ..io import write_json
from .archive import Recording
from .scores import scores_for

_lock = threading.Lock()                  # one plan-and-render at a time, whatever the recording
_jobs: dict[str, dict] = {}               # key -> the last job's state (what GET /api/job returns)


def job(key: str) -> dict:
    return dict(_jobs.get(key) or {"state": "none"})


def busy() -> bool:
    return any(j.get("state") in ("queued", "planning", "rendering") for j in _jobs.values())


def save(rec: Recording, segments: list) -> Path:
    """The original EDL with its segments replaced by the page's, checked (a BadSegments names the segment
    and field), then written atomically beside it. Everything but the segments (size, rates, output) is the
    original's: the page edits shots, not the recording."""
    doc = json.loads(rec.segments.read_text())
    doc["segments"] = segments
    doc.pop("made_by", None)              # the stamp said what made the original; plan stamps its camera
    Timeline.from_dict(doc, rec.edited("segments").name)
    write_json(rec.edited("segments"), doc)
    return rec.edited("segments")


def start(rec: Recording) -> dict:
    """Re-plan and re-render the saved edit in a thread; returns the job's first state."""
    state = {"state": "queued", "frames": 0, "total": 0, "error": None, "started": time.time()}
    _jobs[rec.key] = state
    threading.Thread(target=_run, args=(rec, state), name=f"review-{rec.key}", daemon=True).start()
    return dict(state)


def _run(rec: Recording, state: dict) -> None:
    from ..config import load_config
    from ..pipeline import plan_segments
    from ..render import render

    with _lock:
        try:
            state["state"] = "planning"
            overrides = list(rec.overrides) + ["analysis.progress=false"]
            cfg = load_config(overrides)
            prefix = Path(f"{rec.prefix}.edited")
            _, track, _ = plan_segments(rec.edited("segments"), cfg, rec.overrides, prefix)
            state["scores"] = scores_for(rec)
            if not rec.source_ok():
                state.update(state="planned", error=f"camera re-planned; not re-rendered: {rec.source_why}")
                return
            state.update(state="rendering", total=len(track.frames))
            render(rec.source, track, cfg, rec.edited("video"), force=True, log=lambda s: None, show_progress=False,
                   on_frames=lambda done, total: state.update(frames=done, total=total))
            state.update(state="done", frames=state["total"], finished=time.time())
        except UserError as e:
            state.update(state="failed", error=one_line(e))
        except Exception as e:        # noqa: BLE001 - a bug: the page says so, the server goes on
            state.update(state="failed", error="internal error: " + one_line(e))
