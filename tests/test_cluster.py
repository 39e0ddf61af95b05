"""The corpus build on Dask distributed: a local cluster of two worker processes (loopback only, no dashboard),
a worker that dies mid-build (its plan runs again), a plan that kills every worker (the build fails, the store
is untouched), and an existing cluster reached with --scheduler."""
import functools
import http.client
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from cluster_hooks import die_on, die_once
from conftest import ROOT, SOURCES
from distributed import LocalCluster
from processes import children, running

from healthkg.graph.app import cluster, corpus, pipeline
from healthkg.graph.app.corpus import build_corpus
from healthkg.graph.app.pipeline import BuildFailed
from healthkg.queries.server import free_port


def _triples(store_dir: Path) -> set[str]:
    return {str(quad.triple) for quad in pyoxigraph.Store.read_only(str(store_dir))}


@pytest.fixture(scope="module")
def release() -> set[str]:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(pipeline.RELEASE), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {str(quad.triple) for quad in store}


def _socket_inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[len("socket:["):-1])
    return found


def _listening(inodes: set[str]) -> list[str]:
    """The local addresses (hex, as /proc/net/tcp gives them) of the TCP sockets among `inodes` that listen."""
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:      # 0A: LISTEN
                addresses.append(fields[1])
    return addresses


def _http_status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_local_cluster_has_two_workers_on_loopback_only_and_serves_no_http():
    with cluster.connect(2) as workers:
        info = workers.client.scheduler_info()
        assert workers.threads == 2
        for port in {info["services"]["dashboard"], *(w["services"]["dashboard"] for w in info["workers"].values())}:
            for path in ("/", "/status", "/health", "/metrics", "/info/main/workers.html", "/json/identity.json"):
                assert _http_status(port, path) == 404, (port, path)
        assert info["address"].startswith("tcp://127.0.0.1:")
        assert len(info["workers"]) == 2
        assert all(address.startswith("tcp://127.0.0.1:") and details["nthreads"] == 1
                   for address, details in info["workers"].items())
        pids = {os.getpid(), *children(os.getpid())}
        worker_pids = set(workers.client.run(os.getpid).values())
        assert worker_pids <= pids               # worker processes, children of this one
        listening = _listening(set().union(*map(_socket_inodes, pids)))
        assert listening
        # 127.0.0.1:port in /proc/net/tcp is 0100007F:PORT; nothing on 0.0.0.0, ::, or another address
        assert all(address.startswith("0100007F:") for address in listening), listening


def test_a_worker_that_dies_mid_build_has_its_plan_run_again(tmp_path, monkeypatch, release):
    marker = tmp_path / "died"
    monkeypatch.setattr(corpus, "plan_triples", functools.partial(die_once, marker))
    summary = build_corpus(SOURCES, tmp_path / "store", progress=None, jobs=2)
    assert marker.is_file(), "no worker was killed"
    assert not running(int(marker.read_text()))
    assert summary["plans"] == 2
    assert _triples(tmp_path / "store") == release


def test_a_plan_that_kills_every_worker_fails_the_build_and_leaves_the_store(tmp_path, monkeypatch, release):
    store = tmp_path / "store"
    build_corpus(SOURCES, store, progress=None, jobs=1)
    victim = sorted(p.name for p in SOURCES.glob("*.txt"))[0]
    monkeypatch.setattr(corpus, "plan_triples", functools.partial(die_on, victim))
    with pytest.raises(BuildFailed, match=rf"{victim}: killed {cluster.ALLOWED_FAILURES + 1} Dask workers"):
        build_corpus(SOURCES, store, progress=None, jobs=2)
    assert _triples(store) == release
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name] == []


def _build(*options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build_graph.py"), "build", "--sources", str(SOURCES), *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_an_existing_cluster_builds_the_same_store(tmp_path, release):
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as existing:
        run = _build("--store-dir", str(tmp_path / "store"), "--scheduler", existing.scheduler_address)
    assert run.returncode == 0, run.stderr
    assert f"on the Dask scheduler at {existing.scheduler_address}" in run.stdout
    assert _triples(tmp_path / "store") == release


def test_a_scheduler_nobody_runs_is_bad_input(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    run = _build("--store-dir", str(tmp_path / "store"), "--scheduler", address)
    assert run.returncode == 2
    assert run.stderr.startswith(f"error: --scheduler {address}: no Dask scheduler answered")
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "store").exists()


def test_jobs_and_scheduler_together_are_bad_input(tmp_path):
    run = _build("--store-dir", str(tmp_path / "store"), "--jobs", "2", "--scheduler", "tcp://127.0.0.1:8786")
    assert run.returncode == 2 and "--jobs" in run.stderr and "--scheduler" in run.stderr
