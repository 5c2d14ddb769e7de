"""A per-frame value track as one ffmpeg expression over the frame counter `in`.

A leaf per frame does not scale to long recordings, so the track is cut into pieces, each a polynomial of
low degree in the frame offset (holds are constants, ramps short polynomials), fitted greedily so that no
frame deviates from the track by more than a tolerance. The pieces are joined by a balanced tree of
`if(lt(in,K),A,B)`, so evaluating a frame costs log2(pieces) comparisons. ffmpeg's `in` counts from 1.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Piece:
    start: int                 # first frame index (0-based) the piece covers
    coeffs: tuple[float, ...]  # polynomial in (frame - start), lowest degree first


def fit(values: np.ndarray, tol: float, max_degree: int) -> list[Piece]:
    """Greedy piecewise polynomial fit: each piece is as long as a fit of degree <= max_degree stays within
    `tol` of every value it covers (found by doubling, then bisection)."""
    v = np.asarray(values, dtype=np.float64)
    n = len(v)
    pieces: list[Piece] = []
    i = 0
    while i < n:
        best = _fit_span(v[i : i + 1], tol, max_degree)
        length = 1
        step = 1
        while i + length < n:           # double while a longer span still fits
            cand = min(n - i, length + step)
            c = _fit_span(v[i : i + cand], tol, max_degree)
            if c is None:
                break
            best, length, step = c, cand, step * 2
        hi = min(n - i, length + step)  # bisect between the last fit and the first failure
        while hi - length > 1 and i + length < n:
            mid = (length + hi) // 2
            c = _fit_span(v[i : i + mid], tol, max_degree)
            if c is None:
                hi = mid
            else:
                best, length = c, mid
        pieces.append(Piece(i, best))
        i += length
    return pieces


def _fit_span(seg: np.ndarray, tol: float, max_degree: int) -> tuple[float, ...] | None:
    """Lowest-degree polynomial (in the offset 0..len-1) within tol of every value, or None."""
    x = np.arange(len(seg), dtype=np.float64)
    for deg in range(min(max_degree, len(seg) - 1) + 1):
        if deg == 0:
            c = np.array([0.5 * (seg.max() + seg.min())])
        else:
            c = np.polynomial.polynomial.polyfit(x, seg, deg)
        c = np.array([float(number(a)) for a in c])     # judge the coefficients as they will be printed
        if np.abs(np.polynomial.polynomial.polyval(x, c) - seg).max() <= tol:
            return tuple(float(a) for a in c)
    return None


def evaluate(pieces: list[Piece], n: int) -> np.ndarray:
    """The values the expression gives for frames 0..n-1 (what ffmpeg will compute)."""
    out = np.empty(n, dtype=np.float64)
    bounds = [p.start for p in pieces[1:]] + [n]
    for p, end in zip(pieces, bounds):
        x = np.arange(end - p.start, dtype=np.float64)
        out[p.start : end] = np.polynomial.polynomial.polyval(x, np.array(p.coeffs))
    return out


def expression(pieces: list[Piece]) -> str:
    """The pieces as one ffmpeg expression of `in` (1-based frame counter)."""
    return _tree(pieces, 0, len(pieces))


def _tree(pieces: list[Piece], lo: int, hi: int) -> str:
    if hi - lo == 1:
        return _poly(pieces[lo])
    mid = (lo + hi) // 2
    # frame index f = in - 1 belongs to pieces[mid:] when f >= start, i.e. in >= start + 1
    return f"if(lt(in,{pieces[mid].start + 1}),{_tree(pieces, lo, mid)},{_tree(pieces, mid, hi)})"


def _poly(p: Piece) -> str:
    c = list(p.coeffs)
    while len(c) > 1 and c[-1] == 0.0:
        c.pop()
    if len(c) == 1:
        return number(c[0])
    u = f"(in-{p.start + 1})" if p.start + 1 else "in"
    expr = number(c[-1])                  # Horner form: c0+u*(c1+u*(c2+u*c3))
    for a in reversed(c[:-1]):
        expr = f"{number(a)}+{u}*({expr})"
    return expr


def number(v: float) -> str:
    """Shortest text that keeps 12 significant digits; no exponent ffmpeg could misread as a unit suffix."""
    s = f"{v:.12g}"
    if "e" in s or "E" in s:
        s = np.format_float_positional(v, precision=12, unique=False, fractional=False, trim="-")
    return "0" if s in ("-0", "0.0", "-0.0") else s
