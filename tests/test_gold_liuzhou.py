"""Gold-standard checks for the Liuzhou plan (柳政规〔2020〕9号, 柳州市加快大健康产业发展三年行动计划).

Every expected value here (and in tests/gold/liuzhou.json) was taken from reading the document, not
from extractor output. The plan's numbering is irregular, which is what most cases below are about:

* (五)健康食品 runs 1, "- " bullet (where 2 should be), 3 … 7, an unnumbered fruit paragraph with its own
  bracket, 8 … 11; item 7 has no bracket at all (flag "no-bracket");
* 四、保障措施 (一) has no bracket (not a task; it carries the chain leads), (二)(三)(四)(七)(八) are single
  bracketed paragraphs (-p1), (五) and (六) are numbered 1 … 5 / 1 … 3; (五)3 has a lead-only bracket;
* (八) mentions 牵头单位 twice in running text before its own bracket.
"""
from __future__ import annotations

from collections import Counter

import pytest
from conftest import LIUZHOU, source_text
from scoring import describe, load_gold, score_roles, score_targets, score_tasks

GOLD = load_gold("liuzhou")
TEXT = source_text(LIUZHOU)
GOLD_TASKS = {t["id"]: t for t in GOLD["tasks"]}


# ----------------------------------------------------------------------------------------- helpers
def _name(body) -> str:
    return body["name"] if isinstance(body, dict) else body


def _names(bodies) -> list[str]:
    return [_name(b) for b in bodies or []]


def _tasks_by_id(records: dict) -> dict:
    return {t["id"]: t for t in records.get("tasks", [])}


def _task(records: dict, task_id: str) -> dict:
    tasks = _tasks_by_id(records)
    assert task_id in tasks, f"task {task_id} not extracted; have {sorted(tasks)}"
    return tasks[task_id]


def _all_bodies(records: dict) -> dict:
    """name -> body record, over all lead and cooperating lists."""
    out = {}
    for t in records.get("tasks", []):
        for role in ("lead", "cooperating"):
            for b in t.get(role) or []:
                if isinstance(b, dict):
                    out.setdefault(b["name"], b)
    return out


# ------------------------------------------------------------------------------- (a) task counts
def test_gold_is_consistent_with_the_text():
    assert TEXT.count("牵头单位") == len(GOLD["bracket_label_occurrences"]) == 61
    assert len(GOLD["tasks"]) == 60
    assert sum(GOLD["tasks_per_section"].values()) == 60


def test_number_of_tasks(liuzhou):
    ids = [t["id"] for t in liuzhou["tasks"]]
    assert len(ids) == len(set(ids)), "duplicate task ids"
    assert len(ids) == 60
    assert set(ids) == set(GOLD_TASKS), (
        f"missing {sorted(set(GOLD_TASKS) - set(ids))}, extra {sorted(set(ids) - set(GOLD_TASKS))}")


def test_tasks_per_section(liuzhou):
    got = Counter(t["section"] for t in liuzhou["tasks"])
    expected = {s: n for s, n in GOLD["tasks_per_section"].items() if n}
    assert dict(got) == expected
    assert expected == {"s3.1": 8, "s3.2": 10, "s3.3": 9, "s3.4": 5, "s3.5": 12, "s3.6": 3,
                        "s4.2": 1, "s4.3": 1, "s4.4": 1, "s4.5": 5, "s4.6": 3, "s4.7": 1, "s4.8": 1}


def test_industries_and_flags_of_all_tasks(liuzhou):
    got = _tasks_by_id(liuzhou)
    wrong = [(tid, g["industry"], got[tid].get("industry")) for tid, g in GOLD_TASKS.items()
             if tid in got and got[tid].get("industry") != g["industry"]]
    assert not wrong, f"(task, expected industry, got): {wrong}"
    flagged = sorted(tid for tid, t in got.items() if "no-bracket" in (t.get("flags") or []))
    assert flagged == ["s3.5-t7"]


def test_sections(liuzhou):
    secs = {s["id"]: s for s in liuzhou["sections"]}
    for sid in GOLD["tasks_per_section"]:
        assert sid in secs, f"section {sid} missing"
    assert "健康食品" in secs["s3.5"]["heading"]
    assert secs["s4.5"]["parent"] == "s4"
    assert {sid: secs[sid].get("industry") for sid in ("s3.1", "s3.2", "s3.3", "s3.4", "s3.5", "s3.6")} == {
        "s3.1": "elderly-care", "s3.2": "medical", "s3.3": "tourism",
        "s3.4": "pharmaceutical", "s3.5": "food", "s3.6": "sports"}


# ------------------------------------------------------------------- (b) lead / cooperating lists
# task id -> (what the span starts with, what it ends with), both read off the document.
SPAN_CASES = {
    "s3.1-t1": ("1. 推动养老服务体系建设", "市城建集团、市北城集团)"),
    "s3.1-t4": ("4. 推动养老产业集聚发展", "市自然资源和规划局)"),                 # two district governments
    "s3.1-t8": ("8. 加强健康养老产业人才培养和开发", "柳州市第一职业技术学校)"),      # colleges cooperate
    "s3.2-t2": ("2. 推动医养结合深度发展", "市大数据发展局)"),                     # 人社局 written twice
    "s3.2-t10": ("10. 扩大医疗保险覆盖水平", "柳州银保监分局)"),
    "s3.3-t2": ("2. 发展中医药健康旅游产品", "市卫生健康委、市文旅集团)"),          # lead also cooperating
    "s3.3-t7": ("7. 打造三江桂湘黔旅游集散地", "配合单位:市文化广电旅游局)"),       # county government leads
    "s3.4-t1": ("1. 加快生物医药产业园建设", "市市场监管局)"),
    "s3.5-t1": ("1. 打造全市重要健康食品生产基地", "北部生态新区管委会)"),
    "s3.5-b1": ("打造优质粮食(杂粮)生产基地", "北部生态新区管委会)"),              # "- " bullet instead of 2.
    "s3.5-t5": ("5. 打造优质茶叶生产基地", "融水县、三江县人民政府)"),              # shared suffix
    "s3.5-t7": ("7. 推行特色食品原料标准化生产", "水产健康养殖示范场。"),          # numbered, no bracket
    "s3.5-p1": ("优化水果生产区域和品种布局", "市市场监管局)"),                      # unnumbered, own bracket
    "s3.5-t8": ("8. 打造优势农产品产业带(集聚区)", "市市场监管局)"),
    "s3.5-t10": ("10. 加快柳州市粮食储备库建设", "市农业农村局、市商务局)"),        # 北部生态新区 as written
    "s3.6-t3": ("3. 重点发展丰富多彩体育运动", "市文化广电旅游局)"),                # shared suffix
    "s4.2-p1": ("及时调整更新健康产业重大项目库", "市农业农村局等)"),               # trailing 等
    "s4.3-p1": ("组织开展健康产业专项招商行动", "市农业农村局)"),
    "s4.5-t3": ("3. 深入开展“银企对接”系列活动", "市自然资源和规划局)"),            # lead-only bracket
    "s4.5-t5": ("5. 接收经济困难的高龄失能老年人的养老机构", "柳州供电局)"),        # enterprises cooperate
    "s4.6-t1": ("1. 做好健康养老产业发展与土地利用总体规划", "市民政局)"),
    "s4.8-p1": ("各项重点任务牵头部门要认真落实各项工作任务", "各相关部门)"),       # 牵头单位 in running text
}


@pytest.mark.parametrize("task_id", sorted(SPAN_CASES))
def test_task_bodies(liuzhou, task_id):
    gold = GOLD_TASKS[task_id]
    task = _task(liuzhou, task_id)
    assert task.get("section") == gold["section"]
    assert task.get("number") == gold["number"]
    assert task.get("industry") == gold["industry"]
    assert sorted(task.get("flags") or []) == sorted(gold["flags"])
    assert _names(task.get("lead")) == gold["lead"]
    assert _names(task.get("cooperating")) == gold["cooperating"]


@pytest.mark.parametrize("task_id", sorted(SPAN_CASES))
def test_task_span(liuzhou, task_id):
    head, tail = SPAN_CASES[task_id]
    gold = GOLD_TASKS[task_id]
    task = _task(liuzhou, task_id)
    start, end = task["start"], task["end"]
    span = TEXT[start:end]
    assert start == 0 or TEXT[start - 1] == "\n" or (gold["number"] is None and TEXT[start - 2:start] == "- "), \
        f"span does not begin a paragraph: {TEXT[max(0, start - 10):start + 10]!r}"
    if gold["number"] is not None:
        assert span.startswith(gold["number"] + "."), span[:20]
    body = span[2:] if span.startswith("- ") else span   # the bullet marker may or may not be included
    assert body.startswith(head), span[:30]
    assert span.endswith(tail), span[-30:]
    assert "\n" not in span
    if "no-bracket" in gold["flags"]:
        assert task.get("bracket") is None
        assert TEXT[end] == "\n"  # end of paragraph
    else:
        b = task["bracket"]
        assert b is not None
        assert TEXT[b["start"]:b["end"]].startswith("(牵头单位:")
        assert b["end"] == end and TEXT[end - 1] == ")"
        assert start < b["start"] < end


BODY_FUNCTIONS = [
    ("市自然资源和规划局", "natural-resources"),
    ("市林业和园林局", "forestry"),
    ("市大数据发展局", "big-data"),
    ("市文化广电旅游局", "culture-tourism"),
    ("市体育局", "sports"),
    ("柳州银保监分局", "banking-insurance-regulation"),
    ("市妇联", "women-children"),
]


@pytest.mark.parametrize("name,function", BODY_FUNCTIONS, ids=[f for _, f in BODY_FUNCTIONS])
def test_body_functions(liuzhou, name, function):
    bodies = _all_bodies(liuzhou)
    assert name in bodies, f"{name} not among extracted bodies"
    assert function in (bodies[name].get("functions") or [])


BODY_KINDS = [
    ("市城建集团", "state-owned-enterprise"),
    ("柳州中燃公司", "state-owned-enterprise"),
    ("柳州城市职业学院", "education-institution"),
    ("柳州银保监分局", "higher-level-branch"),
    ("柳东新区管委会", "development-zone-committee"),
    ("北部生态新区", "development-zone-committee"),
    ("三江县人民政府", "county-government"),
    ("柳城县人民政府", "county-government"),
    ("各县区人民政府", "county-collective"),
    ("各相关部门", "department-collective"),
    ("市妇联", "mass-organisation"),
    ("市民政局", "municipal-department"),
]


@pytest.mark.parametrize("name,kind", BODY_KINDS, ids=[n for n, _ in BODY_KINDS])
def test_body_kinds(liuzhou, name, kind):
    bodies = _all_bodies(liuzhou)
    assert name in bodies, f"{name} not among extracted bodies"
    assert bodies[name].get("kind") == kind


def test_no_truncated_or_merged_names(liuzhou):
    """Shared suffixes restored and trailing 等 dropped everywhere."""
    names = set(_all_bodies(liuzhou))
    for bad in ("柳城县", "鹿寨县", "融安县", "融水县", "市农业农村局等", "柳东新区管委会、北部生态新区管委会"):
        assert bad not in names


# ----------------------------------------------------------------------------------- (c) chain leads
def _chain_key(c: dict) -> tuple:
    agency = c.get("agency")
    return (c.get("industry"), c.get("role"), _name(agency) if agency else None)


@pytest.mark.parametrize("expected", GOLD["chain_leads"],
                         ids=[c["industry"] or c["role"] for c in GOLD["chain_leads"]])
def test_chain_leads(liuzhou, expected):
    got = {_chain_key(c) for c in liuzhou.get("chain_leads", [])}
    assert _chain_key(expected) in got


def test_chain_leads_exact(liuzhou):
    got = sorted(map(_chain_key, liuzhou.get("chain_leads", [])), key=repr)
    assert got == sorted(map(_chain_key, GOLD["chain_leads"]), key=repr)


# ------------------------------------------------------------------------------------- (d) targets
# (case id, task, value, unit, value_max, comparator, year); each key (task, value, unit) is unique in the gold.
TARGET_CASES = [
    ("goals-social-beds", None, 0.85, "张", None, ">=", 2022),
    ("goals-tcm-area", None, 140000, "亩", None, "=", 2022),
    ("goals-total-investment", None, 72000000000, "元", None, "~", 2022),
    ("goals-pharma-output", None, 10000000000, "元", None, ">=", 2022),
    ("goals-selenium-base", None, 5000, "亩", None, "=", 2022),
    ("goals-sports-area", None, 1.8, "平方米", None, "=", 2022),
    ("s3.1-t6-brands", "s3.1-t6", 6, "个", None, ">=", 2022),
    ("s3.2-t1-budget-yearly", "s3.2-t1", 30000000, "元", None, "=", None),
    ("s3.2-t3-emr-level", "s3.2-t3", 4, "级", None, ">=", 2020),
    ("s3.2-t5-herb-area", "s3.2-t5", 140000, "亩", None, "=", 2022),
    ("s3.2-t7-social-beds", "s3.2-t7", 0.85, "张", None, ">=", 2022),
    ("s3.4-t5-100m-firms", "s3.4-t5", 10, "家", None, ">=", 2022),
    ("s3.5-t1-core-zones-2020", "s3.5-t1", 13, "个", None, "=", 2020),
    ("s3.5-t4-poultry", "s3.5-t4", 6600000, "羽", None, "=", 2022),
    ("s3.5-t4-aquatic", "s3.5-t4", 73900, "吨", None, "=", 2022),
    ("s3.5-t5-tea-area", "s3.5-t5", 245000, "亩", None, "=", 2022),
    ("s3.5-t7-sanpin-base", "s3.5-t7", 1200000, "亩", None, ">=", 2022),
    ("s3.5-p1-city-firms-range", "s3.5-p1", 3, "家", 5, "=", 2022),
    ("s3.5-p1-fruit-output", "s3.5-p1", 10000000000, "元", None, "=", 2022),
    ("s4.3-p1-fairs-range", "s4.3-p1", 1, "次", 2, "=", None),
    ("s4.3-p1-investment-yearly", "s4.3-p1", 5000000000, "元", None, ">=", None),
]


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def test_target_cases_are_in_gold():
    for _, task, value, unit, value_max, comparator, year in TARGET_CASES:
        hits = [t for t in GOLD["targets"] if t["task"] == task and _same(t["value"], value) and t["unit"] == unit]
        assert len(hits) == 1, (task, value, unit)
        h = hits[0]
        assert (h["value_max"], h["comparator"], h["year"]) == (value_max, comparator, year)


@pytest.mark.parametrize("case", TARGET_CASES, ids=[c[0] for c in TARGET_CASES])
def test_target(liuzhou, case):
    _, task, value, unit, value_max, comparator, year = case
    hits = [t for t in liuzhou.get("targets", [])
            if t.get("task") == task and t.get("unit") == unit and _same(t.get("value"), value)]
    assert len(hits) == 1, f"{len(hits)} targets for ({task}, {value}, {unit})"
    t = hits[0]
    assert _same(t.get("value_max"), value_max)
    assert t.get("comparator") == comparator
    assert t.get("year") == year
    assert TEXT[t["start"]:t["end"]] == t["text"]


# Numbers that are in a task's text but are not targets (standards, thresholds, qualifiers, durations,
# dates); none of them collides with a real target value of the same task.
NOT_TARGETS = [
    ("s3.1-t1", {1000, 500, 200, 100, 1521}),   # bed sizes qualify the counted projects; "1521" is a name
    ("s3.1-t5", {1000, 300, 500, 100, 15}),     # building standards
    ("s3.1-t7", {1, 50}),                       # 1年以上劳动合同, 留用率达到50%以上的见习单位 (eligibility)
    ("s3.2-t1", {1, 2020, 2022}),               # 1:1 ratio, years
    ("s3.2-t2", {65}),                          # 65岁以上 population qualifier
    ("s3.6-t1", {0.1, 0.3, 15}),                # building standard, 15分钟
    ("s4.5-t5", {10, 2}),                       # 连锁经营网点达到10个以上 (eligibility), 不超过2倍标准
    ("s4.6-t1", {70, 500, 800}),                # price floor, project-size thresholds
    ("s4.8-p1", {6, 30, 12}),                   # dates
]


@pytest.mark.parametrize("task,values", NOT_TARGETS, ids=[t for t, _ in NOT_TARGETS])
def test_not_targets(liuzhou, task, values):
    bad = [t.get("text") or t for t in liuzhou.get("targets", [])
           if t.get("task") == task and any(_same(t.get("value"), v) for v in values)]
    assert not bad, bad


@pytest.mark.parametrize("task", ["s3.1-t5", "s3.3-t1", "s3.3-t9", "s3.5-t10", "s4.5-t5", "s4.6-t1", "s4.8-p1"])
def test_tasks_without_targets(liuzhou, task):
    assert [t.get("text") for t in liuzhou.get("targets", []) if t.get("task") == task] == []


def test_s3_1_t7_targets_exactly(liuzhou):
    got = sorted((t.get("value"), t.get("unit")) for t in liuzhou.get("targets", []) if t.get("task") == "s3.1-t7")
    assert got == [(240, "个"), (300, "人")]


# -------------------------------------------------------------------- (e) 牵头单位 occurrences
@pytest.mark.parametrize("occ", GOLD["bracket_label_occurrences"],
                         ids=[f"{o['offset']}-{o['in_task'] or 'running-text'}"
                              for o in GOLD["bracket_label_occurrences"]])
def test_bracket_label_occurrence(liuzhou, occ):
    off = occ["offset"]
    assert TEXT[off:off + 4] == "牵头单位"
    assert TEXT[off - 7:off + 12] == occ["context"]
    tasks = liuzhou.get("tasks", [])
    holders = [t["id"] for t in tasks if t.get("bracket") and t["bracket"]["start"] <= off < t["bracket"]["end"]]
    if occ["in_task"] is None:
        assert holders == [], f"running-text 牵头单位 at {off} taken as a bracket of {holders}"
        # still inside the (八) paragraph task, before its bracket
        t = _task(liuzhou, "s4.8-p1")
        assert t["start"] <= off < t["bracket"]["start"]
    else:
        t = _task(liuzhou, occ["in_task"])
        assert t["start"] <= off < t["end"]
        assert holders == [occ["in_task"]]


# -------------------------------------------------------------------------------------- (f) scoring
def test_scores(liuzhou):
    tasks = score_tasks(liuzhou, GOLD)
    roles = score_roles(liuzhou, GOLD)
    targets = score_targets(liuzhou, GOLD)
    assert tasks["recall"] >= 0.99 and tasks["precision"] >= 0.99, "tasks " + describe(tasks)
    assert roles["f1"] >= 0.99, "(task, body, role) " + describe(roles)
    assert targets["recall"] >= 0.90 and targets["precision"] >= 0.90, "targets " + describe(targets)
