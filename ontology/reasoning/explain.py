"""Explaining an inconsistency with the ontology's own axioms: disjoint classes through asserted types,
domains, ranges and super-classes; functional properties; datatype ranges."""
from __future__ import annotations

import builtins
from collections import defaultdict
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, XSD

from healthkg.ontology.reasoning.prepare import Prepared, known_distinct
from healthkg.ontology.reasoning.result import InconsistentOntology
from healthkg.ontology.reasoning.tbox import Schema
from healthkg.ontology.reasoning.terms import OWL_NOTHING, RDF_TYPE

# ---------------------------------------------------------------------------------------------------
# Explaining an inconsistency
# ---------------------------------------------------------------------------------------------------

_INTEGERS = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger,
             XSD.negativeInteger, XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt,
             XSD.unsignedShort, XSD.unsignedByte}
_REALS = {XSD.decimal} | _INTEGERS
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


def explain(prepared: Prepared, ordered: bool = True) -> tuple[list[str], list[str], list[str]]:
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
            for m, b in zip(members, blockers):
                axiom = schema.disjoint_axiom(m, b)
                if axiom:                      # always: b was chosen for its axiom
                    axioms.add(axiom)
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
    distinct = known_distinct(prepared)
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
                head = schema.graph.value(range_, OWL.oneOf)
                if head is None:
                    continue
                allowed = list(Collection(schema.graph, head))
                fits = any(isinstance(a, Literal) and _datatype(o) == _datatype(a) and str(o) == str(a)
                           for a in allowed)
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
    """Equal keys for equal data values. OWL 2's numeric value spaces are disjoint: owl:real (xsd:decimal,
    xsd:integer and its sub-types: 1 and 1.0 are one value), xsd:double and xsd:float (1.0E0^^xsd:double is
    neither 1^^xsd:integer nor 1.0E0^^xsd:float); within a floating-point type -0 and +0 are two values."""
    value, datatype = literal.value, _datatype(literal)
    if datatype in _REALS and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return ("owl:real", Decimal(value))
    if datatype in (XSD.double, XSD.float) and isinstance(value, float):
        return (str(datatype), repr(value))
    return (str(literal), datatype, literal.language)


def _disjoint_types(schema: Schema, reasons: dict, a, b) -> bool:
    return any((x, y) in schema.disjoint for x in reasons.get(a, {}) for y in reasons.get(b, {}))


def raise_inconsistent(prepared: Prepared, reasoner: str, narrowed: list | None = None,
                        extra: list[str] | None = None) -> None:
    clashes, individuals, axioms = explain(prepared)
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
