"""The `direct`, `render` and `demo` subcommands: analysis and rendering together (cli.py parses)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from .config import load_config
from .errors import BadArgument


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


def direct(args) -> int:
    """Analyse, then render what was written: the video is made from camera.json exactly as saved."""
    from .pipeline import run
    from .render import check_output, load_track, render

    cfg = load(args.overrides, getattr(args, "quiet", False))
    video = Path(args.video)
    out = Path(args.output) if args.output else video.with_name(video.stem + ".director.mp4")
    check_output(video, out, args.force)          # refuse before spending any time on analysis
    t = time.perf_counter()
    result = run(video, cfg, output_prefix=out.with_suffix(""))
    _say(args, result.summary() + f" ({time.perf_counter() - t:.2f} s)")
    track = load_track(result.outputs["camera"])
    r = render(video, track, cfg, out, force=args.force, log=lambda s: _say(args, s),
               show_progress=None if not args.quiet else False)
    _say(args, r.summary())
    for name, path in {**result.outputs, **r.outputs}.items():
        _say(args, f"  {name:<9} {path}")
    return 0


def render(args) -> int:
    from .render import load_track
    from .render import render as make

    cfg = load(args.overrides, getattr(args, "quiet", False))
    track = load_track(args.camera)
    r = make(args.video, track, cfg, args.output, force=args.force, log=lambda s: _say(args, s),
             show_progress=None if not args.quiet else False)
    _say(args, r.summary())
    for name, path in r.outputs.items():
        _say(args, f"  {name:<9} {path}")
    return 0


def demo(args) -> int:
    """A sample phone recording (typing, a popup, typing), directed; prints what to open."""
    from .io import atomic_path
    from .pipeline import run
    from .render import load_track
    from .render import render as make
    from .samples import popup_clip

    cfg = load(args.overrides, getattr(args, "quiet", False))
    folder = Path(args.folder)
    src = folder / "recording.mp4"
    with atomic_path(src) as tmp:
        popup_clip(tmp)
    print(f"1/3 wrote a sample recording: {src} (8 s, 540x960: typing, a popup upper-left at 3.5-5.5 s, "
          "typing again)", file=sys.stderr)
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
