"""Layout: where the ink (text, glyphs, rules) is, per grid cell, sampled every so often.

A column of a cell row holds ink when its luma spans at least `contrast` levels inside that row band. The
director uses it to widen a typing region to the whole text line it sits on.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .activity import pad_to_cells


def ink_grid(y: torch.Tensor, cell: int, contrast: float) -> torch.Tensor:
    """(B, h, w) luma -> (B, gh, gw) share of ink columns in each cell."""
    p = pad_to_cells(y, cell).unsqueeze(1)
    hi = F.max_pool2d(p, (cell, 1), stride=(cell, 1))
    lo = -F.max_pool2d(-p, (cell, 1), stride=(cell, 1))
    ink = ((hi - lo) >= contrast).float()
    return F.avg_pool2d(ink, (1, cell), stride=(1, cell)).squeeze(1)
