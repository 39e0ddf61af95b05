"""Faults on the network side: hostile servers against `query --endpoint`, signals to `serve`, and what the
served endpoint may do (SERVICE, runaway queries).

No timed assertions: every command runs with a generous subprocess timeout that fails the test if it hangs,
and the test checks how it ended (exit code, error text)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import RELEASE, ROOT
from processes import children, cmdline, port_is_free, running, start_serve, wait_until

from healthkg.queries.server import OxigraphServer, free_port, remove_leftover_stores
from healthkg.queries.stores import EndpointStore, StoreError

HANG = 60           # seconds: a command still running after this has hung
ROWS = b'{"head":{"vars":["x"]},"results":{"bindings":['
ROW = b'{"x":{"type":"literal","value":"' + b"a" * 64 + b'"}},'
ENDED = threading.Event()       # set at the end of the module: handlers that wait give up


def _send(handler, content_type: str, body_writer, status: int = 200) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.end_headers()
    try:
        body_writer(handler.wfile)
    except OSError:             # the client left: what a bounded client does
        pass


def _trickle(out) -> None:
    for byte in ROWS + b"]}}":
        out.write(bytes([byte]))
        out.flush()
        if ENDED.wait(1):
            return


def _flood(out) -> None:
    out.write(ROWS)
    chunk = ROW * 2000
    while not ENDED.is_set():
        out.write(chunk)


class Hostile(BaseHTTPRequestHandler):
    """What the server does is the first part of the path: /trickle, /flood, ..."""

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        kind = self.path.strip("/").split("/")[0]
        if kind == "silent":                        # accepts, reads the query, never answers
            ENDED.wait(HANG)
        elif kind == "trickle-headers":             # the status line and headers, a byte a second
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n" * 50:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                if ENDED.wait(1):
                    return
        elif kind == "trickle":
            _send(self, "application/sparql-results+json", _trickle)
        elif kind == "flood":
            _send(self, "application/sparql-results+json", _flood)
        elif kind == "flood-error":                 # an error status whose body never ends
            _send(self, "text/plain", _flood, status=500)
        elif kind == "redirect":                    # a POST redirected (as a GET, to an ftp: URL) loses its query
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/x.json")
            self.end_headers()
        elif kind == "malformed":
            _send(self, "application/sparql-results+json", lambda out: out.write(ROWS + b'{"x":'))
        elif kind == "html":
            _send(self, "text/html", lambda out: out.write(b"<html><body>a web page</body></html>"))
        elif kind == "not-sparql-json":
            _send(self, "application/json", lambda out: out.write(b'{"status": "ok"}'))
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    ENDED.set()
    server.shutdown()
    server.server_close()


def cli(*args, timeout: int = HANG) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build_graph.py", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


# kind, exit code, what the error says. Exit 2: the URL is not a SPARQL endpoint (bad input); exit 1: the
# endpoint gave no complete, well-formed answer within the bounds.
CASES = [
    ("trickle", 1, "no complete answer within 3 s (--timeout)"),
    ("trickle-headers", 1, "no complete answer within 3 s (--timeout)"),
    ("silent", 1, "no complete answer within 3 s (--timeout)"),
    ("flood", 1, "sent more than 5 MB (--max-response-mb); stopped reading"),
    ("flood-error", 1, "answered HTTP 500 Internal Server Error: {\"head\""),
    ("redirect", 1, "answered HTTP 302 Found, to ftp://127.0.0.1/x.json (not followed"),
    ("malformed", 1, "answered malformed JSON"),
    ("html", 2, "answered text/html, not SPARQL JSON results (is it a SPARQL endpoint?)"),
    ("not-sparql-json", 2, "answered JSON that is not SPARQL results"),
]


@pytest.mark.parametrize("kind, code, message", CASES, ids=[case[0] for case in CASES])
def test_hostile_server_ends_within_its_bounds_with_a_clear_error(hostile, kind, code, message):
    proc = cli("query", "coordinating-load", "--endpoint", f"{hostile}/{kind}/query", "--timeout", 3,
               "--max-response-mb", 5)
    assert (proc.returncode, proc.stdout) == (code, ""), proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr


# ---------------------------------------------------------------- serve: signals

def _start_serve(port: int, *options) -> tuple[subprocess.Popen, int, Path]:
    """`serve` once it answers: it, its oxigraph child and the child's store folder."""
    proc, _ = start_serve(port, *options, wait=HANG)
    (child,) = children(proc.pid)
    command = cmdline(child).decode().split("\0")
    assert Path(command[0]).name == "oxigraph" and "serve-read-only" in command, command
    return proc, child, Path(command[command.index("--location") + 1])


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=lambda s: s.name)
def test_serve_takes_its_server_and_store_with_it(signal_number):
    port = free_port()
    proc, child, store = _start_serve(port)
    try:
        assert store.is_dir() and store.name.startswith(f"healthkg-serve-{proc.pid}-")
        proc.send_signal(signal_number)
        _, stderr = proc.communicate(timeout=HANG)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=HANG)
    assert wait_until(lambda: not running(child), 10), f"oxigraph {child} outlived serve ({signal_number.name})"
    assert wait_until(lambda: port_is_free(port), 10), f"port {port} still taken"
    if signal_number == signal.SIGKILL:     # nothing runs in a killed process: the next start cleans up
        assert proc.returncode == -signal.SIGKILL
        remove_leftover_stores()        # (or another serve starting meanwhile did)
    else:
        assert proc.returncode == 0 and "Traceback" not in stderr, stderr
    assert not store.exists()


# ---------------------------------------------------------------- serve: SERVICE and runaway queries

class Recorder(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_POST(self):  # noqa: N802
        Recorder.seen.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args):
        pass


def _post(url: str, query: str) -> str:
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=HANG) as response:
        return response.read().decode("utf-8", errors="replace")


@pytest.mark.parametrize("allowed", [False, True], ids=["default", "allow-federation"])
def test_service_reaches_nothing_unless_federation_is_allowed(allowed):
    target = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=target.serve_forever, daemon=True).start()
    Recorder.seen.clear()
    service = f"http://127.0.0.1:{target.server_address[1]}/sparql"
    try:
        with OxigraphServer(RELEASE, free_port(), timeout=HANG, allow_federation=allowed) as server:
            answer = _post(server.query_url, f"SELECT * WHERE {{ SERVICE <{service}> {{ ?s ?p ?o }} }}")
            # the server still answers everything else: one row per line of the N-Triples file
            count = EndpointStore(server.query_url, HANG).select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            assert count.rows == [[len(RELEASE.read_bytes().splitlines())]]
    finally:
        target.shutdown()
        target.server_close()
    if allowed:
        assert Recorder.seen == ["/sparql"], "with --allow-federation the query reaches the service"
    else:
        assert Recorder.seen == [], "the read-only server sent a request"
        assert "Operation not permitted" in answer, answer


def test_serve_passes_its_query_timeout_and_oxigraph_cancels_a_runaway_query():
    port = free_port()
    proc, child, _ = _start_serve(port, "--timeout", "1")
    try:
        command = cmdline(child).decode().split("\0")
        assert command[command.index("--timeout-s") + 1] == "1"
        # 20,000 x 20,000 rows compared as strings: minutes of work, which the timeout cuts short
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"
        with pytest.raises(StoreError, match="cancelled"):
            EndpointStore(f"http://127.0.0.1:{port}/query", HANG).select(runaway)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=HANG)
