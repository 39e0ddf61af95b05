"""Hand-made gold standard for 来宾市加快大健康产业发展实施方案 (来政发〔2019〕22号).

Every expected value below was typed from reading graph/sources/laibin-2019-laizhengfa-22.txt, not from
program output. tests/gold/laibin.json holds the full gold (all 30 tasks, all 37 targets); the literals
here repeat the irregular and representative cases so that a failure names the case.
"""
from collections import Counter
from pathlib import Path

import pytest
from scoring import describe, load_gold, score_roles, score_targets, score_tasks

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "graph" / "sources" / "laibin-2019-laizhengfa-22.txt"
TEXT = SOURCE.read_text(encoding="utf-8")
GOLD = load_gold("laibin")

CTY = "各县〔市、区〕人民政府"

# ---------------------------------------------------------------- (a) task count and tasks per section

TASKS_PER_SECTION = {"s2.1": 4, "s2.2": 3, "s2.3": 4, "s2.4": 4, "s2.5": 3, "s2.6": 3, "s2.7": 4,
                     "s2.8": 2, "s2.9": 1, "s2.10": 2}


def _tasks(records):
    return {t["id"]: t for t in records["tasks"]}


def test_task_count(laibin):
    # 30 numbered tasks under 二、主要任务; the 保障措施 paragraphs carry no bracket, so they are no tasks
    assert len(laibin["tasks"]) == 30


def test_tasks_per_section(laibin):
    got = Counter(t["section"] for t in laibin["tasks"])
    assert dict(got) == TASKS_PER_SECTION


def test_task_ids_and_numbers(laibin):
    sections = [s for s, n in TASKS_PER_SECTION.items() for _ in range(n)]
    expected = [f"{s}-t{i}" for i, s in enumerate(sections, start=1)]
    assert [t["id"] for t in laibin["tasks"]] == expected
    assert [t["number"] for t in laibin["tasks"]] == [str(i) for i in range(1, 31)]


def test_no_task_flags(laibin):
    # every one of the 30 tasks has its (牵头单位:…) bracket
    assert {t["id"]: t["flags"] for t in laibin["tasks"] if t["flags"]} == {}


# ---------------------------------------------------------------- (b) lead and cooperating bodies

# task id -> (industry, lead, cooperating), names in written order
ROLES = {
    # 市住建局、卫生健康委 (shared 市) and the typo 各县〔市、区〕市人民政府
    "s2.1-t1": ("elderly-care", ["市民政局"], ["市住建局", "市卫生健康委", CTY]),
    # 牵头单位:市民政局,配合单位:… -- a comma instead of the semicolon
    "s2.1-t4": ("elderly-care", ["市民政局"], ["市自然资源局", "市住建局", CTY]),
    # 市市场监督管理局 stays as written (its 市 is part of 市场)
    "s2.2-t7": ("medical", ["市卫生健康委"], ["市市场监督管理局"]),
    "s2.3-t9": ("tourism", ["市文化广电和旅游局"],
                ["市生态环境局", "市发展改革委", "市卫生健康委", "市交通运输局", "市农业农村局", "市商务局",
                 "市财政局", "市自然资源局"]),
    # written 卫生健康 without 委: kept as written, prefix restored
    "s2.3-t10": ("tourism", ["市文化广电和旅游局"],
                 ["市发展改革委", "市卫生健康", "市交通运输局", "市农业农村局", "市商务局", "市财政局",
                  "市自然资源局"]),
    # …林业局、市场监管局 -> 市市场监管局 (shared prefix restored)
    "s2.4-t12": ("pharmaceutical", ["市工信局"],
                 ["市发展改革委", "市卫生健康委", "市科技局", "市农业农村局", "市财政局", "市商务局", "市人社局",
                  "市林业局", "市市场监管局"]),
    # a higher-level branch as lead; no 市 prefix to restore on it
    "s2.4-t13": ("pharmaceutical", ["自治区药监局来宾检查分局"], ["市工信局", "市财政局"]),
    # three leads
    "s2.4-t14": ("pharmaceutical", ["市工信局", "市卫生健康委", "自治区药监局来宾检查分局"], ["市林业局"]),
    "s2.5-t17": ("sports", ["市教育体育局"], ["市财政局", "市发展改革委", "市自然资源局", CTY]),
    "s2.6-t21": ("food", ["市农业农村局"], ["市文化广电和旅游局", CTY]),
    # two leads with shared prefix
    "s2.7-t22": ("cross-cutting", ["市民政局", "市发展改革委"],
                 ["市住建局", "市卫生健康委", "市文化广电和旅游局", CTY]),
    "s2.7-t25": ("cross-cutting", ["市住建局"],
                 ["市发展改革委", "市民政局", "市卫生健康委", "市工信局", "市文化广电和旅游局", "市教育体育局",
                  "市农业农村局", CTY]),
    "s2.8-t26": ("cross-cutting", ["市投资促进局"],
                 ["市发展改革委", "市民政局", "市卫生健康委", "市工信局", "市文化广电和旅游局", "市教育体育局",
                  "市农业农村局", CTY]),
    # longest list; 科技局、市场监督管理局 -> 市市场监督管理局
    "s2.9-t28": ("cross-cutting", ["市发展改革委"],
                 ["市工信局", "市民政局", "市卫生健康委", "市文化广电和旅游局", "市科技局", "市市场监督管理局",
                  "市教育体育局", "市住建局", "市自然资源局", "市生态环境局", "市农业农村局", CTY]),
    "s2.10-t30": ("cross-cutting", ["市工信局"], ["市市场监督管理局", "市科技局", "市卫生健康委", CTY]),
}


def _names(bodies):
    return [b["name"] for b in bodies]


@pytest.mark.parametrize("task_id", list(ROLES), ids=list(ROLES))
def test_roles(laibin, task_id):
    industry, lead, cooperating = ROLES[task_id]
    task = _tasks(laibin).get(task_id)
    assert task is not None, f"task {task_id} not extracted"
    assert task["industry"] == industry
    assert _names(task["lead"]) == lead
    assert _names(task["cooperating"]) == cooperating
    assert [b["position"] for b in task["lead"]] == list(range(1, len(lead) + 1))


@pytest.mark.parametrize("task_id", list(ROLES), ids=list(ROLES))
def test_task_span(laibin, task_id):
    task = _tasks(laibin)[task_id]
    number = task_id.rsplit("-t", 1)[1]
    span = TEXT[task["start"]:task["end"]]
    assert span.startswith(number + "."), span[:20]
    assert span.endswith(")"), span[-20:]
    bracket = task["bracket"]
    assert bracket is not None
    quote = TEXT[bracket["start"]:bracket["end"]]
    assert quote.startswith("(牵头单位") and quote.endswith(")"), quote
    assert task["start"] <= bracket["start"] < bracket["end"] == task["end"]
    # the span is one paragraph: no line break inside a Laibin task
    assert "\n" not in span


def test_gold_file_agrees_with_literals():
    gold = {t["id"]: t for t in GOLD["tasks"]}
    for task_id, (industry, lead, cooperating) in ROLES.items():
        assert (gold[task_id]["industry"], gold[task_id]["lead"], gold[task_id]["cooperating"]) == \
            (industry, lead, cooperating), task_id
    assert {s: n for s, n in GOLD["tasks_per_section"].items() if n} == TASKS_PER_SECTION


# name -> (functions, kind); functions as a set (from data/functions.tsv / bodies.tsv)
BODY_FUNCTIONS = {
    "市教育体育局": ({"education", "sports"}, "municipal-department"),
    "市卫生健康委": ({"health"}, "municipal-department"),
    "市卫生健康": ({"health"}, "municipal-department"),
    "市文化广电和旅游局": ({"culture-tourism"}, "municipal-department"),
    "市政务服务和大数据发展局": ({"big-data"}, "municipal-department"),
    "自治区药监局来宾检查分局": ({"drug-regulation"}, "higher-level-branch"),
    CTY: ({"local-government"}, "county-collective"),
    "市市场监管局": ({"market-regulation"}, "municipal-department"),
}


def _bodies_by_name(records):
    out = {}
    for t in records["tasks"]:
        for b in t["lead"] + t["cooperating"]:
            out.setdefault(b["name"], []).append(b)
    return out


@pytest.mark.parametrize("name", list(BODY_FUNCTIONS), ids=list(BODY_FUNCTIONS))
def test_body_functions(laibin, name):
    functions, kind = BODY_FUNCTIONS[name]
    bodies = _bodies_by_name(laibin).get(name)
    assert bodies, f"{name} not among the extracted bodies"
    for b in bodies:
        assert set(b["functions"]) == functions
        assert b["kind"] == kind


def test_one_county_collective(laibin):
    # 各县〔市、区〕人民政府 is one body, and the typo in task 1 gives the same body (same id)
    ids = {b["id"] for t in laibin["tasks"] for b in t["cooperating"] if "各县" in b["name"]}
    assert len(ids) == 1, ids
    names = {b["name"] for t in laibin["tasks"] for b in t["lead"] + t["cooperating"]}
    assert "各县〔市、区〕市人民政府" not in names
    assert not any(n.startswith("各县") and n != CTY for n in names)


def test_same_id_for_written_variants(laibin):
    # 市卫生健康委 / 市卫生健康 (task 10) / 市卫健委 (保障措施) are one body
    bodies = _bodies_by_name(laibin)
    assert {b["id"] for b in bodies["市卫生健康委"] + bodies["市卫生健康"]} == {"laibin-health-commission"}
    assert {b["id"] for b in bodies["市市场监督管理局"] + bodies["市市场监管局"]} == \
        {"laibin-market-regulation-bureau"}


# ---------------------------------------------------------------- (c) chain leads

CHAIN_LEADS = {
    ("elderly-care", "industry-lead", "市民政局"),
    ("medical", "industry-lead", "市卫健委"),
    ("pharmaceutical", "industry-lead", "市工信局"),
    ("food", "industry-lead", "市农业农村局"),
    ("tourism", "industry-lead", "市文化广电和旅游局"),
    ("sports", "industry-lead", "市教育体育局"),
    (None, "joint-meeting-office", "市发改委"),   # 联席会议办公室(设在市发改委)
}


def _chain(records):
    return {(c["industry"], c["role"], c["agency"]["name"] if c.get("agency") else None)
            for c in records["chain_leads"]}


def test_industry_chain_leads(laibin):
    got = {c for c in _chain(laibin) if c[1] == "industry-lead"}
    assert got == {c for c in CHAIN_LEADS if c[1] == "industry-lead"}


def test_joint_meeting_office(laibin):
    got = {c for c in _chain(laibin) if c[1] == "joint-meeting-office"}
    assert got == {(None, "joint-meeting-office", "市发改委")}


def test_chain_lead_ids(laibin):
    by_industry = {c["industry"]: c["agency"]["id"] for c in laibin["chain_leads"] if c["role"] == "industry-lead"}
    assert by_industry["medical"] == "laibin-health-commission"      # written 市卫健委
    assert by_industry["sports"] == "laibin-education-sports-bureau"
    office = [c for c in laibin["chain_leads"] if c["role"] == "joint-meeting-office"]
    assert office and office[0]["agency"]["id"] == "laibin-development-reform-commission"  # 市发改委


def test_chain_leads_in_gold():
    assert {(c["industry"], c["role"], c["agency"]) for c in GOLD["chain_leads"]} == CHAIN_LEADS


# ---------------------------------------------------------------- (d) targets

# (case id, task, object keyword, value, value_max, unit, comparator, year)
TARGETS = [
    ("goals-beds", None, "社会办医床位", 0.7, None, "张", "=", 2021),
    ("goals-sports-area", None, "体育场地面积", 1.8, None, "平方米", "=", 2021),
    ("goals-nursing-beds", None, "护理型养老床位", 30, None, "%", ">=", 2021),
    ("goals-herb-area", None, "中药材种植面积", 100000, None, "亩", "=", 2021),
    ("goals-selenium-base", None, "富硒农产品示范基地", 100000, None, "亩", "=", 2021),
    ("goals-selenium-value", None, "产值", 420000000, None, "元", "=", 2021),
    ("t1-demo", "s2.1-t1", "养老服务示范机构", 3, None, "个", "=", None),
    ("t1-rural-centres", "s2.1-t1", "区域性农村养老服务中心", 8, None, "个", "=", None),
    ("t2-smart", "s2.1-t2", "智慧健康养老", 1, 2, "个", "=", None),
    ("t3-per-county", "s2.1-t3", "医养融合型养老机构", 1, None, "所", "=", None),
    ("t8-resort", "s2.3-t8", "旅游度假区", 1, None, "家", "=", None),
    ("t17-basketball", "s2.5-t17", "村级篮球场", 20, None, "个", "=", None),
    ("t17-football", "s2.5-t17", "足球场", 5, None, "个", "=", None),
    ("t17-trails", "s2.5-t17", "健身步道", 5, None, "条", "=", None),
    ("t18-events", "s2.5-t18", "体育旅游精品赛事", 3, 5, "项", "=", None),
    ("t18-bases", "s2.5-t18", "体育旅游示范基地", 2, 3, "个", "=", None),
    ("t20-village", "s2.6-t20", "村级示范点", 30, None, "个", "=", None),
    ("t24-towns", "s2.7-t24", "特色旅游小镇", 2, 3, "个", "=", None),
    ("t26-missions", "s2.8-t26", "小分队", 2, 3, "次", "=", None),
    ("t30-firms", "s2.10-t30", "医药企业", 1, 2, "家", "=", None),
]


def _find_target(records, task, keyword, value, unit):
    cands = [t for t in records["targets"]
             if t["task"] == task and t["unit"] == unit and abs(float(t["value"]) - value) < 1e-6]
    if len(cands) > 1:
        # several with one (task, value, unit): pick by the object, exact name first
        exact = [t for t in cands if t["object"] == keyword]
        cands = exact or [t for t in cands if keyword in (t["object"] or "")]
    return cands


@pytest.mark.parametrize("case", TARGETS, ids=[c[0] for c in TARGETS])
def test_target(laibin, case):
    _, task, keyword, value, value_max, unit, comparator, year = case
    found = _find_target(laibin, task, keyword, value, unit)
    assert len(found) == 1, f"{len(found)} targets for {task} {value} {unit} {keyword}"
    t = found[0]
    assert keyword in t["object"] or keyword in t["text"]
    assert t["value_max"] == value_max
    assert t["comparator"] == comparator
    assert t["year"] == year
    assert TEXT[t["start"]:t["end"]] == t["text"]


# numbers in the text that are no targets: (task, value, why)
NOT_TARGETS = [
    ("s2.1-t1", 0.12, "按人均不低于0.12平方米标准建设 (a building standard)"),
    ("s2.5-t17", 15, "15分钟体育健身圈 (a duration)"),
    ("s2.6-t20", 3, "三年行动计划 (a duration)"),
    ("s2.6-t21", 10, "“10+3”特色农业产业 (a name)"),
    ("s2.6-t21", 3, "“10+3” / 三年提升行动"),
    ("s2.8-t27", 16, "第16届 (an ordinal event name)"),
    ("s2.8-t27", 17, "17届 (an ordinal event name)"),
    ("s2.9-t28", 2019, "(2019-2021年) in a document title"),
    ("s2.10-t30", 100000000, "年产值过亿元 (an eligibility threshold)"),
    (None, 2021, "到2021年 (a year)"),
]


@pytest.mark.parametrize("case", NOT_TARGETS, ids=[f"{c[0]}-{c[1]}" for c in NOT_TARGETS])
def test_not_a_target(laibin, case):
    task, value, _why = case
    hits = [t for t in laibin["targets"] if t["task"] == task and abs(float(t["value"]) - value) < 1e-6]
    assert hits == []


def test_targets_in_gold():
    keys = Counter((t["task"], t["value"], t["value_max"], t["unit"], t["comparator"], t["year"])
                   for t in GOLD["targets"])
    for _, task, _kw, value, value_max, unit, comparator, year in TARGETS:
        assert keys[(task, value, value_max, unit, comparator, year)] >= 1, (task, value, unit)
    assert len(GOLD["targets"]) == 37


# ---------------------------------------------------------------- (e) every 牵头单位 accounted for

def test_gold_label_offsets():
    offsets = []
    i = TEXT.find("牵头单位")
    while i >= 0:
        offsets.append(i)
        i = TEXT.find("牵头单位", i + 1)
    assert [o["offset"] for o in GOLD["bracket_label_occurrences"]] == offsets
    assert len(offsets) == 32   # 30 brackets + 2 in the running text of 三、(三)


@pytest.mark.parametrize("occ", GOLD["bracket_label_occurrences"],
                         ids=[f"{o['offset']}-{o['in_task']}" for o in GOLD["bracket_label_occurrences"]])
def test_label_occurrence(laibin, occ):
    offset = occ["offset"]
    tasks = _tasks(laibin)
    if occ["in_task"] is not None:
        task = tasks.get(occ["in_task"])
        assert task is not None
        assert task["start"] <= offset < task["end"]
        assert task["bracket"]["start"] <= offset < task["bracket"]["end"]
    else:
        inside = [t["id"] for t in laibin["tasks"]
                  if t["bracket"] and t["bracket"]["start"] <= offset < t["bracket"]["end"]]
        assert inside == []
        assert [t["id"] for t in laibin["tasks"] if t["start"] <= offset < t["end"]] == []


# ---------------------------------------------------------------- (f) scores against the full gold

def test_score_tasks(laibin):
    s = score_tasks(laibin, GOLD)
    assert s["recall"] == 1.0 and s["precision"] == 1.0, describe(s)


def test_score_roles(laibin):
    s = score_roles(laibin, GOLD)
    assert s["f1"] >= 0.99, describe(s)


def test_score_targets(laibin):
    s = score_targets(laibin, GOLD)
    assert s["recall"] >= 0.90 and s["precision"] >= 0.90, describe(s)
