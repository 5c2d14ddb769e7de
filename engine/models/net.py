"""The tile network: a small fully convolutional net over one tile (a block of the frame plus a margin).

Input (K, 2, T, T): the tile of the current frame (its mean removed) and its change from the previous frame,
both divided by 64 levels. Output, for the block's cells of `stride` px (the margin only gives context):
caret logit, caret centre offset (x, y, in cells), caret log width and log height (log px), pointer logit,
pointer hotspot offset (x, y); and one saliency logit for the whole block.
"""
from __future__ import annotations

import torch
from torch import nn

from .config import ModelConfig

CARET, CARET_DX, CARET_DY, CARET_LW, CARET_LH, PTR, PTR_DX, PTR_DY = range(8)
N_OUT = 8
SCALE = 64.0         # luma levels per unit of input: keeps inputs near [-2, 2]


def tile_input(cur: torch.Tensor, prev: torch.Tensor) -> torch.Tensor:
    """(K, T, T) crops of the current and previous frames -> (K, 2, T, T) network input."""
    mean = cur.mean(dim=(1, 2), keepdim=True)
    return torch.stack([(cur - mean) / SCALE, (cur - prev) / SCALE], dim=1)


class TileNet(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        assert cfg.stride == 4 and cfg.margin % cfg.stride == 0, "two stride-2 layers make the stride 4"
        c1, c2, c3 = cfg.widths
        self.features = nn.Sequential(
            nn.Conv2d(2, c1, 3, stride=2, padding=1), nn.ReLU(inplace=True),     # thin bars still hit a tap
            nn.Conv2d(c1, c2, 3, stride=2, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(c2, c3, 3, padding=2, dilation=2), nn.ReLU(inplace=True),  # ~23 px of context per cell
            nn.Conv2d(c3, c3, 3, padding=1), nn.ReLU(inplace=True),
        )
        self.head = nn.Conv2d(c3, N_OUT, 1)
        self.saliency = nn.Linear(2 * c3, 1)
        self.m = cfg.margin // cfg.stride          # margin cells cut from the output
        self.n = cfg.block // cfg.stride           # block cells per side

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(K, 2, T, T) -> maps (K, 8, n, n) for the block's cells, saliency logits (K,)."""
        # channels-last: the small convolutions run about twice as fast on the CPU (oneDNN's layout), the same
        # numbers to float rounding
        f = self.features[:-2](x.contiguous(memory_format=torch.channels_last))
        # the last conv only for the block's cells: its input cut to them plus a ring (same numbers, half the work)
        m, n = self.m, self.n
        last = self.features[-2]
        inner = torch.relu(nn.functional.conv2d(f[:, :, m - 1 : m + n + 1, m - 1 : m + n + 1], last.weight, last.bias))
        pooled = torch.cat([inner.mean(dim=(2, 3)), inner.amax(dim=(2, 3))], dim=1)
        return self.head(inner), self.saliency(pooled).squeeze(1)


def cell_probs(logits: torch.Tensor) -> torch.Tensor:
    """(K, n, n) cell logits -> (K, n*n) probabilities that the object's centre is in each cell; the rest of the
    probability (a fixed logit of 0) is "not in this block", so one tile holds at most one caret / pointer."""
    flat = logits.flatten(1)
    return torch.softmax(torch.cat([flat, flat.new_zeros(flat.shape[0], 1)], 1), dim=1)[:, :-1]


def count_params(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())
