"""Drawing a recording's Style from its seed: frame size, scale, fonts, palette, caret, pointer, bezel, frame
rate and capture, compression. Every value is drawn, always in the same order, from a generator seeded by
(seed, form), so a clip's style depends on nothing else (installed fonts only decide what a family falls back
to when it is missing, and that fallback is deterministic too).

Seeds 0-9999 are for evaluation corpora (generate_corpus, the `acceptance` recipe); training data uses seeds
>= 100000, so a model never trains on a clip it is evaluated on.
"""
from __future__ import annotations

import random
from dataclasses import asdict, fields, replace

from . import fonts
from .params import ACCENTS, BEZEL_BACKGROUNDS, BEZEL_BODIES, PALETTES, Style, Vary

EVAL_SEEDS = range(0, 10000)     # evaluation corpora
TRAIN_SEED_MIN = 100_000         # training data


def _weighted(r: random.Random, pairs):
    items, weights = zip(*pairs)
    return r.choices(items, weights=weights)[0]


def _tick(ms: int, tick: int) -> int:
    return max(tick, -(-ms // tick) * tick)         # a delay rounded up to whole ticks


def draw(seed: int, form: str, theme: str = "light", vary: Vary | None = None) -> Style:
    """A Style with every axis picked from the seed within `vary`."""
    V = vary or Vary()
    r = random.Random(seed * 1_000_003 + (1 if form == "desktop" else 0) * 7_777 + 424_242)
    phone = form == "phone"
    bezel = r.random() < V.bezel_p and phone
    phone_size = r.choices(V.phone_sizes, weights=V.phone_size_w)[0]
    bezel_size = r.choice(V.bezel_sizes)
    desk_size = r.choices(V.desktop_sizes, weights=V.desktop_size_w)[0]
    size = (bezel_size if bezel else phone_size) if phone else desk_size
    ui = round(r.uniform(*V.ui_scale), 2)
    text = round(r.uniform(*V.text_scale), 2)
    sans = fonts.SANS[r.randrange(len(fonts.SANS))]
    mono = fonts.MONO[r.randrange(len(fonts.MONO))]
    others = sorted(PALETTES["dark" if theme == "dark" else "light"])
    others.remove("default")
    palette = r.choice(others) if r.random() < V.palette_p else "default"
    accent = r.randrange(len(ACCENTS))
    caret = _weighted(r, V.caret_shapes)
    caret_px = r.randint(*V.caret_px)
    caret_accent = r.random() < V.caret_accent_p
    blink = r.random() < V.blink_p
    blink_s = round(r.uniform(*V.blink_s), 2)
    pointer = _weighted(r, V.pointers)
    shapes, shadow = r.random() < V.pointer_shapes_p, r.random() < V.pointer_shadow_p
    pointer_px = r.randint(*V.pointer_px)
    hover = r.random() < V.pointer_hover_p
    phone_pointer = phone and r.random() < V.phone_pointer_p
    share = round(r.uniform(*V.bezel_share), 3)
    bg, body = r.randrange(len(BEZEL_BACKGROUNDS)), r.randrange(len(BEZEL_BODIES))
    fps = _weighted(r, V.fps)
    capture = _weighted(r, V.capture)
    thin_every = r.randint(*V.thin_every)
    a = round(r.uniform(0.1, 0.55), 3)
    thin_span = (a, round(a + r.uniform(0.15, 0.35), 3))
    tick = r.choice(V.gif_ticks_ms)
    lo, hi = _tick(r.randint(*V.gif_min_ms), tick), _tick(r.randint(*V.gif_max_ms), tick)
    gif_cfr = r.random() < V.gif_cfr_p
    gif_fps = r.choice(V.gif_cfr_fps)
    crf = r.randint(*V.crf)
    audio = r.random() < V.audio_p
    return Style(size=tuple(size), ui_scale=ui, text_scale=text, sans=sans, mono=mono, palette=palette,
                 accent=accent, caret=caret, caret_px=caret_px, caret_accent=caret_accent, blink=blink,
                 blink_s=blink_s, pointer=pointer, pointer_shapes=shapes, pointer_shadow=shadow,
                 pointer_px=pointer_px, pointer_hover=hover, phone_pointer=phone_pointer, bezel=bezel,
                 bezel_share=share, bezel_bg=bg, bezel_body=body,
                 fps=gif_fps if capture == "gif" and gif_cfr else fps, capture=capture, thin_every=thin_every,
                 thin_span=thin_span, gif_tick_ms=tick, gif_delay_ms=(lo, max(hi, lo)),
                 gif_out="cfr" if gif_cfr else "vfr", crf=crf, audio=audio)


def resolve(seed: int, form: str, theme: str, vary=False, style: Style | None = None) -> Style:
    """The clip's Style: `style` as given, else drawn from the seed (vary truthy) or the plain one; a dict
    `vary` overrides fields of the drawn style (e.g. {"capture": "gif"})."""
    st = style if style is not None else (draw(seed, form, theme) if vary else Style())
    if isinstance(vary, dict):
        unknown = set(vary) - {f.name for f in fields(Style)}
        if unknown:
            raise ValueError(f"unknown style fields: {sorted(unknown)}")
        st = replace(st, **vary)
    check(st)
    return st


def check(st: Style) -> None:
    if st.caret not in ("app", "bar", "block", "underline"):
        raise ValueError(f"caret must be app, bar, block or underline, not {st.caret!r}")
    if st.capture not in ("cfr", "thin", "gif") or st.gif_out not in ("vfr", "cfr"):
        raise ValueError(f"capture must be cfr, thin or gif (gif_out vfr or cfr), not {st.capture!r}/{st.gif_out!r}")
    if st.pointer not in ("classic", "mac", "light"):
        raise ValueError(f"pointer must be classic, mac or light, not {st.pointer!r}")
    if st.size is not None and (st.size[0] % 2 or st.size[1] % 2 or min(st.size) < 64):
        raise ValueError(f"frame size must be even and at least 64 px, not {st.size}")
    if 1000 % st.gif_tick_ms:
        raise ValueError(f"gif_tick_ms must divide 1000, not {st.gif_tick_ms}")


def as_dict(st: Style) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(st).items()}
