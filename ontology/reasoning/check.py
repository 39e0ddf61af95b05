"""HermiT's check of the rules engine's answer: two tableau runs instead of realisation (see below)."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from rdflib import BNode, URIRef
from rdflib.namespace import OWL, RDFS
from rdflib.term import Node

from healthkg.graph.rdf.triples import ntriples, xml_safe_ntriples
from healthkg.graph.result_cache import ResultCache, canonical_ntriples, digest, reused
from healthkg.ontology.reasoning.engine import reason
from healthkg.ontology.reasoning.hermit import (
    JAVA_OPTIONS,
    HermitBounds,
    classpath_digest,
    hermit_classpath,
    inconsistent_run,
    java_problem,
    run_hermit,
    seconds_text,
    unsatisfiable_listed,
)
from healthkg.ontology.reasoning.prepare import Prepared, rdf_list, simple_types
from healthkg.ontology.reasoning.result import HermitExceeded, ReasoningError, ReasoningResult
from healthkg.ontology.reasoning.terms import HERMIT, HK, OUR_SUBJECTS, RDF_TYPE

# ---------------------------------------------------------------------------------------------------
# HermiT's check of the rules engine's answer
# ---------------------------------------------------------------------------------------------------
# Realisation (-I) tests every possible class membership against the whole ABox: quadratic, 4-5 s on
# the two bundled plans. Checking an answer takes two tableau runs instead, side by side, a JVM each:
#   completeness: the input plus, for each individual, "in none of the hk: classes the rules do not
#     put it in". A model of that (HermiT: consistent) is one model in which all those memberships
#     fail, so none is entailed; it also shows the input consistent.
#   soundness: the input plus a fresh individual in the union of ({a} and not C) over the memberships
#     the rules found by counting or through defined classes. No model (HermiT: inconsistent) means
#     every one of them is entailed. The others follow from asserted types, domains, ranges and
#     super-classes, which the rules apply as told.
# Any other outcome falls back to HermiT's own realisation.
CHECK = URIRef("urn:healthkg:reasoning-check")
_SATISFIABLE = b"owl#Thing is satisfiable."
_FLAGS = ["-k", "-U"]
CACHE_KIND = "hermit_check"     # graph.result_cache: HermiT's confirmations, keyed by what it read


def _class_expression(node: BNode, predicate, members: list) -> list:
    """node a owl:Class; predicate (m1 ... mn): unionOf, intersectionOf or oneOf, as RDF triples."""
    head, cells = rdf_list(str(node), members)
    return [(node, RDF_TYPE, OWL.Class), (node, predicate, head), *cells]


def _hk_classes(prepared: Prepared) -> list[URIRef]:
    return sorted({c for c in prepared.tbox.subjects(RDF_TYPE, OWL.Class)
                   if isinstance(c, URIRef) and str(c).startswith(str(HK))}, key=str)


def _completeness_check(prepared: Prepared, types: frozenset) -> bytes:
    """For every individual, a class under not (C1 or ... or Cn) over the most general hk:
    classes the rules do not put it in (their told sub-classes follow), less those disjoint with one
    it is in (already excluded). Individuals with the same classes share one such class."""
    classes, schema = _hk_classes(prepared), prepared.schema
    of = defaultdict(set)
    for individual, cls in types:
        of[individual].add(cls)
    negations: dict[frozenset, URIRef | None] = {}
    triples: list[tuple[Node, Node, Node]] = []
    for individual in prepared.individuals:
        if not str(individual).startswith(OUR_SUBJECTS):
            continue
        mine = frozenset(of.get(individual, ()))
        if mine not in negations:
            absent = [c for c in classes if c not in mine and not any(schema.disjoint_axiom(c, d) for d in mine)]
            most_general = [c for c in absent if not (schema.ancestors(c) - {c}) & set(absent)]
            node = None
            if most_general:
                node = URIRef(f"{CHECK}/none-of-{len(negations)}")
                union, complement = BNode(f"noneof{len(negations)}union"), BNode(f"noneof{len(negations)}not")
                triples += [(node, RDF_TYPE, OWL.Class), (node, RDFS.subClassOf, complement),
                            (complement, RDF_TYPE, OWL.Class), (complement, OWL.complementOf, union)]
                triples += _class_expression(union, OWL.unionOf, most_general)
            negations[mine] = node
        negation = negations[mine]
        if negation is not None:
            triples.append((individual, RDF_TYPE, negation))
    return ntriples(triples)


def _soundness_check(prepared: Prepared, claims: list) -> bytes:
    """A fresh individual in the union of ({a} and not C) over the claimed memberships (a, C)."""
    alternatives: list[BNode] = []
    triples: list[tuple[Node, Node, Node]] = [(CHECK, RDF_TYPE, OWL.NamedIndividual)]
    for index, (individual, cls) in enumerate(claims):
        alternative, one, complement = (BNode(f"claim{index}{part}") for part in ("", "one", "not"))
        triples += _class_expression(one, OWL.oneOf, [individual])
        triples += [(complement, RDF_TYPE, OWL.Class), (complement, OWL.complementOf, cls)]
        triples += _class_expression(alternative, OWL.intersectionOf, [one, complement])
        alternatives.append(alternative)
    union = BNode("claims")
    triples += _class_expression(union, OWL.unionOf, alternatives) + [(CHECK, RDF_TYPE, union)]
    return ntriples(triples)


def check_with_hermit(prepared: Prepared, answer: ReasoningResult, *, timeout: float | None = None,
                      memory_gb: float | None = None, fallback: bool = True,
                      on_fallback: Callable[[str, str | None], None] | None = None,
                      cache: ResultCache | None = None, inputs: str = "") -> ReasoningResult:
    """HermiT's verdict on the rules engine's `answer` for `prepared` (see above). Returns the answer
    as HermiT's when HermiT confirms it, or else HermiT's realisation (reason()), which raises
    InconsistentOntology when there is no model. HermiT gets `timeout` seconds for all its runs and a
    heap of `memory_gb` (HermitBounds: None is the default). Without Java, or when HermiT exceeds either
    bound, the answer is checked by the pure-Python OWL RL closure instead and the result's `fallback`
    says why (`on_fallback(why, bound)` is told first, bound "time", "memory" or None when HermiT could
    not run); with fallback=False that raises ReasoningError (HermitExceeded for a bound) instead.

    With a `cache`, a confirmation HermiT gave before on exactly the same documents (byte for byte, as
    HermiT reads them), with the same HermiT classes and flags, is reused instead of starting the JVM:
    the result's `reused` says so. Only confirmations are kept, never a failure or a fallback. `inputs`
    (reuse.input_digest() of the data and the ontology) is part of the key too: a verdict is reused only
    for the same build input, even where a change (a label, a comment) leaves HermiT's documents as they were."""
    started = time.perf_counter()
    bounds = HermitBounds(timeout, memory_gb)
    limit = bounds.time_limit(prepared)
    java, classpath = shutil.which("java"), hermit_classpath()
    documents, claims = _check_documents(prepared, answer) if answer.types else ({}, [])
    key = None
    if cache is not None and classpath is not None and documents:
        key = digest(CACHE_KIND, inputs, classpath_digest(classpath), *_FLAGS, *JAVA_OPTIONS,
                     *(part for name, document in documents.items() for part in (name, document)))
        entry = cache.get(CACHE_KIND, key)
        kept = entry["value"] if entry is not None else {}
        unsatisfiable, seconds = kept.get("unsatisfiable"), kept.get("reasoner_seconds")
        if (entry is not None and kept.get("confirmed") is True and isinstance(unsatisfiable, list)
                and all(isinstance(iri, str) for iri in unsatisfiable) and isinstance(seconds, (int, float))):
            return _confirmed(prepared, answer, len(claims), tuple(unsatisfiable), float(seconds), started,
                              reused(entry))
        if entry is not None:
            cache.unusable(CACHE_KIND, key, "does not hold a confirmation by HermiT")
    problem = java_problem(java) or (None if classpath else "owlready2's HermiT.jar not found")
    if problem or java is None or classpath is None:      # no problem: java and classpath are both found
        if not fallback:
            raise ReasoningError(f"HermiT cannot run: {problem}")
        why, bound = f"HermiT not run ({problem})", None
    else:
        try:
            result = _hermit_verdict(prepared, answer, documents, claims, java, classpath, time.monotonic() + limit,
                                     bounds.heap_gb(), started)
            if cache is not None and key is not None and result.confirmed and result.reasoner == HERMIT:
                cache.put(CACHE_KIND, key, {"confirmed": True, "unsatisfiable": list(result.unsatisfiable),
                                            "reasoner_seconds": round(result.reasoner_seconds, 3)})
            return result
        except HermitExceeded as error:
            exceeded = HermitExceeded(f"HermiT did not finish within {seconds_text(limit)}", out_of_time=True) \
                if error.out_of_time else error
            if not fallback:
                raise exceeded from error
            why, bound = str(exceeded), "time" if exceeded.out_of_time else "memory"
    if on_fallback is not None:
        on_fallback(why, bound)
    return _checked_by_owlrl(prepared, answer, why, started)


def _check_documents(prepared: Prepared, answer: ReasoningResult) -> tuple[dict[str, bytes], list]:
    """The documents HermiT reads ({file name: N-Triples}, as run_hermit writes them, lines sorted: the same
    input gives the same bytes) and the claims checked for soundness."""
    told = {(s, o) for s, _, o in simple_types(prepared)}
    claims = sorted((pair for pair in answer.types if pair not in told), key=lambda pair: (str(pair[0]), str(pair[1])))
    document = prepared.input_ntriples()
    documents = {"complete.nt": document + _completeness_check(prepared, answer.types)}
    if claims:
        documents["sound.nt"] = document + _soundness_check(prepared, claims)
    return {name: xml_safe_ntriples(canonical_ntriples(content)) for name, content in documents.items()}, claims


def _hermit_verdict(prepared: Prepared, answer: ReasoningResult, documents: dict[str, bytes], claims: list, java: str,
                    classpath: str, deadline: float, memory_gb: float, started: float) -> ReasoningResult:
    def left() -> float:
        return deadline - time.monotonic()

    if not documents:     # no class memberships to check: HermiT's own realisation
        return reason(None, prepared=prepared, timeout=left(), memory_gb=memory_gb)
    with tempfile.TemporaryDirectory(prefix="healthkg-check-") as folder:
        clock = time.perf_counter()
        runs = _side_by_side(java, classpath, documents, folder, left(), memory_gb)
        reasoner_seconds = time.perf_counter() - clock
    complete = runs["complete.nt"]       # a model: HermiT prints that owl:Thing is satisfiable
    confirmed = complete.returncode == 0 and complete.stdout.count(_SATISFIABLE) == 1 and \
        (not claims or inconsistent_run(runs["sound.nt"]))
    if not confirmed:
        return reason(None, prepared=prepared, timeout=left(), memory_gb=memory_gb)
    output = complete.stdout.decode("utf-8", "replace").replace("\r", "")
    unsatisfiable = tuple(iri for iri in unsatisfiable_listed(output) if iri.startswith(str(HK)))
    return _confirmed(prepared, answer, len(claims), unsatisfiable, reasoner_seconds, started)


def _side_by_side(java: str, classpath: str, documents: dict[str, bytes], folder: str, timeout: float,
                  memory_gb: float) -> dict[str, subprocess.CompletedProcess]:
    """HermiT on each document in a JVM of its own (each within the heap bound), the JVMs side by side:
    one JVM read the two documents one after the other, 2.5 s on the bundled plans against 1.3 s each."""
    with ThreadPoolExecutor(max_workers=len(documents), thread_name_prefix="hermit") as pool:
        runs = {name: pool.submit(run_hermit, java, classpath, {name: document}, folder, _FLAGS, timeout, memory_gb)
                for name, document in documents.items()}
        return {name: run.result() for name, run in runs.items()}


def _confirmed(prepared: Prepared, answer: ReasoningResult, claims: int, unsatisfiable: tuple, reasoner_seconds: float,
               started: float, reused: str = "") -> ReasoningResult:
    note = (f"HermiT confirmed the rules engine's class memberships: a model in which none of the others "
            f"holds, and none in which one of the {claims} found by counting or through defined "
            f"classes fails; property values from the ontology's property axioms")
    if unsatisfiable:
        note += "; unsatisfiable classes: " + ", ".join(prepared.schema.name(URIRef(u)) for u in unsatisfiable)
    return ReasoningResult(answer.inferred, HERMIT, time.perf_counter() - started, answer.counts, note,
                           reasoner_seconds, unsatisfiable, answer.types, confirmed=True, reused=reused)


def _checked_by_owlrl(prepared: Prepared, answer: ReasoningResult, why: str, started: float) -> ReasoningResult:
    """The OWL RL closure's answer in place of HermiT's, `confirmed` when it is the rules engine's."""
    result = reason(None, prepared=prepared, engine="owlrl")
    agrees = set(result.inferred) == set(answer.inferred)
    note = (f"{why}: the rules engine's answer checked by the pure-Python OWL RL closure (owlrl) instead, "
            + ("which gives the same triples" if agrees else "which gives other triples; its answer is used")
            + "; classes defined by minimum cardinalities decided by counting values declared distinct")
    return dataclasses.replace(result, seconds=time.perf_counter() - started, note=note, confirmed=agrees,
                               fallback=why)
