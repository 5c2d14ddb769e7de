"""Scroll detector: 1-D phase correlation of row profiles, per vertical band of the frame.

Scrolled content keeps its rows and moves them: the mean-luma profile of each row, shifted by the scroll
distance, matches the previous frame's profile much better than unshifted. New content (a popup, a cleared
screen) matches no shift. Per frame and band we keep the best shift (analysis px) and its gain, the share of
the profile error that the shift removes.
"""
from __future__ import annotations

import torch

from . import detector
from .detector import Detector, Frames, Output
from .registry import register

BANDS = 4   # vertical bands searched for scrolling independently (count); fixed by the npz layout


def profiles(y: torch.Tensor, bands: int) -> torch.Tensor:
    """(B, h, w) -> (B, bands, h) mean luma of each row within each vertical band, zero-mean per band."""
    b, h, w = y.shape
    wb = w // bands
    p = y[..., : wb * bands].reshape(b, h, bands, wb).mean(-1).transpose(1, 2)
    return p - p.mean(-1, keepdim=True)


def phase_shift(cur: torch.Tensor, prev: torch.Tensor, max_shift: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Best vertical shift of prev onto cur by phase correlation, and its gain over no shift.

    cur, prev: (B, bands, h). Returns shift (B, bands) in px (positive: content moved down) and gain in [0, 1].
    """
    h = cur.shape[-1]
    n = 2 * h
    fc = torch.fft.rfft(cur, n=n)
    fp = torch.fft.rfft(prev, n=n)
    cross = fc * fp.conj()
    corr = torch.fft.irfft(cross / (cross.abs() + 1e-6), n=n)
    lags = torch.cat([corr[..., : max_shift + 1], corr[..., n - max_shift:]], dim=-1)
    lag_vals = torch.cat([torch.arange(0, max_shift + 1), torch.arange(-max_shift, 0)]).to(cur.device)
    best = lags.argmax(dim=-1)
    shift = lag_vals[best]
    err0 = (cur - prev).abs().mean(-1)
    err_s = _shifted_error(cur, prev, shift)
    gain = torch.where(err0 > 1e-3, (1 - err_s / err0.clamp_min(1e-3)).clamp(0, 1), torch.zeros_like(err0))
    return shift.to(cur.dtype), gain


def _shifted_error(cur: torch.Tensor, prev: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """Mean |cur[y] - prev[y - s]| over the overlapping rows, for a per-(B, band) shift s."""
    h = cur.shape[-1]
    idx = torch.arange(h, device=cur.device).expand_as(cur)
    src = idx - shift.long().unsqueeze(-1)
    valid = (src >= 0) & (src < h)
    moved = torch.gather(prev, -1, src.clamp(0, h - 1))
    diff = (cur - moved).abs() * valid
    return diff.sum(-1) / valid.sum(-1).clamp_min(1)


@register
class Scroll(Detector):
    """Per frame and vertical band: the best shift vs the previous frame (source px) and its gain (0-1)."""
    name = "scroll"
    version = 3

    def outputs(self) -> list[Output]:
        return [Output("scroll_shift", (BANDS,), "float32"), Output("scroll_gain", (BANDS,), "float32")]

    def run(self, fr: Frames, last_prof):
        f = self.stream.settings
        prof = profiles(fr.luma, BANDS)       # small: a few values per row
        before = torch.cat([last_prof if last_prof is not None else prof[:1], prof[:-1]])
        # looked for only where enough of the picture changed (features.scroll_min_change): on the CPU only in
        # those frames, on a GPU in every frame and masked (a host-side pick would stall it); the same numbers
        frac = fr.cell_sums.flatten(1).sum(1).float() / float(fr.change[0].numel())
        busy = frac >= f.scroll_min_change
        if detector.sync_free(prof):
            sh, gain = phase_shift(prof, before, f.scroll_max_shift)
            sh, gain = sh * busy.unsqueeze(1), gain * busy.unsqueeze(1)
        else:
            sh = torch.zeros(fr.n, BANDS, device=prof.device)
            gain = torch.zeros(fr.n, BANDS, device=prof.device)
            idx = busy.nonzero().flatten()
            if idx.numel():
                sh[idx], gain[idx] = phase_shift(prof[idx], before[idx], f.scroll_max_shift)
        return {"scroll_shift": sh * self.stream.factor, "scroll_gain": gain}, prof[-1:]
