"""reason(): the entry point that runs one engine (HermiT's realisation, the rules engine or the OWL RL
closure) on the prepared input and returns the new triples."""
from __future__ import annotations

import shutil
import tempfile
import time
from collections import defaultdict

from rdflib import Graph, URIRef
from rdflib.term import Node

from healthkg.graph.rdf.triples import Triples
from healthkg.ontology.reasoning.explain import explain, raise_inconsistent
from healthkg.ontology.reasoning.fallback import owlrl_closure
from healthkg.ontology.reasoning.hermit import (
    hermit_classpath,
    hermit_types,
    inconsistent_run,
    java_problem,
    narrow_down,
    run_hermit,
    unsatisfiable_classes,
)
from healthkg.ontology.reasoning.prepare import Prepared, prepare
from healthkg.ontology.reasoning.result import ReasoningError, ReasoningResult
from healthkg.ontology.reasoning.rules import rules_closure
from healthkg.ontology.reasoning.terms import HERMIT, HK, HKC, HKD, OWLRL, RDF_TYPE, RULES, ours


def reason(graph: Triples | None, ontology: Triples | None = None, *, timeout: float = 600.0,
           engine: str = "auto", prepared: Prepared | None = None, memory_gb: float | None = None) -> ReasoningResult:
    """Check the ontology plus the data for consistency and return the triples it entails that are new.

    `graph` holds the data and usually the ontology; when it lacks the ontology header
    (<https://w3id.org/healthkg/ontology> a owl:Ontology) and no `ontology` is given, the bundled
    ontology/healthkg.ttl is added. Raises InconsistentOntology when there is no model. `prepared`
    is prepare(graph, ontology), when the caller has it already (graph may then be None). `engine`:
    "auto" (HermiT's realisation within `timeout` seconds and a heap of `memory_gb`, raising HermitExceeded
    past either; the OWL RL closure without Java), "rules" (the linear rules engine) or "owlrl" (the OWL RL
    closure)."""
    started = time.perf_counter()
    if prepared is None:
        if graph is None:
            raise TypeError("reason() needs a graph or a prepared input")
        prepared = prepare(graph, ontology)
    notes: list[str] = []
    types: frozenset[tuple[Node, ...]] = frozenset()     # types: the rules engine's, for HermiT's check of them
    unsatisfiable: tuple[str, ...]
    if engine == "rules":
        clock = time.perf_counter()
        if explain(prepared, ordered=False)[0]:
            raise_inconsistent(prepared, RULES)
        entailed = rules_closure(prepared)
        types = frozenset((s, o) for s, p, o in entailed if p == RDF_TYPE and ours((s, p, o)))
        reasoner_seconds, unsatisfiable, reasoner = time.perf_counter() - clock, (), RULES
        notes.append("rules: types from asserted classes, domains, ranges and super-classes, property values "
                     "from the property axioms, defined classes by counting; consistency by the ontology's "
                     "disjointness, functional-property and datatype axioms")
        java = classpath = problem = None
    elif engine == "owlrl":
        java = classpath = None
        problem = "OWL RL asked for"
    else:
        java = shutil.which("java")
        classpath = hermit_classpath()
        problem = java_problem(java) or (None if classpath else "owlready2's HermiT.jar not found")
    if engine == "rules":
        pass
    elif problem is None and java is not None and classpath is not None:    # no problem: both found
        deadline = time.monotonic() + timeout
        with tempfile.TemporaryDirectory(prefix="healthkg-reason-") as folder:
            clock = time.perf_counter()
            run = run_hermit(java, classpath, {"input.nt": prepared.input_ntriples()}, folder, ["-c", "-I"],
                              timeout, memory_gb)
            reasoner_seconds = time.perf_counter() - clock
            if inconsistent_run(run):
                clashes = explain(prepared)[0]
                narrowed = None if clashes else narrow_down(prepared, java, classpath, folder, deadline, memory_gb)
                raise_inconsistent(prepared, HERMIT, narrowed)
            if run.returncode != 0:
                raise ReasoningError("HermiT failed: " + run.stderr.decode("utf-8", "replace").strip()[-2000:])
        output = run.stdout.decode("utf-8", "replace").replace("\r", "")
        realised = hermit_types(output)
        types = frozenset(realised)
        unsatisfiable = tuple(u for u in unsatisfiable_classes(output) if u.startswith(str(HK)))
        if unsatisfiable:
            notes.append("unsatisfiable classes: " + ", ".join(prepared.schema.name(URIRef(u)) for u in unsatisfiable))
        entailed = realised | prepared.facts
        reasoner = HERMIT
        notes.append("class memberships from HermiT; property values from the ontology's property axioms")
    else:
        clock = time.perf_counter()
        if explain(prepared)[0]:
            raise_inconsistent(prepared, OWLRL)
        closed, errors = owlrl_closure(prepared)
        reasoner_seconds = time.perf_counter() - clock
        unsatisfiable = ()
        if errors:
            raise_inconsistent(prepared, OWLRL, extra=errors)
        entailed = set(closed)
        reasoner = OWLRL
        notes.append(f"HermiT not run ({problem}): pure-Python OWL RL closure (owlrl) instead; classes "
                     f"defined by minimum cardinalities decided by counting values declared distinct")
    inferred = Graph()
    for prefix, namespace in (("hk", HK), ("hkd", HKD), ("hkc", HKC)):
        inferred.bind(prefix, namespace)
    for triple in entailed:
        if ours(triple) and triple not in prepared.abox and triple not in prepared:
            inferred.add(triple)
    counts = _counts(prepared, inferred)
    return ReasoningResult(inferred, reasoner, time.perf_counter() - started, counts, "; ".join(notes),
                           reasoner_seconds, unsatisfiable, types)


def _counts(prepared: Prepared, inferred: Graph) -> dict[str, int]:
    name = prepared.schema.name
    per_term: defaultdict[str, int] = defaultdict(int)
    for s, p, o in inferred:
        per_term[f"rdf:type {name(o)}" if p == RDF_TYPE else name(p)] += 1
    counts = {
        "input_triples": len(prepared),
        "reasoner_input_triples": len(prepared.input) if prepared._input is not None
        else len(prepared.tbox) + len(prepared.abox),
        "individuals": len(prepared.individuals),
        "distinct_individuals_declared": sum(len(g) for g in prepared.distinct_groups),
        "inferred_triples": len(inferred),
        "inferred_types": sum(1 for _ in inferred.triples((None, RDF_TYPE, None))),
    }
    counts["inferred_property_values"] = counts["inferred_triples"] - counts["inferred_types"]
    for key in sorted(per_term):
        counts[key] = per_term[key]
    return counts
