"""Records -> RDF: stable ASCII IRIs, exact provenance spans, byte-identical serialisations."""
import json
from functools import lru_cache

import pyoxigraph
import pytest
from conftest import LAIBIN, LIUZHOU, extract_records
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from healthkg.graph.extract.decode import read_text
from healthkg.graph.extract.records import extract_text
from healthkg.graph.rdf.build import build_graph
from healthkg.graph.rdf.serialize import serialisations, sorted_ntriples
from healthkg.graph.rdf.triples import TripleSet, has_blank_nodes, ntriples
from healthkg.graph.rdf.vocab import HK, HKD, OA


def _texts(*paths):
    return {extract_records(p)["plan"]["id"]: read_text(p)[0] for p in paths}


@lru_cache(maxsize=None)
def both_plans():
    return build_graph([extract_records(LAIBIN), extract_records(LIUZHOU)], _texts(LAIBIN, LIUZHOU))


def test_every_iri_is_ascii():
    graph = both_plans()
    bad = {str(term) for triple in graph for term in triple if isinstance(term, URIRef) and not str(term).isascii()}
    assert not bad


def test_every_selector_pair_matches_the_source_text():
    graph = both_plans()
    texts = {URIRef(HKD[f"plan/{pid}/text"]): text for pid, text in _texts(LAIBIN, LIUZHOU).items()}
    checked = 0
    for selection in graph.subjects(RDF.type, OA.SpecificResource):
        source = texts[graph.value(selection, OA.hasSource)]
        selectors = list(graph.objects(selection, OA.hasSelector))
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        assert source[start:end] == str(graph.value(quote, OA.exact)), selection
        checked += 1
    tasks = len(extract_records(LAIBIN)["tasks"]) + len(extract_records(LIUZHOU)["tasks"])
    assert checked > tasks * 2  # tasks, their assignments, targets and chain leads all carry spans


@pytest.mark.parametrize("kind", [HK.Task, HK.Assignment, HK.Target, HK.ChainLead])
def test_every_record_kind_carries_a_selection(kind):
    graph = both_plans()
    nodes = list(graph.subjects(RDF.type, kind))
    assert nodes
    assert all(graph.value(node, HK.textSelection) is not None for node in nodes)


def test_counts_match_the_documents():
    """30 + 60 tasks and 37 + 159 target mentions, as read in tests/gold; 35 of Liuzhou's mentions state
    again a target stated before them (listed in tests/test_targets_indicators.py), so 37 + 124 targets,
    each with a text selection per mention."""
    graph = both_plans()
    assert len(set(graph.subjects(RDF.type, HK.Task))) == 90
    targets = set(graph.subjects(RDF.type, HK.Target))
    assert len(targets) == 37 + 159 - 35
    assert sum(len(set(graph.objects(t, HK.textSelection))) for t in targets) == 37 + 159


# (rdflib's XSD namespace object warns when pytest inspects the module's names)
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


@pytest.mark.parametrize("obj", [
    URIRef("http://example.org/b"), BNode("b1"), Literal("plain"), Literal("汉字", lang="zh"),
    Literal("typed", datatype=XSD_STRING), Literal("12.50", datatype=XSD_DECIMAL), Literal(7),
    Literal('quote " backslash \\ newline \n return \r'), Literal('ends in a quote"', lang="en"),
    Literal('three """ quotes\n', datatype=XSD_STRING),
])
def test_rows_are_written_as_rdflibs_serializer_writes_them(obj):
    """The writer of the build's N-Triples (kept in the order given) spells each row as rdflib's own
    N-Triples serializer does, for every kind of object and the characters that serializer escapes."""
    triple = (URIRef("http://example.org/a"), URIRef("http://example.org/p"), obj)
    graph = Graph()
    graph.add(triple)
    assert ntriples([triple]) == graph.serialize(format="nt", encoding="utf-8").strip(b"\n") + b"\n"


def test_two_builds_are_byte_identical():
    first = serialisations(both_plans())
    second = serialisations(build_graph([extract_records(LIUZHOU), extract_records(LAIBIN)],
                                        _texts(LAIBIN, LIUZHOU)))
    assert first == second


def test_blank_nodes_are_found_wherever_they_are_and_refused_by_the_serialiser():
    class Labelled(BNode):       # a kind of blank node is one too
        pass

    iri, other = URIRef("http://example.org/a"), URIRef("http://example.org/b")
    plain = TripleSet([(iri, RDF.type, other), (iri, RDF.value, Literal("x"))])
    assert not has_blank_nodes(plain)
    for triple in [(BNode("s"), RDF.type, other), (iri, RDF.value, BNode("o")), (iri, RDF.value, Labelled("o"))]:
        with_blank = plain + [triple]
        assert has_blank_nodes(with_blank)
        with pytest.raises(ValueError, match="blank nodes in the graph"):
            sorted_ntriples(with_blank)


def test_json_ld_has_one_node_a_line_and_the_same_triples():
    written = serialisations(both_plans())
    lines = written["jsonld"].split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""]
    nodes = [json.loads(line.removesuffix(",")) for line in lines[1:-2]]
    assert all(isinstance(node, dict) and "@id" in node for node in nodes)
    assert len({node["@id"] for node in nodes}) == len(nodes)     # each resource on one line only
    def triples(text, kind):
        return set(pyoxigraph.parse(text.encode("utf-8"), format=kind))

    formats = pyoxigraph.RdfFormat
    assert triples(written["jsonld"], formats.JSON_LD) == triples(written["nt"], formats.N_TRIPLES)


def test_an_edit_to_one_plan_leaves_the_other_plans_iris_alone():
    laibin = extract_records(LAIBIN)
    liuzhou_text = read_text(LIUZHOU)[0]
    edited = liuzhou_text.replace("(一)突出发展健康养老产业\n",
                                  "(一)突出发展健康养老产业\n1. 新增一项任务。(牵头单位:市民政局)\n", 1)
    edited_records = extract_text(edited)
    original = build_graph([laibin, extract_records(LIUZHOU)], _texts(LAIBIN, LIUZHOU))
    changed = build_graph([laibin, edited_records], {laibin["plan"]["id"]: read_text(LAIBIN)[0],
                                                     edited_records["plan"]["id"]: edited})
    prefix = str(HKD[f"plan/{laibin['plan']['id']}/"])

    def laibin_lines(graph):
        return [line for line in sorted_ntriples(graph).splitlines() if line.startswith(f"<{prefix}")]

    assert laibin_lines(original) == laibin_lines(changed)
    assert len(extract_records(LIUZHOU)["tasks"]) + 1 == len(edited_records["tasks"])


def test_jointly_led_task_has_two_lead_shortcuts_and_assignments():
    """Laibin task 14 is led by 市工信局, 市卫生健康委 and 自治区药监局来宾检查分局."""
    graph = both_plans()
    task = HKD["plan/laibin-2019-22/task/s2.4-t14"]
    assert len(set(graph.objects(task, HK.leadUnit))) == 3
    roles = [graph.value(a, HK.role) for a in graph.objects(task, HK.hasAssignment)]
    assert sorted(str(r).rsplit("/", 1)[1] for r in roles) == ["cooperating", "lead", "lead", "lead"]
