"""Named corpora: a fixed list of clips, each with its seed (0-9999: evaluation), app, theme, length and the
style axes it must cover; every other axis is drawn from the seed (style.draw).

    acceptance   24 clips of 20-30 s for judging directing: both form factors and themes, every app, bar / block
                 / underline carets, every pointer look (and phone taps shown by a pointer), 10 to 60 fps,
                 thinned and GIF-like VFR captures, GIF-like captures resampled to CFR (runs of repeated frames),
                 device bezels. Truth in the corpus format: `screendirector bench quality --corpus DIR` scores it.

python -m engine.synth --out DIR --recipe acceptance [--seed 9500]
"""
from __future__ import annotations

from pathlib import Path

from . import generate_clip

# (app, theme, seconds, style fields that must hold); seeds are ACCEPTANCE_SEED + the row's index
CFR30 = {"capture": "cfr", "fps": 30}
ACCEPTANCE_SEED = 9000
ACCEPTANCE = [
    ("notes", "light", 25, {**CFR30, "caret": "bar", "bezel": False}),
    ("editor", "dark", 25, {**CFR30, "caret": "bar", "pointer": "mac", "pointer_shapes": True}),
    ("chat", "dark", 20, {"capture": "cfr", "fps": 60, "caret": "bar", "bezel": True}),
    ("terminal", "light", 25, {"capture": "cfr", "fps": 25, "caret": "block"}),
    ("notes", "dark", 30, {"capture": "gif", "gif_out": "cfr", "fps": 10, "caret": "underline", "bezel": True,
                           "phone_pointer": True}),
    ("form", "light", 30, {"capture": "gif", "gif_out": "cfr", "fps": 20, "caret": "bar", "pointer": "light"}),
    ("chat", "light", 25, {"capture": "thin", "fps": 30, "caret": "block", "phone_pointer": True}),
    ("editor", "light", 20, {"capture": "cfr", "fps": 15, "caret": "underline", "pointer": "classic"}),
    ("notes", "light", 20, {"capture": "gif", "gif_out": "vfr", "caret": "bar", "bezel": True}),
    ("terminal", "dark", 30, {"capture": "gif", "gif_out": "vfr", "caret": "block"}),
    ("chat", "dark", 30, {"capture": "cfr", "fps": 24, "caret": "bar", "bezel": False}),
    ("form", "dark", 25, {"capture": "thin", "fps": 30, "caret": "bar", "pointer": "mac", "pointer_shadow": True}),
    ("notes", "dark", 25, {"capture": "cfr", "fps": 10, "caret": "block", "phone_pointer": True}),
    ("editor", "dark", 30, {"capture": "gif", "gif_out": "cfr", "fps": 25, "caret": "bar", "pointer": "mac"}),
    ("chat", "light", 20, {"capture": "gif", "gif_out": "cfr", "fps": 25, "caret": "underline", "bezel": True}),
    ("terminal", "light", 20, {"capture": "cfr", "fps": 60, "caret": "underline"}),
    ("notes", "light", 30, {"capture": "thin", "fps": 25, "caret": "bar", "bezel": True, "phone_pointer": True}),
    ("form", "light", 20, {"capture": "cfr", "fps": 24, "caret": "block", "pointer": "light",
                           "pointer_shapes": True}),
    ("chat", "dark", 25, {"capture": "gif", "gif_out": "vfr", "caret": "bar", "phone_pointer": True}),
    ("editor", "light", 25, {"capture": "thin", "fps": 24, "caret": "block", "pointer": "classic",
                             "pointer_shadow": True}),
    ("notes", "dark", 20, {"capture": "cfr", "fps": 15, "caret": "underline", "bezel": False}),
    ("terminal", "dark", 25, {"capture": "gif", "gif_out": "cfr", "fps": 20, "caret": "bar"}),
    ("chat", "light", 30, {"capture": "cfr", "fps": 30, "caret": "block", "bezel": True}),
    ("form", "dark", 30, {"capture": "cfr", "fps": 60, "caret": "underline", "pointer": "mac",
                          "pointer_shapes": True}),
]
PHONE = ("notes", "chat")


def acceptance(out, progress=None, labels: bool = True, rows=None, seed: int = ACCEPTANCE_SEED) -> int:
    """Write the acceptance corpus to out as A00_<app>_<theme>.mp4 ... (rows: indexes of a subset). Another
    `seed` gives the same rows with other text, layouts and timings: a set nothing was tuned on."""
    out = Path(out)
    picked = list(enumerate(ACCEPTANCE)) if rows is None else [(k, ACCEPTANCE[k]) for k in rows]
    for n, (k, (app, theme, seconds, must)) in enumerate(picked):
        form = "phone" if app in PHONE else "desktop"
        stem = out / f"A{k:02d}_{app}_{theme}"
        truth = generate_clip(stem, seed + k, form, theme, seconds, app=app, vary=dict(must),
                              labels=labels)
        if progress:
            progress(n, len(picked), stem.with_name(stem.name + ".mp4"), truth)
    return len(picked)


RECIPES = {"acceptance": acceptance}
