"""`screendirector review`: the page on a tiny batch run, in headless Chromium (the system's /usr/bin/chromium,
driven by playwright): both videos play in sync, every shot is shown with its reason, scores appear only where
a truth file is, and an edit (a dragged boundary, a deleted shot) is saved, re-rendered and shown. Over plain
HTTP: only the run's own files are served (however the path is written), Range requests, refused edits."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import ROOT, make_clip

from engine import cli
from engine.review import make_server
from engine.scoring import find_scorer
from engine.synth import scripts
from engine.synth.params import Style

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCORER = find_scorer(ROOT.parent / "shared" / "corpus") is not None     # ../shared/eval/score.py
SHOTS = Path(os.environ.get("REVIEW_SCREENSHOTS", "")) if os.environ.get("REVIEW_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """in/rec.mp4 (phone typing, 4 s, 360x640, its truth beside it), in/desk.mp4 (desktop, 3 s, no truth) and
    in/broken.mp4 (random bytes), through `batch --render` into out/."""
    d = tmp_path_factory.mktemp("review")
    make_clip(d / "in", "rec", seed=1, form="phone", app="notes", seconds=4, noise=0, script=scripts.typing,
              style=Style(size=(360, 640)), labels=False)
    make_clip(d / "in", "desk", seed=3, form="desktop", app="editor", seconds=3, noise=0, script=scripts.typing,
              style=Style(size=(640, 360)), labels=False)
    (d / "in" / "desk.truth.json").unlink()
    (d / "in" / "broken.mp4").write_bytes(os.urandom(5000))          # fails: listed with its error
    (d / "secret.txt").write_text("SECRET outside the run")
    assert cli.main(["batch", str(d / "in"), "-o", str(d / "out"), "--render", "-q"]) == 17
    (d / "out" / "leak.json").symlink_to(d / "secret.txt")        # a link out of the run is not the run's
    return d


@pytest.fixture(scope="module")
def server(run_dir):
    s = make_server(run_dir / "out", port=0, quiet=True)
    t = threading.Thread(target=s.serve_forever, daemon=True)
    t.start()
    yield s
    s.shutdown()
    s.server_close()


def get(server, path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None):
    """(status, headers, body) of a request sent exactly as written (no client-side path normalising)."""
    host, port = server.server_address[:2]
    c = http.client.HTTPConnection(host, port, timeout=30)
    c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    h = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    if body is not None:
        h["Content-Length"] = str(len(body))
    for k, v in h.items():
        c.putheader(k, v)
    c.endheaders(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict(r.getheaders()), data


def test_range_requests_serve_the_videos(server, run_dir):
    assert server.server_address[0] == "127.0.0.1"             # this machine only, unless told otherwise
    whole = (run_dir / "out" / "rec.mp4").read_bytes()
    code, h, data = get(server, "/files/rec.mp4")
    assert code == 200 and data == whole and h["Accept-Ranges"] == "bytes"
    code, h, data = get(server, "/files/rec.mp4", {"Range": "bytes=100-199"})
    assert code == 206 and data == whole[100:200] and h["Content-Range"] == f"bytes 100-199/{len(whole)}"
    code, h, data = get(server, "/files/rec.mp4", {"Range": "bytes=-10"})
    assert code == 206 and data == whole[-10:]
    code, h, _ = get(server, "/files/rec.mp4", {"Range": f"bytes={len(whole)}-"})
    assert code == 416 and h["Content-Range"] == f"bytes */{len(whole)}"
    raw = (run_dir / "in" / "rec.mp4").read_bytes()      # outside OUT_DIR, named by the run's provenance
    code, _, data = get(server, "/raw/rec", {"Range": "bytes=0-"})
    assert code == 206 and data == raw


def test_only_the_runs_own_files(server, run_dir):
    secret = run_dir / "secret.txt"
    for path in ["/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/%2e%2e%2fsecret.txt",
                 "/files/..%2F..%2F..%2Fetc%2Fpasswd", f"/files/{secret}", f"/files/%2F{str(secret)[1:]}",
                 "/files//etc/passwd", "/files/leak.json", "/files/%252e%252e/secret.txt", "/../secret.txt",
                 "/static/../../review/archive.py", "/raw/..%2Fsecret", f"/raw/{secret}", "/files/x%00.json",
                 "/api/recording?key=..%2Fsecret", f"/api/recording?key={secret.with_suffix('')}",
                 "/api/recording?key=leak", "/raw/%2E%2E%2Fin%2Frec"]:
        code, _, data = get(server, path)
        assert code in (403, 404) and b"SECRET" not in data and b"root:" not in data, path
    assert get(server, "/files/report.json")[0] == 200             # the run's own files are there
    assert get(server, "/api/run", {"Host": "evil.example:80"})[0] == 403      # DNS rebinding
    seg = json.dumps({"segments": []}).encode()
    assert get(server, "/api/save?key=rec", {"Content-Type": "text/plain"}, "POST", seg)[0] == 415
    assert get(server, "/api/save?key=..%2Fin%2Frec", {"Content-Type": "application/json"}, "POST", seg)[0] == 404
    assert get(server, "/api/save?key=rec", {"Content-Type": "application/json", "Origin": "http://evil.example"},
               "POST", seg)[0] == 403


def test_a_bad_edit_is_refused_and_writes_nothing(server, run_dir):
    segs = json.loads((run_dir / "out" / "rec.segments.json").read_text())["segments"]
    segs[1]["t0"] += 0.25                       # a gap between the first two segments
    code, _, data = get(server, "/api/save?key=rec", {"Content-Type": "application/json"}, "POST",
                        json.dumps({"segments": segs}).encode())
    assert code == 422 and "segment 1" in json.loads(data)["error"]
    assert not (run_dir / "out" / "rec.edited.segments.json").exists()


def test_missing_raw_recording_is_said(run_dir, tmp_path):
    out = tmp_path / "moved"
    shutil.copytree(run_dir / "out", out, symlinks=True)
    prov = json.loads((out / "desk.provenance.json").read_text())
    prov["input"]["path"] = str(tmp_path / "gone" / "desk.mp4")
    (out / "desk.provenance.json").write_text(json.dumps(prov))
    s = make_server(out, port=0, quiet=True)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    try:
        desk = {r["key"]: r for r in json.loads(get(s, "/api/run")[2])["recordings"]}["desk"]
        assert not desk["source_ok"] and "missing" in desk["source_why"] and "gone/desk.mp4" in desk["source_why"]
        assert get(s, "/raw/desk")[0] == 404
    finally:
        s.shutdown()
        s.server_close()


# --- the page in Chromium -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(server, tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (Debian: apt-get install chromium; .ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the dev extra)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(profile), executable_path=str(CHROMIUM), args=ARGS,
                                                   headless=True, viewport={"width": 1280, "height": 1000})
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"http://127.0.0.1:{server.server_address[1]}/#rec")
        pg.wait_for_selector("#timeline .seg")
        pg.errors = errors
        yield pg
        ctx.close()


def shot(page, name: str, out: Path) -> None:
    """A screenshot under the test's folder (and under $REVIEW_SCREENSHOTS when set, to look at)."""
    for folder in [out] + ([SHOTS] if SHOTS else []):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def frames_differ(page, t: float) -> float:
    """Mean absolute difference (0-255) between what the raw and the directed video show at t s, as drawn on
    a canvas at the raw video's size: near 0 when the camera is wide (0.2 here), large when it is zoomed in
    (about 25 on rec)."""
    return page.evaluate("""async (t) => {
      const vids = [document.getElementById('raw'), document.getElementById('directed')];
      for (const v of vids) v.pause();
      await Promise.all(vids.map(v => new Promise(ok => {
        if (v.readyState >= 2 && Math.abs(v.currentTime - t) < 1e-3) return ok();
        v.addEventListener('seeked', () => ok(), {once: true}); v.currentTime = t; })));
      const w = vids[0].videoWidth, h = vids[0].videoHeight, px = [];
      for (const v of vids) {
        const c = document.createElement('canvas'); c.width = w; c.height = h;
        const g = c.getContext('2d'); g.drawImage(v, 0, 0, w, h); px.push(g.getImageData(0, 0, w, h).data);
      }
      let s = 0; for (let i = 0; i < px[0].length; i += 4) s += Math.abs(px[0][i] - px[1][i]) + Math.abs(px[0][i+1] - px[1][i+1]) + Math.abs(px[0][i+2] - px[1][i+2]);
      return s / (px[0].length / 4 * 3); }""", t)


def wait_rendered(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_function("document.getElementById('status').textContent.startsWith('re-rendered')"
                           " || document.getElementById('status').classList.contains('error')", timeout=timeout_ms)
    assert page.text_content("#status").startswith("re-rendered"), page.text_content("#status")
    page.wait_for_function("document.getElementById('directed').currentSrc.includes('rec.edited.mp4')"
                           " && document.getElementById('directed').readyState >= 2")


def test_page_lists_plays_in_sync_and_shows_every_shot(page, run_dir, tmp_path):
    assert [li.text_content() for li in page.query_selector_all("#list li .key")] == ["broken", "desk", "rec"]
    assert "failed" in page.text_content("#list li[data-key=broken]")
    segs = json.loads((run_dir / "out" / "rec.segments.json").read_text())["segments"]
    blocks = page.query_selector_all("#timeline .seg")
    assert len(blocks) == len(segs) >= 3
    rows = page.query_selector_all("#shots tbody tr")
    assert [r.query_selector("td.reason").text_content() for r in rows] == [s["reason"] for s in segs]
    assert [b.query_selector(".mode").text_content() for b in blocks] == [s["mode"] for s in segs]
    if SCORER:                                                 # rec.truth.json lies beside the raw recording
        assert "coverage" in page.text_content("#scores")
    else:                                                      # a clone without ../shared beside it
        assert "not the scorer" in page.text_content("#scores")
    page.click("#play")
    page.wait_for_function("document.getElementById('raw').currentTime > 1.5"
                           " && document.getElementById('directed').currentTime > 1.5", timeout=30_000)
    state = page.evaluate("""() => ['raw', 'directed'].map(id => { const v = document.getElementById(id);
        return {t: v.currentTime, paused: v.paused, w: v.videoWidth, h: v.videoHeight, ready: v.readyState}; })""")
    assert all(not s["paused"] and s["ready"] >= 2 and (s["w"], s["h"]) == (360, 640) for s in state), state
    assert abs(state[0]["t"] - state[1]["t"]) < 0.25, state           # in sync
    shot(page, "1-playing", tmp_path)
    page.click("#play")
    # the run zoomed in by 2 s (typing), so the directed video shows another picture than the raw one there
    assert frames_differ(page, 2.5) > 12
    assert page.errors == []


def test_desk_has_no_scores_and_broken_its_error(page, tmp_path):
    page.click("#list li[data-key=broken]")
    page.wait_for_function("document.getElementById('title').textContent === 'broken'")
    assert page.is_visible("#failed") and not page.is_visible("#editor")
    assert page.text_content("#failed").startswith("failed: ")
    shot(page, "5-failed-input", tmp_path)
    page.click("#list li[data-key=desk]")
    page.wait_for_function("document.getElementById('title').textContent === 'desk'")
    page.wait_for_function("document.getElementById('scores').textContent.includes('no truth file')")
    assert "desk.truth.json" in page.text_content("#scores") and "coverage" not in page.text_content("#scores")
    page.wait_for_function("document.getElementById('directed').readyState >= 2")
    shot(page, "4-no-truth", tmp_path)
    page.click("#list li[data-key=rec]")
    page.wait_for_function("document.getElementById('title').textContent === 'rec'"
                           " && document.querySelectorAll('#timeline .seg').length >= 3")


def test_drag_a_boundary_save_and_see_the_rerender(page, run_dir, tmp_path):
    out = run_dir / "out"
    segs = json.loads((out / "rec.segments.json").read_text())["segments"]
    assert segs[1]["mode"] == "focus_in"
    handle = page.query_selector('#timeline .handle[data-k="0"]')     # where the push-in starts: moves it whole
    box, tl = handle.bounding_box(), page.query_selector("#timeline").bounding_box()
    target = 2.0                                                      # s: later than the run's start
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(tl["x"] + tl["width"] * target / 4.0, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    assert page.text_content("#status") == "edited, not saved"
    x = page.query_selector('#shots tbody tr[data-k="2"] td:nth-child(6) input')   # the hold's window: x
    x.fill("20")
    x.dispatch_event("change")
    before = (out / "rec.mp4").read_bytes(), (out / "rec.segments.json").read_bytes()
    page.click("#save")
    wait_rendered(page)
    edl = json.loads((out / "rec.edited.segments.json").read_text())
    moved = edl["segments"][0]["t1"]
    assert abs(moved - target) < 0.1 and edl["segments"][1]["t0"] == moved
    ramp = segs[1]["t1"] - segs[1]["t0"]               # the push-in moved whole, its length kept
    assert abs(edl["segments"][1]["t1"] - moved - ramp) < 0.002 and edl["segments"][2]["t0"] == edl["segments"][1]["t1"]
    assert [s["mode"] for s in edl["segments"]] == [s["mode"] for s in segs]
    # the window changed for the shot: the hold and the push-in that aims at it
    assert edl["segments"][1]["roi"] == edl["segments"][2]["roi"] == [20] + segs[2]["roi"][1:]
    assert ((out / "rec.mp4").read_bytes(), (out / "rec.segments.json").read_bytes()) == before   # untouched
    assert (out / "rec.edited.camera.json").is_file() and (out / "rec.edited.mp4").is_file()
    # the run was zoomed in at 1.5 s; the edit waits until 2 s, so the re-rendered video is still wide there
    assert frames_differ(page, 1.5) < 4
    assert "edited" in page.text_content("#scores") or not SCORER
    assert page.query_selector("#list li[data-key=rec] .badge.edited")
    shot(page, "2-dragged-and-rerendered", tmp_path)


def test_delete_a_shot_save_and_see_the_rerender(page, run_dir, tmp_path):
    out = run_dir / "out"
    assert frames_differ(page, 3.5) > 12                 # the edit so far still zooms in for the typing
    n = len(page.query_selector_all("#timeline .seg"))
    page.click('#shots tbody tr[data-k="1"] button.delete')          # the push-in and the hold after it
    assert len(page.query_selector_all("#timeline .seg")) == n - 2
    page.click("#save")
    wait_rendered(page)
    edl = json.loads((out / "rec.edited.segments.json").read_text())
    assert [s["mode"] for s in edl["segments"]][:1] == ["wide"] and len(edl["segments"]) == n - 2
    assert frames_differ(page, 3.5) < 4                  # the shot is gone: the whole screen, like the raw
    frames = len(json.loads((out / "rec.edited.camera.json").read_text())["frames"])
    assert page.text_content("#status") == f"re-rendered: rec.edited.mp4 ({frames} frames)"
    shot(page, "3-shot-deleted", tmp_path)
    assert page.errors == []


def test_a_direct_run_names_its_raw_recording_through_command_sh(run_dir, tmp_path):
    from engine.review.archive import recordings

    src = run_dir / "in" / "desk.mp4"
    assert cli.main(["direct", str(src), "-o", str(tmp_path / "out" / "desk.mp4"), "-q"]) == 0
    (rec,) = recordings(tmp_path / "out")
    assert rec.key == "desk" and rec.source == src and "command.sh" in rec.source_why and rec.source_ok()
    assert rec.directed() == (tmp_path / "out" / "desk.mp4").resolve()


def test_review_refuses_a_folder_without_recordings(tmp_path, capsys):
    assert cli.main(["review", str(tmp_path / "nowhere")]) == 3
    assert "run folder not found" in capsys.readouterr().err
    assert cli.main(["review", str(tmp_path)]) == 3
    assert "no recordings" in capsys.readouterr().err
