"""Corpus mode: many plans streamed into an on-disk Oxigraph store, several plans at a time.

No stage holds the whole corpus in an rdflib graph. Each plan is extracted, turned into triples,
reasoned over and SHACL-validated on its own (its inferences and shapes never depend on another plan's
data) on Dask workers (graph/app/cluster.py: a local cluster, or an existing one); the main process
appends the plans' triples to the store in file order, so the store does not depend on the number of
workers. `query --store-dir` and `serve --store-dir` then use the store. The store is built in a staging
folder and swapped in only when every plan and every quality check has passed.

The rules engine reasons over each plan. A seeded sample of the plans (`hermit_sample`, 5 % by default,
at least one plan; chosen by a hash of the seed and each file's bytes, so the same corpus and seed give
the same sample) is also checked by HermiT (ontology.reasoning.check), and any difference between the
two fails the build: the rules engine must not publish fewer or other inferences without a word.
Without Java the summary says that the sample was not checked, and why.
"""
import hashlib
import math
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypedDict

import pyoxigraph
from rdflib import Graph, URIRef
from tqdm import tqdm

from healthkg.graph.app import cluster
from healthkg.graph.app.output_folder import CORPUS_STORE, OutputFolder, write_failed
from healthkg.graph.app.pipeline import PROGRAM_FOLDERS, BuildFailed, InputError, load_ontology, plan_files
from healthkg.graph.check.validate import (
    conforms_fast,
    load_shapes,
    plan_scoped,
    run_queries_in_store,
    run_shacl,
    violation_queries,
)
from healthkg.graph.extract.decode import read_text
from healthkg.graph.extract.records import NoTasksFound, extract_file
from healthkg.graph.rdf.build import PlanWriter, add_concept_schemes, describe_release, new_graph, text_sha256
from healthkg.graph.rdf.triples import Triple, TripleSet
from healthkg.graph.rdf.vocab import HKD, PREFIXES
from healthkg.ontology.reasoning.check import check_with_hermit
from healthkg.ontology.reasoning.engine import reason
from healthkg.ontology.reasoning.hermit import hermit_problem
from healthkg.ontology.reasoning.prepare import Prepared, prepare
from healthkg.ontology.reasoning.published import published
from healthkg.ontology.reasoning.result import (
    InconsistentOntology,
    ReasoningError,
    ReasoningResult,
    UnsupportedAxiom,
)

# One HermiT run per plan costs a JVM start each; the rules engine entails the same triples on this
# ontology (tests/test_reasoning_rules.py) in linear time, so it is the default for corpora.
DEFAULT_ENGINE = "rules"
DEFAULT_HERMIT_SAMPLE = 0.05   # the share of plans HermiT checks the rules engine on (at least one plan)
LOAD_BATCH_BYTES = 64 * 2 ** 20   # N-Triples per bulk load into the store
STAGES = ("extract", "rdf", "reasoning", "shacl", "serialize")


@dataclass(frozen=True)
class Shared:
    """What every plan is checked against: the ontology, the shapes, the concept schemes (as a graph and
    as N-Triples) and the plan-scoped violation queries."""

    ontology: TripleSet
    shapes: Graph
    concepts: Graph
    concepts_nt: bytes
    plan_queries: dict[str, str]


_shared: list[Shared] = []   # per worker process: loaded once


def _shared_graphs() -> Shared:
    if not _shared:
        concepts = new_graph()
        add_concept_schemes(concepts)
        _shared.append(Shared(ontology=TripleSet(load_ontology()), shapes=load_shapes(), concepts=concepts,
                              concepts_nt=concepts.serialize(format="nt", encoding="utf-8"),
                              plan_queries={name: text for name, text in violation_queries().items()
                                            if plan_scoped(text)}))
    return _shared[0]


class PlanResult(TypedDict):
    """One plan's triples and figures, as a worker process sends them back."""

    path: str
    plan_id: str
    nt: bytes
    seconds: dict[str, float]
    sha256: str
    tasks: int
    targets: int
    inferred: int
    hermit_checked: bool


class HermitCheck(TypedDict):
    sampled: int        # plans in the HermiT sample
    checked: int        # of them, checked (none without Java)
    note: str


class CorpusSummary(TypedDict):
    plans: int
    tasks: int
    targets: int
    inferred: int
    triples: int
    seconds: float
    reasoning: str
    jobs: int
    workers: str                      # where the plans ran: this process, a local Dask cluster, a scheduler
    stage_seconds: dict[str, float]   # per stage, summed over the plans
    hermit_check: HermitCheck


def plan_triples(path: Path, engine: str = DEFAULT_ENGINE, encoding: str | None = None,
                 hermit_check: bool = False) -> PlanResult:
    """One plan: extract, RDF, reasoning, SHACL. Returns its N-Triples (asserted + inferred) with counts
    and the seconds of each stage; raises NoTasksFound, DecodeError, MetadataError or BuildFailed naming
    the file. `encoding`: the file's, unless its metadata gives one (else detected). `hermit_check`:
    HermiT checks the rules engine's answer, and any difference raises BuildFailed."""
    shared, clock = _shared_graphs(), time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    try:
        records = extract_file(path, encoding)
    except NoTasksFound as error:
        raise NoTasksFound(f"{path}: {error}") from None
    lap("extract")
    graph = TripleSet(namespaces=PREFIXES)
    text = read_text(path, records["plan"]["encoding"])[0]
    PlanWriter(graph, records, text).write()
    foreign = other_plans_resources(graph, records["plan"]["id"])
    if foreign:
        raise BuildFailed(f"{path}: its triples name {len(foreign)} resources of other plans, e.g. {foreign[0]}")
    lap("rdf")
    try:
        prepared = prepare(graph, shared.ontology)
        answer = reason(graph, shared.ontology, engine=engine, prepared=prepared)
        if hermit_check:
            _hermit_agrees(path, prepared, answer)
    except InconsistentOntology as error:
        raise BuildFailed(f"{path}: the plan's graph is inconsistent: {error}") from None
    except UnsupportedAxiom as error:
        raise BuildFailed(f"{path}: {error}") from None
    inferred = answer.inferred
    for triple in inferred:
        graph.add(triple)
    for triple in published(prepared, inferred):     # as the release: external super-types, unique names
        graph.add(triple)
    lap("reasoning")
    data = graph.ntriples()
    lap("serialize")
    failed = _plan_violations(data, shared)
    if failed:
        raise BuildFailed(f"{path}: " + "; ".join(failed))
    lap("violation_queries")
    # The shapes see the plan with the concept schemes it points to; inferred super-class types are in
    # the graph already, so the ontology need not be mixed in. pyrudof gives the verdict; a failure is
    # reported through pySHACL, whose report names our shapes' messages.
    conforms, lines = conforms_fast(data, shared.concepts_nt)
    if not conforms:
        with_concepts = graph.to_graph()
        for triple in shared.concepts:
            with_concepts.add(triple)
        _, results = run_shacl(with_concepts, None, shared.shapes)
        found = [r.describe() for r in results] or lines
        raise BuildFailed(f"{path}: {len(found)} SHACL violations, e.g. " + "; ".join(found[:3]))
    lap("shacl")
    return {"path": str(path), "plan_id": records["plan"]["id"], "nt": data, "seconds": seconds,
            "sha256": text_sha256(text),
            "tasks": len(records["tasks"]), "targets": len(records["targets"]), "inferred": len(inferred),
            "hermit_checked": hermit_check}


def _hermit_agrees(path: Path, prepared: Prepared, answer: ReasoningResult) -> None:
    """Raise BuildFailed unless HermiT entails exactly the rules engine's inferences for this plan."""
    try:
        checked = check_with_hermit(prepared, answer, fallback=False)
    except InconsistentOntology as error:
        raise BuildFailed(f"{path}: HermiT finds the plan's graph inconsistent, the rules engine did not "
                          f"(a plan of the HermiT sample): {error}") from None
    except ReasoningError as error:
        raise BuildFailed(f"{path}: HermiT's check of this plan of the sample did not finish: {error} "
                          "(--hermit-sample 0 builds without it)") from None
    if checked.confirmed:
        return
    name = prepared.schema.name
    ours, hermits = set(answer.inferred), set(checked.inferred)
    differences = [(f"{len(found)} {what}", found) for what, found in (
        ("entailed that the rules engine misses", hermits - ours),
        ("found by the rules engine that HermiT does not entail", ours - hermits)) if found]
    if not differences:
        return
    raise BuildFailed(f"{path}: HermiT and the rules engine differ on this plan of the HermiT sample: " + "; ".join(
        f"{count}, e.g. " + ", ".join(" ".join(name(t) for t in triple) for triple in sorted(found, key=str)[:3])
        for count, found in differences))


def hermit_sample(files: list[Path], fraction: float, seed: int = 0) -> set[Path]:
    """The plans HermiT checks: ceil(fraction x the number of plans), at least one when fraction > 0, those
    whose SHA-256 of the seed and the file's bytes is smallest (the same corpus and seed, the same plans)."""
    if not 0 <= fraction <= 1:
        raise InputError(f"--hermit-sample must be between 0 and 1, got {fraction}")
    if fraction == 0 or not files:
        return set()
    size = max(1, math.ceil(fraction * len(files)))

    def key(path: Path) -> str:
        return hashlib.sha256(f"{seed}\n".encode() + path.read_bytes()).hexdigest()

    return set(sorted(files, key=lambda path: (key(path), str(path)))[:size])


def other_plans_resources(triples: Iterable[Triple], plan_id: str) -> list[str]:
    """IRIs under hkd:plan/ in a plan's triples that are not that plan's own. None is what makes the
    plan-scoped violation queries enough: every resource a plan writes or points to is its own, so a
    violation across plans cannot arise in the store."""
    prefix, own = str(HKD["plan/"]), str(HKD[f"plan/{plan_id}"])
    found = {iri for triple in triples for term in (triple[0], triple[2]) if isinstance(term, URIRef)
             for iri in (str(term),) if iri.startswith(prefix) and iri != own and not iri.startswith(own + "/")}
    return sorted(found)


def _plan_violations(data: bytes, shared: Shared) -> list[str]:
    """The plan-scoped *-violation.rq queries on the plan's own triples (with the concept schemes)."""
    store = pyoxigraph.Store()
    for part in (data, shared.concepts_nt):
        store.bulk_load(part, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return [f"{r.name}: {len(r.rows)} rows, e.g. {r.rows[0]}"
            for r in run_queries_in_store(store, shared.plan_queries) if r.rows]


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def build_corpus(sources: Path, store_dir: Path, engine: str = DEFAULT_ENGINE,
                 progress: IO[str] | None = sys.stderr, jobs: int | None = None, force: bool = False,
                 encoding: str | None = None, hermit_fraction: float = DEFAULT_HERMIT_SAMPLE,
                 sample_seed: int = 0, scheduler: str | None = None) -> CorpusSummary:
    """Build the plans in `sources` into a new on-disk store that replaces `store_dir` when everything
    passed. `store_dir` must be missing, empty or a store this function built (graph.output_folder).
    `encoding`: for the plans whose metadata file gives none (else detected). With the rules engine,
    HermiT checks the plans hermit_sample(files, hermit_fraction, sample_seed) (see above). The plans run on
    the Dask cluster at `scheduler`, else on a local one of `jobs` worker processes (graph/app/cluster.py)."""
    files = plan_files(sources)
    if scheduler is not None and jobs is not None:
        raise InputError("--jobs sets the workers of the local cluster; with --scheduler the cluster's own "
                         "workers run the plans: give one of them")
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    sample = hermit_sample(files, hermit_fraction, sample_seed) if engine == "rules" else set()
    problem = hermit_problem() if sample else None
    if engine != "rules":
        check = HermitCheck(sampled=0, checked=0, note="every plan reasoned by HermiT")
    elif problem:
        check = HermitCheck(sampled=len(sample), checked=0,
                            note=f"HermiT not run ({problem}): the sample was not checked")
    else:
        check = HermitCheck(sampled=len(sample), checked=0, note=f"seed {sample_seed}")
    with OutputFolder(store_dir, CORPUS_STORE, "--store-dir", force=force,
                      protected=(sources, *PROGRAM_FOLDERS)) as output:
        try:
            return _build_store(files, output, engine, progress, jobs, encoding,
                                frozenset() if problem else frozenset(sample), check, scheduler)
        except OSError as error:
            raise write_failed(error, output.path) from error


def _build_store(files: list[Path], output: OutputFolder, engine: str, progress: IO[str] | None, jobs: int,
                 encoding: str | None, checked: frozenset[Path], check: HermitCheck,
                 scheduler: str | None = None) -> CorpusSummary:
    """The store built from the plans; `check` (the HermiT sample's summary) gets the number checked."""
    staging = output.staging()
    started = time.perf_counter()
    plan_ids: dict[str, str] = {}
    hashes: dict[str, str] = {}
    counts = {"plans": 0, "tasks": 0, "targets": 0, "inferred": 0, "triples": 0, "hermit_checked": 0}
    stage_seconds: defaultdict[str, float] = defaultdict(float)
    store: pyoxigraph.Store | None = None      # dropped (None) to close it, also when the build fails
    engine_stack = ExitStack()
    try:
        store = pyoxigraph.Store(str(staging))
        workers = engine_stack.enter_context(cluster.connect(min(jobs, max(1, len(files))), scheduler))
        # Plans are loaded in batches: each bulk load writes its own sorted files, and thousands of
        # one-plan files slow RocksDB down until compaction.
        batch, batch_bytes = [_shared_graphs().concepts_nt], 0

        def load_batch(store: pyoxigraph.Store) -> None:
            clock = time.perf_counter()
            store.bulk_load(b"".join(batch), format=pyoxigraph.RdfFormat.N_TRIPLES)
            stage_seconds["load"] += time.perf_counter() - clock
            batch.clear()

        # A bar on a terminal only (tqdm turns itself off when `progress` is not a TTY: no \r frames in logs).
        calls = ((path, engine, encoding, path in checked) for path in files)
        results = tqdm(workers.ordered(plan_triples, calls, describe=lambda call: str(call[0])), total=len(files),
                       unit="plan", file=progress, disable=None if progress else True)
        for result in results:
            if result["plan_id"] in plan_ids:
                raise InputError(f"{plan_ids[result['plan_id']]} and {result['path']} both give plan id "
                                 f"{result['plan_id']} (city, year and document number): remove one of them "
                                 "from the folder")
            plan_ids[result["plan_id"]] = result["path"]
            hashes[result["plan_id"]] = result["sha256"]
            batch.append(result["nt"])
            batch_bytes += len(result["nt"])
            if batch_bytes >= LOAD_BATCH_BYTES:
                load_batch(store)
                batch_bytes = 0
            for stage, seconds in result["seconds"].items():
                stage_seconds[stage] += seconds
            counts["tasks"] += result["tasks"]
            counts["targets"] += result["targets"]
            counts["inferred"] += result["inferred"]
            counts["hermit_checked"] += result["hermit_checked"]
            counts["plans"] += 1
        engine_stack.close()   # every plan is in: the workers' memory and cores are free for what follows
        release = TripleSet(namespaces=PREFIXES)      # the release's DCAT and PROV, as the main job writes them
        describe_release(release, hashes)
        batch.append(release.ntriples())
        load_batch(store)
        clock = time.perf_counter()
        # the plan-scoped ones ran in the workers, plan by plan
        queries = {name: text for name, text in violation_queries().items()
                   if name not in _shared_graphs().plan_queries}
        failed = [result for result in run_queries_in_store(store, queries) if result.rows]
        if failed:
            raise BuildFailed("; ".join(f"{r.name}: {len(r.rows)} rows, e.g. {r.rows[0]}" for r in failed))
        stage_seconds["violation_queries_store"] = time.perf_counter() - clock
        counts["triples"] = len(store)
        clock = time.perf_counter()
        store.flush()
        store.optimize()
        store = None   # closes the RocksDB files before the folder is renamed
        stage_seconds["optimize"] = time.perf_counter() - clock
        output.replace_with(staging, list_entries=False)   # RocksDB's own files come and go
    finally:
        engine_stack.close()
        store = None
    check["checked"] = counts["hermit_checked"]
    # stage seconds are summed over the plans (worker seconds; with several jobs they overlap in wall time)
    return CorpusSummary(plans=counts["plans"], tasks=counts["tasks"], targets=counts["targets"],
                         inferred=counts["inferred"], triples=counts["triples"],
                         seconds=round(time.perf_counter() - started, 2), reasoning=engine,
                         jobs=workers.threads, workers=workers.where,
                         stage_seconds={stage: round(value, 3) for stage, value in sorted(stage_seconds.items())},
                         hermit_check=check)
