"""media: probing, decoding to luma tensors, finding ffmpeg. decode (and torch) loads on first use, so
probing and rendering do not pay for importing torch."""
from .probe import VideoInfo, probe

__all__ = ["VideoInfo", "probe", "FrameBatch", "analysis_factor", "analysis_step", "decode_luma"]


def __getattr__(name):
    if name in ("FrameBatch", "analysis_factor", "analysis_step", "decode_luma"):
        from . import decode
        return getattr(decode, name)
    raise AttributeError(f"module 'engine.media' has no attribute '{name}'")
