"""The ontology and the release as any OWL 2 DL tool reads them (issue 17 item 6): datatypes of the OWL 2
datatype map only, external super-types stated, the unique names the defined classes need published, and
HermiT in strict mode (owlready2's bundled HermiT, nothing ignored, nothing prepared) consistent on the
ontology plus the release, recovering the defined classes' members from the release alone."""
from __future__ import annotations

import shutil
from collections import defaultdict
from functools import lru_cache

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from healthkg.graph.app.pipeline import ONTOLOGY, RELEASE
from healthkg.ontology.reasoning import hermit, tbox
from healthkg.ontology.reasoning.engine import reason
from healthkg.ontology.reasoning.result import ReasoningError
from healthkg.ontology.reasoning.terms import HERMIT

HK = Namespace("https://w3id.org/healthkg/ontology#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes
OUR = ("https://w3id.org/healthkg/id/", "https://w3id.org/healthkg/concept/")
DEFINED = (HK.JointlyLedTask, HK.CrossChainTask, HK.LeadBody)

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus rdf:langString, the datatype
# RDF 1.1 gives a language-tagged string (rdf:PlainLiteral in OWL 2's terms).
_XSD_IN_MAP = ("decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int "
               "short byte unsignedLong unsignedInt unsignedShort unsignedByte double float string "
               "normalizedString token language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI "
               "dateTime dateTimeStamp").split()
OWL2_DATATYPES = {XSD[name] for name in _XSD_IN_MAP} | {
    OWL.real, OWL.rational, RDFS.Literal, RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString}
# Annotation properties OWL 2 has built in; the others are declared in the ontology.
BUILT_IN_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo,
                        OWL.deprecated, OWL.priorVersion, OWL.backwardCompatibleWith, OWL.incompatibleWith}


@lru_cache(maxsize=1)
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@lru_cache(maxsize=1)
def release() -> Graph:
    return Graph().parse(RELEASE, format="nt")


def _datatype(literal: Literal) -> URIRef:
    return RDF.langString if literal.language else (literal.datatype or XSD.string)


def _outside_the_map() -> list[tuple]:
    """(predicate, datatype) of every literal a reasoner reads (not an annotation) whose datatype the
    OWL 2 datatype map lacks, in the ontology (ranges, restrictions) and the release."""
    annotations = set(ontology().subjects(RDF.type, OWL.AnnotationProperty)) | BUILT_IN_ANNOTATIONS
    found = set()
    for graph in (ontology(), release()):
        for s, p, o in graph:
            if isinstance(o, Literal) and p not in annotations and _datatype(o) not in OWL2_DATATYPES:
                found.add((p, _datatype(o)))
    for p in ontology().subjects(RDF.type, OWL.DatatypeProperty):
        for range_ in ontology().objects(p, RDFS.range):
            if isinstance(range_, URIRef) and range_ not in OWL2_DATATYPES:
                found.add((p, range_))
    return sorted(found)


def test_every_datatype_a_reasoner_reads_is_in_the_owl2_map():
    """Plan periods' years, dates and deadlines (xsd:gYear, xsd:date) are annotations; the rest is in the map."""
    assert _outside_the_map() == []
    annotations = set(ontology().subjects(RDF.type, OWL.AnnotationProperty))
    time, eli = Namespace("http://www.w3.org/2006/time#"), Namespace("http://data.europa.eu/eli/ontology#")
    assert {time.inXSDgYear, time.inXSDDate, eli.date_document} <= annotations
    assert not {time.inXSDgYear, time.inXSDDate, eli.date_document} & set(
        ontology().subjects(RDF.type, OWL.DatatypeProperty)), "an annotation property is nothing else"


def test_external_super_types_are_stated():
    """Every instance of one of our classes is stated to be an instance of each class above it, ours or
    reused (a plan an eli:LegalResource, a body an org:Organization, a task a p-plan:Step)."""
    graph, schema = release(), tbox.Schema(ontology())
    missing, checked = [], 0
    for individual, cls in graph.subject_objects(RDF.type):
        if not str(individual).startswith(OUR):
            continue
        for ancestor in schema.ancestors(cls) - {cls}:
            if str(ancestor).startswith(str(OWL)):
                continue
            checked += 1
            if (individual, RDF.type, ancestor) not in graph:
                missing.append((individual, cls, ancestor))
    assert checked > 1000 and missing == []
    org, pplan = Namespace("http://www.w3.org/ns/org#"), Namespace("http://purl.org/net/p-plan#")
    eli = Namespace("http://data.europa.eu/eli/ontology#")
    for ours, reused in ((HK.Agency, org.Organization), (HK.Task, pplan.Step), (HK.Plan, eli.LegalResource)):
        members = set(graph.subjects(RDF.type, ours))
        assert members and members <= set(graph.subjects(RDF.type, reused)), reused


def test_the_unique_names_the_defined_classes_need_are_published():
    """Every two lead units of one task, and every two chain elements of one task, are owl:differentFrom
    in the release (without blank nodes: no owl:AllDifferent list)."""
    graph = release()
    different = {frozenset(pair) for pair in graph.subject_objects(OWL.differentFrom)}
    pairs = 0
    for counted in (HK.leadUnit, HK.chainElement):
        values = defaultdict(set)
        for s, o in graph.subject_objects(counted):
            values[s].add(o)
        for found in values.values():
            ordered = sorted(found)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    pairs += 1
                    assert frozenset((a, b)) in different, (counted, a, b)
    assert pairs > 20
    assert not any(isinstance(t, BNode) for triple in graph for t in triple)


needs_java = pytest.mark.skipif(hermit.hermit_problem() is not None or shutil.which("java") is None,
                                reason=f"HermiT cannot run: {hermit.hermit_problem()}")


def _without_defined_members(*dropped_predicates) -> Graph:
    """The ontology plus the release, less the memberships of the defined classes (and the predicates
    given): what HermiT has to find again from the data alone."""
    graph = Graph()
    for source in (ontology(), release()):
        for triple in source:
            if not (triple[1] == RDF.type and triple[2] in DEFINED) and triple[1] not in dropped_predicates:
                graph.add(triple)
    return graph


def _members_by_counting(predicate, at_least: int) -> set:
    """Subjects with at least so many different values of the predicate in the release, counted here."""
    values = defaultdict(set)
    for s, o in release().subject_objects(predicate):
        values[s].add(o)
    return {s for s, found in values.items() if len(found) >= at_least}


@needs_java
def test_strict_hermit_on_ontology_and_release_recovers_the_defined_classes(capsys):
    graph = _without_defined_members()
    check = hermit.hermit_strict(graph.serialize(format="nt", encoding="utf-8"))
    assert check.consistent, check.error
    found = defaultdict(set)
    for individual, cls in check.types:
        found[cls].add(individual)
    tasks = set(release().subjects(RDF.type, HK.Task))
    expected = {HK.JointlyLedTask: _members_by_counting(HK.leadUnit, 2) & tasks,
                HK.CrossChainTask: _members_by_counting(HK.chainElement, 2) & tasks,
                HK.LeadBody: set(release().objects(None, HK.leadUnit)) & set(release().subjects(RDF.type, HK.Agency))}
    for cls, members in expected.items():
        assert members and found[cls] == members, cls
    with capsys.disabled():
        print(f"\nHermiT strict on ontology + release: consistent in {check.seconds:.1f} s; recovered "
              + ", ".join(f"{cls.split('#')[1]} {len(found[cls])} of {len(members)}"
                          for cls, members in expected.items()))


@needs_java
def test_without_the_published_unique_names_the_counted_classes_are_not_recovered():
    """OWL has no unique-name assumption: the owl:differentFrom triples are what make two lead units two."""
    graph = _without_defined_members(OWL.differentFrom)
    check = hermit.hermit_strict(graph.serialize(format="nt", encoding="utf-8"))
    assert check.consistent, check.error
    classes = {cls for _, cls in check.types}
    assert HK.JointlyLedTask not in classes and HK.CrossChainTask not in classes
    assert HK.LeadBody in classes, "an existential needs no distinct names"


def test_strict_hermit_names_an_unsupported_datatype(tmp_path):
    """The check can fail: a gYear literal in a data property assertion stops strict HermiT."""
    if hermit.hermit_problem():
        pytest.skip(hermit.hermit_problem())
    document = (f"<{HK}year> <{RDF.type}> <{OWL.DatatypeProperty}> .\n"
                f"<urn:x:a> <{HK}year> \"2022\"^^<{XSD.gYear}> .\n").encode()
    check = hermit.hermit_strict(document)
    assert not check.consistent and "UnsupportedDatatypeException" in check.error and "gYear" in check.error


@needs_java
def test_the_builds_own_hermit_is_strict_too():
    """The main job's HermiT runs without --ignoreUnsupportedDatatypes: a literal outside the OWL 2 datatype
    map that a logical axiom reads (hk:gbt2260Code is a functional data property) stops it, loudly, instead of
    being dropped from what it reasons over."""
    graph = Graph()
    place = URIRef("https://w3id.org/healthkg/id/city/testcity")
    graph.add((place, RDF.type, HK.City))
    graph.add((place, HK.gbt2260Code, Literal("2021", datatype=XSD.gYear)))
    with pytest.raises(ReasoningError, match="UnsupportedDatatypeException"):
        reason(graph, ontology())
    graph.set((place, HK.gbt2260Code, Literal("451300")))
    assert reason(graph, ontology()).reasoner == HERMIT
