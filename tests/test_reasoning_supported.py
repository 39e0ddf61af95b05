"""The rules engine answers only for the OWL constructs it supports (ontology/reasoning/tbox.py) and refuses
the others by name, never answering without them; literal values keep OWL 2's disjoint value spaces."""
import shutil

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF
from test_reasoning import PREFIXES, tiny_graph

from healthkg.ontology.reasoning import tbox
from healthkg.ontology.reasoning.engine import reason
from healthkg.ontology.reasoning.explain import _value_key
from healthkg.ontology.reasoning.hermit import hermit_problem
from healthkg.ontology.reasoning.prepare import prepare
from healthkg.ontology.reasoning.result import InconsistentOntology, UnsupportedAxiom
from healthkg.ontology.reasoning.terms import load_ontology

HK = Namespace("https://w3id.org/healthkg/ontology#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes
needs_java = pytest.mark.skipif(hermit_problem() is not None or shutil.which("java") is None,
                                reason=f"HermiT cannot run: {hermit_problem()}")

ELDERLY_CARE_TASK = PREFIXES + """
hk:ElderlyCareTask a owl:Class ; owl:equivalentClass [ a owl:Class ;
    owl:intersectionOf ( hk:Task [ a owl:Restriction ; owl:onProperty hk:industry ;
                                   owl:hasValue <https://w3id.org/healthkg/concept/industry/elderly-care> ] ) ] .
"""
# Two tasks of an elderly-care section and one of a food section: two members by the definition.
ELDERLY_CARE_DATA = """
<plan/p/task/t1> hk:industry <https://w3id.org/healthkg/concept/industry/elderly-care> .
<plan/p/task/t2> hk:industry <https://w3id.org/healthkg/concept/industry/elderly-care> .
<plan/p/task/t3> hk:industry <https://w3id.org/healthkg/concept/industry/food> .
"""


def ontology_with(axioms: str) -> Graph:
    return load_ontology() + Graph().parse(data=PREFIXES + axioms, format="turtle")


def rules(data: Graph, ontology: Graph):
    return reason(data, ontology, engine="rules", prepared=prepare(data, ontology))


def test_the_bundled_ontology_uses_only_supported_constructs():
    schema = prepare(tiny_graph()).schema
    assert schema.unsupported == []
    assert {str(d) for d, _, _ in schema.definitions} == {str(HK[n]) for n in ("JointlyLedTask", "CrossChainTask",
                                                                                 "LeadBody")}


def test_each_supported_construct_is_listed_in_the_docstring():
    assert all(kind in tbox.__doc__ or kind.split(",")[0] in tbox.__doc__
               for kind in ("declarations", "SubClassOf", "DisjointClasses", "ObjectSomeValuesFrom",
                            "ObjectMinCardinality", "InverseObjectProperties", "TransitiveObjectProperty",
                            "FunctionalDataProperty", "ObjectUnionOf", "DataOneOf"))
    assert len(tbox.SUPPORTED_AXIOMS) >= 6


def test_the_elderly_care_definition_is_refused_by_name_not_answered_empty():
    """Issue 18: ElderlyCareTask = Task and (industry value elderly-care) gave 0 members, silently."""
    ontology = load_ontology() + Graph().parse(data=ELDERLY_CARE_TASK, format="turtle")
    data = tiny_graph(ELDERLY_CARE_DATA)
    with pytest.raises(UnsupportedAxiom) as refused:
        rules(data, ontology)
    assert ("EquivalentClasses(hk:ElderlyCareTask ObjectIntersectionOf(hk:Task "
            "ObjectHasValue(hk:industry hkc:industry/elderly-care)))") in str(refused.value)


@needs_java
def test_hermit_reasons_over_the_elderly_care_definition():
    ontology = load_ontology() + Graph().parse(data=ELDERLY_CARE_TASK, format="turtle")
    data = tiny_graph(ELDERLY_CARE_DATA)
    inferred = reason(data, ontology).inferred
    members = {str(s).rsplit("/", 1)[-1] for s in inferred.subjects(RDF.type, HK.ElderlyCareTask)}
    assert members == {"t1", "t2"}


# One axiom of each kind the rules engine does not apply, and how the refusal names it.
UNSUPPORTED = {
    "union in a definition": (
        "hk:PartyOrPlace owl:equivalentClass [ a owl:Class ; owl:unionOf ( hk:ResponsibleParty hk:Jurisdiction ) ] .",
        "EquivalentClasses(hk:PartyOrPlace ObjectUnionOf(hk:ResponsibleParty hk:Jurisdiction))"),
    "complement in a definition": (
        "hk:NotATask owl:equivalentClass [ a owl:Class ; owl:complementOf hk:Task ] .",
        "EquivalentClasses(hk:NotATask ObjectComplementOf(hk:Task))"),
    "all values from": (
        "hk:AgencyLedTask owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( hk:Task "
        "[ a owl:Restriction ; owl:onProperty hk:leadUnit ; owl:allValuesFrom hk:Agency ] ) ] .",
        "ObjectAllValuesFrom(hk:leadUnit hk:Agency)"),
    "maximum cardinality": (
        "hk:SoleLedTask owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( hk:Task "
        "[ a owl:Restriction ; owl:onProperty hk:leadUnit ; owl:maxCardinality \"1\"^^xsd:nonNegativeInteger ] ) ] .",
        "ObjectMaxCardinality(1 hk:leadUnit)"),
    "exact cardinality": (
        "hk:TwoLeadTask owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( hk:Task "
        "[ a owl:Restriction ; owl:onProperty hk:leadUnit ; owl:cardinality \"2\"^^xsd:nonNegativeInteger ] ) ] .",
        "ObjectExactCardinality(2 hk:leadUnit)"),
    "qualified maximum cardinality": (
        "hk:FewLeadTask owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( hk:Task "
        "[ a owl:Restriction ; owl:onProperty hk:leadUnit ; owl:maxQualifiedCardinality \"1\"^^xsd:nonNegativeInteger ;"
        " owl:onClass hk:Agency ] ) ] .",
        "ObjectMaxCardinality(1 hk:leadUnit hk:Agency)"),
    "has self": (
        "hk:SelfPart owl:equivalentClass [ a owl:Restriction ; owl:onProperty hk:partOf ; owl:hasSelf true ] .",
        "ObjectHasSelf(hk:partOf)"),
    "a restriction as a super-class": (
        "hk:Task rdfs:subClassOf [ a owl:Restriction ; owl:onProperty hk:leadUnit ; owl:someValuesFrom hk:Agency ] .",
        "SubClassOf(hk:Task ObjectSomeValuesFrom(hk:leadUnit hk:Agency))"),
    "a class expression as a sub-class": (
        "[ a owl:Restriction ; owl:onProperty hk:leadUnit ; owl:someValuesFrom hk:Agency ] rdfs:subClassOf hk:Task .",
        "SubClassOf(ObjectSomeValuesFrom(hk:leadUnit hk:Agency) hk:Task)"),
    "a restriction on a functional property": (
        "hk:CityTask owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( hk:Task "
        "[ a owl:Restriction ; owl:onProperty hk:city ; owl:someValuesFrom hk:City ] ) ] .",
        "ObjectSomeValuesFrom(hk:city hk:City)"),
    "property chain": (
        "hk:leadsInPlan owl:propertyChainAxiom ( hk:leads hk:partOf ) .",
        "SubObjectPropertyOf(ObjectPropertyChain(hk:leads hk:partOf) hk:leadsInPlan)"),
    "key": (
        "hk:Task owl:hasKey ( hk:taskNumber ) .",
        "HasKey(hk:Task (hk:taskNumber))"),
    "disjoint union": (
        "hk:Jurisdiction owl:disjointUnionOf ( hk:City hk:Province hk:Country hk:County ) .",
        "DisjointUnion(hk:Jurisdiction hk:City hk:Province hk:Country hk:County)"),
    "disjoint properties": (
        "hk:leadUnit owl:propertyDisjointWith hk:cooperatingUnit .",
        "DisjointObjectProperties(hk:leadUnit hk:cooperatingUnit)"),
    "inverse-functional property": ("hk:statedIn a owl:InverseFunctionalProperty .",
                                    "InverseFunctionalObjectProperty(hk:statedIn)"),
    "asymmetric property": ("hk:partOf a owl:AsymmetricProperty .", "AsymmetricObjectProperty(hk:partOf)"),
    "irreflexive property": ("hk:partOf a owl:IrreflexiveProperty .", "IrreflexiveObjectProperty(hk:partOf)"),
    "reflexive property": ("hk:partOf a owl:ReflexiveProperty .", "ReflexiveObjectProperty(hk:partOf)"),
    "an inverse property expression": (
        "hk:ledBy rdfs:subPropertyOf [ owl:inverseOf hk:leadUnit ] .",
        "SubObjectPropertyOf(hk:ledBy ObjectInverseOf(hk:leadUnit))"),
}


@pytest.mark.parametrize("kind", sorted(UNSUPPORTED))
def test_an_unsupported_axiom_fails_loudly_naming_it(kind):
    axiom, named = UNSUPPORTED[kind]
    with pytest.raises(UnsupportedAxiom) as refused:
        rules(tiny_graph(), ontology_with(axiom))
    assert named in str(refused.value)


@pytest.mark.parametrize("assertion, named", [
    ("ag:a owl:sameAs ag:b .", "SameIndividual(hkd:agency/a hkd:agency/b)"),
    ("ag:a a [ a owl:Restriction ; owl:onProperty hk:leads ; owl:someValuesFrom hk:Task ] .",
     "ClassAssertion(ObjectSomeValuesFrom(hk:leads hk:Task) hkd:agency/a)"),
    # hk:city is functional: two values not known to differ (a city, and a jurisdiction not declared
    # distinct from it) are one individual to HermiT, which makes the second a city too
    ("<plan/p> hk:city <city/x> , <place/y> . <city/x> a hk:City .", "hkd:plan/p hk:city hkd:city/x, hkd:place/y"),
])
def test_an_assertion_the_rules_cannot_reason_over_fails_loudly(assertion, named):
    with pytest.raises(UnsupportedAxiom) as refused:
        rules(tiny_graph(assertion), load_ontology())
    assert named in str(refused.value)


def test_a_definition_by_named_classes_alone_is_applied():
    ontology = ontology_with("hk:LedTask owl:equivalentClass [ a owl:Class ; owl:intersectionOf "
                             "( hk:Task [ a owl:Restriction ; owl:onProperty hk:leadUnit ; "
                             "owl:someValuesFrom hk:ResponsibleParty ] ) ] .\n"
                             "hk:TaskInAPlan a owl:Class ; owl:equivalentClass [ a owl:Class ; "
                             "owl:intersectionOf ( hk:Task hk:LedTask ) ] .")
    inferred = rules(tiny_graph(), ontology).inferred
    # TINY: t1, t2 and t3 each have a lead unit
    assert {str(s).rsplit("/", 1)[-1] for s in inferred.subjects(RDF.type, HK.TaskInAPlan)} == {"t1", "t2", "t3"}


# OWL 2: owl:real (xsd:decimal, xsd:integer ...), xsd:double and xsd:float have disjoint value spaces.
def test_decimal_double_and_float_values_are_kept_apart():
    def key(lexical, datatype):
        return _value_key(Literal(lexical, datatype=datatype))

    assert key("1", XSD.integer) == key("1.0", XSD.decimal)
    assert key("1.0", XSD.decimal) != key("1.0E0", XSD.double)
    assert key("1", XSD.double) == key("1.0E0", XSD.double)
    assert key("1.0E0", XSD.double) != key("1.0E0", XSD.float)
    assert key("0", XSD.double) != key("-0", XSD.double)


FUNCTIONAL_VALUE = "hk:testValue a owl:DatatypeProperty , owl:FunctionalProperty ."


def test_a_functional_property_with_a_decimal_and_a_double_value_is_inconsistent():
    data = tiny_graph('<plan/p/task/t1> hk:testValue "1.0"^^xsd:decimal , "1.0E0"^^xsd:double .')
    with pytest.raises(InconsistentOntology) as clash:
        rules(data, ontology_with(FUNCTIONAL_VALUE))
    assert "FunctionalProperty(hk:testValue)" in str(clash.value)


def test_a_functional_property_with_one_value_written_twice_is_consistent():
    data = tiny_graph('<plan/p/task/t1> hk:testValue "1"^^xsd:integer , "1.00"^^xsd:decimal .')
    assert rules(data, ontology_with(FUNCTIONAL_VALUE)).reasoner


@needs_java
def test_hermit_agrees_that_decimal_and_double_differ():
    data = tiny_graph('<plan/p/task/t1> hk:testValue "1.0"^^xsd:decimal , "1.0E0"^^xsd:double .')
    with pytest.raises(InconsistentOntology):
        reason(data, ontology_with(FUNCTIONAL_VALUE))

