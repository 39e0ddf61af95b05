"""Looking at processes from the tests: children, liveness, ports, a `serve` started as a user would, and
an OpenLink Virtuoso server of our own."""
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from healthkg.graph import child_processes

ROOT = Path(__file__).resolve().parent.parent


def children(pid: int) -> set[int]:
    """The processes that `pid` started, from any of its threads (zombies included)."""
    found: set[int] = set()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.update(int(child) for child in (task / "children").read_text().split())
    except OSError:
        pass
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def running(pid: int) -> bool:
    """Alive and not a zombie (PID 1 here reaps slowly: a killed process may stay a zombie a while)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return bool(condition())


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # ignore TIME_WAIT, not listeners
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True


def start_serve(port: int, *options: str, wait: float) -> tuple[subprocess.Popen, str]:
    """`build_graph.py serve --port PORT` in its own session (as a terminal would run it), once it printed
    its banner: the process and the banner."""
    proc = subprocess.Popen([sys.executable, "build_graph.py", "serve", "--port", str(port), *options], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            start_new_session=True)
    banner: list[str] = []
    reader = threading.Thread(target=lambda: banner.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(wait)
    if not banner or not banner[0]:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=wait)
        pytest.fail(f"serve did not start within {wait} s: {proc.stderr.read() if proc.stderr else ''}")
    return proc, banner[0]


# ---------------------------------------------------------------- OpenLink Virtuoso, as an ordinary user process

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {folder}, {graph_folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
; one thread per request being answered. A query Virtuoso 7.2 gets stuck in keeps its thread for good (an IF
; over STRLEN(STRBEFORE(..)), as the old search-tasks had, sleeps past MaxQueryExecutionTime every time when asked
; alone; coordinating-load did now and then in these tests, never alone); with 4, four such left every later
; one waiting. The tests stop at the first server that stops answering (tests/test_virtuoso.py). Our clients
; close their connections (urllib sends Connection: close), so no idle connection holds a thread.
ServerThreads = 16
Charset = UTF-8
[SPARQL]
; the default of 10,000 rows would cut answers short without saying so
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 60
"""


VIRTUOSO_PREFIX = "healthkg-virtuoso-"


def _remove_leftover_folders() -> None:
    """The databases of test runs that were killed (SIGKILL or SIGTERM skip the clean-up): ours, their process
    gone (the server itself dies with the test process: child_processes)."""
    for path in Path(tempfile.gettempdir()).glob(VIRTUOSO_PREFIX + "*"):
        pid = path.name[len(VIRTUOSO_PREFIX):].split("-")[0]
        if pid.isdigit() and path.is_dir() and path.stat().st_uid == os.getuid() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)


class Virtuoso:
    """`virtuoso-t` in the foreground with its own database in a temporary folder, on free ports of 127.0.0.1,
    one graph file bulk-loaded (ld_dir, rdf_loader_run) into the named graph GRAPH, which its SPARQL endpoint
    reads by default (DB.DBA.SYS_SPARQL_HOST). Never the system service. `with Virtuoso(graph_file) as v:`;
    the process is killed and the folder removed on the way out, whatever happened. `started`, `loaded`:
    seconds the start-up and the bulk load took."""

    GRAPH = "urn:healthkg:release"

    def __init__(self, graph_file: Path, wait: float = 60):
        self.graph_file, self.wait = Path(graph_file).resolve(), wait
        self.server, self.isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql-v")
        self.process: subprocess.Popen | None = None
        self.folder: Path | None = None
        self.started = self.loaded = 0.0

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def __enter__(self) -> "Virtuoso":
        try:
            self._start()
            self._load()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _start(self) -> None:
        if not (self.server and self.isql):
            raise RuntimeError("virtuoso-t and isql-vt are not installed (apt-get install virtuoso-opensource-7-bin)")
        _remove_leftover_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{VIRTUOSO_PREFIX}{os.getpid()}-"))
        self.sql_port, self.http_port = _two_free_ports()
        (self.folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
            folder=self.folder, sql_port=self.sql_port, http_port=self.http_port,
            graph_folder=self.graph_file.parent), encoding="utf-8")
        began = time.monotonic()
        with open(self.folder / "stdout.log", "wb") as log:
            self.process = child_processes.popen([self.server, "+foreground", "+configfile", "virtuoso.ini"],
                                                 cwd=self.folder, stdout=log, stderr=subprocess.STDOUT,
                                                 stdin=subprocess.DEVNULL)
        while not self._answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t stopped (exit {self.process.returncode}): {self.log()}")
            if time.monotonic() - began > self.wait:
                raise RuntimeError(f"virtuoso-t did not answer within {self.wait:g} s: {self.log()}")
            time.sleep(0.1)
        self.started = time.monotonic() - began

    def _answers(self, seconds: float = 2) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=seconds)
        try:
            connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}),
                               headers={"Accept": "application/sparql-results+json"})
            return connection.getresponse().status == 200 and self.process.poll() is None   # ours, not another
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()

    def answers(self, seconds: float) -> bool:
        """Whether the endpoint answers ASK {} within `seconds` (a stuck server: False, not a wait)."""
        return self._answers(seconds)

    def sql(self, statements: str) -> str:
        """Statements run by isql-vt as the database administrator (a fresh database: password dba);
        RuntimeError with Virtuoso's message if one fails."""
        done = child_processes.run([self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba",
                                    "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT",
                                    f"EXEC={statements}"], timeout=self.wait)
        out = done.stdout.decode("utf-8", errors="replace") + done.stderr.decode("utf-8", errors="replace")
        if done.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql-vt: {out.strip()}")
        return out

    def _load(self) -> None:
        began = time.monotonic()
        self.load(self.graph_file, self.GRAPH)
        self.sql(f"INSERT INTO DB.DBA.SYS_SPARQL_HOST (SH_HOST, SH_GRAPH_URI) VALUES ('*', '{self.GRAPH}');")
        self.loaded = time.monotonic() - began

    def load(self, graph_file: Path, graph: str) -> None:
        """Bulk-load an N-Triples file (in the graph file's folder or in ours) into the named graph `graph`;
        the endpoint reads it with ?default-graph-uri=GRAPH."""
        graph_file = Path(graph_file).resolve()
        self.sql(f"ld_dir('{graph_file.parent}', '{graph_file.name}', '{graph}'); rdf_loader_run(); checkpoint;")
        errors = self.sql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL "
                          "OR ll_state <> 2;")
        if graph_file.name in errors:
            raise RuntimeError(f"Virtuoso's bulk loader did not load {graph_file}: {errors.strip()}")

    def log(self) -> str:
        """The end of the server's log, for an error message."""
        text = ""
        for log in ("virtuoso.log", "stdout.log"):
            path = (self.folder or Path("/nonexistent")) / log
            if path.exists():
                text += path.read_text(encoding="utf-8", errors="replace")
        return text.strip()[-1500:] or "(no log)"

    def stop(self) -> None:
        if self.process:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)    # nothing of its database is kept
            self.process.wait(timeout=self.wait)
            child_processes.forget(self.process)
            self.process = None
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _two_free_ports() -> tuple[int, int]:
    """Two ports of 127.0.0.1 that nothing listens on (both held while the second is chosen)."""
    with socket.socket() as first, socket.socket() as second:
        first.bind(("127.0.0.1", 0))
        second.bind(("127.0.0.1", 0))
        return first.getsockname()[1], second.getsockname()[1]
