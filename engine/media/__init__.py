"""media: probing, decoding to luma tensors, finding ffmpeg. decode (and torch) loads on first use, so
probing and rendering do not pay for importing torch."""
from .probe import VideoInfo, probe
from .settings import DecodeSettings

__all__ = ["VideoInfo", "probe", "DecodeSettings", "FrameBatch", "analysis_factor", "grid_rate", "decode_luma"]


def __getattr__(name):
    if name in ("FrameBatch", "analysis_factor", "grid_rate"):
        from . import decode
        return getattr(decode, name)
    if name == "decode_luma":        # by the decoder the settings name (analysis.decoder)
        from .decoders import decode_luma
        return decode_luma
    raise AttributeError(f"module 'engine.media' has no attribute '{name}'")
