"""What a batch is asked to do: files, folders (searched recursively) and manifests, each input with the
output prefix it writes (OUT/REL/NAME.*) and its own overrides."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from ..commands import VIDEO_SUFFIXES
from ..errors import BadArgument, InputMissing

MANIFEST_SUFFIXES = (".csv", ".jsonl", ".ndjson")
RESERVED = ("path", "output")         # manifest columns that are not overrides


@dataclass(frozen=True)
class Item:
    key: str                 # the output prefix under OUT, posix style: "sub/clip" -> OUT/sub/clip.*
    source: Path             # the recording (absolute)
    overrides: tuple = ()    # this input's own key=value overrides, applied after the command line's
    origin: str = ""         # where it was listed (a folder, a manifest line), for messages


def override_text(key: str, value) -> str:
    """A manifest value as a hydra override: JSON true/false/null and lists written the way hydra reads them."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif value is None:
        value = "null"
    elif isinstance(value, (list, tuple)):
        value = "[" + ",".join(override_text("", v)[1:] for v in value) + "]"
    return f"{key}={value}"


def _key(rel: Path) -> str:
    """A relative path without its video suffix, posix style."""
    return rel.with_suffix("").as_posix() if rel.suffix else rel.as_posix()


def _within(p: Path, folder: Path) -> bool:
    try:
        p.relative_to(folder)
        return True
    except ValueError:
        return False


def search(folder: Path, out: Path) -> list[Path]:
    """The videos under a folder, sorted, recursively; hidden files and folders (temporaries) and the output
    folder itself are left out, so outputs written inside an input folder are never taken for inputs."""
    found = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or _within(p.resolve(), out):
            continue
        if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES:
            found.append(p)
    return found


def _manifest_rows(path: Path) -> list[tuple[int, dict]]:
    """(line number, {column: value}) of a CSV (header row naming `path`) or JSON lines manifest."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise BadArgument(f"cannot read manifest {path} ({getattr(e, 'strerror', None) or e})") from None
    rows = []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or "path" not in reader.fieldnames:
            raise BadArgument(f"manifest {path}: the first row must name the columns, one of them `path`")
        for row in reader:
            if None in row:
                raise BadArgument(f"manifest {path} line {reader.line_num}: more cells than columns")
            rows.append((reader.line_num, {k: v for k, v in row.items() if v not in (None, "")}))
        return rows
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise BadArgument(f"manifest {path} line {n}: not JSON ({e.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("path"), str):
            raise BadArgument(f"manifest {path} line {n}: expected an object with a \"path\" string")
        over = row.get("overrides", {})
        if isinstance(over, list) and all(isinstance(o, str) and "=" in o for o in over):
            over = dict(o.split("=", 1) for o in over)
        if not isinstance(over, dict):
            raise BadArgument(f"manifest {path} line {n}: \"overrides\" must be an object or a list of key=value")
        rows.append((n, {"path": row["path"], **({"output": row["output"]} if "output" in row else {}), **over}))
    return rows


def from_manifest(path: Path) -> list[Item]:
    """Paths are relative to the manifest's folder; an `output` column names the output prefix under OUT
    (default: the path without its suffix, or the file's name for a path outside that folder); every other
    column (CSV) or "overrides" entry (JSON) is a key=value override for that input alone."""
    base = path.parent.resolve()
    items = []
    for n, row in _manifest_rows(path):
        src = Path(row["path"])
        src = (base / src) if not src.is_absolute() else src
        src = Path(*src.parts)          # normalised, not resolved: a symlink keeps its own name
        if "output" in row:
            key = Path(str(row["output"]))
            if key.is_absolute() or ".." in key.parts or not key.parts:
                raise BadArgument(f"manifest {path} line {n}: output must be a relative path inside OUT")
            key = key.as_posix()
        else:
            key = _key(src.relative_to(base)) if _within(src.absolute(), base) else Path(src.name).stem
        over = tuple(override_text(k, v) for k, v in row.items() if k not in RESERVED)
        items.append(Item(key, src.absolute(), over, f"{path.name} line {n}"))
    return items


def collect(args: list[str], out: Path) -> list[Item]:
    """Every input of the command line, in order: a folder's videos sorted by path, a manifest's in its order.
    Two inputs that would write the same outputs stop the run before anything starts (exit 2)."""
    out = out.resolve()
    items: list[Item] = []
    for a in args:
        p = Path(a)
        if p.is_dir():
            found = search(p, out)
            if not found:
                raise InputMissing(f"no video files ({', '.join(VIDEO_SUFFIXES)}) under folder {p}")
            items += [Item(_key(f.relative_to(p)), f.absolute(), (), str(p)) for f in found]
        elif p.suffix.lower() in MANIFEST_SUFFIXES:
            if not p.is_file():
                raise InputMissing(f"manifest not found: {p}")
            items += from_manifest(p)
        else:                            # a missing file is recorded as failed (exit 3) with the others
            items.append(Item(Path(p.name).stem, p.absolute(), (), "command line"))
    seen: dict[str, Item] = {}
    for it in items:
        if it.key in seen:
            raise BadArgument(f"{seen[it.key].source} and {it.source} would write the same outputs "
                              f"(OUT/{it.key}.*): list them in a manifest with an `output` column")
        seen[it.key] = it
    if not items:
        raise InputMissing("no inputs (give videos, folders or a manifest)")
    return items
