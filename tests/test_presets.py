"""Presets: `screendirector presets` lists every preset file with what it sets (read from the files), and every
preset renders every output format. A short small clip is analysed once; each preset x format is directed from
its saved features (the `analyze --features` path: no decoding) and rendered, then checked as a user sees it:
the video exists, has the output's size, decodes to one frame per camera frame, and every camera window has the
output's aspect and lies in the frame."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import av
import pytest
from conftest import make_clip
from omegaconf import OmegaConf

from engine.config import config_dir, load_config
from engine.pipeline import run
from engine.render import load_track, render
from engine.synth import scripts
from engine.synth.params import Style

SOURCE = (540, 960)                       # a small phone recording: fast to analyse and render
PRESETS = sorted(p.stem for p in (config_dir() / "preset").glob("*.yaml"))
# the output formats by their shapes (9:16, 1:1, 4:5, 16:9, the source's), at a small size: the shape is what
# the camera and the renderer handle differently, and small renders keep the 20 of them quick
FORMATS = {"270x480": (270, 480), "270x270": (270, 270), "272x340": (272, 340), "480x270": (480, 270),
           "source": SOURCE}


def test_every_preset_file_is_tested():
    assert {"none", "subtle", "aggressive", "documentary"} <= set(PRESETS)


def test_presets_lists_every_preset_with_what_it_sets(run_cli):
    r = run_cli("presets")
    assert r.returncode == 0, r.stderr
    blocks = {}
    for block in r.stdout.split("\n\n")[1:]:
        name = block.split()[0]
        blocks[name] = block
    assert set(blocks) == set(PRESETS)
    base = load_config()
    for name in PRESETS:
        path = config_dir() / "preset" / f"{name}.yaml"
        sets = OmegaConf.to_container(OmegaConf.load(path) or OmegaConf.create({}))
        flat = {f"{sec}.{k}": v for sec, keys in (sets or {}).items() for k, v in keys.items()}
        if not flat:
            assert "changes nothing" in blocks[name]
        for key, value in flat.items():
            comment = next(ln.split("#", 1)[1].strip() for ln in path.read_text().splitlines()
                           if ln.strip().startswith(key.split(".")[-1] + ":"))
            line = next((ln for ln in blocks[name].splitlines() if ln.split()[0] == key), None)
            assert line is not None, (name, key, blocks[name])
            assert f"= {value} (default {OmegaConf.select(base, key)})" in line and comment in line, line


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, run_cli):
    """Every preset x format rendered from one analysis: {(preset, format): (video, camera.json)}."""
    d = tmp_path_factory.mktemp("presets")
    src, _ = make_clip(d, "rec", seed=1, form="phone", app="notes", seconds=3, noise=0,
                       script=partial(scripts.typing, start=0.2, pause=0.4), style=Style(size=SOURCE))
    r = run_cli("analyze", src, "-o", d / "base", "-q")           # the one decode
    assert r.returncode == 0, r.stderr
    jobs = []
    for preset in PRESETS:
        for fmt in FORMATS:
            cfg = load_config([f"preset={preset}", f"output.size={fmt}", "render.preset=ultrafast",
                               "render.encoder=libx264", "analysis.progress=false"])
            prefix = d / f"{preset}_{fmt}"
            run(None, cfg, output_prefix=prefix, features_path=d / "base.features.npz")
            jobs.append(((preset, fmt), cfg, prefix))

    def make(job):
        key, cfg, prefix = job
        camera = prefix.with_name(prefix.name + ".camera.json")
        render(src, load_track(camera), cfg, prefix.with_suffix(".mp4"), force=True, log=lambda s: None,
               show_progress=False)
        return key, (prefix.with_suffix(".mp4"), camera)

    with ThreadPoolExecutor(2) as pool:       # each render is one ffmpeg process
        return dict(pool.map(make, jobs))


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_renders_every_format(rendered, preset, fmt):
    video, camera = rendered[(preset, fmt)]
    ow, oh = FORMATS[fmt]
    assert video.is_file()
    cam = json.loads(camera.read_text())
    assert (cam["output"]["width"], cam["output"]["height"]) == (ow, oh)
    with av.open(str(video)) as c:
        s = c.streams.video[0]
        assert (s.codec_context.width, s.codec_context.height) == (ow, oh)
        decoded = sum(1 for _ in c.decode(s))
    assert decoded == len(cam["frames"])
    for t, x, y, w, h, _ in cam["frames"]:
        assert abs((w / h) / (ow / oh) - 1) < 0.01, (t, w, h)
        # inside the frame, or (output.pad, issue 12) larger than it on an axis and covering it there
        for a, size, extent in ((x, w, SOURCE[0]), (y, h, SOURCE[1])):
            if size <= extent + 1e-3:
                assert a >= -1e-6 and a + size <= extent + 1e-3, (t, x, y, w, h)
            else:
                assert a <= 1e-6 and a + size >= extent - 1e-3, (t, x, y, w, h)


def test_presets_change_the_framing_as_they_say(rendered):
    """On the source format, no window is tighter than the preset's director.min_window, and the tightest
    presets frame tighter than the loosest (the preset reached the director)."""
    tightest = {}
    for preset in PRESETS:
        cam = json.loads(rendered[(preset, "source")][1].read_text())
        share = min(f[3] for f in cam["frames"]) / SOURCE[0]
        assert share >= float(load_config([f"preset={preset}"]).director.min_window) - 0.01, (preset, share)
        tightest[preset] = share
    assert tightest["aggressive"] < tightest["subtle"], tightest
