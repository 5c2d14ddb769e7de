"""`screendirector review OUT_DIR`: a page on localhost for a run's recordings (the stdlib's
ThreadingHTTPServer; the page is plain HTML/JS/CSS in static/).

Routes:
  GET  /                       the page (static/index.html); /static/NAME its script and style
  GET  /api/run                the recordings: key, state, what is there (videos, raw, truth), errors
  GET  /api/recording?key=K    one recording: its EDL (and the edited one), scores, the last job
  GET  /api/job?key=K          the save-and-render job's state (frames done of total)
  POST /api/save?key=K         {"segments": [...]}: check, write PREFIX.edited.segments.json, re-plan, re-render
  GET  /files/REL              a file of the run, REL relative to OUT_DIR (Range requests: the videos seek)
  GET  /raw/K                  the raw recording the run's records name for K (never a path from the URL)

Only OUT_DIR's own files are served: every /files path is resolved (links and `..` too) and refused unless it
stays inside OUT_DIR. Writes go only to PREFIX.edited.* of a listed recording. A request must name this server
as its Host (a page on another site cannot reach it through DNS rebinding), and a POST must be JSON from this
server's own page (a cross-site form cannot send one without a preflight this server never answers). Listening
beyond loopback (--host) drops the Host check: then anyone who reaches the port can see the run and render edits."""
from __future__ import annotations

import json
import mimetypes
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..errors import UserError, one_line
from ..scoring import truth_path
from . import edits
from .archive import Recording, find, inside, recordings
from .scores import scores_for

CHUNK = 256 * 1024             # bytes sent at a time
MAX_BODY = 4 * 1024 * 1024     # the largest edit a POST may carry (bytes)
STATIC = {"index.html", "review.js", "review.css"}
LOOPBACK = ("127.0.0.1", "::1", "localhost")
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
mimetypes.add_type("text/javascript", ".js")


def _static(name: str) -> bytes:
    return (resources.files("engine.review") / "static" / name).read_bytes()


def _url(out: Path, path: Path) -> str:
    return "/files/" + quote(path.relative_to(out).as_posix()) + f"?v={path.stat().st_mtime_ns}"


def describe(out: Path, rec: Recording) -> dict:
    """What the list shows for a recording (sizes and shots come from its EDL)."""
    d = {"key": rec.key, "state": rec.state, "error": rec.error, "source": str(rec.source) if rec.source else None,
         "source_ok": rec.source_ok(), "source_why": rec.source_why, "shots": None, "duration": None,
         "directed": None, "edited": rec.prefix is not None and rec.edited("segments").is_file()}
    if rec.prefix and rec.segments.is_file():
        try:
            seg = json.loads(rec.segments.read_text())
            d.update(shots=len(seg.get("segments", [])), duration=seg.get("duration"),
                     size=[seg.get("width"), seg.get("height")])
        except (OSError, ValueError):
            d["error"] = d["error"] or f"{rec.segments.name} is unreadable"
    v = rec.directed() if rec.prefix else None
    d["directed"] = _url(out, v) if v else None
    d["truth"] = bool(rec.source and truth_path(rec.source).is_file())
    return d


class Handler(BaseHTTPRequestHandler):
    server_version = "screendirector-review"
    out: Path = Path(".")          # set by make_server: OUT_DIR, resolved
    quiet = False

    # --- plumbing ---------------------------------------------------------------------------------------
    def log_message(self, fmt, *args):
        if not self.quiet:
            sys.stderr.write("review: " + (fmt % args) + "\n")

    def _send(self, code: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, obj, code: int = 200) -> None:
        self._send(code, json.dumps(obj).encode(), "application/json")

    def _error(self, code: int, why: str) -> None:
        self._json({"error": why}, code)

    def _host_ok(self) -> bool:
        """The Host header names this server (127.0.0.1:PORT, localhost:PORT or the address it listens on)."""
        bound, port = self.server.server_address[:2]
        if bound not in LOOPBACK:                 # told to listen beyond this machine: any name reaches it
            return True
        host = (self.headers.get("Host") or "").lower()
        return host in {f"{n}:{port}" for n in ("127.0.0.1", "localhost", "[::1]")}

    def _recording(self, query: dict) -> Recording | None:
        key = (query.get("key") or [""])[0]
        rec = find(self.out, key)
        if rec is None:
            self._error(404, f"no recording {key!r} in this run")
        return rec

    # --- GET ----------------------------------------------------------------------------------------------
    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if not self._host_ok():
            return self._error(403, "this server answers only to its own address")
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        try:
            if path == "/":
                return self._send(200, _static("index.html"), "text/html; charset=utf-8")
            if path.startswith("/static/"):
                name = path[len("/static/"):]
                if name not in STATIC:
                    return self._error(404, "not found")
                ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return self._send(200, _static(name), f"{ctype}; charset=utf-8")
            if path == "/api/run":
                return self._json({"out": str(self.out), "recordings": [describe(self.out, r)
                                                                        for r in recordings(self.out)]})
            if path in ("/api/recording", "/api/job"):
                rec = self._recording(query)
                if rec is None:
                    return None
                if path == "/api/job":
                    return self._json(self._job(rec))
                return self._json(self._detail(rec))
            if path.startswith("/files/"):
                f = inside(self.out, unquote(path[len("/files/"):]))
                if f is None:
                    return self._error(404, "not a file of this run")
                return self._file(f)
            if path.startswith("/raw/"):
                key = unquote(path[len("/raw/"):])
                rec = find(self.out, key)
                if rec is None or not rec.source_ok():
                    return self._error(404, rec.source_why if rec else f"no recording {key!r} in this run")
                return self._file(rec.source)
            return self._error(404, "not found")
        except (BrokenPipeError, ConnectionResetError):
            return None

    def _job(self, rec: Recording) -> dict:
        j = edits.job(rec.key)
        v = rec.edited("video")
        j["video"] = _url(self.out, v) if j.get("state") == "done" and v.is_file() else None
        return j

    def _detail(self, rec: Recording) -> dict:
        d = describe(self.out, rec)
        if rec.prefix and rec.segments.is_file():
            d["segments"] = json.loads(rec.segments.read_text())
            e = rec.edited("segments")
            d["edited_segments"] = json.loads(e.read_text()) if e.is_file() else None
            v = rec.edited("video")
            # an edited video older than the edited EDL was made from an earlier edit
            d["edited_video"] = _url(self.out, v) if v.is_file() and e.is_file() and \
                v.stat().st_mtime_ns >= e.stat().st_mtime_ns else None
        d["raw"] = "/raw/" + quote(rec.key) if rec.source_ok() else None
        d["scores"] = scores_for(rec) if rec.prefix else {"why": "no outputs"}
        d["job"] = self._job(rec)
        d["overrides"] = rec.overrides
        return d

    def _file(self, f: Path) -> None:
        """The file, whole or the byte range asked for (206), so a browser can seek in a video."""
        size = f.stat().st_size
        ctype = mimetypes.guess_type(f.name)[0] or "application/octet-stream"
        start, end = 0, size - 1
        rng = self.headers.get("Range")
        code = 200
        if rng:
            m = RANGE_RE.match(rng.strip())
            if m and (m.group(1) or m.group(2)):
                a, b = m.group(1), m.group(2)
                if a:
                    start, end = int(a), min(int(b), size - 1) if b else size - 1
                else:                                         # bytes=-N: the last N bytes
                    start = max(0, size - int(b))
                if start >= size or start > end:
                    return self._send(416, b"", ctype, {"Content-Range": f"bytes */{size}"})
                code = 206
        length = end - start + 1 if size else 0
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-cache")
        if code == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if self.command == "HEAD":
            return
        with open(f, "rb") as fh:
            fh.seek(start)
            left = length
            while left > 0:
                chunk = fh.read(min(CHUNK, left))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)

    # --- POST ---------------------------------------------------------------------------------------------
    def do_POST(self):
        if not self._host_ok():
            return self._error(403, "this server answers only to its own address")
        origin = self.headers.get("Origin")
        if origin and origin.lower() != f"http://{self.headers.get('Host', '').lower()}":
            return self._error(403, "edits come only from this server's own page")
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return self._error(415, "send the edit as application/json")
        url = urlsplit(self.path)
        if url.path != "/api/save":
            return self._error(404, "not found")
        rec = self._recording(parse_qs(url.query))
        if rec is None:
            return None
        if rec.prefix is None or not rec.segments.is_file():
            return self._error(409, "this recording has no EDL to edit")
        n = int(self.headers.get("Content-Length") or 0)
        if n <= 0 or n > MAX_BODY:
            return self._error(413, f"the edit must be 1 to {MAX_BODY} bytes")
        try:
            body = json.loads(self.rfile.read(n))
            segments = body["segments"]
        except (ValueError, KeyError, TypeError):
            return self._error(400, 'expected {"segments": [...]}')
        if edits.busy():
            return self._error(409, "a render is running; save again when it is done")
        try:
            path = edits.save(rec, segments)
        except UserError as e:
            return self._error(422, one_line(e))
        state = edits.start(rec) if body.get("render", True) else {"state": "saved"}
        return self._json({"saved": path.relative_to(self.out).as_posix(), "job": state})


def make_server(out: str | Path, host: str = "127.0.0.1", port: int = 8765, quiet: bool = False) -> ThreadingHTTPServer:
    """The server for OUT_DIR, bound (port 0: any free port; server.server_address says which)."""
    root = Path(out).resolve()
    handler = type("ReviewHandler", (Handler,), {"out": root, "quiet": quiet})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve(out: str | Path, host: str = "127.0.0.1", port: int = 8765) -> int:
    """Serve until Ctrl-C; the CLI's `review` command."""
    from ..errors import BadArgument, InputMissing

    root = Path(out)
    if not root.is_dir():
        raise InputMissing(f"run folder not found: {root}")
    found = recordings(root)
    if not found:
        raise InputMissing(f"no recordings in {root} (no NAME.segments.json; run `screendirector batch` or "
                           "`direct` into it first)")
    try:
        server = make_server(root, host, port)
    except OSError as e:
        raise BadArgument(f"cannot listen on {host}:{port} ({e.strerror or e})") from None
    h, p = server.server_address[:2]
    shown = f"[{h}]" if ":" in str(h) else h
    print(f"review: {len(found)} recordings of {root.resolve()} at http://{shown}:{p}/ (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    if h not in LOOPBACK:
        print(f"review: listening on {h}: anyone who reaches it can see this run and render edits", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0

