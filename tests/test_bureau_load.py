"""Bureaus counted as bureaus, one ranking everywhere, formal coordination beside bracket load.

Expected values come from reading the two plans: the gold files (every task's lead and co-operating bodies
as written) and tests/gold/bodies.json (each of those names read by hand: government department or not,
and its functions); tests/gold_loads.py counts them without the project's tables, graph or queries.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT, extract_records, source_text
from gold_loads import CITIES, WEIGHTINGS, body_loads, function_loads, hand_bodies, ranks

from healthkg.graph.extract.agencies import align
from healthkg.graph.extract.records import extract_text
from healthkg.graph.rdf.build import build_graph
from healthkg.queries import library, load, runner
from healthkg.queries.answers import Answers
from healthkg.queries.library import QueryError
from healthkg.queries.stores import OxigraphStore
from healthkg.viz import co_assignment, knowledge_graph, report
from healthkg.viz.model import GraphData

# Read from the plans (bureaus only, each task once per function): (function, tasks led, tasks only
# co-operated on). 卫生健康 leads 4 来宾 and 12 柳州 tasks; 柳州's 发展中医药健康旅游产品 names 市卫生健康委 as lead and
# again as co-operating, so 柳州's 14 co-operations count 13.
TOP_FIVE = [("health", 16, 25), ("agriculture", 15, 16), ("civil-affairs", 16, 12),
            ("culture-tourism", 12, 16), ("development-reform", 12, 15)]
# The kinds of body of tests/gold/bodies.json -> the project's kinds (a mapping of names, not of counts).
KINDS = {"enterprise": {"state-owned-enterprise"}, "school": {"education-institution"},
         "development-zone": {"development-zone-committee"}, "county-government": {"county-government"},
         "collective": {"county-collective", "department-collective"}, "mass-organisation": {"mass-organisation"}}


def agency(gold_name: str, name: str) -> str:
    """The graph's id of a body as written (the alignment is what the gold tests check; here it only names)."""
    return f"hkd:agency/{align(name, CITIES[gold_name]).id}"


@pytest.fixture(scope="module")
def answers(release_store):
    return Answers(release_store)


# ---------------------------------------------------------------- the ranking, against the reading

def test_the_reading_gives_the_top_five():
    loads = function_loads()
    order = sorted(loads, key=lambda f: (ranks(loads, (2, 1))[f], -loads[f][0]))
    assert [(f, loads[f][0], loads[f][1]) for f in order[:5]] == TOP_FIVE


def test_coordinating_load_by_function_top_five(release_store):
    rows = load.by_function(release_store).as_dicts()
    got = [(row["function"].rsplit("/", 1)[-1], row["lead"], row["cooperating"]) for row in rows[:5]]
    assert got == TOP_FIVE
    assert [row["rank"] for row in rows[:5]] == [1, 2, 3, 4, 5]
    assert [row["load_index"] for row in rows[:5]] == [2 * lead + co for _, lead, co in TOP_FIVE]
    assert {row["kinds"] for row in rows} == {"government-department"}


def test_whole_function_table_equals_the_reading(release_store):
    loads = function_loads()
    expected_ranks = ranks(loads, (2, 1))
    rows = load.by_function(release_store).as_dicts()
    got = {row["function"].rsplit("/", 1)[-1]: (row["lead"], row["cooperating"], row["listed_twice"]) for row in rows}
    assert got == loads
    assert {row["function"].rsplit("/", 1)[-1]: row["rank"] for row in rows} == expected_ranks


@pytest.mark.parametrize("gold_name", sorted(CITIES))
def test_per_body_load_equals_the_reading(gold_name, release_store):
    expected = {agency(gold_name, name): counts for name, counts in body_loads(gold_name).items()}
    rows = [row for row in load.by_body(release_store).as_dicts() if row["city"] == CITIES[gold_name]]
    assert {row["agency"]: (row["lead"], row["cooperating"], row["listed_twice"]) for row in rows} == expected
    everything = {agency(gold_name, name): counts for name, counts in body_loads(gold_name, bureaus_only=False).items()}
    rows = [row for row in load.by_body(release_store, kinds="all").as_dicts() if row["city"] == CITIES[gold_name]]
    assert {row["agency"]: (row["lead"], row["cooperating"], row["listed_twice"]) for row in rows} == everything


def test_the_one_double_listing(release_store):
    # 柳州 s3.3-t2 发展中医药健康旅游产品: (牵头单位:市卫生健康委;配合单位:…,市卫生健康委、市文旅集团)
    listed = {row["agency"]: row for row in load.by_body(release_store, kinds="all").as_dicts() if row["listed_twice"]}
    assert list(listed) == ["hkd:agency/liuzhou-health-commission"]
    health = listed["hkd:agency/liuzhou-health-commission"]
    assert (health["lead"], health["cooperating"], health["listed_twice"]) == (12, 13, 1)
    by_function = {row["function"]: row["listed_twice"] for row in load.by_function(release_store).as_dicts()}
    assert {f: n for f, n in by_function.items() if n} == {"hkc:function/health": 1}


def test_ties_share_a_rank_and_lead_then_name_orders_them(release_store):
    # lead only: 卫生健康 and 民政 both lead 16 tasks (read: 4 + 12 and 5 + 11)
    rows = load.by_function(release_store, weights=(1, 0)).as_dicts()
    assert [(row["rank"], row["function"]) for row in rows[:3]] == [
        (1, "hkc:function/civil-affairs"), (1, "hkc:function/health"), (3, "hkc:function/agriculture")]
    loads = function_loads()
    assert ranks(loads, (1, 0))["health"] == ranks(loads, (1, 0))["civil-affairs"] == 1
    # equal index and equal leads: the English name decides the order shown, never the rank
    rows = load.by_function(release_store).as_dicts()
    for first, second in zip(rows, rows[1:]):
        if first["load_index"] == second["load_index"]:
            assert first["rank"] == second["rank"]
            assert (-first["lead"], first["function_en"]) < (-second["lead"], second["function_en"])


def test_robustness_uses_the_same_ranks(release_store):
    loads = function_loads()
    table = load.robustness(release_store)
    assert [v for v in table.variables if v.startswith("rank (")] == [f"rank ({label})" for label in WEIGHTINGS]
    for row in table.as_dicts():
        function = row["function"].rsplit("/", 1)[-1]
        for label, weights in WEIGHTINGS.items():
            assert row[f"rank ({label})"] == ranks(loads, weights)[function], (function, label)


# ---------------------------------------------------------------- kinds: counted by default, and on purpose

def test_other_bodies_table_equals_the_reading(release_store):
    rows = runner.run(library.get("other-bodies-load"), release_store).as_dicts()
    got = {row["agency"]: (row["kind"].rsplit("/", 1)[-1], row["lead"], row["cooperating"]) for row in rows}
    expected = {}
    for gold_name in CITIES:
        counts = body_loads(gold_name, bureaus_only=False)
        for written, entry in hand_bodies()[gold_name].items():
            name = entry.get("same_as", written)
            if entry["kind"] != "bureau":
                expected[agency(gold_name, name)] = (entry["kind"], *counts[name][:2])
    assert set(got) == set(expected)
    for body, (kind, lead, cooperating) in expected.items():
        assert got[body][0] in KINDS[kind] and got[body][1:] == (lead, cooperating), body
    # 市文旅集团 co-operates on 8 tasks; the Liuzhou culture and tourism bureau leads 7 of them (not s3.3-t2)
    group = {row["agency"]: row for row in rows}["hkd:agency/liuzhou-culture-tourism-group"]
    assert (group["cooperating"], group["with_its_function_bureau"]) == (8, 7)


def test_kinds_on_purpose(release_store):
    everything = {row["function"]: row for row in load.by_function(release_store, kinds="all").as_dicts()}
    # 北部生态新区管委会 co-operates on 41 tasks (40 written so, 1 as 北部生态新区), 柳东新区管委会 on 40, together 41
    assert everything["hkc:function/development-zone"]["cooperating"] == 41
    # with the company: the culture and tourism group's 7 co-operations beside its bureau are counted once, as lead
    assert everything["hkc:function/culture-tourism"]["cooperating"] == 16 + 1
    municipal = {row["function"] for row in load.by_function(release_store, kinds="municipal-department").as_dicts()}
    assert "hkc:function/drug-regulation" not in municipal      # only 自治区药监局来宾检查分局, a higher-level branch
    assert "hkc:function/health" in municipal
    kinds = runner.run(library.get("kinds-of-body"), release_store).as_dicts()
    groups = {row["kind"].rsplit("/", 1)[-1]: row["group"] for row in kinds}
    assert {k for k, g in groups.items() if g == "government-department"} == {
        "municipal-department", "higher-level-branch", "county-department",
        "central-department", "provincial-department"}          # issue 16: departments of every level


@pytest.mark.parametrize("params, message", [
    ({"kinds": "bureau"}, "bureau is not a kind in the graph"),
    ({"kinds": ""}, "no id is not a kind"),
    ({"lead_weight": "two"}, "lead_weight must be a whole number"),
    ({"cooperating_weight": "-1"}, "cooperating_weight must be a whole number"),
])
def test_bad_kinds_or_weights_are_refused(release_store, params, message):
    with pytest.raises(QueryError, match=message):
        runner.run(library.get("coordinating-load-by-function"), release_store, params)


def test_cli_refuses_an_unknown_kind_with_exit_2():
    done = subprocess.run([sys.executable, "build_graph.py", "query", "coordinating-load", "--param", "kinds=bureaus"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "municipal-department" in done.stderr
    assert len(done.stderr.splitlines()) == 1


# ---------------------------------------------------------------- one ranking everywhere

def test_second_place_is_the_same_everywhere(answers, release_store, tmp_path):
    second = [row for row in load.by_function(release_store).as_dicts() if row["rank"] == 2]
    assert [row["function"] for row in second] == ["hkc:function/agriculture"]
    assert "Second: Agriculture and Rural Affairs (农业农村, index 46)" in answers.headline()
    page = report.page(answers, GraphData.from_store(release_store))
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>([^<]+)</td>", page)
    assert rows[:2] == [("1", "卫生健康"), ("2", "农业农村")]
    assert "2. 农业农村" in page                       # the chart's second bar


def test_headline_states_what_it_counted(answers):
    text = answers.headline()
    assert ("the Health (卫生健康) bureaus carry the most coordinating load: "
            "they lead 16 tasks and only co-operate on 25") in text
    assert "Counted: government departments only" in text and "Development-zone committee (2)" in text
    assert "(1 such listing)" in text
    assert "来宾市: 市健康产业发展部门联席会议办公室, housed in 来宾市发展改革委" in text


def test_views_count_what_the_queries_count(release_store):
    everything = {row["agency"]: row for row in load.by_body(release_store, kinds="all").as_dicts()}
    payload = knowledge_graph.build(GraphData.from_store(release_store), load.by_body(release_store, kinds="all"))
    assert set(payload["bodies"]) == set(everything)
    for body, info in payload["bodies"].items():
        row = everything[body]
        assert (info["lead"], info["cooperating"], info["listed_twice"]) == (row["lead"], row["cooperating"],
                                                                             row["listed_twice"]), body
    counted = {row["agency"]: row for row in load.by_body(release_store).as_dicts()}
    network = Answers(release_store).network
    co = co_assignment.build(network, load.by_body(release_store))
    assert set(co["bodies"]) == set(counted)
    for body, info in co["bodies"].items():
        assert (info["lead"], info["cooperating"], info["load"], info["rank"]) == tuple(
            counted[body][k] for k in ("lead", "cooperating", "load_index", "rank")), body
    liuzhou = [node for node in co["nodes"] if co["bodies"][node["id"]]["city"] == "柳州市"]
    largest = max(liuzhou, key=lambda node: node["size"])
    assert largest["id"] == "hkd:agency/liuzhou-health-commission"


# ---------------------------------------------------------------- formal coordination

def test_coordination_roles_of_both_cities(release_store):
    rows = runner.run(library.get("coordination-roles"), release_store).as_dicts()
    got = [(row["city"], row["role_id"], row["industry_en"] or "", row["name_zh"], row["written_as"]) for row in rows]
    # 来宾 保障措施: 市健康产业发展部门联席会议办公室要切实做好统筹、协调、督促等工作 … 联席会议办公室(设在市发改委)
    # 柳州 保障措施: 联席会议办公室设在市发展改革委。市发展改革委要切实做好大健康产业发展综合统筹、协调、督促等工作
    # both: 市民政局负责牵头抓健康养老产业发展, 市卫健委/市卫生健康委 … 健康医疗, 市工信局/市工业和信息化局 … 健康医药,
    # 市农业农村局 … 健康食品, 市文化广电(和)旅游局 … 健康旅游; 运动: 来宾 市教育体育局, 柳州 市体育局
    assert got == [
        ("来宾市", "overall-coordination", "", "来宾市发展改革委", "市健康产业发展部门联席会议办公室"),
        ("来宾市", "joint-meeting-office", "", "来宾市发展改革委", ""),
        ("来宾市", "industry-lead", "Health and elderly care", "来宾市民政局", ""),
        ("来宾市", "industry-lead", "Health food", "来宾市农业农村局", ""),
        ("来宾市", "industry-lead", "Health and medical care", "来宾市卫生健康委", ""),
        ("来宾市", "industry-lead", "Health pharmaceuticals", "来宾市工信局", ""),
        ("来宾市", "industry-lead", "Health and sports", "来宾市教育体育局", ""),
        ("来宾市", "industry-lead", "Health tourism", "来宾市文化广电和旅游局", ""),
        ("柳州市", "overall-coordination", "", "柳州市发展改革委", ""),
        ("柳州市", "joint-meeting-office", "", "柳州市发展改革委", ""),
        ("柳州市", "industry-lead", "Health and elderly care", "柳州市民政局", ""),
        ("柳州市", "industry-lead", "Health food", "柳州市农业农村局", ""),
        ("柳州市", "industry-lead", "Health and medical care", "柳州市卫生健康委", ""),
        ("柳州市", "industry-lead", "Health pharmaceuticals", "柳州市工业和信息化局", ""),
        ("柳州市", "industry-lead", "Health and sports", "柳州市体育局", ""),
        ("柳州市", "industry-lead", "Health tourism", "柳州市文化广电旅游局", ""),
    ]
    # bracket load beside it, every task once (read: 来宾 发改委 leads 3 and co-operates on 8; 柳州 卫健委 12 and 13)
    by = {(row["city"], row["role_id"], row["industry_en"] or ""): row for row in rows}
    laibin = by[("来宾市", "overall-coordination", "")]
    assert (laibin["lead"], laibin["cooperating"]) == (3, 8)
    assert (by[("柳州市", "industry-lead", "Health and medical care")]["lead"],
            by[("柳州市", "industry-lead", "Health and medical care")]["cooperating"]) == (12, 13)
    assert all(row["named"] == "yes" for row in rows)


def test_coordination_roles_say_when_a_plan_names_no_one(tmp_path):
    # an invented plan whose 保障措施 sets up a 工作专班 but gives overall coordination to no body
    path = ROOT / "tests" / "fixtures" / "qinzhou-style.txt"
    records = extract_records(path)
    graph_file = tmp_path / "g.nt"
    graph_file.write_text(build_graph([records], {records["plan"]["id"]: source_text(path)}).serialize(format="nt"),
                          encoding="utf-8")
    rows = runner.run(library.get("coordination-roles"), OxigraphStore(graph_file)).as_dicts()
    formal = [row for row in rows if row["role_id"] in ("overall-coordination", "joint-meeting-office")]
    assert len(formal) == 2
    for row in formal:
        assert row["agency"] is None and row["named"].startswith("no (未写明 not named in the plan)")


def test_report_explains_formal_coordination_beside_bracket_load(answers, release_store):
    page = report.page(answers, GraphData.from_store(release_store))
    assert "正式统筹与括注负担不是一回事" in page
    assert "Formal coordination and bracket load are different things" in page
    assert "市健康产业发展部门联席会议办公室" in page


# ---------------------------------------------------------------- comparisons that account for size

def test_shares_per_100_tasks(answers):
    coverage = {(row["dimension"], row["concept"]): row for row in answers.comparison.table().as_dicts()}
    # 来宾 30 tasks, 柳州 60 (read: 来宾 tasks 1-30, 柳州 60 numbered tasks)
    for row in coverage.values():
        assert row["per 100 tasks 来宾市"] == round(100 * row["tasks 来宾市"] / 30, 1)
        assert row["per 100 tasks 柳州市"] == round(100 * row["tasks 柳州市"] / 60, 1)
    shares = {row["function"]: row for row in answers.comparison.function_load().as_dicts()}
    health = shares["hkc:function/health"]
    # 来宾 卫生健康委: leads 4, co-operates on 12 -> 20 -> 66.7 per 100; 柳州: 12 and 13 -> 37 -> 61.7
    assert (health["load 来宾市"], health["load per 100 tasks 来宾市"]) == (20, 66.7)
    assert (health["load 柳州市"], health["load per 100 tasks 柳州市"]) == (37, 61.7)
    assert health["mean load per 100 tasks"] == 64.2 and health["rank pooled"] == 1
    ranked = answers.comparison.function_load().as_dicts()
    assert [row["rank"] for row in ranked] == sorted(row["rank"] for row in ranked)
    means = [row["mean load per 100 tasks"] for row in ranked]
    assert means == sorted(means, reverse=True)


def test_a_leading_group_office_that_coordinates_is_found():
    # an invented plan: the office of a leading group, housed in the 发展改革委, is given the coordination in the
    # clause after the one that houses it
    text = ("某市人民政府关于印发某市大健康产业发展行动计划的通知\n\n一、重点任务\n（一）发展健康养老产业\n"
            "1.完善养老服务体系。（牵头单位：市民政局；配合单位：市财政局）\n二、保障措施\n"
            "（一）加强组织领导。成立大健康产业发展领导小组，领导小组办公室设在市发展改革委，负责统筹协调。"
            "市民政局负责牵头抓健康养老产业发展。\n")
    leads = {lead["role"]: lead for lead in extract_text(text)["chain_leads"]}
    assert leads["joint-meeting-office"]["agency"]["name"] == "市发展改革委"
    coordination = leads["overall-coordination"]
    assert (coordination["agency"]["name"], coordination["agency"]["via"], coordination["text"]) == (
        "市发展改革委", "领导小组办公室", "负责统筹协调")
    assert leads["industry-lead"]["agency"]["name"] == "市民政局"
