"""media: probe a recording and decode it to luma tensors at analysis resolution."""
from .probe import VideoInfo, probe
from .decode import FrameBatch, analysis_factor, analysis_step, decode_luma

__all__ = ["VideoInfo", "probe", "FrameBatch", "analysis_factor", "analysis_step", "decode_luma"]
