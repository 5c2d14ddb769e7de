"""Real fonts: DejaVu from the system when present, else Pillow's embedded scalable font (Pillow >= 10.1)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FILES = {"sans": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "mono": "DejaVuSansMono.ttf"}


@lru_cache(maxsize=None)
def font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    path = DEJAVU / FILES[kind]
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=200_000)
def width(kind: str, size: int, text: str) -> float:
    """Advance width of text in px (what a caret after it is offset by)."""
    return float(font(kind, size).getlength(text)) if text else 0.0


def metrics(kind: str, size: int) -> tuple[int, int]:
    """(ascent, descent) in px."""
    return font(kind, size).getmetrics()
