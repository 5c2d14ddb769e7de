"""Deterministic synthetic screen recordings (for the tests and `screendirector sample`), written with PyAV.

Every generator draws grey-level frames with numpy (light background, dark "glyphs" = seeded random
bitmaps, a 2 px caret), encodes them with libx264 (yuv420p, crf 20, preset ultrafast, one thread, so the
same arguments give the same bytes) and returns ``(path, truth)``. Boxes in the truth are ``[x, y, w, h]``
in video pixels, times in seconds of video time (frame ``i`` of a 30 fps clip is at ``i / 30``).

Sizes are small (540x960 portrait, 960x540 landscape) so each clip takes well under 2 s to make.
"""
from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

FPS = 30
BG = 232            # background luma
INK = 30            # glyph / caret luma
GLYPH_W, GLYPH_H = 14, 24     # one character cell at 540x960
CARET_W, CARET_H = 2, 28
BLINK_S = 0.53      # caret blink half-period (on, then off)
TYPE_RATE = 7.0     # characters per second


# ---------------------------------------------------------------------------------------------- drawing

def glyph_bank(seed: int = 7, n: int = 40) -> np.ndarray:
    """n glyphs, (n, GLYPH_H, GLYPH_W) bool: a seeded 5x7 dot pattern scaled x2 and centred in the cell."""
    rng = np.random.default_rng(seed)
    bank = np.zeros((n, GLYPH_H, GLYPH_W), bool)
    for k in range(n):
        dots = rng.random((7, 5)) < 0.45
        dots[rng.integers(0, 7), :] = True                    # a bar, so every glyph has some ink
        bank[k, 5:19, 2:12] = np.kron(dots, np.ones((2, 2), bool))
    return bank


GLYPHS = glyph_bank()
DIGITS = glyph_bank(seed=11, n=10)


def draw_glyph(img: np.ndarray, x: int, y: int, code: int, ink: int = INK, bank: np.ndarray = GLYPHS) -> None:
    g = bank[code % len(bank)]
    img[y:y + GLYPH_H, x:x + GLYPH_W][g] = ink


def draw_text(img: np.ndarray, x: int, y: int, codes, ink: int = INK, bank: np.ndarray = GLYPHS) -> None:
    for i, c in enumerate(codes):
        if c >= 0:                                           # -1 = a space
            draw_glyph(img, x + i * GLYPH_W, y, int(c), ink, bank)


def draw_caret(img: np.ndarray, x: int, y: int) -> None:
    """Caret for a text line whose cell top is y (the bar is a little taller than the glyph cell)."""
    img[y - 2:y - 2 + CARET_H, x:x + CARET_W] = INK


def text_codes(seed: int, n: int, spaces: bool = True) -> np.ndarray:
    """n seeded glyph codes; about one in six is a space (-1)."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, len(GLYPHS), n)
    if spaces:
        codes[rng.random(n) < 1 / 6] = -1
    return codes


def blink_on(t: float, since: float) -> bool:
    """Caret visible at t, blinking on/off every BLINK_S starting (visible) at `since`."""
    return int(math.floor((t - since) / BLINK_S + 1e-9)) % 2 == 0


def chars_typed(t: float, t0: float, t1: float, rate: float = TYPE_RATE) -> int:
    """Characters on screen at time t for a burst typing from t0 (first key) up to t1 (exclusive)."""
    if t < t0:
        return 0
    return int(math.floor((min(t, t1 - 1e-9) - t0) * rate + 1e-9)) + 1


# ---------------------------------------------------------------------------------------------- writing

def _yuv(gray: np.ndarray) -> av.VideoFrame:
    """A yuv420p frame from a grey image: luma as drawn, neutral chroma."""
    h, w = gray.shape
    buf = np.full((h * 3 // 2, w), 128, np.uint8)
    buf[:h] = gray
    return av.VideoFrame.from_ndarray(buf, format="yuv420p")


class ClipWriter:
    """H.264 mp4 writer: ``with ClipWriter(path, w, h) as cw: cw.write(gray, pts=None)``.

    audio=True adds a mono 48 kHz AAC track (an 80 ms 523 Hz pip at every whole second) covering the
    video's duration. time_base, when given (e.g. Fraction(1, 1000)), makes pts explicit (variable frame
    rate); otherwise frame i gets pts i at 1/fps. faststart=True puts the moov atom first. bframes > 0 encodes
    that many B-frames between references (b_pyramid: the middle one of a run is itself a reference).
    """

    def __init__(self, path, width: int, height: int, fps: int = FPS, audio: bool = False,
                 time_base: Fraction | None = None, faststart: bool = False, crf: int = 20, bframes: int = 0,
                 b_pyramid: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        opts = {"movflags": "faststart"} if faststart else {}
        self.c = av.open(str(self.path), mode="w", format="mp4", options=opts)
        self.fps = fps
        x264 = {"crf": str(crf), "preset": "ultrafast", "threads": "1"}
        if bframes:
            x264["x264-params"] = f"bframes={bframes}:b-adapt=0:b-pyramid={'normal' if b_pyramid else 'none'}"
        self.v = self.c.add_stream("libx264", rate=fps, options=x264)
        self.v.width, self.v.height, self.v.pix_fmt = width, height, "yuv420p"
        self.v.codec_context.thread_count = 1
        self.time_base = time_base
        if time_base is not None:
            self.v.time_base = time_base
            self.v.codec_context.time_base = time_base
        self.a = None
        if audio:
            self.a = self.c.add_stream("aac", rate=48000, layout="mono")
            self.a.codec_context.thread_count = 1
        self.n = 0
        self.last_t = 0.0

    def write(self, gray: np.ndarray, pts: int | None = None) -> None:
        f = _yuv(gray)
        if pts is None:
            f.pts = self.n
            f.time_base = Fraction(1, self.fps) if self.time_base is None else self.time_base
            if self.time_base is not None:              # CFR times expressed in the explicit time base
                f.pts = round(self.n / self.fps / self.time_base)
        else:
            f.pts = pts
            f.time_base = self.time_base
        self.last_t = float(f.pts * f.time_base)
        self.c.mux(self.v.encode(f))
        self.n += 1

    def _write_audio(self, seconds: float) -> None:
        sr, fs = 48000, 1024
        n = int(math.ceil(seconds * sr / fs)) * fs
        t = np.arange(n) / sr
        pip = (t % 1.0) < 0.08
        pcm = (0.3 * np.sin(2 * np.pi * 523 * t) * pip).astype(np.float32)
        for i in range(0, n, fs):
            af = av.AudioFrame.from_ndarray(pcm[None, i:i + fs], format="fltp", layout="mono")
            af.sample_rate, af.pts, af.time_base = sr, i, Fraction(1, sr)
            self.c.mux(self.a.encode(af))
        self.c.mux(self.a.encode(None))

    def close(self) -> None:
        self.c.mux(self.v.encode(None))
        if self.a is not None:
            self._write_audio(self.last_t + 1.0 / self.fps)
        self.c.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.close()
        else:
            self.c.close()


def typing_key_times(bursts) -> list[float]:
    """Time of every keystroke of the bursts, in order."""
    return [b0 + j / TYPE_RATE for b0, b1 in bursts for j in range(chars_typed(b1, b0, b1))]


def draw_typing(img: np.ndarray, t: float, bursts, key_times: list[float], codes, pos) -> None:
    """The text typed by time t, and the caret after it: solid while keys arrive, blinking from the last key."""
    k = sum(chars_typed(t, b0, b1) for b0, b1 in bursts)
    for j in range(k):
        if codes[j] >= 0:
            draw_glyph(img, *pos(j), int(codes[j]))
    past = [kt for kt in key_times if kt <= t + 1e-9]
    if blink_on(t, past[-1] if past else 0.0):
        draw_caret(img, *pos(k))


def typing_truth(bursts, pos) -> list[dict]:
    """Truth of typing bursts: each burst's box covers its characters and the caret cell after the last."""
    out, done = [], 0
    for b0, b1 in bursts:
        n = chars_typed(b1, b0, b1)
        cells = [pos(k) for k in range(done, done + n + 1)]
        xs, ys = [c[0] for c in cells], [c[1] for c in cells]
        out.append({"t0": b0, "t1": round(b0 + n / TYPE_RATE, 4),
                    "bbox": [min(xs), min(ys) - 2, max(xs) + GLYPH_W - min(xs), max(ys) + CARET_H - min(ys)]})
        done += n
    return out


def _frame_size(portrait: bool) -> tuple[int, int]:
    return (540, 960) if portrait else (960, 540)


def _static_text(img: np.ndarray, x: int, y0: int, rows: int, row_h: int, seed: int, max_chars: int) -> None:
    """Some lines of existing (never changing) text."""
    rng = np.random.default_rng(seed)
    for r in range(rows):
        n = int(rng.integers(max_chars // 3, max_chars))
        draw_text(img, x, y0 + r * row_h, text_codes(seed * 100 + r, n))


# ---------------------------------------------------------------------------------------------- clips

def typing_clip(path, portrait: bool = True, seconds: float = 6, audio: bool = False):
    """Idle 1 s with a blinking caret, typing ~7 chars/s on one line, a 1 s pause, more typing.

    Schedule: idle [0, 1); burst 1 from 1.0 to 3.0 s; pause (caret blinks) [3.0, 4.0); burst 2 from 4.0 to
    seconds - 0.5 (continuing on the same line, wrapping to the next line when it is full); then idle.
    Truth: ``typing`` = one entry per burst {t0, t1 (last key + 1/rate), bbox (typed cells + caret)},
    ``caret_line`` = the line the caret is on at the start [x, y, w, h], ``idle_caret`` box.
    """
    w, h = _frame_size(portrait)
    x0, row_h = 40, 34
    y_line = int(h * 0.42)
    per_line = (w - 2 * x0) // GLYPH_W
    bursts = [(1.0, 3.0), (4.0, max(4.5, seconds - 0.5))]
    n_total = sum(chars_typed(b1, b0, b1) for b0, b1 in bursts)
    codes = text_codes(1234, n_total)

    base = np.full((h, w), BG, np.uint8)
    _static_text(base, x0, y_line - 4 * row_h, 3, row_h, seed=5, max_chars=per_line)

    def pos(k):                                 # top-left of character cell k
        return x0 + (k % per_line) * GLYPH_W, y_line + (k // per_line) * row_h

    truth_typing = typing_truth(bursts, pos)

    key_times = typing_key_times(bursts)
    n_frames = int(round(seconds * FPS))
    with ClipWriter(path, w, h, audio=audio) as cw:
        for i in range(n_frames):
            t = i / FPS
            img = base.copy()
            draw_typing(img, t, bursts, key_times, codes, pos)
            cw.write(img)
    truth = {"width": w, "height": h, "fps": FPS, "frames": n_frames, "duration": n_frames / FPS,
             "typing": truth_typing,
             "caret_line": [x0, y_line - 2, per_line * GLYPH_W, CARET_H],
             "idle_caret": [x0, y_line - 2, CARET_W, CARET_H],
             "idle": [[0.0, 1.0], [3.0 + 1 / TYPE_RATE, 4.0]]}
    return Path(path), truth


def popup_clip(path, portrait: bool = True, audio: bool = False):
    """Typing in the lower middle, a popup card upper-left for 2 s, typing resumes.

    Schedule (8 s): burst 1 typing from 0.5 to 3.0 s; popup visible [3.5, 5.5) (no typing meanwhile);
    burst 2 from 6.0 to 7.5 s on the same line. Truth: ``popup`` {t0, t1, bbox}, ``typing`` bursts.
    """
    w, h = _frame_size(portrait)
    seconds = 8.0
    x0, y_line = int(w * 0.15), int(h * 0.62)
    per_line = (w - x0 - 20) // GLYPH_W
    bursts = [(0.5, 3.0), (6.0, 7.5)]
    n_total = sum(chars_typed(b1, b0, b1) for b0, b1 in bursts)
    codes = text_codes(99, n_total)
    pw, ph = int(w * 0.4), int(h * 0.17) if portrait else int(h * 0.3)
    px, py = 20, int(h * 0.12)
    p_t0, p_t1 = 3.5, 5.5

    base = np.full((h, w), BG, np.uint8)
    base[:30] = 200                                       # a static title bar
    draw_text(base, 10, 3, text_codes(3, 8, spaces=False))
    card = np.full((ph, pw), 255, np.uint8)
    card[:4], card[-4:], card[:, :4], card[:, -4:] = 10, 10, 10, 10
    for r in range(min(3, (ph - 20) // 30)):
        draw_text(card, 14, 14 + r * 30, text_codes(50 + r, (pw - 28) // GLYPH_W))

    def pos(k):
        return x0 + (k % per_line) * GLYPH_W, y_line + (k // per_line) * 34

    truth_typing = typing_truth(bursts, pos)

    key_times = typing_key_times(bursts)
    n_frames = int(round(seconds * FPS))
    with ClipWriter(path, w, h, audio=audio) as cw:
        for i in range(n_frames):
            t = i / FPS
            img = base.copy()
            draw_typing(img, t, bursts, key_times, codes, pos)
            if p_t0 <= t < p_t1:
                img[py:py + ph, px:px + pw] = card
            cw.write(img)
    truth = {"width": w, "height": h, "fps": FPS, "frames": n_frames, "duration": n_frames / FPS,
             "popup": {"t0": p_t0, "t1": p_t1, "bbox": [px, py, pw, ph]},
             "typing": truth_typing}
    return Path(path), truth


def scroll_clip(path, portrait: bool = True, audio: bool = False):
    """A list of text rows in a viewport that scrolls in two 1 s bursts (down 12 px/frame, up 16 px/frame).

    Schedule (5 s): still [0, 1); scroll down 12 px/frame during [1, 2); still; scroll up 16 px/frame
    during [3, 3.75) (same distance back: 12*30 = 16*22.5 -> 23 frames, the last one shorter); still.
    Truth: ``scroll`` [{t0 (first frame shown moved), t1 (first frame still again), px_per_frame}],
    ``viewport`` box, ``offsets`` (content offset shown by every frame, px).
    """
    w, h = _frame_size(portrait)
    seconds = 5.0
    vx, vy, vw, vh = 0, 60, w, h - 120
    row_h = 32
    n_frames = int(round(seconds * FPS))
    offsets, off = [], 0
    for i in range(n_frames):
        t = i / FPS
        if 1.0 <= t < 2.0 - 1e-9:
            off += 12
        elif 3.0 <= t and off > 0:
            off = max(0, off - 16)
        offsets.append(off)
    # the frame at i shows content shifted by offsets[i]; motion appears between frames i-1 and i
    tall_h = vh + max(offsets) + row_h
    tall = np.full((tall_h, vw), 246, np.uint8)
    per_row = (vw - 60) // GLYPH_W
    rng = np.random.default_rng(21)
    for r in range(tall_h // row_h):
        n = int(rng.integers(per_row // 3, per_row))
        draw_text(tall, 30, r * row_h + 4, text_codes(700 + r, n))
        tall[r * row_h + row_h - 1, 20:vw - 20] = 210                     # a faint separator
    base = np.full((h, w), BG, np.uint8)
    base[:vy] = 190
    base[vy + vh:] = 190
    draw_text(base, 12, 18, text_codes(8, 12, spaces=False))
    draw_text(base, 12, vy + vh + 18, text_codes(9, 20, spaces=False))

    scroll, in_burst = [], None
    for i in range(1, n_frames + 1):
        moving = i < n_frames and offsets[i] != offsets[i - 1]
        if moving and in_burst is None:
            in_burst = i
        elif not moving and in_burst is not None:
            d = abs(offsets[in_burst] - offsets[in_burst - 1])
            scroll.append({"t0": round(in_burst / FPS, 4), "t1": round(i / FPS, 4),
                           "px_per_frame": d, "direction": "down" if offsets[in_burst] > offsets[in_burst - 1]
                           else "up"})
            in_burst = None

    with ClipWriter(path, w, h, audio=audio) as cw:
        for i in range(n_frames):
            img = base.copy()
            img[vy:vy + vh, vx:vx + vw] = tall[offsets[i]:offsets[i] + vh]
            cw.write(img)
    truth = {"width": w, "height": h, "fps": FPS, "frames": n_frames, "duration": n_frames / FPS,
             "scroll": scroll, "viewport": [vx, vy, vw, vh], "offsets": offsets}
    return Path(path), truth


def _spinner(phase: int, size: int = 36) -> np.ndarray:
    """A bar through the centre, at one of 8 angles (22.5 degree steps), as a size x size grey patch."""
    yy, xx = np.mgrid[0:size, 0:size] - (size - 1) / 2
    a = phase * math.pi / 8
    along = xx * math.cos(a) + yy * math.sin(a)
    across = -xx * math.sin(a) + yy * math.cos(a)
    patch = np.full((size, size), BG, np.uint8)
    patch[(np.abs(across) <= 2.0) & (np.abs(along) <= size / 2 - 2)] = INK
    return patch


def ambient_clip(path, portrait: bool = True, seconds: float = 8, audio: bool = False):
    """Nothing meaningful: a ticking clock in a status bar, a spinner (8 phases, a step every 2 frames)
    in the lower-right corner and an idle blinking caret in an empty field. Truth: ``events`` = [] plus
    the ``ambient`` boxes for reference."""
    w, h = _frame_size(portrait)
    bar_h = 40
    clock_x = w - 10 - 5 * GLYPH_W
    sp = 36
    sx, sy = w - sp - 16, h - sp - 16
    fx, fy, fw, fh = 30, int(h * 0.45), w - 60, 44                # an empty input field
    base = np.full((h, w), BG, np.uint8)
    base[:bar_h] = 60
    draw_text(base, 10, 8, text_codes(4, 6, spaces=False), ink=220)
    base[fy:fy + fh, fx:fx + fw] = 252
    base[fy, fx:fx + fw] = base[fy + fh - 1, fx:fx + fw] = 150
    base[fy:fy + fh, fx] = base[fy:fy + fh, fx + fw - 1] = 150
    n_frames = int(round(seconds * FPS))
    with ClipWriter(path, w, h, audio=audio) as cw:
        for i in range(n_frames):
            t = i / FPS
            img = base.copy()
            s = 9 * 60 + 41 + int(t)                               # "09:41" style clock, seconds ticking
            digits = [s // 600 % 10, s // 60 % 10, -1, s % 60 // 10, s % 10]
            draw_text(img, clock_x, 8, digits, ink=220, bank=DIGITS)
            img[sy:sy + sp, sx:sx + sp] = _spinner((i // 2) % 8, sp)
            if blink_on(t, 0.0):
                draw_caret(img, fx + 10, fy + 10)
            cw.write(img)
    truth = {"width": w, "height": h, "fps": FPS, "frames": n_frames, "duration": n_frames / FPS,
             "events": [],
             "ambient": {"clock": [clock_x, 8, 5 * GLYPH_W, GLYPH_H], "spinner": [sx, sy, sp, sp],
                         "caret": [fx + 10, fy + 8, CARET_W, CARET_H], "status_bar": [0, 0, w, bar_h]}}
    return Path(path), truth


VFR_PATTERN_MS = (33, 34, 33, 100, 100)    # repeating pts gaps: three ~1/30 s steps, two 1/10 s steps


def vfr_clip(path, portrait: bool = True, n_frames: int = 60, audio: bool = False):
    """Variable frame rate: pts in a 1/1000 s time base with gaps cycling through VFR_PATTERN_MS.

    The content types one character per frame (so every frame differs). Truth: ``times`` = exact
    presentation time of every frame (s), ``pts_ms``.
    """
    w, h = _frame_size(portrait)
    x0, y_line = 40, int(h * 0.4)
    per_line = (w - 2 * x0) // GLYPH_W
    codes = text_codes(4321, n_frames)
    pts, p = [], 0
    for i in range(n_frames):
        pts.append(p)
        p += VFR_PATTERN_MS[i % len(VFR_PATTERN_MS)]
    base = np.full((h, w), BG, np.uint8)
    with ClipWriter(path, w, h, audio=audio, time_base=Fraction(1, 1000)) as cw:
        img = base.copy()
        for i in range(n_frames):
            x, y = x0 + (i % per_line) * GLYPH_W, y_line + (i // per_line) * 34
            if codes[i] >= 0:
                draw_glyph(img, x, y, int(codes[i]))
            cw.write(img, pts=pts[i])
    truth = {"width": w, "height": h, "frames": n_frames, "pts_ms": pts, "times": [q / 1000 for q in pts],
             "duration": (pts[-1] + VFR_PATTERN_MS[(n_frames - 1) % len(VFR_PATTERN_MS)]) / 1000}
    return Path(path), truth


# ---------------------------------------------------------------------------------------------- bad inputs

def audio_only_file(path, seconds: float = 1.0):
    """A file with a single audio track and no video: AAC in mp4 for .m4a/.mp4, PCM for .wav."""
    path = Path(path)
    wav = path.suffix.lower() == ".wav"
    c = av.open(str(path), mode="w", format="wav" if wav else "mp4")
    a = c.add_stream("pcm_s16le" if wav else "aac", rate=48000, layout="mono")
    sr, fs = 48000, 1024
    n = int(math.ceil(seconds * sr / fs)) * fs
    pcm = (0.2 * np.sin(2 * np.pi * 440 * np.arange(n) / sr)).astype(np.float32)
    if wav:
        pcm = (pcm * 32767).astype(np.int16)
    for i in range(0, n, fs):
        af = av.AudioFrame.from_ndarray(pcm[None, i:i + fs], format="s16" if wav else "fltp", layout="mono")
        af.sample_rate, af.pts, af.time_base = sr, i, Fraction(1, sr)
        c.mux(a.encode(af))
    c.mux(a.encode(None))
    c.close()
    return path


def small_clip(path, seconds: float = 2.0, faststart: bool = False, portrait: bool = True, **writer):
    """A short clip with static text and a block of fresh seeded noise every frame, so every frame is
    a sizeable packet (the bytes are spread over the whole clip, not all in the first key frame)."""
    w, h = _frame_size(portrait)
    base = np.full((h, w), BG, np.uint8)
    _static_text(base, 30, 100, 10, 34, seed=77, max_chars=(w - 60) // GLYPH_W)
    rng = np.random.default_rng(5)
    n = int(round(seconds * FPS))
    with ClipWriter(path, w, h, faststart=faststart, **writer) as cw:
        for i in range(n):
            img = base.copy()
            y = 500 + (i * 7) % 300
            img[y:y + 96, 100:196] = rng.integers(0, 256, (96, 96), dtype=np.uint8)
            cw.write(img)
    return Path(path), {"width": w, "height": h, "frames": n}


def zero_frame_video(path, width: int = 320, height: int = 240):
    """An mp4 whose header declares an H.264 video stream (size, codec) but that holds no frames at all.

    A plain mp4 muxer drops a track without samples, so this is a fragmented mp4 (empty_moov): the moov
    with the track is written up front, and no fragment ever follows.
    """
    c = av.open(str(path), mode="w", format="mp4", options={"movflags": "frag_keyframe+empty_moov"})
    v = c.add_stream("libx264", rate=FPS, options={"preset": "ultrafast", "threads": "1"})
    v.width, v.height, v.pix_fmt = width, height, "yuv420p"
    c.start_encoding()
    c.mux(v.encode(None))
    c.close()
    return Path(path)


def mp4_boxes(data: bytes) -> list[tuple[str, int, int]]:
    """Top-level mp4 boxes as (type, offset, size)."""
    out, off = [], 0
    while off + 8 <= len(data):
        size = int.from_bytes(data[off:off + 4], "big")
        typ = data[off + 4:off + 8].decode("latin-1")
        hdr = 8
        if size == 1:
            size, hdr = int.from_bytes(data[off + 8:off + 16], "big"), 16
        elif size == 0:
            size = len(data) - off
        out.append((typ, off, size))
        if size < hdr:
            break
        off += size
    return out


# ---------------------------------------------------------------------------------------------- self-check

def _png(path, gray: np.ndarray) -> None:
    """A greyscale PNG with nothing but zlib (to look at a frame)."""
    import struct
    import zlib

    h, w = gray.shape
    raw = b"".join(b"\0" + gray[r].tobytes() for r in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main(argv=None) -> int:
    """python tests/clips.py OUT_DIR: build every clip, check frames/times, write a contact sheet per clip."""
    import hashlib
    import sys
    import time

    out = Path((argv or sys.argv[1:] or ["/tmp/screendirector_clips"])[0])
    out.mkdir(parents=True, exist_ok=True)
    gens = {"typing": typing_clip, "popup": popup_clip, "scroll": scroll_clip, "ambient": ambient_clip,
            "vfr": vfr_clip}
    for name, gen in gens.items():
        t0 = time.perf_counter()
        p, truth = gen(out / f"{name}.mp4")
        dt = time.perf_counter() - t0
        with av.open(str(p)) as c:
            s = c.streams.video[0]
            frames = [(float(f.pts * s.time_base), f.to_ndarray(format="gray")) for f in c.decode(s)]
        times = [t for t, _ in frames]
        want = truth.get("times") or [i / FPS for i in range(truth["frames"])]
        assert len(frames) == truth["frames"] and np.allclose(times, want, atol=1e-6), name
        pick = np.linspace(0, len(frames) - 1, 4).round().astype(int)
        _png(out / f"{name}.png", np.concatenate([frames[i][1] for i in pick], axis=1))
        md5 = hashlib.md5(p.read_bytes()).hexdigest()[:12]
        print(f"{name:8} {len(frames):4d} frames {p.stat().st_size:8d} B  md5 {md5}  {dt:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
