"""ontology/docs.py: a self-contained, escaped HTML page of the ontology."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import OWL, RDF, RDFS

from healthkg.ontology.docs import render_ontology_html

ONTOLOGY_FILE = ROOT / "ontology" / "healthkg.ttl"
HK = Namespace("https://w3id.org/healthkg/ontology#")
SKOS_DEFINITION = Namespace("http://www.w3.org/2004/02/skos/core#").definition

SMALL = """
@prefix hk: <https://w3id.org/healthkg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .

<https://w3id.org/healthkg/ontology> a owl:Ontology ;
    dcterms:title "small test ontology"@en , "小本体"@zh ;
    dcterms:description "A & B <b>not bold</b>"@en .
org:Organization a owl:Class ; rdfs:label "Organization"@en ;
    rdfs:isDefinedBy <http://www.w3.org/ns/org> .
hk:Task a owl:Class ; rdfs:label "任务"@zh , "Task"@en ; skos:definition "A task."@en .
hk:Agency a owl:Class ; rdfs:subClassOf org:Organization ; rdfs:label "单位"@zh , "Agency"@en .
hk:LeadBody a owl:Class ; rdfs:label "牵头单位"@zh , "Lead body"@en ;
    owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( hk:Agency
        [ a owl:Restriction ; owl:onProperty hk:leads ; owl:someValuesFrom hk:Task ] ) ] .
hk:JointlyLedTask a owl:Class ; rdfs:label "Jointly led task"@en ;
    owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( hk:Task
        [ a owl:Restriction ; owl:onProperty hk:leadUnit ; owl:minCardinality "2"^^xsd:nonNegativeInteger ] ) ] .
hk:leadUnit a owl:ObjectProperty ; rdfs:domain hk:Task ; rdfs:range hk:Agency ;
    rdfs:subPropertyOf hk:involvesUnit ; rdfs:label "牵头单位"@zh , "lead unit"@en .
hk:involvesUnit a owl:ObjectProperty ; rdfs:label "involves unit"@en .
hk:leads a owl:ObjectProperty ; owl:inverseOf hk:leadUnit ; rdfs:label "leads"@en .
hk:partOf a owl:ObjectProperty , owl:TransitiveProperty ; rdfs:label "part of"@en .
hk:city a owl:ObjectProperty , owl:FunctionalProperty ; rdfs:label "city"@en ;
    rdfs:domain [ a owl:Class ; owl:unionOf ( hk:Task hk:Agency ) ] .
hk:comparator a owl:DatatypeProperty ; rdfs:label "comparator"@en ;
    rdfs:range [ a rdfs:Datatype ; owl:oneOf ( ">=" "=" "<=" "~" ) ] .
"""


class _Page(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: list[str] = []
        self.text_parts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"])

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)


def _ontologies():
    graphs = [("small", Graph().parse(data=SMALL, format="turtle"))]
    if ONTOLOGY_FILE.exists():
        graphs.append(("healthkg.ttl", Graph().parse(ONTOLOGY_FILE, format="turtle")))
    return graphs


ONTOLOGIES = dict(_ontologies())


def _hk_terms(graph: Graph):
    types = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    return sorted({s for t in types for s in graph.subjects(RDF.type, t) if str(s).startswith(str(HK))})


@pytest.fixture(scope="module", params=sorted(ONTOLOGIES))
def rendered(request):
    graph = ONTOLOGIES[request.param]
    return graph, render_ontology_html(graph)


def test_the_real_ontology_is_documented_when_present():
    if not ONTOLOGY_FILE.exists():
        pytest.skip("ontology/healthkg.ttl not written yet")
    assert "healthkg.ttl" in ONTOLOGIES


def test_the_page_has_every_hk_term_with_its_labels_and_an_anchor(rendered):
    graph, page = rendered
    parsed = _Page(page)
    terms = _hk_terms(graph)
    assert terms
    for term in terms:
        local = str(term)[len(str(HK)):]
        anchor = f"hk-{local}"
        assert anchor in parsed.ids, f"no anchor for {term}"
        assert f"hk:{local}" in parsed.text
        for label in graph.objects(term, RDFS.label):
            assert str(label) in parsed.text, f"label {label!r} of {term} missing"
        for definition in graph.objects(term, SKOS_DEFINITION):
            assert str(definition) in parsed.text, f"definition of {term} missing"
    assert len(parsed.ids) == len(set(parsed.ids)), "anchors are unique"


def test_the_table_of_contents_links_to_anchors_in_the_page(rendered):
    _, page = rendered
    parsed = _Page(page)
    links = [a["href"] for tag, a in parsed.tags if tag == "a" and "href" in a]
    assert links
    assert all(link.startswith("#") and link[1:] in parsed.ids for link in links)
    assert {"toc", "namespaces", "classes"} <= set(parsed.ids)


def test_the_page_is_self_contained(rendered):
    _, page = rendered
    parsed = _Page(page)
    for tag, attributes in parsed.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        for name in ("href", "src", "srcset", "action", "data", "poster"):
            value = attributes.get(name) or ""
            assert "http://" not in value and "https://" not in value and "//" not in value[:2], (tag, name, value)
    assert not re.search(r"url\(|@import", page), "no external CSS resource"
    # the only place an IRI may appear is the text of the page (shown IRIs), never inside a tag
    for match in re.finditer(r"https?://", page):
        before = page[: match.start()]
        assert before.rfind("<") < before.rfind(">"), f"IRI inside a tag at {match.start()}"


def test_the_page_shows_structure_readably():
    graph = ONTOLOGIES["small"]
    text = _Page(render_ontology_html(graph)).text
    assert "small test ontology" in text and "小本体" in text
    assert "A & B <b>not bold</b>" in text  # escaped, so it is text, not markup
    assert "hk:Agency and (hk:leads some hk:Task)" in text
    assert "hk:Task and (hk:leadUnit min 2)" in text
    assert "hk:Task or hk:Agency" in text
    assert '{ ">=", "=", "<=", "~" }' in text
    for word in ("transitive", "functional", "inverse of", "sub-property of", "subclass of", "org:Organization"):
        assert word in text, word
    assert "https://w3id.org/healthkg/ontology#Task" in text  # IRIs are shown as text
    assert "http://www.w3.org/2002/07/owl#" in text  # in the namespaces table


def test_a_label_with_markup_is_escaped():
    graph = Graph().parse(data=SMALL, format="turtle")
    evil = '<script>alert("x")</script>'
    graph.add((HK.Task, RDFS.label, Literal(evil, lang="en")))
    graph.add((HK.Task, SKOS_DEFINITION, Literal("<img src=x onerror=alert(1)>", lang="en")))
    graph.add((HK.leadUnit, RDFS.label, Literal('" onmouseover="alert(1)', lang="en")))
    page = render_ontology_html(graph)
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "&lt;script&gt;alert(" in page  # escaped by the template (whichever form it uses for quotes)
    parsed = _Page(page)
    assert evil in parsed.text
    assert all("onmouseover" not in attributes and "onerror" not in attributes for _, attributes in parsed.tags)


def test_the_page_is_deterministic():
    first = render_ontology_html(Graph().parse(data=SMALL, format="turtle"))
    second = render_ontology_html(Graph().parse(data=SMALL, format="turtle"))
    assert first == second
    assert first.startswith("<!DOCTYPE html>")
