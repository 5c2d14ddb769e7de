"""Layout: where the ink (text, glyphs) is, per grid cell, sampled every so often; and what each cell looks
like (its mean luma) every frame, so the director can tell a popup closing (its cells back to what they were
before it opened) from new content.

A column of a cell row holds ink when the luma steps by at least `contrast` levels between it and its right
neighbour somewhere inside that row band: glyph strokes do, a horizontal rule or a field's border does not.
The director uses it to widen a typing region to the whole text line it sits on.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .activity import pad_to_cells, to_u8
from .detector import Detector, Frames, Output
from .registry import register


def ink_grid(y: torch.Tensor, cell: int, contrast: float) -> torch.Tensor:
    """(B, h, w) luma (whole cells) -> (B, gh, gw) share of ink columns in each cell."""
    y = pad_to_cells(y, cell)
    step = F.pad((y[..., :, 1:] - y[..., :, :-1]).abs(), (0, 1))
    b, h, w = step.shape
    edge = step.view(b, h // cell, cell, w).amax(dim=2) >= contrast          # (B, gh, w) column has a stroke
    return edge.float().view(b, h // cell, w // cell, cell).mean(-1)


def cell_means(y: torch.Tensor, cell: int) -> torch.Tensor:
    """(B, h, w) luma (whole cells) -> (B, gh, gw) uint8 mean luma of each cell."""
    b, h, w = y.shape
    return F.avg_pool2d(y.unsqueeze(1), cell).squeeze(1).round_().clamp_(0, 255).to(torch.uint8)


@register
class Layout(Detector):
    """The ink grid every `ink_every_s` seconds (a sampled output: frame indices and their grids) and each
    cell's mean luma every frame."""
    name = "layout"
    version = 2

    def outputs(self) -> list[Output]:
        return [Output("ink", self.stream.grid, "uint8", "sampled"), Output("look", self.stream.grid, "uint8")]

    def run(self, fr: Frames, state):
        f = self.stream.settings
        every = self.stream.frames_for(f.ink_every_s)
        first = -fr.index0 % every                  # the batch's frames on the sampling grid: host arithmetic
        # (none in a batch shorter than the step that falls between two samples: analysis.batch below it)
        pick = torch.arange(min(first, fr.n), fr.n, every, device=fr.luma.device)
        grid = to_u8(ink_grid(fr.luma.index_select(0, pick), f.cell, f.ink_contrast))
        return {"ink": (fr.index.index_select(0, pick), grid), "look": cell_means(fr.luma, f.cell)}, state
