"""Looking at processes from the tests: children, liveness, ports, and a `serve` started as a user would."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

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
