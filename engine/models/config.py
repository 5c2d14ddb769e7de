"""Every tunable of the screen model in one place: what it looks at, how it decides, how it is trained.

`ModelConfig` is stored inside the weights file (safetensors metadata), so a shipped model carries the tile
geometry and network widths it was trained with (GEOMETRY) and a record of its training (TRAINING); the
decision settings (thresholds, holds, scan rate) come from the defaults here and can be overridden at load
time: `ScreenModel.load(caret_threshold=0.6)`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class ModelConfig:
    # --- what the network looks at (fixed by training: stored with the weights)
    block: int = 32              # side of the square a tile answers for = one saliency cell (analysis px)
    margin: int = 8              # context seen around the block on each side (analysis px); tile = block + 2 margin
    stride: int = 4              # heatmap cell of the caret / pointer outputs (analysis px)
    widths: tuple = (24, 32, 48)  # channels of the conv layers (count): the first (at half resolution) costs the
                                  # most; 24 there finds more carets than 16 (tile recall 0.82 against 0.73)
    diff_threshold: float = 16.0  # luma change that counts as a changed pixel, as in features (0-255 levels)
    cell: int = 8                # activity-grid cell (analysis px), as in features

    # --- which tiles are examined per frame
    change_min: float = 0.02     # share of a cell's pixels that must change for the cell to count as changed (0-1)
    max_tiles: int = 6           # most change-driven tiles examined per frame (count); isolated changes go first
    busy_share: float = 0.35     # when more than this share of blocks changed (scrolling, a new screen), only the
                                 # tracked caret's and pointer's blocks are examined (0-1)
    scan_first_s: float = 0.0    # every block is scanned once over this first stretch of a stream, to find a
                                 # pointer at rest (it makes no change) (s; 0 = all in the first frame)
    scan_per_s: float = 2.0      # then this many blocks a second, in raster order (blocks/s; 0 = no more)

    # --- decisions
    caret_threshold: float = 0.5    # caret score above which a tile's caret counts as found (0-1)
    pointer_threshold: float = 0.5  # same for the pointer (0-1)
    pointer_still_threshold: float = 0.6  # a pointer found in a block without change (the scan) needs this (0-1)
    caret_switch_threshold: float = 0.8   # a caret found away from the caret in view needs this: stray bars
                                          # (a clock's 1, a key lighting up) rarely score that high (0-1)
    caret_near_lines: float = 4.0   # "away": more than this many caret heights across, or 3/4 of one down
    caret_follow_threshold: float = 0.25 # a caret found on the line of the caret in view, close beside it, needs
                                    # only this: a caret is easier to follow than to find (0-1)
    caret_follow_lines: float = 2.0 # "close beside": within this many caret heights across, 3/4 of one down (count)
    pointer_switch_threshold: float = 0.97  # a pointer found elsewhere while the one in view has not left its
                                    # place (no change there) needs this (0-1)
    caret_keep: float = 0.25        # a tracked caret whose block changed is still there while its score there
                                    # stays above this (hysteresis: a caret is easier to keep than to find) (0-1)
    pointer_keep: float = 0.25      # same for the pointer (0-1)
    track_radius: float = 6.0       # a tracked caret / pointer is looked for again in the blocks this close to
                                    # where it was (analysis px): it may have crossed into the next block
    caret_hold_s: float = 0.8       # a found caret is carried this long after it was last seen (blink-off, pauses)
                                    # once its block changed without it (s)
    pointer_hold_s: float = 0.4     # same for the pointer (s)
    pointer_refind_s: float = 3.0   # a pointer lost from its place is looked for around it, changed or not, this
                                    # long (s): it may have come to rest a few pixels on
    caret_stale_s: float = 3.0      # a caret is dropped once nothing changed where it is for this long (s): a
                                    # typed-in caret changes at every key and a blinking one every blink, a
                                    # mistaken static bar never; an idle caret that does not blink goes too
    caret_need_change: bool = True  # a caret is only found in a block that changed (static bars are not carets)
    settle_rounds: int = 3          # on a GPU (no value read back): rounds of adding the tracker's blocks per
                                    # batch; the host runs them until they settle, 3 or fewer in 97% of batches
    settle_steps: int = 4           # ... and steps of settling the thresholds per round (the host: 4 or fewer in
                                    # all measured); a batch that needs more is counted (count)
    settle_on_host: bool = False    # on a GPU too, the host's way: sizes read back and rounds run until they
                                    # settle (about 19 waits a batch, a third of the kernels): `bench gpu` times both
    unseen_saliency: float = 0.25   # saliency of a changed block left unexamined (over the tile cap), times its
                                    # changed share (0-1)

    # --- training (python -m engine.models.train)
    clips: int = 360                # generated training recordings, each with its own style (count): many short
                                    # clips beat few long ones, the net otherwise learns the styles by heart
    clip_s: float = 8.0             # length of each (s)
    frames_per_clip: int = 100      # analysis frames sampled per clip for tiles (count)
    max_dt_s: float = 0.5           # longest time between a frame and the one it is compared with (s)
    dup_share: float = 0.08         # share of samples whose previous frame is the same picture (GIF-like holds)
    steps: int = 12000              # optimiser steps
    batch: int = 256                # tiles per step
    lr: float = 3e-3                # AdamW learning rate (cosine decay to 5% of it)
    weight_decay: float = 1e-4      # AdamW weight decay
    val_share: float = 0.1          # share of training clips held out to report tile accuracy (0-1)

    @property
    def tile(self) -> int:
        return self.block + 2 * self.margin

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        names = {f.name for f in fields(cls)}
        return cls(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in d.items() if k in names})


# the settings fixed by the trained weights: overriding them at load time would feed the net other inputs
GEOMETRY = ("block", "margin", "stride", "widths", "diff_threshold", "cell")
# how the weights were trained (a record, read from the file); every other setting is a decision taken after the
# network, read from this file's defaults when a model is loaded, so a retuned default applies to shipped weights
TRAINING = ("change_min", "max_tiles", "busy_share", "clips", "clip_s", "frames_per_clip", "max_dt_s", "dup_share",
            "steps", "batch", "lr", "weight_decay", "val_share")
