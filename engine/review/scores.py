"""Scores for the review page: the shared scorer (engine/scoring.py, the one `bench quality` uses) run on the
run's camera.json and on the edited one, only when NAME.truth.json lies beside the raw recording."""
from __future__ import annotations

import json

from ..scoring import find_scorer, scorer_paths, truth_path
from .archive import Recording

# the metrics shown, in METRICS.md's order, with the direction that is better
SHOWN = [("coverage", "higher"), ("zoom_typing", "higher"), ("zoom_all", "higher"), ("jumps", "lower"),
         ("accel_rms", "lower"), ("latency_mean", "lower"), ("latency_max", "lower"), ("chase_s", "lower"),
         ("aspect_err", "lower")]


def scores_for(rec: Recording) -> dict:
    """{truth, metrics, original, edited} when there is a truth file and a scorer; {why} otherwise."""
    if rec.source is None:
        return {"why": "no truth: the raw recording is not named by the run's records"}
    truth_file = truth_path(rec.source)
    if not truth_file.is_file():
        return {"why": f"no truth file beside the recording ({truth_file.name})"}
    score = find_scorer(rec.source.parent)
    if score is None:
        return {"why": f"truth found, but not the scorer ({scorer_paths(rec.source.parent)[-1]})"}
    try:
        truth = json.loads(truth_file.read_text())
    except (OSError, ValueError) as e:
        return {"why": f"truth file unreadable: {truth_file.name} ({e})"}
    out = {"truth": truth_file.name, "metrics": SHOWN}
    for name, path in (("original", rec.camera), ("edited", rec.edited("camera"))):
        if path.is_file():
            try:
                s = score(truth, json.loads(path.read_text()))
                out[name] = {k: s.get(k) for k, _ in SHOWN}
            except Exception as e:      # noqa: BLE001 - the shared scorer's own failure: shown, not raised
                out[name] = {"error": f"{type(e).__name__}: {e}"}
    return out
