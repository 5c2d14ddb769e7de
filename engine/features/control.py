"""The `control` detector: the text control a caret is typing into, when it is a single-line field.

A camera that frames typing should frame the field being filled, not only the letters typed so far. From the
caret (written by a detector listed before this one), the field's fill is probed just right of the caret and
followed right, up and down until the picture leaves that fill (the field's border or its end), and left along
a row just inside its top edge. A fill no taller than `control_max_lines` caret heights, whose top and bottom
edges run across its width, is a single-line field:
its box is written; a taller one (a text area, an editor, a terminal) is not a field to frame whole, and
neither is a caret without a fill to follow.
"""
from __future__ import annotations

import torch

from .detector import Detector, Frames, Output
from .registry import register


def field_boxes(y: torch.Tensor, caret: torch.Tensor, tol: float, max_lines: float,
                edge_share: float = 0.8) -> torch.Tensor:
    """y: (B, h, w) luma; caret: (B, 5) [x0, y0, x1, y1, score] analysis px, score > 0 = present.
    Returns (B, 4) [x, y, w, h] analysis px of the single-line field holding each caret (zeros: none)."""
    b, h, w = y.shape
    has = caret[:, 4] > 0
    # every frame is followed and those without a caret masked at the end: a few rows and columns per frame,
    # cheaper than asking the host which frames have one (a wait for a GPU)
    fi = torch.arange(b, device=y.device)
    c = caret
    lh = (c[:, 3] - c[:, 1]).clamp(min=2.0)
    row = ((c[:, 1] + c[:, 3]) / 2).round().long().clamp(0, h - 1)
    probe = (c[:, 2] + (0.3 * lh).clamp(min=2.0)).round().long().clamp(0, w - 1)
    bg = y[fi, row, probe]
    cols = torch.arange(w, device=y.device)
    rows = torch.arange(h, device=y.device)

    def first_off(line: torch.Tensor, start: torch.Tensor, idx: torch.Tensor, after: bool, end: int) -> torch.Tensor:
        """Index of the first sample of `line` (K, n) past `start` (after: increasing) that leaves the fill."""
        off = (line - bg.unsqueeze(1)).abs() > tol
        if after:
            return torch.where(off & (idx > start.unsqueeze(1)), idx, end).amin(1)
        return torch.where(off & (idx < start.unsqueeze(1)), idx, -1).amax(1)

    right = first_off(y[fi, row], probe, cols, True, w)                       # first column off the fill
    column = y[fi, :, probe]                                                  # (K, h) down the probe column
    top = first_off(column, row, rows, False, -1) + 1
    bottom = first_off(column, row, rows, True, h)
    inside = (top + 1).clamp(max=h - 1)                                       # a row just inside the top edge
    left = first_off(y[fi, inside], probe, cols, False, -1) + 1
    tall = (bottom - top).float()
    # a field's edges run its whole width (a border, or the end of its fill); lines of text above and below a
    # caret in a text area stop the walk only where their glyphs are
    span = (cols >= left.unsqueeze(1)) & (cols < right.unsqueeze(1))
    edges = [y[fi, (top - 1).clamp(min=0)], y[fi, bottom.clamp(max=h - 1)]]
    whole = [(((e - bg.unsqueeze(1)).abs() > tol) & span).sum(1).float() / span.sum(1).clamp(min=1).float()
             for e in edges]
    ok = has & (tall <= max_lines * lh) & (tall >= lh) & (right - left > 2 * lh) & (whole[0] >= edge_share) & \
        (whole[1] >= edge_share)
    box = torch.stack([left, top, right - left, bottom - top], 1).float()
    return torch.where(ok.unsqueeze(1), box, torch.zeros_like(box))


@register
class Control(Detector):
    name = "control"
    version = 1
    needs = ("caret",)

    def outputs(self) -> list[Output]:
        return [Output("control", (4,), "float32")]

    def run(self, fr: Frames, state):
        f, k = self.stream.settings, float(self.stream.factor)
        caret = fr.outputs["caret"].clone()
        caret[:, :4] /= k
        caret[:, 4] = (caret[:, 4] >= f.control_min_score).float()
        return {"control": field_boxes(fr.luma, caret, f.control_tol, f.control_max_lines, f.control_edge_share) * k}, state
