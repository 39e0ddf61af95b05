"""HermiT (the jar bundled with owlready2) on Java: finding it, running it within a time and a memory bound
(its JVM dies with this process, graph.child_processes), reading its output, narrowing an unexplained
inconsistency down, and its strict check of a whole graph."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from healthkg.graph import child_processes
from healthkg.graph.rdf.triples import xml_safe_ntriples
from healthkg.graph.result_cache import digest, file_digest
from healthkg.ontology.reasoning.prepare import Prepared
from healthkg.ontology.reasoning.result import HermitExceeded, ReasoningError
from healthkg.ontology.reasoning.tbox import closure
from healthkg.ontology.reasoning.terms import OWL_NOTHING, RDF_TYPE

# full heap the JVM exits at once (rather than collecting garbage until the time bound).
JAVA_OPTIONS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError")
# HermiT's bounds by default. Time: its check grows faster than its input (the input's schema and
# assertions plus one declaration per individual: 11,000 on the bundled plans, checked in 2 s; a 1 MB plan
# 56 s; 2 MB, 260,000, 251 s), and the OWL RL closure it falls back on is no faster (224 s on 2 MB), so
# a fixed minute (the JVM's start, a busy machine) plus 1 s per 1,000; never more than 10 minutes unless
# told to. Memory (the JVM's heap, -Xmx; it was a fixed 2000 MB): a quarter of the machine's memory, as
# Java's own default, at most 4 GB (the check of 2 MB of plan text peaked at 1.2 GB) and at least 512 MB.
HERMIT_BASE_SECONDS, HERMIT_SECONDS_PER_TRIPLE, HERMIT_MAX_DEFAULT_SECONDS = 60.0, 0.001, 600.0
HERMIT_MAX_DEFAULT_GB, HERMIT_MIN_GB = 4.0, 0.5
DIAGNOSIS_RUNS = 14          # HermiT runs allowed when narrowing down an unexplained inconsistency
_TYPE_LINE = re.compile(r"^Type\( <([^>]+)> <([^>]+)> \)$", re.MULTILINE)
_SUBCLASS_LINE = re.compile(r"^SubClassOf\( <([^>]+)> <([^>]+)> \)$", re.MULTILINE)
_EQUIVALENT_LINE = re.compile(r"^EquivalentClasses\( ((?:<[^>]+>\s*)+)\)$", re.MULTILINE)
_UNSATISFIABLE_LIST = re.compile(r"^Classes equivalent to 'owl:Nothing':\n((?:\t.*\n?)*)", re.MULTILINE)


def _physical_memory_gb() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    except (ValueError, OSError, AttributeError):
        return None


@dataclass(frozen=True)
class HermitBounds:
    """How long HermiT may run and how much memory its JVM may take; None is the default (see
    HERMIT_BASE_SECONDS): time scaled to the input, memory to the machine."""
    seconds: float | None = None
    memory_gb: float | None = None

    def time_limit(self, prepared: "Prepared") -> float:
        if self.seconds is not None:
            return self.seconds
        size = len(prepared.tbox) + len(prepared.abox) + len(prepared.individuals)
        return min(HERMIT_MAX_DEFAULT_SECONDS, HERMIT_BASE_SECONDS + HERMIT_SECONDS_PER_TRIPLE * size)

    def heap_gb(self) -> float:
        if self.memory_gb is not None:
            return self.memory_gb
        physical = _physical_memory_gb()
        return HERMIT_MAX_DEFAULT_GB if physical is None else \
            max(HERMIT_MIN_GB, min(HERMIT_MAX_DEFAULT_GB, physical / 4))


# ---------------------------------------------------------------------------------------------------
# HermiT
# ---------------------------------------------------------------------------------------------------


def hermit_classpath() -> str | None:
    spec = importlib.util.find_spec("owlready2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "hermit"
    jar = folder / "HermiT.jar"
    return os.pathsep.join([str(folder), str(jar)]) if jar.is_file() else None


def classpath_digest(classpath: str) -> str:
    """HermiT's identity: a digest of every file on its class path (the jar and the classes beside it)."""
    parts: list[bytes | str] = []
    for entry in classpath.split(os.pathsep):
        root = Path(entry)
        files = sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else [root]
        for path in files:
            parts += [str(path.relative_to(root)) if root.is_dir() else path.name, file_digest(path)]
    return digest(*parts)


def hermit_problem() -> str | None:
    """None when HermiT can run here; else why not."""
    return java_problem(shutil.which("java")) or (None if hermit_classpath() else "owlready2's HermiT.jar not found")


def java_problem(java: str | None) -> str | None:
    """None when this Java starts; else why not."""
    if not java:
        return "no java on PATH"
    try:
        run = child_processes.run([java, "-version"], timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return f"{java} does not start ({error})"
    if run.returncode != 0:
        return f"{java} -version exits with {run.returncode}: {run.stderr.decode(errors='replace').strip()[:200]}"
    return None


def run_hermit(java: str, classpath: str, documents: dict[str, bytes], folder: str, flags: list[str],
                timeout: float, memory_gb: float | None = None) -> subprocess.CompletedProcess:
    """HermiT on N-Triples documents ({file name: content}), one after the other in one JVM, within
    `timeout` seconds and a heap of `memory_gb` (HermitBounds' default when None). The JVM dies with
    this process (graph.child_processes); this thread waits for it, as the parent-death signal needs.
    Always strict (no --ignoreUnsupportedDatatypes): what the build writes is OWL 2 DL, every literal a
    reasoner reads of the OWL 2 datatype map (tests/test_owl_dl.py), so a datatype outside it is a bug
    that stops HermiT (UnsupportedDatatypeException: the build fails naming it) rather than an axiom
    silently dropped."""
    heap_gb = HermitBounds(memory_gb=memory_gb).heap_gb()
    if timeout <= 0:
        raise HermitExceeded("HermiT had no time left", out_of_time=True)
    paths = [Path(folder) / name for name in documents]
    for path, content in zip(paths, documents.values()):
        path.write_bytes(xml_safe_ntriples(content))     # a control character in a literal would stop HermiT
    command = [java, f"-Xmx{max(8, round(heap_gb * 1024))}M", *JAVA_OPTIONS, "-cp", classpath,
               "org.semanticweb.HermiT.cli.CommandLine", *flags,
               *(path.as_uri() for path in paths)]
    try:
        run = child_processes.run(command, timeout=timeout, cwd=folder)
    except subprocess.TimeoutExpired as error:
        raise HermitExceeded(f"HermiT did not finish within {seconds_text(timeout)}", out_of_time=True) from error
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    if run.returncode < 0:      # killed: the program is being interrupted (child_processes.kill_all)
        raise ReasoningError(f"HermiT's JVM was killed (signal {-run.returncode})")
    # -XX:+ExitOnOutOfMemoryError: "Terminating due to java.lang.OutOfMemoryError" on stdout, exit code 3
    if run.returncode != 0 and any(b"java.lang.OutOfMemoryError" in out[-4096:] for out in (run.stdout, run.stderr)):
        raise HermitExceeded(f"HermiT ran out of its {_memory_text(heap_gb)} of memory", out_of_time=False)
    return run


def _memory_text(gb: float) -> str:
    return f"{gb:g} GB" if gb >= 1 else f"{round(gb * 1024)} MB"


def seconds_text(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.3g} s"


def inconsistent_run(run: subprocess.CompletedProcess) -> bool:
    return run.returncode != 0 and b"InconsistentOntologyException" in run.stderr


def hermit_types(output: str) -> set:
    supers = defaultdict(set)
    for sub, sup in _SUBCLASS_LINE.findall(output):
        supers[URIRef(sub)].add(URIRef(sup))
    for group in _EQUIVALENT_LINE.findall(output):
        members = [URIRef(iri) for iri in re.findall(r"<([^>]+)>", group)]
        for a in members:
            supers[a].update(m for m in members if m != a)
    ancestors = closure(supers)
    types = set()
    for individual, cls in _TYPE_LINE.findall(output):
        for c in {URIRef(cls)} | ancestors.get(URIRef(cls), set()):
            types.add((URIRef(individual), RDF_TYPE, c))
    return types


def unsatisfiable_classes(output: str) -> list[str]:
    found: list[str] = []
    for group in _EQUIVALENT_LINE.findall(output):
        members = re.findall(r"<([^>]+)>", group)
        if str(OWL_NOTHING) in members:
            found.extend(m for m in members if m != str(OWL_NOTHING))
    return sorted(found)


def unsatisfiable_listed(output: str) -> list[str]:
    """The classes HermiT's -U flag lists as equivalent to owl:Nothing."""
    listed = _UNSATISFIABLE_LIST.search(output)
    return sorted(re.findall(r"<([^>]+)>", listed.group(1))) if listed else []


def narrow_down(prepared: Prepared, java: str, classpath: str, folder: str, deadline: float,
                 memory_gb: float | None) -> list[URIRef]:
    """A small set of individuals whose assertions HermiT still finds inconsistent (bisection, for as
    long as the time left allows)."""
    individuals = set(prepared.individuals)
    background = Graph()
    for triple in prepared.input:
        if not (isinstance(triple[0], URIRef) and triple[0] in individuals):
            background.add(triple)
    by_subject = defaultdict(list)
    for triple in prepared.input:
        if isinstance(triple[0], URIRef):
            by_subject[triple[0]].append(triple)
    current = [i for i in prepared.individuals if i in by_subject]
    runs = 0
    while len(current) > 1 and runs < DIAGNOSIS_RUNS:
        middle = len(current) // 2
        for half in (current[:middle], current[middle:]):
            candidate = Graph()
            for triple in background:
                candidate.add(triple)
            for individual in half:
                for triple in by_subject[individual]:
                    candidate.add(triple)
            runs += 1
            part = {"part.nt": candidate.serialize(format="nt", encoding="utf-8")}
            try:
                run = run_hermit(java, classpath, part, folder, ["-k"], deadline - time.monotonic(), memory_gb)
            except HermitExceeded:
                return current
            if inconsistent_run(run):
                current = half
                break
        else:
            break
    return current


@dataclass(frozen=True)
class StrictCheck:
    """HermiT in strict mode on a whole graph (ontology + release, as an outside user would load them)."""
    consistent: bool
    seconds: float                  # HermiT's wall time, the JVM's start included
    types: frozenset                # (individual, class) pairs HermiT's realisation gives (-I)
    error: str = ""                 # why HermiT stopped, when it did (an unsupported datatype ...)


def hermit_strict(document: bytes, timeout: float = 600.0, memory_gb: float | None = None) -> StrictCheck:
    """Realise an N-Triples document with HermiT in strict mode: no datatype outside the OWL 2 datatype
    map ignored, no preparation (no declarations, no distinctness added, nothing left out): what any OWL 2
    DL tool would see. Raises ReasoningError when HermiT cannot run here."""
    java, classpath = shutil.which("java"), hermit_classpath()
    problem = java_problem(java) or (None if classpath else "owlready2's HermiT.jar not found")
    if problem or java is None or classpath is None:      # no problem: java and classpath are both found
        raise ReasoningError(f"HermiT cannot run: {problem}")
    with tempfile.TemporaryDirectory(prefix="healthkg-strict-") as folder:
        clock = time.perf_counter()
        run = run_hermit(java, classpath, {"graph.nt": document}, folder, ["-I"], timeout, memory_gb)
        seconds = time.perf_counter() - clock
    output = run.stdout.decode("utf-8", "replace").replace("\r", "")
    types = frozenset((URIRef(i), URIRef(c)) for i, c in _TYPE_LINE.findall(output))
    lines = run.stderr.decode("utf-8", "replace").strip().splitlines()
    said = [line.strip() for line in lines if "Exception" in line or "datatype '" in line][:2]
    error = "" if run.returncode == 0 else " ".join(said or lines[:1] or [f"exit code {run.returncode}"])[:600]
    return StrictCheck(run.returncode == 0, seconds, types, error)
