"""The corpus build's engine: Dask distributed, a local cluster by default, or an existing one.

`ordered(function, calls)` runs `function(*call)` for each call on the cluster's workers and yields the
results in the order of `calls`, whatever the order they finish in, so what the main process does with them
(append a plan's triples to the store) does not depend on the number of workers. A bounded window of
futures is in flight (IN_FLIGHT_PER_WORKER per worker thread); each result is released on the cluster once
it has been yielded, so memory does not grow with the corpus.

The local cluster: one worker process per job, one thread each (the per-plan work holds the GIL), started
as fresh interpreters (spawn, not fork: a fork of a process whose Rust libraries hold a lock in another
thread can deadlock), listening on 127.0.0.1 only, without a dashboard; its workers die with this process
(graph/child_processes.py).

A worker that dies while it runs a plan (killed, out of memory) does not fail the build: the scheduler runs
the plan again on another worker, up to ALLOWED_FAILURES deaths (Dask's `allowed-failures`; `retries=` would
re-run plans that raised, and a plan's errors are deterministic). A plan that kills more workers than that
fails the build, naming the plan. One job without a scheduler runs in this process, without Dask.
"""
from __future__ import annotations

import itertools
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import lazy_loader

from healthkg.graph import child_processes
from healthkg.graph.app.pipeline import BuildFailed, InputError

if TYPE_CHECKING:
    from distributed import Client, Future

# Dask and distributed take 0.3-0.6 s to import, and only corpus builds use them: loaded when first used, so
# that the main job and the questions, whose command line imports this module too, do not wait for them.
dask = lazy_loader.load("dask")
distributed = lazy_loader.load("distributed")

IN_FLIGHT_PER_WORKER = 4   # calls submitted ahead per worker thread: enough to keep the workers busy
ALLOWED_FAILURES = 3       # worker deaths one call may cause before the build fails
T = TypeVar("T")
CONNECT_SECONDS = 10       # to reach a --scheduler
LOCAL_CLUSTER_CONFIG = {
    "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
    "distributed.worker.multiprocessing-method": "spawn",
    # No dashboard and no HTTP routes (metrics, JSON state, a proxy): the scheduler and each worker still
    # open an HTTP port, on 127.0.0.1 like everything else of the cluster, and it serves nothing.
    "distributed.scheduler.http.routes": [],
    "distributed.worker.http.routes": [],
    # The worker's statistical profiler samples the running task every 10 ms, taking the GIL from it; and
    # Dask's MALLOC_TRIM_THRESHOLD_ of 64 kB has glibc hand memory back after each plan's large graphs and
    # take it again (twice the system time at 200 plans). glibc's own threshold adapts.
    "distributed.worker.profile.enabled": False,
    # The event loop's ticks and monitors wake every 20-500 ms by default, each time taking the GIL from the
    # plan: at 1-2 s the workers use the CPU seconds the earlier process pool did (200 plans, measured).
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}


class Workers:
    """Where the calls run: `threads` (worker threads in all), `where` (said in the build's summary)."""

    def __init__(self, client: Client | None, where: str) -> None:
        self.client, self.where = client, where
        threads = client.nthreads() if client is not None else {}
        self.threads = max(1, sum(threads.values())) if client is not None else 1

    def ordered(self, function: Callable[..., T], calls: Iterable[tuple],
                describe: Callable[[tuple], str] = str) -> Iterator[T]:
        """function(*call) for each call, in the order of `calls`. `describe(call)` names a call in errors."""
        if self.client is None:
            for call in calls:
                yield function(*call)
            return
        client, calls = self.client, iter(calls)
        pending: deque[tuple[tuple, Future]] = deque()

        def submit(call: tuple) -> None:
            # pure=False: a fresh key each time, never a result another client left on a long-lived cluster
            pending.append((call, client.submit(function, *call, pure=False)))

        for call in itertools.islice(calls, self.threads * IN_FLIGHT_PER_WORKER):
            submit(call)
        try:
            while pending:
                call, future = pending.popleft()
                try:
                    result = future.result()
                except distributed.KilledWorker:
                    raise BuildFailed(f"{describe(call)}: killed {ALLOWED_FAILURES + 1} Dask workers in a row "
                                      "(out of memory?); the build stops") from None
                except distributed.comm.core.CommClosedError as error:
                    raise BuildFailed(f"lost {self.where}: {error}") from None
                finally:
                    future.release()
                following = next(calls, None)
                if following is not None:
                    submit(following)
                yield result
        finally:
            if pending:
                client.cancel([future for _, future in pending])


@contextmanager
def connect(jobs: int, scheduler: str | None = None) -> Iterator[Workers]:
    """The Workers: `scheduler` (an address such as tcp://HOST:8786) uses that Dask cluster; else `jobs`
    worker processes of a local cluster (1: this process, no cluster)."""
    if scheduler is not None:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_SECONDS)
        except (OSError, ValueError, TypeError) as error:
            raise InputError(f"--scheduler {scheduler}: no Dask scheduler answered ({error})") from None
        with client:
            yield Workers(client, f"the Dask scheduler at {scheduler}")
        return
    if jobs <= 1:
        yield Workers(None, "this process")
        return
    # Set for the cluster's lifetime: the workers the nanny restarts read it too. The nanny puts the variable
    # into this process's environment before it spawns a worker (graph/child_processes.py reads it there).
    die_with_us = {f"distributed.nanny.pre-spawn-environ.{child_processes.DIE_WITH_PARENT}": str(os.getpid())}
    try:
        with dask.config.set({**LOCAL_CLUSTER_CONFIG, **die_with_us}), \
                distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                                         dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                                         silence_logs=logging.CRITICAL) as local, \
                distributed.Client(local) as client:
            yield Workers(client, f"a local Dask cluster of {jobs} worker processes")
    finally:
        os.environ.pop(child_processes.DIE_WITH_PARENT, None)
