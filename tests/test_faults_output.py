"""Fault injection on the output folders: a user's files are never lost, a killed or interrupted run
leaves the previous output as it was and no child process behind, and two runs never write one folder.

Each case is what a careless user or a crash does; expected outcomes come from the rules of
graph/app/output_folder.py (write only into a missing, empty or own folder; swap in whole; never delete
what the program did not create).
"""
import errno
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from processes import children, cmdline, running, wait_until

from healthkg import build_graph
from healthkg.graph.app import pipeline
from healthkg.graph.app.output_folder import MARKER
from healthkg.graph.bench.synthetic import write_corpus

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "graph" / "sources"
HERMIT = b"org.semanticweb.HermiT"


def run_cli(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build_graph.py"), *args], capture_output=True,
                          text=True, timeout=600, **options)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones included) with the SHA-256 of its bytes."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def hermit_children(pid: int) -> set[int]:
    """The live (not zombie) HermiT JVMs that process `pid` started."""
    return {child for child in children(pid) if running(child) and HERMIT in cmdline(child)}


def watch_for_hermit(process: subprocess.Popen, seconds: float, stop_at_first: bool = False) -> set[int]:
    """The HermiT JVMs `process` starts within `seconds` (polled: they are found while the parent lives,
    since a killed parent's children are handed to init)."""
    seen: set[int] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None and not (stop_at_first and seen):
        seen |= hermit_children(process.pid)
        time.sleep(0.02)
    return seen


def wait_until_gone(pids: set[int], seconds: float = 2) -> set[int]:
    """The pids among `pids` still running after up to `seconds`: the kernel delivers the parent-death
    signal at once, and HermiT on the `slow_sources` runs for tens of seconds, so a JVM that was not
    killed is still there."""
    def alive() -> set[int]:
        return {pid for pid in pids if running(pid) and HERMIT in cmdline(pid)}

    wait_until(lambda: not alive(), seconds)
    return alive()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One finished main-job output, copied by each test that damages it."""
    out = tmp_path_factory.mktemp("built") / "out"
    run = run_cli("--out", str(out))
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def slow_sources(tmp_path_factory) -> Path:
    """Twelve synthetic plans of the genre: HermiT's check of them takes tens of seconds, so a kill lands
    while it runs and a JVM that outlived its parent would be seen."""
    folder = tmp_path_factory.mktemp("slow")
    write_corpus(folder, 12, seed=14)
    return folder


def copy_of(built: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    return out


# --- refusals: nothing is written, nothing is lost ------------------------------------------------

def test_a_folder_with_a_users_file_is_refused_and_left_untouched(tmp_path):
    folder = tmp_path / "u"
    folder.mkdir()
    (folder / "t.docx").write_text("thesis", encoding="utf-8")
    run = run_cli("--out", str(folder))
    assert run.returncode == 2
    assert f"--out {folder}" in run.stderr and "--force" in run.stderr and "t.docx" in run.stderr
    assert "Traceback" not in run.stderr
    assert tree_digest(folder) == {"t.docx": hashlib.sha256(b"thesis").hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u"]       # no staging, no lock: refused first


def test_the_current_directory_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    for option in ([], ["--force"]):
        run = run_cli("--out", ".", *option, cwd=tmp_path)
        assert run.returncode == 2, run.stderr
        assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert "current directory" in run.stderr


def test_the_sources_folder_is_refused_even_with_force(tmp_path):
    sources = tmp_path / "s"
    shutil.copytree(SOURCES, sources)
    before = tree_digest(sources)
    for out in (sources, tmp_path):                      # the sources, and a folder that holds them
        run = run_cli("--sources", str(sources), "--out", str(out), "--force")
        assert run.returncode == 2
        assert str(sources) in run.stderr
    assert tree_digest(sources) == before


def test_a_file_named_as_the_output_is_refused_and_not_renamed(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("data", encoding="utf-8")
    run = run_cli("--out", str(afile))
    assert run.returncode == 2 and "is a file" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_a_file_added_to_a_previous_output_blocks_the_next_run(built, tmp_path):
    out = copy_of(built, tmp_path)
    for added in ("thesis.docx", "answers/my-notes.md"):        # beside the outputs, and among them
        (out / added).write_text("mine", encoding="utf-8")
        run = run_cli("--out", str(out))
        assert run.returncode == 2 and added in run.stderr
        assert (out / added).read_text(encoding="utf-8") == "mine"
        (out / added).unlink()


def test_force_moves_a_foreign_folder_aside_deletes_nothing_and_touches_no_sibling(tmp_path):
    # one main-job run checks three rules: --force moves aside, look-alike siblings of the old
    # staging and previous names are left alone, and the new folders follow the user's umask
    folder = tmp_path / "u"
    folder.mkdir()
    (folder / "t.docx").write_text("thesis", encoding="utf-8")
    siblings = ("u.previous", ".u-abc123", ".u-building", ".u.healthkg-staging-mine")
    for name in siblings:
        (tmp_path / name).mkdir()
        (tmp_path / name / "keep.txt").write_text(name, encoding="utf-8")
    run = run_cli("--out", str(folder), "--force", preexec_fn=lambda: os.umask(0o022))
    assert run.returncode == 0, run.stderr
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("u.before-healthkg-")]
    assert len(aside) == 1 and (aside[0] / "t.docx").read_text(encoding="utf-8") == "thesis"
    assert (folder / "graph" / "healthkg.nt").is_file() and not (folder / "t.docx").exists()
    assert str(aside[0]) in run.stdout
    for name in siblings:
        assert (tmp_path / name / "keep.txt").read_text(encoding="utf-8") == name
    assert folder.stat().st_mode & 0o777 == 0o755
    assert (folder / "graph").stat().st_mode & 0o777 == 0o755


def test_a_read_only_parent_is_a_clear_error():
    base = Path(tempfile.mkdtemp(prefix="healthkg-ro-"))      # outside pytest's private (0700) folders
    parent = base / "ro"
    parent.mkdir()
    try:
        base.chmod(0o755)
        parent.chmod(0o555)
        command = [sys.executable, str(ROOT / "build_graph.py"), "--out", str(parent / "out")]
        if os.geteuid() == 0:                          # root writes anywhere: run as nobody instead
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv to drop privileges")
            nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            # nobody must reach the checkout and its Python: not so under a private folder (/root, mktemp -d)
            reach = subprocess.run([*nobody, sys.executable, "-c", f"open({str(command[1])!r}).close()"],
                                   capture_output=True, text=True, timeout=60)
            if reach.returncode != 0:
                why = (reach.stderr.strip().splitlines() or ["no reason given"])[-1]
                pytest.skip(f"running as root, and nobody cannot run this checkout: {why}")
            command = [*nobody, *command]
        run = subprocess.run(command, capture_output=True, text=True, timeout=600,
                             env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    finally:
        parent.chmod(0o755)
        shutil.rmtree(base)
    assert run.returncode == 2, run.stderr
    assert "Permission denied" in run.stderr and str(parent) in run.stderr
    assert "Traceback" not in run.stderr


def test_a_full_disk_is_a_clear_error_and_keeps_the_previous_output(built, tmp_path, monkeypatch, capsys):
    out = copy_of(built, tmp_path)
    before = tree_digest(out)
    real = pipeline.write_outputs

    def disk_fills(result, staging):
        real(result, staging)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staging / "views"))

    monkeypatch.setattr(pipeline, "write_outputs", disk_fills)
    code = build_graph.main(["--out", str(out)])
    error = capsys.readouterr().err
    assert code == 2
    assert "no space left" in error and "previous output is untouched" in error
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "staging" in p.name) == []


# --- killed and interrupted runs ---------------------------------------------------------------------

def test_sigkill_at_random_moments_keeps_the_previous_output_and_leaves_no_process(built, slow_sources, tmp_path):
    out = copy_of(built, tmp_path)
    before = tree_digest(out)
    moments = random.Random(14).sample([x / 10 for x in range(5, 150)], 4)
    for moment in sorted(moments):
        process = subprocess.Popen([sys.executable, str(ROOT / "build_graph.py"), "--sources", str(slow_sources),
                                    "--out", str(out)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        jvms = watch_for_hermit(process, moment)
        process.kill()
        process.wait()
        assert wait_until_gone(jvms) == set(), f"a JVM outlived a kill at {moment} s"
        if process.returncode == 0:                  # it finished first: its output is the new one
            before = tree_digest(out)
        assert tree_digest(out) == before, f"killed at {moment} s"
    print(f"fault: SIGKILL at {sorted(moments)} s: output unchanged, no HermiT process left")
    run = run_cli("--out", str(out))                 # the next run clears what the killed ones left
    assert run.returncode == 0, run.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.healthkg-") and
            not p.name.endswith("-lock")] == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_the_main_job_with_one_line_and_no_debris(built, slow_sources, tmp_path, signum):
    out = copy_of(built, tmp_path)
    before = tree_digest(out)
    process = subprocess.Popen([sys.executable, str(ROOT / "build_graph.py"), "--sources", str(slow_sources),
                                "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    jvms = watch_for_hermit(process, 120, stop_at_first=True)     # the interesting moment: HermiT runs
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=120)
    assert jvms, "the main job started no HermiT JVM"
    alive = wait_until_gone(jvms)
    if process.returncode == 0:
        pytest.skip("the main job finished before the signal arrived")
    assert process.returncode == 128 + signum
    assert stderr.strip().splitlines() == [
        f"interrupted ({signal.Signals(signum).name}); the previous output is untouched"]
    assert alive == set(), "the main job ended, its HermiT JVM did not"
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name] == []


def test_two_runs_never_write_one_folder_at_once(built, tmp_path):
    out = copy_of(built, tmp_path)
    command = [sys.executable, str(ROOT / "build_graph.py"), "--out", str(out)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(run.wait(timeout=600), run.stderr.read()) for run in runs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 2]), results        # 0, 0 when one finished before the other locked
    for code, stderr in results:
        if code == 2:
            assert "being written by another healthkg run" in stderr
    assert (out / MARKER).is_file() and (out / "graph" / "healthkg.nt").stat().st_size > 0


# --- the corpus store and the main job's output -------------------------------------------------------

def test_the_store_may_not_sit_inside_the_main_jobs_output(built, tmp_path):
    out = copy_of(built, tmp_path)
    run = run_cli("build", "--sources", str(SOURCES), "--store-dir", str(out / "store"))
    assert run.returncode == 2 and f"inside {out}" in run.stderr
    assert not (out / "store").exists()


def test_a_store_folder_with_a_users_file_is_refused(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / "data.csv").write_text("1,2", encoding="utf-8")
    run = run_cli("build", "--sources", str(SOURCES), "--store-dir", str(store))
    assert run.returncode == 2 and "data.csv" in run.stderr and "--force" in run.stderr
    assert tree_digest(store) == {"data.csv": hashlib.sha256(b"1,2").hexdigest()}


def test_the_main_job_does_not_replace_a_folder_holding_a_store(tmp_path):
    out = tmp_path / "out"
    store = run_cli("build", "--sources", str(SOURCES), "--store-dir", str(out / "store"))
    assert store.returncode == 0, store.stderr
    run = run_cli("--out", str(out))
    assert run.returncode == 2 and "store" in run.stderr
    assert (out / "store" / MARKER).is_file()


def test_a_killed_corpus_build_leaves_no_worker_and_the_next_build_clears_its_staging(slow_sources, tmp_path):
    store = tmp_path / "store"
    process = subprocess.Popen([sys.executable, str(ROOT / "build_graph.py"), "build", "--sources", str(slow_sources),
                                "--store-dir", str(store), "--jobs", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
        workers = {pid for pid in children(process.pid) if b"spawn_main" in cmdline(pid)}
        time.sleep(0.1)
    assert workers, "the build started no worker process"
    process.kill()
    process.wait()
    assert wait_until(lambda: not any(map(running, workers)), 2), "worker processes outlived the killed build"
    assert not store.exists()
    run = run_cli("build", "--sources", str(SOURCES), "--store-dir", str(store))
    assert run.returncode == 0, run.stderr
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name] == []
