"""`screendirector batch`: many recordings into one output folder, resumable after any interruption.

inputs.py (files, folders, manifests -> items with their output prefix and overrides), state.py (OUT/batch.sqlite),
job.py (one input's work and its provenance), executors.py (local processes, this process, Ray), run.py (the loop),
report.py (progress, OUT/report.json and .csv, the summary table).
"""
from .run import run_batch

__all__ = ["run_batch"]
