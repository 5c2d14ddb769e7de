"""engine/kernels: every Triton kernel gives its torch reference's integers, run in Triton's interpreter
(TRITON_INTERPRET=1, kernels on CPU tensors), and the CPU path never touches Triton.

The interpreter runs in a child process (this file run as a script), so TRITON_INTERPRET never reaches the other
test modules, whose CPU runs must keep using the reference."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
THRESHOLD = 16.0


def _luma(b: int, h: int, w: int, gen: torch.Generator, levels: float = 255.0) -> torch.Tensor:
    return torch.rand(b, h, w, generator=gen) * levels


def change_cases() -> dict:
    """name -> (y, first, threshold, cell): random and edge-case inputs of change_counts."""
    g = torch.Generator().manual_seed(14)
    cases = {}
    cases["random"] = (_luma(5, 4 * 8, 37 * 8, g), _luma(1, 4 * 8, 37 * 8, g), THRESHOLD, 8)
    cases["empty batch"] = (_luma(0, 2 * 8, 3 * 8, g), _luma(1, 2 * 8, 3 * 8, g), THRESHOLD, 8)
    cases["one frame"] = (_luma(1, 3 * 8, 5 * 8, g), _luma(1, 3 * 8, 5 * 8, g), THRESHOLD, 8)
    cases["first against itself"] = (lambda y: (y, y[:1].clone(), THRESHOLD, 8))(_luma(3, 2 * 8, 17 * 8, g))
    cases["odd grid"] = (_luma(2, 3 * 8, 19 * 8, g), _luma(1, 3 * 8, 19 * 8, g), THRESHOLD, 8)   # 19: not 16 cells
    cases["one cell"] = (_luma(2, 8, 8, g), _luma(1, 8, 8, g), THRESHOLD, 8)
    cases["cell of 5"] = (_luma(3, 3 * 5, 7 * 5, g), _luma(1, 3 * 5, 7 * 5, g), THRESHOLD, 5)   # the generic sum
    flip = torch.zeros(4, 2 * 8, 18 * 8)
    flip[1::2] = 255.0
    cases["all changed"] = (flip, torch.full((1, 2 * 8, 18 * 8), 255.0), THRESHOLD, 8)
    cases["none changed"] = (torch.full((3, 2 * 8, 18 * 8), 90.0), torch.full((1, 2 * 8, 18 * 8), 90.0 + THRESHOLD),
                             THRESHOLD, 8)
    # differences of exactly the threshold do not count, a level more does
    edge = torch.randint(0, 3, (3, 2 * 8, 17 * 8), generator=g).float() * (THRESHOLD / 2) + 100.0
    cases["at the threshold"] = (edge, edge[:1] + THRESHOLD, THRESHOLD, 8)
    return cases


def region_cases() -> dict:
    """name -> (mask,): random and edge-case inputs of components (activity-grid masks)."""
    g = torch.Generator().manual_seed(14)
    cases = {"random": (torch.rand(4, 9, 13, generator=g) < 0.45,),
             "dense random": (torch.rand(2, 17, 30, generator=g) < 0.6,),
             "empty batch": (torch.zeros(0, 4, 5, dtype=torch.bool),),
             "one frame": (torch.rand(1, 6, 7, generator=g) < 0.5,),
             "all set": (torch.ones(2, 5, 11, dtype=torch.bool),),
             "none set": (torch.zeros(3, 5, 11, dtype=torch.bool),),
             "one row": (torch.rand(2, 1, 23, generator=g) < 0.5,),
             "one column": (torch.rand(2, 23, 1, generator=g) < 0.5,)}
    diagonal = torch.zeros(1, 6, 6, dtype=torch.bool)
    diagonal[0, range(6), range(6)] = True                 # touching at corners only: one region (8-connected)
    cases["diagonal"] = (diagonal,)
    snake = torch.zeros(1, 15, 16, dtype=torch.bool)       # one long winding region: many rounds of jumping
    snake[0, ::2] = True
    snake[0, 1::4, -1] = True
    snake[0, 3::4, 0] = True
    cases["snake"] = (snake,)
    return cases


def _check_all() -> dict:
    """Run in the child: name -> "ok" or what differed (the dispatch must take the Triton kernel)."""
    from engine import kernels
    from engine.kernels import change, regions
    out = {}
    for name, (mask,) in region_cases().items():
        cells, lab = regions.components(mask)
        got_cells, got_lab = kernels.components(mask)
        if "engine.kernels.regions_triton" not in sys.modules:
            out["regions: " + name] = "the dispatch did not take the Triton kernel"
        elif got_lab.dtype != lab.dtype or not torch.equal(got_cells, cells):
            out["regions: " + name] = f"cells or dtype differ ({got_lab.dtype} against {lab.dtype})"
        elif not torch.equal(got_lab, lab):
            out["regions: " + name] = f"{int((got_lab != lab).sum())} labels differ"
        else:
            out["regions: " + name] = "ok"
    for name, (y, first, threshold, cell) in change_cases().items():
        mask, counts = change.change_counts(y, first, threshold, cell)
        got_mask, got_counts = kernels.change_counts(y, first, threshold, cell)
        if "engine.kernels.change_triton" not in sys.modules:
            out["change: " + name] = "the dispatch did not take the Triton kernel"
        elif got_mask.dtype != mask.dtype or got_counts.dtype != counts.dtype:
            out["change: " + name] = f"dtypes {got_mask.dtype}, {got_counts.dtype} against {mask.dtype}, {counts.dtype}"
        elif got_mask.shape != mask.shape or got_counts.shape != counts.shape:
            out["change: " + name] = f"shapes {tuple(got_counts.shape)} against {tuple(counts.shape)}"
        elif not torch.equal(got_mask, mask):
            out["change: " + name] = f"{int((got_mask != mask).sum())} mask pixels differ"
        elif not torch.equal(got_counts, counts):
            out["change: " + name] = f"{int((got_counts != counts).sum())} cell counts differ"
        else:
            out["change: " + name] = "ok"
    return out


@pytest.fixture(scope="module")
def interpreted() -> dict:
    pytest.importorskip("triton")
    env = {**os.environ, "TRITON_INTERPRET": "1", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", list(change_cases()))
def test_change_counts_kernel_equals_reference(interpreted, case):
    assert interpreted["change: " + case] == "ok"


@pytest.mark.parametrize("case", list(region_cases()))
def test_components_kernel_equals_reference(interpreted, case):
    assert interpreted["regions: " + case] == "ok"


def test_cpu_tensors_use_the_reference():
    """Without the interpreter, CPU tensors never load the Triton module (its results would be the same; its
    speed on the CPU would not)."""
    code = ("import sys, torch; from engine import kernels; "
            "m, n = kernels.change_counts(torch.zeros(2, 8, 16), torch.ones(1, 8, 16) * 99, 16.0, 8); "
            "assert n.tolist() == [[[64, 64]], [[0, 0]]] and m.dtype == torch.bool, n; "
            "c, l = kernels.components(torch.eye(3, dtype=torch.bool)[None]); assert l.tolist() == [8, 8, 8], l; "
            "assert not any(k in sys.modules for k in ('triton', 'engine.kernels.change_triton', "
            "'engine.kernels.regions_triton'))")
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONPATH": str(ROOT)}, check=True, timeout=120)


def test_import_engine_does_not_import_triton():
    code = ("import sys, engine, engine.features.extraction, engine.features.change, engine.kernels; "
            "assert 'triton' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
                   timeout=120)


if __name__ == "__main__":
    assert os.environ.get("TRITON_INTERPRET") == "1", "run with TRITON_INTERPRET=1 (the tests do)"
    print(json.dumps(_check_all()))
