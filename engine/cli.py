"""The `screendirector` command."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from .errors import EXIT_CODES, UserError

DESCRIPTION = """\
screendirector directs a screen recording from its pixels: it finds the typing (the caret and its line),
scrolling, popups and new windows, ignores ambient change (clocks, spinners, blinking carets, on-screen
keyboards), and plans a smooth camera: WIDE -> FOCUS_IN (slow push-in) -> HOLD -> RELEASE (quick ease back).
"""

ANALYZE_EPILOG = """\
outputs (PREFIX from -o, default: beside the input as NAME.director):
  PREFIX.segments.json   the edit decision list: shots with mode, window and reason
  PREFIX.camera.json     the camera: one [t, x, y, w, h, tilt] window per output frame (source px)
  PREFIX.features.npz    per-frame features; re-direct without decoding: --features PREFIX.features.npz

several recordings in one run (an archive: start-up is paid once, a failed one does not stop the rest):
  screendirector analyze a.mp4 b.mp4 recordings/ -o out/    # out/a.*, out/b.*, out/NAME.* for each video in recordings/

main overrides (key=value, after the options; `screendirector config` prints them all):
  analysis.long_side=480        analysis resolution, long side (px)
  analysis.device=cpu           torch device for the detectors (cpu, cuda)
  features.diff_threshold=16    luma change that counts as a changed pixel (0-255 levels)
  features.detectors=[change,caret_heuristic,control,scroll,layout]   detectors run, by name (this: without the learned model; default [change,model,control,scroll,layout])
  director.min_window=0.45      tightest window, share of the frame (0-1); preset=aggressive sets 0.42
  director.hold_s=0.5           shortest hold before the camera may move on (s)
  director.focus_in_s=0.5       push-in duration (s)
  director.release_s=0.25       release duration (s)
  output.size=source            output size WxH, e.g. 1080x1920 or 886x1920 (the camera reframes to it)
  output.pad=blur               a subject wider than the output's window: blur, color (output.pad_color) or none
  look=flat|tilt|tilt-follow    the static tilt, or a tilt that follows the shot (render)
  preset=subtle|aggressive|documentary   a set of overrides (`screendirector presets` says what each sets)

exit codes:
""" + "\n".join(f"  {k:<4} {v}" for k, v in EXIT_CODES.items())


RENDER_NOTES = """\
render overrides (key=value):
  look=flat|tilt                the plain moving camera, or the cinematic tilt on top of it (886x1920 from 1080x1920)
  render.encoder=auto           auto (NVENC when a test encode works, else libx264), libx264, h264_nvenc
  render.crf=18                 libx264 quality (0-51, lower is better)
  render.preset=medium          libx264 preset
  render.interpolation=linear   window sampling: linear or cubic
  render.ffmpeg=PATH            the ffmpeg to run (default: $SCREENDIRECTOR_FFMPEG, the system's, imageio-ffmpeg's)
"""

DIRECT_EPILOG = """\
outputs (OUT.mp4 from -o; the others share its name):
  OUT.mp4             the directed video, audio copied, same frame rate and length as the input
  OUT.command.sh      the exact ffmpeg command that made it (sh OUT.command.sh [OTHER.mp4] makes it again)
  OUT.filter.txt      the filter script that command reads (the camera as per-frame expressions)
  OUT.segments.json, OUT.camera.json, OUT.features.npz   as `screendirector analyze` writes them

""" + RENDER_NOTES + "\nevery analysis override works too (see `screendirector analyze --help`).\n\nexit codes:\n" + \
    "\n".join(f"  {k:<4} {v}" for k, v in EXIT_CODES.items())

RENDER_EPILOG = """\
the track must fit the video: same size, windows inside the frame with the output's aspect, times increasing;
otherwise the error names the frame and field. Writes OUT.mp4, OUT.command.sh and OUT.filter.txt.

""" + RENDER_NOTES + "\nexit codes:\n" + "\n".join(f"  {k:<4} {v}" for k, v in EXIT_CODES.items())


PLAN_EPILOG = """\
the EDL (segments.json, version 2) is the camera's only input: each focus_in or release moves the camera, over
its settle_s, to the window (roi, source px) of the hold or wide after it; hold and wide never move it. Edit a
roi, a boundary (t1 of one segment and t0 of the next) or a settle_s, then plan (or render --segments). The
output size and rate are the EDL's (output); output.size (same aspect) and output.fps override them.
An unedited EDL gives the camera.json analyze wrote, byte for byte.

exit codes:
""" + "\n".join(f"  {k:<4} {v}" for k, v in EXIT_CODES.items())


BATCH_EPILOG = """\
inputs: video files; folders (searched recursively: OUT mirrors their tree, DIR/sub/a.mp4 -> OUT/sub/a.*);
manifests (.csv with a `path` column, or .jsonl lines {"path": ..., "overrides": {...}}): paths relative to the
manifest, an optional `output` column naming the prefix under OUT, every other column a key=value override
for that file alone.

outputs, per input: OUT/REL/NAME.segments.json, .camera.json, .features.npz, .provenance.json (version, config
and its hash, the input's size and sha256, each output's sha256); with --render NAME.mp4, .command.sh, .filter.txt.
OUT/batch.sqlite keeps every input's state; OUT/report.json and OUT/report.csv have a row per input.

resume: run the same command again. Done inputs are skipped unless the input (size, mtime, then sha256) or
its resolved config changed; failed ones are retried with --retry-failed. A killed run (even SIGKILL) keeps
everything it finished and leaves no partial file under a final name.

batch settings (key=value): batch.workers=0 (0: one per 2 cores), batch.executor=local|inline|ray,
batch.ray_address=null (a local Ray instance), batch.rehash=false; `screendirector config` shows them all.

exit codes:
  0    every input is done
  17   at least one input failed (each is in OUT/report.csv with its one-line reason and exit code)
  18   batch.executor=ray without Ray installed (pip install 'screendirector[ray]')
  19   another batch run is using OUT
  2, 3, 8, 9   bad command line or manifest, no inputs, OUT not writable, bad global override
  130  interrupted (Ctrl-C): finished inputs are kept; run the same command to resume
"""

REVIEW_EPILOG = """\
serves a page listing every recording of the run in OUT_DIR: the raw recording (when the run's provenance,
report.json or command.sh names it) beside the directed video, playing in sync; the shots with their reasons;
scores (../shared/METRICS.md) when NAME.truth.json lies beside the raw recording; and editing: drag a shot
boundary, change or delete a shot, then Save writes OUT_DIR/NAME.edited.segments.json, re-plans
NAME.edited.camera.json and re-renders NAME.edited.mp4 (the run's own files and the raw recording are never
changed). Only OUT_DIR's own files are served.

exit codes: 0 stopped with Ctrl-C; 2 the port cannot be listened on; 3 no such folder, or no recordings in it
"""


PREVIEW_EPILOG = """\
outputs (OUT.mp4 from -o, default: beside the input as NAME.preview.mp4):
  OUT.mp4            left: the recording with what was detected drawn on it (regions of change: orange, slow
                     change: purple, caret: cyan, pointer: magenta cross, the camera's window: green, the shot's
                     state and reason: top left); right: the directed video. One encode, the camera's frame rate.
  OUT.timeline.png   the shots as bands, zoom and pan over time, and when each thing was detected
  OUT.segments.json, OUT.camera.json, OUT.features.npz   as `screendirector analyze` writes them (not with --from)

from an earlier run: --from PREFIX draws PREFIX.features.npz, .segments.json and .camera.json (what
`analyze -o PREFIX` wrote, or `direct -o PREFIX.mp4`; --from PREFIX.mp4 works too) without analysing again.

preview settings (key=value): preview.height=960 (px), preview.crf, preview.preset, preview.colors.*;
render and look overrides shape the directed half as they shape `direct`'s video.

exit codes:
""" + "\n".join(f"  {k:<4} {v}" for k, v in EXIT_CODES.items())


# `screendirector bench TOOL ...` -> bench/<module>.py:<function>(argv) of a checkout
BENCH_TOOLS = {
    "quality": ("quality", "quality", "score every clip of a corpus folder against its truth (table + JSON)"),
    "compare": ("quality", "compare", "what changed between two `bench quality --json` runs"),
    "speed": ("speed", "main", "analysis vs ffmpeg decode-only and render vs the static tilt chain, one run"),
    "analysis-speed": ("bench_analyze", "main", "analysis time against ffmpeg decode-only, peak memory"),
    "render-speed": ("bench_render", "main", "render time against the user's static tilt chain alone"),
    "scaling": ("scaling", "main", "time and peak memory of 1, 5 and 20 minutes of generated recording"),
    "synth": ("synth", "main", "generate a synthetic corpus with exact truth"),
    "sweep": ("sweep", "main", "detector variants in hydra sweep syntax, scored, decoded once"),
    "wheel": ("wheel_check", "main", "build the wheel, install it in a fresh venv with constraints.txt, run batch"),
    "retime": ("retime", "main", "each corpus clip at 60 and 10 fps, thinned to VFR, with duplicated runs, scored"),
    "gpu": ("gpu", "main", "the CUDA path checked and timed: NVDEC, 1/4/8 streams, CPU vs CUDA outputs, NVENC (exit 69: no GPU)"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)


def _logging_options(p: argparse.ArgumentParser, default) -> None:
    p.add_argument("-v", "--verbose", action="store_true", default=default,
                   help="debug logging to stderr (what was probed, chosen and run, with timings)")
    p.add_argument("--log-file", metavar="PATH", default=default, help="append a debug log to PATH")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="screendirector", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
                epilog="run `screendirector analyze --help` for the outputs, overrides and exit codes")
    p.add_argument("--version", action="version", version="screendirector " + _version())
    _logging_options(p, None)
    common = argparse.ArgumentParser(add_help=False)     # the same options after the subcommand
    _logging_options(common, argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add = sub.add_parser
    sub.add_parser = lambda *a, **kw: _add(*a, parents=[common], **kw)
    a = sub.add_parser("analyze", help="find the activity and plan the camera (segments, camera, features)",
                       description=DESCRIPTION, epilog=ANALYZE_EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("inputs", nargs="*", metavar="VIDEO|key=value",
                   help="the recording(s) (mp4, mov, mkv, webm, ...; a folder means the videos in it), "
                        "then config overrides (see below)")
    a.add_argument("-o", "--output", metavar="PREFIX|DIR",
                   help="one recording: output path prefix, e.g. out/rec -> out/rec.camera.json; "
                        "several: the folder their outputs go to, as DIR/NAME.*")
    a.add_argument("--features", metavar="NPZ", help="re-run director and camera from saved features (no decoding)")
    a.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    d = sub.add_parser("direct", help="analyse and render in one go: the directed video and every analysis output",
                       description=DESCRIPTION, epilog=DIRECT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    d.add_argument("video", help="the recording")
    d.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides (see below)")
    d.add_argument("-o", "--output", metavar="OUT.mp4", help="the directed video (default: beside the input as NAME.director.mp4)")
    d.add_argument("--segments", metavar="SEGMENTS.json",
                   help="skip the analysis: plan the camera from this (edited) EDL, write OUT.camera.json, render")
    d.add_argument("--force", action="store_true", help="replace an existing output video")
    d.add_argument("-q", "--quiet", action="store_true", help="no progress bars and no summary lines")
    r = sub.add_parser("render", help="render a saved (or hand-edited) camera track into the directed video",
                       description=DESCRIPTION, epilog=RENDER_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("video", help="the recording the track was made for")
    r.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides (look=tilt, render.crf=...)")
    r.add_argument("--camera", metavar="CAMERA.json", help="the camera track (camera.json)")
    r.add_argument("--segments", metavar="SEGMENTS.json",
                   help="instead of --camera: plan the camera from this EDL (segments.json, as edited)")
    r.add_argument("-o", "--output", required=True, metavar="OUT.mp4", help="the directed video to write")
    r.add_argument("--force", action="store_true", help="replace an existing output video")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    pl = sub.add_parser("plan", help="plan the camera from an EDL alone (segments.json, edited or not): camera.json",
                        description=DESCRIPTION, epilog=PLAN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    pl.add_argument("segments", metavar="SEGMENTS.json", help="the EDL (PREFIX.segments.json, as analyze wrote or you edited it)")
    pl.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides (camera.*, output.size, output.fps)")
    pl.add_argument("-o", "--output", required=True, metavar="PREFIX", help="writes PREFIX.camera.json")
    pl.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    pv = sub.add_parser("preview", help="what the engine saw, drawn on the recording beside the directed video, "
                        "and a timeline PNG", description=DESCRIPTION, epilog=PREVIEW_EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    pv.add_argument("video", help="the recording")
    pv.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides (preview.*, look, render.*, ...)")
    pv.add_argument("-o", "--output", metavar="OUT.mp4",
                    help="the preview video (default: beside the input as NAME.preview.mp4); the timeline is OUT.timeline.png")
    pv.add_argument("--from", dest="from_prefix", metavar="PREFIX",
                    help="draw an earlier analyze/direct's PREFIX.features.npz, .segments.json, .camera.json (no analysis)")
    pv.add_argument("--force", action="store_true", help="replace an existing preview video")
    pv.add_argument("-q", "--quiet", action="store_true", help="no progress bars and no summary lines")
    bt = sub.add_parser("batch", help="an archive: many recordings into one folder, resumable, with a report",
                        description=DESCRIPTION, epilog=BATCH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    bt.add_argument("inputs", nargs="*", metavar="INPUT|key=value",
                    help="videos, folders and manifests (.csv, .jsonl), then config overrides for all of them")
    bt.add_argument("-o", "--output", required=True, metavar="OUT", help="the output folder (it keeps the run's state)")
    bt.add_argument("--workers", type=int, metavar="N", help="recordings at once (default: batch.workers)")
    bt.add_argument("--render", action="store_true", help="render each directed video too (OUT/REL/NAME.mp4)")
    bt.add_argument("--retry-failed", action="store_true", help="run the inputs that failed before again")
    bt.add_argument("-q", "--quiet", action="store_true", help="no progress lines and no summary table")
    rv = sub.add_parser("review", help="a page on localhost for a run: raw beside directed, the shots, scores, editing",
                        description=DESCRIPTION, epilog=REVIEW_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    rv.add_argument("folder", metavar="OUT_DIR", help="the folder a `batch` or `direct` run wrote")
    rv.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    rv.add_argument("--port", type=int, default=8765, help="the port (default 8765; 0: any free port)")
    m = sub.add_parser("demo", help="make a sample phone recording, direct it, and say what to open")
    m.add_argument("folder", nargs="?", default="out/demo", help="where to put everything (default out/demo)")
    m.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides, e.g. look=tilt")
    b = sub.add_parser("bench", help="benchmarks (from a checkout): quality, compare, speed, render-speed, synth, sweep",
                       add_help=False)
    b.add_argument("tool", nargs="?", help=", ".join(BENCH_TOOLS))
    b.add_argument("rest", nargs=argparse.REMAINDER)
    sub.add_parser("presets", help="the presets (preset=NAME) and what each changes, read from configs/preset")
    s = sub.add_parser("sample", help="write a short synthetic phone recording (typing, then a popup) to try")
    s.add_argument("path", nargs="?", default="out/sample.mp4", help="where to write it (default out/sample.mp4)")
    c = sub.add_parser("config", help="print the full resolved config (with any overrides)")
    c.add_argument("overrides", nargs="*", metavar="key=value")
    v = sub.add_parser("version", help="the tool's version; --all: Python, torch, PyAV, ffmpeg, encoders, devices")
    v.add_argument("--all", action="store_true", help="everything a bug report needs")
    return p


def _version() -> str:
    from . import __version__
    return __version__


def main(argv=None) -> int:
    # key=value overrides may come anywhere after the subcommand, before or after the options
    args, extra = build_parser().parse_known_args(argv)
    unknown = [] if args.command == "bench" else [x for x in extra if "=" not in x or x.startswith("-")]
    if unknown:
        print(f"screendirector: error: unrecognized arguments: {' '.join(unknown)}", file=sys.stderr)
        return 2
    if extra and hasattr(args, "overrides"):
        args.overrides = list(args.overrides) + extra
    if extra and hasattr(args, "inputs"):
        args.inputs = list(args.inputs) + extra
    if args.command is None:
        build_parser().print_help()
        return 2
    try:
        from .diagnostics import setup_logging
        setup_logging(bool(args.verbose), args.log_file)
        logging.getLogger("engine.cli").debug("screendirector %s: %s", _version(), " ".join(map(repr, sys.argv)))
        if args.command == "version":
            from .diagnostics import report
            print("\n".join(report(args.all)))
            return 0
        from .config import load_config
        if args.command == "config":
            from omegaconf import OmegaConf
            print(OmegaConf.to_yaml(load_config(args.overrides)), end="")
            return 0
        if args.command == "presets":
            from .presets import listing
            print(listing(), end="")
            return 0
        if args.command == "sample":
            return _sample(args.path)
        if args.command == "bench":
            return _bench(args.tool, list(args.rest) + list(extra))
        if args.command == "batch":
            return _batch(args)
        if args.command == "review":
            from .review import serve
            return serve(args.folder, args.host, args.port)
        if args.command in ("direct", "render", "demo", "plan", "preview"):
            from .commands import demo, direct, plan, preview, render
            return {"direct": direct, "render": render, "demo": demo, "plan": plan,
                    "preview": preview}[args.command](args)
        from .commands import analyze
        return analyze(args)
    except UserError as e:              # one line, even when a file name holds a newline
        print("screendirector: error: " + str(e).replace("\r", "\\r").replace("\n", "\\n"), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("screendirector: interrupted; no partial output left", file=sys.stderr)
        return 130
    except Exception as e:          # a bug or out of memory: one line here, the traceback in the debug log
        from .errors import InternalError, one_line
        logging.getLogger("engine.cli").debug("internal error", exc_info=True)
        print(f"screendirector: error: internal error: {one_line(e)} (-v or --log-file PATH logs the traceback)",
              file=sys.stderr)
        return InternalError.exit_code


def _batch(args) -> int:
    from .errors import BadArgument
    from .batch import run_batch

    inputs = [x for x in args.inputs if "=" not in x or os.path.exists(x)]
    overrides = [x for x in args.inputs if "=" in x and not os.path.exists(x)]
    if not inputs:
        raise BadArgument("batch needs inputs: videos, folders or a manifest")
    if args.workers is not None and args.workers < 1:
        raise BadArgument("--workers must be at least 1")
    return run_batch(inputs, args.output, overrides, workers=args.workers, render=args.render,
                     retry_failed=args.retry_failed, quiet=args.quiet)


def _bench(tool: str | None, argv: list[str]) -> int:
    import importlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    if tool not in BENCH_TOOLS:
        print("usage: screendirector bench TOOL [options]\n\ntools:", file=sys.stderr)
        for name, (_, _, what) in BENCH_TOOLS.items():
            print(f"  {name:<15} {what}", file=sys.stderr)
        return 0 if tool in (None, "-h", "--help") else 2
    if not (root / "bench" / "__init__.py").is_file():
        print("screendirector: error: the benchmarks live in a checkout's bench/ folder; run from a checkout "
              "(pip install -e .)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(root))
    module, func, _ = BENCH_TOOLS[tool]
    return int(getattr(importlib.import_module(f"bench.{module}"), func)(argv) or 0)


def _sample(path: str) -> int:
    from pathlib import Path

    from .io import ensure_parent
    from .synth.scripts import demo_clip, describe

    p = ensure_parent(Path(path))
    truth = demo_clip(p)
    print(f"wrote {p}: {describe(truth)} (truth beside it)\n"
          f"next: screendirector analyze {p} -o {p.with_suffix('')}", file=sys.stderr)
    return 0


def run() -> None:
    """The console script: main(), then leave without tearing the interpreter down. Every output is already
    written and renamed; unloading torch's modules one by one would only add about 0.4 s to each run."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    run()
