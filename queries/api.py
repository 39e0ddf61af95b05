"""The Python API: load the graph, ask the library's questions or your own SPARQL, extract a plan's records.

    >>> import healthkg
    >>> kg = healthkg.load()                       # the committed release of the bundled plans
    >>> [(row["city"], row["tasks"]) for row in kg.ask("plan-overview")]
    [('来宾市', 30), ('柳州市', 60)]
    >>> top = kg.ask("coordinating-load-by-function")[0]    # the headline question
    >>> top["rank"], top["function_en"], top["lead"], top["cooperating"]
    (1, 'Health', 16, 25)
    >>> rows = kg.ask("search-tasks", keyword="医养结合", match="any")
    >>> [row["number"] for row in rows if row["city"] == "来宾市"]
    ['1', '3', '5']
    >>> kg.sparql("SELECT (COUNT(?t) AS ?n) WHERE { ?t a hk:Task }")     # the project's prefixes are declared
    [{'n': 90}]
    >>> records = healthkg.extract(healthkg.SOURCES / "laibin-2019-laizhengfa-22.txt")
    >>> records["plan"]["city"], len(records["tasks"])
    ('来宾市', 30)

`load(path)` reads another N-Triples file, `load(endpoint=URL)` asks a SPARQL 1.1 endpoint, `load(store_dir=DIR)`
the on-disk store built by `healthkg build`. Rows are dicts (IRIs as CURIEs, numbers as int or Decimal);
`rows.to_pandas()` gives a DataFrame when pandas is installed (`pip install 'healthkg[pandas]'`).
"""
import importlib
from decimal import Decimal
from importlib import resources
from pathlib import Path

from healthkg.graph.extract.records import extract_file
from healthkg.queries import library, runner, stores
from healthkg.queries.exports import write_exports
from healthkg.queries.network import Network

RELEASE = Path(str(resources.files("healthkg.graph") / "release" / "healthkg.nt"))
SOURCES = Path(str(resources.files("healthkg.graph") / "sources"))


class Rows(list):
    """An answer: a list of dicts, one per row, with the column names in `variables`.

    >>> rows = Rows(["city", "tasks"], [["来宾市", 30]])
    >>> rows, rows.variables
    ([{'city': '来宾市', 'tasks': 30}], ['city', 'tasks'])
    """

    def __init__(self, variables: list[str], rows: list[list]):
        super().__init__(dict(zip(variables, row)) for row in rows)
        self.variables = list(variables)

    def to_pandas(self):
        """The rows as a pandas DataFrame (decimals as floats); needs pandas (the `pandas` extra)."""
        try:
            pandas = importlib.import_module("pandas")      # optional: only this method needs it
        except ImportError:
            raise ImportError("to_pandas needs pandas: pip install 'healthkg[pandas]'") from None
        return pandas.DataFrame([[float(v) if isinstance(v, Decimal) else v for v in row.values()] for row in self],
                                columns=self.variables)


class KnowledgeGraph:
    """A store with the graph in it, asked through the question library or with SPARQL."""

    def __init__(self, store):
        self.store = store

    def __repr__(self) -> str:
        return f"<healthkg.KnowledgeGraph on {self.store.name}>"

    def questions(self) -> dict[str, str]:
        """The library's questions: name -> title (zh | en).

        >>> load().questions()["plan-overview"].split(" | ")[1]
        'The plans at a glance'
        """
        return {name: query.title for name, query in library.all_queries(include_checks=False).items()}

    def ask(self, name: str, **params) -> Rows:
        """The answer to a question of the library (`healthkg query --list`), its parameters as keywords;
        a list or tuple of keywords is joined with commas (search-tasks takes several)."""
        values = {key: ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
                  for key, value in params.items()}
        answer = runner.run(library.get(name), self.store, values)
        return Rows(answer.variables, answer.rows)

    def sparql(self, text: str, **params) -> Rows:
        """The answer to your own SELECT query; the project's prefixes (hk:, hkc:, hkd:, org:, …) are declared
        before it. A syntax error (stores.QuerySyntaxError) names the line and column of `text`."""
        answer = runner.run(library.adhoc(text), self.store, {key: str(value) for key, value in params.items()})
        return Rows(answer.variables, answer.rows)

    def export(self, folder: Path | str) -> list[Path]:
        """tasks.csv and the body–task and co-assignment networks (GraphML and GEXF, for Gephi) in `folder`."""
        return write_exports(self.store, Network.from_store(self.store), Path(folder))


def load(path: Path | str | None = None, *, endpoint: str | None = None, store_dir: Path | str | None = None,
         store: str = "oxigraph", timeout: float = stores.DEFAULT_TIMEOUT) -> KnowledgeGraph:
    """The knowledge graph: the committed release by default, or the N-Triples file `path`, or a SPARQL 1.1
    `endpoint`, or the on-disk store `store_dir` (give one of them). `store="rdflib"` loads a file into
    rdflib instead of Oxigraph; `timeout` bounds each request to an endpoint, in seconds.

    >>> load("a.nt", endpoint="http://127.0.0.1:7878/query")
    Traceback (most recent call last):
    ...
    ValueError: give one of path, endpoint and store_dir, not several
    """
    if sum(given is not None for given in (path, endpoint, store_dir)) > 1:
        raise ValueError("give one of path, endpoint and store_dir, not several")
    if endpoint is not None:
        return KnowledgeGraph(stores.EndpointStore(endpoint, timeout))
    if store_dir is not None:
        return KnowledgeGraph(stores.OxigraphStore(path=Path(store_dir), read_only=True))
    graph_file = Path(path) if path is not None else RELEASE
    if not graph_file.is_file():
        raise stores.StoreInputError(f"no graph file {graph_file}")
    if store not in ("oxigraph", "rdflib"):
        raise ValueError(f"store must be oxigraph or rdflib, not {store!r}")
    return KnowledgeGraph(stores.OxigraphStore(graph_file) if store == "oxigraph" else stores.RdflibStore(graph_file))


def extract(path: Path | str, encoding: str | None = None) -> dict:
    """One plan's records (graph/RECORDS.md), as `healthkg extract FILE --json` prints them."""
    return extract_file(Path(path), encoding)
