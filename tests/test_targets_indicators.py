"""Targets as a policy researcher compares them (issue 15, item 6): one indicator for a name written two
ways, counts compared whatever the measure word, a restated target counted once with every span, the
plan's target year for a task's target that names none (marked as inferred), and frequencies kept.

Expected values are read in the plans (graph/sources/*.txt; the passages are quoted beside each case) or
come from the invented plans below; none is copied from the program's output.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pytest
from conftest import LAIBIN, LIUZHOU, extract_records
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from healthkg.graph.extract.decode import read_text
from healthkg.graph.extract.records import extract_text
from healthkg.graph.rdf.build import build_graph
from healthkg.graph.rdf.serialize import sorted_ntriples
from healthkg.graph.rdf.vocab import HK, HKC, HKD, OA
from healthkg.queries import library, runner
from healthkg.queries.stores import OxigraphStore, RdflibStore

LAIBIN_PLAN, LIUZHOU_PLAN = "laibin-2019-22", "liuzhou-2020-9"
# Not rdflib's XSD: pytest probes the names of a test module, and that namespace warns on unknown ones.


def _target(records: dict, task: str | None, value, unit: str, words: str) -> dict:
    """The one mention of (task, value, unit) whose text holds `words`."""
    found = [t for t in records["targets"] if t["task"] == task and t["unit"] == unit
             and Decimal(str(t["value"])) == Decimal(str(value)) and words in t["text"]]
    assert len(found) == 1, (task, value, unit, words, [t["text"] for t in found])
    return found[0]


# ------------------------------------------------------------------------------- indicators written two ways

def test_the_elderly_communities_both_plans_set_are_one_indicator(laibin, liuzhou):
    # 来宾 2.1-1: "…、10个老年宜居社区和8个区域性农村养老服务中心"
    # 柳州 主要目标: "…、10个老年人宜居社区、8个老年护理院"; 3.1-1 and 3.1-2 say it again
    ours = _target(laibin, "s2.1-t1", 10, "个", "老年宜居社区")
    theirs = _target(liuzhou, None, 10, "个", "老年人宜居社区")
    assert ours["indicator"] == theirs["indicator"]
    assert (ours["object"], theirs["object"]) == ("老年宜居社区", "老年人宜居社区")   # as written


@pytest.mark.parametrize("first, second", [
    # 柳州 goals "6个富硒农产品生产示范基地" / 3.5-3 "6个富硒农产品生产基地"
    ((None, 6, "个", "富硒农产品生产示范基地"), ("s3.5-t3", 6, "个", "富硒农产品生产基地")),
    # 柳州 goals "250个畜禽渔业生态认证养殖场" / 3.5-4 "完成畜禽生态养殖认证250个"
    ((None, 250, "个", "畜禽渔业生态认证养殖场"), ("s3.5-t4", 250, "个", "畜禽生态养殖认证")),
    # 柳州 goals "2个民族传统体育基地" / 3.6-3 "2个民族传统体育运动基地"
    ((None, 2, "个", "民族传统体育基地"), ("s3.6-t3", 2, "个", "民族传统体育运动基地")),
    # 柳州 goals "中药材种植面积发展到14万亩" / 3.2-5 "中草药种植面积达14万亩"
    ((None, 140000, "亩", "中药材种植面积"), ("s3.2-t5", 140000, "亩", "中草药种植面积")),
    # 柳州 goals "1个以上培育国家森林康养基地" / 3.3-3 "1家国家森林康养基地": the verb is no part of the name
    ((None, 1, "个", "国家森林康养基地"), ("s3.3-t3", 1, "家", "国家森林康养基地")),
], ids=["selenium-bases", "eco-livestock-farms", "ethnic-sports-bases", "herb-area", "forest-wellness-base"])
def test_names_written_two_ways_in_liuzhou_are_one_indicator(liuzhou, first, second):
    assert _target(liuzhou, *first)["indicator"] == _target(liuzhou, *second)["indicator"]


def test_the_firms_over_100_million_yuan_of_both_plans_are_one_indicator(laibin, liuzhou):
    # 来宾 2.10-30 "争取实现1-2家年产值过亿元医药企业"; 柳州 健康医药方面 "10家以上超亿元企业"
    assert _target(laibin, "s2.10-t30", 1, "家", "年产值过亿元医药企业")["indicator"] == \
        _target(liuzhou, None, 10, "家", "超亿元企业")["indicator"]


def test_names_that_differ_in_substance_stay_apart(liuzhou):
    # 柳州 goals "5个城区体育公园" and 来宾 "3个体育公园": a scope, not a spelling
    laibin = extract_records(LAIBIN)
    assert _target(laibin, "s2.5-t17", 3, "个", "体育公园")["indicator"] != \
        _target(liuzhou, None, 5, "个", "城区体育公园")["indicator"]
    # 柳州 goals "10亿元产值企业" (one firm of 1 billion) is not 超亿元企业
    assert _target(liuzhou, None, 1, "家", "10亿元产值企业")["indicator"] != \
        _target(liuzhou, None, 10, "家", "超亿元企业")["indicator"]


# ------------------------------------------------------------------------------------------ restatements

# Every mention of Liuzhou's tasks that states again a target stated before it, read in the text:
# (task, value, unit, words of the mention) -> (owner of the first mention, words of it). Goals part
# (主要目标) targets are due 2022 ("力争到2022年"); the tasks' figures below are due 2022 as well (by a
# "到2022年" of their own, or inferred: 3.6-1's last sentence names no year).
LIUZHOU_RESTATED = [
    (("s3.1-t1", 10, "个", "老年人宜居社区"), (None, "老年人宜居社区")),
    (("s3.1-t1", 8, "个", "老年护理院"), (None, "老年护理院")),
    (("s3.1-t1", 10, "个", "养老服务示范机构"), (None, "养老服务示范机构")),
    (("s3.1-t1", 10, "个", "区域性农村养老服务中心"), (None, "区域性农村养老服务中心")),
    (("s3.1-t1", 35, "张", "每千名老人床位"), (None, "每千名老人床位")),
    (("s3.1-t1", 50, "%", "护理型养老床位占比"), (None, "护理型养老床位占比")),
    (("s3.1-t2", 10, "个", "老年人宜居社区"), (None, "老年人宜居社区")),
    (("s3.2-t1", 6.5, "张", "每千常住人口床位数"), (None, "每千常住人口床位数")),
    (("s3.2-t5", 140000, "亩", "中草药种植面积"), (None, "中药材种植面积")),
    (("s3.2-t5", 4, "个", "药材种植示范基地"), (None, "药材种植示范基地")),
    (("s3.2-t5", 2, "个", "大宗优质中药材生产基地"), (None, "大宗优质中药材生产基地")),
    (("s3.2-t7", 0.85, "张", "社会办医床位数"), (None, "社会办医床位数")),
    (("s3.3-t3", 2, "家", "森林康养体验基地"), (None, "森林康养体验基地")),      # 2家 restates 2个
    (("s3.4-t1", 5, "个", "市级工程"), (None, "市级工程")),
    (("s3.4-t1", 1, "个", "生物医药制造业集聚区"), (None, "生物医药制造业集聚区")),
    (("s3.4-t5", 1, "家", "10亿元产值企业"), (None, "10亿元产值企业")),
    (("s3.4-t5", 10, "家", "超亿元企业"), (None, "超亿元企业")),
    (("s3.5-t3", 6, "个", "富硒农产品生产基地"), (None, "富硒农产品生产示范基地")),
    (("s3.5-t3", 5000, "亩", "富硒农产品示范基地"), (None, "0.5万亩富硒农产品示范基地")),
    (("s3.5-t4", 250, "个", "畜禽生态养殖认证"), (None, "畜禽渔业生态认证养殖场")),
    (("s3.5-t7", 220, "个", "产品总数"), (None, "产品总数")),
    (("s3.5-t11", 5, "个", "农产品品牌"), (None, "农产品品牌")),
    (("s3.6-t1", 5, "个", "城区体育公园"), (None, "城区体育公园")),
    (("s3.6-t1", 2, "个", "民族传统体育基地"), (None, "民族传统体育基地")),
    (("s3.6-t1", 5, "个", "县级全民健身中心"), (None, "县级全民健身中心")),
    (("s3.6-t1", 30, "个", "社区健身中心"), (None, "社区健身中心")),
    (("s3.6-t1", 30, "个", "社区多功能运动场"), (None, "社区多功能运动场")),
    (("s3.6-t1", 68, "个", "足球场"), (None, "足球场")),
    (("s3.6-t1", 12, "条", "健身步道"), (None, "健身步道")),
    (("s3.6-t1", 12, "条", "慢行交通"), (None, "慢行交通")),
    (("s3.6-t1", 20, "个", "村级篮球场"), (None, "村级篮球场")),
    (("s3.6-t1", 1, "个", "自治区级体育产业示范基地"), (None, "自治区级体育产业示范基地")),
    (("s3.6-t1", 1, "个", "市级体育产业示范基地"), (None, "市级体育产业示范基地")),
    (("s3.6-t3", 2, "个", "民族传统体育运动基地"), (None, "民族传统体育基地")),
    (("s3.6-t3", 5, "家", "健康运动龙头企业"), (None, "健康运动龙头企业")),
]


def _first_mention(records, owner, words, value):
    """The first mention: in the owner's part, with `words` in its text and the same value (its unit may
    be another measure word: 2个 for 2家)."""
    found = [t for t in records["targets"] if t["task"] == owner and words in t["text"]
             and Decimal(str(t["value"])) == Decimal(str(value))]
    assert len(found) == 1, (owner, words, value)
    return found[0]


def test_liuzhou_restatements_are_the_ones_read_in_the_text(liuzhou):
    expected = {}
    for (task, value, unit, words), (owner, first_words) in LIUZHOU_RESTATED:
        mention = _target(liuzhou, task, value, unit, words)
        expected[mention["id"]] = _first_mention(liuzhou, owner, first_words, value)["id"]
    got = {t["id"]: t["restates"] for t in liuzhou["targets"] if t["restates"]}
    assert got == expected
    assert len(expected) == 35


def test_a_restating_mention_keeps_its_own_record_and_span(liuzhou):
    text = read_text(LIUZHOU)[0]
    restating = [t for t in liuzhou["targets"] if t["restates"]]
    by_id = {t["id"]: t for t in liuzhou["targets"]}
    for mention in restating:
        first = by_id[mention["restates"]]
        assert first["restates"] is None                    # always the first mention, never a chain
        assert first["start"] < mention["start"]
        assert text[mention["start"]:mention["end"]] == mention["text"]
    # 3.3-3 "2家森林康养体验基地" restates the goals' "2个森林康养体验基地": each keeps its unit as written
    later = _target(liuzhou, "s3.3-t3", 2, "家", "森林康养体验基地")
    assert (later["unit"], by_id[later["restates"]]["unit"]) == ("家", "个")
    assert later["dimension"] == by_id[later["restates"]]["dimension"] == "count"


def test_figures_that_differ_in_year_or_comparator_are_not_restatements(liuzhou):
    # 3.5-1 "到2020年,培育13个自治区核心示范区": the goals' 13个 are due 2022
    assert _target(liuzhou, "s3.5-t1", 13, "个", "自治区核心示范区")["restates"] is None
    # 3.3-3 "1家国家森林康养基地" against the goals' "1个以上培育国家森林康养基地" (>=)
    assert _target(liuzhou, "s3.3-t3", 1, "家", "国家森林康养基地")["restates"] is None


def test_laibin_states_each_target_once(laibin):
    assert [t["id"] for t in laibin["targets"] if t["restates"]] == []


# ----------------------------------------------------------------------------------------- inferred years

def test_a_tasks_target_without_a_year_takes_the_plans_target_year(laibin, liuzhou):
    # 来宾: period 2019-2021 (the metadata file); 2.1-1 names no year
    community = _target(laibin, "s2.1-t1", 10, "个", "老年宜居社区")
    assert (community["year"], community["inferred_year"]) == (None, 2021)
    # 柳州 (2020-2022年): 3.2-2 "…建设12个兼顾康复医疗的医养结合服务机构" names no year
    centres = _target(liuzhou, "s3.2-t2", 12, "个", "医养结合服务机构")
    assert (centres["year"], centres["inferred_year"]) == (None, 2022)
    # 3.1-7 "到2022年,完成240个为老服务岗位设置": stated, nothing inferred
    posts = _target(liuzhou, "s3.1-t7", 240, "个", "为老服务岗位")
    assert (posts["year"], posts["inferred_year"]) == (2022, None)
    # 3.2-3 "到2020年…4级以上" keeps its own year
    assert _target(liuzhou, "s3.2-t3", 4, "级", "电子病历")["inferred_year"] is None


def test_goal_targets_and_recurring_targets_get_no_inferred_year(laibin, liuzhou):
    assert all(t["inferred_year"] is None for r in (laibin, liuzhou) for t in r["targets"] if t["task"] is None)
    # 柳州 4.3 "每年定期举办1~2次…": recurring, due every year, not by 2022
    fairs = _target(liuzhou, "s4.3-p1", 1, "次", "专题招商推介")
    assert (fairs["year"], fairs["inferred_year"], fairs["per"]) == (None, None, "year")


# ------------------------------------------------------------------------------------------- frequencies

@pytest.mark.parametrize("task, value, value_max, unit, words", [
    # 4.3 "每年定期举办1~2次市级层面大健康产业专题招商推介(洽谈)会…,牵头组织2~3次针对…精准招商"
    ("s4.3-p1", 1, 2, "次", "专题招商推介"),
    ("s4.3-p1", 2, 3, "次", "精准招商"),
    # 4.3 "力争每年实现全市大健康产业招商引资实际到位资金不低于50亿元"
    ("s4.3-p1", 5000000000, None, "元", "实际到位资金"),
    # 3.2-1 "2020-2022年每年安排市财政基建投资预算3000万元"
    ("s3.2-t1", 30000000, None, "元", "3000万元"),
    # 3.5-9 "每年强制监测8万个样本"
    ("s3.5-t9", 80000, None, "个", "样本"),
    # 3.5-4 "年出栏家禽660万羽" (an annual flow)
    ("s3.5-t4", 6600000, None, "羽", "家禽"),
])
def test_liuzhou_recurring_targets_are_per_year(liuzhou, task, value, value_max, unit, words):
    target = _target(liuzhou, task, value, unit, words)
    assert (target["value_max"], target["per"]) == (value_max, "year")


def test_one_off_targets_have_no_frequency(laibin, liuzhou):
    # 来宾 2.8-26 "举办1-2次市级层面大健康产业专题招商推介(洽谈)会": no 每年 in Laibin's text
    assert _target(laibin, "s2.8-t26", 1, "次", "专题招商推介")["per"] is None
    assert all(t["per"] is None for t in laibin["targets"])
    # 柳州 3.5-9 "到2022年,成功组织205个绿色食品…": the 每年 of the sentence before does not reach it
    assert _target(liuzhou, "s3.5-t9", 205, "个", "绿色食品")["per"] is None


# ---------------------------------------------------------------------------------------- the graph

@lru_cache(maxsize=None)
def both_plans():
    texts = {extract_records(p)["plan"]["id"]: read_text(p)[0] for p in (LAIBIN, LIUZHOU)}
    return build_graph([extract_records(LAIBIN), extract_records(LIUZHOU)], texts)


def _node(plan: str, target_id: str) -> URIRef:
    return HKD[f"plan/{plan}/target/{target_id}"]


def test_a_restated_target_is_one_node_with_every_span(liuzhou):
    graph, text = both_plans(), read_text(LIUZHOU)[0]
    first = _target(liuzhou, None, 10, "个", "老年人宜居社区")
    node = _node(LIUZHOU_PLAN, first["id"])
    mentions = [t for t in liuzhou["targets"] if t["id"] == first["id"] or t["restates"] == first["id"]]
    assert [t["task"] for t in mentions] == [None, "s3.1-t1", "s3.1-t2"]
    spans = set()
    for selection in graph.objects(node, HK.textSelection):
        selectors = list(graph.objects(selection, OA.hasSelector))
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        assert text[start:end] == str(graph.value(quote, OA.exact))
        spans.add((start, end))
    assert spans == {(t["start"], t["end"]) for t in mentions}
    tasks = {HKD[f"plan/{LIUZHOU_PLAN}/task/{task}"] for task in ("s3.1-t1", "s3.1-t2")}
    assert set(graph.objects(node, HK.partOf)) == tasks | {HKD[f"plan/{LIUZHOU_PLAN}"]}
    assert graph.value(node, HK.targetYear) == HKD["year/2022"]
    for mention in mentions[1:]:      # no node of its own
        assert (_node(LIUZHOU_PLAN, mention["id"]), RDF.type, HK.Target) not in graph


def test_an_inferred_year_is_its_own_property():
    graph = both_plans()
    laibin = extract_records(LAIBIN)
    node = _node(LAIBIN_PLAN, _target(laibin, "s2.1-t1", 10, "个", "老年宜居社区")["id"])
    assert graph.value(node, HK.targetYear) == HKC["period/no-year"]
    assert graph.value(node, HK.inferredTargetYear) == HKD["year/2021"]
    goal = _node(LAIBIN_PLAN, _target(laibin, None, 0.7, "张", "社会办医床位")["id"])
    assert graph.value(goal, HK.inferredTargetYear) is None


def test_a_restated_year_the_first_mention_leaves_unsaid_is_stated():
    """The goals part states 1个自治区级体育产业示范基地 by 2022; 3.6-1 says it again in a sentence with no
    year (inferred 2022): one target, its year stated."""
    liuzhou = extract_records(LIUZHOU)
    later = _target(liuzhou, "s3.6-t1", 1, "个", "自治区级体育产业示范基地")
    assert (later["year"], later["inferred_year"], later["restates"] is not None) == (None, 2022, True)
    graph, node = both_plans(), _node(LIUZHOU_PLAN, later["restates"])
    assert graph.value(node, HK.targetYear) == HKD["year/2022"]
    assert graph.value(node, HK.inferredTargetYear) is None


def test_frequency_and_quantity_kind_in_the_graph():
    graph = both_plans()
    liuzhou = extract_records(LIUZHOU)
    fairs = _node(LIUZHOU_PLAN, _target(liuzhou, "s4.3-p1", 1, "次", "专题招商推介")["id"])
    assert graph.value(fairs, HK.per) == Literal("year")
    assert graph.value(fairs, HK.quantityKind) == Literal("count")
    area = _node(LIUZHOU_PLAN, _target(liuzhou, None, 140000, "亩", "中药材种植面积")["id"])
    assert graph.value(area, HK.per) is None and graph.value(area, HK.quantityKind) == Literal("area")


# ------------------------------------------------------------------------- the questions, on both engines

@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """The graph of both plans as built now (not the committed release) in Oxigraph and in rdflib."""
    path = tmp_path_factory.mktemp("targets") / "both.nt"
    path.write_text(sorted_ntriples(both_plans()), encoding="utf-8")
    return OxigraphStore(path), RdflibStore(path)


def _rows(store, name):
    return runner.run(library.get(name), store).as_dicts()


def _num(cell) -> Decimal | None:
    return None if cell in (None, "") else Decimal(str(cell))


L, Z = "来宾市", "柳州市"
# The indicators both cities set, with each city's figures: (value, value_max, unit, comparator, per,
# year, year_source). 来宾's goals (工作目标) are due 2021 ("到2021年"); its tasks name no year, so they are
# due by 2021, the end of its period (inferred). 柳州's goals are due 2022 ("力争到2022年"); 3.5-1 sets the
# four demonstration-zone counts for 2020 ("到2020年"), so those are two targets each.
SHARED = {
    "每千常住人口社会办医床位数": {L: {(0.7, None, "张", "=", "", "2021", "stated")},        # 达到0.7张
                          Z: {(0.85, None, "张", ">=", "", "2022", "stated")}},      # 达到0.85张以上
    "人均体育场地面积": {L: {(1.8, None, "平方米", "=", "", "2021", "stated")},
                 Z: {(1.8, None, "平方米", "=", "", "2022", "stated")}},
    "护理型养老床位占比": {L: {(30, None, "%", ">=", "", "2021", "stated")},
                  Z: {(50, None, "%", ">=", "", "2022", "stated")}},
    "中药材种植面积": {L: {(100000, None, "亩", "=", "", "2021", "stated")},             # 10万亩
                Z: {(140000, None, "亩", "=", "", "2022", "stated")}},              # 14万亩
    "富硒农产品示范基地面积": {L: {(100000, None, "亩", "=", "", "2021", "stated")},     # 10万亩
                    Z: {(5000, None, "亩", "=", "", "2022", "stated")}},           # 0.5万亩
    "养老服务示范机构": {L: {(3, None, "个", "=", "", "2021", "inferred")},
                 Z: {(10, None, "个", "=", "", "2022", "stated")}},
    "老年宜居社区": {L: {(10, None, "个", "=", "", "2021", "inferred")},
               Z: {(10, None, "个", "=", "", "2022", "stated")}},
    "区域性农村养老服务中心": {L: {(8, None, "个", "=", "", "2021", "inferred")},
                    Z: {(10, None, "个", "=", "", "2022", "stated")}},
    "自治区级旅游度假区": {L: {(1, None, "家", "=", "", "2021", "inferred")},           # 新评定1家
                  Z: {(1, None, "个", ">=", "", "2022", "stated")}},                # 1个以上
    "民族传统体育基地": {L: {(2, None, "个", "=", "", "2021", "inferred")},
                 Z: {(2, None, "个", "=", "", "2022", "stated")}},
    "县级全民健身中心": {L: {(6, None, "个", "=", "", "2021", "inferred")},
                 Z: {(5, None, "个", "=", "", "2022", "stated")}},
    "社区健身中心": {L: {(5, None, "个", "=", "", "2021", "inferred")},
               Z: {(30, None, "个", "=", "", "2022", "stated")}},
    "足球场": {L: {(5, None, "个", "=", "", "2021", "inferred")},
            Z: {(68, None, "个", "=", "", "2022", "stated")}},
    "健身步道": {L: {(5, None, "条", "=", "", "2021", "inferred")},
             Z: {(12, None, "条", "=", "", "2022", "stated")}},
    "社区多功能运动场": {L: {(5, None, "个", "=", "", "2021", "inferred")},
                 Z: {(30, None, "个", "=", "", "2022", "stated")}},
    "村级篮球场": {L: {(20, None, "个", "=", "", "2021", "inferred")},
              Z: {(20, None, "个", "=", "", "2022", "stated")}},
    "自治区核心示范区": {L: {(2, None, "个", "=", "", "2021", "inferred")},
                 Z: {(13, None, "个", "=", "", "2020", "stated"), (13, None, "个", "=", "", "2022", "stated")}},
    "县级示范区": {L: {(6, None, "个", "=", "", "2021", "inferred")},
              Z: {(30, None, "个", "=", "", "2020", "stated"), (30, None, "个", "=", "", "2022", "stated")}},
    "乡级示范园": {L: {(10, None, "个", "=", "", "2021", "inferred")},
              Z: {(200, None, "个", "=", "", "2020", "stated"), (200, None, "个", "=", "", "2022", "stated")}},
    "村级示范点": {L: {(30, None, "个", "=", "", "2021", "inferred")},
              Z: {(1000, None, "个", "=", "", "2020", "stated"), (1000, None, "个", "=", "", "2022", "stated")}},
    # 来宾 2.8-26 "举办1-2次市级层面大健康产业专题招商推介(洽谈)会"; 柳州 4.3 "每年定期举办1~2次…"
    "市级层面大健康产业专题招商推介": {L: {(1, 2, "次", "=", "", "2021", "inferred")},
                          Z: {(1, 2, "次", "=", "year", "", "")}},
    # 来宾 2.10-30 "1-2家年产值过亿元医药企业"; 柳州 "10家以上超亿元企业"
    "产值超亿元企业": {L: {(1, 2, "家", "=", "", "2021", "inferred")},
                Z: {(10, None, "家", ">=", "", "2022", "stated")}},
}


def test_indicator_comparison_gives_the_shared_indicators_with_both_cities_values(engines):
    for store in engines:
        got: dict = {}
        for row in _rows(store, "indicator-comparison"):
            figure = (_num(row["value"]), _num(row["value_max"]), row["unit"], row["comparator"], row["per"] or "",
                      row["year"] or "", row["year_source"] or "")
            got.setdefault(row["indicator_zh"], {}).setdefault(row["city"], set()).add(figure)
        expected = {indicator: {city: {(_num(f[0]), _num(f[1]), *f[2:]) for f in figures}
                                for city, figures in cities.items()} for indicator, cities in SHARED.items()}
        assert got == expected, store.name


def test_indicator_comparison_rows_count_a_restated_target_once(engines):
    for store in engines:
        rows = [r for r in _rows(store, "indicator-comparison") if r["indicator_zh"] == "老年宜居社区"]
        assert sorted((r["city"], int(r["mentions"])) for r in rows) == [(L, 1), (Z, 3)], store.name
        # one row per target: 22 indicators, four of them with two 柳州 targets (2020 and 2022)
        assert len(_rows(store, "indicator-comparison")) == 2 * 22 + 4


def test_targets_by_year_gives_one_row_per_target_on_both_engines(engines):
    oxigraph, rdflib_store = engines
    rows = _rows(oxigraph, "targets-by-year")
    assert rows == _rows(rdflib_store, "targets-by-year")
    per_city = {city: sum(1 for r in rows if r["city"] == city) for city in (L, Z)}
    assert per_city == {L: 37, Z: 159 - len(LIUZHOU_RESTATED)}
    community = [r for r in rows if r["city"] == Z and r["indicator_zh"] == "老年宜居社区"]
    assert [(r["year"], r["year_source"], int(r["tasks"]), int(r["mentions"])) for r in community] == \
        [("2022", "stated", 2, 3)]
    assert str(community[0]["task"]).endswith("/task/s3.1-t1")


# ------------------------------------------------------------------- the general rules, on invented plans

PLAN = """南山市人民政府关于印发南山市大健康产业发展行动计划（2021—2023年）的通知
南政发〔2021〕8号

南山市大健康产业发展行动计划（2021—2023年）

一、发展目标
到2023年，建成5个老人日间照料中心、3个康养基地、2个以上森林康养基地、4个县级老年人活动中心。

二、重点任务
（一）发展健康养老产业
1.完善养老服务。建成5个老年人日间照料中心、5个县级老年活动中心。（牵头单位：市民政局）
2.发展康养产业。培育3家康养基地，打造2个森林康养基地，新建4所护理院。（牵头单位：市民政局）
3.办好健康活动。每两年举办1次健康博览会，每季度开展2-3次义诊，每3个月通报1次进展。每年培训500名护理员，到2023年建成2个实训基地。（牵头单位：市卫生健康委）
4.发展健康食品。年出栏生猪20万头，建成1个加工园。（牵头单位：市农业农村局）

三、保障措施
（一）加强组织领导。各部门按照职责分工抓好落实。
"""


@lru_cache(maxsize=None)
def invented(text: str = PLAN) -> dict:
    return extract_text(text)


def test_the_invented_plan_reads_its_period():
    assert invented()["plan"]["period"] == {"start": 2021, "end": 2023}


def test_elderly_modifiers_are_one_spelling():
    records = invented()
    assert _target(records, None, 5, "个", "老人日间照料中心")["indicator"] == \
        _target(records, "s2.1-t1", 5, "个", "老年人日间照料中心")["indicator"]
    # after a level (县级老年人 / 县级老年)
    assert _target(records, None, 4, "个", "县级老年人活动中心")["indicator"] == \
        _target(records, "s2.1-t1", 5, "个", "县级老年活动中心")["indicator"]


def test_restatement_rules_on_an_invented_plan():
    records = invented()
    goal_centres = _target(records, None, 5, "个", "老人日间照料中心")
    # same figure, other spelling, year inferred 2023 = the goals' stated 2023: a restatement
    assert _target(records, "s2.1-t1", 5, "个", "老年人日间照料中心")["restates"] == goal_centres["id"]
    # 3家 and 3个 康养基地: measure words of one count
    restated = _target(records, None, 3, "个", "康养基地")
    assert _target(records, "s2.1-t2", 3, "家", "康养基地")["restates"] == restated["id"]
    # 2个 against 2个以上: not the same target
    assert _target(records, "s2.1-t2", 2, "个", "森林康养基地")["restates"] is None
    # 5个 against 4个 of one indicator: not the same target
    assert _target(records, "s2.1-t1", 5, "个", "县级老年活动中心")["restates"] is None


def test_years_inferred_on_an_invented_plan():
    records = invented()
    homes = _target(records, "s2.1-t2", 4, "所", "护理院")
    assert (homes["year"], homes["inferred_year"]) == (None, 2023)
    bases = _target(records, "s2.1-t3", 2, "个", "实训基地")
    assert (bases["year"], bases["inferred_year"], bases["per"]) == (2023, None, None)


@pytest.mark.parametrize("value, value_max, unit, words, per", [
    (1, None, "次", "健康博览会", "2 years"),
    (2, 3, "次", "义诊", "quarter"),
    (1, None, "次", "进展", "3 months"),   # 每3个月通报1次进展
    (500, None, "名", "护理员", "year"),
])
def test_frequencies_on_an_invented_plan(value, value_max, unit, words, per):
    target = _target(invented(), "s2.1-t3", value, unit, words)
    assert (target["value_max"], target["per"], target["inferred_year"]) == (value_max, per, None)


def test_an_annual_flow_holds_within_its_clause():
    records = invented()
    assert _target(records, "s2.1-t4", 200000, "头", "生猪")["per"] == "year"
    park = _target(records, "s2.1-t4", 1, "个", "加工园")
    assert (park["per"], park["inferred_year"]) == (None, 2023)


def test_without_a_period_the_goals_year_is_the_plans_target_year():
    text = PLAN.replace("（2021—2023年）", "")
    records = invented(text)
    assert records["plan"]["period"] is None
    assert _target(records, "s2.1-t2", 4, "所", "护理院")["inferred_year"] == 2023


def test_a_frequency_inside_quotes_is_not_read():
    text = PLAN.replace("每两年举办1次健康博览会", "举办“每年一次”主题的1次健康博览会")
    target = _target(invented(text), "s2.1-t3", 1, "次", "健康博览会")
    assert (target["per"], target["inferred_year"]) == (None, 2023)
