// screendirector review: the run's recordings, raw beside directed in sync, the shots (the EDL) to edit, scores.
// Every text from the run (names, reasons, errors) goes in as textContent, never as HTML.
"use strict";

const RAMPS = ["focus_in", "release"];
const MIN_S = 0.05;        // the shortest a segment may be dragged to (s)
const SYNC_S = 0.08;       // the directed video is re-seeked when it drifts further than this from the raw (s)

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  for (const k of kids) e.append(k);
  return e;
};
const r3 = (v) => Math.round(v * 1000) / 1000;

let run = null;            // /api/run
let rec = null;            // /api/recording for the selected one
let segs = [];             // the shots being edited (a copy of the EDL's segments)
let selected = -1;         // the selected segment
let polling = null;

async function getJSON(url, opts) {
  const r = await fetch(url, opts);
  const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
  if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
  return body;
}

// --- the list -----------------------------------------------------------------------------------------------
async function loadRun() {
  run = await getJSON("/api/run");
  $("run").textContent = `${run.out} (${run.recordings.length} recordings)`;
  const list = $("list");
  list.replaceChildren();
  for (const r of run.recordings) {
    const meta = el("div", { className: "meta" });
    meta.append(el("span", { className: "badge " + (r.state === "done" ? "" : "failed"), textContent: r.state }));
    if (r.shots != null) meta.append(`${r.shots} segment${r.shots === 1 ? "" : "s"}, ${Number(r.duration).toFixed(1)} s `);
    if (r.truth) meta.append(el("span", { className: "badge truth", textContent: "truth" }));
    if (r.edited) meta.append(el("span", { className: "badge edited", textContent: "edited" }));
    if (!r.source_ok) meta.append(el("span", { className: "badge missing", textContent: "raw missing" }));
    if (r.error) meta.append(el("div", { textContent: r.error }));
    const li = el("li", { title: r.key }, el("div", { className: "key", textContent: r.key }), meta);
    li.dataset.key = r.key;
    li.addEventListener("click", () => { location.hash = encodeURIComponent(r.key); });
    list.append(li);
  }
  const want = decodeURIComponent(location.hash.slice(1));
  const first = run.recordings.find((r) => r.key === want) || run.recordings.find((r) => r.shots != null);
  if (first) await select(first.key);
}

async function select(key) {
  for (const li of $("list").children) li.classList.toggle("selected", li.dataset.key === key);
  rec = await getJSON("/api/recording?key=" + encodeURIComponent(key));
  $("main").hidden = false;
  $("title").textContent = rec.key;
  $("source").textContent = rec.source_ok ? `raw recording: ${rec.source} (${rec.source_why})` : "";
  const failed = !rec.segments;           // a failed input of the batch: its error, nothing to play or edit
  $("failed").hidden = !failed;
  $("failed").textContent = failed ? `${rec.state}: ${rec.error || "no outputs"}` : "";
  $("editor").hidden = failed;
  if (failed) {
    for (const v of ["raw", "directed"]) { $(v).removeAttribute("src"); $(v).load(); }
    drawScores(rec.scores);
    return;
  }
  setVideo($("raw"), $("raw-missing"), rec.raw, rec.source_why || "the raw recording is not available");
  const hasEdited = !!rec.edited_video;
  $("which").hidden = !hasEdited;
  document.querySelector(`input[name=which][value=${hasEdited ? "edited" : "original"}]`).checked = true;
  showDirected();
  segs = structuredClone((rec.edited_segments || rec.segments || { segments: [] }).segments);
  selected = -1;
  drawShots();
  drawScores(rec.scores);
  const j = rec.job || {};
  status(rec.edited_segments ? "showing your saved edit (NAME.edited.segments.json)" : "", false);
  if (["queued", "planning", "rendering"].includes(j.state)) poll();
  $("save").disabled = !rec.segments || !!rec.directed;   // nothing to save yet, unless the run never rendered
}

function setVideo(video, missing, url, why) {
  if (url) {
    if (video.getAttribute("src") !== url) video.src = url;
    video.hidden = false;
    missing.hidden = true;
  } else {
    video.removeAttribute("src");
    video.load();
    video.hidden = true;
    missing.hidden = false;
    missing.textContent = why;
  }
}

function showDirected() {
  const edited = document.querySelector("input[name=which]:checked").value === "edited";
  const url = edited && rec.edited_video ? rec.edited_video : rec.directed;
  const t = master().currentTime || 0;
  setVideo($("directed"), $("directed-missing"), url,
           "the run did not render this recording (batch without --render): Save and re-render makes one");
  const d = $("directed");
  if (url) d.addEventListener("loadedmetadata", () => { d.currentTime = t; }, { once: true });
}

// --- playing in sync ----------------------------------------------------------------------------------------
// The raw video is the clock when it is there; the directed one follows it (and is the clock otherwise).
function master() { return $("raw").hidden ? $("directed") : $("raw"); }
function follower() { return $("raw").hidden || $("directed").hidden ? null : $("directed"); }
function duration() { return (rec && rec.segments && rec.segments.duration) || master().duration || 0; }

async function togglePlay() {
  const m = master(), f = follower();
  if (m.paused) {
    if (f) f.currentTime = m.currentTime;
    await Promise.all([m.play(), f ? f.play() : null].filter(Boolean));
  } else {
    m.pause();
    if (f) f.pause();
  }
}

function seek(t) {
  for (const v of [$("raw"), $("directed")]) if (!v.hidden) v.currentTime = t;
}

function tick() {
  const m = master(), f = follower();
  if (rec) {
    const t = m.currentTime || 0, dur = duration();
    if (f && !m.paused && Math.abs(f.currentTime - t) > SYNC_S) f.currentTime = t;
    if (f && m.paused && !f.paused) f.pause();
    if (f && !m.paused && f.paused && !f.ended) f.play().catch(() => {});
    $("play").textContent = m.paused ? "Play" : "Pause";
    $("scrub").max = dur;
    if (document.activeElement !== $("scrub")) $("scrub").value = t;
    $("clock").textContent = `${t.toFixed(2)} / ${dur.toFixed(2)} s`;
    $("playhead").style.left = dur ? `${(100 * t) / dur}%` : "0";
    drawWindow(t);
  }
  requestAnimationFrame(tick);
}

// The window the shot under the playhead aims at, drawn on the raw video (a move shows where it is going).
function drawWindow(t) {
  const box = $("window"), v = $("raw"), e = rec.segments;
  const s = segs.find((x) => t >= x.t0 && t < x.t1) || segs[segs.length - 1];
  if (!s || !e || v.hidden || !v.clientWidth) { box.hidden = true; return; }
  const k = v.clientWidth / e.width;
  Object.assign(box.style, { left: `${s.roi[0] * k}px`, top: `${s.roi[1] * k}px`, width: `${s.roi[2] * k}px`,
                             height: `${s.roi[3] * k}px` });
  box.hidden = false;
}

// --- the shots ----------------------------------------------------------------------------------------------
const isRamp = (s) => RAMPS.includes(s.mode);

// A shot is a ramp and the still segment it leads into: they aim at one window.
function shotOf(k) {
  const a = isRamp(segs[k]) ? k : (k > 0 && isRamp(segs[k - 1]) ? k - 1 : k);
  const b = isRamp(segs[a]) && a + 1 < segs.length && !isRamp(segs[a + 1]) ? a + 1 : a;
  return [a, b];
}

function fullWindow() {
  const e = rec.segments, o = e.output, aspect = o.width / o.height;
  const w = Math.min(e.width, e.height * aspect), h = w / aspect;
  return [r3((e.width - w) / 2), r3((e.height - h) / 2), r3(w), r3(h)];
}

function edited() {
  $("save").disabled = false;
  status("edited, not saved", false);
  drawShots();
}

function setWindow(k, roi) {
  const [a, b] = shotOf(k);
  for (let i = a; i <= b; i++) segs[i].roi = roi.slice();
}

function setMode(k, mode) {
  const s = segs[k];
  if (isRamp(s)) { s.mode = mode; return; }
  const [a] = shotOf(k);
  s.mode = mode;
  if (mode === "wide") setWindow(k, fullWindow());
  if (a !== k) segs[a].mode = mode === "wide" ? "release" : "focus_in";
}

// Deleting a shot removes its move and what it held: the segment before takes over its time, so the camera
// stays where it was until the next move. The opening segment has nothing before it to take over.
function deleteShot(k) {
  const [a, b] = shotOf(k);
  if (a === 0) return;
  segs[a - 1].t1 = segs[b].t1;
  segs.splice(a, b - a + 1);
  selected = Math.min(a - 1, segs.length - 1);
}

function drawShots() {
  const tl = $("timeline"), dur = duration(), ph = $("playhead");
  tl.replaceChildren(ph);
  const axis = $("axis");
  axis.replaceChildren();
  const step = dur > 60 ? 10 : dur > 20 ? 5 : 1;
  for (let t = 0; t <= dur + 1e-9; t += step) {
    axis.append(el("span", { textContent: `${t}s`, style: `left:${(100 * t) / dur}%` }));
  }
  segs.forEach((s, k) => {
    const d = el("div", { className: `seg mode-${s.mode}` + (k === selected ? " selected" : ""),
                          title: `${s.mode} ${s.t0}-${s.t1} s: ${s.reason}` },
                 el("span", { className: "mode", textContent: s.mode }), s.reason || "");
    d.dataset.k = k;
    d.style.left = `${(100 * s.t0) / dur}%`;
    d.style.width = `${(100 * (s.t1 - s.t0)) / dur}%`;
    d.addEventListener("click", () => { selected = k; seek(s.t0 + 1e-3); drawShots(); });
    tl.append(d);
  });
  for (let k = 0; k + 1 < segs.length; k++) {
    const h = el("div", { className: "handle", title: "drag to move this boundary" });
    h.dataset.k = k;
    h.style.left = `${(100 * segs[k].t1) / dur}%`;
    h.addEventListener("pointerdown", (ev) => dragBoundary(ev, k, h));
    tl.append(h);
  }
  drawTable();
}

// Dragging the start of a move (the boundary before a focus_in or release) moves the whole move, keeping its
// length: the still segment after it gives up the time. Any other boundary moves alone.
function dragBoundary(ev, k, handle) {
  ev.preventDefault();
  handle.setPointerCapture(ev.pointerId);
  handle.classList.add("dragging");
  const box = $("timeline").getBoundingClientRect(), dur = duration();
  const whole = isRamp(segs[k + 1]) && k + 2 < segs.length;
  const len = whole ? segs[k + 1].t1 - segs[k + 1].t0 : 0;
  const lo = segs[k].t0 + MIN_S, hi = (whole ? segs[k + 2].t1 - len : segs[k + 1].t1) - MIN_S;
  const move = (e) => {
    const t = r3(Math.min(hi, Math.max(lo, ((e.clientX - box.left) / box.width) * dur)));
    segs[k].t1 = segs[k + 1].t0 = t;
    if (whole) segs[k + 1].t1 = segs[k + 2].t0 = r3(t + len);
    for (let i = k; i <= k + (whole ? 2 : 1); i++) {
      const b = $("timeline").querySelector(`.seg[data-k="${i}"]`);
      b.style.left = `${(100 * segs[i].t0) / dur}%`;
      b.style.width = `${(100 * (segs[i].t1 - segs[i].t0)) / dur}%`;
    }
    handle.style.left = `${(100 * t) / dur}%`;
    const next = $("timeline").querySelector(`.handle[data-k="${k + 1}"]`);
    if (whole && next) next.style.left = `${(100 * segs[k + 1].t1) / dur}%`;
  };
  const up = () => {
    handle.removeEventListener("pointermove", move);
    handle.removeEventListener("pointerup", up);
    selected = k + 1;
    seek(segs[k].t1);
    edited();
  };
  handle.addEventListener("pointermove", move);
  handle.addEventListener("pointerup", up);
}

function num(value, onchange, step = "0.001") {
  const i = el("input", { type: "number", value, step });
  i.addEventListener("change", () => { const v = parseFloat(i.value); if (Number.isFinite(v)) onchange(v); });
  return i;
}

function drawTable() {
  const body = $("shots").querySelector("tbody");
  body.replaceChildren();
  segs.forEach((s, k) => {
    const tr = el("tr", { className: k === selected ? "selected" : "" });
    tr.dataset.k = k;
    const mode = el("select");
    for (const m of isRamp(s) ? RAMPS : ["wide", "hold"]) mode.append(el("option", { value: m, textContent: m }));
    mode.value = s.mode;
    mode.addEventListener("change", () => { setMode(k, mode.value); edited(); });
    const to = k + 1 < segs.length
      ? num(s.t1, (v) => { const t = r3(Math.min(segs[k + 1].t1 - MIN_S, Math.max(s.t0 + MIN_S, v)));
                           s.t1 = segs[k + 1].t0 = t; edited(); })
      : document.createTextNode(s.t1.toFixed(3));
    const settle = isRamp(s) ? num(s.settle_s, (v) => { s.settle_s = Math.max(0, r3(v)); edited(); }) : "";
    const roi = el("span");
    s.roi.forEach((v, i) => roi.append(num(v, (x) => {
      const w = s.roi.slice();
      w[i] = x;
      setWindow(k, w);
      edited();
    }, "1")));
    const del = el("button", { type: "button", textContent: "delete", disabled: shotOf(k)[0] === 0,
                               title: shotOf(k)[0] === 0 ? "the opening shot has nothing before it to take its time"
                                                         : "delete this shot (its move and what it holds)" });
    del.className = "delete";
    del.addEventListener("click", () => { deleteShot(k); edited(); });
    for (const c of [String(k), mode, s.t0.toFixed(3), to, settle, roi]) tr.append(el("td", {}, c));
    tr.append(el("td", { className: "reason", textContent: s.reason || "" }), el("td", {}, del));
    tr.addEventListener("click", (e) => { if (e.target.tagName === "TD") { selected = k; seek(s.t0 + 1e-3); drawShots(); } });
    body.append(tr);
  });
}

// --- saving and re-rendering --------------------------------------------------------------------------------
function status(text, error) {
  $("status").textContent = text;
  $("status").classList.toggle("error", !!error);
}

async function save() {
  $("save").disabled = true;
  status("saving ...", false);
  try {
    const r = await getJSON("/api/save?key=" + encodeURIComponent(rec.key), {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ segments: segs }) });
    status(`saved ${r.saved}; re-planning ...`, false);
    poll();
  } catch (e) {
    status(e.message, true);
    $("save").disabled = false;
  }
}

function poll() {
  clearTimeout(polling);
  const key = rec.key;
  const bar = $("progress");
  const step = async () => {
    if (!rec || rec.key !== key) return;
    let j;
    try { j = await getJSON("/api/job?key=" + encodeURIComponent(key)); } catch (e) { status(e.message, true); return; }
    if (j.state === "rendering" || j.state === "planning" || j.state === "queued") {
      bar.hidden = false;
      bar.max = j.total || 1;
      bar.value = j.frames || 0;
      status(j.state === "rendering" ? `rendering ${j.frames} of ${j.total} frames` : `${j.state} ...`, false);
      polling = setTimeout(step, 250);
      return;
    }
    bar.hidden = true;
    if (j.state === "done") {
      const t = master().currentTime;
      const fresh = await getJSON("/api/recording?key=" + encodeURIComponent(key));
      rec.edited_video = fresh.edited_video;
      rec.edited_segments = fresh.edited_segments;
      drawScores(fresh.scores);
      markEdited(key);
      $("which").hidden = false;
      document.querySelector("input[name=which][value=edited]").checked = true;
      showDirected();
      seek(t);
      status(`re-rendered: ${key}.edited.mp4 (${j.total} frames)`, false);
    } else if (j.state === "planned") {
      drawScores((await getJSON("/api/recording?key=" + encodeURIComponent(key))).scores);
      status(j.error, true);
    } else if (j.state === "failed") {
      status(`failed: ${j.error}`, true);
      $("save").disabled = false;
    }
  };
  step();
}

function markEdited(key) {
  const li = [...$("list").children].find((x) => x.dataset.key === key);
  if (li && !li.querySelector(".badge.edited")) {
    li.querySelector(".meta").append(el("span", { className: "badge edited", textContent: "edited" }));
  }
}

// --- scores -------------------------------------------------------------------------------------------------
function drawScores(sc) {
  const box = $("scores");
  box.replaceChildren();
  if (!sc || sc.why) {
    box.append(el("p", { className: "note", textContent: (sc && sc.why) || "no scores" }));
    return;
  }
  box.append(el("p", { className: "note", textContent: `against ${sc.truth} (../shared/METRICS.md)` }));
  const table = el("table");
  table.append(el("tr", {}, el("th", { textContent: "metric" }), el("th", { textContent: "the run" }),
                  el("th", { textContent: sc.edited ? "edited" : "" })));
  for (const [name, better] of sc.metrics) {
    const a = sc.original ? sc.original[name] : null, b = sc.edited ? sc.edited[name] : null;
    const cls = a == null || b == null || a === b ? "" : (better === "higher") === (b > a) ? "better" : "worse";
    table.append(el("tr", {}, el("td", { textContent: `${name} (${better} is better)` }),
                    el("td", { textContent: a == null ? "-" : String(a) }),
                    el("td", { className: cls, textContent: sc.edited ? (b == null ? "-" : String(b)) : "" })));
  }
  box.append(table);
}

// --- wiring -------------------------------------------------------------------------------------------------
$("play").addEventListener("click", () => togglePlay().catch((e) => status(`cannot play: ${e.message}`, true)));
$("scrub").addEventListener("input", () => seek(parseFloat($("scrub").value)));
$("save").addEventListener("click", save);
$("reset").addEventListener("click", () => { segs = structuredClone(rec.segments.segments); selected = -1; edited(); });
for (const r of document.querySelectorAll("input[name=which]")) r.addEventListener("change", showDirected);
for (const v of ["raw", "directed"]) $(v).addEventListener("ended", () => { master().pause(); });
window.addEventListener("hashchange", () => select(decodeURIComponent(location.hash.slice(1))).catch((e) => status(e.message, true)));
requestAnimationFrame(tick);
loadRun().catch((e) => { $("run").textContent = `cannot read the run: ${e.message}`; });
