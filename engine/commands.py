"""The `direct`, `render`, `plan`, `preview` and `demo` subcommands: analysis and rendering together (cli.py parses)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from .config import load_config
from .errors import BadArgument, InputMissing, SeveralFailed, UserError


def _say(args, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(text, file=sys.stderr)


def load(overrides: list[str], quiet: bool = False):
    """The config for a subcommand's key=value overrides; anything else there is a bad argument. Quiet runs
    show no progress bar."""
    bad = [o for o in overrides if "=" not in o]
    if bad:
        raise BadArgument(f"unexpected argument '{bad[0]}' (overrides are key=value)")
    return load_config(list(overrides) + (["analysis.progress=false"] if quiet else []))


# what a folder given to `analyze` contributes: its files with these extensions, sorted by name
VIDEO_SUFFIXES = (".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".ts", ".flv", ".wmv", ".mpg", ".mpeg")


def analyze_inputs(items: list[str]) -> tuple[list[Path], list[str], bool]:
    """(videos, overrides, batch) from `analyze`'s positional arguments: key=value items that are not files
    are overrides; a folder stands for the videos directly inside it. batch: several videos, or a folder."""
    videos: list[Path] = []
    overrides: list[str] = []
    batch = False
    for item in items:
        p = Path(item)
        if "=" in item and not p.exists():
            overrides.append(item)
        elif p.is_dir():
            batch = True
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in VIDEO_SUFFIXES)
            if not found:
                raise InputMissing(f"no video files ({', '.join(VIDEO_SUFFIXES)}) in folder {p}")
            videos += found
        else:
            videos.append(p)
    return videos, overrides, batch or len(videos) > 1


def analyze(args) -> int:
    """One recording (or saved features): outputs at the -o prefix. Several: outputs in the -o folder, one
    after another in this process, so Python and torch start once; a failure is reported and the rest go on."""
    from .pipeline import default_prefix, run

    videos, overrides, batch = analyze_inputs(list(args.inputs))
    if args.features and videos:
        raise BadArgument("give either a video or --features NPZ, not both")
    if not videos and not args.features:
        raise BadArgument("analyze needs a video (or --features NPZ)")
    cfg = load(overrides, args.quiet)
    if not batch:
        t = time.perf_counter()
        result = run(videos[0] if videos else None, cfg, output_prefix=args.output, features_path=args.features)
        _say(args, result.summary() + f" ({time.perf_counter() - t:.2f} s)")
        for name, path in result.outputs.items():
            _say(args, f"  {name:<9} {path}")
        return 0
    prefixes = [Path(args.output) / v.stem if args.output else default_prefix(v) for v in videos]
    seen: dict[Path, Path] = {}
    for v, p in zip(videos, prefixes):
        if p.absolute() in seen:
            raise BadArgument(f"{seen[p.absolute()]} and {v} would write the same outputs ({p}.*): "
                              "analyse them in separate runs or rename one")
        seen[p.absolute()] = v
    failed: list[UserError] = []
    seconds = 0.0
    t0 = time.perf_counter()
    for i, (video, prefix) in enumerate(zip(videos, prefixes), 1):
        _say(args, f"[{i}/{len(videos)}] {video}")
        t = time.perf_counter()
        try:
            result = run(video, cfg, output_prefix=prefix)
        except UserError as e:
            print("screendirector: error: " + str(e).replace("\r", "\\r").replace("\n", "\\n"), file=sys.stderr)
            failed.append(e)
            continue
        seconds += float(result.features.meta["duration"])
        _say(args, f"  {result.summary()} ({time.perf_counter() - t:.2f} s) -> {prefix}.*")
    wall = time.perf_counter() - t0
    done = len(videos) - len(failed)
    speed = f", {seconds / wall:.1f}x real time" if wall > 0 and done else ""
    _say(args, f"{done} of {len(videos)} recordings analysed: {seconds:.1f} s of video in {wall:.1f} s{speed}"
               + (f"; {len(failed)} failed (named above)" if failed else ""))
    if not failed:
        return 0
    codes = {e.exit_code for e in failed}
    return codes.pop() if len(codes) == 1 else SeveralFailed.exit_code


def direct(args) -> int:
    """Analyse, then render what was written: the video is made from camera.json exactly as saved. With
    --segments EDL: no analysis; the camera is planned from the (edited) EDL, written as OUT.camera.json, and
    rendered."""
    from .pipeline import output_paths, plan_segments, run
    from .render import check_output, load_track, render

    cfg = load(args.overrides, getattr(args, "quiet", False))
    video = Path(args.video)
    out = Path(args.output) if args.output else video.with_name(video.stem + ".director.mp4")
    check_output(video, out, args.force)          # refuse before spending any time on analysis
    t = time.perf_counter()
    if getattr(args, "segments", None):
        timeline, track, path = plan_segments(args.segments, cfg, args.overrides, out.with_suffix(""))
        outputs = {"camera": path}
        _say(args, f"planned {len(track.frames)} frames from {args.segments} ({time.perf_counter() - t:.2f} s)")
    else:
        result = run(video, cfg, output_prefix=out.with_suffix(""))
        outputs = result.outputs
        _say(args, result.summary() + f" ({time.perf_counter() - t:.2f} s)")
    track = load_track(outputs["camera"])
    r = render(video, track, cfg, out, force=args.force, log=lambda s: _say(args, s),
               show_progress=None if not args.quiet else False)
    _say(args, r.summary())
    for name, path in {**outputs, **r.outputs}.items():
        _say(args, f"  {name:<9} {path}")
    return 0


def render(args) -> int:
    """Render a camera track (--camera) or the camera planned from an EDL (--segments)."""
    from .pipeline import plan_segments
    from .render import load_track
    from .render import render as make

    if bool(args.camera) == bool(args.segments):
        raise BadArgument("render needs one of --camera CAMERA.json or --segments SEGMENTS.json")
    cfg = load(args.overrides, getattr(args, "quiet", False))
    track = load_track(args.camera) if args.camera else plan_segments(args.segments, cfg, args.overrides)[1]
    r = make(args.video, track, cfg, args.output, force=args.force, log=lambda s: _say(args, s),
             show_progress=None if not args.quiet else False)
    _say(args, r.summary())
    for name, path in r.outputs.items():
        _say(args, f"  {name:<9} {path}")
    return 0


def plan(args) -> int:
    """PREFIX.camera.json from an EDL alone: no video, no features."""
    from .pipeline import plan_segments

    cfg = load(args.overrides, getattr(args, "quiet", False))
    t = time.perf_counter()
    timeline, track, path = plan_segments(args.segments, cfg, args.overrides, args.output)
    _say(args, f"{Path(args.segments).name}: {len(timeline.segments)} segments -> {len(track.frames)} frames at "
               f"{track.fps:.6g} fps, {track.out_width}x{track.out_height} ({time.perf_counter() - t:.2f} s)")
    _say(args, f"  {'camera':<9} {path}")
    return 0


def preview(args) -> int:
    """The side-by-side preview and its timeline PNG, analysing first unless --from names an earlier run."""
    from .preview import preview as make

    cfg = load(args.overrides, getattr(args, "quiet", False))
    r = make(args.video, cfg, args.output, args.from_prefix, force=args.force,
             show_progress=None if not args.quiet else False, say=lambda s: _say(args, s))
    _say(args, r.summary())
    for name, path in {**r.analysis, "preview": r.video, "timeline": r.timeline}.items():
        _say(args, f"  {name:<9} {path}")
    return 0


def demo(args) -> int:
    """A sample phone recording (typing, a popup, typing), directed; prints what to open."""
    from .io import ensure_parent
    from .pipeline import run
    from .render import load_track
    from .render import render as make
    from .synth.scripts import demo_clip, describe

    cfg = load(args.overrides, getattr(args, "quiet", False))
    folder = Path(args.folder)
    src = folder / "recording.mp4"
    ensure_parent(src)
    truth = demo_clip(src)
    print(f"1/3 wrote a sample recording: {src} ({describe(truth)}; its truth beside it)", file=sys.stderr)
    result = run(src, cfg, output_prefix=folder / "directed")
    print(f"2/3 analysed it: {result.summary()}", file=sys.stderr)
    out = folder / "directed.mp4"
    r = make(src, load_track(result.outputs["camera"]), cfg, out, force=True, log=lambda s: print(s, file=sys.stderr))
    print(f"3/3 {r.summary()}\n\nopen:\n"
          f"  {out}   the directed video (compare with {src})\n"
          f"  {result.outputs['segments']}   the shots: when the camera pushes in, holds, releases, and why\n"
          f"  {result.outputs['camera']}   the camera window of every frame (edit it, then: screendirector render "
          f"{src} --camera {result.outputs['camera']} -o {folder / 'edited.mp4'})\n"
          f"  {r.outputs['command']}   the ffmpeg command that made the video (runs without this tool)", file=sys.stderr)
    return 0
