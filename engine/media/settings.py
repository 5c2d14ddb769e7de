"""How a recording is decoded for analysis: one typed value, read from the `analysis` config section."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DecodeSettings:
    long_side: int = 480          # analysis frame's long side after whole-factor downsampling (px)
    batch: int = 32               # frames per batch (count)
    threads: int = 1              # decoder threads (count; 0 = codec default)
    device: str = "cpu"           # torch device the batches land on
    prefetch: int = 64            # frames decoded ahead in a thread of their own (count; 0 = off)
    fast: bool = True             # skip the loop filter (analysis needs no deblocked pixels)
    fps: float = 0.0              # analysis grid rate (frames/s; 0 = the stream's own frames)
    skip_nonref: bool = True      # skip decoding frames nothing references when the grid allows it
    nonref_check_s: float = 2.0   # stream time checked first before skipping them (s)
    multiple: int = 1             # pad frames right and bottom to whole multiples of this (px)
    decoder: str = "auto"         # decoder by name (see engine.media.decoders): auto, pyav, ...

    @classmethod
    def from_config(cls, cfg) -> "DecodeSettings":
        """From the resolved root config: the `analysis` section, padded to whole feature cells."""
        a = cfg.analysis
        return cls(long_side=int(a.long_side), batch=int(a.batch), threads=int(a.threads), device=str(a.device),
                   prefetch=int(a.prefetch), fast=bool(a.fast_decode), fps=float(a.fps),
                   skip_nonref=bool(a.skip_nonref), nonref_check_s=float(a.nonref_check_s),
                   multiple=int(cfg.features.cell), decoder=str(a.decoder))
