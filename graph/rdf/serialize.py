"""Graphs -> byte-identical files: sorted N-Triples, and Turtle and JSON-LD written from them.

rdflib writes triples in store order; sorting the N-Triples lines and writing Turtle and JSON-LD from
them in that order makes every serialisation depend on the triples alone.
"""
import json

import pyoxigraph

from healthkg.graph.rdf.triples import LINE_SEPARATORS, Triples, escape_unsafe, has_blank_nodes, ntriples
from healthkg.graph.rdf.vocab import PREFIXES


def sorted_ntriples(graph: Triples) -> str:
    if has_blank_nodes(graph):
        raise ValueError("blank nodes in the graph: every resource needs an IRI for stable output")
    # One row per line: the writer escapes every line-end character inside literals, and rows end
    # with \n alone (str.splitlines would also split at a form feed or U+2028 left in a literal).
    lines = [line for line in ntriples(graph).decode("utf-8").split("\n") if line]
    return "\n".join(sorted(set(lines))) + "\n"


def serialisations(graph: Triples) -> dict[str, str]:
    """{"nt": ..., "ttl": ..., "jsonld": ...} for the graph. Oxigraph writes Turtle and JSON-LD in the
    order of the triples it is given (the sorted N-Triples) in milliseconds; rdflib took seconds."""
    rows = sorted_ntriples(graph)
    triples = list(pyoxigraph.parse(rows.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES))
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    turtle = _written(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes))
    jsonld = _one_node_a_line(_written(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.JSON_LD)))
    return {
        "nt": rows,
        "ttl": escape_unsafe(turtle.decode("utf-8"), LINE_SEPARATORS),
        "jsonld": escape_unsafe(jsonld, LINE_SEPARATORS),
    }


def _one_node_a_line(data: bytes) -> str:
    """Oxigraph's JSON-LD (one line: a list of node objects) with each node on a line of its own, so that a
    change to a resource is a change to its line. json's C encoder writes each line; indent= would take
    Python's own encoder, five times slower on the bundled plans' graph."""
    nodes = json.loads(data)
    if not isinstance(nodes, list):
        raise RuntimeError(f"Oxigraph's JSON-LD is not a list of node objects but a {type(nodes).__name__}")
    return "[\n" + ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes) + "\n]\n"


def _written(data: bytes | None) -> bytes:
    """pyoxigraph.serialize's bytes: it returns None only when given a file to write to, as here it is not."""
    if data is None:
        raise RuntimeError("pyoxigraph.serialize wrote to a file instead of returning the serialisation")
    return data
