"""The measuring instruments: the quality table and its comparison, and the detector-variant sweep."""
from __future__ import annotations

import json


def test_quality_table_json_and_compare(corpus_dir, tmp_path, run_cli):
    a = tmp_path / "a.json"
    r = run_cli("bench", "quality", "--quick", "--corpus", corpus_dir, "--out", tmp_path / "qa", "--json", a)
    assert r.returncode == 0, r.stderr
    assert "| mean |" in r.stdout and "| D1_terminal |" in r.stdout
    run = json.loads(a.read_text())
    assert run["meta"]["commit"] and run["meta"]["versions"]["torch"] and run["meta"]["machine"]["cpus"]
    assert [row["clip"] for row in run["rows"]] == ["D1_terminal", "P1_notes"]     # one clip in three
    # a second run that lost coverage on one clip: compare names what changed and the bar now missed
    worse = json.loads(a.read_text())
    worse["rows"][0]["coverage"] = 0.5
    before = worse["meta"]["config"]["director"]["min_window"]
    worse["meta"]["overrides"] = ["director.min_window=0.9"]
    worse["meta"]["config"]["director"]["min_window"] = 0.9
    b = tmp_path / "b.json"
    b.write_text(json.dumps(worse))
    r = run_cli("bench", "compare", a, b)
    assert r.returncode == 0, r.stderr
    assert f"config director.min_window: {before} -> 0.9" in r.stdout
    assert "bars newly missed in B: D1_terminal coverage 0.5 < 0.95" in r.stdout
    # still missed, by another margin: neither a new miss nor a fix
    worse["rows"][0]["coverage"] = 0.4
    c = tmp_path / "c.json"
    c.write_text(json.dumps(worse))
    r = run_cli("bench", "compare", b, c)
    assert "bars newly missed in B: none" in r.stdout and "bars newly met in B: none" in r.stdout


def test_sweep_scores_every_variant_and_resumes(corpus_dir, tmp_path, run_cli):
    out = tmp_path / "sw"
    args = ("bench", "sweep", "--quick", "--corpus", corpus_dir, "--out", out,
            "features.diff_threshold=10,14", "director.hold_s=0.5,1.0", "features.persist_lags_s=[0.4,0.9]")
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    res = json.loads((out / "sweep.json").read_text())
    assert len(res["variants"]) == 4 and all(v["clips"] == 2 for v in res["variants"])
    assert (out / "sweep.csv").read_text().count("\n") == 5
    assert "sorted by clips meeting every bar" in r.stdout
    # decoded once per clip, features once per diff_threshold: hold_s variants share them
    assert len(list((out / "cache").glob("*.f16"))) == 2
    stamps = {p: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")}
    assert len(stamps) == 8
    r = run_cli(*args)                       # finished variants are not recomputed
    assert r.returncode == 0, r.stderr
    assert {p: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")} == stamps
