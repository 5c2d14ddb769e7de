"""Synthetic screen recordings with exact ground truth (phone and desktop, light and dark, real fonts).

    generate_clip("out/S00_phone_light", seed=0, form="phone", theme="light", seconds=30) -> truth dict
    generate_clip("out/v", seed=100123, form="desktop", vary=True)     # every style axis drawn from the seed
    generate_corpus("out", clips=12, seed=0, seconds=30, vary=True) -> [Path of each .mp4]

writes NAME.mp4 (H.264, yuv420p), NAME.truth.json (the corpus truth format) and NAME.labels.npz (per-frame
labels, labels.py). The same arguments (and installed fonts) give the same bytes. Without `vary` the clip is
the plain recording (1080x1920 or 1920x1080, 30 fps CFR, DejaVu); with it, style.py draws the frame size, UI
scale, fonts, palette, caret and pointer styles, bezel, frame rate and capture, and crf from the seed.
Seeds 0-9999 are for evaluation corpora, seeds >= 100000 for training data (style.TRAIN_SEED_MIN).
Truth times are video times; with a variable frame rate (thinned or GIF-like VFR captures) they are the frames'
real pts times and the truth's `fps` is the average rate, frames / duration (what the stream reports).
See params.py for every tunable number and scenario.py for what happens.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import replace
from pathlib import Path

from . import fonts
from .capture import Capture, sim_fps
from .labels import Labels
from .params import Params, Style, as_dict
from .style import as_dict as style_dict
from .style import resolve
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
                  params: Params | None = None, preset: str | None = None, script=None, vary=False,
                  style: Style | None = None, labels: bool = True) -> dict:
    """Render one recording to path_stem.mp4, its truth to path_stem.truth.json and its per-frame labels to
    path_stem.labels.npz; returns the truth.

    app picks the scenario (phone: notes, chat; desktop: editor, terminal, form; default: by the seed);
    script(app) -> generator replaces the seeded action mix (see scenario.py), e.g. for targeted tests.
    vary=True draws the style from the seed (a dict: drawn, then these Style fields replaced); style= gives
    it whole. A style's crf and fps replace the crf argument and Params.fps."""
    from .scenario import script as default_script
    if form not in APPS:
        raise ValueError(f"form must be phone or desktop, not {form!r}")
    if theme not in ("light", "dark"):
        raise ValueError(f"theme must be light or dark, not {theme!r}")
    st = resolve(seed, form, theme, vary, style)
    P = replace(params or Params(), crf=int(crf if st.crf is None else st.crf), **({"preset": preset} if preset else {}))
    fps = st.fps or P.fps
    P = replace(P, fps=sim_fps(st, fps), caret_blink_s=st.blink_s or P.caret_blink_s)
    app = app or random.Random(seed).choice(APPS[form])
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    size = tuple(st.size or (P.phone_size if form == "phone" else P.desktop_size))
    screen = None                                   # the device bezel: the app draws its screen inside
    if st.bezel and form == "phone":
        from .bezel import Bezel
        screen = Bezel(size, st, P)
    sw, sh = (screen.sw, screen.sh) if screen else size
    offset = (screen.ox, screen.oy) if screen else (0, 0)
    nframes = max(1, int(round(seconds * P.fps)))
    truth = Truth(P, sw, sh, stem.name + ".mp4")
    t0 = time.perf_counter()
    lab = Labels(offset) if labels else None
    cap = Capture(stem.with_name(stem.name + ".mp4"), size[0], size[1], st, fps, P.crf, P, lab)
    with fonts.use(st.sans, st.mono):
        a = _app_class(app)(P, theme, seed, density, noise, truth, (sw, sh), st)
        try:
            a.run((script or default_script)(a), cap, nframes, screen=screen.compose if screen else None)
        finally:
            dur = cap.finish()
    source = {"generator": "engine.synth", "variant": "synthetic", "scenario": app, "seed": seed, "form": form,
              "theme": theme, "seconds": seconds, "density": density, "noise": noise, "crf": P.crf,
              "preset": P.preset, "params": as_dict(P)}
    if st != Style():
        source["style"] = style_dict(st)
        source["capture"] = {"mode": cap.mode, "frames": len(cap.shown_i), "screen": [*offset, sw, sh]}
    out = truth.build(dur, source, fps=cap.nominal_fps(), time_map=None if cap.mode == "cfr" else cap.video_time,
                      offset=offset, size=size)
    with open(stem.with_name(stem.name + ".truth.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    if lab is not None:
        meta = {"width": size[0], "height": size[1], "fps": out["fps"], "duration": out["duration"],
                "form": form, "app": app, "theme": theme, "seed": seed, "capture": cap.mode,
                "screen": [*offset, sw, sh], "fonts": {k: Path(v).name for k, v in _fonts(st).items()},
                "style": style_dict(st)}
        lab.write(stem.with_name(stem.name + ".labels.npz"), out, meta)
    out["_render_s"] = round(time.perf_counter() - t0, 2)
    return out


def _fonts(st: Style) -> dict:
    """The font files a style draws with (after falling back for missing families)."""
    with fonts.use(st.sans, st.mono):
        return {k: fonts.face(k) for k in ("sans", "bold", "mono")}


def generate_corpus(out_dir, clips: int = 12, seed: int = 0, seconds: float = 30.0, forms=("phone", "desktop"),
                    themes=("light", "dark"), density: float = 1.0, noise: float = 1.0, crf: int = 23,
                    progress=None, vary=False, labels: bool = True, **kw) -> list[Path]:
    """clips recordings S00_phone_light.mp4, S01_desktop_light.mp4, S02_phone_dark.mp4, ... cycling the forms,
    and within a form its apps (phone: notes, chat; desktop: editor, terminal, form) and the themes. Clip k has
    seed seed + k; vary=True draws every style axis from it (seeds 0-9999: evaluation, >= 100000: training)."""
    out, paths = Path(out_dir), []
    forms, themes = list(forms), list(themes)
    for k in range(clips):
        form, m = forms[k % len(forms)], k // len(forms)      # m: the how-manieth clip of this form
        apps, nt = APPS[form], len(themes)
        app = apps[m % len(apps)]                              # every app x theme pair comes round
        theme = themes[(m + (m // len(apps) if len(apps) % nt == 0 else 0)) % nt]
        stem = out / f"S{k:02d}_{form}_{theme}"
        truth = generate_clip(stem, seed + k, form, theme, seconds, density, noise, crf, app=app, vary=vary,
                              labels=labels, **kw)
        paths.append(stem.with_name(stem.name + ".mp4"))
        if progress:
            progress(k, clips, paths[-1], truth)
    return paths
