"""The features stage's values: raw per-frame measurements (saved as features.npz) and their fusion."""
from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import BadFeatures
from .store import SparseGrids

FEATURES_VERSION = 3        # 3: outputs stored by name, as each detector declared them, versioned per detector
SCROLL_BANDS = 4            # bands of the scroll outputs (fixed by the scroll detector)


@dataclass
class RawFeatures:
    """Per-frame measurements from the decoded frames: everything later stages need, no pixels.

    `data` maps each output name to its values: dense outputs (N, ...) arrays, sampled ones an array with its
    frame indices beside it (`NAME_index`), sparse grids SparseGrids. Grids have one cell per `cell_px` x
    `cell_px` source pixels, row-major (gh, gw); positions are source pixels. `meta["outputs"]` says which
    detector wrote each output and `meta["detectors"]` their versions.
    """
    meta: dict                 # video, width, height (as displayed), fps, duration, cell_px, lags, detectors, ...
    times: np.ndarray          # (N,) float64 time of each analysed frame (s from the first frame)
    data: dict                 # output name -> values (see above)

    @property
    def n(self) -> int:
        return int(self.times.shape[0])

    def has(self, name: str) -> bool:
        return name in self.data

    # what the later stages read, with what a missing detector means
    @property
    def act(self) -> SparseGrids:          # (N, gh, gw) uint8 share of each cell changed vs the previous frame
        return self.data["act"]

    @property
    def stick(self) -> list[SparseGrids]:  # per lag: share changed vs the frame lag + 1 frames earlier
        return [self.data[f"stick{k}"] for k in range(len(self.meta["lags"]))]

    @property
    def change(self) -> np.ndarray:        # (N,) share of the frame changed vs the previous frame
        return self.data["change"]

    @property
    def caret(self) -> np.ndarray:         # (N, 5) caret [x0, y0, x1, y1, strength]; strength 0 = none
        return self.data["caret"] if "caret" in self.data else np.zeros((self.n, 5), np.float32)

    @property
    def scroll_shift(self) -> np.ndarray:  # (N, bands) best vertical shift vs the previous frame (px)
        return self._or_zeros("scroll_shift", SCROLL_BANDS)

    @property
    def scroll_gain(self) -> np.ndarray:   # (N, bands) share of row-profile error the shift removes
        return self._or_zeros("scroll_gain", SCROLL_BANDS)

    @property
    def ink(self) -> np.ndarray:           # (M, gh, gw) share of ink columns per cell, sampled
        return self.data["ink"] if "ink" in self.data else np.zeros((0, *self.act.shape), np.uint8)

    @property
    def control(self) -> np.ndarray | None:  # (N, 4) the single-line field the caret types into (zeros: none)
        return self.data.get("control")

    @property
    def look(self) -> np.ndarray | None:   # (N, gh, gw) mean luma of each cell; None without the layout detector
        return self.data.get("look")

    @property
    def ink_index(self) -> np.ndarray:     # (M,) frame index of each ink sample
        return self.data["ink_index"] if "ink" in self.data else np.zeros(0, np.int64)

    def _or_zeros(self, name: str, width: int) -> np.ndarray:
        return self.data[name] if name in self.data else np.zeros((self.n, width), np.float32)

    def save(self, path: str | Path) -> None:
        """Write atomically: a temporary file in the same folder, renamed when complete."""
        from ..io import atomic_path

        arrays = {"times": self.times}
        for name, v in self.data.items():
            arrays.update(v.arrays(name) if isinstance(v, SparseGrids) else {name: v})
        meta = json.dumps({**self.meta, "features_version": FEATURES_VERSION}, sort_keys=True)
        arrays["meta"] = np.frombuffer(meta.encode(), dtype=np.uint8)
        with atomic_path(path) as tmp:
            _write_npz(tmp, arrays)

    @classmethod
    def load(cls, path: str | Path) -> "RawFeatures":
        from .registry import version_of

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
                                      f"this screendirector reads version {FEATURES_VERSION}: analyse the video again")
                for name, version in meta["detectors"].items():
                    if version_of(name) != version:
                        raise BadFeatures(f"features file {p} was written by detector '{name}' version {version}, "
                                          f"this screendirector has {version_of(name)}: analyse the video again")
                data = {}
                for name, o in meta["outputs"].items():
                    if o["store"] == "sparse":
                        data[name] = SparseGrids.from_arrays(z, name)
                    else:
                        data[name] = z[name]
                        if o["store"] == "sampled":
                            data[name + "_index"] = z[name + "_index"]
                times = z["times"]
        except BadFeatures:
            raise
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError, EOFError) as e:
            raise BadFeatures(f"not a screendirector features file: {p} ({str(e).splitlines()[0][:120]})") from None
        return cls(meta=meta, times=times, data=data)


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
    slow_regions: np.ndarray   # (N, K, 5) the same for slow changes (fades), from the cells' looks
    scrolling: np.ndarray      # (N,) bool: a large part of the frame translates vertically
    ambient_share: np.ndarray  # (gh, gw) float32 share of the frames in which each cell was ambient

    @property
    def meta(self) -> dict:
        return self.raw.meta

    @property
    def times(self) -> np.ndarray:
        return self.raw.times
