"""Every tunable number of the synthetic recording generator, in one place (one line each, with its unit).

`Params` holds timing, layout, animation and encoder settings; `Theme` holds colours (RGB 0-255).
Change a default here, or pass `Params(...)` overrides to `generate_clip(..., params=...)`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
    pick_s: float = 0.25                # a picked menu / list item shows highlighted before closing, s
    key_flash_s: float = 0.12           # on-screen key highlight time, s

    # --- phone layout (1080x1920)
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

    # --- desktop layout (1920x1080)
    dk_topbar_h: int = 36               # top bar height, px
    dk_font: int = 18                   # editor / form text size, px
    dk_line_h: int = 28                 # editor line height, px
    dk_mono: int = 17                   # terminal font size, px
    dk_row_h: int = 26                  # terminal row height, px
    dk_ui_font: int = 15                # window chrome text size, px
    dk_title_h: int = 36                # window title bar height, px
    dk_pointer_px: int = 30             # pointer arrow height, px


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


def theme(name: str, seed: int) -> tuple[Theme, tuple]:
    """The theme by name and an accent colour picked by the seed."""
    return (DARK if name == "dark" else LIGHT), ACCENTS[seed % len(ACCENTS)]


def as_dict(p: Params) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(p).items()}
