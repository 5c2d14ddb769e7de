"""`screendirector bench gpu` without a GPU: one line, exit 69, at once; its comparison and table on made-up
figures; every step rehearsed on the CPU (`--device cpu`). The GPU runs themselves need a GPU machine."""
import json
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import gpu  # noqa: E402


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_without_a_gpu_it_says_so_in_one_line_and_exits_69(run_cli, tmp_path):
    r = run_cli("bench", "gpu", "--json", tmp_path / "g.json")
    assert r.returncode == gpu.NO_GPU == 69
    lines = [ln for ln in (r.stdout + r.stderr).splitlines() if ln.strip()]
    assert len(lines) == 1 and "no CUDA GPU" in lines[0]
    assert not (tmp_path / "g.json").exists()
    assert not (tmp_path / "g").exists()          # no corpus run: it stopped before any work


def test_the_rehearsal_on_the_cpu_runs_every_step(run_cli, typing_video, tmp_path):
    """`--device cpu`: the streams (in their own processes), the model's two ways, the corpus pairs and the table,
    run by the same code a GPU runs; CPU against CPU decides alike."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "typing.mp4").symlink_to(typing_video[0])
    r = run_cli("bench", "gpu", "--device", "cpu", "--corpus", corpus, "--clip", typing_video[0], "--streams", "1",
                "--no-render", "--json", tmp_path / "g.json")
    assert r.returncode == 0, r.stderr
    got = json.loads((tmp_path / "g.json").read_text())
    assert got["gpu"].startswith("none") and got["decode"] is None
    assert got["streams"][0]["fps"] > 0 and got["host_settle"]["fps"] > 0
    pairs = {c["pair"]: c for c in got["corpus"]}
    assert set(pairs) == {"defaults", "detectors", "decoders"} and "error" not in str(pairs)
    assert pairs["defaults"]["identical"] and pairs["detectors"]["identical"]
    assert "analysis, 1 stream(s) at once" in r.stdout and "model settled on host" in r.stdout


def test_it_is_listed_with_the_bench_tools(run_cli):
    r = run_cli("bench", "--help")
    assert "gpu" in r.stderr and "exit 69" in r.stderr


def test_segments_compare_identical_or_the_largest_difference():
    a = json.dumps({"segments": [{"t0": 1.0, "t1": 2.5, "kind": "typing"}]}).encode()
    assert gpu.compare(a, a) == {"identical": True, "max_diff": 0.0, "same_shape": True}
    b = json.dumps({"segments": [{"t0": 1.0, "t1": 2.75, "kind": "typing"}]}).encode()
    assert gpu.compare(a, b) == {"identical": False, "max_diff": 0.25, "same_shape": True}
    c = json.dumps({"segments": [{"t0": 1.0, "t1": 2.5, "kind": "popup"}]}).encode()
    assert gpu.compare(a, c)["same_shape"] is False
    d = json.dumps({"segments": []}).encode()
    assert gpu.compare(a, d) == {"identical": False, "max_diff": 0.0, "same_shape": False}
    # the provenance differs between a CPU and a CUDA run (the config hash records the device): not a decision
    e = json.dumps({"segments": [{"t0": 1.0, "t1": 2.5, "kind": "typing"}], "made_by": {"config_hash": "cuda"}})
    f = json.dumps({"segments": [{"t0": 1.0, "t1": 2.5, "kind": "typing"}], "made_by": {"config_hash": "cpu"}})
    assert gpu.compare(e.encode(), f.encode())["identical"] is True


def test_the_table_names_every_figure_and_bar():
    r = {"gpu": "NVIDIA H200", "torch": "2.13.0", "cuda": "12.8", "nvdec": "available", "clip": "/c/D3_form.mp4",
         "decode": {"frames": 900, "seconds": 0.9, "fps": 1000.0, "x_realtime": 33.3},
         "streams": [{"streams": 1, "seconds": 1.0, "fps": 950.0, "x_realtime": 31.6},
                     {"streams": 8, "seconds": 1.2, "fps": 6000.0, "x_realtime": 210.0}],
         "host_settle": {"streams": 1, "seconds": 1.1, "fps": 870.0, "x_realtime": 29.0},
         "corpus": [{"clip": "D3_form", "pair": "defaults", "identical": False, "max_diff": 0.07, "same_shape": True},
                    {"clip": "D3_form", "pair": "decoders", "error": "boom"}],
         "render": {"nvenc": False, "nvenc_test": "No capable devices found", "encoder": "libx264",
                    "scale_cuda": False, "path": "NVENC unavailable; using libx264", "render": "ok",
                    "command_sh_path": "# render path: libx264"}}
    t = gpu.table(r)
    for want in ("NVDEC decode-only", "8 stream(s)", "model settled on host      870.0", "95% (bar: >= 90%)", "210.0x real time per GPU",
                 "D3_form", "error: boom", "NVENC: absent", "# render path: libx264"):
        assert want in t, want


def test_the_1080p_clip_comes_from_the_corpus(corpus_dir):
    assert gpu._clip_1080p(sorted(corpus_dir.glob("*.mp4"))).stem in ("D1_terminal", "D2_windows", "D3_form",
                                                                       "P1_notes", "P2_chat", "P3_ambient")
