"""Train the screen model from generated recordings: one command, deterministic given the seed.

    python -m engine.models.train --seed 0 --out engine/models/weights/screen.safetensors [--data DIR]

Generates `clips` recordings (seeds 100000 + 1000 * seed + k; 0-9999 stay for evaluation) into --data, cuts
their labelled tiles (data.py), trains the tile network, writes the weights (safetensors, with the config in
its metadata) and evaluates the result per frame on held-out generated clips and the corpus (evaluate.py),
writing the table beside the weights (OUT.eval.json).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import data as D
from .config import ModelConfig
from .net import CARET, CARET_DX, CARET_LW, PTR, PTR_DX, TileNet, cell_probs, count_params, tile_input
from .screen import ScreenModel


def _cell_loss(logits: torch.Tensor, cell: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Cross-entropy over the block's cells plus "not here" (index n*n) for tiles where mask is set."""
    flat = logits.flatten(1)
    full = torch.cat([flat, flat.new_zeros(flat.shape[0], 1)], 1)
    target = torch.where(cell >= 0, cell, flat.shape[1])
    per = F.cross_entropy(full, target, reduction="none")
    return (per * mask).sum() / mask.sum().clamp(min=1)


def _at(maps: torch.Tensor, ch: int, cell: torch.Tensor) -> torch.Tensor:
    """(K,) values of channel ch at each tile's target cell (cell >= 0)."""
    return maps[:, ch].flatten(1).gather(1, cell.clamp(min=0).unsqueeze(1)).squeeze(1)


def losses(maps: torch.Tensor, sal: torch.Tensor, b: dict, need_change: bool) -> dict:
    c_mask = b["changed"].float() if need_change else torch.ones_like(sal)
    cpos = (b["c_cell"] >= 0).float() * c_mask
    ppos = (b["p_cell"] >= 0).float()
    off = lambda ch, c, tgt: (torch.sigmoid(torch.stack([_at(maps, ch, c), _at(maps, ch + 1, c)], 1)) - tgt).abs().sum(1)
    size = torch.stack([_at(maps, CARET_LW, b["c_cell"]), _at(maps, CARET_LW + 1, b["c_cell"])], 1)
    return {
        "caret": _cell_loss(maps[:, CARET], b["c_cell"], c_mask),
        "caret_off": (off(CARET_DX, b["c_cell"], b["c_off"]) * cpos).sum() / cpos.sum().clamp(min=1),
        "caret_size": ((size - b["c_size"]).abs().sum(1) * cpos).sum() / cpos.sum().clamp(min=1),
        "pointer": _cell_loss(maps[:, PTR], b["p_cell"], torch.ones_like(sal)),
        "pointer_off": (off(PTR_DX, b["p_cell"], b["p_off"]) * ppos).sum() / ppos.sum().clamp(min=1),
        "saliency": F.binary_cross_entropy_with_logits(sal, b["sal"]),
    }


def _batch(data: dict, idx: np.ndarray, gen: torch.Generator | None) -> dict:
    """Tensors for tiles idx; with gen, augmented: inverted luma (dark / light), contrast, and a little noise
    (below the change threshold, like compression noise)."""
    cur = torch.from_numpy(data["cur"][idx].astype(np.float32))
    prev = torch.from_numpy(data["prev"][idx].astype(np.float32))
    if gen is not None:
        k = len(idx)
        inv = (torch.rand(k, generator=gen) < 0.3).view(-1, 1, 1)
        cur, prev = torch.where(inv, 255 - cur, cur), torch.where(inv, 255 - prev, prev)
        s = (0.3 + 0.9 * torch.rand(k, generator=gen)).view(-1, 1, 1)      # dim carets on dark themes too
        m = cur.mean(dim=(1, 2), keepdim=True)
        cur, prev = (cur - m) * s + m, (prev - m) * s + m
        sd = 3.0 * torch.rand(k, 1, 1, generator=gen)
        cur = cur + sd * torch.randn(cur.shape, generator=gen)
        prev = prev + sd * torch.randn(prev.shape, generator=gen)
    out = {"x": tile_input(cur, prev)}
    for f in ("c_cell", "c_off", "c_size", "p_cell", "p_off", "sal", "changed"):
        out[f] = torch.from_numpy(data[f][idx])
    return out


def train(data: dict, cfg: ModelConfig, seed: int, log=print) -> TileNet:
    torch.manual_seed(seed)
    net = TileNet(cfg)
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    gen = torch.Generator().manual_seed(seed)
    n = len(data["clip"])
    weights = {"caret": 1.0, "caret_off": 1.0, "caret_size": 0.5, "pointer": 1.0, "pointer_off": 1.0, "saliency": 0.5}
    t0, run = time.perf_counter(), {}
    for step in range(cfg.steps):
        lr = cfg.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * step / max(1, cfg.steps))))
        for g in opt.param_groups:
            g["lr"] = lr * min(1.0, (step + 1) / 200)                  # a short warm-up
        idx = torch.randint(n, (cfg.batch,), generator=gen).numpy()
        b = _batch(data, idx, gen)
        maps, sal = net(b["x"])
        parts = losses(maps, sal, b, cfg.caret_need_change)
        loss = sum(weights[k] * v for k, v in parts.items())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        for k, v in parts.items():
            v = float(v.detach())
            run[k] = 0.98 * run.get(k, v) + 0.02 * v
        if log and ((step + 1) % 500 == 0 or step == 0):
            log(f"  step {step + 1}/{cfg.steps} " + " ".join(f"{k} {v:.3f}" for k, v in run.items())
                + f" ({time.perf_counter() - t0:.0f} s)")
    return net.eval()


@torch.inference_mode()
def tile_metrics(net: TileNet, data: dict, cfg: ModelConfig) -> dict:
    """Per tile, on held-out clips: a caret / pointer is right when its best cell is within one cell of the
    truth and scores above the threshold; a false alarm is a score above it on a tile without one."""
    out = {}
    maps, sal = [], []
    for s in range(0, len(data["clip"]), 1024):
        m, v = net(_batch(data, np.arange(s, min(s + 1024, len(data["clip"]))), None)["x"])
        maps.append(m)
        sal.append(v)
    maps, sal = torch.cat(maps), torch.cat(sal)
    n = cfg.block // cfg.stride
    for name, ch, thr, mask in (("caret", CARET, cfg.caret_threshold, data["changed"]),
                                ("pointer", PTR, cfg.pointer_threshold, np.ones_like(data["changed"]))):
        p, idx = cell_probs(maps[:, ch]).max(1)
        cell = torch.from_numpy(data[name[0] + "_cell"])
        hit = (p >= thr) & (cell >= 0) & ((idx // n - cell // n).abs() <= 1) & ((idx % n - cell % n).abs() <= 1)
        m = torch.from_numpy(mask)
        pos, neg = (cell >= 0) & m, (cell < 0) & m
        out[name + "_tile_recall"] = float((hit & pos).sum() / pos.sum().clamp(min=1))
        out[name + "_tile_false"] = float(((p >= thr) & neg).sum() / neg.sum().clamp(min=1))
    st = torch.from_numpy(data["sal"]) > 0.5
    pred = sal > 0
    out["saliency_tile_acc"] = float((pred == st).float().mean())
    return out


def override(cfg: ModelConfig, items: list[str]) -> ModelConfig:
    """cfg with KEY=VALUE overrides, each value parsed as the field's type (tuples comma-separated)."""
    out = {}
    for item in items:
        k, _, v = item.partition("=")
        if not hasattr(cfg, k):
            raise SystemExit(f"unknown model setting {k!r} (see engine/models/config.py)")
        cur = getattr(cfg, k)
        if isinstance(cur, tuple):
            out[k] = tuple(type(cur[0])(x) for x in v.split(","))
        elif isinstance(cur, bool):
            out[k] = v.lower() in ("1", "true", "yes")
        else:
            out[k] = type(cur)(v)
    return replace(cfg, **out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.models.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="engine/models/weights/screen.safetensors")
    ap.add_argument("--data", default="out/model-data", help="folder for the generated clips and cached tiles")
    ap.add_argument("--clips", type=int, help="generated training clips (default: the config's)")
    ap.add_argument("--steps", type=int, help="optimiser steps (default: the config's)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a ModelConfig field (config.py), e.g. --set widths=16,24,32 --set lr=0.002")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (a fixed count keeps runs identical; "
                    "one is fastest on a shared 2-core machine)")
    ap.add_argument("--workers", type=int, default=2, help="processes generating clips and cutting tiles")
    ap.add_argument("--eval-clips", type=int, default=12, help="held-out generated clips to evaluate (0: none)")
    ap.add_argument("--eval-data", default=None, help="folder for them (default: DATA/eval)")
    ap.add_argument("--corpus", default=None, help="real recordings with truth to evaluate on (default ../shared/corpus)")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    cfg = override(ModelConfig(), a.set)
    cfg = replace(cfg, **{k: v for k, v in (("clips", a.clips), ("steps", a.steps)) if v is not None})
    t_all = time.perf_counter()
    seeds = D.clip_seeds(a.seed, cfg.clips)
    n_val = max(1, int(round(cfg.val_share * len(seeds)))) if len(seeds) > 1 else 0
    print(f"data: {len(seeds)} clips of {cfg.clip_s:g} s into {a.data} ({n_val} held out for tile metrics)", flush=True)
    t = time.perf_counter()
    tr = D.build(a.data, seeds[: len(seeds) - n_val], cfg, cfg.clip_s, a.workers)
    va = D.build(a.data, seeds[len(seeds) - n_val:], cfg, cfg.clip_s, a.workers) if n_val else None
    t_data = time.perf_counter() - t
    print(f"  {len(tr['clip'])} training tiles, {0 if va is None else len(va['clip'])} held out ({t_data:.0f} s)",
          flush=True)
    t = time.perf_counter()
    net = train(tr, cfg, a.seed)
    t_train = time.perf_counter() - t
    report = {"seed": a.seed, "clips": len(seeds), "tiles": len(tr["clip"]), "params": count_params(net),
              "data_s": round(t_data, 1), "train_s": round(t_train, 1)}
    if va is not None:
        report.update({k: round(v, 4) for k, v in tile_metrics(net, va, cfg).items()})
    model = ScreenModel(net, cfg)
    out = Path(a.out)
    model.save(out, {"train": report})
    print(json.dumps(report), flush=True)
    print(f"wrote {out} ({out.stat().st_size / 1e3:.0f} kB)", flush=True)
    if a.eval_clips or a.corpus != "":
        from . import evaluate
        torch.set_num_threads(1)                 # timed as the engine runs it: one detector thread
        rows = evaluate.run(model, synth_dir=a.eval_data or str(Path(a.data) / "eval"),
                            synth_seeds=list(range(a.eval_clips)), corpus=a.corpus)
        print(evaluate.table(rows))
        evaluate.write(out.with_suffix(".eval.json"), rows, report)
    print(f"done in {time.perf_counter() - t_all:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
