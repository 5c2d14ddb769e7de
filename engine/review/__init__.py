"""`screendirector review OUT_DIR`: a local page for a run's recordings, raw beside directed in sync, the shots
with their reasons, scores when a truth file is there, and editing the shots (save, re-plan, re-render).
archive.py reads the run, scores.py scores it, edits.py saves and renders, server.py serves, static/ is the page."""
from .server import make_server, serve

__all__ = ["make_server", "serve"]
