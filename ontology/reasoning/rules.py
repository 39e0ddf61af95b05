"""The linear rules engine: the closure of the data under the axioms ontology/reasoning/tbox.py lists as
supported (SUPPORTED_AXIOMS), without a tableau. It refuses, naming them (UnsupportedAxiom), the axioms
outside that list and the assertions it cannot reason over, rather than answer without them."""
from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from healthkg.ontology.reasoning.prepare import Prepared, known_distinct, simple_types
from healthkg.ontology.reasoning.result import UnsupportedAxiom
from healthkg.ontology.reasoning.terms import RDF_TYPE


def count_rule(prepared: Prepared, closed: Graph | _Facts, distinct: set) -> set:
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


def _has_distinct(closed: Graph | _Facts, individual, prop, n: int, qualifier, distinct: set) -> bool:
    values = sorted((v for v in closed.objects(individual, prop)
                     if qualifier is None or (v, RDF_TYPE, qualifier) in closed), key=str)
    if n <= 1:
        return len(values) >= n
    chosen: list[Node] = []       # greedy clique of pairwise-distinct values (groups are cliques)
    for value in values:
        if all((value, other) in distinct for other in chosen):
            chosen.append(value)
    return len(chosen) >= n


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

    def types(self, individual) -> set:
        return self._objects.get((individual, RDF_TYPE), set())


def rules_closure(prepared: Prepared) -> set:
    """What the ontology's axioms give without a tableau: asserted, domain, range and super-class types,
    property values from the property axioms, and the defined classes by counting distinct values, to a
    fixpoint. Linear in the data; used for corpora too large to hand to HermiT in one piece."""
    refuse_unsupported(prepared)
    view = _Facts(simple_types(prepared) | prepared.facts | set(prepared.abox))
    distinct = known_distinct(prepared)
    unions = _unions(prepared)
    while True:
        added = count_rule(prepared, view, distinct) | _union_rule(prepared, view, unions)
        if not added:
            _refuse_equated(prepared, view, distinct)
            return view.triples
        for triple in added:
            view.add(triple)


def refuse_unsupported(prepared: Prepared) -> None:
    """Raise UnsupportedAxiom when the ontology has an axiom, or the data an assertion, that the rules
    cannot apply."""
    if prepared.schema.unsupported:
        raise UnsupportedAxiom(prepared.schema.unsupported)
    name = prepared.schema.name
    found = sorted({f"SameIndividual({name(s)} {name(o)})" for s, p, o in prepared.abox if p == OWL.sameAs}
                   | {f"ClassAssertion({prepared.schema.expression(o)} {name(s)})"
                      for s, p, o in prepared.abox if p == RDF_TYPE and not isinstance(o, URIRef)})
    if found:
        raise UnsupportedAxiom(found, "the data's assertions")


def _unions(prepared: Prepared) -> list:
    """(individual, [named classes]) for each union domain or range an assertion puts an individual in."""
    schema, found = prepared.schema, set()
    for s, p, o in prepared.facts:
        for domain in schema.domains.get(p, ()):
            members = schema.union_members(domain)
            if members is not None:
                found.add((s, tuple(members)))
        if isinstance(o, URIRef):
            for range_ in schema.ranges.get(p, ()):
                members = schema.union_members(range_)
                if members is not None:
                    found.add((o, tuple(members)))
    return sorted(found, key=lambda item: (str(item[0]), [str(m) for m in item[1]]))


def _union_rule(prepared: Prepared, view: "_Facts", unions: list) -> set:
    """An individual in (C1 or ... or Cn) is in every class above all the members its known types are not
    disjoint with (one member left: that member and its super-classes)."""
    schema = prepared.schema
    new: set[tuple[Node, URIRef, Node]] = set()
    for individual, members in unions:
        known = view.types(individual)
        left = [m for m in members if not any(schema.disjoint_axiom(m, k) for k in known)]
        if not left:
            continue                      # a clash: explain() names it
        common = set.intersection(*(schema.ancestors(m) for m in left)) - {OWL.Thing}
        new.update((individual, RDF_TYPE, c) for c in common if c not in known)
    return new


def _refuse_equated(prepared: Prepared, view: "_Facts", distinct: set) -> None:
    """Two values of a functional object property that are neither declared distinct nor of disjoint
    classes are the same individual to HermiT (owl:sameAs), which the rules do not apply: refuse."""
    schema, found = prepared.schema, []
    for s, p in sorted({(s, p) for s, p, _ in prepared.facts if p in schema.functional
                        and p not in schema.datatype_properties}, key=lambda sp: (str(sp[0]), str(sp[1]))):
        values = sorted((o for o in view.objects(s, p) if isinstance(o, URIRef)), key=str)
        for i, a in enumerate(values):
            for b in values[i + 1:]:
                if (a, b) not in distinct and not any(schema.disjoint.get((x, y)) for x in view.types(a)
                                                      for y in view.types(b)):
                    found.append(f"{schema.name(s)} {schema.name(p)} {schema.name(a)}, {schema.name(b)} "
                                 f"(FunctionalObjectProperty({schema.name(p)}) makes them one individual)")
    if found:
        raise UnsupportedAxiom(found, "the data's assertions")
