"""Quality checks of a healthkg data graph: SHACL shapes and violation queries.

    from healthkg.graph.check.validate import validate, ValidationFailed
    report = validate(data, ontology)       # rdflib Graphs
    print(report.to_text())
    report.raise_if_failed()                # ValidationFailed naming every violation

Two kinds of check run:

- ``ontology/shapes.ttl`` through pySHACL, with inference "none" and the ontology mixed in as
  ``ont_graph``. No RDFS/OWL-RL pre-inference on purpose: the shapes check what the data *asserts*
  (closed-world cardinalities), and RDFS domain/range entailment would make nodes into targets they
  are not (``hk:role`` is used by assignments and chain leads alike, ``hk:partOf`` by sections, tasks
  and targets) while costing seconds. Mixing the ontology in still lets ``sh:class`` and
  ``sh:targetClass`` follow its ``rdfs:subClassOf`` axioms.
- every ``queries/*-violation.rq``: plain SPARQL 1.1 SELECT queries whose contract is "returns zero
  rows"; each row is a violation.

Everything in a report is sorted, so the same graph gives the same text.
"""
from __future__ import annotations

import html
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import pyoxigraph
import pyrudof
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from healthkg.graph.rdf.triples import TripleSet, has_blank_nodes
from healthkg.graph.rdf.vocab import curie
from healthkg.graph.result_cache import ResultCache, canonical_ntriples, digest, reused
from healthkg.queries import library

SHAPES_PATH = Path(str(resources.files("healthkg.ontology") / "shapes.ttl"))
CACHE_KIND = "validation"       # graph.result_cache: reports of graphs that conform
# The libraries whose answers make a report (the shapes engines, the SPARQL engines, the parser).
VALIDATORS = ("pyrudof", "pyshacl", "pyoxigraph", "rdflib")

def compact(term: Node | None) -> str:
    """A short, stable, readable form of an RDF term (CURIE, quoted literal, ``_:`` for blank nodes)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        shortened = curie(str(term))
        return shortened if shortened != str(term) else f"<{term}>"
    if isinstance(term, Literal):
        shown = str(term)
        quoted = '"' + shown.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype in (XSD.integer, XSD.decimal, XSD.boolean) and not getattr(term, "ill_typed", False):
            return shown  # as Turtle writes them
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{quoted}^^{compact(term.datatype)}"
        return quoted
    if isinstance(term, BNode):
        return "_:b"  # blank node ids are not stable across runs
    return str(term)


def _path_text(graph: Graph, path: Node | None) -> str:
    """A SHACL path written as a SPARQL property path."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return compact(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(graph, inverse)
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"({_path_text(graph, inner)}){suffix}"
    alternative = graph.value(path, SH.alternativePath)
    if alternative is not None:
        return "(" + "|".join(_path_text(graph, p) for p in Collection(graph, alternative)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    return compact(path)


@dataclass(frozen=True, order=True)
class ShaclResult:
    """One sh:ValidationResult, as text."""

    focus_node: str
    path: str
    message: str
    shape: str
    value: str = ""
    severity: str = "sh:Violation"
    component: str = ""

    def describe(self) -> str:
        where = f"{self.focus_node} {self.path}".strip()
        value = f" (value {self.value})" if self.value else ""
        return f"{where}{value}: {self.message} [{self.shape}]"


@dataclass(frozen=True)
class QueryResult:
    """The rows one violation query returned: each row maps a variable to a compact term."""

    name: str
    variables: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    description: str = ""

    @property
    def passed(self) -> bool:
        return not self.rows

    def row_dicts(self) -> list[dict[str, str]]:
        return [dict(zip(self.variables, row)) for row in self.rows]

    def describe_row(self, row: tuple[str, ...]) -> str:
        return ", ".join(f"{v}={x}" for v, x in zip(self.variables, row) if x)


@dataclass
class ValidationReport:
    shacl_conforms: bool
    shacl_results: list[ShaclResult] = field(default_factory=list)
    query_results: list[QueryResult] = field(default_factory=list)
    seconds: float = 0.0
    reused: str = ""               # reused from graph.result_cache: "reused: same input as a run of <date>"

    @property
    def conforms(self) -> bool:
        return self.shacl_conforms and not self.shacl_results and all(q.passed for q in self.query_results)

    @property
    def query_rows(self) -> dict[str, list[dict[str, str]]]:
        """Rows per query name (an empty list for a query that passed)."""
        return {q.name: q.row_dicts() for q in self.query_results}

    @property
    def failed_queries(self) -> list[QueryResult]:
        return [q for q in self.query_results if not q.passed]

    def violation_count(self) -> int:
        return len(self.shacl_results) + sum(len(q.rows) for q in self.query_results)

    def violations(self) -> list[str]:
        """One line per violation: SHACL results first, then query rows, all sorted."""
        lines = [f"SHACL {r.describe()}" for r in self.shacl_results]
        for query in self.query_results:
            lines.extend(f"{query.name}: {query.describe_row(row)}" for row in query.rows)
        return lines

    def raise_if_failed(self) -> None:
        if not self.conforms:
            raise ValidationFailed(self)

    # -- renderings ---------------------------------------------------------------------------

    def to_text(self) -> str:
        status = "conforms" if self.conforms else f"does not conform: {self.violation_count()} violation(s)"
        lines = [f"healthkg validation: {status}"]
        lines.append(f"SHACL: {'conforms' if not self.shacl_results else f'{len(self.shacl_results)} result(s)'}")
        for result in self.shacl_results:
            lines.append(f"  - focus {result.focus_node}")
            if result.path:
                lines.append(f"    path    {result.path}")
            if result.value:
                lines.append(f"    value   {result.value}")
            lines.append(f"    message {result.message}")
            lines.append(f"    shape   {result.shape} ({result.severity}, {result.component})")
        lines.append(f"Violation queries: {len(self.query_results)}")
        for query in self.query_results:
            lines.append(f"  {'ok  ' if query.passed else 'FAIL'} {query.name}: {len(query.rows)} row(s)")
            for row in query.rows:
                lines.append(f"    - {query.describe_row(row)}")
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        def cell(text: str) -> str:
            return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ") or " "

        status = "conforms" if self.conforms else f"does **not** conform: {self.violation_count()} violation(s)"
        out = ["# healthkg validation report", "", f"The graph {status}.", "", "## SHACL shapes", ""]
        if not self.shacl_results:
            out.append("No SHACL result: every shape of `ontology/shapes.ttl` holds.")
        else:
            out.append("| focus node | path | value | message | shape |")
            out.append("| --- | --- | --- | --- | --- |")
            for r in self.shacl_results:
                out.append(
                    f"| {cell(r.focus_node)} | {cell(r.path)} | {cell(r.value)} | {cell(r.message)} | {cell(r.shape)} |"
                )
        out += ["", "## Violation queries", "", "| query | rows |", "| --- | --- |"]
        for query in self.query_results:
            out.append(f"| `{query.name}` | {len(query.rows)} |")
        for query in self.failed_queries:
            out += ["", f"### `{query.name}`", ""]
            if query.description:
                out += [f"> {cell(line)}" for line in query.description.splitlines()] + [""]
            out.append("| " + " | ".join(cell(v) for v in query.variables) + " |")
            out.append("|" + " --- |" * len(query.variables))
            for row in query.rows:
                out.append("| " + " | ".join(cell(x) for x in row) + " |")
        return "\n".join(out) + "\n"


class ValidationFailed(Exception):
    """Raised with a report that does not conform; the message names every violation."""

    def __init__(self, report: ValidationReport, limit: int | None = None):
        self.report = report
        lines = [line if len(line) <= 400 else line[:397] + "..." for line in report.violations()]
        shown = lines if limit is None else lines[:limit]
        if len(lines) > len(shown):
            shown.append(f"... and {len(lines) - len(shown)} more")
        super().__init__(
            f"healthkg graph does not conform: {len(lines)} violation(s)\n" + "\n".join(f"  {x}" for x in shown)
        )


# -- running the checks ---------------------------------------------------------------------------

def load_shapes(path: Path = SHAPES_PATH) -> Graph:
    return Graph().parse(path, format="turtle")


def violation_queries() -> dict[str, str]:
    """Name (file name without ``-violation.rq``) to query text, sorted by name: the library's checks."""
    return {name[: -len(library.CHECK_SUFFIX)]: query.text for name, query in library.all_queries().items()
            if query.is_check}


def plan_scoped(text: str) -> bool:
    """A query whose header says `# Scope: plan` concerns one plan's triples only: corpus builds run it
    on each plan as it is built instead of on the whole store."""
    return library.parse_text("", text).plan_scoped


def query_description(text: str) -> str:
    """The English ``# Check:`` paragraph of a query's opening comment block."""
    return library.parse_text("", text).check


def run_query(data: Graph, name: str, text: str) -> QueryResult:
    result = data.query(text)
    names = result.vars or []
    variables = tuple(str(v) for v in names)
    rows = sorted(tuple(compact(binding.get(v)) for v in names) for binding in result.bindings)
    return QueryResult(name, variables, tuple(rows), query_description(text))


def run_queries_in_oxigraph(ntriples: bytes, queries: dict[str, str]) -> list[QueryResult]:
    """The same checks in an Oxigraph store loaded with the data's N-Triples: the answers are the
    same, in a fraction of the time rdflib needs (the queries are plain SPARQL 1.1 and tested on both)."""
    store = pyoxigraph.Store()
    store.load(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return run_queries_in_store(store, queries)


def run_queries_in_store(store: pyoxigraph.Store, queries: dict[str, str]) -> list[QueryResult]:
    """The checks on a pyoxigraph store (in memory or the on-disk store of corpus mode)."""
    results = []
    for name, text in sorted(queries.items()):
        solutions = store.query(text)
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise ValueError(f"{name}: a check is a SELECT query (its rows are the violations)")
        variables = tuple(v.value for v in solutions.variables)
        rows = sorted(tuple(compact(_rdflib_term(solution[v])) for v in variables) for solution in solutions)
        results.append(QueryResult(name, variables, tuple(rows), query_description(text)))
    return results


def _rdflib_term(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None) -> Node | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def run_shacl(data: Graph, ontology: Graph | None, shapes: Graph) -> tuple[bool, list[ShaclResult]]:
    conforms, results_graph, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology if ontology is not None and len(ontology) else None,
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        meta_shacl=False,
        advanced=False,
        inplace=False,
    )
    results = []
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in results_graph.objects(node, SH.resultMessage))
        shape = results_graph.value(node, SH.sourceShape)
        shape_text = compact(shape)
        if isinstance(shape, BNode):  # an anonymous shape: name it by its sh:name or path, if any
            name = shapes.value(shape, SH.name)
            shape_text = f"[{name}]" if name else "[anonymous shape]"
        results.append(
            ShaclResult(
                focus_node=compact(results_graph.value(node, SH.focusNode)),
                path=_path_text(results_graph, results_graph.value(node, SH.resultPath)),
                message=" | ".join(messages),
                shape=shape_text,
                value=compact(results_graph.value(node, SH.value)),
                severity=compact(results_graph.value(node, SH.resultSeverity)),
                component=compact(results_graph.value(node, SH.sourceConstraintComponent)),
            )
        )
    return bool(conforms), sorted(results)


_rudof: dict[str, Any] = {}   # one pyrudof session per process: the shapes and the context documents stay loaded
_rudof_lock = threading.Lock()


def conforms_fast(data: bytes, *context: bytes) -> tuple[bool, list[str]]:
    """The shapes' verdict on ``data`` with the ``context`` documents (the ontology, the concept
    schemes), all N-Triples, from pyrudof's SHACL engine (4-5x faster than pySHACL, same verdicts on our
    shapes): (conforms, one line per result). Its messages are its own, so a failure is reported again
    through pySHACL (run_shacl).

    The first read into an empty pyrudof graph costs about 0.14 s whatever its size, more than
    validating a plan. So the context stays loaded from call to call while it is the same, and ``data``
    is staged over it and rolled back: a corpus build pays that cost once per worker, not once per plan.
    """
    with _rudof_lock:
        if not _rudof:
            _rudof["engine"] = pyrudof.Rudof(pyrudof.RudofConfig())
            _rudof["context"] = None
        engine = _rudof["engine"]
        if _rudof["context"] != context:
            _rudof["context"] = None   # unknown until the reads below have all succeeded
            engine.reset_all()
            engine.read_data("# context\n", format=pyrudof.RDFFormat.NTriples, merge=False)
            for part in context:
                engine.read_data(_text(part), format=pyrudof.RDFFormat.NTriples, merge=True)
            engine.read_shacl(SHAPES_PATH.read_text(encoding="utf-8"), format=pyrudof.ShaclFormat.Turtle)
            _rudof["context"] = context
        engine.begin_staging()
        try:
            engine.read_data(_text(data), format=pyrudof.RDFFormat.NTriples, merge=True)
            report = engine.validate_shacl()
        finally:
            engine.rollback_staging()
    lines = [f"{r.focus_node} {r.path or ''}: {r.constraint_component} [{r.source_shape}]" for r in report]
    return bool(report.conforms), sorted(lines)


def _text(part: bytes | str) -> str:
    return part.decode("utf-8") if isinstance(part, bytes) else part


def validate(
    data: Graph | TripleSet,
    ontology: Graph | None = None,
    *,
    shapes: Graph | None = None,
    queries: dict[str, str] | None = None,
    cache: ResultCache | None = None,
) -> ValidationReport:
    """Run the SHACL shapes and every violation query on ``data``; never raises on violations.

    ``ontology`` is the OWL ontology (``ontology/healthkg.ttl``); it is mixed into a copy of the data
    for SHACL only, ``data`` itself is not changed. ``shapes`` and ``queries`` default to
    ``ontology/shapes.ttl`` and ``queries/*-violation.rq``. With a ``cache`` (and the bundled shapes),
    the report of a graph that conformed before is reused when the data, the ontology, the shapes file,
    every query's text and the validators' versions are all the same (``reused`` says so).
    """
    started = time.perf_counter()
    shapes_given = shapes is not None   # the bundled shapes are what the fast engine reads
    queries = queries if queries is not None else violation_queries()
    ntriples = data.serialize(format="nt", encoding="utf-8")   # what pyrudof and Oxigraph read
    key = None
    blank_nodes = has_blank_nodes(data)
    if cache is not None and not shapes_given and not blank_nodes:   # blank labels are not stable
        key = _cache_key(ntriples, ontology, queries)
        entry = cache.get(CACHE_KIND, key)
        report = _cached_report(entry["value"]) if entry is not None else None
        if entry is not None and report is not None:
            report.seconds, report.reused = time.perf_counter() - started, reused(entry)
            return report
        if entry is not None:
            cache.unusable(CACHE_KIND, key, "does not hold the report of a graph that conforms")
    report = _validate(data, ntriples, ontology, shapes, queries, shapes_given, blank_nodes, started)
    if cache is not None and key is not None and report.conforms:
        cache.put(CACHE_KIND, key, {"shacl_conforms": report.shacl_conforms,
                                    "shacl_results": [asdict(r) for r in report.shacl_results],
                                    "query_results": [asdict(q) for q in report.query_results]})
    return report


def _cache_key(ntriples: bytes, ontology: Graph | None, queries: dict[str, str]) -> str:
    ontology_nt = ontology.serialize(format="nt", encoding="utf-8") if ontology is not None else b""
    versions = [f"{name} {metadata.version(name)}" for name in VALIDATORS]
    return digest(CACHE_KIND, canonical_ntriples(ntriples), canonical_ntriples(ontology_nt),
                  SHAPES_PATH.read_bytes(), *versions,
                  *(part for name, text in sorted(queries.items()) for part in (name, text)))


def _cached_report(value: dict) -> ValidationReport | None:
    """The report kept in a cache entry; None (recompute) when it is not one of a conforming graph."""
    try:
        report = ValidationReport(
            value["shacl_conforms"], [ShaclResult(**r) for r in value["shacl_results"]],
            [QueryResult(q["name"], tuple(q["variables"]), tuple(tuple(row) for row in q["rows"]), q["description"])
             for q in value["query_results"]])
    except (KeyError, TypeError, ValueError):
        return None
    return report if report.conforms else None


def _validate(data: Graph | TripleSet, ntriples: bytes, ontology: Graph | None, shapes: Graph | None,
              queries: dict[str, str], shapes_given: bool, blank_nodes: bool, started: float) -> ValidationReport:
    shapes = shapes if shapes is not None else load_shapes()
    graph = data if isinstance(data, Graph) else None           # pySHACL and rdflib's SPARQL need one

    def as_graph() -> Graph:
        nonlocal graph
        if graph is None:
            graph = data.to_graph() if isinstance(data, TripleSet) else data
        return graph

    if shapes_given:
        conforms, shacl_results = run_shacl(as_graph(), ontology, shapes)
    else:
        # pyrudof's verdict first (fast); pySHACL writes the report when there is something to report
        context = [ontology.serialize(format="nt", encoding="utf-8")] if ontology is not None and len(ontology) else []
        conforms, shacl_results = conforms_fast(ntriples, *context)[0], []
        if not conforms:
            conforms, shacl_results = run_shacl(as_graph(), ontology, shapes)
    if blank_nodes:
        query_results = [run_query(as_graph(), name, text) for name, text in sorted(queries.items())]
    else:
        query_results = run_queries_in_oxigraph(ntriples, queries)
    return ValidationReport(conforms, shacl_results, query_results, time.perf_counter() - started)


def check(data: Graph | TripleSet, ontology: Graph | None = None) -> ValidationReport:
    """``validate`` then raise ``ValidationFailed`` unless the graph conforms."""
    report = validate(data, ontology)
    report.raise_if_failed()
    return report

