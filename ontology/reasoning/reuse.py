"""The rules engine's answer, reused from graph.result_cache when it was computed before from exactly the same
data, the same ontology and the same code (this package's source files: the code is part of what an answer
is computed from), with the same rdflib."""
from __future__ import annotations

import dataclasses
import time
from importlib import metadata
from pathlib import Path

from rdflib import Graph, URIRef

from healthkg.graph.rdf import triples as triples_module
from healthkg.graph.rdf.triples import Triples
from healthkg.graph.result_cache import ResultCache, canonical_ntriples, digest, file_digest, reused
from healthkg.ontology.reasoning.engine import reason
from healthkg.ontology.reasoning.prepare import Prepared
from healthkg.ontology.reasoning.result import ReasoningResult
from healthkg.ontology.reasoning.terms import HK, HKC, HKD, RULES

CACHE_KIND = "rules_closure"
# The code an answer comes from: this package, and the N-Triples writer the key and the entries use.
CODE = (*sorted(Path(__file__).parent.glob("*.py")), Path(str(triples_module.__file__)))


def code_digest() -> str:
    return digest(*(part for path in CODE for part in (path.name, file_digest(path))))


def input_digest(data: Triples, ontology: Triples) -> str:
    """A digest of the reasoning's whole input: the data and the ontology as sorted N-Triples (the same
    triples give the same digest; blank nodes must be labelled from their content, as
    pipeline.load_ontology does, or the digest changes from run to run and nothing is found again)."""
    return digest(canonical_ntriples(data.serialize(format="nt", encoding="utf-8")),
                  canonical_ntriples(ontology.serialize(format="nt", encoding="utf-8")))


def rules_answer(prepared: Prepared, inputs: str, cache: ResultCache | None) -> ReasoningResult:
    """reason(None, engine="rules", prepared=prepared), or the answer kept for the same `inputs`
    (input_digest() of what `prepared` was prepared from), code and rdflib; its `reused` says when it was
    computed. Errors (an inconsistency, an unsupported axiom) are never kept."""
    if cache is None:
        return reason(None, engine="rules", prepared=prepared)
    started = time.perf_counter()
    key = digest(CACHE_KIND, code_digest(), f"rdflib {metadata.version('rdflib')}", inputs)
    entry = cache.get(CACHE_KIND, key)
    kept = _from_value(entry["value"]) if entry is not None else None
    if entry is not None and kept is not None:
        return dataclasses.replace(kept, seconds=time.perf_counter() - started, reused=reused(entry))
    if entry is not None:
        cache.unusable(CACHE_KIND, key, "does not hold a whole answer of the rules engine")
    result = reason(None, engine="rules", prepared=prepared)
    if all(isinstance(term, URIRef) for pair in result.types for term in pair):
        cache.put(CACHE_KIND, key, {
            "inferred": canonical_ntriples(result.inferred.serialize(format="nt", encoding="utf-8")).decode("utf-8"),
            "types": sorted([str(s), str(o)] for s, o in result.types), "counts": result.counts,
            "note": result.note, "reasoner_seconds": round(result.reasoner_seconds, 3)})
    return result


def _from_value(value: dict) -> ReasoningResult | None:
    """The kept answer; None (recompute) when the entry does not hold a whole one."""
    try:
        inferred = Graph()
        for prefix, namespace in (("hk", HK), ("hkd", HKD), ("hkc", HKC)):
            inferred.bind(prefix, namespace)
        inferred.parse(data=value["inferred"], format="nt")
        counts = {str(name): int(count) for name, count in value["counts"].items()}
        types = frozenset((URIRef(s), URIRef(o)) for s, o in value["types"])
        if len(inferred) != counts["inferred_triples"]:
            return None
        return ReasoningResult(inferred, RULES, 0.0, counts, str(value["note"]), float(value["reasoner_seconds"]),
                               (), types)
    except Exception:      # anything unexpected in an entry (a parser's error included): recompute, never trust it
        return None
