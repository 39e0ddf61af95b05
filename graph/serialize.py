"""Graphs -> byte-identical files: sorted N-Triples, and Turtle and JSON-LD written from them.

rdflib writes triples in store order; reading the sorted N-Triples back into a fresh graph makes that
order (and so every serialisation) depend on the triples alone.
"""
import json

from rdflib import BNode, Graph

from graph.rdf import PREFIXES


def sorted_ntriples(graph: Graph) -> str:
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        raise ValueError("blank nodes in the graph: every resource needs an IRI for stable output")
    lines = [line for line in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines() if line]
    return "\n".join(sorted(set(lines))) + "\n"


def canonical(graph: Graph) -> tuple[str, Graph]:
    """(sorted N-Triples, a fresh graph holding the same triples loaded in that order)."""
    text = sorted_ntriples(graph)
    fresh = Graph()
    for prefix, namespace in PREFIXES.items():
        fresh.bind(prefix, namespace)
    fresh.parse(data=text, format="nt")
    return text, fresh


def serialisations(graph: Graph) -> dict[str, str]:
    """{"nt": ..., "ttl": ..., "jsonld": ...} for the graph."""
    ntriples, fresh = canonical(graph)
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return {
        "nt": ntriples,
        "ttl": fresh.serialize(format="turtle"),
        "jsonld": _sorted_jsonld(fresh.serialize(format="json-ld", context=context)),
    }


def _sorted_jsonld(text: str) -> str:
    """rdflib's JSON-LD follows hash order; sort the nodes by @id and every list of values."""
    document = json.loads(text)

    def order(value):
        if isinstance(value, dict):
            return {key: order(item) for key, item in value.items()}
        if isinstance(value, list):
            return sorted((order(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True,
                                                                                       ensure_ascii=False))
        return value

    return json.dumps(order(document), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
