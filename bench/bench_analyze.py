#!/usr/bin/env python
"""Time `analyze` against a plain decode of the same file.

For every file, runs --runs rounds, interleaved so that machine noise hits all three alike:
  (a) decode only: `ffmpeg -threads 2 -i F -f null -`
  (b) the whole CLI: `python -m engine.cli analyze F -o TMP/x` (wall time, start-up included)
  (c) in process: `engine.analyze(F, output_prefix=TMP/y)` after a warm-up (no Python/torch start-up)
then every file in one `analyze` call (as for an archive) against the sum of their decode-only times.
and prints medians, ratios to the decode, frames/s, times real time and peak memory (the children's
ru_maxrss from os.wait4, this process's own ru_maxrss for in-process).

    python bench/bench_analyze.py                       # the 1080x1920 corpus clips ../shared/corpus/P*.mp4
    python bench/bench_analyze.py a.mp4 b.mp4 --runs 3 --json bench/results/run.json --set analysis.device=cuda
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.children import timed  # noqa: E402
from engine.media.ffmpeg import find_ffmpeg  # noqa: E402


def clip_info(path: Path) -> tuple[int, float]:
    """(video frames, duration s), counted from the packets (no decoding)."""
    import av

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        n, last = 0, 0.0
        for pkt in c.demux(s):
            if pkt.size and pkt.pts is not None:
                n += 1
                last = max(last, float(pkt.pts * s.time_base))
        first = float(s.start_time * s.time_base) if s.start_time is not None else 0.0
        rate = float(s.average_rate) if s.average_rate else 30.0
    return n, max(last - first, 0.0) + 1.0 / rate


def decode_only(ffmpeg: str, path: Path) -> list[str]:
    """The bar's reference: ffmpeg decoding the file with 2 threads and writing nothing."""
    return [ffmpeg, "-v", "error", "-nostdin", "-threads", "2", "-i", str(path), "-f", "null", "-"]


def self_maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_file(path: Path, runs: int, ffmpeg: str, overrides: list[str], tmp: Path) -> dict:
    import engine

    frames, duration = clip_info(path)
    dec, cli, inp = [], [], []
    dec_rss = cli_rss = 0.0
    for _ in range(runs):
        w, rss = timed(decode_only(ffmpeg, path))
        dec.append(w)
        dec_rss = max(dec_rss, rss)

        w, rss = timed([sys.executable, "-m", "engine.cli", "analyze", str(path), "-o", str(tmp / "cli" / "x"),
                        *overrides])
        cli.append(w)
        cli_rss = max(cli_rss, rss)

        t0 = time.perf_counter()
        engine.analyze(str(path), output_prefix=str(tmp / "inproc" / "y"), overrides=list(overrides))
        inp.append(time.perf_counter() - t0)
    md, mc, mi = (statistics.median(x) for x in (dec, cli, inp))
    return {"file": str(path), "frames": frames, "duration_s": round(duration, 3),
            "decode_s": dec, "cli_s": cli, "inproc_s": inp,
            "decode_median_s": md, "cli_median_s": mc, "inproc_median_s": mi,
            "inproc_over_decode": mi / md, "cli_over_decode": mc / md,
            "inproc_fps": frames / mi, "inproc_x_realtime": duration / mi, "cli_x_realtime": duration / mc,
            "decode_maxrss_mib": dec_rss, "cli_maxrss_mib": cli_rss, "inproc_maxrss_mib": self_maxrss_mib()}


def bench_batch(files: list[Path], runs: int, ffmpeg: str, overrides: list[str], tmp: Path) -> dict:
    """All files in ONE `analyze` call (an archive: Python and torch start once) against the sum of their
    decode-only times, interleaved round by round."""
    dec, cli = [], []
    rss = 0.0
    for _ in range(runs):
        dec.append(sum(timed(decode_only(ffmpeg, f))[0] for f in files))
        w, r = timed([sys.executable, "-m", "engine.cli", "analyze", *map(str, files), "-o", str(tmp / "batch"),
                      *overrides])
        cli.append(w)
        rss = max(rss, r)
    md, mc = statistics.median(dec), statistics.median(cli)
    return {"files": [str(f) for f in files], "decode_sum_s": dec, "cli_s": cli, "decode_sum_median_s": md,
            "cli_median_s": mc, "cli_over_decode": mc / md, "cli_maxrss_mib": rss}


COLUMNS = [  # (result key, width, format, header)
    ("file", 16, "", "file"), ("frames", 6, "d", "frames"),
    ("decode_median_s", 8, ".2f", "decode s"), ("inproc_median_s", 8, ".2f", "inproc s"),
    ("inproc_over_decode", 7, ".2f", "in/dec"), ("cli_median_s", 7, ".2f", "cli s"),
    ("cli_over_decode", 7, ".2f", "cli/dec"), ("inproc_fps", 6, ".0f", "fps"),
    ("inproc_x_realtime", 6, ".1f", "xRT"), ("cli_x_realtime", 7, ".1f", "xRTcli"),
    ("cli_maxrss_mib", 7, ".0f", "cliMiB"), ("inproc_maxrss_mib", 7, ".0f", "inMiB")]


def print_header() -> None:
    print(" ".join(f"{h:<{w}}" if k == "file" else f"{h:>{w}}" for k, w, _, h in COLUMNS))


def print_row(res: dict) -> None:
    cells = [f"{Path(res[k]).stem[:w]:<{w}}" if k == "file" else f"{res[k]:>{w}{f}}" for k, w, f, _ in COLUMNS]
    print(" ".join(cells), flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help="videos (default: ../shared/corpus/P*.mp4)")
    ap.add_argument("--runs", type=int, default=5, help="rounds per file (default 5)")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                    help="config override passed to both the CLI and engine.analyze (repeatable)")
    ap.add_argument("--json", type=Path, help="write the results (all runs) to this JSON file")
    a = ap.parse_args(argv)
    files = a.files or sorted((ROOT.parent / "shared" / "corpus").glob("P*.mp4"))
    if not files:
        ap.error("no files given and no ../shared/corpus/P*.mp4 found")
    for f in files:
        if not f.is_file():
            ap.error(f"not found: {f}")
    ffmpeg = find_ffmpeg()

    import engine
    import torch

    print(f"ffmpeg: {ffmpeg}\npython {platform.python_version()}, torch {torch.__version__}, "
          f"{os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}, runs {a.runs}, "
          f"overrides {a.overrides or 'none'}", flush=True)
    load0 = os.getloadavg()[0]
    if load0 > 0.5:
        print(f"warning: load average {load0:.2f} before the run: other work is competing for the CPUs",
              flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench_analyze.") as td:
        tmp = Path(td)
        t0 = time.perf_counter()                          # warm-up: imports, torch kernels, file cache
        engine.analyze(str(files[0]), output_prefix=str(tmp / "warm" / "w"), overrides=list(a.overrides))
        print(f"warm-up {time.perf_counter() - t0:.2f} s (medians below; ratios are to the decode)\n")
        print_header()
        for f in files:
            res = bench_file(f, a.runs, ffmpeg, a.overrides, tmp)
            print_row(res)
            results.append(res)
        batch = None
        if len(files) > 1:
            batch = bench_batch(files, a.runs, ffmpeg, a.overrides, tmp)
            print(f"\nall {len(files)} files in one `analyze` call: {batch['cli_median_s']:.2f} s against "
                  f"{batch['decode_sum_median_s']:.2f} s of decode-only (their sum): "
                  f"{batch['cli_over_decode']:.2f}x, peak {batch['cli_maxrss_mib']:.0f} MiB")
    load1 = os.getloadavg()[0]
    print(f"\nload average (1 min): {load0:.2f} before, {load1:.2f} after")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps({"ffmpeg": ffmpeg, "runs": a.runs, "overrides": a.overrides,
                                      "cpus": os.cpu_count(), "python": platform.python_version(),
                                      "loadavg_before_after": [load0, load1],
                                      "files": results, "one_call": batch}, indent=1) + "\n")
        print(f"\nwrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
