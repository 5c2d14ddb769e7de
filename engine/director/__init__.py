"""director: regions of interest -> shot state machine -> Timeline (the edit decision list)."""
from .machine import direct
from .timeline import Segment, Timeline, load

__all__ = ["direct", "load", "Segment", "Timeline"]
