"""Corpus mode: many plans streamed into an on-disk Oxigraph store, one plan at a time.

No stage holds the whole corpus in an rdflib graph: each plan is extracted, turned into triples,
reasoned over on its own (its inferences never depend on another plan's data) and appended to the
store. `query --store-dir` and `serve --store-dir` then use the store. The store is built in a
staging folder and swapped in only when every plan and every quality check has passed.
"""
import shutil
import sys
import time
from pathlib import Path

from graph.decode import read_text
from graph.extract import NoTasksFound, extract_file
from graph.pipeline import BuildFailed, InputError, load_ontology, plan_files
from graph.rdf import PlanWriter, add_concept_schemes, new_graph

# One HermiT run per plan costs a JVM start each; the rules engine entails the same triples on this
# ontology (tests/test_reasoning_rules.py) in linear time, so it is the default for corpora.
DEFAULT_ENGINE = "rules"


def _progress(done: int, total: int, started: float, stream) -> None:
    width = 30
    filled = width * done // total
    rate = done / max(time.perf_counter() - started, 1e-9)
    left = (total - done) / rate if rate else 0
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} plans, {rate:.1f}/s, ~{left:.0f} s left")
    if done == total:
        stream.write("\n")
    stream.flush()


def build_corpus(sources: Path, store_dir: Path, engine: str = DEFAULT_ENGINE, progress=sys.stderr) -> dict:
    import pyoxigraph

    from graph.validate import run_queries_in_store, violation_queries
    from ontology.reason import InconsistentOntology, reason

    files = plan_files(sources)
    store_dir = store_dir.resolve()
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = store_dir.with_name(f".{store_dir.name}-building")
    shutil.rmtree(staging, ignore_errors=True)
    ontology = load_ontology()
    started, plan_ids, counts = time.perf_counter(), set(), {"plans": 0, "tasks": 0, "targets": 0, "triples": 0}
    store = pyoxigraph.Store(str(staging))
    try:
        concepts = new_graph()
        add_concept_schemes(concepts)
        store.bulk_load(concepts.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
        for done, path in enumerate(files, 1):
            try:
                records = extract_file(path)
            except NoTasksFound as error:
                raise NoTasksFound(f"{path}: {error}") from error
            plan_id = records["plan"]["id"]
            if plan_id in plan_ids:
                raise InputError(f"{path}: plan id {plan_id} is also the id of another plan")
            plan_ids.add(plan_id)
            graph = new_graph()
            PlanWriter(graph, records, read_text(path, records["plan"]["encoding"])[0]).write()
            try:
                inferred = reason(ontology + graph, engine=engine).inferred
            except InconsistentOntology as error:
                raise BuildFailed(f"{path}: the plan's graph is inconsistent: {error}") from error
            data = (graph + inferred).serialize(format="nt", encoding="utf-8")
            store.bulk_load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
            counts["plans"] += 1
            counts["tasks"] += len(records["tasks"])
            counts["targets"] += len(records["targets"])
            if progress:
                _progress(done, len(files), started, progress)
        failed = [result for result in run_queries_in_store(store, violation_queries()) if result.rows]
        if failed:
            raise BuildFailed("; ".join(f"{r.name}: {len(r.rows)} rows, e.g. {r.rows[0]}" for r in failed))
        counts["triples"] = len(store)
        store.flush()
        store.optimize()
        del store
        previous = store_dir.with_name(f".{store_dir.name}-previous")
        shutil.rmtree(previous, ignore_errors=True)
        if store_dir.exists():
            store_dir.rename(previous)
        staging.rename(store_dir)
        shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    counts["seconds"] = round(time.perf_counter() - started, 2)
    counts["reasoning"] = engine
    return counts
