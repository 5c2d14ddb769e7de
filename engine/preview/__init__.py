"""preview: the recording with what the engine saw drawn on it, beside the directed video, and a timeline PNG
(on top of the pipeline, like batch)."""
from .run import PreviewResult, default_output, preview, timeline_path

__all__ = ["PreviewResult", "default_output", "preview", "timeline_path"]
