"""render: camera track -> one ffmpeg run -> the directed video, with its command.sh and filter script."""
from .run import RenderResult, check_output, render
from .track_file import check_fits, load_track

__all__ = ["RenderResult", "check_fits", "check_output", "load_track", "render"]
