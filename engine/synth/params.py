"""Every tunable number of the synthetic recording generator, in one place (one line each, with its unit).

`Params` holds timing, layout, animation and encoder settings; `Theme` holds colours (RGB 0-255).
Change a default here, or pass `Params(...)` overrides to `generate_clip(..., params=...)`.
`Style` is one recording's look and capture (frame size, scale, fonts, palette, caret, pointer, bezel, frame
rate, compression): its defaults are the plain recording; `Vary` holds the ranges style.draw() picks from.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True)
class Params:
    # --- video / encoder
    fps: int = 30                       # frames per second (CFR)
    crf: int = 23                       # x264 constant rate factor (22-28 looks like real captures)
    preset: str = "superfast"           # x264 preset (speed vs size; "veryfast"/"medium" for smaller files)
    threads: int = 1                    # x264 threads: a fixed count keeps the bytes deterministic
    gop_s: float = 8.0                  # seconds between forced keyframes (x264 keyint)
    bframes: int = 3                    # x264 B-frames between references (0 encodes ~15% faster)
    x264_extra: str = ""                # more x264 options, e.g. "b-adapt=0:weightp=0" (~10% faster, larger)
    phone_size: tuple = (1080, 1920)    # phone frame, px (w, h)
    desktop_size: tuple = (1920, 1080)  # desktop frame, px (w, h)

    # --- typing
    key_interval_s: float = 0.115       # mean time between keystrokes, s
    key_jitter_s: float = 0.045         # uniform jitter around key_interval_s, s
    word_pause_p: float = 0.10          # chance of a short think-pause after a word
    word_pause_s: tuple = (0.35, 0.95)  # short pause inside a burst, s (< burst_gap_s)
    typo_p: float = 0.035               # chance per letter of a typo fixed with BackSpace
    burst_gap_s: float = 1.2            # a pause longer than this splits typing bursts, s (README)
    burst_tail_s: float = 0.25          # typing event ends this long after its last key, s (README)
    between_bursts_s: tuple = (2.3, 4.5)  # idle pause between bursts in one control, s (>= 2.25 keeps the
                                          # blinking idle caret inside an 'idle caret' interval)
    place_to_key_s: tuple = (0.3, 0.7)  # click/Tab caret placement to the first key, s
    tab_after_s: tuple = (0.05, 0.18)   # last key to Tab into the next form field, s (< burst_tail_s)
    send_after_s: tuple = (0.3, 0.8)    # last key to Return that sends a chat message, s (< burst_gap_s)
    term_line_s: tuple = (0.034, 0.1)   # between output lines of a quick terminal command, s
    term_slow_line_s: tuple = (0.25, 0.6)  # between output lines of a build / test run, s
    burst_chars: tuple = (8, 34)        # characters per burst (min, max)
    idle_caret_min_s: float = 1.5       # shortest 'idle caret' ambient interval, s (README)
    idle_caret_lag_s: float = 0.5       # idle caret interval starts this long after a typing event ends, s
    caret_hold_s: float = 0.8           # caret stays solid after a key / placement before blinking, s
    caret_blink_s: float = 0.53         # caret blink half period (on, off), s (~1 Hz)
    context_pad: float = 0.3            # typing context box padding, line heights (README)
    context_min_w: float = 5.0          # typing context box minimum width, line heights (README)

    # --- scrolling
    scroll_gap_s: float = 0.6           # a gap longer than this splits scroll bursts, s (README)
    wheel_step_px: tuple = (90, 170)    # one wheel notch / drag step, px
    wheel_steps: tuple = (3, 8)         # notches per smooth scroll burst
    wheel_step_s: float = 0.07          # time per notch, s
    fling_v0: tuple = (2200, 4200)      # fling start speed, px/s
    fling_tau_s: float = 0.32           # fling exponential decay time constant, s
    glide_s: float = 0.3                # a list scrolling itself to the end (new message), s
    term_scroll_min_s: float = 1.0      # terminal output scroll event lasts at least this, s (README)

    # --- transients (popup, toast, notification, dropdown, window, progress)
    fade_s: float = 0.18                # fade in / out of popups, toasts, windows, s
    slide_s: float = 0.28               # notification / keyboard slide, s
    expand_s: float = 0.15              # dropdown list expand / collapse, s
    popup_hold_s: tuple = (1.8, 3.2)    # popup / modal visible time, s
    toast_hold_s: tuple = (1.6, 2.6)    # toast visible time, s
    notif_hold_s: tuple = (2.2, 3.4)    # notification banner visible time, s
    dropdown_hold_s: tuple = (0.9, 1.8)  # dropdown open before an item is picked, s
    progress_s: tuple = (3.0, 5.5)      # progress bar fill time, s
    window_tail_s: tuple = (0.6, 1.2)   # finished window stays before closing, s
    shadow_px: int = 8                  # drop shadow around cards and windows, px (even)
    after_transient_s: tuple = (0.8, 2.0)  # gap after a transient before the next action, s

    # --- scenario mix
    start_idle_s: tuple = (1.2, 2.5)    # idle time at the start of a clip, s
    action_gap_s: tuple = (1.0, 2.8)    # gap between actions at density 1, s
    transient_share: float = 0.30       # share of actions that are transients at density 1
    scroll_share: float = 0.25          # share of actions that are scrolls (lists, notes, editor)

    # --- ambient noise (scaled by `noise`)
    spinner_noise: float = 0.5          # noise level at which a spinner is shown
    spinner_step_s: float = 0.083       # spinner frame step, s
    spinner_frames: int = 12            # spinner rotation frames
    progress_noise: float = 0.75        # noise level at which an ambient progress bar runs (desktop)
    progress_cycle_s: float = 9.0       # ambient progress bar fill time, s
    pointer_wander_s: tuple = (2.5, 6.0)  # desktop pointer idle move every this long at noise 1, s
    pointer_speed: float = 1400.0       # pointer travel speed, px/s
    pointer_min_move_s: float = 0.25    # shortest pointer move, s
    pointer_drift_px: tuple = (220, 140)  # largest idle pointer drift (x, y), px
    pointer_hover_p: float = 0.4        # with Style.pointer_hover: share of idle moves that rest on a control
    pick_s: float = 0.25                # a picked menu / list item shows highlighted before closing, s
    key_flash_s: float = 0.12           # on-screen key highlight time, s

    # --- phone layout (at 1080 px wide; scaled to the screen and the UI scale)
    ph_status_h: int = 84               # status bar height, px
    ph_header_h: int = 128              # app header height, px
    ph_kb_h: int = 712                  # on-screen keyboard height incl. suggestion strip, px
    ph_font: int = 40                   # body text size, px
    ph_line_h: int = 58                 # body line height, px
    ph_ui_font: int = 34                # header / button text size, px
    ph_small_font: int = 28             # secondary text size, px
    ph_key_font: int = 40               # keyboard key label size, px
    ph_margin: int = 56                 # text margin from the screen edge, px
    ph_composer_h: int = 120            # chat composer bar height, px
    ph_bubble_font: int = 36            # chat bubble text size, px
    ph_ui_range: tuple = (0.7, 1.4)     # Style.ui_scale is kept inside this on a phone (the layout fits), factor
    ph_tall_aspect: float = 1.95        # height / width above which a phone is 'tall' (9:19.5 screens)
    ph_tall_status: float = 1.6         # a tall phone's status bar is this much taller (safe area), factor
    ph_tall_inset: int = 50             # a tall phone's status bar content stays this far from the corners, px
    ph_home_h: int = 68                 # a tall phone's home indicator strip at the bottom, px
    ph_pointer_ref_w: int = 800         # Style.pointer_px is for a phone screen this wide (simulator window), px
    tap_settle_s: float = 0.1           # a pointer shown tapping rests this long before the tap acts, s
    bezel_aspect: float = 9 / 19.5      # device screen width / height with a bezel (a current phone)
    bezel_max_w: float = 0.9            # ... the screen at most this share of the video width
    bezel_border: float = 0.045         # device border around the screen, share of the screen width
    bezel_radius: float = 0.12          # screen corner radius, share of the screen width
    bezel_island: tuple = (0.3, 0.085, 0.03)  # camera island width, height, top gap, shares of the screen width

    # --- desktop layout (at 1920x1080 and UI scale 1; scaled by both)
    dk_topbar_h: int = 36               # top bar height, px
    dk_font: int = 18                   # editor / form text size, px
    dk_line_h: int = 28                 # editor line height, px
    dk_mono: int = 17                   # terminal font size, px
    dk_row_h: int = 26                  # terminal row height, px
    dk_ui_font: int = 15                # window chrome text size, px
    dk_title_h: int = 36                # window title bar height, px
    dk_pointer_px: int = 30             # pointer arrow height, px
    pointer_shadow_alpha: float = 0.4   # opacity of a pointer's drop shadow (Style.pointer_shadow), share
    dk_ui_range: tuple = (0.45, 1.5)    # the desktop layout scale is kept inside this, factor
    dk_min_logical: tuple = (1280, 720)  # ... and so that the frame holds at least this many layout px (w, h)


@dataclass(frozen=True)
class Theme:
    name: str
    bg: tuple                 # app background
    panel: tuple              # headers, cards, window chrome
    card: tuple               # popups, toasts, dropdown lists
    text: tuple               # body text
    sub: tuple                # secondary text
    line: tuple               # separators, field borders
    field: tuple              # text field fill
    kb_bg: tuple              # keyboard background
    key: tuple                # letter key
    key2: tuple               # special key
    key_hi: tuple             # highlighted (pressed) key
    bubble_in: tuple          # incoming chat bubble
    term_bg: tuple            # terminal background
    term_fg: tuple            # terminal text
    wall: tuple = field(default=((70, 60, 110), (150, 80, 120)))  # desktop wallpaper gradient ends


LIGHT = Theme("light", bg=(255, 255, 255), panel=(246, 246, 248), card=(255, 255, 255), text=(22, 22, 26),
              sub=(112, 112, 120), line=(214, 214, 220), field=(250, 250, 252), kb_bg=(208, 211, 217),
              key=(255, 255, 255), key2=(172, 178, 188), key_hi=(150, 156, 168), bubble_in=(233, 233, 237),
              term_bg=(252, 252, 250), term_fg=(30, 30, 30), wall=((92, 128, 170), (170, 190, 210)))
DARK = Theme("dark", bg=(22, 24, 29), panel=(32, 34, 40), card=(44, 47, 54), text=(232, 233, 237),
             sub=(150, 152, 160), line=(62, 65, 73), field=(30, 32, 38), kb_bg=(40, 42, 47),
             key=(78, 80, 86), key2=(56, 58, 64), key_hi=(128, 132, 142), bubble_in=(48, 50, 57),
             term_bg=(24, 25, 28), term_fg=(220, 222, 218), wall=((52, 40, 72), (110, 60, 90)))
ACCENTS = [(10, 122, 255), (40, 170, 80), (240, 140, 0), (165, 82, 220), (30, 160, 185), (225, 60, 90)]
PALETTES = {   # more palettes per theme: name -> Theme (the first of each theme is the plain one)
    "light": {"default": LIGHT,
              "warm": replace(LIGHT, bg=(251, 248, 240), panel=(242, 237, 226), card=(255, 252, 245),
                              text=(45, 38, 30), sub=(124, 112, 96), line=(221, 212, 196), field=(248, 244, 235),
                              term_bg=(253, 246, 227), term_fg=(88, 110, 117), wall=((170, 140, 100), (220, 200, 160))),
              "grey": replace(LIGHT, bg=(236, 238, 241), panel=(222, 225, 230), card=(248, 249, 251),
                              text=(33, 37, 43), sub=(96, 104, 116), line=(198, 203, 211), field=(244, 245, 247),
                              term_bg=(40, 44, 52), term_fg=(171, 178, 191), wall=((60, 90, 120), (120, 160, 190)))},
    "dark": {"default": DARK,
             "black": replace(DARK, bg=(0, 0, 0), panel=(18, 18, 20), card=(30, 30, 33), text=(245, 245, 247),
                              sub=(142, 142, 147), line=(44, 44, 48), field=(12, 12, 14), kb_bg=(28, 28, 30),
                              key=(70, 70, 74), key2=(48, 48, 52), term_bg=(0, 0, 0), term_fg=(204, 204, 204),
                              wall=((10, 10, 30), (40, 30, 60))),
             "navy": replace(DARK, bg=(40, 44, 52), panel=(33, 37, 43), card=(50, 56, 66), text=(216, 222, 233),
                             sub=(136, 146, 162), line=(67, 76, 94), field=(46, 52, 64), kb_bg=(36, 40, 48),
                             key=(76, 86, 106), key2=(59, 66, 82), bubble_in=(59, 66, 82), term_bg=(46, 52, 64),
                             term_fg=(216, 222, 233), wall=((46, 52, 64), (94, 129, 172)))},
}


def theme(name: str, seed: int, palette: str = "default", accent: int | None = None) -> tuple[Theme, tuple]:
    """The theme by name (and palette) and an accent colour: by index, or picked by the seed."""
    pals = PALETTES["dark" if name == "dark" else "light"]
    if palette not in pals:
        raise ValueError(f"palette {palette!r} is not one of the {name} theme's: {sorted(pals)}")
    th = pals[palette]
    return th, ACCENTS[(seed if accent is None else accent) % len(ACCENTS)]


def as_dict(p: Params) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(p).items()}


# ---------------------------------------------------------------------------------------------- style
@dataclass(frozen=True)
class Style:
    """One recording's look and capture. The defaults are the plain recording (generate_clip without vary);
    style.draw(seed, form) picks every field from the seed within `Vary`."""
    size: tuple | None = None           # video frame (w, h), px; None: Params.phone_size / desktop_size
    ui_scale: float = 1.0               # every layout size (text, bars, cards, windows) times this, factor
    text_scale: float = 1.0             # body text sizes times this on top of ui_scale, factor
    sans: str = "dejavu"                # sans-serif family (fonts.FAMILIES; missing ones fall back to DejaVu)
    mono: str = "dejavu"                # monospace family
    palette: str = "default"            # palette of the theme (PALETTES[theme])
    accent: int | None = None           # accent colour, index into ACCENTS; None: by the seed
    caret: str = "app"                  # caret shape: app (phone 4 px bar, desktop 2 px bar, terminal block),
                                        # bar, block, underline
    caret_px: int = 2                   # bar width / underline thickness, px (bar, underline)
    caret_accent: bool | None = None    # caret in the accent colour (else the text colour); None: the app's
    blink: bool | None = None           # caret blinks while idle; None: the app's (terminal steady)
    blink_s: float | None = None        # caret blink half period (on, then off), s; None: Params.caret_blink_s
    pointer: str = "classic"            # pointer look: classic (white arrow), mac (black, white outline),
                                        # light (white, thin dark outline)
    pointer_shapes: bool = False        # the pointer turns into an I-beam over text and a hand over buttons
    pointer_shadow: bool = False        # a soft drop shadow under the pointer
    pointer_px: int = 0                 # pointer height, px; 0: Params.dk_pointer_px
    pointer_hover: bool = False         # idle pointer also rests on controls (hovering) besides drifting
    phone_pointer: bool = False         # phone: taps shown by a Mac pointer moving there (simulator capture)
    bezel: bool = False                 # phone: the screen inset in a device frame on a background
    bezel_share: float = 0.86           # screen height / video height with a bezel, share
    bezel_bg: int = 0                   # background behind the device, index into BEZEL_BACKGROUNDS
    bezel_body: int = 0                 # device body colour, index into BEZEL_BODIES
    fps: int | None = None              # nominal frame rate, frames/s; None: Params.fps
    capture: str = "cfr"                # cfr: every frame; thin: a stretch keeps 1 frame in thin_every (VFR);
                                        # gif: a frame only when the picture changed (one per keystroke)
    thin_every: int = 3                 # thin: keep one frame in this many inside the stretch (count)
    thin_span: tuple = (0.3, 0.6)       # thin: the stretch, start and end as shares of the clip
    gif_tick_ms: int = 10               # gif: the capture clock; delays are multiples of it, ms
    gif_delay_ms: tuple = (30, 550)     # gif: shortest and longest frame delay (a still frame repeats), ms
    gif_out: str = "vfr"                # gif: vfr (pts gaps) or cfr (resampled to fps: runs of repeats)
    crf: int | None = None              # x264 crf; None: generate_clip's crf argument
    audio: bool = False                 # an AAC track with a pip every second (as the corpus has)


BEZEL_BACKGROUNDS = [(0, 0, 0), (18, 18, 22), (38, 40, 46), (236, 236, 240), (58, 92, 150), (96, 64, 120)]
BEZEL_BODIES = [(16, 16, 18), (52, 54, 58), (196, 198, 202), (214, 196, 170)]


@dataclass(frozen=True)
class Vary:
    """The ranges style.draw() picks a Style from (each pick uses the clip's seed)."""
    phone_sizes: tuple = ((1080, 1920), (750, 1334), (1170, 2532), (540, 960), (720, 1280), (828, 1792))  # px
    phone_size_w: tuple = (3, 2, 1, 3, 2, 1)          # relative weights of phone_sizes
    bezel_sizes: tuple = ((800, 1690), (720, 1280), (600, 1200), (1080, 1920))  # video sizes with a bezel, px
    desktop_sizes: tuple = ((1920, 1080), (1280, 720), (1440, 900), (1586, 748), (960, 540), (1366, 768))  # px
    desktop_size_w: tuple = (3, 2, 2, 1, 3, 1)        # relative weights of desktop_sizes
    ui_scale: tuple = (0.6, 1.5)        # UI scale range, factor (kept where the layout still fits)
    text_scale: tuple = (0.85, 1.2)     # body text scale range, factor
    palette_p: float = 0.5              # chance of a palette other than the theme's plain one
    caret_shapes: tuple = (("bar", 6), ("block", 2), ("underline", 2))   # caret shapes, relative weights
    caret_px: tuple = (1, 3)            # bar width / underline thickness range, px
    caret_accent_p: float = 0.4         # chance of an accent-coloured caret
    blink_p: float = 0.8                # chance that the caret blinks
    blink_s: tuple = (0.4, 0.75)        # blink half period range, s
    pointers: tuple = (("classic", 2), ("mac", 3), ("light", 1))          # pointer looks, relative weights
    pointer_shapes_p: float = 0.7       # chance the pointer changes shape over text / buttons
    pointer_shadow_p: float = 0.5       # chance of a pointer drop shadow
    pointer_px: tuple = (18, 44)        # pointer height range at UI scale 1, px
    pointer_hover_p: float = 0.6        # chance the idle pointer hovers over controls
    phone_pointer_p: float = 0.3        # chance a phone clip shows taps with a pointer
    bezel_p: float = 0.3                # chance a phone clip has a device frame
    bezel_share: tuple = (0.8, 0.9)     # screen height / video height range with a bezel, share
    fps: tuple = ((10, 1), (15, 1), (24, 1), (25, 1), (30, 4), (60, 1))  # frame rates, relative weights
    capture: tuple = (("cfr", 6), ("thin", 1), ("gif", 3))               # capture kinds, relative weights
    thin_every: tuple = (2, 4)          # thin: keep one frame in this many, range (count)
    gif_ticks_ms: tuple = (10, 20, 50)  # gif: capture clocks to pick from, ms
    gif_min_ms: tuple = (30, 150)       # gif: shortest frame delay range, ms
    gif_max_ms: tuple = (400, 550)      # gif: longest frame delay range, ms
    gif_cfr_p: float = 0.5              # gif: chance of resampling to CFR (repeated frames) instead of VFR
    gif_cfr_fps: tuple = (10, 20, 25)   # gif: CFR rates to resample to, frames/s
    crf: tuple = (18, 35)               # x264 crf range
    audio_p: float = 0.2                # chance of an audio track
