"""The T-box read into the rules engine's schema (Schema), and the OWL constructs that engine supports.

The rules engine (ontology/reasoning/rules.py) applies these axioms of the ontology, and no others
(named: an IRI; SUPPORTED_AXIOMS below is the same list, the one the error message quotes):

- declarations (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, ...) and annotations, which entail nothing;
- SubClassOf(A B), EquivalentClasses(A B) and DisjointClasses(A B ...) between named classes
  (rdfs:subClassOf, owl:equivalentClass, owl:disjointWith, owl:AllDisjointClasses);
- definitions EquivalentClasses(D ObjectIntersectionOf(C1 ... Cn R1 ... Rm)) or EquivalentClasses(D R1) of a
  named class D by named classes Ci and restrictions Rj, each ObjectSomeValuesFrom(p C) or
  ObjectMinCardinality(n p [C]) with C named and p a named object property that is not functional and has no
  functional super-property (functionality would entail the unnamed values' classes of the named ones);
- SubObjectPropertyOf / SubDataPropertyOf, EquivalentObjectProperties / EquivalentDataProperties and
  InverseObjectProperties between named properties; TransitiveObjectProperty, SymmetricObjectProperty,
  FunctionalObjectProperty and FunctionalDataProperty;
- ObjectPropertyDomain / DataPropertyDomain / ObjectPropertyRange of a named class or of an
  ObjectUnionOf of named classes (the rules give the classes common to the members left once the
  disjointness axioms rule out the others); DataPropertyRange of a named datatype or of a DataOneOf of literals.

Any other logical axiom (owl:unionOf or owl:complementOf in a definition, owl:allValuesFrom,
owl:hasValue, owl:hasSelf, maximum or exact cardinalities, property chains, keys, disjoint unions,
disjoint, asymmetric, reflexive, irreflexive or inverse-functional properties, a super-class that is a


class expression, an axiom about a class expression ...) is listed in Schema.unsupported, and the rules
engine refuses to answer, naming it (UnsupportedAxiom): it never drops an axiom silently. HermiT and the
OWL RL closure read the whole ontology.
"""
from __future__ import annotations

from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from healthkg.ontology.reasoning.terms import (
    ANY_CARDINALITIES,
    CHARACTERISTICS,
    LOGICAL,
    MIN_CARDINALITIES,
    OWL_NOTHING,
    POSITIVE,
    RDF_TYPE,
    curie,
)

SUPPORTED_AXIOMS = (
    "declarations and annotations",
    "SubClassOf, EquivalentClasses and DisjointClasses between named classes",
    "EquivalentClasses(D ObjectIntersectionOf(named classes, ObjectSomeValuesFrom(p C), ObjectMinCardinality(n p [C])))"
    " with D and C named and p a named, non-functional object property",
    "SubObjectPropertyOf, SubDataPropertyOf, EquivalentObjectProperties, EquivalentDataProperties and "
    "InverseObjectProperties between named properties",
    "TransitiveObjectProperty, SymmetricObjectProperty, FunctionalObjectProperty, FunctionalDataProperty",
    "domains and ranges: a named class or an ObjectUnionOf of named classes; a data range: a named datatype or a "
    "DataOneOf of literals",
)
# rdf:type objects that declare a term and say nothing more
DECLARATIONS = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                RDF.Property, OWL.Ontology, RDFS.Datatype, OWL.NamedIndividual, OWL.OntologyProperty,
                OWL.DeprecatedClass, OWL.DeprecatedProperty, OWL.Thing}
SUPPORTED_CHARACTERISTICS = {OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty}
# types and predicates of the parts of class expressions: read with the axiom that holds the expression
EXPRESSION_TYPES = {OWL.Restriction, OWL.Class, RDFS.Datatype}
# OWL's logical vocabulary in rdf:type position, beyond declarations (checked against the supported ones)
LOGICAL_TYPES = CHARACTERISTICS | {OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.AllDifferent,
                                   OWL.NegativePropertyAssertion}
# functional-syntax names of the axioms, for the messages
_AXIOM_NAMES = {RDFS.subClassOf: "SubClassOf", OWL.equivalentClass: "EquivalentClasses",
                OWL.disjointWith: "DisjointClasses", RDFS.subPropertyOf: "SubPropertyOf",
                OWL.equivalentProperty: "EquivalentProperties", OWL.inverseOf: "InverseObjectProperties",
                RDFS.domain: "PropertyDomain", RDFS.range: "PropertyRange",
                OWL.propertyDisjointWith: "DisjointProperties", OWL.disjointUnionOf: "DisjointUnion",
                OWL.hasKey: "HasKey"}
_RESTRICTIONS = ((OWL.someValuesFrom, "SomeValuesFrom"), (OWL.allValuesFrom, "AllValuesFrom"),
                 (OWL.hasValue, "HasValue"), (OWL.hasSelf, "HasSelf"),
                 (OWL.minCardinality, "MinCardinality"), (OWL.minQualifiedCardinality, "MinCardinality"),
                 (OWL.maxCardinality, "MaxCardinality"), (OWL.maxQualifiedCardinality, "MaxCardinality"),
                 (OWL.cardinality, "ExactCardinality"), (OWL.qualifiedCardinality, "ExactCardinality"))


def closure(pairs: dict) -> dict:
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
        self._unions: dict = {}
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
        self.superclasses = closure(supers)
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
        self.superproperties = closure(sub)
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
        self.counted: set[Node] = set()
        for restriction in tbox.subjects(RDF_TYPE, OWL.Restriction):
            counted = tbox.value(restriction, OWL.onProperty)
            if counted is not None and any((restriction, c, None) in tbox for c in ANY_CARDINALITIES):
                self.counted.add(counted)
        # Every axiom read against SUPPORTED_AXIOMS: the definitions the counting rule applies, and the
        # axioms the rules engine cannot apply, named (it refuses to answer while there are any).
        self.definitions: list = []
        self.unsupported: list[str] = []
        self._audit()

    def _audit(self) -> None:
        """Sort every logical axiom into supported (definitions kept for the counting rule) or not
        (self.unsupported, as functional-syntax text)."""
        tbox, nested = self.graph, {o for o in self.graph.objects() if isinstance(o, BNode)}
        functional = {p for p in tbox.subjects(RDF_TYPE, OWL.FunctionalProperty)}
        functional_like = {p for p, sups in self.superproperties.items() if sups & functional} | functional
        found = set()
        for s, p, o in tbox:
            if isinstance(s, BNode) and s in nested:
                continue                  # part of a class expression: read with the axiom holding it
            problem = None
            if p == RDF_TYPE:
                if o in DECLARATIONS or o in SUPPORTED_CHARACTERISTICS or \
                        (isinstance(s, BNode) and o in EXPRESSION_TYPES):
                    continue
                if o == OWL.AllDisjointClasses and \
                        all(isinstance(m, URIRef) for m in self._list(tbox.value(s, OWL.members))):
                    continue
                if o in LOGICAL_TYPES:
                    problem = self._typed_axiom(s, o)
                else:
                    continue              # a type from another vocabulary: an assertion, no axiom
            elif p not in LOGICAL or (isinstance(s, BNode) and p not in _AXIOM_NAMES and p != OWL.propertyChainAxiom):
                continue                  # an annotation, or the body of an axiom listed by its type
            elif isinstance(s, URIRef) and isinstance(o, URIRef) and p in (
                    RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith, RDFS.subPropertyOf,
                    OWL.equivalentProperty, OWL.inverseOf, RDFS.domain, RDFS.range):
                continue
            elif p == OWL.equivalentClass and isinstance(s, URIRef) and isinstance(o, BNode):
                definition = self._definition(s, o, functional_like)
                if definition is not None:
                    self.definitions.append(definition)
                    continue
            elif p in (RDFS.domain, RDFS.range) and isinstance(s, URIRef) and (
                    self.union_members(o) is not None or (p == RDFS.range and self._data_one_of(o))):
                continue
            found.add(problem or self.axiom_text(s, p, o))
        self.unsupported = sorted(found)
        self.definitions.sort(key=lambda d: str(d[0]))

    def _definition(self, defined: URIRef, expression: BNode, functional: set) -> tuple | None:
        """(D, named classes, [(p, n, C or None)]) for a supported definition, else None."""
        tbox = self.graph
        head = tbox.value(expression, OWL.intersectionOf)
        parts = self._list(head) if head is not None else [expression]
        named: list[URIRef] = []
        minimums: list[tuple[URIRef, int, URIRef | None]] = []     # (p, n, C or None)
        for part in parts:
            if isinstance(part, URIRef):
                named.append(part)
                continue
            prop = tbox.value(part, OWL.onProperty)
            said = {q for q, _ in _RESTRICTIONS if (part, q, None) in tbox}
            if not isinstance(prop, URIRef) or prop in functional or prop in self.datatype_properties \
                    or len(said) != 1:
                return None
            filler = tbox.value(part, OWL.someValuesFrom)
            if said == {OWL.someValuesFrom} and isinstance(filler, URIRef):      # (some p C) is (>= 1 p C)
                minimums.append((prop, 1, filler))
                continue
            on_class = tbox.value(part, OWL.onClass)
            if said & set(MIN_CARDINALITIES) and (on_class is None or isinstance(on_class, URIRef)):
                n = tbox.value(part, next(iter(said)))
                if isinstance(n, Literal) and isinstance(n.value, int) and n.value >= 0 and \
                        (part, OWL.onDataRange, None) not in tbox:
                    minimums.append((prop, n.value, on_class))
                    continue
            return None
        return (defined, named, minimums) if named or minimums else None

    def _data_one_of(self, expression) -> bool:
        head = self.graph.value(expression, OWL.oneOf) if isinstance(expression, BNode) else None
        return head is not None and all(isinstance(m, Literal) for m in self._list(head))

    def _typed_axiom(self, s, kind) -> str:
        if kind in CHARACTERISTICS:
            word = str(kind).rsplit("#", 1)[-1].replace("Property", "")
            what = "Data" if s in self.datatype_properties else "Object"
            return f"{word}{what}Property({self.expression(s)})"
        members = self.graph.value(s, OWL.members) or self.graph.value(s, OWL.distinctMembers)
        listed = " ".join(self.expression(m) for m in self._list(members))
        return f"{str(kind).rsplit('#', 1)[-1]}({listed})"

    def axiom_text(self, s, p, o) -> str:
        """A T-box triple's axiom in OWL's functional syntax (close to it), for a message."""
        if p == OWL.propertyChainAxiom:
            chain = " ".join(self.expression(m) for m in self._list(o))
            return f"SubObjectPropertyOf(ObjectPropertyChain({chain}) {self.expression(s)})"
        if p in (OWL.hasKey, OWL.disjointUnionOf):
            listed = " ".join(self.expression(m) for m in self._list(o))
            return f"{_AXIOM_NAMES[p]}({self.expression(s)} ({listed}))" if p == OWL.hasKey else \
                f"{_AXIOM_NAMES[p]}({self.expression(s)} {listed})"
        name = _AXIOM_NAMES.get(p)
        if name is None:
            return f"{self.expression(s)} {self.name(p)} {self.expression(o)}"
        if name.startswith(("SubProperty", "EquivalentProperties", "DisjointProperties", "Property")):
            what = "Data" if s in self.datatype_properties else "Object"
            name = name.replace("Property", f"{what}Property", 1).replace("Properties", f"{what}Properties", 1) \
                if not name.startswith("Property") else what + name
        return f"{name}({self.expression(s)} {self.expression(o)})"

    def expression(self, node) -> str:
        """A class or property expression in OWL's functional syntax (close to it)."""
        if not isinstance(node, BNode):
            return self.name(node)
        tbox = self.graph
        for predicate, word in ((OWL.intersectionOf, "IntersectionOf"), (OWL.unionOf, "UnionOf"),
                                (OWL.oneOf, "OneOf")):
            head = tbox.value(node, predicate)
            if head is not None:
                members = self._list(head)
                what = "Data" if members and all(isinstance(m, Literal) for m in members) else "Object"
                return f"{what}{word}(" + " ".join(self.expression(m) for m in members) + ")"
        complement = tbox.value(node, OWL.complementOf)
        if complement is not None:
            return f"ObjectComplementOf({self.expression(complement)})"
        inverse = tbox.value(node, OWL.inverseOf)
        if inverse is not None:
            return f"ObjectInverseOf({self.expression(inverse)})"
        prop = tbox.value(node, OWL.onProperty)
        if prop is not None:
            what = "Data" if prop in self.datatype_properties else "Object"
            for predicate, word in _RESTRICTIONS:
                value = tbox.value(node, predicate)
                if value is None:
                    continue
                if predicate == OWL.hasSelf:
                    return f"ObjectHasSelf({self.expression(prop)})"
                qualifier = tbox.value(node, OWL.onClass) or tbox.value(node, OWL.onDataRange)
                if "Cardinality" in word:
                    tail = f" {self.expression(qualifier)}" if qualifier is not None else ""
                    return f"{what}{word}({value} {self.expression(prop)}{tail})"
                return f"{what}{word}({self.expression(prop)} {self.expression(value)})"
        said = sorted(f"{self.name(p)} {self.expression(o)}" for p, o in tbox.predicate_objects(node)
                      if p != RDF_TYPE)
        return "[" + "; ".join(said) + "]"

    def union_members(self, expression) -> tuple | None:
        """The named classes of an owl:unionOf expression, None for anything else. Memoised: every
        assertion of a property with a union domain or range asks again (32,000 times on the bundled plans)."""
        if not isinstance(expression, BNode):
            return None
        if expression not in self._unions:
            head = self.graph.value(expression, OWL.unionOf)
            members = tuple(self._list(head)) if head is not None else ()
            self._unions[expression] = members if members and all(isinstance(m, URIRef) for m in members) else None
        return self._unions[expression]

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
            found = self._names[term] = curie(self.graph, term)
        return found

    def ancestors(self, cls) -> set:
        return {cls} | self.superclasses.get(cls, set())

    def top_class(self, classes: set) -> URIRef | None:
        """The member of a disjointness axiom the given classes fall under (hk:Agency for a government)."""
        tops = sorted({c for cls in classes for c in self.ancestors(cls) if c in self.disjoint_members}, key=str)
        return tops[0] if tops else None
