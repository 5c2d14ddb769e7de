"""The learned screen model: shipped weights find the caret and the pointer, batching changes nothing, a tiny
training run works, frames without change cost nothing."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from engine.models import ModelConfig, ScreenModel, evaluate, tiles
from engine.models.frames import activity_grid

SEED = 3          # an evaluation seed (< 10000): a desktop form, clicked into and typed in, with a pointer


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    from engine.models.data import generate
    return generate(tmp_path_factory.mktemp("model") / "clip", SEED, 6.0, form="desktop", theme="light", app="form")


@pytest.fixture(scope="module")
def model():
    return ScreenModel.load(device="cpu")


def test_shipped_weights_find_caret_and_pointer(clip, model):
    from engine.models.data import load_labels
    truth = json.loads(clip.with_name(clip.name[:-4] + ".truth.json").read_text())
    res = evaluate.run_clip(model, clip)
    c = evaluate.caret_counts(res, truth)
    p = evaluate.pointer_counts(res, load_labels(clip), truth["width"], truth["height"])
    assert c["typing"] > 20 and p["shown"] > 20, "the test clip no longer holds typing and a pointer: pick a seed"
    # floors that catch a broken model or pipeline (one finds next to nothing), below what shipped weights do on
    # this clip: caret 0.84 (the 24-wide weights found it in every typing frame, but a line or more off in half
    # until a caret beside the one in view was followed at caret_follow_threshold: 0.52 without), pointer 1.0;
    # the real figures come from `python -m engine.models.evaluate`
    assert c["caret_det"] >= 0.9 * c["typing"], "the caret is not found while typing"
    assert c["caret_hit"] >= 0.75 * c["typing"] and c["caret_hit"] >= 0.75 * c["caret_det"], \
        "the caret is not followed along the typed line"
    assert p["pointer_hit"] >= 0.6 * p["shown"] and p["pointer_hit"] >= 0.6 * p["pointer_det"]
    h, w = res["frames_shape"]
    assert res["saliency"].dtype == np.uint8 and res["saliency"].shape[1:] == (-(-h // 32), -(-w // 32))


def test_batched_equals_frame_by_frame(clip, model):
    from engine.models.frames import analysis_frames
    frames, times, _ = analysis_frames(clip)
    frames, times = frames[:64], times[:64]
    prev = torch.cat([frames[:1], frames[:-1]])
    act = activity_grid(frames, prev)

    def stream(batch):
        st = model.start(*frames.shape[1:])
        outs = [model.detect(frames[s:s + batch], prev[s:s + batch], act[s:s + batch], times[s:s + batch], st)
                for s in range(0, len(frames), batch)]
        return {k: torch.cat([o[k] for o in outs]) for k in outs[0]}

    a, b = stream(16), stream(1)
    assert (a["caret"][:, 4] > 0).any() and (a["pointer"][:, 2] > 0).any()
    for k in ("caret", "pointer"):
        assert torch.allclose(a[k], b[k], atol=1e-4), k
    assert (a["saliency"].int() - b["saliency"].int()).abs().max() <= 1


def test_no_change_costs_nothing():
    cfg = ModelConfig()
    act = torch.zeros(4, 34, 60, dtype=torch.uint8)
    assert tiles.select(tiles.changed_blocks(act, cfg), cfg).shape == (0, 2)
    act[1, 10, 20] = 200                              # one changed cell: one tile, in frame 1
    sel = tiles.select(tiles.changed_blocks(act, cfg), cfg)
    assert sel.tolist() == [[1, (10 // 4) * 15 + 20 // 4]]


def test_tiny_training_run(clip, tmp_path):
    from engine.models.data import clip_tiles
    from engine.models.train import tile_metrics, train
    cfg = replace(ModelConfig(), frames_per_clip=40, steps=5, batch=32)
    data = clip_tiles(clip, cfg, SEED)
    assert len(data["clip"]) > 40 and (data["c_cell"] >= 0).any() and (data["p_cell"] >= 0).any()
    net = train(data, cfg, seed=0, log=None)
    assert all(np.isfinite(v) for v in tile_metrics(net, data, cfg).values())
    path = tmp_path / "tiny.safetensors"
    ScreenModel(net, cfg).save(path)
    again = ScreenModel.load(path, caret_threshold=0.7)
    assert again.cfg.caret_threshold == 0.7 and again.cfg.widths == cfg.widths
    x = torch.randn(3, 2, cfg.tile, cfg.tile)
    assert torch.equal(net(x)[0], again.net(x)[0])
