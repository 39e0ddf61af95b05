"""A real SPARQL 1.1 endpoint: Oxigraph's server, read-only, on 127.0.0.1, loaded with a graph file.

Oxigraph's `serve-read-only` answers queries at /query, refuses updates (403) and ships a query UI.
"""
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from queries.stores import StoreError


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


class OxigraphServer:
    """Start with `with OxigraphServer(graph_file) as server: server.query_url`."""

    def __init__(self, graph_file: Path, port: int | None = None, timeout: float = 60, store_dir: Path | None = None):
        self.graph_file, self.port, self.timeout = Path(graph_file), port or free_port(), timeout
        self.store_dir = Path(store_dir) if store_dir else None
        self.process: subprocess.Popen | None = None
        self._folder: tempfile.TemporaryDirectory | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    def start(self) -> "OxigraphServer":
        if not port_is_free(self.port):
            raise StoreError(f"port {self.port} on 127.0.0.1 is in use; choose another with --port")
        binary = oxigraph_binary()
        if self.store_dir:                      # a store built by `build`: served as it is
            if not self.store_dir.is_dir():
                raise StoreError(f"no store at {self.store_dir}")
            location = str(self.store_dir)
        else:
            if not self.graph_file.is_file():
                raise StoreError(f"no graph file {self.graph_file}")
            self._folder = tempfile.TemporaryDirectory(prefix="healthkg-oxigraph-")
            location = self._folder.name
            load = subprocess.run([binary, "load", "--location", location, "--file", str(self.graph_file)],
                                  capture_output=True, text=True)
            if load.returncode != 0:
                raise StoreError(f"oxigraph could not load {self.graph_file}: {load.stderr.strip()}")
        self.process = subprocess.Popen([binary, "serve-read-only", "--location", location,
                                         "--bind", f"127.0.0.1:{self.port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise StoreError(f"oxigraph server stopped: {self.process.stderr.read().strip()}")
            try:
                with urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=2):
                    if self.process.poll() is None:     # ours answered, not another server
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise StoreError(f"oxigraph server did not answer on port {self.port} within {self.timeout:.0f} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._folder:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
