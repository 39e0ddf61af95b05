"""Where queries run: an embedded store (Oxigraph in memory, or rdflib) or any SPARQL 1.1 endpoint.

Every store answers with the same plain rows: IRIs compacted with the project's prefixes, literals as
their lexical form, numbers and booleans in one canonical spelling, so answers from different stores compare equal.
"""
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph
from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query as ParsedQuery

from healthkg.graph.rdf.vocab import curie
from healthkg.queries import sparql_http

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
BOOLEAN = XSD + "boolean"
CANONICAL_BOOLEAN = {"1": "true", "0": "false"}   # Virtuoso answers "0"^^xsd:boolean for a stored "false"
USER_AGENT = "healthkg/0.1 (+https://w3id.org/healthkg)"
DEFAULT_TIMEOUT = 30            # seconds for a whole request to an endpoint
MAX_TIMEOUT = 86_400            # a day: nobody waits longer, and far longer overflows socket and thread timeouts
# refused beyond this, not read on: task-assignments is ~0.18 MB a plan (370 MB at 2,000)
DEFAULT_MAX_RESPONSE_MB = 1000


class StoreError(RuntimeError):
    """The store or endpoint could not answer: unreachable, timed out, too large an answer, or refused the query."""


class StoreInputError(StoreError):
    """What was given as the store cannot be used: a file that is not N-Triples or holds no triples, a folder
    that is not a store, a URL that is not http(s) or whose answer is not SPARQL results. Bad input (exit 2)."""


class QuerySyntaxError(StoreInputError):
    """The query text is not SPARQL: where (line and column, from 1, of the text sent) and what was expected."""

    def __init__(self, line: int, column: int, detail: str):
        super().__init__(f"the query is not valid SPARQL: line {line}, column {column}: {detail}")
        self.line, self.column, self.detail = line, column, detail


_OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.S)


def open_store_dir(path: Path) -> pyoxigraph.Store:
    """The on-disk Oxigraph store built by `build`, opened read-only; StoreInputError if there is none."""
    path = Path(path)
    hint = "build one with `build_graph.py build --sources DIR --store-dir DIR`"
    if not path.is_dir():
        raise StoreInputError(f"no store at {path}; {hint}")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as error:
        raise StoreInputError(f"{path} is not an Oxigraph store ({error}); {hint}") from None


def _no_triples(graph_file: Path) -> StoreInputError:
    return StoreInputError(f"the graph file {graph_file} holds no triples")


def _not_ntriples(graph_file: Path, error: Exception) -> StoreInputError:
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return StoreInputError(f"the graph file {graph_file} is not N-Triples: {first_line}")


# One answer term as a plain value (see cell); None where the variable is unbound.
Cell = str | int | Decimal | None


def cell(kind: str, value: str, datatype: str | None = None) -> Cell:
    """One answer term as a plain value: str for IRIs and text, int or Decimal for numbers, "true" or
    "false" for a boolean (whichever of its two spellings the store answered with)."""
    if kind == "iri":
        return curie(value)
    if datatype == BOOLEAN:
        return CANONICAL_BOOLEAN.get(value, value)
    if datatype in NUMERIC:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return int(number) if number == number.to_integral_value() else number.normalize()
    return value


class Answer:
    # A column's type is the query's business (a count is an int, a label a str), hence Any: the rows come
    # from cell() in the stores, and from the tables built from them in queries/.
    def __init__(self, variables: list[str], rows: list[list[Any]]):
        self.variables, self.rows = variables, rows
        # A page of a listing question (queries/runner.py): the rows skipped before it, the page size and the
        # number of rows of the whole answer; None when the answer is not paged.
        self.offset: int | None = None
        self.limit: int | None = None
        self.total: int | None = None

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.variables, row)) for row in self.rows]


class Store(Protocol):
    """What the questions need of a store: SELECT answers as plain rows, the same from every store, and
    the store's name. OxigraphStore, RdflibStore and EndpointStore have it."""

    name: str

    def select(self, query: str) -> Answer: ...


def _not_select(kind: str) -> StoreInputError:
    return StoreInputError(f"only a SELECT query has rows to answer with, not {kind}")


class OxigraphStore:
    """pyoxigraph in memory (or on disk with `path`): the default embedded store."""

    name = "oxigraph"

    def __init__(self, graph_file: Path | None = None, path: Path | None = None, read_only: bool = False,
                 empty: bool = False):
        """`graph_file` (N-Triples) loaded into memory, or the store at `path` (with `graph_file` loaded into
        it, if given). Neither is an error: a store that silently answers every question with zero rows
        looks like an answer; `empty=True` (or OxigraphStore.empty()) asks for an empty store on purpose."""
        if graph_file is None and path is None and not empty:
            raise TypeError("OxigraphStore needs a graph file or a store folder (path=...); "
                            "OxigraphStore.empty() for an empty store on purpose")
        if path and read_only:
            self.store = open_store_dir(path)
        else:
            self.store = pyoxigraph.Store(str(path)) if path else pyoxigraph.Store()
        if graph_file:
            try:
                self.store.bulk_load(path=str(graph_file), format=pyoxigraph.RdfFormat.N_TRIPLES)
            except (SyntaxError, ValueError) as error:
                raise _not_ntriples(graph_file, error) from None
            if not path and len(self.store) == 0:
                raise _no_triples(graph_file)

    @classmethod
    def empty(cls) -> "OxigraphStore":
        """An empty in-memory store, to be filled by the caller (store.store.add / bulk_load)."""
        return cls(empty=True)

    def select(self, query: str) -> Answer:
        try:
            results = self.store.query(query)
        except SyntaxError as error:
            where = _OXIGRAPH_POSITION.match(str(error))
            if not where:
                raise QuerySyntaxError(0, 0, str(error)) from None
            detail = " ".join(where[3].split())
            if "Prefix not found" in detail:   # Oxigraph lists every character a name could go on with
                detail = "a prefix that is not declared"
            raise QuerySyntaxError(int(where[1]), int(where[2]), detail[:300]) from None
        if isinstance(results, pyoxigraph.QueryBoolean):
            raise _not_select("an ASK query")
        if not isinstance(results, pyoxigraph.QuerySolutions):
            raise _not_select("a CONSTRUCT or DESCRIBE query")
        variables = [v.value for v in results.variables]
        convert = _oxigraph_cell
        return Answer(variables, [[convert(term) for term in solution] for solution in results])


def _oxigraph_cell(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None) -> Cell:
    # exact types: this runs once per cell of every answer
    if type(term) is pyoxigraph.NamedNode:
        return cell("iri", term.value)
    if type(term) is pyoxigraph.Literal:
        return cell("literal", term.value, term.datatype.value)
    if term is None:
        return None
    return f"_:{term.value}"


class RdflibStore:
    """rdflib's in-memory graph: slower, but pure Python."""

    name = "rdflib"

    def __init__(self, graph_file: Path | None = None, graph: Graph | None = None, empty: bool = False):
        """`graph_file` (N-Triples) parsed into a new graph, or an rdflib `graph` asked as it is; neither is an
        error unless `empty=True` (see OxigraphStore)."""
        if graph_file is None and graph is None and not empty:
            raise TypeError("RdflibStore needs a graph file or an rdflib graph (graph=...); "
                            "RdflibStore(empty=True) for an empty store on purpose")
        self.graph = graph if graph is not None else Graph()
        if graph_file:
            try:
                self.graph.parse(graph_file, format="nt")
            except Exception as error:  # noqa: BLE001 - rdflib's parser raises errors of several kinds
                raise _not_ntriples(graph_file, error) from None
            if len(self.graph) == 0:
                raise _no_triples(graph_file)

    def parse(self, query: str) -> ParsedQuery:
        """rdflib's parse of `query`, with the graph's prefixes as Graph.query gives them. select() parses
        text itself; the benchmark parses apart, outside its timed run: a signal that cuts pyparsing short
        can leave its grammar, shared by the whole process, recursing without end on later parses."""
        try:
            return prepareQuery(query, initNs=dict(self.graph.namespaces()))
        except ParseException as error:
            raise QuerySyntaxError(error.lineno, error.col, error.msg) from None
        except Exception as error:  # noqa: BLE001 - rdflib raises parser errors of several kinds
            raise StoreError(f"rdflib could not run the query: {error}") from error

    def select(self, query: str | ParsedQuery) -> Answer:
        parsed = self.parse(query) if isinstance(query, str) else query
        try:
            result = self.graph.query(parsed)
        except Exception as error:  # noqa: BLE001 - rdflib raises evaluation errors of several kinds
            raise StoreError(f"rdflib could not run the query: {error}") from error
        if result.type != "SELECT" or result.vars is None:
            raise _not_select(f"a {result.type} query")
        names = result.vars
        variables = [str(v) for v in names]

        def to_cell(term: object) -> Cell:
            if term is None:
                return None
            if isinstance(term, URIRef):
                return cell("iri", str(term))
            if isinstance(term, Literal):
                return cell("literal", str(term), str(term.datatype) if term.datatype else None)
            if isinstance(term, BNode):
                return f"_:{term}"
            return str(term)

        return Answer(variables, [[to_cell(binding.get(v)) for v in names] for binding in result.bindings])


class EndpointStore:
    """Any SPARQL 1.1 endpoint, asked through SPARQLWrapper (queries/sparql_http.py), with an overall
    deadline for each query and a limit on the size of its answer."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, max_response_mb: float = DEFAULT_MAX_RESPONSE_MB):
        try:
            self.url = sparql_http.check_url(url)
        except ValueError as error:
            raise StoreInputError(str(error)) from None
        if timeout > MAX_TIMEOUT:
            raise StoreInputError(f"--timeout {timeout:g} is more than a day ({MAX_TIMEOUT} s)")
        self.timeout, self.max_bytes = timeout, int(max_response_mb * 1_000_000)

    def select(self, query: str) -> Answer:
        try:
            data = sparql_http.query(self.url, query, deadline_seconds=self.timeout, max_bytes=self.max_bytes,
                                     user_agent=USER_AGENT)
            if isinstance(data, dict) and "boolean" in data:
                raise _not_select("an ASK query")
            variables = data["head"]["vars"]
            return Answer(variables, [[_endpoint_cell(row.get(v)) for v in variables]
                                      for row in data["results"]["bindings"]])
        except sparql_http.EndpointFailed as error:
            raise StoreError(f"SPARQL endpoint: {error}") from None
        except (sparql_http.NotAnEndpoint, KeyError, TypeError, AttributeError) as error:
            detail = error if isinstance(error, sparql_http.NotAnEndpoint) else \
                f"{self.url} answered JSON that is not SPARQL results ({type(error).__name__}: {error})"
            raise StoreInputError(f"SPARQL endpoint: {detail}") from None


def _endpoint_cell(binding: dict[str, str] | None) -> Cell:
    if binding is None:
        return None
    kind = "iri" if binding["type"] == "uri" else binding["type"]
    return cell(kind, binding["value"], binding.get("datatype"))
