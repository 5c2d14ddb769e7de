"""Per-frame evaluation of the screen model on recordings with truth, and its table.

    python -m engine.models.evaluate [--weights W] [--corpus DIR] [--synth N | --synth-seeds 0-50] [--fps 15]

Caret (per analysis frame inside a truth `typing` event; truth = the latest truth.json caret entry at or before
the frame): a detection is a hit when its centre is within one text line of the truth caret's centre, both
across and down (the line's height is the truth caret's height, or its line box's for a caret under 0.4 of
that, like an underline). Recall = typing frames with a hit / typing
frames; precision = hits / typing frames with a detection.
Pointer (generated clips, labels.npz): a hit is within 1.5% of the frame diagonal of the truth hotspot; recall =
hits / frames where the pointer is shown; precision = hits / frames with a detection (all frames).
Speed: the model's own time per analysed frame (decoding and the activity grid excluded), torch threads as set.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .frames import activity_grid, analysis_frames

POINTER_TOL = 0.015          # pointer hit radius, share of the frame diagonal


def run_clip(model, mp4, fps: float = 0.0, batch: int = 16) -> dict:
    """The model over a whole recording, streamed in batches as the engine would: outputs per frame and time."""
    frames, times, factor = analysis_frames(mp4, fps)
    n, h, w = frames.shape
    dev = model.device
    state = model.start(h, w)
    outs, spent = {"caret": [], "pointer": [], "saliency": []}, 0.0
    last = None
    for s in range(0, n, batch):
        y = frames[s : s + batch].to(dev)
        prev = torch.cat([y[:1] if last is None else last, y[:-1]])
        act = activity_grid(y, prev, model.cfg.diff_threshold, model.cfg.cell)
        t0 = time.perf_counter()
        o = model.detect(y, prev, act, times[s : s + batch], state)
        if dev.type == "cuda":
            torch.cuda.synchronize()
        spent += time.perf_counter() - t0
        for k in outs:
            outs[k].append(o[k].cpu())
        last = y[-1:]
    res = {k: torch.cat(v).numpy() for k, v in outs.items()}
    res.update(times=times, factor=factor, seconds=spent, frames=n, frames_shape=(h, w))
    return res


def caret_counts(res: dict, truth: dict) -> dict:
    t, f = res["times"], res["factor"]
    typing = np.zeros(len(t), bool)
    for e in truth["events"]:
        if e["kind"] == "typing":
            typing |= (t >= e["t0"] - 1e-6) & (t <= e["t1"] + 1e-6)
    ct = np.array([c["t"] for c in truth["caret"]]) if truth["caret"] else np.zeros(0)
    k = np.searchsorted(ct, t + 1e-6, side="right") - 1
    ok = typing & (k >= 0)
    boxes = np.array([c["bbox"] for c in truth["caret"]], np.float64).reshape(-1, 4)
    box = boxes[np.clip(k, 0, None)] if len(boxes) else np.zeros((len(t), 4))
    tc = box[:, :2] + box[:, 2:] / 2
    c = res["caret"].astype(np.float64)
    dc = np.stack([(c[:, 0] + c[:, 2]) / 2, (c[:, 1] + c[:, 3]) / 2], 1) * f
    det = c[:, 4] > 0
    lines = np.array([c["line"] for c in truth["caret"]], np.float64).reshape(-1, 4)
    line_h = lines[np.clip(k, 0, None), 3] if len(lines) else np.ones(len(t))
    # one text line: the caret's height, or the line's for a caret much shorter than its line (an underline)
    line = np.maximum(np.where(box[:, 3] >= 0.4 * line_h, box[:, 3], line_h), 1.0)
    hit = det & (np.abs(dc - tc).max(1) <= line)
    return {"typing": int(ok.sum()), "caret_det": int((det & ok).sum()), "caret_hit": int((hit & ok).sum())}


def pointer_counts(res: dict, labels: dict, width: int, height: int) -> dict:
    from .data import label_rows
    rows = label_rows(labels["t"], res["times"])
    shown = labels["pointer_style"][rows] > 0
    hot = labels["pointer"][rows, :2].astype(np.float64)
    p = res["pointer"].astype(np.float64)
    det = p[:, 2] > 0
    d = np.hypot(p[:, 0] * res["factor"] - hot[:, 0], p[:, 1] * res["factor"] - hot[:, 1])
    hit = det & shown & (d <= POINTER_TOL * np.hypot(width, height))
    return {"shown": int(shown.sum()), "pointer_det": int(det.sum()), "pointer_hit": int(hit.sum())}


def evaluate_clip(model, mp4, fps: float = 0.0) -> dict:
    mp4 = Path(mp4)
    truth = json.loads(mp4.with_name(mp4.name[:-4] + ".truth.json").read_text())
    res = run_clip(model, mp4, fps)
    row = {"clip": mp4.stem, "frames": res["frames"], "ms_per_frame": 1e3 * res["seconds"] / max(1, res["frames"])}
    row.update(caret_counts(res, truth))
    lab = mp4.with_name(mp4.name[:-4] + ".labels.npz")
    if lab.exists():
        from .data import load_labels
        row.update(pointer_counts(res, load_labels(mp4), truth["width"], truth["height"]))
    return row


def run(model, synth_dir=None, synth_seeds=(), corpus=None, fps: float = 0.0, seconds: float = 20.0,
        log=print) -> list[dict]:
    """Rows per clip: the corpus (default ../shared/corpus when present; '' = none) and generated clips of
    `synth_seeds` (made in synth_dir if missing), then a total row per set."""
    rows = []
    if corpus is None:
        c = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
        corpus = str(c) if c.is_dir() else ""
    if corpus:
        set_rows = [dict(evaluate_clip(model, p, fps), set="corpus") for p in sorted(Path(corpus).glob("*.mp4"))]
        rows += set_rows + ([_total(set_rows, "corpus")] if set_rows else [])
    if synth_seeds:
        from .data import generate
        set_rows = []
        for s in synth_seeds:
            mp4 = generate(Path(synth_dir) / f"eval_{s}", s, seconds)
            set_rows.append(dict(evaluate_clip(model, mp4, fps), set="synth"))
        rows += set_rows + [_total(set_rows, "synth")]
    return rows


def _total(rows: list[dict], name: str) -> dict:
    tot = {"set": name, "clip": f"ALL {name}"}
    for k in ("frames", "typing", "caret_det", "caret_hit", "shown", "pointer_det", "pointer_hit"):
        if any(k in r for r in rows):
            tot[k] = sum(r.get(k, 0) for r in rows)
    tot["ms_per_frame"] = sum(r["ms_per_frame"] * r["frames"] for r in rows) / max(1, tot["frames"])
    return tot


def _ratio(a, b):
    return a / b if b else float("nan")


def table(rows: list[dict]) -> str:
    head = f"{'clip':<22} {'frames':>6} {'typing':>6} {'caret P':>8} {'caret R':>8} {'shown':>6} {'ptr P':>7} {'ptr R':>7} {'ms/frame':>9}"
    lines = [head, "-" * len(head)]
    for r in rows:
        cp, cr = _ratio(r["caret_hit"], r["caret_det"]), _ratio(r["caret_hit"], r["typing"])
        pp = _ratio(r.get("pointer_hit", 0), r.get("pointer_det", 0)) if "shown" in r else float("nan")
        pr = _ratio(r.get("pointer_hit", 0), r.get("shown", 0)) if "shown" in r else float("nan")
        f = lambda v: "     -" if v != v else f"{v:.3f}"
        lines.append(f"{r['clip']:<22} {r['frames']:>6} {r['typing']:>6} {f(cp):>8} {f(cr):>8} "
                     f"{r.get('shown', 0) if 'shown' in r else '-':>6} {f(pp):>7} {f(pr):>7} {r['ms_per_frame']:>9.3f}")
    return "\n".join(lines)


def write(path, rows: list[dict], extra: dict | None = None) -> None:
    Path(path).write_text(json.dumps({"rows": rows, **(extra or {})}, indent=1))


def _seeds(s: str) -> list[int]:
    out = []
    for part in s.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b) + 1)) if b else [int(a)]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.models.evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", default=None, help="safetensors file (default: the shipped weights)")
    ap.add_argument("--corpus", default=None, help="folder of NAME.mp4 + NAME.truth.json ('' = none; default ../shared/corpus)")
    ap.add_argument("--synth-seeds", default="", help="generated clips to evaluate, e.g. 0-50 (seeds < 10000)")
    ap.add_argument("--synth-data", default="out/model-data/eval", help="where generated clips are made / found")
    ap.add_argument("--fps", type=float, default=0.0, help="analysis rate (0: every frame, as the engine default)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--json", default=None, help="write the rows here")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    from .screen import ScreenModel
    model = ScreenModel.load(a.weights, device=a.device)
    seeds = _seeds(a.synth_seeds) if a.synth_seeds else []
    if any(s >= 10000 for s in seeds):
        print("evaluation seeds must be below 10000 (training uses 100000 and up)", file=sys.stderr)
        return 2
    rows = run(model, a.synth_data, seeds, a.corpus, a.fps)
    print(table(rows))
    if a.json:
        write(a.json, rows, {"fps": a.fps, "threads": a.threads, "weights": a.weights or "shipped"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
