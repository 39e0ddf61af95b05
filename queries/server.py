"""A real SPARQL 1.1 endpoint: Oxigraph's server, read-only, on 127.0.0.1, loaded with a graph file.

Oxigraph's `serve-read-only` answers queries at /query, refuses updates (403) and ships a query UI.
Bounds:
- `--timeout-s`: Oxigraph cancels a query after that many seconds. It checks when the query reads from the
  store, so a query busy joining rows it has already read (a cross join) runs on until its next read.
- A client that leaves: Oxigraph streams the rows as they are computed and stops when writing to the closed
  connection fails; before the first row (sorting, grouping, counting) it cannot notice, and the timeout
  is what ends an abandoned query.
- SERVICE (federation): Oxigraph's CLI sends it wherever the query says and has no switch to turn it off,
  so unless federation is allowed the server runs under a seccomp filter that refuses every outbound
  connection (queries/no_outbound.py, through libseccomp); SERVICE then fails with "Operation not permitted".
- The server is started with graph.child_processes.popen: it dies with this process, even on SIGKILL.
  Its temporary store (a graph file loaded into a folder) is removed when the server stops; after a
  SIGKILL, by the next start (folders named after a process that no longer runs).
"""
import http.client
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from importlib import resources
from pathlib import Path
from typing import IO

from healthkg.graph import child_processes
from healthkg.queries.stores import StoreError, StoreInputError, open_store_dir

DEFAULT_QUERY_TIMEOUT = 60
NO_OUTBOUND = Path(str(resources.files("healthkg.queries") / "no_outbound.py"))
TEMP_PREFIX = "healthkg-serve-"
TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-")


def oxigraph_binary() -> str:
    beside_python = Path(sys.executable).parent / "oxigraph"
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server is not installed (pip install oxigraph)")
    return found


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftover_stores(folder: Path | None = None) -> list[Path]:
    """Remove the temporary stores of servers whose process was killed (SIGKILL leaves them behind): ours
    by name and owner, their process gone."""
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
        match = TEMP_NAME.match(path.name)
        try:
            ours = path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid()
        except OSError:
            continue
        if match and ours and not _runs(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _load_error(stderr: str) -> str:
    """The line of `oxigraph load`'s message that says what is wrong (it goes on with a backtrace)."""
    for line in stderr.splitlines():
        if line.startswith("Error while loading file"):
            return line.partition(": ")[2]
    return next((line for line in stderr.splitlines() if line.strip()), "(no message)")


class OxigraphServer:
    """Start with `with OxigraphServer(graph_file) as server: server.query_url`."""

    def __init__(self, graph_file: Path, port: int | None = None, timeout: float = 60, store_dir: Path | None = None,
                 query_timeout: int = DEFAULT_QUERY_TIMEOUT, allow_federation: bool = False):
        self.graph_file, self.port, self.timeout = Path(graph_file), port or free_port(), timeout
        self.store_dir = Path(store_dir) if store_dir else None
        self.query_timeout, self.allow_federation = math.ceil(query_timeout), allow_federation
        self.process: subprocess.Popen | None = None
        self.folder: Path | None = None
        self._stderr: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    def start(self) -> "OxigraphServer":
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        if not port_is_free(self.port):
            raise StoreError(f"port {self.port} on 127.0.0.1 is in use; choose another with --port")
        binary = oxigraph_binary()
        if self.store_dir:                      # a store built by `build`: served as it is
            open_store_dir(self.store_dir)          # is it a store? (opened read-only, released at once)
            location = str(self.store_dir)
        else:
            if not self.graph_file.is_file():
                raise StoreInputError(f"no graph file {self.graph_file}")
            remove_leftover_stores()
            self.folder = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
            location = str(self.folder)
            load = child_processes.run([binary, "load", "--location", location, "--format", "nt",
                                        "--file", str(self.graph_file)])
            if load.returncode != 0:
                raise StoreInputError(f"the graph file {self.graph_file} is not N-Triples: "
                                      f"{_load_error(load.stderr.decode('utf-8', errors='replace'))}")
        command = [binary, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{self.port}",
                   "--timeout-s", str(self.query_timeout)]
        if not self.allow_federation:
            command = [sys.executable, "-P", str(NO_OUTBOUND), *command]     # -P: nothing of queries/ on its path
        self._stderr = tempfile.TemporaryFile()             # never fills up as an unread pipe would
        self.process = child_processes.popen(command, stdout=subprocess.DEVNULL, stderr=self._stderr)
        self._wait_until_ready(self.process)
        if not self.store_dir and not self.ask("ASK { ?s ?p ?o }"):
            raise StoreInputError(f"the graph file {self.graph_file} holds no triples")

    def wait(self) -> int:
        """Until the server stops by itself: its exit code."""
        if self.process is None:
            raise StoreError("the oxigraph server was not started")
        return self.process.wait()

    def ask(self, query: str, timeout: float = 2) -> bool:
        """One ASK query to our server (directly, never through a proxy)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", "/query?" + urllib.parse.urlencode({"query": query}),
                               headers={"Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            body = response.read(1 << 16)
        finally:
            connection.close()
        if response.status != 200:
            raise StoreError(f"oxigraph server answered HTTP {response.status}: {body[:200]!r}")
        return bool(json.loads(body)["boolean"])

    def _server_message(self) -> str:
        if self._stderr is None:
            return "(its messages are gone: the server was stopped)"
        self._stderr.seek(0)
        return self._stderr.read(1 << 16).decode("utf-8", errors="replace").strip()

    def _wait_until_ready(self, process: subprocess.Popen) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StoreError(f"oxigraph server stopped: {self._server_message()}")
            try:
                self.ask("ASK {}")
                if process.poll() is None:     # ours answered, not another server
                    return
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
        raise StoreError(f"oxigraph server did not answer on port {self.port} within {self.timeout:.0f} s")

    def stop(self) -> None:
        if self.process:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            child_processes.forget(self.process)
        if self._stderr:
            self._stderr.close()
            self._stderr = None
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> "OxigraphServer":
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.stop()
