"""The reasoners' common input (see ontology/reasoning/__init__.py): the T-box and the assertions a logical
axiom can use, split once; property values closed under the property axioms; owl:NamedIndividual
declarations and owl:AllDifferent lists for the values the ontology counts."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from healthkg.graph.rdf.triples import Triples, ntriples
from healthkg.ontology.reasoning.tbox import Schema, closure
from healthkg.ontology.reasoning.terms import (
    ABOX_LOGICAL,
    HK,
    ONTOLOGY_IRI,
    OWL_NOTHING,
    RDF_TYPE,
    SCHEMA_PREDICATES,
    SCHEMA_TYPES,
    load_ontology,
)


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
            for s, reachable in closure(edges).items():
                new.update((s, p, o) for o in reachable)
        frontier = new - facts
        facts |= frontier
    return facts


def prepare(graph: Triples, ontology: Triples | None = None) -> Prepared:
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
            keep = o in schema.relevant or o == OWL_NOTHING or isinstance(o, BNode)   # a class expression
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


def rdf_list(label: str, members: list) -> tuple[BNode, list]:
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
        head, cells = rdf_list(f"distinct{index}list", members)
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


def known_distinct(prepared: Prepared) -> set:
    """Ordered pairs of individuals declared distinct (computed once per Prepared)."""
    if prepared._distinct is None:
        pairs: set[tuple[URIRef, URIRef]] = set()
        for members in prepared.distinct_groups:   # each value once per group: identity tells them apart
            pairs.update((a, b) for a in members for b in members if a is not b)
        different = OWL.differentFrom
        for a, p, b in prepared.abox:
            if p == different:
                pairs.update({(a, b), (b, a)})
        prepared._distinct = pairs
    return prepared._distinct


def simple_types(prepared: Prepared) -> set:
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
