"""Detectors and decoders plug in by name: a detector the config lists runs on every batch and what it
declares lands in features.npz, versioned; the config refuses names nobody registered."""
import json
import zipfile

import numpy as np
import pytest
import torch

import engine
from engine.errors import BadFeatures, ConfigError
from engine.features.detector import Detector, Output
from engine.features.registry import register


@register
class BrightestRow(Detector):
    """A test detector: the brightest row of each frame (source px) and the frame's mean luma."""
    name = "test_brightest_row"
    version = 7

    def outputs(self):
        return [Output("brightest_row", (), "float32"), Output("mean_luma", (1,), "float32")]

    def start(self):
        return 0

    def run(self, fr, seen):
        rows = fr.luma.mean(2).argmax(1).float() * self.stream.factor
        return {"brightest_row": rows, "mean_luma": fr.luma.mean((1, 2)).unsqueeze(1)}, seen + fr.n


def test_a_listed_detector_runs_on_every_frame_and_is_saved_with_its_version(typing_video, tmp_path):
    res = engine.analyze(typing_video[0], output_prefix=tmp_path / "t",
                         overrides=["features.detectors=[change,test_brightest_row]"])
    raw = res.features.raw
    assert raw.data["brightest_row"].shape == (raw.n,) and raw.data["mean_luma"].shape == (raw.n, 1)
    assert raw.meta["detectors"] == {"change": 1, "test_brightest_row": 7}
    assert raw.meta["outputs"]["mean_luma"] == {"detector": "test_brightest_row", "store": "dense"}
    assert not raw.has("caret") and raw.caret.shape == (raw.n, 5) and not raw.caret.any()
    again = engine.features.RawFeatures.load(tmp_path / "t.features.npz")
    np.testing.assert_array_equal(again.data["mean_luma"], raw.data["mean_luma"])
    assert again.act == raw.act


def test_features_of_another_detector_version_are_refused(typing_video, tmp_path):
    engine.analyze(typing_video[0], output_prefix=tmp_path / "t", overrides=["features.detectors=[change]"])
    src = tmp_path / "t.features.npz"
    with zipfile.ZipFile(src) as z:
        files = {n: z.read(n) for n in z.namelist()}
    meta = json.loads(np.load(src)["meta"].tobytes())
    meta["detectors"]["change"] = 99
    out = tmp_path / "old.features.npz"
    with zipfile.ZipFile(out, "w") as z:
        for n, b in files.items():
            if n != "meta.npy":
                z.writestr(n, b)
    np.savez(tmp_path / "m.npz", meta=np.frombuffer(json.dumps(meta).encode(), np.uint8))
    with zipfile.ZipFile(tmp_path / "m.npz") as m, zipfile.ZipFile(out, "a") as z:
        z.writestr("meta.npy", m.read("meta.npy"))
    with pytest.raises(BadFeatures, match="detector 'change' version 99"):
        engine.features.RawFeatures.load(out)


def test_two_detectors_writing_the_same_output_are_refused(typing_video):
    @register
    class SecondCaret(Detector):
        name = "test_second_caret"

        def outputs(self):
            return [Output("caret", (5,), "float32")]

    with pytest.raises(ConfigError, match="both write 'caret'"):
        engine.analyze(typing_video[0], overrides=["features.detectors=[change,caret_heuristic,test_second_caret]"])


@pytest.mark.parametrize("bad, why", [("features.detectors=[change,nope]", "features.detectors"),
                                      ("features.detectors=[scroll]", "must hold 'change'"),
                                      ("analysis.decoder=nope", "analysis.decoder")])
def test_unknown_names_are_config_errors(bad, why):
    with pytest.raises(ConfigError, match=why):
        engine.load_config([bad])


def test_decoder_by_name_gives_the_same_frames_as_auto(typing_video):
    info = engine.media.probe(typing_video[0])
    frames = {}
    for name in ("auto", "pyav"):
        s = engine.media.DecodeSettings(long_side=240, batch=8, prefetch=0, decoder=name)
        frames[name] = torch.cat([b.luma for b in engine.media.decode_luma(info, s)])
    assert torch.equal(frames["auto"], frames["pyav"])
