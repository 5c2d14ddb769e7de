"""What a run left in OUT_DIR, read for the review page: its recordings (every PREFIX.segments.json, and the
failed inputs of a batch's report), each with its directed video, the raw recording its own records name
(provenance, report.json, command.sh: never a path the browser sends), the truth beside that recording, and
the edited EDL the page wrote, if any.

Nothing here writes; nothing here follows a path out of OUT_DIR except the raw recording the run recorded."""
from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

EDITED = ".edited"          # PREFIX.edited.segments.json / .camera.json / .mp4: what the page writes
VIDEO_EXTS = (".mp4", ".mov", ".m4v", ".mkv")


def inside(root: Path, rel: str) -> Path | None:
    """root/rel when it names a file that is inside root once every link and `..` is resolved; else None.
    root must already be resolved. An absolute rel, a `..` that climbs out, a link pointing out: None."""
    if "\0" in rel:
        return None
    try:
        p = (root / rel.lstrip("/")).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if p != root and root not in p.parents:
        return None
    return p if p.is_file() else None


@dataclass
class Recording:
    key: str                          # the output prefix relative to OUT_DIR (a batch's key)
    prefix: Path | None               # OUT_DIR/key, absolute (None: a failed input without outputs)
    state: str = "done"
    error: str | None = None
    source: Path | None = None        # the raw recording, as the run's records name it
    source_why: str = ""              # where the name came from, or why there is none
    overrides: list[str] = field(default_factory=list)   # the run's key=value overrides (re-planning uses them)

    @property
    def segments(self) -> Path:
        return Path(f"{self.prefix}.segments.json")

    @property
    def camera(self) -> Path:
        return Path(f"{self.prefix}.camera.json")

    def edited(self, kind: str) -> Path:
        """PREFIX.edited.segments.json (kind "segments"), .edited.camera.json ("camera"), .edited.mp4 ("video")."""
        return Path(f"{self.prefix}{EDITED}.mp4") if kind == "video" else Path(f"{self.prefix}{EDITED}.{kind}.json")

    def directed(self) -> Path | None:
        """The directed video the run rendered (PREFIX.mp4, or another container), when there is one."""
        for ext in VIDEO_EXTS:
            p = Path(f"{self.prefix}{ext}")
            if p.is_file():
                return p
        return None

    def source_ok(self) -> bool:
        return self.source is not None and self.source.is_file()


def _read_json(path: Path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _from_command(sh: Path) -> Path | None:
    """The input of the ffmpeg command a render wrote (command.sh: `exec FFMPEG ... -i INPUT ...`)."""
    try:
        lines = sh.read_text().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        if line.startswith("exec "):
            try:
                words = shlex.split(line)
            except ValueError:
                return None
            if "-i" in words[:-1]:
                return Path(words[words.index("-i") + 1])
    return None


def _source(rec: Recording, row: dict | None) -> None:
    """Fill in rec.source from the run's own records: the provenance file, then the report's row, then the
    render's command.sh. Says where it came from, or why there is none."""
    prov = _read_json(Path(f"{rec.prefix}.provenance.json")) if rec.prefix else None
    if isinstance(prov, dict) and isinstance(prov.get("input"), dict) and prov["input"].get("path"):
        rec.source, rec.source_why = Path(prov["input"]["path"]), "named by its provenance file"
        rec.overrides = [str(o) for o in prov.get("overrides") or [] if "=" in str(o)]
    elif row and row.get("source"):
        rec.source, rec.source_why = Path(row["source"]), "named by report.json"
    elif rec.prefix and (src := _from_command(Path(f"{rec.prefix}.command.sh"))):
        rec.source, rec.source_why = src, "named by the render's command.sh"
    else:
        rec.source_why = "no record of this run names the raw recording (no provenance, report or command.sh)"
        return
    if not rec.source.is_file():
        rec.source_why = f"the raw recording is missing: {rec.source} ({rec.source_why})"


def find(out: Path, key: str) -> Recording | None:
    """The recording `key` names, without listing the whole run (a video's range requests ask often): a plain
    relative key (no `..`, not absolute) whose PREFIX.segments.json is inside OUT_DIR, or a failed input of the
    batch's report. None otherwise."""
    out = Path(out).resolve()
    parts = key.split("/")
    if not key or key.startswith("/") or "\\" in key or any(p in ("", ".", "..") for p in parts):
        return None
    if not parts[-1].endswith(EDITED) and not parts[-1].startswith(".") and inside(out, key + ".segments.json"):
        rec = Recording(key, out / key)
    else:
        rec = None
    report = _read_json(out / "report.json")
    row = next((r for r in (report or {}).get("inputs", []) if isinstance(r, dict) and r.get("key") == key), None) \
        if isinstance(report, dict) else None
    if rec is None:
        if not row or row.get("state") == "done":
            return None
        return Recording(key, None, state=str(row.get("state")), error=row.get("error"),
                         source=Path(row["source"]) if row.get("source") else None, source_why="named by report.json")
    if row:
        rec.state, rec.error = str(row.get("state") or rec.state), row.get("error")
    _source(rec, row)
    return rec


def recordings(out: Path) -> list[Recording]:
    """Every recording of the run in OUT_DIR, sorted by key: those with an EDL, and the inputs a batch's
    report lists as failed (shown with their error)."""
    out = Path(out).resolve()
    report = _read_json(out / "report.json")
    rows = {r["key"]: r for r in (report or {}).get("inputs", []) if isinstance(r, dict) and r.get("key")} \
        if isinstance(report, dict) else {}
    found: dict[str, Recording] = {}
    for seg in sorted(out.rglob("*.segments.json")):
        name = seg.name[:-len(".segments.json")]
        if name.endswith(EDITED) or name.startswith("."):         # the page's own edits; temporary files
            continue
        if not inside(out, seg.relative_to(out).as_posix()):      # a link out of OUT_DIR is not the run's
            continue
        key = seg.relative_to(out).parent.joinpath(name).as_posix()
        found[key] = Recording(key, out / key)
    for key, row in rows.items():
        if key not in found and row.get("state") != "done":
            found[key] = Recording(key, None, state=str(row.get("state")), error=row.get("error"),
                                   source=Path(row["source"]) if row.get("source") else None,
                                   source_why="named by report.json")
    for key, rec in found.items():
        row = rows.get(key)
        if row:
            rec.state = str(row.get("state") or rec.state)
            rec.error = row.get("error") or rec.error
        if rec.prefix:
            _source(rec, row)
    return [found[k] for k in sorted(found)]
