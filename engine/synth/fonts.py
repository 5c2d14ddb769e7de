"""Real fonts: a family per clip for sans and mono among those installed (DejaVu always when present), else
Pillow's embedded scalable font (Pillow >= 10.1) as the last resort.

`use(sans, mono)` picks the families for the clip being drawn (generate_clip sets it, then restores it); every
lookup resolves a kind ('sans', 'bold', 'mono') to a font file first, so caches keyed by the file never mix
families. A family that is not installed falls back to DejaVu, deterministically. Symbols (arrows, shapes)
always come from DejaVu: the other families lack many of them.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

ROOTS = [Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/TTF"), Path("/usr/share/fonts")]
FAMILIES = {   # family -> kind -> candidate files under ROOTS (the first found is used)
    "dejavu": {"sans": ["dejavu/DejaVuSans.ttf"], "bold": ["dejavu/DejaVuSans-Bold.ttf"],
               "mono": ["dejavu/DejaVuSansMono.ttf"]},
    "liberation": {"sans": ["liberation2/LiberationSans-Regular.ttf", "liberation/LiberationSans-Regular.ttf"],
                   "bold": ["liberation2/LiberationSans-Bold.ttf", "liberation/LiberationSans-Bold.ttf"],
                   "mono": ["liberation2/LiberationMono-Regular.ttf", "liberation/LiberationMono-Regular.ttf"]},
    "roboto": {"sans": ["roboto/unhinted/RobotoTTF/Roboto-Regular.ttf", "roboto/hinted/Roboto-Regular.ttf"],
               "bold": ["roboto/unhinted/RobotoTTF/Roboto-Medium.ttf", "roboto/hinted/Roboto-Medium.ttf"]},
    "noto": {"sans": ["noto/NotoSans-Regular.ttf"], "bold": ["noto/NotoSans-Bold.ttf"],
             "mono": ["noto/NotoSansMono-Regular.ttf", "noto/NotoMono-Regular.ttf"]},
}
SANS = ("dejavu", "liberation", "roboto", "noto")     # sans families, in the order style.draw indexes them
MONO = ("dejavu", "liberation", "noto")               # mono families
SYMBOL_FROM = 0x2190          # characters from here on (arrows, math, shapes) are drawn with DejaVu
EMBEDDED = "<pillow>"         # the file name that stands for Pillow's embedded font

_use = {"sans": "dejavu", "bold": "dejavu", "mono": "dejavu"}


@lru_cache(maxsize=None)
def _file(family: str, kind: str) -> str | None:
    for rel in FAMILIES.get(family, {}).get(kind, []):
        for root in ROOTS:
            if (root / rel).is_file():
                return str(root / rel)
    return None


def installed(family: str, kind: str = "sans") -> bool:
    return _file(family, kind) is not None


def face(kind: str, text: str = "") -> str:
    """The font file for kind in the current families (DejaVu for symbols and missing families)."""
    fam = _use[kind]
    if fam != "dejavu" and any(ord(c) >= SYMBOL_FROM for c in text):
        fam = "dejavu"
    return _file(fam, kind) or _file("dejavu", kind) or EMBEDDED


@contextmanager
def use(sans: str = "dejavu", mono: str = "dejavu"):
    """Draw with these families inside the block (restored after)."""
    old = dict(_use)
    _use.update(sans=sans, bold=sans, mono=mono)
    try:
        yield
    finally:
        _use.update(old)


@lru_cache(maxsize=None)
def load(path: str, size: int) -> ImageFont.FreeTypeFont:
    if path == EMBEDDED:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size)


def font(kind: str, size: int, text: str = "") -> ImageFont.FreeTypeFont:
    return load(face(kind, text), size)


@lru_cache(maxsize=200_000)
def _width(path: str, size: int, text: str) -> float:
    return float(load(path, size).getlength(text)) if text else 0.0


def width(kind: str, size: int, text: str) -> float:
    """Advance width of text in px (what a caret after it is offset by)."""
    return _width(face(kind, text), size, text)


def metrics(kind: str, size: int) -> tuple[int, int]:
    """(ascent, descent) in px."""
    return font(kind, size).getmetrics()
