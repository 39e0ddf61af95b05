"""Where queries run: an embedded store (Oxigraph in memory, or rdflib) or any SPARQL 1.1 endpoint.

Every store answers with the same plain rows: IRIs compacted with the project's prefixes, literals as
their lexical form, numbers in one canonical spelling, so answers from different stores compare equal.
"""
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from graph.rdf import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
USER_AGENT = "healthkg/0.1 (+https://w3id.org/healthkg; SPARQLWrapper)"


class StoreError(RuntimeError):
    """The store or endpoint could not answer: unreachable, timed out, or refused the query."""


_BY_LENGTH = tuple((prefix, str(namespace)) for prefix, namespace
                   in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))))


@lru_cache(maxsize=2 ** 16)   # an answer names the same few thousand IRIs over and over
def compact(iri: str) -> str:
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def cell(kind: str, value: str, datatype: str | None = None):
    """One answer term as a plain value: str for IRIs and text, int or Decimal for numbers."""
    if kind == "iri":
        return compact(value)
    if datatype in NUMERIC:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return int(number) if number == number.to_integral_value() else number.normalize()
    return value


class Answer:
    def __init__(self, variables: list[str], rows: list[list]):
        self.variables, self.rows = variables, rows

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.variables, row)) for row in self.rows]


class OxigraphStore:
    """pyoxigraph in memory (or on disk with `path`): the default embedded store."""

    name = "oxigraph"

    def __init__(self, graph_file: Path | None = None, path: Path | None = None, read_only: bool = False):
        import pyoxigraph

        self._ox = pyoxigraph
        if path and read_only:
            if not Path(path).is_dir():
                raise StoreError(f"no store at {path}; build one with `build_graph.py build --sources DIR`")
            self.store = pyoxigraph.Store.read_only(str(path))
        else:
            self.store = pyoxigraph.Store(str(path)) if path else pyoxigraph.Store()
        if graph_file:
            self.store.bulk_load(path=str(graph_file), format=pyoxigraph.RdfFormat.N_TRIPLES)

    def select(self, query: str) -> Answer:
        results = self.store.query(query)
        variables = [v.value for v in results.variables]
        convert = self._cell
        return Answer(variables, [[convert(term) for term in solution] for solution in results])

    def _cell(self, term):
        kind = type(term)       # exact types: this runs once per cell of every answer
        if kind is self._ox.NamedNode:
            return cell("iri", term.value)
        if kind is self._ox.Literal:
            return cell("literal", term.value, term.datatype.value)
        if term is None:
            return None
        return f"_:{term.value}"


class RdflibStore:
    """rdflib's in-memory graph: slower, but pure Python."""

    name = "rdflib"

    def __init__(self, graph_file: Path | None = None, graph=None):
        from rdflib import Graph

        self.graph = graph if graph is not None else Graph()
        if graph_file:
            self.graph.parse(graph_file, format="nt")

    def select(self, query: str) -> Answer:
        from rdflib import BNode, Literal, URIRef

        try:
            result = self.graph.query(query)
            variables = [str(v) for v in result.vars]
        except Exception as error:  # noqa: BLE001 - rdflib raises parser errors of several kinds
            raise StoreError(f"rdflib could not run the query: {error}") from error

        def to_cell(term):
            if term is None:
                return None
            if isinstance(term, URIRef):
                return cell("iri", str(term))
            if isinstance(term, Literal):
                return cell("literal", str(term), str(term.datatype) if term.datatype else None)
            if isinstance(term, BNode):
                return f"_:{term}"
            return str(term)

        return Answer(variables, [[to_cell(row[v]) for v in variables] for row in result])


class EndpointStore:
    """Any SPARQL 1.1 endpoint, through SPARQLWrapper."""

    name = "endpoint"

    def __init__(self, url: str, timeout: int = 30):
        self.url, self.timeout = url, timeout

    def select(self, query: str) -> Answer:
        from urllib.error import URLError

        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.url, agent=USER_AGENT)
        client.setQuery(query)
        # SPARQLWrapper guesses the query form from the text, comments included ("add" reads as an
        # update); every query of ours is a SELECT.
        client.queryType = "SELECT"
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(self.timeout)
        try:
            data = client.queryAndConvert()
        except (URLError, OSError, SPARQLWrapperException) as error:
            raise StoreError(f"SPARQL endpoint {self.url} did not answer: {error}") from error
        if not (isinstance(data, dict) and "head" in data and "results" in data):
            raise StoreError(f"{self.url} did not answer with SPARQL JSON results (is it a SPARQL endpoint?)")
        variables = data["head"]["vars"]

        def to_cell(binding):
            if binding is None:
                return None
            kind = "iri" if binding["type"] == "uri" else binding["type"]
            return cell(kind, binding["value"], binding.get("datatype"))

        return Answer(variables, [[to_cell(row.get(v)) for v in variables] for row in data["results"]["bindings"]])
