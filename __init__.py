"""healthkg: a knowledge graph of Chinese municipal big-health industry (大健康产业) policy plans.

The package is the repository: graph (text → records → triples, checks, jobs), ontology (the OWL model and
reasoning), queries (the store and the research questions), viz (the pages), build_graph (the command line).

The Python API (healthkg.queries.api) is re-exported here and imported only when first used, so that importing
any part of the package stays as light as before:

    >>> import healthkg
    >>> kg = healthkg.load()
    >>> kg.ask("plan-overview")[0]["tasks"]
    30
"""
import importlib

TYPE_CHECKING = False   # not typing's: importing typing would cost every import of the package
if TYPE_CHECKING:       # for type checkers and editors; at run time __getattr__ imports the API on first use
    from healthkg.queries.api import SOURCES, KnowledgeGraph, Rows, extract, load

__all__ = ["load", "extract", "KnowledgeGraph", "Rows", "SOURCES"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(importlib.import_module("healthkg.queries.api"), name)
    raise AttributeError(f"module 'healthkg' has no attribute {name!r}")
