"""The reused W3C and EU vocabularies as their specifications say (issue 17 items 1-3, 9): one responsibility
node for tasks and chain leads, PROV for provenance only, ELI's legal resource / expression / format, ORG's
classification, purpose and sub-organisations, groups of bodies that are no organisations, links out and
DCAT for the release.

Expected values come from reading the two plans (titles, the documents they say they implement, bracket
names such as 鹿寨县, the bodies named), from the GB/T 2260 codes of 来宾市 and 柳州市, and from hashing the
source files here; never from the program's output."""
from __future__ import annotations

import hashlib

import pytest
from conftest import LAIBIN, LIUZHOU, ROOT
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF

from healthkg.graph.extract.decode import read_text
from healthkg.graph.rdf.build import build_graph

HK = Namespace("https://w3id.org/healthkg/ontology#")
HKC = Namespace("https://w3id.org/healthkg/concept/")
HKD = Namespace("https://w3id.org/healthkg/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LAIBIN_PLAN, LIUZHOU_PLAN = HKD["plan/laibin-2019-22"], HKD["plan/liuzhou-2020-9"]


@pytest.fixture(scope="module")
def graph(laibin, liuzhou):
    texts = {records["plan"]["id"]: read_text(path, records["plan"]["encoding"])[0]
             for records, path in ((laibin, LAIBIN), (liuzhou, LIUZHOU))}
    return build_graph([laibin, liuzhou], texts)


# ---------------------------------------------------------------- item 1: responsibility, not provenance

@pytest.mark.parametrize("term", [PROV.agent, PROV.hadRole, PROV.Association, HK.leadingUnit, HK.kind,
                                  HK.implementsDocument, HK.sourceText, ELI.implements, DCTERMS.date])
def test_no_removed_term_is_written(graph, term):
    assert not list(graph.triples((None, term, None))) and not list(graph.triples((None, RDF.type, term)))


def test_chain_leads_and_assignments_are_one_kind_of_node(graph):
    for kind in (HK.Assignment, HK.ChainLead):
        nodes = set(graph.subjects(RDF.type, kind))
        assert nodes
        for node in nodes:
            assert len(set(graph.objects(node, HK.assignedUnit))) == 1, node
            assert len(set(graph.objects(node, HK.role))) == 1, node


def test_everything_a_body_leads_is_one_pattern(graph):
    # 柳州: 市民政局负责牵头抓健康养老产业发展 (a chain lead) besides the tasks it leads
    civil = HKD["agency/liuzhou-civil-affairs-bureau"]
    roles = {graph.value(r, HK.role) for r in graph.subjects(HK.assignedUnit, civil)}
    assert {HKC["role/lead"], HKC["role/industry-lead"]} <= roles


def test_the_name_as_written_is_the_quote(graph):
    for assignment in graph.subjects(RDF.type, HK.Assignment):
        selection = graph.value(assignment, HK.textSelection)
        quote = graph.value(URIRef(f"{selection}".rsplit("/selection", 1)[0] + "/quote"), OA.exact)
        assert str(graph.value(assignment, HK.nameAsWritten)) == str(quote), assignment


def test_a_county_written_bare_keeps_its_name_and_gets_the_restored_one(graph):
    # 柳州's brackets name 鹿寨县 for the county's government
    written = [a for a in graph.subjects(HK.nameAsWritten, Literal("鹿寨县", lang="zh"))]
    assert written
    assert {graph.value(a, HK.restoredName) for a in written} == {Literal("鹿寨县人民政府", lang="zh")}


def test_the_release_provenance(graph, laibin, liuzhou):
    release = HKD["release"]
    run = graph.value(release, PROV.wasGeneratedBy)
    assert (run, RDF.type, PROV.Activity) in graph
    used = set(graph.objects(run, PROV.used))
    for plan, path in ((LAIBIN_PLAN, LAIBIN), (LIUZHOU_PLAN, LIUZHOU)):
        text = HKD[f"{str(plan)[len(str(HKD)):]}/text"]
        assert text in used
        checksum = graph.value(text, SPDX.checksum)
        # both files are UTF-8 with \n line ends: the hash of the text read equals the file's
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(path.read_bytes()).hexdigest()
    software = graph.value(run, PROV.wasAssociatedWith)
    assert (software, RDF.type, PROV.SoftwareAgent) in graph
    assert not [p for p in set(graph.predicates()) if "Time" in str(p) and "prov" in str(p)]   # no time: deterministic


def test_each_fact_is_derived_from_its_span_by_the_ontology():
    from rdflib import Graph
    from rdflib.namespace import RDFS
    ontology = Graph().parse(ROOT / "ontology" / "healthkg.ttl")
    assert (HK.textSelection, RDFS.subPropertyOf, PROV.wasDerivedFrom) in ontology


# ---------------------------------------------------------------- item 2: ELI

@pytest.mark.parametrize("plan, document_type", [(LAIBIN_PLAN, "implementation-programme"),   # …实施方案
                                                 (LIUZHOU_PLAN, "action-plan")])            # …三年行动计划(2020-2022)
def test_plans_are_legal_resources_as_eli_says(graph, plan, document_type):
    assert (plan, RDF.type, ELI.LegalResource) in graph
    assert graph.value(plan, ELI.type_document) == HKC[f"document-type/{document_type}"]
    assert isinstance(graph.value(plan, ELI.jurisdiction), URIRef)
    assert set(graph.objects(plan, ELI.is_about)) <= {HKC[f"element/{e}"] for e in (
        "medical", "elderly-care", "health-management", "food", "tourism", "sports")}
    assert graph.value(plan, ELI.is_about) is not None
    source = graph.value(plan, DCTERMS.source)
    assert isinstance(source, URIRef) and str(source).startswith("http")
    expression = graph.value(plan, ELI.is_realized_by)
    assert (expression, RDF.type, ELI.LegalExpression) in graph
    text = graph.value(expression, ELI.is_embodied_by)
    assert (text, RDF.type, ELI.Format) in graph and (text, RDF.type, HK.SourceText) in graph


def test_both_plans_apply_the_regions_document(graph):
    # both plans say they implement 桂政发〔2019〕33号
    document = next(graph.subjects(ELI.id_local, Literal("桂政发〔2019〕33号")))
    assert (LAIBIN_PLAN, ELI.applies, document) in graph and (LIUZHOU_PLAN, ELI.applies, document) in graph
    assert (document, RDF.type, ELI.LegalResource) in graph
    assert graph.value(LAIBIN_PLAN, ELI.id_local) == Literal("来政发〔2019〕22号")


# ---------------------------------------------------------------- item 3: ORG

@pytest.mark.parametrize("group", ["liuzhou-county-governments", "liuzhou-all-relevant-departments",
                                   "laibin-county-governments"])
def test_placeholders_are_groups_not_organisations(graph, group):
    node = HKD[f"agency/{group}"]
    assert (node, RDF.type, HK.BodyGroup) in graph and (node, RDF.type, HK.Agency) not in graph
    for predicate in (ORG.classification, ORG.purpose, ORG.subOrganizationOf):
        assert graph.value(node, predicate) is None
    assert graph.value(node, HK.groupKind) is not None


def test_local_government_counts_only_organisations(graph):
    # 柳州 names 柳南区 … 鹿寨县 governments one by one and 各县区人民政府 as a placeholder
    organisations = {s for s in graph.subjects(ORG.purpose, HKC["function/local-government"])
                     if (s, RDF.type, HK.Agency) in graph or (s, RDF.type, HK.CityGovernment) in graph}
    assert HKD["agency/liuzhou-county-governments"] not in organisations
    assert HKD["agency/liuzhou-luzhai-county-government"] in organisations


@pytest.mark.parametrize("body, belongs", [
    ("liuzhou-civil-affairs-bureau", True),                       # a bureau of the city
    ("liuzhou-banking-insurance-regulatory-branch", False),       # 银保监分局: vertically managed
    ("laibin-drug-administration-laibin-branch", False),          # 自治区药监局来宾检查分局: a regional office
    ("liuzhou-water-group", False),                               # 市水务集团: a state-owned enterprise
    ("liuzhou-organisation-department", False),                   # 市委组织部: the Party committee's
    ("liuzhou-luzhai-county-government", False),                  # a people's government of its own
])
def test_sub_organisations_of_the_city_government(graph, body, belongs):
    government = HKD[f"agency/{body.split('-')[0]}-government"]
    assert ((HKD[f"agency/{body}"], ORG.subOrganizationOf, government) in graph) is belongs


def test_kind_is_a_classification_and_functions_a_purpose(graph):
    civil = HKD["agency/liuzhou-civil-affairs-bureau"]
    assert graph.value(civil, ORG.classification) == HKC["kind/municipal-department"]
    assert set(graph.objects(civil, ORG.purpose)) == {HKC["function/civil-affairs"]}


# ---------------------------------------------------------------- item 9: links out, licence, DCAT

@pytest.mark.parametrize("city, code", [("laibin", "451300"), ("liuzhou", "450200")])
def test_cities_have_their_gbt2260_codes(graph, city, code):
    assert graph.value(HKD[f"city/{city}"], HK.gbt2260Code) == Literal(code)


def test_the_release_is_a_dcat_dataset_with_a_licence(graph):
    release = HKD["release"]
    assert (release, RDF.type, DCAT.Dataset) in graph
    assert graph.value(release, DCTERMS.license) is not None
    files = {str(graph.value(d, DCTERMS.title)): graph.value(d, DCAT.mediaType)
             for d in graph.objects(release, DCAT.distribution)}
    assert set(files) == {"healthkg.ttl", "healthkg.nt", "healthkg.jsonld"}
    assert str(files["healthkg.nt"]).endswith("application/n-triples")
