"""The features stage's values: raw per-frame measurements (saved as features.npz) and their fusion."""
from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import BadFeatures
from .store import SparseGrids

FEATURES_VERSION = 2        # 2: activity grids stored sparse
DENSE = ("times", "caret", "scroll_shift", "scroll_gain", "change", "ink", "ink_index")


@dataclass
class RawFeatures:
    """Per-frame measurements from the decoded frames: everything later stages need, no pixels.

    Grids have one cell per `cell_px` x `cell_px` source pixels, row-major (gh, gw); boxes are source pixels.
    """
    meta: dict                 # video, width, height (as displayed), fps, duration, cell_px, lags, ...
    times: np.ndarray          # (N,) float64 presentation time of each frame (s from the first frame)
    act: SparseGrids           # (N, gh, gw) uint8 share of each cell changed vs the previous frame (x255)
    stick: list[SparseGrids]   # K x (N, gh, gw) uint8 share changed vs the frame lag_k+1 frames earlier (x255)
    caret: np.ndarray          # (N, 5) float32 caret bar [x0, y0, x1, y1, strength]; strength 0 = none
    scroll_shift: np.ndarray   # (N, bands) float32 best vertical shift vs the previous frame (source px)
    scroll_gain: np.ndarray    # (N, bands) float32 share of row-profile error the shift removes (0-1)
    change: np.ndarray         # (N,) float32 share of the frame changed vs the previous frame
    ink: np.ndarray            # (M, gh, gw) uint8 share of ink columns per cell, sampled every few frames
    ink_index: np.ndarray      # (M,) int64 frame index of each ink sample

    @property
    def n(self) -> int:
        return int(self.times.shape[0])

    def save(self, path: str | Path) -> None:
        """Write atomically: a temporary file in the same folder, renamed when complete."""
        from ..io import atomic_path

        arrays = {k: getattr(self, k) for k in DENSE}
        arrays.update(self.act.arrays("act"))
        for k, s in enumerate(self.stick):
            arrays.update(s.arrays(f"stick{k}"))
        meta = json.dumps({**self.meta, "features_version": FEATURES_VERSION}, sort_keys=True)
        arrays["meta"] = np.frombuffer(meta.encode(), dtype=np.uint8)
        with atomic_path(path) as tmp:
            _write_npz(tmp, arrays)

    @classmethod
    def load(cls, path: str | Path) -> "RawFeatures":
        p = Path(path)
        if not p.is_file():
            raise BadFeatures(f"features file not found: {p}")
        if not zipfile.is_zipfile(p):
            raise BadFeatures(f"not a screendirector features file (not an .npz archive): {p}")
        try:
            with np.load(p, allow_pickle=False) as z:
                meta = json.loads(bytes(z["meta"]).decode())
                if meta.get("features_version") != FEATURES_VERSION:
                    raise BadFeatures(f"features file {p} has version {meta.get('features_version')}, "
                                      f"this screendirector reads version {FEATURES_VERSION}")
                arrays = {k: z[k] for k in DENSE}
                arrays["act"] = SparseGrids.from_arrays(z, "act")
                arrays["stick"] = [SparseGrids.from_arrays(z, f"stick{k}") for k in range(len(meta["lags"]))]
        except BadFeatures:
            raise
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError, EOFError) as e:
            raise BadFeatures(f"not a screendirector features file: {p} ({str(e).splitlines()[0][:120]})") from None
        return cls(meta=meta, **arrays)


def _write_npz(path: Path, arrays: dict) -> None:
    """np.savez_compressed, streaming: spilled arrays are copied through in chunks, never loaded whole."""
    import numpy.lib.format as fmt

    from .store import Spill
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            a = arrays[name]
            with zf.open(f"{name}.npy", "w", force_zip64=True) as f:
                if isinstance(a, Spill):
                    fmt.write_array_header_2_0(f, {"descr": fmt.dtype_to_descr(a.dtype), "fortran_order": False,
                                                   "shape": (len(a),)})
                    for chunk in a.chunks():
                        f.write(chunk.tobytes())
                else:
                    fmt.write_array(f, np.asarray(a), allow_pickle=False)


@dataclass
class Features:
    """Raw measurements fused over time: the regions of meaningful change (persistent, not ambient)."""
    raw: RawFeatures
    regions: np.ndarray        # (N, K, 5) float32 [x, y, w, h, cells] largest meaningful regions; cells 0 = none
    scrolling: np.ndarray      # (N,) bool: a large part of the frame translates vertically
    ambient_share: np.ndarray  # (gh, gw) float32 share of the frames in which each cell was ambient

    @property
    def meta(self) -> dict:
        return self.raw.meta

    @property
    def times(self) -> np.ndarray:
        return self.raw.times
