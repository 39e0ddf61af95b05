"""The targets as an RDF Data Cube (W3C RDF Data Cube Vocabulary): one data set, its structure, one
observation per target, and the integrity constraints of the spec's section 11 as violation queries.

Expected figures come from the plans' texts: 柳州市's goals part (“力争到2022年,培育……1个以上培育国家森林康养基地”)
and its task 3.3-3 (“到2022年,培育……1家国家森林康养基地”) are two targets of one indicator, place and year.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph
import pytest
from conftest import LAIBIN, LIUZHOU, RELEASE, extract_records

from healthkg.graph.check.validate import violation_queries

HK = "https://w3id.org/healthkg/ontology#"
HKD = "https://w3id.org/healthkg/id/"
HKC = "https://w3id.org/healthkg/concept/"
QB = "http://purl.org/linked-data/cube#"
PREFIXES = f"""PREFIX hk: <{HK}>
PREFIX hkd: <{HKD}>
PREFIX hkc: <{HKC}>
PREFIX qb: <{QB}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
# The integrity constraints of section 11 that apply to a cube without slices, measure dimension or
# hierarchical code lists.
APPLICABLE = {1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 19}
IC_QUERIES = {name: text for name, text in violation_queries().items() if name.startswith("cube-ic")}
FOREST = "国家森林康养基地"


@lru_cache(maxsize=None)
def release_bytes() -> bytes:
    return RELEASE.read_bytes()


def store(update: str | None = None) -> pyoxigraph.Store:
    """The release in a fresh store, changed by a SPARQL update when given (a corrupted copy)."""
    result = pyoxigraph.Store()
    result.load(release_bytes(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    if update:
        result.update(PREFIXES + update)
    return result


@lru_cache(maxsize=None)
def release() -> pyoxigraph.Store:
    return store()


def rows(s: pyoxigraph.Store, query: str) -> list[dict]:
    result = s.query(query if query.lstrip().startswith("PREFIX") else PREFIXES + query)
    names = [v.value for v in result.variables]
    return [{n: (None if row[n] is None else row[n].value) for n in names} for row in result]


def count(s: pyoxigraph.Store, pattern: str) -> int:
    return int(rows(s, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0]["n"])


def ic_rows(s: pyoxigraph.Store) -> dict[str, int]:
    return {name: len(rows(s, text)) for name, text in sorted(IC_QUERIES.items())}


def test_the_applicable_integrity_constraints_are_all_there():
    numbers = {int(re.match(r"cube-ic(\d+)-", name).group(1)) for name in IC_QUERIES}
    assert numbers == APPLICABLE
    for name, text in IC_QUERIES.items():
        assert "# Scope: plan" in text, name     # run plan by plan in corpus builds too


def test_one_observation_per_target():
    s = release()
    targets = count(s, "?x a hk:Target")
    # the other observations are the per-plan summaries' (tests/test_summaries.py), in their own data sets
    assert count(s, "?x a qb:Observation FILTER NOT EXISTS { ?x qb:dataSet/qb:structure/qb:component/"
                    "qb:componentProperty hk:summaryPlan }") == targets
    # one per target record that restates no earlier one
    records = [extract_records(LAIBIN), extract_records(LIUZHOU)]
    assert targets == sum(1 for r in records for t in r["targets"] if not t["restates"])
    assert count(s, "?x a qb:Observation ; qb:dataSet <https://w3id.org/healthkg/id/dataset/targets>") == targets


def test_one_data_set_with_its_structure():
    s = release()
    # the targets, and the four per-plan summaries (assignments, elements, industries, indicators)
    assert count(s, "?x a qb:DataSet") == 5
    assert count(s, "?x a qb:DataSet FILTER (STRSTARTS(STR(?x), 'https://w3id.org/healthkg/id/dataset/summary/'))") == 4
    found = rows(s, """SELECT ?kind ?property ?required WHERE {
        <https://w3id.org/healthkg/id/dataset/targets> qb:structure ?dsd .
        ?dsd a qb:DataStructureDefinition ; qb:component ?c .
        ?c qb:componentProperty ?property ; qb:componentRequired ?required . ?property a ?kind .
        FILTER (?kind IN (qb:DimensionProperty, qb:MeasureProperty, qb:AttributeProperty)) }""")
    by_kind = {}
    for row in found:
        by_kind.setdefault(row["kind"].rsplit("#", 1)[1], set()).add(row["property"].rsplit("#", 1)[1])
    assert by_kind["DimensionProperty"] == {"city", "targetYear", "indicator", "statedIn"}
    assert by_kind["MeasureProperty"] == {"value"}
    assert {"unit", "comparator", "valueMax", "per", "unitMeasure"} <= by_kind["AttributeProperty"]


def test_every_integrity_constraint_holds_on_the_release():
    assert ic_rows(release()) == {name: 0 for name in IC_QUERIES}


def _first_target(where: str) -> str:
    return rows(release(), f"SELECT ?t WHERE {{ ?t a hk:Target . {where} }} ORDER BY ?t LIMIT 1")[0]["t"]


def test_an_observation_missing_a_dimension_is_caught():
    target = _first_target("")
    corrupted = store(f"DELETE WHERE {{ <{target}> hk:targetYear ?year }}")
    found = rows(corrupted, IC_QUERIES["cube-ic11-all-dimensions-required"])
    assert [(r["obs"], r["dim"]) for r in found] == [(target, HK + "targetYear")]


def test_a_duplicate_observation_is_caught():
    """Two targets of one key: the forest-base target of task 3.3-3 said to be stated by the goals part's span."""
    pair = rows(release(), f"""SELECT ?t ?statement WHERE {{
        ?t a hk:Target ; hk:indicator/skos:prefLabel "{FOREST}"@zh ; hk:statedIn ?statement }} ORDER BY ?t""")
    assert len(pair) == 2 and pair[0]["statement"] != pair[1]["statement"]
    (first, _), (second, statement) = [(r["t"], r["statement"]) for r in pair]
    corrupted = store(f"DELETE {{ <{first}> hk:statedIn ?s }} INSERT {{ <{first}> hk:statedIn <{statement}> }} "
                      f"WHERE {{ <{first}> hk:statedIn ?s }}")
    found = rows(corrupted, IC_QUERIES["cube-ic12-no-duplicate-observations"])
    assert [(r["obs1"], r["obs2"]) for r in found] == [tuple(sorted((first, second)))]


def test_an_observation_missing_its_measure_is_caught():
    target = _first_target("")
    corrupted = store(f"DELETE WHERE {{ <{target}> hk:value ?value }}")
    found = rows(corrupted, IC_QUERIES["cube-ic14-all-measures-present"])
    assert [(r["obs"], r["measure"]) for r in found] == [(target, HK + "value")]
    assert ic_rows(corrupted)["cube-ic14-all-measures-present"] == 1


def test_a_code_outside_its_list_and_a_structure_without_range_are_caught():
    target = _first_target("")
    corrupted = store(f"""DELETE {{ <{target}> hk:indicator ?i }}
                          INSERT {{ <{target}> hk:indicator <{HKC}function/health> }}
                          WHERE {{ <{target}> hk:indicator ?i }} ;
                          DELETE WHERE {{ hk:statedIn rdfs:range ?range }}""")
    found = ic_rows(corrupted)
    assert found["cube-ic19-codes-from-code-list"] == 1
    assert found["cube-ic04-dimension-range"] == 1


def test_two_targets_of_one_indicator_place_and_year_differ_by_their_statement():
    """The goals part's 1个以上 and task 3.3-3's 1家 国家森林康养基地, both by 2022, in 柳州市."""
    found = rows(release(), f"""SELECT ?t ?value ?comparator ?unit ?year ?city ?code ?statement ?quote WHERE {{
        ?t hk:indicator/skos:prefLabel "{FOREST}"@zh ; hk:value ?value ; hk:comparator ?comparator ; hk:unit ?unit ;
           hk:targetYear/skos:notation ?year ; hk:city ?cityNode ; hk:statedIn ?statement .
        ?statement oa:hasSelector/oa:exact ?quote .
        ?cityNode rdfs:label ?city ; hk:gbt2260Code ?code . FILTER (LANG(?city) = "zh") }} ORDER BY ?comparator""")
    assert [(r["value"], r["comparator"], r["unit"], r["year"], r["city"], r["code"], r["quote"]) for r in found] == [
        ("1", "=", "家", "2022", "柳州市", "450200", "1家国家森林康养基地"),
        ("1", ">=", "个", "2022", "柳州市", "450200", "1个以上培育国家森林康养基地")]
    for row in found:     # each keyed by its own first span
        assert row["statement"] == row["t"] + "/selection"
    task = rows(release(), f"SELECT ?task WHERE {{ <{found[0]['t']}> hk:partOf ?task . ?task a hk:Task }}")
    assert [r["task"].rsplit("/", 1)[1] for r in task] == ["s3.3-t3"]
    assert rows(release(), f"SELECT ?task WHERE {{ <{found[1]['t']}> hk:partOf ?task . ?task a hk:Task }}") == []


def test_the_areas_carry_their_gb_t_2260_codes():
    found = rows(release(), """SELECT ?city ?code WHERE { ?t a hk:Target ; hk:city ?c . ?c rdfs:label ?city ;
        hk:gbt2260Code ?code . FILTER (LANG(?city) = "zh") } GROUP BY ?city ?code ORDER BY ?city""")
    # one name for the code: the area carries no second spelling of it
    assert rows(release(), "SELECT ?c WHERE { ?t a hk:Target ; hk:city ?c . ?c skos:notation ?code }") == []
    assert [(r["city"], r["code"]) for r in found] == [("来宾市", "451300"), ("柳州市", "450200")]


def test_a_target_without_a_year_says_so_and_keeps_its_inferred_year_apart():
    """来宾 task 2.1-1: 10个老年宜居社区 with no year; the plan runs to 2021."""
    found = rows(release(), """SELECT ?period ?inferred WHERE { ?t hk:indicator/skos:prefLabel "老年宜居社区"@zh ;
        hk:city/rdfs:label "来宾市"@zh ; hk:targetYear ?period ; hk:inferredTargetYear/skos:notation ?inferred }""")
    assert found == [{"period": HKC + "period/no-year", "inferred": "2021"}]


def test_years_are_iris_never_gyear_literals():
    """Years are IRIs (year concepts, hkc:period/no-year), never xsd:gYear literals on targets."""
    assert count(release(), "?x a hk:Target ; ?p ?o . FILTER (isLiteral(?o) && DATATYPE(?o) = xsd:gYear)") == 0
    assert count(release(), "?x a hk:Target ; hk:targetYear ?year") == count(release(), "?x a hk:Target")


def test_units_have_their_code_where_one_exists():
    found = {(r["unit"], r["code"]) for r in rows(release(), """SELECT DISTINCT ?unit ?code WHERE {
        ?t a hk:Target ; hk:unit ?unit . OPTIONAL { ?t sdmx-attribute:unitMeasure ?code } }""")}
    codes = {unit: code for unit, code in found}
    assert codes["个"] == codes["家"] == "http://qudt.org/vocab/unit/NUM"
    assert codes["%"] == "http://qudt.org/vocab/unit/PERCENT"
    assert codes["亩"] is None                    # a Chinese unit of area with no QUDT unit
    assert len(codes) == len(found), "one code per written unit"


def test_every_indicator_has_a_chinese_and_an_english_label_generated_ones_marked():
    s = release()
    indicators = count(s, "?t a hk:Target ; hk:indicator ?x")
    for lang in ("zh", "en"):
        assert count(s, f'?t a hk:Target ; hk:indicator ?x . ?x skos:prefLabel ?l . FILTER (LANG(?l) = "{lang}")') \
            == indicators
    generated = rows(s, """SELECT ?x ?en ?note WHERE { ?t a hk:Target ; hk:indicator ?x .
        ?x skos:prefLabel ?en . FILTER (LANG(?en) = "en" && STRSTARTS(?en, "Indicator (pinyin): "))
        OPTIONAL { ?x skos:editorialNote ?note } }""")
    assert generated and all(r["note"] for r in generated)
    # a curated label (graph/data/indicators.tsv) is not marked
    assert count(s, '?x skos:prefLabel "Family-doctor contract rate"@en ; skos:editorialNote ?n') == 0


def test_a_restated_target_is_one_observation_with_several_spans():
    """柳州's goals part: 10个老年人宜居社区 by 2022, restated in tasks 3.1-1 and 3.1-2."""
    found = rows(release(), """SELECT ?t (COUNT(DISTINCT ?s) AS ?spans) (COUNT(DISTINCT ?task) AS ?tasks) WHERE {
        ?t a qb:Observation ; hk:indicator/skos:prefLabel "老年宜居社区"@zh ; hk:city/rdfs:label "柳州市"@zh ;
           hk:textSelection ?s ; hk:partOf ?task . ?task a hk:Task } GROUP BY ?t""")
    assert [(r["spans"], r["tasks"]) for r in found] == [("3", "2")]


@pytest.mark.parametrize("name", sorted(IC_QUERIES))
def test_each_integrity_constraint_query_parses_on_rdflib_too(name):
    from rdflib.plugins.sparql import prepareQuery
    prepareQuery(IC_QUERIES[name])
