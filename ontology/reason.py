"""OWL reasoning over healthkg: the ontology (ontology/healthkg.ttl) plus the data of graph/rdf.py.

    from ontology.reason import reason
    result = reason(ontology + data)      # the ontology is added when the graph lacks it
    result.inferred                       # an rdflib Graph of the NEW triples only
    result.reasoner                       # "HermiT" or "OWL RL (owlrl)"

    prepared = prepare(data, ontology)    # what the main job does: the linear rules engine's answer,
    answer = reason(data, engine="rules", prepared=prepared)
    check_with_hermit(prepared, answer)   # then HermiT's check of it (two tableau runs, not realisation)

What is materialised, and by whom:

- class memberships (rdf:type to hk: classes, defined classes such as hk:JointlyLedTask, hk:CrossChainTask
  and hk:LeadBody included, and types that follow from domains, ranges and super-classes) come from
  HermiT's realisation (the HermiT jar bundled with owlready2, run on Java), or from the rules engine
  (engine="rules") with HermiT's check of its answer (check_with_hermit);
- property values that follow from the property axioms of the ontology (sub-properties such as
  hk:leadUnit -> hk:involvesUnit, inverses such as hk:leads, transitivity of hk:partOf, symmetry and
  equivalence should the ontology ever declare them) are computed here in Python from those axioms:
  HermiT does not report them.

Only triples about our individuals (hkd:/hkc: subjects) with an hk: predicate, or rdf:type to an hk:
class, are returned; nothing about owl:Thing or external super-classes.

Before reasoning the input is prepared as OWL 2 DL needs it: every individual gets an
owl:NamedIndividual declaration, and the individuals the ontology counts or allows one of (values of
properties in number restrictions or declared functional) are declared pairwise distinct with
owl:AllDifferent, one list per top class (OWL has no unique-name assumption; our IRIs are minted one per
thing). Assertions that no logical axiom can use are left out of the reasoner's input: those whose
predicate or class occurs in the ontology only as a super-class, super-property, domain or range (or
not at all), such as rdfs:label, oa:start or rdf:type oa:SpecificResource. Dropping them changes neither
consistency nor any entailment about the other terms (such a term can always be interpreted as large as
needed), and halves HermiT's work.

Without Java (or when it does not start) the same input goes to the pure-Python OWL RL closure of owlrl;
number restrictions (>= n), which OWL RL lacks, are then decided by counting values that are declared
distinct. The result says which reasoner ran (`reasoner`, `note`). HermiT runs within a time bound and a
memory bound (HermitBounds: by default time scaled to the input, a heap scaled to the machine); its JVM
dies with this process (graph.child_processes). When check_with_hermit's HermiT exceeds a bound, the
rules engine's answer is checked by the OWL RL closure instead, and the result's `fallback` says why.

An inconsistent graph raises InconsistentOntology naming the individuals and the axioms involved: the
clashes are found with the ontology's own axioms (disjoint classes through asserted types, domains,
ranges and super-classes; functional properties; datatype ranges), and failing that by letting HermiT
narrow the data down to a small inconsistent set of individuals.
"""
from __future__ import annotations

import builtins
import dataclasses
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from graph import child_processes
from graph.triples import ntriples, xml_safe_ntriples

HK = Namespace("https://w3id.org/healthkg/ontology#")
HKD = Namespace("https://w3id.org/healthkg/id/")
HKC = Namespace("https://w3id.org/healthkg/concept/")
# Looked up once: a DefinedNamespace attribute costs a Python call, and these sit in the per-triple loops.
RDF_TYPE, OWL_NOTHING = RDF.type, OWL.Nothing
ONTOLOGY_IRI = URIRef("https://w3id.org/healthkg/ontology")
ONTOLOGY_FILE = Path(__file__).resolve().with_name("healthkg.ttl")

HERMIT = "HermiT"
RULES = "rules (ontology axioms, no tableau)"
OWLRL = "OWL RL (owlrl)"
# A short batch job: the client compiler only and a serial collector halve HermiT's CPU time here. On a
# full heap the JVM exits at once (rather than collecting garbage until the time bound).
JAVA_OPTIONS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError")
# HermiT's bounds by default. Time: its check grows faster than its input (the input's schema and
# assertions plus one declaration per individual: 11,000 on the bundled plans, checked in 2 s; a 1 MB plan
# 56 s; 2 MB, 260,000, 251 s), and the OWL RL closure it falls back on is no faster (224 s on 2 MB), so
# a fixed minute (the JVM's start, a busy machine) plus 1 s per 1,000; never more than 10 minutes unless
# told to. Memory (the JVM's heap, -Xmx; it was a fixed 2000 MB): a quarter of the machine's memory, as
# Java's own default, at most 4 GB (the check of 2 MB of plan text peaked at 1.2 GB) and at least 512 MB.
HERMIT_BASE_SECONDS, HERMIT_SECONDS_PER_TRIPLE, HERMIT_MAX_DEFAULT_SECONDS = 60.0, 0.001, 600.0
HERMIT_MAX_DEFAULT_GB, HERMIT_MIN_GB = 4.0, 0.5
DIAGNOSIS_RUNS = 14          # HermiT runs allowed when narrowing down an unexplained inconsistency

OUR_SUBJECTS = (str(HKD), str(HKC))
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")   # owlrl's inconsistency notes

SCHEMA_TYPES = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                RDF.Property, OWL.Ontology, RDFS.Datatype, OWL.Restriction, OWL.AllDisjointClasses,
                OWL.AllDisjointProperties, OWL.TransitiveProperty, OWL.FunctionalProperty,
                OWL.InverseFunctionalProperty, OWL.SymmetricProperty, OWL.AsymmetricProperty,
                OWL.ReflexiveProperty, OWL.IrreflexiveProperty, OWL.OntologyProperty,
                OWL.DeprecatedClass, OWL.DeprecatedProperty}
CHARACTERISTICS = {OWL.TransitiveProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
                   OWL.SymmetricProperty, OWL.AsymmetricProperty, OWL.ReflexiveProperty,
                   OWL.IrreflexiveProperty}
# Schema predicates whose object occurs "positively": a term used only there constrains nothing.
POSITIVE = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range}
LOGICAL = POSITIVE | {
    OWL.equivalentClass, OWL.disjointWith, OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf,
    OWL.onProperty, OWL.onProperties, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.hasSelf,
    OWL.minCardinality, OWL.maxCardinality, OWL.cardinality, OWL.minQualifiedCardinality,
    OWL.maxQualifiedCardinality, OWL.qualifiedCardinality, OWL.onClass, OWL.onDataRange, OWL.members,
    OWL.distinctMembers, OWL.inverseOf, OWL.equivalentProperty, OWL.propertyChainAxiom,
    OWL.propertyDisjointWith, OWL.hasKey, OWL.disjointUnionOf, OWL.onDatatype, OWL.withRestrictions,
    OWL.datatypeComplementOf, RDF.first, RDF.rest}
SCHEMA_PREDICATES = LOGICAL - {RDF.first, RDF.rest}
ABOX_LOGICAL = {OWL.sameAs, OWL.differentFrom}
MIN_CARDINALITIES = (OWL.minCardinality, OWL.minQualifiedCardinality)
ANY_CARDINALITIES = MIN_CARDINALITIES + (OWL.maxCardinality, OWL.cardinality, OWL.maxQualifiedCardinality,
                                         OWL.qualifiedCardinality)

_TYPE_LINE = re.compile(r"^Type\( <([^>]+)> <([^>]+)> \)$", re.MULTILINE)
_SUBCLASS_LINE = re.compile(r"^SubClassOf\( <([^>]+)> <([^>]+)> \)$", re.MULTILINE)
_EQUIVALENT_LINE = re.compile(r"^EquivalentClasses\( ((?:<[^>]+>\s*)+)\)$", re.MULTILINE)
_UNSATISFIABLE_LIST = re.compile(r"^Classes equivalent to 'owl:Nothing':\n((?:\t.*\n?)*)", re.MULTILINE)


class ReasoningError(RuntimeError):
    """The reasoner could not run on this input (not an inconsistency)."""


class HermitExceeded(ReasoningError):
    """HermiT did not finish within its time bound or ran out of its memory (its JVM was ended)."""

    def __init__(self, message: str, out_of_time: bool):
        super().__init__(message)
        self.out_of_time = out_of_time


class InconsistentOntology(ReasoningError):
    """The ontology plus the data has no model. `individuals` and `axioms` name what clashes."""

    def __init__(self, message: str, individuals: list[str] | None = None, axioms: list[str] | None = None):
        super().__init__(message)
        self.individuals = list(individuals or [])
        self.axioms = list(axioms or [])


@dataclass(frozen=True)
class ReasoningResult:
    inferred: Graph                      # the new triples only
    reasoner: str                        # HERMIT or OWLRL
    seconds: float                       # wall time of the whole reason() call
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""
    reasoner_seconds: float = 0.0        # wall time of the HermiT run or the owlrl closure alone
    unsatisfiable: tuple = ()            # hk: classes HermiT finds unsatisfiable (a T-box bug)
    types: frozenset = frozenset()       # (individual, hk: class) pairs entailed, asserted ones included
                                         # (the rules engine's, for HermiT's check of them)
    confirmed: bool = False              # the checking reasoner (HermiT; OWL RL as a fallback) confirmed
                                         # the rules engine's answer (check_with_hermit)
    fallback: str = ""                   # why HermiT did not give the answer: not run, out of time or memory

    def sorted_triples(self) -> list[tuple]:
        return sorted(self.inferred, key=lambda t: tuple(str(x) for x in t))


def _physical_memory_gb() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    except (ValueError, OSError, AttributeError):
        return None


@dataclass(frozen=True)
class HermitBounds:
    """How long HermiT may run and how much memory its JVM may take; None is the default (see
    HERMIT_BASE_SECONDS): time scaled to the input, memory to the machine."""
    seconds: float | None = None
    memory_gb: float | None = None

    def time_limit(self, prepared: "Prepared") -> float:
        if self.seconds is not None:
            return self.seconds
        size = len(prepared.tbox) + len(prepared.abox) + len(prepared.individuals)
        return min(HERMIT_MAX_DEFAULT_SECONDS, HERMIT_BASE_SECONDS + HERMIT_SECONDS_PER_TRIPLE * size)

    def heap_gb(self) -> float:
        if self.memory_gb is not None:
            return self.memory_gb
        physical = _physical_memory_gb()
        return HERMIT_MAX_DEFAULT_GB if physical is None else \
            max(HERMIT_MIN_GB, min(HERMIT_MAX_DEFAULT_GB, physical / 4))


def load_ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


# ---------------------------------------------------------------------------------------------------
# What the T-box says (read with rdflib)
# ---------------------------------------------------------------------------------------------------

def _closure(pairs: dict) -> dict:
    """Reflexive-free transitive closure of {x: {y, ...}}."""
    result = {}
    for start in pairs:
        seen, stack = set(), list(pairs[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(pairs.get(node, ()))
        seen.discard(start)
        result[start] = seen
    return result


class Schema:
    """The ontology's axioms that reason() needs, read from the schema triples."""

    def __init__(self, tbox: Graph):
        self._names: dict = {}
        self.graph = tbox
        self.relevant: set[URIRef] = set()
        positive: set[URIRef] = set()
        for s, p, o in tbox:
            if p in POSITIVE and isinstance(s, URIRef):
                self.relevant.add(s)
                if isinstance(o, URIRef):
                    positive.add(o)
            elif p in LOGICAL:
                self.relevant.update(t for t in (s, o) if isinstance(t, URIRef))
            elif p == RDF_TYPE and o in CHARACTERISTICS and isinstance(s, URIRef):
                self.relevant.add(s)
        self.relevant -= {OWL.Thing, OWL_NOTHING, RDF.nil}
        # The class hierarchy between named classes (equivalences and named conjuncts included).
        supers = defaultdict(set)
        for s, o in tbox.subject_objects(RDFS.subClassOf):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                supers[s].add(o)
        for s, o in tbox.subject_objects(OWL.equivalentClass):
            for a, b in ((s, o), (o, s)):
                if isinstance(a, URIRef) and isinstance(b, URIRef):
                    supers[a].add(b)
                elif isinstance(a, URIRef) and isinstance(b, BNode):
                    for conjunct in self._list(tbox.value(b, OWL.intersectionOf)):
                        if isinstance(conjunct, URIRef):
                            supers[a].add(conjunct)
        self.superclasses = _closure(supers)
        # Disjointness: (A, B) -> the axiom as text.
        self.disjoint: dict[tuple, str] = {}
        for a, b in tbox.subject_objects(OWL.disjointWith):
            self._disjoint([a, b], f"DisjointClasses({self.name(a)} {self.name(b)})")
        for node in tbox.subjects(RDF_TYPE, OWL.AllDisjointClasses):
            members = self._list(tbox.value(node, OWL.members))
            self._disjoint(members, "DisjointClasses(" + " ".join(self.name(m) for m in members) + ")")
        self.disjoint_members = {a for a, _ in self.disjoint}
        # Properties.
        sub = defaultdict(set)
        for s, o in tbox.subject_objects(RDFS.subPropertyOf):
            sub[s].add(o)
        for s, o in tbox.subject_objects(OWL.equivalentProperty):
            sub[s].add(o)
            sub[o].add(s)
        self.superproperties = _closure(sub)
        self.inverses = defaultdict(set)
        for s, o in tbox.subject_objects(OWL.inverseOf):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                self.inverses[s].add(o)
                self.inverses[o].add(s)
        self.transitive = set(tbox.subjects(RDF_TYPE, OWL.TransitiveProperty))
        self.symmetric = set(tbox.subjects(RDF_TYPE, OWL.SymmetricProperty))
        self.functional = set(tbox.subjects(RDF_TYPE, OWL.FunctionalProperty))
        self.datatype_properties = set(tbox.subjects(RDF_TYPE, OWL.DatatypeProperty))
        self.domains = defaultdict(set)
        self.ranges = defaultdict(set)
        for s, o in tbox.subject_objects(RDFS.domain):
            self.domains[s].add(o)
        for s, o in tbox.subject_objects(RDFS.range):
            self.ranges[s].add(o)
        # Number restrictions inside definitions: D == (named classes) and (>= n p [C]).
        self.counted: set[URIRef] = set()
        for restriction in tbox.subjects(RDF_TYPE, OWL.Restriction):
            if any((restriction, c, None) in tbox for c in ANY_CARDINALITIES):
                self.counted.add(tbox.value(restriction, OWL.onProperty))
        self.definitions = []
        for defined, expression in tbox.subject_objects(OWL.equivalentClass):
            if not (isinstance(defined, URIRef) and isinstance(expression, BNode)):
                continue
            parts = self._list(tbox.value(expression, OWL.intersectionOf)) or [expression]
            named, minimums, other = [], [], False
            for part in parts:
                if isinstance(part, URIRef):
                    named.append(part)
                    continue
                filler = tbox.value(part, OWL.someValuesFrom)
                if isinstance(filler, URIRef):      # (some p C) is (>= 1 p C)
                    minimums.append((tbox.value(part, OWL.onProperty), 1, filler))
                    continue
                for cardinality in MIN_CARDINALITIES:
                    n = tbox.value(part, cardinality)
                    if n is not None:
                        minimums.append((tbox.value(part, OWL.onProperty), int(n), tbox.value(part, OWL.onClass)))
                        break
                else:
                    other = True
            if minimums and not other:
                self.definitions.append((defined, named, minimums))

    def union_members(self, expression) -> list | None:
        """The named classes of an owl:unionOf expression, None for anything else."""
        if not isinstance(expression, BNode):
            return None
        head = self.graph.value(expression, OWL.unionOf)
        members = self._list(head) if head is not None else None
        return members if members and all(isinstance(m, URIRef) for m in members) else None

    def disjoint_axiom(self, a, b) -> str | None:
        """The axiom that makes classes a and b (or classes above them) disjoint, if any."""
        for x in sorted(self.ancestors(a), key=str):
            for y in sorted(self.ancestors(b), key=str):
                if (x, y) in self.disjoint:
                    return self.disjoint[(x, y)]
        return None

    def _disjoint(self, members: list, axiom: str) -> None:
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                self.disjoint.setdefault((a, b), axiom)
                self.disjoint.setdefault((b, a), axiom)

    def _list(self, head) -> list:
        return list(Collection(self.graph, head)) if head is not None else []

    def name(self, term) -> str:
        # Memoised: consistency checks name every term they touch, most of them many times.
        found = self._names.get(term)
        if found is None:
            found = self._names[term] = _curie(self.graph, term)
        return found

    def ancestors(self, cls) -> set:
        return {cls} | self.superclasses.get(cls, set())

    def top_class(self, classes: set) -> URIRef | None:
        """The member of a disjointness axiom the given classes fall under (hk:Agency for a government)."""
        tops = sorted({c for cls in classes for c in self.ancestors(cls) if c in self.disjoint_members}, key=str)
        return tops[0] if tops else None


def _curie(graph: Graph, term) -> str:
    if isinstance(term, URIRef):
        for prefix, namespace in (("hkd", HKD), ("hkc", HKC)):
            if str(term).startswith(str(namespace)):
                return f"{prefix}:{str(term)[len(namespace):]}"
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001 - any IRI rdflib cannot shorten is shown whole
            return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


# ---------------------------------------------------------------------------------------------------
# Preparing the reasoner's input
# ---------------------------------------------------------------------------------------------------

@dataclass
class Prepared:
    sources: list              # the input graph, and the bundled ontology when the input lacks it
    schema: Schema
    tbox: Graph                # the schema triples
    abox: set                  # the assertions a logical axiom can use
    individuals: list[URIRef]
    distinct_groups: list[list[URIRef]]
    facts: set                 # abox property assertions closed under the property axioms
    _input: Graph | None = None
    _distinct: set | None = None

    @property
    def input(self) -> Graph:
        """tbox + abox + declarations + AllDifferent: what HermiT and owlrl read (built when first
        asked for: the rules engine works on the sets)."""
        if self._input is None:
            self._input = _reasoner_input(self)
        return self._input

    def input_ntriples(self) -> bytes:
        """`input` as N-Triples, written straight from the sets: what HermiT reads."""
        if self._input is not None:
            return self._input.serialize(format="nt", encoding="utf-8")
        return ntriples(_reasoner_triples(self))

    def __contains__(self, triple) -> bool:
        return any(triple in source for source in self.sources)

    def triples(self):
        seen_ontology = len(self.sources) > 1
        for index, source in enumerate(self.sources):
            for triple in source:
                if index and seen_ontology and triple in self.sources[0]:
                    continue
                yield triple

    def __len__(self) -> int:
        return sum(1 for _ in self.triples())


def _defines_schema(p, o) -> bool:
    """A triple with this predicate and object makes its subject a schema term."""
    return p in SCHEMA_PREDICATES or (p == RDF_TYPE and o in SCHEMA_TYPES)


def _split(prepared_sources: list, namespaces=None) -> tuple[Graph, set]:
    # Each source is read once (iterating an rdflib Graph is the slow part at corpus scale).
    contents = [list(source) for source in prepared_sources]
    schema_terms = {s for triples in contents for s, p, o in triples if _defines_schema(p, o)}
    tbox, abox = Graph(), set()
    # a copy of the input's prefixes: the caller's graph is not touched
    for prefix, namespace in namespaces if namespaces is not None else prepared_sources[0].namespaces():
        tbox.bind(prefix, namespace, override=True, replace=True)
    for triples in contents:
        for triple in triples:
            s = triple[0]
            if isinstance(s, BNode) or s in schema_terms:
                tbox.add(triple)
            else:
                abox.add(triple)
    for prefix, namespace in (("hk", HK), ("owl", OWL), ("rdfs", RDFS), ("xsd", XSD)):
        tbox.bind(prefix, namespace, override=False)
    return tbox, abox


# The separate ontology's split and Schema, kept for the next call: a corpus reasons over thousands of
# plans against one ontology, and a plan that adds nothing to the schema gets the same tbox every time.
_ontology_split: dict = {}


def _split_schema(sources: list) -> tuple[Graph, set, Schema]:
    """(tbox, the other triples, Schema) of the data graph plus, when given, the separate ontology."""
    if len(sources) == 2:
        data, ontology = sources
        namespaces = tuple(data.namespaces())
        cached = _ontology_split.get("last")
        if cached is None or cached[0] is not ontology or cached[1] != (len(ontology), namespaces):
            tbox, abox = _split([ontology], namespaces)
            cached = _ontology_split["last"] = (ontology, (len(ontology), namespaces), tbox, abox,
                                                {s for s, _, _ in tbox}, Schema(tbox))
        _, _, tbox, ontology_abox, schema_terms, schema = cached
        triples = list(data)
        if not any(isinstance(s, BNode) or s in schema_terms or _defines_schema(p, o) for s, p, o in triples):
            return tbox, ontology_abox | set(triples), schema
    tbox, abox = _split(sources)
    return tbox, abox, Schema(tbox)


def _materialise_properties(schema: Schema, assertions) -> set:
    """Close property assertions under sub-properties, inverses, symmetry and transitivity."""
    facts = {t for t in assertions if t[1] != RDF_TYPE}
    frontier = set(facts)
    while frontier:
        new = set()
        for s, p, o in frontier:
            for q in schema.superproperties.get(p, ()):
                new.add((s, q, o))
            if not isinstance(o, Literal):
                for q in schema.inverses.get(p, ()):
                    new.add((o, q, s))
                if p in schema.symmetric:
                    new.add((o, p, s))
        for p in schema.transitive:
            edges = defaultdict(set)
            for s, q, o in facts | new:
                if q == p:
                    edges[s].add(o)
            for s, reachable in _closure(edges).items():
                new.update((s, p, o) for o in reachable)
        frontier = new - facts
        facts |= frontier
    return facts


def prepare(graph: Graph, ontology: Graph | None = None) -> Prepared:
    """The reasoners' common input (see the module's docstring); `reason(..., prepared=)` takes it, so
    that two engines run on the same graph prepare it once."""
    sources = [graph]
    if ontology is not None:
        sources.append(ontology)
    elif (ONTOLOGY_IRI, RDF_TYPE, OWL.Ontology) not in graph:
        sources.append(load_ontology())
    tbox, everything, schema = _split_schema(sources)
    asserted = defaultdict(set)
    abox = set()
    for s, p, o in everything:
        if p == RDF_TYPE:
            asserted[s].add(o)
            keep = o in schema.relevant or o == OWL_NOTHING
        else:
            keep = p in schema.relevant or p in ABOX_LOGICAL
        if keep:
            abox.add((s, p, o))
    facts = _materialise_properties(schema, abox)
    individuals = sorted({t for s, p, o in abox for t in (s, o) if isinstance(t, URIRef) and p != RDF_TYPE}
                         | {s for s, p, _ in abox if p == RDF_TYPE}, key=str)
    # Values the ontology counts (number restrictions) or allows one of (functional properties).
    counted = {p for p in schema.counted | schema.functional if p not in schema.datatype_properties}
    counted |= {sub for sub, sups in schema.superproperties.items() if sups & counted}
    values = {o for s, p, o in facts if p in counted and isinstance(o, URIRef)}
    for s, p, o in facts:                      # typed by a range counts as typed (grouping only)
        if o in values:
            asserted[o].update(r for r in schema.ranges.get(p, ()) if isinstance(r, URIRef))
    groups = defaultdict(list)
    for value in sorted(values, key=str):
        top = schema.top_class(asserted[value])
        groups[str(top) if top else ""].append(value)
    distinct_groups = [groups[key] for key in sorted(groups) if len(groups[key]) > 1]
    return Prepared(sources, schema, tbox, abox, individuals, distinct_groups, facts)


def _rdf_list(label: str, members: list) -> tuple[BNode, list]:
    """(head, triples) of an RDF list of `members` whose cells are blank nodes named after `label`."""
    cells = [BNode(f"{label}x{k}") for k in range(len(members))]
    triples = []
    for k, (cell, member) in enumerate(zip(cells, members)):
        triples += [(cell, RDF.first, member), (cell, RDF.rest, cells[k + 1] if k + 1 < len(cells) else RDF.nil)]
    return cells[0], triples


def _reasoner_triples(prepared: Prepared):
    """tbox + abox + owl:NamedIndividual declarations + one owl:AllDifferent list per group."""
    yield from prepared.tbox
    yield from prepared.abox
    for individual in prepared.individuals:
        yield individual, RDF_TYPE, OWL.NamedIndividual
    for index, members in enumerate(prepared.distinct_groups):
        node = BNode(f"distinct{index}")
        head, cells = _rdf_list(f"distinct{index}list", members)
        yield node, RDF_TYPE, OWL.AllDifferent
        yield node, OWL.distinctMembers, head
        yield from cells


def _reasoner_input(prepared: Prepared) -> Graph:
    reasoner_input = Graph()
    for prefix, namespace in prepared.tbox.namespaces():
        reasoner_input.bind(prefix, namespace, override=True, replace=True)
    for triple in _reasoner_triples(prepared):
        reasoner_input.add(triple)
    return reasoner_input


def _ours(triple) -> bool:
    s, p, o = triple
    if not (isinstance(s, URIRef) and str(s).startswith(OUR_SUBJECTS)):
        return False
    if p == RDF_TYPE:
        return isinstance(o, URIRef) and str(o).startswith(str(HK))
    return str(p).startswith(str(HK))


# ---------------------------------------------------------------------------------------------------
# HermiT
# ---------------------------------------------------------------------------------------------------

def _hermit_classpath() -> str | None:
    spec = importlib.util.find_spec("owlready2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "hermit"
    jar = folder / "HermiT.jar"
    return os.pathsep.join([str(folder), str(jar)]) if jar.is_file() else None


def hermit_problem() -> str | None:
    """None when HermiT can run here; else why not."""
    return _java_problem(shutil.which("java")) or (None if _hermit_classpath() else "owlready2's HermiT.jar not found")


def _java_problem(java: str | None) -> str | None:
    """None when this Java starts; else why not."""
    if not java:
        return "no java on PATH"
    try:
        run = child_processes.run([java, "-version"], timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return f"{java} does not start ({error})"
    if run.returncode != 0:
        return f"{java} -version exits with {run.returncode}: {run.stderr.decode(errors='replace').strip()[:200]}"
    return None


def _run_hermit(java: str, classpath: str, documents: dict[str, bytes], folder: str, flags: list[str],
                timeout: float, memory_gb: float | None = None) -> subprocess.CompletedProcess:
    """HermiT on N-Triples documents ({file name: content}), one after the other in one JVM, within
    `timeout` seconds and a heap of `memory_gb` (HermitBounds' default when None). The JVM dies with
    this process (graph.child_processes); this thread waits for it, as the parent-death signal needs.
    Always strict (no --ignoreUnsupportedDatatypes): what the build writes is OWL 2 DL, every literal a
    reasoner reads of the OWL 2 datatype map (tests/test_owl_dl.py), so a datatype outside it is a bug
    that stops HermiT (UnsupportedDatatypeException: the build fails naming it) rather than an axiom
    silently dropped."""
    heap_gb = HermitBounds(memory_gb=memory_gb).heap_gb()
    if timeout <= 0:
        raise HermitExceeded("HermiT had no time left", out_of_time=True)
    paths = [Path(folder) / name for name in documents]
    for path, content in zip(paths, documents.values()):
        path.write_bytes(xml_safe_ntriples(content))     # a control character in a literal would stop HermiT
    command = [java, f"-Xmx{max(8, round(heap_gb * 1024))}M", *JAVA_OPTIONS, "-cp", classpath,
               "org.semanticweb.HermiT.cli.CommandLine", *flags,
               *(path.as_uri() for path in paths)]
    try:
        run = child_processes.run(command, timeout=timeout, cwd=folder)
    except subprocess.TimeoutExpired as error:
        raise HermitExceeded(f"HermiT did not finish within {_seconds_text(timeout)}", out_of_time=True) from error
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    if run.returncode < 0:      # killed: the program is being interrupted (child_processes.kill_all)
        raise ReasoningError(f"HermiT's JVM was killed (signal {-run.returncode})")
    # -XX:+ExitOnOutOfMemoryError: "Terminating due to java.lang.OutOfMemoryError" on stdout, exit code 3
    if run.returncode != 0 and any(b"java.lang.OutOfMemoryError" in out[-4096:] for out in (run.stdout, run.stderr)):
        raise HermitExceeded(f"HermiT ran out of its {_memory_text(heap_gb)} of memory", out_of_time=False)
    return run


def _memory_text(gb: float) -> str:
    return f"{gb:g} GB" if gb >= 1 else f"{round(gb * 1024)} MB"


def _seconds_text(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.3g} s"


def _inconsistent(run: subprocess.CompletedProcess) -> bool:
    return run.returncode != 0 and b"InconsistentOntologyException" in run.stderr


def _hermit_types(output: str) -> set:
    supers = defaultdict(set)
    for sub, sup in _SUBCLASS_LINE.findall(output):
        supers[URIRef(sub)].add(URIRef(sup))
    for group in _EQUIVALENT_LINE.findall(output):
        members = [URIRef(iri) for iri in re.findall(r"<([^>]+)>", group)]
        for a in members:
            supers[a].update(m for m in members if m != a)
    ancestors = _closure(supers)
    types = set()
    for individual, cls in _TYPE_LINE.findall(output):
        for c in {URIRef(cls)} | ancestors.get(URIRef(cls), set()):
            types.add((URIRef(individual), RDF_TYPE, c))
    return types


def _unsatisfiable(output: str) -> list[str]:
    found = []
    for group in _EQUIVALENT_LINE.findall(output):
        members = re.findall(r"<([^>]+)>", group)
        if str(OWL_NOTHING) in members:
            found.extend(m for m in members if m != str(OWL_NOTHING))
    return sorted(found)


def _unsatisfiable_listed(output: str) -> list[str]:
    """The classes HermiT's -U flag lists as equivalent to owl:Nothing."""
    listed = _UNSATISFIABLE_LIST.search(output)
    return sorted(re.findall(r"<([^>]+)>", listed.group(1))) if listed else []


# ---------------------------------------------------------------------------------------------------
# HermiT's check of the rules engine's answer
# ---------------------------------------------------------------------------------------------------
# Realisation (-I) tests every possible class membership against the whole ABox: quadratic, 4-5 s on
# the two bundled plans. Checking an answer takes two tableau runs in one JVM instead:
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


def _class_expression(node: BNode, predicate, members: list) -> list:
    """node a owl:Class; predicate (m1 ... mn): unionOf, intersectionOf or oneOf, as RDF triples."""
    head, cells = _rdf_list(str(node), members)
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
    negations, triples = {}, []
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
        if negations[mine] is not None:
            triples.append((individual, RDF_TYPE, negations[mine]))
    return ntriples(triples)


def _soundness_check(prepared: Prepared, claims: list) -> bytes:
    """A fresh individual in the union of ({a} and not C) over the claimed memberships (a, C)."""
    alternatives, triples = [], [(CHECK, RDF_TYPE, OWL.NamedIndividual)]
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
                      on_fallback: Callable[[str, str | None], None] | None = None) -> ReasoningResult:
    """HermiT's verdict on the rules engine's `answer` for `prepared` (see above). Returns the answer
    as HermiT's when HermiT confirms it, or else HermiT's realisation (reason()), which raises
    InconsistentOntology when there is no model. HermiT gets `timeout` seconds for all its runs and a
    heap of `memory_gb` (HermitBounds: None is the default). Without Java, or when HermiT exceeds either
    bound, the answer is checked by the pure-Python OWL RL closure instead and the result's `fallback`
    says why (`on_fallback(why, bound)` is told first, bound "time", "memory" or None when HermiT could
    not run); with fallback=False that raises ReasoningError (HermitExceeded for a bound) instead."""
    started = time.perf_counter()
    bounds = HermitBounds(timeout, memory_gb)
    limit = bounds.time_limit(prepared)
    java, classpath = shutil.which("java"), _hermit_classpath()
    problem = _java_problem(java) or (None if classpath else "owlready2's HermiT.jar not found")
    if problem:
        if not fallback:
            raise ReasoningError(f"HermiT cannot run: {problem}")
        why, bound = f"HermiT not run ({problem})", None
    else:
        try:
            return _hermit_verdict(prepared, answer, java, classpath, time.monotonic() + limit, bounds.heap_gb(),
                                   started)
        except HermitExceeded as error:
            exceeded = HermitExceeded(f"HermiT did not finish within {_seconds_text(limit)}", out_of_time=True) \
                if error.out_of_time else error
            if not fallback:
                raise exceeded from error
            why, bound = str(exceeded), "time" if exceeded.out_of_time else "memory"
    if on_fallback is not None:
        on_fallback(why, bound)
    return _checked_by_owlrl(prepared, answer, why, started)


def _hermit_verdict(prepared: Prepared, answer: ReasoningResult, java: str, classpath: str, deadline: float,
                    memory_gb: float, started: float) -> ReasoningResult:
    def left() -> float:
        return deadline - time.monotonic()

    if not answer.types:
        return reason(None, prepared=prepared, timeout=left(), memory_gb=memory_gb)
    told = {(s, o) for s, _, o in _simple_types(prepared)}
    claims = sorted((pair for pair in answer.types if pair not in told), key=lambda pair: (str(pair[0]), str(pair[1])))
    document = prepared.input_ntriples()
    documents = {"complete.nt": document + _completeness_check(prepared, answer.types)}
    if claims:
        documents["sound.nt"] = document + _soundness_check(prepared, claims)
    with tempfile.TemporaryDirectory(prefix="healthkg-check-") as folder:
        clock = time.perf_counter()
        run = _run_hermit(java, classpath, documents, folder, ["-k", "-U"], left(), memory_gb)
        reasoner_seconds = time.perf_counter() - clock
    models = run.stdout.count(_SATISFIABLE)   # one line per document HermiT finds consistent
    confirmed = models == 1 and (_inconsistent(run) if claims else run.returncode == 0)
    if not confirmed:
        return reason(None, prepared=prepared, timeout=left(), memory_gb=memory_gb)
    output = run.stdout.decode("utf-8", "replace").replace("\r", "")
    unsatisfiable = tuple(iri for iri in _unsatisfiable_listed(output) if iri.startswith(str(HK)))
    note = (f"HermiT confirmed the rules engine's class memberships: a model in which none of the others "
            f"holds, and none in which one of the {len(claims)} found by counting or through defined "
            f"classes fails; property values from the ontology's property axioms")
    if unsatisfiable:
        note += "; unsatisfiable classes: " + ", ".join(prepared.schema.name(URIRef(u)) for u in unsatisfiable)
    return ReasoningResult(answer.inferred, HERMIT, time.perf_counter() - started, answer.counts, note,
                           reasoner_seconds, unsatisfiable, answer.types, confirmed=True)


def _checked_by_owlrl(prepared: Prepared, answer: ReasoningResult, why: str, started: float) -> ReasoningResult:
    """The OWL RL closure's answer in place of HermiT's, `confirmed` when it is the rules engine's."""
    result = reason(None, prepared=prepared, engine="owlrl")
    agrees = set(result.inferred) == set(answer.inferred)
    note = (f"{why}: the rules engine's answer checked by the pure-Python OWL RL closure (owlrl) instead, "
            + ("which gives the same triples" if agrees else "which gives other triples; its answer is used")
            + "; classes defined by minimum cardinalities decided by counting values declared distinct")
    return dataclasses.replace(result, seconds=time.perf_counter() - started, note=note, confirmed=agrees,
                               fallback=why)


# ---------------------------------------------------------------------------------------------------
# OWL RL fallback
# ---------------------------------------------------------------------------------------------------

def _known_distinct(prepared: Prepared) -> set:
    """Ordered pairs of individuals declared distinct (computed once per Prepared)."""
    if prepared._distinct is None:
        pairs = set()
        for members in prepared.distinct_groups:   # each value once per group: identity tells them apart
            pairs.update((a, b) for a in members for b in members if a is not b)
        different = OWL.differentFrom
        for a, p, b in prepared.abox:
            if p == different:
                pairs.update({(a, b), (b, a)})
        prepared._distinct = pairs
    return prepared._distinct


def _count_rule(prepared: Prepared, closed: Graph, distinct: set) -> set:
    """Members of D == C1 and ... and (>= n p [Q]): n values of p pairwise declared distinct."""
    new = set()
    for defined, named, minimums in prepared.schema.definitions:
        candidates = None
        for cls in named:
            members = set(closed.subjects(RDF_TYPE, cls))
            candidates = members if candidates is None else candidates & members
        if candidates is None:
            candidates = {s for p, _, _ in minimums for s in closed.subjects(p, None)}
        for individual in candidates:
            if (individual, RDF_TYPE, defined) in closed:
                continue
            if all(_has_distinct(closed, individual, p, n, q, distinct) for p, n, q in minimums):
                new.add((individual, RDF_TYPE, defined))
    return new


def _has_distinct(closed: Graph, individual, prop, n: int, qualifier, distinct: set) -> bool:
    values = sorted((v for v in closed.objects(individual, prop)
                     if qualifier is None or (v, RDF_TYPE, qualifier) in closed), key=str)
    if n <= 1:
        return len(values) >= n
    chosen = []                   # greedy clique of pairwise-distinct values (groups are cliques)
    for value in values:
        if all((value, other) in distinct for other in chosen):
            chosen.append(value)
    return len(chosen) >= n


def _simple_types(prepared: Prepared) -> set:
    schema = prepared.schema
    named = set()
    for s, p, o in prepared.abox:
        if p == RDF_TYPE:
            named.add((s, o))
    for s, p, o in prepared.facts:
        named.update((s, d) for d in schema.domains.get(p, ()) if isinstance(d, URIRef))
        if not isinstance(o, Literal):
            named.update((o, r) for r in schema.ranges.get(p, ()) if isinstance(r, URIRef))
    return {(s, RDF_TYPE, c) for s, cls in named for c in schema.ancestors(cls)}


def _owlrl_closure(prepared: Prepared) -> tuple[Graph, list[str]]:
    import owlrl

    # The OWL RL closure of the schema and the assertions. The distinctness of the counted values is
    # used by the counting rule below rather than handed to owlrl, whose rules would expand it pairwise
    # (functional-property clashes between them are found by _explain() beforehand).
    closed = Graph()
    for triple in prepared.tbox:
        closed.add(triple)
    for triple in prepared.abox:
        closed.add(triple)
    distinct = _known_distinct(prepared)
    # A first guess at the counted classes from the types Python can see (asserted, domains, ranges,
    # super-classes) saves a second closure in the usual case; the loop below settles the rest.
    view = Graph()
    for triple in _simple_types(prepared) | prepared.facts:
        view.add(triple)
    for triple in _count_rule(prepared, view, distinct):
        closed.add(triple)
    errors: list[str] = []
    for _ in range(10):
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                               datatype_axioms=False).expand(closed)
        errors = sorted(str(m) for m in closed.objects(None, OWLRL_ERROR))
        if errors:
            break
        added = _count_rule(prepared, closed, distinct)
        if not added:
            break
        for triple in added:
            closed.add(triple)
    return closed, errors


# ---------------------------------------------------------------------------------------------------
# Explaining an inconsistency
# ---------------------------------------------------------------------------------------------------

_INTEGERS = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger,
             XSD.negativeInteger, XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt,
             XSD.unsignedShort, XSD.unsignedByte}
_SUPPORTED_RANGES = {XSD.string, XSD.decimal, XSD.integer, XSD.boolean, XSD.anyURI} | _INTEGERS


def _datatype(literal: Literal):
    if literal.language:
        return RDF.langString
    return literal.datatype or XSD.string


def _literal_fits(literal: Literal, datatype) -> bool:
    actual = _datatype(literal)
    if getattr(literal, "ill_typed", False):
        return False
    if datatype == XSD.decimal:
        return actual == XSD.decimal or actual in _INTEGERS
    if datatype == XSD.integer:
        return actual in _INTEGERS or (actual == XSD.decimal and isinstance(literal.value, Decimal)
                                       and literal.value == literal.value.to_integral_value())
    return actual == datatype


def _explain(prepared: Prepared, ordered: bool = True) -> tuple[list[str], list[str], list[str]]:
    """(clash descriptions, individuals, axioms) found with the ontology's own axioms. Unordered, it
    only answers whether there is a clash (faster); ordered, the messages are deterministic."""
    schema = prepared.schema

    def sorted(items, key=None):  # noqa: A001 - the builtin, skipped when the order does not matter
        return builtins.sorted(items, key=key) if ordered else list(items)

    name = schema.name
    # individual -> class -> (why, the class it was told): the words are written only for a clash, as
    # most graphs have none and writing them for every fact took half of the check's time
    reasons: dict = defaultdict(dict)

    def add(individual, cls, why):
        if isinstance(cls, URIRef):
            for c in schema.ancestors(cls):
                reasons[individual].setdefault(c, (why, cls))

    def because(why) -> str:                   # why: ("asserted",) or (axiom kind, p, s, o)
        if len(why) == 1:
            return why[0]
        kind, p, s, o = why
        return f"{kind} of {name(p)} in {name(s)} {name(p)} {name(o)}"

    def reason_for(individual, cls) -> str:
        why, told = reasons[individual][cls]
        return because(why) if told == cls else f"{because(why)}, and {name(told)} ⊑ {name(cls)}"

    unions = []                                # (individual, [classes], why): one of them must hold
    clashes, individuals, axioms = [], set(), set()

    def require(individual, cls, why):
        members = schema.union_members(cls)
        if members is not None:
            unions.append((individual, members, why))
        else:
            add(individual, cls, why)

    for s, p, o in sorted(prepared.abox, key=lambda t: tuple(map(str, t))):
        if p == RDF_TYPE:
            add(s, o, ("asserted",))
            if o == OWL_NOTHING:
                clashes.append(f"{name(s)} is asserted to be an instance of owl:Nothing")
                individuals.add(s)
                axioms.add("owl:Nothing has no instances")
    for s, p, o in sorted(prepared.facts, key=lambda t: (t not in prepared.abox, tuple(map(str, t)))):
        for domain in schema.domains.get(p, ()):
            require(s, domain, ("domain", p, s, o))
        if not isinstance(o, Literal):
            for range_ in schema.ranges.get(p, ()):
                require(o, range_, ("range", p, s, o))
    for individual, members, why in unions:
        known = reasons.get(individual, {})
        blockers = [next((c for c in sorted(known, key=str) if schema.disjoint_axiom(m, c)), None) for m in members]
        if members and all(blockers):
            union = "ObjectUnionOf(" + " ".join(name(m) for m in members) + ")"
            clashes.append(f"{name(individual)} must be an instance of {union} ({because(why)}) but is "
                           + ", ".join(f"{name(b)} ({reason_for(individual, b)})"
                                       for b in sorted(set(blockers), key=str))
                           + ", disjoint with each of them")
            individuals.add(individual)
            axioms.add(f"{union} as {why[0]} of {name(why[1])}")
            axioms.update(schema.disjoint_axiom(m, b) for m, b in zip(members, blockers))
    for individual in sorted(reasons, key=str):
        classes = sorted(reasons[individual], key=str)
        for i, a in enumerate(classes):
            for b in classes[i + 1:]:
                axiom = schema.disjoint.get((a, b))
                if axiom:
                    clashes.append(f"{name(individual)} is both {name(a)} ({reason_for(individual, a)}) and "
                                   f"{name(b)} ({reason_for(individual, b)}), which {axiom} keeps apart")
                    individuals.add(individual)
                    axioms.add(axiom)
    distinct = _known_distinct(prepared)
    values = defaultdict(set)
    for s, p, o in prepared.facts:
        if p in schema.functional:
            values[(s, p)].add(o)
    for (s, p), objects in sorted(values.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
        objects = sorted(objects, key=str)
        if p in schema.datatype_properties or all(isinstance(o, Literal) for o in objects):
            different = len({_value_key(o) for o in objects}) > 1
        else:
            different = any((a, b) in distinct or _disjoint_types(schema, reasons, a, b)
                            for i, a in enumerate(objects) for b in objects[i + 1:])
        if different:
            axiom = f"FunctionalProperty({name(p)})"
            clashes.append(f"{name(s)} has {len(objects)} different values of {name(p)} "
                           f"({', '.join(name(o) for o in objects)}), but {axiom} allows one")
            individuals.add(s)
            axioms.add(axiom)
    for s, p, o in sorted(prepared.facts, key=lambda t: tuple(map(str, t))):
        if not isinstance(o, Literal):
            continue
        for range_ in schema.ranges.get(p, ()):
            if isinstance(range_, BNode):
                allowed = list(Collection(schema.graph, schema.graph.value(range_, OWL.oneOf))) \
                    if schema.graph.value(range_, OWL.oneOf) is not None else None
                if allowed is None:
                    continue
                fits = any(_datatype(o) == _datatype(a) and str(o) == str(a) for a in allowed)
                shown = "{" + " ".join(a.n3() for a in allowed) + "}"
            elif range_ in _SUPPORTED_RANGES:
                fits, shown = _literal_fits(o, range_), name(range_)
            else:
                continue
            if not fits:
                axiom = f"DataPropertyRange({name(p)} {shown})"
                clashes.append(f"{name(s)} {name(p)} {o.n3()} is outside the range of {axiom}")
                individuals.add(s)
                axioms.add(axiom)
    return clashes, sorted(map(str, individuals)), sorted(axioms)


def _value_key(literal: Literal) -> tuple:
    value = literal.value
    if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        return ("number", Decimal(str(value)))
    return (str(literal), _datatype(literal), literal.language)


def _disjoint_types(schema: Schema, reasons: dict, a, b) -> bool:
    return any((x, y) in schema.disjoint for x in reasons.get(a, {}) for y in reasons.get(b, {}))


def _narrow_down(prepared: Prepared, java: str, classpath: str, folder: str, deadline: float,
                 memory_gb: float | None) -> list[URIRef]:
    """A small set of individuals whose assertions HermiT still finds inconsistent (bisection, for as
    long as the time left allows)."""
    individuals = set(prepared.individuals)
    background = Graph()
    for triple in prepared.input:
        if not (isinstance(triple[0], URIRef) and triple[0] in individuals):
            background.add(triple)
    by_subject = defaultdict(list)
    for triple in prepared.input:
        if isinstance(triple[0], URIRef):
            by_subject[triple[0]].append(triple)
    current = [i for i in prepared.individuals if i in by_subject]
    runs = 0
    while len(current) > 1 and runs < DIAGNOSIS_RUNS:
        middle = len(current) // 2
        for half in (current[:middle], current[middle:]):
            candidate = Graph()
            for triple in background:
                candidate.add(triple)
            for individual in half:
                for triple in by_subject[individual]:
                    candidate.add(triple)
            runs += 1
            part = {"part.nt": candidate.serialize(format="nt", encoding="utf-8")}
            try:
                run = _run_hermit(java, classpath, part, folder, ["-k"], deadline - time.monotonic(), memory_gb)
            except HermitExceeded:
                return current
            if _inconsistent(run):
                current = half
                break
        else:
            break
    return current


def _raise_inconsistent(prepared: Prepared, reasoner: str, narrowed: list | None = None,
                        extra: list[str] | None = None) -> None:
    clashes, individuals, axioms = _explain(prepared)
    name = prepared.schema.name
    if clashes:
        shown = clashes[:20] + ([f"... and {len(clashes) - 20} more"] if len(clashes) > 20 else [])
        message = f"{reasoner} finds the ontology plus the data inconsistent: " + "; ".join(shown)
    elif narrowed:
        individuals = sorted(map(str, narrowed))
        listed = ", ".join(name(URIRef(i)) for i in individuals[:12])
        more = f" and {len(individuals) - 12} more" if len(individuals) > 12 else ""
        message = (f"{reasoner} finds the ontology plus the data inconsistent; the assertions about "
                   f"{listed}{more} are inconsistent with the ontology by themselves")
    else:
        message = f"{reasoner} finds the ontology plus the data inconsistent"
    if extra:
        message += " (" + "; ".join(extra[:5]) + ")"
    raise InconsistentOntology(message, individuals, axioms)


# ---------------------------------------------------------------------------------------------------
# reason()
# ---------------------------------------------------------------------------------------------------

class _Facts:
    """A set of triples indexed for the counting rule: the few lookups of rdflib's Graph it needs
    (subjects, objects, membership), without the cost of a Graph's store."""

    def __init__(self, triples=()):
        self.triples: set = set()
        self._members = defaultdict(set)     # class -> individuals
        self._subjects = defaultdict(set)    # property -> subjects
        self._objects = defaultdict(set)     # (subject, property) -> objects
        for triple in triples:
            self.add(triple)

    def add(self, triple) -> None:
        if triple in self.triples:
            return
        self.triples.add(triple)
        s, p, o = triple
        if p == RDF_TYPE:
            self._members[o].add(s)
        self._subjects[p].add(s)
        self._objects[(s, p)].add(o)

    def __contains__(self, triple) -> bool:
        return triple in self.triples

    def subjects(self, predicate, obj=None):
        return iter(self._members.get(obj, ()) if predicate == RDF_TYPE and obj is not None
                    else self._subjects.get(predicate, ()))

    def objects(self, subject, predicate):
        return iter(self._objects.get((subject, predicate), ()))


def _rules_closure(prepared: Prepared) -> set:
    """What the ontology's axioms give without a tableau: asserted, domain, range and super-class types,
    property values from the property axioms, and the defined classes by counting distinct values, to a
    fixpoint. Linear in the data; used for corpora too large to hand to HermiT in one piece."""
    view = _Facts(_simple_types(prepared) | prepared.facts | set(prepared.abox))
    distinct = _known_distinct(prepared)
    while True:
        added = _count_rule(prepared, view, distinct)
        if not added:
            return view.triples
        for triple in added:
            view.add(triple)


def reason(graph: Graph, ontology: Graph | None = None, *, timeout: float = 600.0,
           engine: str = "auto", prepared: Prepared | None = None, memory_gb: float | None = None) -> ReasoningResult:
    """Check the ontology plus the data for consistency and return the triples it entails that are new.

    `graph` holds the data and usually the ontology; when it lacks the ontology header
    (<https://w3id.org/healthkg/ontology> a owl:Ontology) and no `ontology` is given, the bundled
    ontology/healthkg.ttl is added. Raises InconsistentOntology when there is no model. `prepared`
    is prepare(graph, ontology), when the caller has it already. `engine`: "auto" (HermiT's realisation
    within `timeout` seconds and a heap of `memory_gb`, raising HermitExceeded past either; the OWL RL
    closure without Java), "rules" (the linear rules engine) or "owlrl" (the OWL RL closure)."""
    started = time.perf_counter()
    prepared = prepared if prepared is not None else prepare(graph, ontology)
    notes, types = [], frozenset()     # types: the rules engine's, for HermiT's check of them
    if engine == "rules":
        clock = time.perf_counter()
        if _explain(prepared, ordered=False)[0]:
            _raise_inconsistent(prepared, RULES)
        entailed = _rules_closure(prepared)
        types = frozenset((s, o) for s, p, o in entailed if p == RDF_TYPE and _ours((s, p, o)))
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
        classpath = _hermit_classpath()
        problem = _java_problem(java) or (None if classpath else "owlready2's HermiT.jar not found")
    if engine == "rules":
        pass
    elif problem is None:
        deadline = time.monotonic() + timeout
        with tempfile.TemporaryDirectory(prefix="healthkg-reason-") as folder:
            clock = time.perf_counter()
            run = _run_hermit(java, classpath, {"input.nt": prepared.input_ntriples()}, folder, ["-c", "-I"],
                              timeout, memory_gb)
            reasoner_seconds = time.perf_counter() - clock
            if _inconsistent(run):
                clashes = _explain(prepared)[0]
                narrowed = None if clashes else _narrow_down(prepared, java, classpath, folder, deadline, memory_gb)
                _raise_inconsistent(prepared, HERMIT, narrowed)
            if run.returncode != 0:
                raise ReasoningError("HermiT failed: " + run.stderr.decode("utf-8", "replace").strip()[-2000:])
        output = run.stdout.decode("utf-8", "replace").replace("\r", "")
        types = _hermit_types(output)
        unsatisfiable = tuple(u for u in _unsatisfiable(output) if u.startswith(str(HK)))
        if unsatisfiable:
            notes.append("unsatisfiable classes: " + ", ".join(prepared.schema.name(URIRef(u)) for u in unsatisfiable))
        entailed = types | prepared.facts
        reasoner = HERMIT
        notes.append("class memberships from HermiT; property values from the ontology's property axioms")
    else:
        clock = time.perf_counter()
        if _explain(prepared)[0]:
            _raise_inconsistent(prepared, OWLRL)
        closed, errors = _owlrl_closure(prepared)
        reasoner_seconds = time.perf_counter() - clock
        unsatisfiable = ()
        if errors:
            _raise_inconsistent(prepared, OWLRL, extra=errors)
        entailed = set(closed)
        reasoner = OWLRL
        notes.append(f"HermiT not run ({problem}): pure-Python OWL RL closure (owlrl) instead; classes "
                     f"defined by minimum cardinalities decided by counting values declared distinct")
    inferred = Graph()
    for prefix, namespace in (("hk", HK), ("hkd", HKD), ("hkc", HKC)):
        inferred.bind(prefix, namespace)
    for triple in entailed:
        if _ours(triple) and triple not in prepared.abox and triple not in prepared:
            inferred.add(triple)
    counts = _counts(prepared, inferred)
    return ReasoningResult(inferred, reasoner, time.perf_counter() - started, counts, "; ".join(notes),
                           reasoner_seconds, unsatisfiable, types)


# Namespaces whose classes are OWL's and RDF's own vocabulary, not types worth stating (owl:Thing, ...).
_BUILT_IN = (str(OWL), str(RDF), str(RDFS))


def published(prepared: Prepared, inferred) -> set:
    """What a release states besides its data and `inferred` (reason()'s hk: triples) so that any OWL tool
    reading only the ontology and the release draws the same conclusions, and a SPARQL user finds every
    type without reasoning:

    - the external super-types of our individuals (a plan an eli:LegalResource, a body an
      org:Organization, a task a p-plan:Step ...): every named class above one of their types, asserted or
      inferred, and the classes that domains and ranges give, less OWL's and RDF's own;
    - the unique names the defined classes need: owl:differentFrom between the values of a property that
      a number restriction counts (hk:leadUnit, hk:chainElement) on one individual, wherever the reasoner's
      input declares them distinct (AllDifferent, prepare()). Pairs on one individual rather than an
      owl:AllDifferent list: an RDF list needs blank nodes, which the release has none of, and the pairs
      grow with the data (a task's few lead units), not with the square of all bodies."""
    schema = prepared.schema
    types = {(s, o) for s, _, o in _simple_types(prepared)}
    types |= {(s, o) for s, p, o in inferred if p == RDF_TYPE}
    result = set()
    for individual, cls in types:
        if not (isinstance(individual, URIRef) and str(individual).startswith(OUR_SUBJECTS)):
            continue
        for ancestor in schema.ancestors(cls):
            if isinstance(ancestor, URIRef) and not str(ancestor).startswith((str(HK), *_BUILT_IN)):
                result.add((individual, RDF_TYPE, ancestor))
    counted = {p for _, _, minimums in schema.definitions for p, n, _ in minimums if n >= 2}
    distinct = _known_distinct(prepared)
    values = defaultdict(set)
    for s, p, o in prepared.facts:
        if p in counted and isinstance(o, URIRef):
            values[(s, p)].add(o)
    for found in values.values():
        ordered = sorted(found, key=str)
        result.update((a, OWL.differentFrom, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
                      if (a, b) in distinct)
    return {triple for triple in result if triple not in prepared}


@dataclass(frozen=True)
class StrictCheck:
    """HermiT in strict mode on a whole graph (ontology + release, as an outside user would load them)."""
    consistent: bool
    seconds: float                  # HermiT's wall time, the JVM's start included
    types: frozenset                # (individual, class) pairs HermiT's realisation gives (-I)
    error: str = ""                 # why HermiT stopped, when it did (an unsupported datatype ...)


def hermit_strict(document: bytes, timeout: float = 600.0, memory_gb: float | None = None) -> StrictCheck:
    """Realise an N-Triples document with HermiT in strict mode: no datatype outside the OWL 2 datatype
    map ignored, no preparation (no declarations, no distinctness added, nothing left out): what any OWL 2
    DL tool would see. Raises ReasoningError when HermiT cannot run here."""
    java, classpath = shutil.which("java"), _hermit_classpath()
    problem = _java_problem(java) or (None if classpath else "owlready2's HermiT.jar not found")
    if problem:
        raise ReasoningError(f"HermiT cannot run: {problem}")
    with tempfile.TemporaryDirectory(prefix="healthkg-strict-") as folder:
        clock = time.perf_counter()
        run = _run_hermit(java, classpath, {"graph.nt": document}, folder, ["-I"], timeout, memory_gb)
        seconds = time.perf_counter() - clock
    output = run.stdout.decode("utf-8", "replace").replace("\r", "")
    types = frozenset((URIRef(i), URIRef(c)) for i, c in _TYPE_LINE.findall(output))
    lines = run.stderr.decode("utf-8", "replace").strip().splitlines()
    said = [line.strip() for line in lines if "Exception" in line or "datatype '" in line][:2]
    error = "" if run.returncode == 0 else " ".join(said or lines[:1] or [f"exit code {run.returncode}"])[:600]
    return StrictCheck(run.returncode == 0, seconds, types, error)


def _counts(prepared: Prepared, inferred: Graph) -> dict[str, int]:
    name = prepared.schema.name
    per_term = defaultdict(int)
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


def main() -> None:
    """python -m ontology.reason [FILE ...]: reason over the bundled plans (or the given RDF files)."""
    import sys

    if len(sys.argv) > 1:
        data = Graph()
        for path in sys.argv[1:]:
            data.parse(path)
    else:
        from graph.pipeline import extract_all
        from graph.rdf import build_graph

        root = Path(__file__).resolve().parent.parent
        plans, texts = extract_all(root / "graph" / "sources")
        data = build_graph(plans, texts)
    result = reason(data)
    print(f"{result.reasoner}: {len(result.inferred)} new triples in {result.seconds:.2f} s "
          f"(reasoner {result.reasoner_seconds:.2f} s); {result.note}")
    for key, value in result.counts.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
