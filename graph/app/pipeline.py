"""The main job: plan texts -> records -> triples (+ inferences) -> validated release files.

Everything is written into a staging folder beside the output folder and swapped in only when every
stage has succeeded, so a failed run leaves the previous output untouched.
"""
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from rdflib import Graph
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF

from healthkg.graph.app.build_key import build_key
from healthkg.graph.app.output_folder import MAIN_JOB, OutputFolder, write_failed
from healthkg.graph.check.validate import ValidationFailed, ValidationReport, validate
from healthkg.graph.extract import tables
from healthkg.graph.extract.decode import read_text
from healthkg.graph.extract.records import NoTasksFound, extract_file
from healthkg.graph.rdf.build import build_triples
from healthkg.graph.rdf.serialize import serialisations
from healthkg.graph.rdf.triples import Triple, Triples, TripleSet
from healthkg.graph.rdf.vocab import HK
from healthkg.graph.result_cache import ResultCache
from healthkg.ontology.docs import render_ontology_html
from healthkg.ontology.reasoning import check as hermit_check
from healthkg.ontology.reasoning.hermit import hermit_problem
from healthkg.ontology.reasoning.prepare import Prepared, prepare
from healthkg.ontology.reasoning.published import published
from healthkg.ontology.reasoning.result import (
    HermitExceeded,
    InconsistentOntology,
    ReasoningError,
    ReasoningResult,
    UnsupportedAxiom,
)
from healthkg.ontology.reasoning.reuse import input_digest, rules_answer
from healthkg.queries import library
from healthkg.queries.answers import Answers
from healthkg.queries.exports import write_exports
from healthkg.queries.stores import OxigraphStore
from healthkg.viz import write_views

ONTOLOGY = Path(str(resources.files("healthkg.ontology") / "healthkg.ttl"))
RELEASE = Path(str(resources.files("healthkg.graph") / "release" / "healthkg.nt"))
SOURCES = Path(str(resources.files("healthkg.graph") / "sources"))
# the program's own folders: no output may be or hold one of them, even with --force
PROGRAM_FOLDERS = tuple(Path(str(resources.files(f"healthkg.{name}")))
                        for name in ("graph", "ontology", "queries", "viz"))


class InputError(ValueError):
    """Bad input named by the user: a missing folder, a folder with no plans."""


class BuildFailed(RuntimeError):
    """The graph is inconsistent or invalid; the message names the offending resources."""


@dataclass(frozen=True)
class Checking:
    """How the main job checks the rules engine's answer (`--reasoner`, `--hermit-timeout`, `--hermit-memory`):
    "auto": HermiT within its bounds, the pure-Python OWL RL closure without Java or past a bound;
    "hermit": HermiT, which must finish within its bounds; "rules": not checked (HermiT turned off).
    `seconds` and `memory_gb` of None are ontology.reasoning.hermit.HermitBounds' defaults."""
    engine: str = "auto"
    seconds: float | None = None
    memory_gb: float | None = None


def release(data: TripleSet, prepared: Prepared, inferred: Iterable[Triple]) -> TripleSet:
    """The released graph: the data, the inferences, and what ontology.reasoning.published adds so that
    the ontology and the release alone give any OWL tool the same answer (external super-types, the
    unique names the defined classes need)."""
    return data + inferred + TripleSet(published(prepared, inferred))


@dataclass
class Build:
    plans: list[dict]
    data: TripleSet
    ontology: Graph
    prepared: Prepared                              # the reasoners' input (ontology.reasoning.prepare)
    reasoning: ReasoningResult                      # the rules engine's, then the checker's (confirm())
    released: TripleSet                             # release() of the data with the reasoning's inferences
    checker: Future[ReasoningResult]                # the checking reasoner, waited for by confirm()
    validator: Future[ValidationReport]             # the validation, waited for by confirm()
    timings: dict[str, float] = field(default_factory=dict)
    cache: ResultCache | None = None                # verified results reused (graph.result_cache), or None
    rules_reused: str = ""                          # the rules engine's answer was reused: since when
    validation: ValidationReport | None = None      # set by confirm()

    @property
    def validated(self) -> ValidationReport:
        if self.validation is None:
            raise RuntimeError("the validation is not known before confirm() has waited for it")
        return self.validation


def plan_files(sources: Path) -> list[Path]:
    """The folder's *.txt files, in name order; anything named *.txt that is no readable file is refused."""
    if not sources.is_dir():
        raise InputError(f"no such folder: {sources}")
    files = sorted(sources.glob("*.txt"))
    for path in files:
        if path.is_symlink() and not path.exists():
            raise InputError(f"{path}: a link to {os.readlink(path)}, which does not exist; remove the link "
                             "or point it at a plan text")
        if not path.is_file():
            raise InputError(f"{path}: not a file (plan texts are the *.txt files of {sources}); rename or move it")
    if not files:
        raise InputError(f"no plan texts (*.txt) in {sources}")
    return files


def extract_all(sources: Path, encoding: str | None = None) -> tuple[list[dict], dict[str, str]]:
    """Records and texts of every plan; `encoding` for the files whose metadata gives none (else detected)."""
    plans: list[dict] = []
    texts: dict[str, str] = {}
    files: dict[str, Path] = {}
    for path in plan_files(sources):
        try:
            records = extract_file(path, encoding)
        except NoTasksFound as error:
            raise NoTasksFound(f"{path}: {error}") from error
        plan_id = records["plan"]["id"]
        if plan_id in files:
            raise InputError(f"{files[plan_id]} and {path} both give plan id {plan_id} (city, year and document "
                             "number): remove one of them from the folder")
        files[plan_id] = path
        plans.append(records)
        texts[plan_id] = read_text(path, records["plan"]["encoding"])[0]
    return plans, texts


def load_ontology() -> Graph:
    """The bundled ontology, its blank nodes named after their content (rdflib's canonical labels) rather
    than at random: the same file gives the same triples from run to run, so results computed from it can
    be found again in graph.result_cache."""
    parsed = Graph().parse(ONTOLOGY, format="turtle")
    ontology = Graph()
    for prefix, namespace in parsed.namespaces():
        ontology.bind(prefix, namespace, override=True, replace=True)
    for triple in to_canonical_graph(parsed):
        ontology.add(triple)
    return ontology


def build(sources: Path, check_later: bool = False, encoding: str | None = None,
          checking: Checking | None = None, cache: ResultCache | None = None) -> Build:
    """Run every stage; raise on bad input, an inconsistency or a validation failure.

    The linear rules engine gives the inferences the later stages use at once; the checking reasoner
    then checks them on the same input alongside, its JVM on the other core: HermiT confirms that the
    ontology entails those class memberships and no others (ontology.reasoning.check.check_with_hermit), or
    else realises the graph itself; without Java the OWL RL closure runs instead. `confirm` waits for
    it: the graph must be consistent with the same inferences, or the build is redone with the
    checker's. With `check_later`, the caller calls `confirm` itself after doing more work (the main
    job writes its outputs meanwhile); otherwise build() does. `checking` chooses the checking reasoner
    and HermiT's bounds (Checking). With a `cache` (graph.result_cache), the rules engine's answer,
    HermiT's confirmation and the validation report are reused when computed before from exactly the
    same input (and the same code, for the rules engine); the report says so."""

    checking = checking or Checking()
    if checking.engine == "hermit" and hermit_problem():
        raise InputError(f"--reasoner hermit: HermiT cannot run ({hermit_problem()}); --reasoner auto checks "
                         "with the pure-Python OWL RL closure instead")
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage], clock = now - clock, now

    plans, texts = extract_all(sources, encoding)
    lap("extract")
    data = build_triples(plans, texts)
    ontology = load_ontology()
    lap("rdf")
    prepared = prepare(data, TripleSet(ontology))   # one input for both engines
    inputs = input_digest(data, ontology) if cache is not None else ""
    try:
        reasoning = rules_answer(prepared, inputs, cache)
    except InconsistentOntology as error:
        raise BuildFailed(f"the graph is inconsistent: {error}") from error
    except UnsupportedAxiom as error:
        raise BuildFailed(str(error)) from error
    # Two checks run alongside what follows: HermiT (a JVM on the other core) and the validation
    # (pyrudof and Oxigraph release the GIL). confirm() waits for both.
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="check")
    checker: Future[ReasoningResult]
    if checking.engine == "rules":
        checker = Future()
        checker.set_result(replace(reasoning, fallback="not checked: HermiT turned off by --reasoner rules"))
    else:
        checker = pool.submit(hermit_check.check_with_hermit, prepared, reasoning, timeout=checking.seconds,
                              memory_gb=checking.memory_gb, fallback=checking.engine == "auto",
                              on_fallback=_say_fallback, cache=cache, inputs=inputs)
    lap("reasoning")
    released = release(data, prepared, reasoning.inferred)
    result = Build(plans, data, ontology, prepared, reasoning, released, checker=checker,
                   validator=pool.submit(validate, released, ontology, cache=cache), timings=timings, cache=cache,
                   rules_reused=reasoning.reused)
    pool.shutdown(wait=False)
    if not check_later:
        confirm(result)
    return result


def _say_fallback(why: str, bound: str | None) -> None:
    option = {"time": " (--hermit-timeout SECONDS raises it)", "memory": " (--hermit-memory GB raises it)"}
    print(f"note: {why}{option.get(bound or '', '')}; the rules engine's answer is checked by the pure-Python "
          "OWL RL closure instead", file=sys.stderr, flush=True)


def _validated(result: Build, report: ValidationReport) -> None:
    result.validation, result.timings["validation (alongside)"] = report, report.seconds
    if not report.conforms:
        raise BuildFailed(str(ValidationFailed(report)))


def confirm(result: Build) -> bool:
    """Wait for the validation and the checking reasoner; raise BuildFailed if either fails. True when
    the checker's inferences differ from the rules engine's and the graph was rebuilt and revalidated
    with them (outputs written from the old graph must be redone)."""
    started = time.perf_counter()
    try:
        checked = result.checker.result()
    except InconsistentOntology as error:
        raise BuildFailed(f"the graph is inconsistent: {error}") from error
    except HermitExceeded as error:      # --reasoner hermit: no fallback
        raise BuildFailed(f"{error} (--reasoner hermit; --hermit-timeout and --hermit-memory raise its bounds, "
                          "--reasoner auto falls back to the OWL RL closure)") from error
    except ReasoningError as error:
        raise BuildFailed(f"the checking reasoner failed: {error}") from error
    _validated(result, result.validator.result())
    result.timings["checks (waited)"] = time.perf_counter() - started
    differs = set(checked.inferred) != set(result.reasoning.inferred)
    result.reasoning = checked
    if differs:
        result.released = release(result.data, result.prepared, checked.inferred)
        _validated(result, validate(result.released, result.ontology, cache=result.cache))
    return differs


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def write_outputs(result: Build, staging: Path) -> None:
    (staging / "records").mkdir()
    for records in result.plans:
        write_json(staging / "records" / f"{records['plan']['id']}.json", records)
    (staging / "graph").mkdir()
    for extension, text in serialisations(result.released).items():
        (staging / "graph" / f"healthkg.{extension}").write_text(text, encoding="utf-8")
    (staging / "ontology").mkdir()
    shutil.copyfile(ONTOLOGY, staging / "ontology" / "healthkg.ttl")
    (staging / "ontology" / "index.html").write_text(render_ontology_html(result.ontology), encoding="utf-8")


def write_validation_report(result: Build, staging: Path) -> None:
    (staging / "validation-report.md").write_text(result.validated.to_markdown(), encoding="utf-8")


def answer_questions(graph_file: Path, folder: Path) -> Answers:
    """The research questions, asked of an embedded store loaded with the built graph."""
    answers = Answers(OxigraphStore(graph_file))
    answers.write(folder)
    return answers


def run_main_job(sources: Path, out: Path, update_release: bool = False, force: bool = False,
                 encoding: str | None = None, checking: Checking | None = None,
                 cache: ResultCache | None = None) -> int:
    """Build everything from the plans in `sources` and replace `out` with it. `out` is checked before
    any work: it must be missing, empty or a previous output of this job (graph.output_folder).
    `encoding`: for the plans whose metadata file gives none (else detected). `cache`: see build(); with
    one, an `out` that is up to date (built with the same build key, graph.app.build_key, and holding
    exactly the files that build wrote) is kept as it is and the report that build printed is printed
    again; without one (--no-cache, HEALTHKG_CACHE_DIR=""), everything is built anew."""
    checking = checking or Checking()
    with OutputFolder(out, MAIN_JOB, "--out", force=force, protected=(sources, *PROGRAM_FOLDERS)) as output:
        out = output.path
        key = build_key(plan_files(sources), out, encoding=encoding, reasoner=checking.engine,
                        hermit_seconds=checking.seconds, hermit_memory_gb=checking.memory_gb,
                        read_from=(tables.DATA, ONTOLOGY, library.QUERIES))
        earlier = output.up_to_date(key) if cache is not None else None
        if earlier is not None:
            print(f"up to date: {out} was built from the same plans, tables, ontology, queries and program at "
                  f"{_when(earlier['built'])}; nothing rebuilt (--no-cache builds it anew)")
            print(earlier["report"], end="")
            if update_release:
                _update_release(out)
            return 0
        result = build(sources, check_later=True, encoding=encoding, checking=checking, cache=cache)
        try:
            for attempt in range(2):
                staging = output.staging()
                write_outputs(result, staging)
                started = time.perf_counter()
                answers = answer_questions(staging / "graph" / "healthkg.nt", staging / "answers")
                write_exports(answers.store, answers.network, staging / "exports")
                result.timings["questions"] = time.perf_counter() - started
                started = time.perf_counter()
                views = write_views(answers, staging / "views")
                result.timings["views"] = time.perf_counter() - started
                if attempt == 0 and confirm(result):
                    shutil.rmtree(staging)
                    continue                  # the checking reasoner entails more: write it all again
                write_validation_report(result, staging)
                printed = printed_report(result, out, answers, views)
                output.replace_with(staging, build={
                    "key": key, "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "report": printed})
                break
            if update_release:
                _update_release(out)
        except OSError as error:
            raise write_failed(error, out) from error
    print(printed, end="")
    if output.moved_aside:
        print(f"what {out} held before (--force) was moved to {output.moved_aside}; nothing was deleted")
    return 0


def _update_release(out: Path) -> None:
    RELEASE.parent.mkdir(exist_ok=True)
    shutil.copyfile(out / "graph" / "healthkg.nt", RELEASE)


def _when(built: str) -> str:
    try:
        return datetime.fromisoformat(built).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return built


def printed_report(result: Build, out: Path, answers: Answers, views: list[Path]) -> str:
    """What the main job prints when it has built `out` (kept in its marker, printed again while it is up
    to date)."""
    lines = [report(result, out), "", answers.headline(),
             f"answers to {len(answers.results) + len(answers.tables)} questions (CSV and Markdown) in "
             f"{out / 'answers'}",
             f"exports in {out / 'exports'}: tasks.csv (one row per task), body-task and co-assignment networks "
             "(.graphml, .gexf for Gephi)",
             "views and report (self-contained HTML; open from disk, no network needed):"]
    lines += [f"  {out / 'views' / path.name}" for path in views]
    return "\n".join(lines) + "\n"


def report(result: Build, out: Path) -> str:
    lines = [summary(records) for records in result.plans]
    classes = Counter(str(o) for _, p, o in result.released if p == RDF.type and str(o).startswith(str(HK)))
    reasoning = result.reasoning
    rules_reused = f" ({result.rules_reused})" if result.rules_reused else ""
    how = (f"by the rules engine{rules_reused}, confirmed by {reasoning.reasoner} in {reasoning.seconds:.2f} s"
           if reasoning.confirmed else f"by {reasoning.reasoner} in {reasoning.seconds:.2f} s")
    how += f" ({reasoning.fallback})" if reasoning.fallback else ""
    how += f" ({reasoning.reused})" if reasoning.reused else ""
    stated = len(result.released) - len(result.data) - len(reasoning.inferred)
    lines.append(f"graph: {len(result.released)} triples ({len(result.data)} extracted, "
                 f"{len(reasoning.inferred)} inferred {how}, alongside the other stages; {stated} stated for "
                 "OWL tools: external super-types and the unique names the defined classes need)")
    lines.append("  instances per class: " + ", ".join(f"{c.split('#')[-1]} {n}" for c, n in sorted(classes.items())))
    lines.append("  triples per class (triples whose subject is of the class): " + ", ".join(
        f"{c.split('#')[-1]} {n}" for c, n in sorted(triples_per_class(result.released).items())))
    validation = result.validated
    lines.append(f"validation: {validation.violation_count()} SHACL results and violation-query rows "
                 f"({len(validation.query_results)} *-violation.rq queries, all zero rows"
                 + (f"; {validation.reused})" if validation.reused else ")"))
    lines.append("stages: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.timings.items()))
    lines.append(f"written to {out}: records/, graph/healthkg.{{ttl,nt,jsonld}}, ontology/, validation-report.md, "
                 "answers/, exports/, views/")
    return "\n".join(lines)


def triples_per_class(graph: Triples) -> Counter[str]:
    subjects = Counter(s for s, _, _ in graph)
    counts: Counter[str] = Counter()
    for subject, p, cls in graph:
        if p == RDF.type and str(cls).startswith(str(HK)):
            counts[str(cls)] += subjects[subject]
    return counts


def summary(records: dict) -> str:
    plan = records["plan"]
    tasks = Counter(t["section"] for t in records["tasks"])
    section_of_task = {t["id"]: t["section"] for t in records["tasks"]}
    targets = Counter(section_of_task.get(t["task"], "goals") for t in records["targets"])
    lines = [f"{plan.get('jurisdiction') or plan['city']} {plan['doc_number']} 《{plan['title']}》: "
             f"{len(records['tasks'])} tasks, {len(records['targets'])} targets, "
             f"{len(records['unknown_agencies'])} unknown agencies, {len(records['warnings'])} warnings"]
    if targets["goals"]:
        lines.append(f"  {'goals':<6} {'目标 (goals part)':<24} tasks {0:>3}  targets {targets['goals']:>3}")
    for section in records["sections"]:
        if tasks[section["id"]] or targets[section["id"]]:
            lines.append(f"  {section['id']:<6} {section['heading'][:24]:<24} tasks {tasks[section['id']]:>3}  "
                         f"targets {targets[section['id']]:>3}")
    return "\n".join(lines)
