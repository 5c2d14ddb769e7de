#!/usr/bin/env python3
"""Check and time the CUDA path in one go (a few minutes on one GPU):

    screendirector bench gpu [--corpus DIR] [--clip FILE] [--json FILE] [--streams 1,4,8] [--no-render]
                             [--device cuda|cpu]

1. NVDEC decode-only throughput on a 1080p clip (the corpus's first 1920x1080 / 1080x1920 clip; generated with
   engine.synth when there is none): frames/s and times real time.
2. Analysis throughput with 1, 4 and 8 streams at once (one process each, started together after warming up):
   frames/s, times real time for the GPU, and the 1-stream rate against NVDEC decode-only; and one stream with
   the learned model's tracker settled on the host (`model.settle_on_host`: waits per batch, fewer kernels).
3. CPU against CUDA segments.json on every corpus clip: identical (but for the made_by block: its config hash
   records the device), or the largest difference of a number in it.
   Three pairs: the defaults (cpu / cuda: nvdec), the detectors alone (cpu / cuda with the PyAV decoder), the
   decoders alone (cpu decoding every frame with the loop filter, as NVDEC does / cuda: nvdec).
4. NVENC present or not (render/encoders.py's test encodes) and the render path taken, with one render's time.
A table on the terminal; everything in a JSON file (default out/bench_gpu.json). `--device cpu` rehearses all of it
on the CPU (no NVDEC figure; CPU against CPU): the figures mean nothing, but a GPU's time is not spent finding out
that the bench itself breaks.

Exit codes: 0 done (the figures say whether the bars are met); 69 no CUDA GPU here (said in one line, at once);
2 bad arguments.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NO_GPU = 69                      # exit code: no CUDA GPU (sysexits' EX_UNAVAILABLE)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="screendirector bench gpu", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"), help="folder of .mp4 clips")
    ap.add_argument("--clip", help="the 1080p clip for the throughput figures (default: from the corpus)")
    ap.add_argument("--json", default=str(ROOT / "out" / "bench_gpu.json"), help="where the figures go")
    ap.add_argument("--streams", default="1,4,8", help="streams analysed at once, comma-separated")
    ap.add_argument("--no-render", action="store_true", help="skip the timed render")
    ap.add_argument("--device", default="cuda", help="cuda (the check); cpu rehearses every step on the CPU with "
                    "the same code (the PyAV decoder, no NVDEC figure): the figures mean nothing, the run shows the "
                    "bench itself works before a GPU's scarce time is spent on it")
    a = ap.parse_args(argv)
    import torch
    if a.device == "cpu":
        return _report(a, torch, {"gpu": "none (rehearsal on the CPU)", "torch": torch.__version__,
                                  "cuda": torch.version.cuda, "nvdec": "not used (rehearsal)"})
    if a.device != "cuda":
        ap.error(f"--device: cuda or cpu, not {a.device!r}")
    if not torch.cuda.is_available():
        print(f"screendirector bench gpu: no CUDA GPU here (torch {torch.__version__}, built for CUDA "
              f"{torch.version.cuda or 'none'}): nothing to check; exit {NO_GPU}", file=sys.stderr)
        return NO_GPU
    from engine.media import nvdec
    return _report(a, torch, {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__,
                              "cuda": torch.version.cuda, "nvdec": nvdec.NvdecDecoder.why_not("cuda") or "available"})


def _report(a, torch, report: dict) -> int:
    """Every step on a.device; the table on the terminal, the figures in a.json."""
    from engine.media import nvdec
    dev = a.device
    t0 = time.perf_counter()
    corpus = sorted(Path(a.corpus).glob("*.mp4")) if Path(a.corpus).is_dir() else []
    clip = Path(a.clip) if a.clip else _clip_1080p(corpus)
    report["clip"] = str(clip)
    report["decode"] = _decode_only(clip) if dev == "cuda" and nvdec.NvdecDecoder.available("cuda") else None
    report["streams"] = [_streams(clip, int(n), dev) for n in a.streams.split(",")]
    # the learned model's tracker settled on the host instead (waits per batch, fewer kernels): which is faster
    report["host_settle"] = _streams(clip, 1, dev, ["model.settle_on_host=true"])
    report["corpus"] = _corpus(corpus, Path(a.json).with_suffix(""), dev) if corpus else []
    report["render"] = _render(clip, Path(a.json).with_suffix(""), not a.no_render, dev)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps(report, indent=2) + "\n")
    print(table(report))
    print(f"\nwrote {a.json} ({report['seconds']} s)")
    return 0


def _clip_1080p(corpus: list[Path]) -> Path:
    import engine
    for p in corpus:
        i = engine.media.probe(p)
        if sorted(i.display_size) == [1080, 1920]:
            return p
    from engine.synth import generate_clip
    from engine.synth.params import Style
    stem = ROOT / "out" / "bench_gpu" / "synth_1080p"
    if not stem.with_suffix(".mp4").exists():
        generate_clip(stem, seed=0, form="desktop", app="editor", seconds=30, style=Style(size=(1920, 1080)))
    return stem.with_suffix(".mp4")


def _decode_only(clip: Path) -> dict:
    """NVDEC alone: every picture decoded into GPU memory and its Y plane taken (no reduction, no grid)."""
    import torch

    import engine
    from engine.media import nvdec
    info = engine.media.probe(clip)
    times, _ = nvdec.stream_times(info)
    dec = nvdec.NvdecDecoder()
    best = None
    for _ in range(2):                                    # the first run pays for the decoder's start
        torch.cuda.synchronize()
        t = time.perf_counter()
        n = sum(1 for _ in dec._planes(info, times, torch.device("cuda")))
        torch.cuda.synchronize()
        s = time.perf_counter() - t
        best = s if best is None else min(best, s)
    return {"frames": n, "seconds": round(best, 3), "fps": round(n / best, 1),
            "x_realtime": round(info.duration / best, 1)}


def _one_stream(clip: str, dev: str, overrides: list[str], barrier, out) -> None:
    """A worker: analyse once to warm up, wait for the others, analyse again timed."""
    try:
        import torch

        import engine
        sync = torch.cuda.synchronize if dev == "cuda" else (lambda: None)
        engine.analyze(clip, overrides=overrides, write=False)
        sync()
        barrier.wait(timeout=300)
        t = time.perf_counter()
        engine.analyze(clip, overrides=overrides, write=False)
        sync()
        out.put((t, time.perf_counter()))
    except BaseException as e:              # reported in the table; the others stop waiting
        barrier.abort()
        out.put(f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")


def _streams(clip: Path, n: int, dev: str, extra: list[str] = ()) -> dict:
    import multiprocessing as mp

    import engine
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(n), ctx.Queue()
    overrides = [f"analysis.device={dev}", "analysis.progress=false", *extra]
    procs = [ctx.Process(target=_one_stream, args=(str(clip), dev, overrides, barrier, out)) for _ in range(n)]
    for p in procs:
        p.start()
    spans = [out.get(timeout=600) for _ in range(n)]
    for p in procs:
        p.join()
    errors = [s for s in spans if isinstance(s, str)]
    if errors:
        return {"streams": n, "error": errors[0]}
    info = engine.media.probe(clip)
    wall = max(b for _, b in spans) - min(a for a, _ in spans)
    return {"streams": n, "seconds": round(wall, 3), "fps": round(n * info.frames / wall, 1),
            "x_realtime": round(n * info.duration / wall, 1)}


RUNS = {"cpu": ["analysis.device=cpu"],
        "cpu_full": ["analysis.device=cpu", "analysis.skip_nonref=false", "analysis.fast_decode=false"],
        "cuda_pyav": ["analysis.device=cuda", "analysis.decoder=pyav"],
        "cuda": ["analysis.device=cuda"]}
PAIRS = [("cpu", "cuda", "defaults"), ("cpu", "cuda_pyav", "detectors"), ("cpu_full", "cuda", "decoders")]


def _corpus(clips: list[Path], out: Path, dev: str) -> list[dict]:
    jobs = [(c, run) for c in clips for run in RUNS]

    def one(job):
        c, run = job
        prefix = out / run / c.stem
        over = [o.replace("=cuda", f"={dev}") for o in RUNS[run]]       # the rehearsal: cpu for cuda
        r = subprocess.run([sys.executable, "-m", "engine.cli", "analyze", str(c), "-o", str(prefix), "-q",
                            "analysis.progress=false", *over], capture_output=True, text=True, cwd=ROOT)
        return (c.stem, run), (prefix.with_name(prefix.name + ".segments.json") if r.returncode == 0
                               else r.stderr.strip().splitlines()[-1:])

    with ThreadPoolExecutor(max(1, min(len(jobs), (os.cpu_count() or 2) // 2))) as pool:
        done = dict(pool.map(one, jobs))
    rows = []
    for c in clips:
        for a, b, what in PAIRS:
            pa, pb = done[(c.stem, a)], done[(c.stem, b)]
            if not isinstance(pa, Path) or not isinstance(pb, Path):
                rows.append({"clip": c.stem, "pair": what, "error": str(pa if not isinstance(pa, Path) else pb)})
                continue
            rows.append({"clip": c.stem, "pair": what, **compare(pa.read_bytes(), pb.read_bytes())})
    return rows


def compare(a: bytes, b: bytes) -> dict:
    """Two segments.json: identical, or whether their shapes agree and the largest difference of a number. The
    `made_by` block is left out: its config hash records the device and the decoder, which always differ here."""
    x, y = (_decided(json.loads(v)) for v in (a, b))
    if x == y:
        return {"identical": True, "max_diff": 0.0, "same_shape": True}
    diffs: list[float] = []
    same = _walk(x, y, diffs)
    return {"identical": False, "max_diff": max(diffs, default=0.0), "same_shape": same}


def _decided(doc):
    """What an output decides: all but its provenance."""
    return {k: v for k, v in doc.items() if k != "made_by"} if isinstance(doc, dict) else doc


def _walk(x, y, diffs: list[float]) -> bool:
    if isinstance(x, bool) or isinstance(y, bool) or isinstance(x, str) or x is None:
        return x == y
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        diffs.append(abs(float(x) - float(y)))
        return True
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all([_walk(x[k], y[k], diffs) for k in x])
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all([_walk(p, q, diffs) for p, q in zip(x, y)])
    return False


def _render(clip: Path, out: Path, timed: bool, dev: str) -> dict:
    import engine
    from engine.media.ffmpeg import find_ffmpeg
    from engine.render import encoders
    cfg = engine.load_config([])
    ff = find_ffmpeg(cfg.render.ffmpeg)
    nvenc, why = encoders.nvenc_works(ff)
    enc = encoders.choose(ff, str(cfg.render.encoder), bool(cfg.render.scale_cuda))
    got = {"nvenc": nvenc, "nvenc_test": why, "encoder": enc.name, "scale_cuda": enc.scale_cuda, "path": enc.why}
    if timed:
        prefix = out / "render" / clip.stem
        r = subprocess.run([sys.executable, "-m", "engine.cli", "direct", str(clip), "-o",
                            str(prefix.with_suffix(".mp4")), "--force", "-q", f"analysis.device={dev}"],
                           capture_output=True, text=True, cwd=ROOT)
        got["render"] = "ok" if r.returncode == 0 else (r.stderr.strip().splitlines() or ["failed"])[-1]
        sh = prefix.with_name(prefix.name + ".command.sh")
        got["command_sh_path"] = next((ln for ln in sh.read_text().splitlines() if ln.startswith("# render path")),
                                      "") if sh.exists() else ""
    return got


def table(r: dict) -> str:
    lines = [f"GPU {r['gpu']} (torch {r['torch']}, CUDA {r['cuda']}); nvdec: {r['nvdec']}; clip {Path(r['clip']).name}",
             "", f"{'what':<34}{'frames/s':>10}{'x real time':>13}{'s':>8}"]
    d = r["decode"]
    if d:
        lines.append(f"{'NVDEC decode-only':<34}{d['fps']:>10}{d['x_realtime']:>13}{d['seconds']:>8}")
    for s in r["streams"]:
        if "error" in s:
            lines.append(f"{'analysis, %d stream(s) at once' % s['streams']:<34}  error: {s['error']}")
            continue
        lines.append(f"{'analysis, %d stream(s) at once' % s['streams']:<34}{s['fps']:>10}{s['x_realtime']:>13}"
                     f"{s['seconds']:>8}")
    h = r.get("host_settle") or {}
    if "fps" in h:
        lines.append(f"{'  1 stream, model settled on host':<34}{h['fps']:>10}{h['x_realtime']:>13}{h['seconds']:>8}")
    if d and r["streams"]:
        one = next((s for s in r["streams"] if s["streams"] == 1 and "fps" in s), None)
        if one:
            lines.append(f"analysis (1 stream) / decode-only: {one['fps'] / d['fps']:.0%} (bar: >= 90%)")
    best = max((s["x_realtime"] for s in r["streams"] if "x_realtime" in s), default=0)
    lines.append(f"best analysis throughput: {best}x real time per GPU (bar: >= 200x)")
    if r["corpus"]:
        lines += ["", f"{'clip':<14}{'pair':<11}{'identical':>10}{'same shape':>12}{'max diff':>10}"]
        for c in r["corpus"]:
            if "error" in c:
                lines.append(f"{c['clip']:<14}{c['pair']:<11}  error: {c['error']}")
            else:
                lines.append(f"{c['clip']:<14}{c['pair']:<11}{str(c['identical']):>10}{str(c['same_shape']):>12}"
                             f"{c['max_diff']:>10.4g}")
    g = r["render"]
    lines += ["", f"NVENC: {'present' if g['nvenc'] else 'absent'} ({g['nvenc_test']}); render path: {g['path']}"]
    if "render" in g:
        lines.append(f"render: {g['render']}; command.sh says: {g['command_sh_path'] or '(nothing)'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
