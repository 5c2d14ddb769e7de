"""Connected regions on the activity grid: the batched labelling agrees with a plain flood fill."""
import numpy as np
import torch

from engine.features.regions import label


def _flood(mask: np.ndarray) -> np.ndarray:
    """8-connected components, each labelled with its largest row-major cell index + 1."""
    h, w = mask.shape
    out = np.zeros((h, w), np.int64)
    seen = np.zeros((h, w), bool)
    for sy in range(h):
        for sx in range(w):
            if not mask[sy, sx] or seen[sy, sx]:
                continue
            stack, comp = [(sy, sx)], []
            seen[sy, sx] = True
            while stack:
                y, x = stack.pop()
                comp.append((y, x))
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        ny, nx = y + dy, x + dx
                        if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                            seen[ny, nx] = True
                            stack.append((ny, nx))
            top = max(y * w + x for y, x in comp) + 1
            for y, x in comp:
                out[y, x] = top
    return out


def test_labels_match_a_flood_fill_on_random_and_winding_masks():
    rng = np.random.default_rng(3)
    masks = [rng.random((12, 17)) < p for p in (0.2, 0.45, 0.6) for _ in range(4)]
    spiral = np.zeros((15, 15), bool)               # one long winding region: many rounds for a 3x3 max
    for k in range(0, 7, 2):
        spiral[k, k:15 - k] = spiral[k:15 - k, 14 - k] = spiral[14 - k, k + 2:15 - k] = True
        spiral[k + 2:15 - k, k] = True
        if k + 2 < 15 - k:
            spiral[k + 2, k:k + 3] = True
    masks.append(np.pad(spiral, ((0, 0), (0, 2))))
    masks.append(np.pad(np.eye(12, 17, dtype=bool), 0))   # diagonal: connected through corners only
    for m in masks:
        got = label(torch.from_numpy(m[None])).numpy()[0]
        np.testing.assert_array_equal(got, _flood(m))


def test_cell_counts_match_a_plain_sum_for_every_cell_size():
    from engine.features.activity import cell_sums

    rng = np.random.default_rng(4)
    for cell in (4, 6, 8, 16):
        m = torch.from_numpy(rng.random((3, cell * 5, cell * 7)) < rng.random((3, 1, 1)))
        ref = m.numpy().reshape(3, 5, cell, 7, cell).sum(axis=(2, 4))
        np.testing.assert_array_equal(cell_sums(m, cell).numpy(), ref)
    full = torch.ones(1, 16, 16, dtype=torch.bool)                    # every byte set: the largest sums
    assert cell_sums(full, 8).eq(64).all()


def test_window_sums_match_a_plain_sum_at_every_span_and_edge():
    from engine.features.ambient import window_sum

    rng = np.random.default_rng(5)
    for n, half in ((1, 3), (5, 3), (7, 3), (40, 3), (40, 0), (12, 20)):
        x = torch.from_numpy(rng.integers(0, 3, (n, 2, 3)).astype(np.int32))
        ref = np.stack([x.numpy()[max(0, t - half) : t + half + 1].sum(0) for t in range(n)])
        np.testing.assert_array_equal(window_sum(x, half).numpy(), ref)
        np.testing.assert_array_equal(window_sum(x.float(), half).numpy(), ref.astype(np.float32))
