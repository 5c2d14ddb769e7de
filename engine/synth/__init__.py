"""Synthetic screen recordings with exact ground truth (phone and desktop, light and dark, real fonts).

    generate_clip("out/S00_phone_light", seed=0, form="phone", theme="light", seconds=30) -> truth dict
    generate_corpus("out", clips=12, seed=0, seconds=30) -> [Path of each .mp4]

writes NAME.mp4 (H.264, yuv420p, 30 fps CFR) and NAME.truth.json (the corpus truth format). The same
arguments give the same bytes. See params.py for every tunable number and scenario.py for what happens.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import replace
from pathlib import Path

from .canvas import Encoder
from .params import Params, as_dict
from .truth import Truth

APPS = {"phone": ["notes", "chat"], "desktop": ["editor", "terminal", "form"]}


def _app_class(name: str):
    from .desktop import Editor
    from .form import Form
    from .phone import Chat, Notes
    from .terminal import Term
    return {"notes": Notes, "chat": Chat, "editor": Editor, "terminal": Term, "form": Form}[name]


def generate_clip(path_stem, seed: int = 0, form: str = "phone", theme: str = "light", seconds: float = 30.0,
                  density: float = 1.0, noise: float = 1.0, crf: int = 23, app: str | None = None,
                  params: Params | None = None, preset: str | None = None, script=None) -> dict:
    """Render one recording to path_stem.mp4 and its truth to path_stem.truth.json; returns the truth.

    app picks the scenario (phone: notes, chat; desktop: editor, terminal, form; default: by the seed);
    script(app) -> generator replaces the seeded action mix (see scenario.py), e.g. for targeted tests."""
    from .scenario import script as default_script
    if form not in APPS:
        raise ValueError(f"form must be phone or desktop, not {form!r}")
    if theme not in ("light", "dark"):
        raise ValueError(f"theme must be light or dark, not {theme!r}")
    P = replace(params or Params(), crf=int(crf), **({"preset": preset} if preset else {}))
    app = app or random.Random(seed).choice(APPS[form])
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    size = P.phone_size if form == "phone" else P.desktop_size
    nframes = max(1, int(round(seconds * P.fps)))
    truth = Truth(P, size[0], size[1], stem.name + ".mp4")
    a = _app_class(app)(P, theme, seed, density, noise, truth, size)
    t0 = time.perf_counter()
    enc = Encoder(stem.with_name(stem.name + ".mp4"), size[0], size[1], P.fps, P.crf, P.preset, P.threads, P.gop_s,
                  P.bframes, P.x264_extra)
    try:
        a.run((script or default_script)(a), enc, nframes)
    finally:
        enc.close()
    source = {"generator": "engine.synth", "variant": "synthetic", "scenario": app, "seed": seed, "form": form,
              "theme": theme, "seconds": seconds, "density": density, "noise": noise, "crf": P.crf,
              "preset": P.preset, "params": as_dict(P)}
    out = truth.build(nframes / P.fps, source)
    with open(stem.with_name(stem.name + ".truth.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    out["_render_s"] = round(time.perf_counter() - t0, 2)
    return out


def generate_corpus(out_dir, clips: int = 12, seed: int = 0, seconds: float = 30.0, forms=("phone", "desktop"),
                    themes=("light", "dark"), density: float = 1.0, noise: float = 1.0, crf: int = 23,
                    progress=None, **kw) -> list[Path]:
    """clips recordings S00_phone_light.mp4, S01_desktop_light.mp4, S02_phone_dark.mp4, ... cycling the forms,
    and within a form its apps (phone: notes, chat; desktop: editor, terminal, form) and the themes."""
    out, paths = Path(out_dir), []
    forms, themes = list(forms), list(themes)
    for k in range(clips):
        form, m = forms[k % len(forms)], k // len(forms)      # m: the how-manieth clip of this form
        apps, nt = APPS[form], len(themes)
        app = apps[m % len(apps)]                              # every app x theme pair comes round
        theme = themes[(m + (m // len(apps) if len(apps) % nt == 0 else 0)) % nt]
        stem = out / f"S{k:02d}_{form}_{theme}"
        truth = generate_clip(stem, seed + k, form, theme, seconds, density, noise, crf, app=app, **kw)
        paths.append(stem.with_name(stem.name + ".mp4"))
        if progress:
            progress(k, clips, paths[-1], truth)
    return paths
