"""HermiT's check in the main job (issue 14): a time and a memory bound, a fallback to the pure-Python
OWL RL closure when either is exceeded (said in one line and in the report), `--reasoner rules` to turn
it off, `--reasoner hermit` to insist on it, and a JVM that dies with the program: when the program is
SIGKILLed (parent-death signal) or interrupted (child_processes.kill_all)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading

import pytest
from conftest import FIXTURES, ROOT
from processes import children, cmdline, running, wait_until
from rdflib import Graph
from test_reasoning import tiny_graph

from healthkg.graph import child_processes
from healthkg.ontology.reasoning import check as hermit_check
from healthkg.ontology.reasoning import engine, hermit
from healthkg.ontology.reasoning import prepare as preparing
from healthkg.ontology.reasoning.hermit import HermitBounds
from healthkg.ontology.reasoning.result import HermitExceeded, ReasoningError
from healthkg.ontology.reasoning.terms import HERMIT, OWLRL

needs_java = pytest.mark.skipif(hermit.hermit_problem() is not None, reason="HermiT needs Java")
WUZHOU = FIXTURES / "wuzhou-style.txt"


def rules_answer(graph: Graph):
    prepared = preparing.prepare(graph)
    return prepared, engine.reason(None, prepared=prepared, engine="rules")


def java_children(parent: int) -> list[int]:
    """Process ids of the HermiT JVMs whose parent is `parent` (not `java -version`, run before them)."""
    return sorted(pid for pid in children(parent) if b"org.semanticweb.HermiT" in cmdline(pid))


@needs_java
def test_past_its_time_bound_the_answer_is_checked_by_owlrl():
    prepared, answer = rules_answer(tiny_graph())
    told = []
    checked = hermit_check.check_with_hermit(prepared, answer, timeout=0.01, on_fallback=lambda *why: told.append(why))
    assert told == [("HermiT did not finish within 0.01 s", "time")]
    assert checked.reasoner == OWLRL and checked.fallback == "HermiT did not finish within 0.01 s"
    # the OWL RL closure gives the rules engine's answer on this graph (test_reasoning: both equal HermiT's)
    assert checked.confirmed and set(checked.inferred) == set(answer.inferred)
    assert "checked by the pure-Python OWL RL closure" in checked.note
    assert java_children(os.getpid()) == []
    with pytest.raises(HermitExceeded, match=r"^HermiT did not finish within 0.01 s$"):
        hermit_check.check_with_hermit(prepared, answer, timeout=0.01, fallback=False)


@needs_java
def test_out_of_its_memory_the_answer_is_checked_by_owlrl():
    # the bundled plans' graph does not fit in 8 MB of heap (HermiT needs about 100 MB for it)
    prepared, answer = rules_answer(Graph().parse(ROOT / "graph" / "release" / "healthkg.nt"))
    told = []
    checked = hermit_check.check_with_hermit(prepared, answer, memory_gb=8 / 1024,
                                             on_fallback=lambda *w: told.append(w))
    assert told == [("HermiT ran out of its 8 MB of memory", "memory")]
    assert checked.reasoner == OWLRL and checked.confirmed and checked.fallback == told[0][0]
    with pytest.raises(HermitExceeded, match="ran out of its 8 MB"):
        hermit_check.check_with_hermit(prepared, answer, memory_gb=8 / 1024, fallback=False)


@needs_java
def test_within_its_bounds_hermit_confirms():
    prepared, answer = rules_answer(tiny_graph())
    checked = hermit_check.check_with_hermit(prepared, answer, timeout=300, memory_gb=0.5)
    assert checked.reasoner == HERMIT and checked.confirmed and checked.fallback == ""


def test_default_bounds_grow_with_the_input_and_the_machine():
    small = preparing.prepare(tiny_graph())
    large = preparing.prepare(Graph().parse(ROOT / "graph" / "release" / "healthkg.nt"))
    default = HermitBounds()
    assert hermit.HERMIT_BASE_SECONDS < default.time_limit(small) < default.time_limit(large) \
        <= hermit.HERMIT_MAX_DEFAULT_SECONDS
    assert HermitBounds(seconds=7).time_limit(large) == 7 and HermitBounds(memory_gb=3).heap_gb() == 3
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    assert default.heap_gb() == max(0.5, min(4.0, physical / 4))


def test_without_java_the_check_says_so(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    prepared, answer = rules_answer(tiny_graph())
    told = []
    checked = hermit_check.check_with_hermit(prepared, answer, on_fallback=lambda *why: told.append(why))
    assert told == [("HermiT not run (no java on PATH)", None)]
    assert checked.reasoner == OWLRL and checked.fallback == "HermiT not run (no java on PATH)"
    with pytest.raises(ReasoningError, match="no java on PATH"):
        hermit_check.check_with_hermit(prepared, answer, fallback=False)


# ---------------------------------------------------------------------------------------------------
# The main job's options
# ---------------------------------------------------------------------------------------------------

def main_job(tmp_path, *options):
    sources = tmp_path / "src"
    sources.mkdir(exist_ok=True)
    shutil.copy(WUZHOU, sources / WUZHOU.name)
    return subprocess.run([sys.executable, str(ROOT / "build_graph.py"), "--sources", str(sources),
                           "--out", str(tmp_path / "out"), *options], capture_output=True, text=True, timeout=600)


def test_reasoner_rules_turns_hermit_off(tmp_path):
    done = main_job(tmp_path, "--reasoner", "rules")
    assert done.returncode == 0, done.stderr
    graph_line = next(line for line in done.stdout.splitlines() if line.startswith("graph:"))
    assert "not checked: HermiT turned off by --reasoner rules" in graph_line and "HermiT in" not in graph_line


@needs_java
def test_the_main_job_past_hermits_bound_says_so_and_falls_back(tmp_path):
    done = main_job(tmp_path, "--hermit-timeout", "0.01")
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert notes == ["note: HermiT did not finish within 0.01 s (--hermit-timeout SECONDS raises it); the rules "
                     "engine's answer is checked by the pure-Python OWL RL closure instead"]
    assert "confirmed by OWL RL (owlrl)" in done.stdout and "(HermiT did not finish within 0.01 s)" in done.stdout
    # insisting on HermiT: the build fails, and the output of the run before is left as it was
    before = (tmp_path / "out" / "graph" / "healthkg.nt").read_bytes()
    failed = main_job(tmp_path, "--reasoner", "hermit", "--hermit-timeout", "0.01")
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines()[-1].startswith("build failed: HermiT did not finish within 0.01 s")
    assert (tmp_path / "out" / "graph" / "healthkg.nt").read_bytes() == before


@pytest.mark.parametrize("option,value", [("--hermit-timeout", "0"), ("--hermit-timeout", "-5"),
                                          ("--hermit-memory", "lots"), ("--reasoner", "owl")])
def test_bad_reasoner_options_are_refused(tmp_path, option, value):
    done = main_job(tmp_path, option, value)
    assert done.returncode == 2 and f"argument {option}" in done.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------------
# The JVM dies with the program
# ---------------------------------------------------------------------------------------------------

# A plan of 0.5 MB (generated): HermiT's check of it takes 20 s or more, in a worker thread as in build().
CHECKER = """
import sys
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, {root!r})
from healthkg.graph.extract.records import extract_text
from healthkg.graph.bench.extract_scaling import large_plan
from healthkg.graph.rdf.build import build_triples
from healthkg.ontology.reasoning.check import check_with_hermit
from healthkg.ontology.reasoning.engine import reason
from healthkg.ontology.reasoning.prepare import prepare
text = large_plan(0.5)
records = extract_text(text)
prepared = prepare(build_triples([records], {{records["plan"]["id"]: text}}))
answer = reason(None, prepared=prepared, engine="rules")
print("checking", flush=True)
ThreadPoolExecutor(1).submit(check_with_hermit, prepared, answer, timeout=600).result()
print("done", flush=True)
"""


@needs_java
def test_the_jvm_dies_when_the_program_is_killed(tmp_path):
    program = subprocess.Popen([sys.executable, "-c", CHECKER.format(root=str(ROOT))], stdout=subprocess.PIPE,
                               text=True, cwd=tmp_path)
    jvms = []
    try:
        assert program.stdout.readline().strip() == "checking"
        assert wait_until(lambda: java_children(program.pid), 60), "HermiT's JVM did not start"
        jvms = java_children(program.pid)
        program.kill()
        program.wait()
        # well before HermiT could finish by itself
        assert wait_until(lambda: not any(running(pid) for pid in jvms), 5), f"JVM {jvms} outlived its parent"
    finally:
        program.kill()
        program.wait()
        for pid in jvms:            # should the test fail, no orphan is left running
            if running(pid):
                os.kill(pid, signal.SIGKILL)


@needs_java
def test_the_jvm_dies_when_the_program_is_interrupted(monkeypatch):
    """What the command line does on Ctrl-C, SIGTERM or SIGHUP: child_processes.kill_all(). The thread
    running the check then ends at once, with an error rather than a fallback that would start work."""
    monkeypatch.setattr(child_processes, "_closing", False)    # kill_all() closes it; the next tests start JVMs
    from healthkg.graph.bench.extract_scaling import large_plan
    from healthkg.graph.extract.records import extract_text
    from healthkg.graph.rdf.build import build_triples

    text = large_plan(0.25)
    records = extract_text(text)
    prepared, answer = rules_answer(build_triples([records], {records["plan"]["id"]: text}))
    outcome = []

    def check():
        try:
            outcome.append(hermit_check.check_with_hermit(prepared, answer, timeout=600))
        except ReasoningError as error:
            outcome.append(error)

    thread = threading.Thread(target=check)
    thread.start()
    assert wait_until(lambda: java_children(os.getpid()), 60), "HermiT's JVM did not start"
    jvms = java_children(os.getpid())
    child_processes.kill_all()
    thread.join(10)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], ReasoningError) and "killed (signal 9)" in str(outcome[0])
    assert wait_until(lambda: not any(running(pid) for pid in jvms), 10)
    assert java_children(os.getpid()) == []
