"""Child processes (the HermiT JVM, the Oxigraph server) that never outlive the program that started them.

Two mechanisms, because neither covers every way a parent ends:
- Linux's parent-death signal (prctl PR_SET_PDEATHSIG): the kernel kills the child when the parent dies,
  SIGKILL of the parent included. It is tied to the thread that started the child, so children started
  from worker threads must not outlive that thread (ours are waited for by the thread that starts them).
- A registry of live children, killed by `kill_all()`: the command line calls it when it is interrupted
  (Ctrl-C, SIGTERM, SIGHUP), before the interpreter waits for worker threads that wait for those children.
Every child is also the leader of its own process group, so a terminal's Ctrl-C reaches only us and we
decide how children end.
"""
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import threading

_PR_SET_PDEATHSIG = 1


class ProgramEnding(RuntimeError):
    """A child was to be started after kill_all()."""

_live: set[subprocess.Popen] = set()
_lock = threading.Lock()
_closing = False              # set by kill_all(): a worker thread must not start a child after it


def _libc_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except OSError:
        return None


_prctl = _libc_prctl()


def _die_with_parent() -> None:  # runs in the child between fork and exec: async-signal-safe calls only
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def die_with(parent_pid: int) -> None:
    """For a worker process (the local Dask cluster's, graph/app/cluster.py): die when the parent `parent_pid` does,
    and at once if it already has (it may die before this runs)."""
    _die_with_parent()
    if os.getppid() != parent_pid:
        os._exit(1)


# A process whose environment names its parent here (the local Dask cluster's worker processes,
# graph/app/cluster.py) dies with that parent from its first import of this module on: a spawned worker takes
# seconds to import the program again before Dask's own watch on its parent starts, and a build killed in
# that time must not leave it behind. A process that inherits the variable from a worker (Dask sets it again
# there) has another parent, still alive, and is left alone.
DIE_WITH_PARENT = "HEALTHKG_DIE_WITH_PARENT"


def _die_with_the_named_parent() -> None:
    named = os.environ.get(DIE_WITH_PARENT, "")
    if not named.isdigit():
        return
    if int(named) == os.getppid():
        die_with(int(named))
        return
    try:
        os.kill(int(named), 0)
    except ProcessLookupError:       # the parent died before this process got here
        os._exit(1)
    except PermissionError:
        pass


def popen(command: list[str], **options) -> subprocess.Popen:
    """subprocess.Popen whose child dies with this process and is killed by kill_all()."""
    with _lock:
        if _closing:
            raise ProgramEnding(f"not starting {command[0]}: the program is ending")
        process = subprocess.Popen(command, preexec_fn=_die_with_parent, start_new_session=True, **options)
        _live.add(process)
    return process


def forget(process: subprocess.Popen) -> None:
    with _lock:
        _live.discard(process)


def run(command: list[str], timeout: float | None = None, **options) -> subprocess.CompletedProcess:
    """subprocess.run(capture_output=True) for a child tied to this process; the child is killed on a
    timeout (subprocess.TimeoutExpired is raised as subprocess.run does) or any other exception."""
    process = popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        forget(process)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def kill_all() -> None:
    """Kill every live child, and start no more: the program is ending abnormally."""
    global _closing
    with _lock:
        _closing = True
        processes = list(_live)
        _live.clear()
    for process in processes:
        if process.poll() is None:
            try:
                process.kill()
            except ProcessLookupError:
                pass


_die_with_the_named_parent()
