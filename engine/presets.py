"""The presets (configs/preset/NAME.yaml, chosen with `preset=NAME`), read from their files: each file's first
comment line says what it is for, and each key it sets carries its one-line comment. `screendirector presets`
prints them with the defaults they replace, so the listing is always what the files do."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from omegaconf import OmegaConf

from .config import config_dir, load_config

KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>[^#]*?)\s*(?:#\s*(?P<comment>.*))?$")


@dataclass
class Change:
    key: str            # dotted, e.g. director.min_window
    value: object       # what the preset sets
    default: object     # what it is without the preset (None when the key has no default)
    comment: str        # the key's comment in the preset file


@dataclass
class Preset:
    name: str
    about: str          # the file's description ("preset: NAME, <about>")
    changes: list[Change] = field(default_factory=list)


def _comments(text: str) -> dict[str, str]:
    """Dotted key -> the comment on its line, following nesting by indentation."""
    out, stack = {}, []          # stack: (indent, key) of the enclosing mappings
    for line in text.splitlines():
        m = KEY_LINE.match(line)
        if not m or line.lstrip().startswith("#"):
            continue
        indent = len(m["indent"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        dotted = ".".join([k for _, k in stack] + [m["key"]])
        if m["value"] == "":
            stack.append((indent, m["key"]))       # a mapping: its keys follow, indented
        else:
            out[dotted] = (m["comment"] or "").strip()
    return out


def _about(text: str, name: str) -> str:
    for line in text.splitlines():
        m = re.match(r"^#\s*preset:\s*(.*)$", line)
        if m:
            about = m.group(1).strip()
            about = re.sub(rf"^{re.escape(name)}\s*[,:]?\s*", "", about) or about
            return about[1:-1] if about.startswith("(") and about.endswith(")") else about
    return ""


def presets() -> list[Preset]:
    """Every preset file, by name ('none' first), with what it changes from the defaults."""
    base = load_config()
    files = sorted((config_dir() / "preset").glob("*.yaml"), key=lambda p: (p.stem != "none", p.stem))
    out = []
    for path in files:
        text = path.read_text()
        values = OmegaConf.to_container(OmegaConf.load(path) or OmegaConf.create({}), resolve=True)
        comments = _comments(text)
        changes = []
        for key, value in _flatten(values):
            default = OmegaConf.select(base, key, default=None)
            changes.append(Change(key, value, _plain(default), comments.get(key, "")))
        out.append(Preset(path.stem, _about(text, path.stem), changes))
    return out


def _flatten(d, prefix: str = ""):
    for k, v in (d or {}).items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            yield from _flatten(v, key + ".")
        else:
            yield key, v


def _plain(v):
    try:
        return OmegaConf.to_container(v, resolve=True)
    except ValueError:
        return v


def listing() -> str:
    """The text `screendirector presets` prints."""
    ps = presets()
    lines = ["presets (choose one with preset=NAME, e.g. `screendirector direct rec.mp4 preset=subtle`); each sets:", ""]
    for p in ps:
        lines.append(f"{p.name:<12} {p.about}")
        if not p.changes:
            lines.append(f"{'':<12}   (changes nothing)")
        width = max((len(c.key) for c in p.changes), default=0)
        vals = [f"{c.value} (default {c.default})" for c in p.changes]
        vw = max((len(v) for v in vals), default=0)
        for c, v in zip(p.changes, vals):
            lines.append(f"{'':<12}   {c.key:<{width}} = {v:<{vw}}   {c.comment}".rstrip())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
