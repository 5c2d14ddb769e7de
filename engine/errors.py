"""Errors a user can cause, each with its own exit code (documented in the README and `--help`)."""
from __future__ import annotations

import traceback
from pathlib import Path


class UserError(Exception):
    """A problem with the input, the output or the settings: reported as one line, never a traceback."""

    exit_code = 1


class BadArgument(UserError):
    exit_code = 2


class InputMissing(UserError):
    exit_code = 3


class NotAVideo(UserError):
    exit_code = 4


class NoVideoStream(UserError):
    exit_code = 5


class DecodeFailed(UserError):
    exit_code = 6


class EmptyVideo(UserError):
    exit_code = 7


class OutputUnwritable(UserError):
    exit_code = 8


class ConfigError(UserError):
    exit_code = 9


class BadFeatures(UserError):
    exit_code = 10


class SameAsInput(UserError):
    exit_code = 12


class OutputExists(UserError):
    exit_code = 13


class FfmpegFailed(UserError):
    exit_code = 14


class BadCamera(UserError):
    exit_code = 15


class SeveralFailed(UserError):
    """More than one recording of a batch failed, with different exit codes."""
    exit_code = 16


class BatchFailed(UserError):
    """At least one input of a `batch` run failed (each is recorded in OUT/report.csv; the others are done)."""
    exit_code = 17


class MissingExtra(UserError):
    """An optional component the settings ask for is not installed (e.g. ray for batch.executor=ray)."""
    exit_code = 18


class BatchBusy(UserError):
    """Another `batch` run is using the same output folder."""
    exit_code = 19


class BadSegments(UserError):
    """An edit decision list (segments.json) the camera cannot follow: names the segment and the field."""
    exit_code = 20


class InternalError(UserError):
    """Not the user's doing (a bug, out of memory, a crashed worker): in a batch, recorded for that input."""
    exit_code = 1


def one_line(e: BaseException) -> str:
    """An exception as one line: a user error's message; anything else its type, words and where it was raised."""
    text = " ".join(str(e).split())
    if isinstance(e, UserError):
        return text or type(e).__name__
    where = ""
    tb = traceback.extract_tb(e.__traceback__)
    if tb:
        f = tb[-1]
        where = f" (at {Path(f.filename).name}:{f.lineno})"
    return f"{type(e).__name__}: {text}{where}" if text else f"{type(e).__name__}{where}"


EXIT_CODES = {
    0: "success",
    1: "internal error (a bug, out of memory, a crashed worker); in a batch, recorded for that input only",
    2: "bad command line (unknown option or subcommand)",
    3: "input file missing",
    4: "input is not a video (or not a readable media file)",
    5: "input has no video stream",
    6: "video stream could not be decoded (corrupt or truncated)",
    7: "video has no frames (zero length)",
    8: "output location cannot be written",
    9: "unknown config key or bad config value",
    10: "features file missing, unreadable or from another version",
    11: "no working ffmpeg found (configured path, system, imageio-ffmpeg)",
    12: "output video would replace the input",
    13: "output video exists (use --force to replace it)",
    14: "ffmpeg failed while rendering (its own words follow)",
    15: "camera track does not fit the video (names the frame and field)",
    16: "several recordings failed, for different reasons (each is named above; the others were analysed)",
    17: "batch: at least one input failed (each is in OUT/report.csv with its reason and code; the others are done)",
    18: "an optional component is not installed (ray for batch.executor=ray: pip install 'screendirector[ray]')",
    19: "batch: another batch run is using the same output folder",
    20: "segments.json (the EDL) is malformed or from another version (names the segment and field)",
    130: "interrupted (Ctrl-C); no partial output is left",
}
