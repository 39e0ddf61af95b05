"""ontology/healthkg.ttl and ontology/reasoning/: the ontology loads everywhere, every term is documented,
and reasoning (HermiT, or owlrl without Java) infers what the defined classes and property axioms say."""
from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter

import pytest
from conftest import LAIBIN, LIUZHOU, ROOT
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from healthkg.ontology.reasoning import check as hermit_check
from healthkg.ontology.reasoning import hermit
from healthkg.ontology.reasoning import prepare as preparing
from healthkg.ontology.reasoning.engine import reason
from healthkg.ontology.reasoning.result import InconsistentOntology
from healthkg.ontology.reasoning.terms import HERMIT, OWLRL, load_ontology

ONTOLOGY_FILE = ROOT / "ontology" / "healthkg.ttl"
HK = Namespace("https://w3id.org/healthkg/ontology#")
HKD = Namespace("https://w3id.org/healthkg/id/")
HKC = Namespace("https://w3id.org/healthkg/concept/")
ONTOLOGY_IRI = URIRef("https://w3id.org/healthkg/ontology")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

needs_java = pytest.mark.skipif(hermit.java_problem(shutil.which("java")) is not None
                                or hermit.hermit_classpath() is None,
                                reason="HermiT needs Java and owlready2's HermiT.jar")

PREFIXES = """
@prefix hk: <https://w3id.org/healthkg/ontology#> .
@prefix hkd: <https://w3id.org/healthkg/id/> .
@prefix hkc: <https://w3id.org/healthkg/concept/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix ag: <https://w3id.org/healthkg/id/agency/> .
@prefix el: <https://w3id.org/healthkg/concept/element/> .
@base <https://w3id.org/healthkg/id/> .
"""

# A plan with two sections; t1 has two lead agencies and two chain elements, t2 one of each; agency e
# is typed only by the range of hk:leadUnit; agency d leads nothing.
TINY = PREFIXES + """
<plan/p> a hk:Plan .
<plan/p/section/s1> a hk:Section ; hk:partOf <plan/p> .
<plan/p/section/s1.1> a hk:Section ; hk:partOf <plan/p/section/s1> .
<plan/p/task/t1> a hk:Task ; hk:partOf <plan/p/section/s1.1> ;
    hk:leadUnit ag:a , ag:b ; hk:cooperatingUnit ag:c ;
    hk:chainElement el:medical , el:elderly-care .
<plan/p/task/t2> a hk:Task ; hk:partOf <plan/p/section/s1> ;
    hk:leadUnit ag:a ; hk:chainElement el:medical .
<plan/p/task/t3> a hk:Task ; hk:partOf <plan/p/section/s1> ;
    hk:leadUnit ag:e , ag:c .
ag:a a hk:Agency . ag:b a hk:Agency . ag:c a hk:Agency . ag:d a hk:Agency .
el:medical a skos:Concept . el:elderly-care a skos:Concept .
"""

# Triples no axiom of the ontology can use: reasoning must give the same result with or without them.
NOISE = PREFIXES + """
<plan/p/task/t1> rdfs:label "任务一"@zh ; hk:textSelection <plan/p/task/t1/selection> .
<plan/p/task/t1/selection> a oa:SpecificResource ; oa:hasSelector <plan/p/task/t1/position> .
<plan/p/task/t1/position> a oa:TextPositionSelector ; oa:start "3"^^xsd:nonNegativeInteger .
ag:a org:classification <https://w3id.org/healthkg/concept/function/health> ; skos:prefLabel "市卫生健康委"@zh .
"""


def tiny_graph(extra: str = "") -> Graph:
    graph = Graph().parse(data=TINY, format="turtle")
    if extra:
        graph.parse(data=PREFIXES + extra, format="turtle")
    return graph


def with_ontology(graph: Graph) -> Graph:
    return load_ontology() + graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def tiny_result_or_none():
    if hermit.java_problem(shutil.which("java")) or hermit.hermit_classpath() is None:
        return None
    return reason(with_ontology(tiny_graph()))


@pytest.fixture(scope="module")
def tiny_result(tiny_result_or_none):
    if tiny_result_or_none is None:
        pytest.skip("HermiT needs Java")
    return tiny_result_or_none


def hk_terms(graph: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(str(HK))}


# ---------------------------------------------------------------------------------------------------
# The ontology file
# ---------------------------------------------------------------------------------------------------

def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    for predicate in (DCTERMS.title, DCTERMS.description):
        languages = {o.language for o in ontology.objects(ONTOLOGY_IRI, predicate)}
        assert {"zh", "en"} <= languages, predicate
    assert not list(ontology.objects(None, OWL.imports)), "external vocabularies are declared, not imported"


def test_required_terms_are_declared(ontology):
    classes = {"Plan", "Section", "Task", "Responsibility", "Assignment", "ResponsibleParty", "Agency", "BodyGroup",
               "CityGovernment", "City", "Target", "ChainLead", "ChainClassification", "SourceText", "JointlyLedTask",
               "CrossChainTask", "LeadBody"}
    objects = {"partOf", "involvesUnit", "leadUnit", "cooperatingUnit", "leads", "hasAssignment", "assignedUnit",
               "role", "chainElement", "element", "industry", "groupKind", "groupPurpose", "indicator", "city",
               "statedIn", "targetYear", "inferredTargetYear", "textSelection", "period", "wikidataItem"}
    data = {"position", "taskNumber", "sectionNumber", "nameAsWritten", "restoredName", "alias", "evidence",
            "flag", "value", "valueMax", "unit", "comparator", "object", "content", "gbt2260Code"}
    for names, kind in ((classes, OWL.Class), (objects, OWL.ObjectProperty), (data, OWL.DatatypeProperty)):
        for local in sorted(names):
            assert (HK[local], RDF.type, kind) in ontology, f"hk:{local} is not an {kind}"
    assert (HK.partOf, RDF.type, OWL.TransitiveProperty) in ontology
    assert (HK.leadUnit, RDFS.subPropertyOf, HK.involvesUnit) in ontology
    assert (HK.cooperatingUnit, RDFS.subPropertyOf, HK.involvesUnit) in ontology
    assert (HK.leads, OWL.inverseOf, HK.leadUnit) in ontology


def test_every_hk_term_in_model_and_builder_is_declared(ontology):
    declared = {str(t)[len(str(HK)):] for t in hk_terms(ontology)}
    model = (ROOT / "ontology" / "MODEL.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\bhk:([A-Za-z]\w*)", model))
    builder = ROOT / "graph" / "rdf.py"
    if builder.exists():
        used |= set(re.findall(r"\bHK\.([A-Za-z]\w*)", builder.read_text(encoding="utf-8")))
    assert used - declared == set()


def test_every_hk_term_has_labels_and_a_definition(ontology):
    terms = hk_terms(ontology)
    assert len(terms) > 50
    for term in sorted(terms):
        labels = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"zh", "en"} <= labels, f"{term}: labels {labels}"
        definitions = {d.language for d in ontology.objects(term, SKOS.definition)}
        assert "en" in definitions, f"{term} has no skos:definition@en"
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI
    labels = Counter((str(label).lower(), label.language) for term in terms
                     for label in ontology.objects(term, RDFS.label))
    assert [label for label, n in labels.items() if n > 1] == [], "two terms share a label"


def test_external_terms_are_declared_with_their_vocabulary(ontology):
    vocabularies = set(ontology.objects(None, RDFS.isDefinedBy)) | {ONTOLOGY_IRI}
    vocabularies |= set(ontology.objects(ONTOLOGY_IRI, OWL.versionIRI))
    own = (str(HK), str(OWL), str(RDF), str(RDFS), "http://www.w3.org/2001/XMLSchema#")
    external = {t for triple in ontology for t in triple
                if isinstance(t, URIRef) and not str(t).startswith(own) and t not in vocabularies}
    assert len(external) > 30
    for term in sorted(external):
        assert any((term, RDF.type, kind) in ontology for kind in TERM_TYPES), f"{term} is not declared"
        assert ontology.value(term, RDFS.isDefinedBy) is not None, f"{term} has no rdfs:isDefinedBy"
    for base in ("http://www.w3.org/ns/org#", "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/",
                 "http://www.w3.org/ns/prov#", "http://purl.org/net/p-plan#", "http://www.w3.org/2006/time#",
                 "http://purl.org/linked-data/cube#", "http://www.w3.org/ns/oa#", "http://data.europa.eu/eli/ontology#"):
        assert any(str(t).startswith(base) for t in external), f"nothing reused from {base}"
    # Reuse by subclassing and sub-properties.
    assert (HK.Agency, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) in ontology
    assert (HK.Task, RDFS.subClassOf, URIRef("http://purl.org/net/p-plan#Step")) in ontology
    assert (HK.Target, RDFS.subClassOf, URIRef("http://purl.org/linked-data/cube#Observation")) in ontology


def test_ontology_loads_in_owlready2_from_ntriples_and_rdfxml(ontology, tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    for fmt, extension, owl_format in (("nt", "nt", "ntriples"), ("xml", "owl", "rdfxml")):
        path = tmp_path / f"healthkg.{extension}"
        path.write_bytes(ontology.serialize(format=fmt, encoding="utf-8"))
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(format=owl_format)
            classes = list(world.classes())
            assert len(classes) > 0
            assert world[str(HK.JointlyLedTask)] is not None
            assert world[str(HK.partOf)] is not None
        finally:
            world.close()


@needs_java
def test_no_hk_class_is_unsatisfiable(ontology):
    result = reason(ontology)
    assert result.reasoner == HERMIT
    assert result.unsatisfiable == ()
    assert len(result.inferred) == 0


# ---------------------------------------------------------------------------------------------------
# Inferences on a hand-made graph
# ---------------------------------------------------------------------------------------------------

def types(result) -> set:
    return set(result.inferred.subject_objects(RDF.type))


@needs_java
def test_hermit_classifies_defined_classes(tiny_result):
    assert tiny_result.reasoner == HERMIT
    found = types(tiny_result)
    t1, t2, t3 = (HKD[f"plan/p/task/{t}"] for t in ("t1", "t2", "t3"))
    assert (t1, HK.JointlyLedTask) in found
    assert (t2, HK.JointlyLedTask) not in found
    assert (t3, HK.JointlyLedTask) in found          # e is distinct from c although only its range types it
    assert (t1, HK.CrossChainTask) in found
    assert (t2, HK.CrossChainTask) not in found and (t3, HK.CrossChainTask) not in found
    lead_bodies = {s for s, o in found if o == HK.LeadBody}
    assert lead_bodies == {HKD["agency/a"], HKD["agency/b"], HKD["agency/c"], HKD["agency/e"]}
    assert (HKD["agency/e"], HK.ResponsibleParty) in found     # from the range of hk:leadUnit


@needs_java
def test_property_values_are_materialised(tiny_result):
    inferred = tiny_result.inferred
    t1 = HKD["plan/p/task/t1"]
    assert set(inferred.objects(t1, HK.involvesUnit)) == {HKD["agency/a"], HKD["agency/b"], HKD["agency/c"]}
    assert set(inferred.objects(HKD["agency/a"], HK.leads)) == {t1, HKD["plan/p/task/t2"]}
    assert (t1, HK.partOf, HKD["plan/p"]) in inferred                     # through two sections
    assert (t1, HK.partOf, HKD["plan/p/section/s1"]) in inferred
    assert (HKD["plan/p/section/s1.1"], HK.partOf, HKD["plan/p"]) in inferred


@needs_java
def test_only_new_triples_in_our_namespaces(tiny_result):
    graph = with_ontology(tiny_graph())
    for s, p, o in tiny_result.inferred:
        assert (s, p, o) not in graph
        assert str(s).startswith((str(HKD), str(HKC)))
        if p == RDF.type:
            assert str(o).startswith(str(HK)), o
        else:
            assert str(p).startswith(str(HK)), p
    counts = tiny_result.counts
    assert counts["inferred_triples"] == len(tiny_result.inferred)
    assert counts["rdf:type hk:JointlyLedTask"] == 2
    assert tiny_result.seconds >= tiny_result.reasoner_seconds > 0


@needs_java
def test_reasoning_is_deterministic_and_ignores_unused_assertions(tiny_result, tmp_path, monkeypatch):
    working, temporary = tmp_path / "work", tmp_path / "tmp"
    working.mkdir()
    temporary.mkdir()
    monkeypatch.chdir(working)
    # a temporary folder of its own: another process reasoning at the same time leaves its folders in /tmp
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    again = reason(with_ontology(tiny_graph()))
    noisy = reason(with_ontology(tiny_graph(NOISE.replace(PREFIXES, ""))))
    assert again.sorted_triples() == tiny_result.sorted_triples()
    assert noisy.sorted_triples() == tiny_result.sorted_triples()
    assert list(working.iterdir()) == [], "reason() left files in the working folder"
    assert list(temporary.iterdir()) == [], "reason() left its temporary folder behind"


def test_ontology_is_added_when_missing():
    graph = tiny_graph()
    prepared = preparing.prepare(graph, None)
    assert (HK.JointlyLedTask, RDF.type, OWL.Class) in prepared.tbox
    assert len(graph) == len(tiny_graph()), "the input graph is not modified"


def test_reasoner_input_declares_individuals_and_distinctness():
    prepared = preparing.prepare(tiny_graph(), None)
    individuals = set(prepared.input.subjects(RDF.type, OWL.NamedIndividual))
    assert {HKD["plan/p/task/t1"], HKD["agency/e"], HKC["element/medical"]} <= individuals
    groups = [set(g) for g in prepared.distinct_groups]
    assert {HKD["agency/a"], HKD["agency/b"], HKD["agency/c"], HKD["agency/e"]} in groups
    assert {HKC["element/medical"], HKC["element/elderly-care"]} in groups
    assert (None, RDF.type, OWL.AllDifferent) in prepared.input


# ---------------------------------------------------------------------------------------------------
# Inconsistency
# ---------------------------------------------------------------------------------------------------

INCONSISTENT = {
    "task and agency": ("<plan/p/task/x> a hk:Task , hk:Agency .", "hkd:plan/p/task/x", "DisjointClasses"),
    "task as a lead unit": ("<plan/p/task/t2> hk:leadUnit <plan/p/task/t1> .", "hkd:plan/p/task/t1",
                            "DisjointClasses"),
    "two units for one assignment": (
        "<plan/p/task/t1/lead/1> a hk:Assignment ; hk:assignedUnit ag:a , ag:b .",
        "hkd:plan/p/task/t1/lead/1", "FunctionalProperty(hk:assignedUnit)"),
    "unknown comparator": ('<plan/p/target/g1> a hk:Target ; hk:comparator "≥" .', "hkd:plan/p/target/g1",
                           "DataPropertyRange(hk:comparator"),
    "a task in a city": ("<plan/p/task/t2> hk:city <city/laibin> .", "hkd:plan/p/task/t2", "ObjectUnionOf"),
}


@needs_java
@pytest.mark.parametrize("case", sorted(INCONSISTENT))
def test_inconsistency_names_individual_and_axiom(case):
    extra, individual, axiom = INCONSISTENT[case]
    with pytest.raises(InconsistentOntology) as caught:
        reason(with_ontology(tiny_graph(extra)))
    message = str(caught.value)
    assert "HermiT" in message and individual in message and axiom in message, message
    assert str(HKD[individual.split(":", 1)[1]]) in caught.value.individuals
    assert any(axiom in a for a in caught.value.axioms)
    assert "java" not in message.lower()


@needs_java
def test_unexplained_inconsistency_is_narrowed_down_by_hermit():
    extra = """
    hk:testRelation a owl:ObjectProperty , owl:IrreflexiveProperty .
    <plan/p/task/t2> hk:testRelation <plan/p/task/t2> .
    """
    with pytest.raises(InconsistentOntology) as caught:
        reason(with_ontology(tiny_graph(extra)))
    assert caught.value.individuals == [str(HKD["plan/p/task/t2"])]
    assert "hkd:plan/p/task/t2" in str(caught.value)


# ---------------------------------------------------------------------------------------------------
# Without Java
# ---------------------------------------------------------------------------------------------------

def no_java(monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)


def test_fallback_without_java(monkeypatch, tiny_result_or_none):
    no_java(monkeypatch)
    result = reason(with_ontology(tiny_graph()))
    assert result.reasoner == OWLRL
    assert "HermiT not run (no java on PATH)" in result.note
    found = types(result)
    assert (HKD["plan/p/task/t1"], HK.JointlyLedTask) in found
    assert (HKD["plan/p/task/t2"], HK.JointlyLedTask) not in found
    assert (HKD["plan/p/task/t1"], HK.CrossChainTask) in found
    assert (HKD["agency/a"], HK.LeadBody) in found and (HKD["agency/d"], HK.LeadBody) not in found
    assert (HKD["plan/p/task/t1"], HK.partOf, HKD["plan/p"]) in result.inferred
    if tiny_result_or_none is not None:
        hermit = tiny_result_or_none
        properties = lambda r: {t for t in r.inferred if t[1] != RDF.type}  # noqa: E731
        assert properties(result) == properties(hermit)
        assert result.sorted_triples() == hermit.sorted_triples()


def test_fallback_when_java_does_not_start(monkeypatch, tmp_path):
    fake = tmp_path / "java"
    fake.write_text("#!/bin/sh\necho 'Error: could not create the Java Virtual Machine' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: str(fake))
    result = reason(with_ontology(tiny_graph()))
    assert result.reasoner == OWLRL
    assert "exits with 1" in result.note


def test_fallback_inconsistency_names_individual(monkeypatch):
    no_java(monkeypatch)
    with pytest.raises(InconsistentOntology) as caught:
        reason(with_ontology(tiny_graph("<plan/p/task/x> a hk:Task , hk:Agency .")))
    assert "hkd:plan/p/task/x" in str(caught.value)
    assert OWLRL in str(caught.value)


# ---------------------------------------------------------------------------------------------------
# The bundled plans
# ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def full_graph(laibin, liuzhou):
    rdf = pytest.importorskip("healthkg.graph.rdf.build")
    texts = {records["plan"]["id"]: path.read_text(encoding="utf-8")
             for records, path in ((laibin, LAIBIN), (liuzhou, LIUZHOU))}
    return rdf.build_graph([laibin, liuzhou], texts)


@needs_java
def test_reasoning_on_both_plans(full_graph, laibin, liuzhou, capsys):
    result = reason(with_ontology(full_graph))
    assert result.reasoner == HERMIT
    with capsys.disabled():
        print(f"\n[reasoning] {result.reasoner}: {len(result.inferred)} new triples in {result.seconds:.2f} s "
              f"(HermiT {result.reasoner_seconds:.2f} s); "
              + ", ".join(f"{k} {v}" for k, v in result.counts.items() if k.startswith(("rdf:type", "hk:"))))
    found = types(result)
    tasks = [(records["plan"]["id"], task) for records in (laibin, liuzhou) for task in records["tasks"]]

    def task_iri(plan_id, task):
        return HKD[f"plan/{plan_id}/task/{task['id']}"]

    jointly = {task_iri(p, t) for p, t in tasks if len({body["id"] for body in t["lead"]}) >= 2}
    assert {s for s, o in found if o == HK.JointlyLedTask} == jointly
    assert jointly, "both plans have tasks with two or more lead units"
    elements = Counter(s for s in full_graph.subjects(HK.chainElement, None))
    assert {s for s, o in found if o == HK.CrossChainTask} == {s for s, n in elements.items() if n >= 2}
    leaders = {HKD[f"agency/{body['id']}"] for _, t in tasks for body in t["lead"]}
    assert {s for s, o in found if o == HK.LeadBody} == leaders
    for s, o in full_graph.subject_objects(HK.leadUnit):
        assert (s, HK.involvesUnit, o) in result.inferred
        assert (o, HK.leads, s) in result.inferred
    for plan_id, task in tasks:
        assert (task_iri(plan_id, task), HK.partOf, HKD[f"plan/{plan_id}"]) in result.inferred


# ---------------------------------------------------------------------------------------------------
# HermiT's check of the rules engine's answer (what the main job runs)
# ---------------------------------------------------------------------------------------------------

def rules_answer(graph: Graph):
    prepared = preparing.prepare(graph)
    return prepared, reason(graph, engine="rules", prepared=prepared)


def changed(answer, drop: tuple | None = None, add: tuple | None = None):
    """The answer with one class membership taken out or put in."""
    import dataclasses

    inferred, types_ = Graph(), set(answer.types)
    for triple in answer.inferred:
        if triple != drop:
            inferred.add(triple)
    if drop:
        types_.discard((drop[0], drop[2]))
    if add:
        inferred.add(add)
        types_.add((add[0], add[2]))
    return dataclasses.replace(answer, inferred=inferred, types=frozenset(types_))


@needs_java
def test_hermit_confirms_the_rules_engines_answer(tiny_result):
    prepared, answer = rules_answer(tiny_graph())
    checked = hermit_check.check_with_hermit(prepared, answer)
    assert checked.reasoner == HERMIT and checked.confirmed
    assert checked.sorted_triples() == tiny_result.sorted_triples()      # HermiT's own realisation


@needs_java
def test_an_answer_missing_an_entailed_membership_is_not_confirmed(tiny_result):
    # t3 has two lead units (c, and e typed only by a range): jointly led, whatever the rules said
    prepared, answer = rules_answer(tiny_graph())
    missing = (HKD["plan/p/task/t3"], RDF.type, HK.JointlyLedTask)
    assert missing in answer.inferred
    checked = hermit_check.check_with_hermit(prepared, changed(answer, drop=missing))
    assert not checked.confirmed and checked.reasoner == HERMIT      # HermiT realised the graph itself
    assert missing in checked.inferred
    assert checked.sorted_triples() == tiny_result.sorted_triples()


@needs_java
def test_an_answer_claiming_a_membership_not_entailed_is_not_confirmed(tiny_result):
    # t2 has one lead unit: not jointly led; agency d leads nothing: no lead body
    prepared, answer = rules_answer(tiny_graph())
    for wrong in ((HKD["plan/p/task/t2"], RDF.type, HK.JointlyLedTask), (HKD["agency/d"], RDF.type, HK.LeadBody)):
        checked = hermit_check.check_with_hermit(prepared, changed(answer, add=wrong))
        assert not checked.confirmed and wrong not in checked.inferred
        assert checked.sorted_triples() == tiny_result.sorted_triples()


@needs_java
def test_the_check_reports_an_inconsistent_input_whatever_the_answer():
    # an answer for the consistent graph, checked against an agency that is also a task (the two
    # classes are disjoint): no model, so nothing is confirmed and the inconsistency is named
    _, answer = rules_answer(tiny_graph())
    broken = preparing.prepare(tiny_graph("ag:a a hk:Task ."))
    with pytest.raises(InconsistentOntology, match="agency/a"):
        hermit_check.check_with_hermit(broken, answer)
