"""Does the extractor generalise beyond the two bundled plans?

The fixtures in tests/fixtures/ were written for these tests (they are not copies of the bundled
plans): other cities (梧州, 钦州, 玉林), other agency names, other numbering and bracket styles, width
mixes, shared prefixes and suffixes, typos, junk. Every expected value below was written by reading
the fixture text, following graph/RECORDS.md.
"""
from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, extract_records

WUZHOU = FIXTURES / "wuzhou-style.txt"
QINZHOU = FIXTURES / "qinzhou-style.txt"
GBK_PLAN = FIXTURES / "gbk-plan.txt"
NO_TASKS = FIXTURES / "no-tasks.txt"

ENCODINGS = {WUZHOU: "utf-8", QINZHOU: "utf-8", GBK_PLAN: "gbk"}

GBK_NAMES = {"gbk", "gb18030", "gb2312", "cp936"}  # one family of names for the same decoding


def text_of(path) -> str:
    with open(path, encoding=ENCODINGS[path]) as fh:  # text mode, as RECORDS.md prescribes
        return fh.read()


def records(path) -> dict:
    return extract_records(path)


# --------------------------------------------------------------------------------------------------
# Expected tasks. For every task: where it starts (a snippet beginning at the task's number, or at
# its first character when unnumbered), its responsibility bracket as written (None when it has
# none; then `end` is the snippet that closes its paragraph), its number as written, and the lead and
# cooperating bodies by name, in order.
# --------------------------------------------------------------------------------------------------
def T(start, bracket, number, lead, coop, end=None, heading=None, industry=None):
    return dict(start=start, bracket=bracket, number=number, lead=lead, coop=coop, end=end,
                heading=heading, industry=industry)


WUZHOU_TASKS = {
    "s2.1-t1": T("1、完善居家社区养老服务网络",
                 "（牵头部门：市民政局；配合部门：市住房和城乡建设局、市自然资源局，各县（市、区）人民政府）",
                 "1", ["市民政局"], ["市住房和城乡建设局", "市自然资源局", "各县（市、区）人民政府"],
                 heading="完善居家社区养老服务网络", industry="elderly-care"),
    # 牵头单位 in running text, (含技工学校) inside the task, shared prefix 市, trailing 等
    "s2.1-t2": T("2、加强养老服务人才队伍建设",
                 "（牵头单位：市民政局；配合单位：市卫健委、人社局、教育局等）",
                 "2", ["市民政局"], ["市卫健委", "市人社局", "市教育局"],
                 heading="加强养老服务人才队伍建设", industry="elderly-care"),
    # full-width dot, 责任单位 with a single body
    "s2.1-t3": T("3．发展智慧健康养老", "（责任单位：市民政局）",
                 "3", ["市民政局"], [], heading="发展智慧健康养老", industry="elderly-care"),
    # all half-width bracket
    "s2.2-t1": T("1、鼓励社会办医",
                 "(牵头单位:市卫健委;配合单位:市发改委、市医保局,岑溪市人民政府,梧州高新区管委会)",
                 "1", ["市卫健委"], ["市发改委", "市医保局", "岑溪市人民政府", "梧州高新区管委会"],
                 heading="鼓励社会办医", industry="medical"),
    # shared suffix 藤县、蒙山县人民政府
    "s2.2-t2": T("2、发展“互联网+医疗健康”",
                 "（牵头单位：市卫健委；配合单位：市大数据发展局，藤县、蒙山县人民政府）",
                 "2", ["市卫健委"], ["市大数据发展局", "藤县人民政府", "蒙山县人民政府"],
                 heading="发展“互联网+医疗健康”", industry="medical"),
    # width mix: （ ... : ... ； ... ） nested full-width ... ) closing half-width
    "s2.2-t3": T("3、推动中医药壮瑶医药传承创新",
                 "（牵头单位:市卫健委；配合单位：市市场监管局、科技局，各县（市、区）人民政府)",
                 "3", ["市卫健委"], ["市市场监管局", "市科技局", "各县（市、区）人民政府"],
                 heading="推动中医药壮瑶医药传承创新", industry="medical"),
    "s2.3-t1": T("1、打造康养旅游目的地",
                 "（牵头单位：市文化体育和旅游局；配合单位：市农业农村局、林业局，龙圩区人民政府）",
                 "1", ["市文化体育和旅游局"], ["市农业农村局", "市林业局", "龙圩区人民政府"],
                 heading="打造康养旅游目的地", industry="tourism"),
    # two leads
    "s2.3-t2": T("2、培育健康旅游精品线路",
                 "（牵头单位：市文化体育和旅游局、市商务局；配合单位：市交通运输局）",
                 "2", ["市文化体育和旅游局", "市商务局"], ["市交通运输局"],
                 heading="培育健康旅游精品线路", industry="tourism"),
    "s2.4-t1": T("1、建设道地药材规范化种植基地",
                 "（牵头部门：市农业农村局；配合部门：市林业局、市工信局）",
                 "1", ["市农业农村局"], ["市林业局", "市工信局"],
                 heading="建设道地药材规范化种植基地", industry="pharmaceutical"),
    "s2.4-t2": T("2、推动医药企业提质扩能",
                 "（牵头单位：市工信局；配合单位：市科技局，梧州银保监分局）",
                 "2", ["市工信局"], ["市科技局", "梧州银保监分局"],
                 heading="推动医药企业提质扩能", industry="pharmaceutical"),
    # 保障措施 paragraph with its own bracket (unnumbered; indentation is not its first character)
    "s3.2-p1": T("落实国家和自治区支持大健康产业发展",
                 "（牵头单位：市财政局；配合单位：市发改委、市工信局）",
                 None, ["市财政局"], ["市发改委", "市工信局"], industry="cross-cutting"),
}

QINZHOU_TASKS = {
    # 牵头考核单位; collective 各区、县级市 is one body
    "s2.1-t1": T("(1)推进紧密型县域医共体建设",
                 "(牵头考核单位：市卫生健康委员会；配合单位：市医疗保障局、市财政局，各区、县级市)",
                 "1", ["市卫生健康委员会"], ["市医疗保障局", "市财政局", "各区、县级市"],
                 heading="推进紧密型县域医共体建设", industry="medical"),
    "s2.1-t2": T("（2）提升重点专科服务能力",
                 "（牵头单位：市卫生健康委员会；配合单位：市发展改革委、市人力资源社会保障局）",
                 "2", ["市卫生健康委员会"], ["市发展改革委", "市人力资源社会保障局"],
                 heading="提升重点专科服务能力", industry="medical"),
    # numbered, no bracket: kept, no lead, flagged
    "s2.1-t3": T("（3）完善基层医疗卫生服务网络", None, "3", [], [],
                 end="实现每个行政村有1个标准化村卫生室。",
                 heading="完善基层医疗卫生服务网络", industry="medical"),
    # typo 各县〔市、区〕市人民政府 -> 各县〔市、区〕人民政府
    "s2.2-t1": T("(1)扩大普惠养老服务供给",
                 "（牵头单位：市民政局；配合单位：市发展改革委、市住房城乡建设局，各县〔市、区〕市人民政府）",
                 "1", ["市民政局"], ["市发展改革委", "市住房城乡建设局", "各县〔市、区〕人民政府"],
                 heading="扩大普惠养老服务供给", industry="elderly-care"),
    # bullet with its own bracket: starts at its first character, the '-'
    "s2.2-b1": T("- 建设一批社区嵌入式养老服务设施",
                 "（牵头单位：市民政局；配合单位：钦南区人民政府、钦北区人民政府）",
                 None, ["市民政局"], ["钦南区人民政府", "钦北区人民政府"], industry="elderly-care"),
    "s2.2-t2": T("（2）发展老年助餐服务",
                 "（牵头单位：市民政局；配合单位：市市场监督管理局）",
                 "2", ["市民政局"], ["市市场监督管理局"],
                 heading="发展老年助餐服务", industry="elderly-care"),
    # unnumbered paragraph with its own bracket
    "s2.2-p1": T("鼓励社会力量参与养老服务",
                 "（牵头单位：市民政局；配合单位：国家税务总局钦州市税务局）",
                 None, ["市民政局"], ["国家税务总局钦州市税务局"], industry="elderly-care"),
    # half-width opening, full-width closing
    "s2.3-t1": T("(1)打造滨海康养旅游带",
                 "(牵头单位：市文化广电体育和旅游局；配合单位：钦州港经济技术开发区管委会、中马钦州产业园区管委会，市自然资源和规划局）",
                 "1", ["市文化广电体育和旅游局"],
                 ["钦州港经济技术开发区管委会", "中马钦州产业园区管委会", "市自然资源和规划局"],
                 heading="打造滨海康养旅游带", industry="tourism"),
    "s2.3-t2": T("（2）培育海上运动休闲项目",
                 "（牵头单位：市文化广电体育和旅游局；配合单位：市教育局，共青团钦州市委员会）",
                 "2", ["市文化广电体育和旅游局"], ["市教育局", "共青团钦州市委员会"],
                 heading="培育海上运动休闲项目", industry="tourism"),
}

GBK_TASKS = {
    "s2.1-t1": T("1.建设中医药健康产业园区",
                 "（牵头单位：市工业和信息化局；配合单位：市商务局、市投资促进局，玉州区人民政府）",
                 "1", ["市工业和信息化局"], ["市商务局", "市投资促进局", "玉州区人民政府"],
                 heading="建设中医药健康产业园区", industry="pharmaceutical"),
    "s2.1-t2": T("2.发展中药材专业市场", "（牵头单位：市商务局；配合单位：市市场监督管理局）",
                 "2", ["市商务局"], ["市市场监督管理局"],
                 heading="发展中药材专业市场", industry="pharmaceutical"),
    "s2.2-t1": T("1.培育健康食品品牌",
                 "（牵头单位：市农业农村局；配合单位：市市场监督管理局、市工业和信息化局）",
                 "1", ["市农业农村局"], ["市市场监督管理局", "市工业和信息化局"],
                 heading="培育健康食品品牌", industry="food"),
}

EXPECTED_TASKS = {WUZHOU: WUZHOU_TASKS, QINZHOU: QINZHOU_TASKS, GBK_PLAN: GBK_TASKS}

TASK_CASES = [
    pytest.param(path, tid, exp, id=f"{path.stem}:{tid}")
    for path, tasks in EXPECTED_TASKS.items()
    for tid, exp in tasks.items()
]


def task_by_id(rec: dict, tid: str) -> dict:
    found = [t for t in rec["tasks"] if t["id"] == tid]
    assert len(found) == 1, f"task {tid}: {len(found)} records; ids = {[t['id'] for t in rec['tasks']]}"
    return found[0]


def names(bodies) -> list[str]:
    return [b["name"] for b in bodies]


def expected_span(text: str, exp: dict) -> tuple[int, int, tuple[int, int] | None]:
    start = text.index(exp["start"])
    if exp["bracket"] is not None:
        b0 = text.index(exp["bracket"], start)
        b1 = b0 + len(exp["bracket"])
        return start, b1, (b0, b1)
    e = text.index(exp["end"], start) + len(exp["end"])
    return start, e, None


# --- task counts and ids ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", list(EXPECTED_TASKS), ids=lambda p: p.stem)
def test_task_ids_and_count(path):
    rec = records(path)
    got = [t["id"] for t in rec["tasks"]]
    assert len(got) == len(EXPECTED_TASKS[path]), got
    assert sorted(got) == sorted(EXPECTED_TASKS[path])
    assert len(set(got)) == len(got), "duplicate task ids"


def test_attachment_list_is_not_tasks():
    rec = records(WUZHOU)
    text = text_of(WUZHOU)
    attachments = text.index("附件：")
    assert all(t["start"] < attachments for t in rec["tasks"])
    assert not any("重点项目表" in text[t["start"]:t["end"]] for t in rec["tasks"])


# --- every task: lead and cooperating names, number, spans -------------------------------------------
@pytest.mark.parametrize("path,tid,exp", TASK_CASES)
def test_task_lead_and_cooperating(path, tid, exp):
    task = task_by_id(records(path), tid)
    assert names(task["lead"]) == exp["lead"]
    assert names(task["cooperating"]) == exp["coop"]
    assert [b["position"] for b in task["lead"]] == list(range(1, len(exp["lead"]) + 1))


@pytest.mark.parametrize("path,tid,exp", TASK_CASES)
def test_task_number_section_industry(path, tid, exp):
    task = task_by_id(records(path), tid)
    assert task["number"] == exp["number"]
    assert task["section"] == tid.split("-")[0]
    assert task["industry"] == exp["industry"]
    if exp["heading"] is not None:
        assert task["heading"] == exp["heading"]


@pytest.mark.parametrize("path,tid,exp", TASK_CASES)
def test_task_span_from_number_to_bracket(path, tid, exp):
    text = text_of(path)
    task = task_by_id(records(path), tid)
    start, end, bracket = expected_span(text, exp)
    assert (task["start"], task["end"]) == (start, end), (
        f"got {text[task['start']:task['end']]!r}")
    if bracket is None:
        assert task["bracket"] is None
    else:
        assert (task["bracket"]["start"], task["bracket"]["end"]) == bracket
        # every named body lies inside the bracket; a name written out in full is quoted exactly
        for body in task["lead"] + task["cooperating"]:
            assert bracket[0] <= body["start"] < body["end"] <= bracket[1], body
            if body["name"] in exp["bracket"] and exp["bracket"].count(body["name"]) == 1:
                assert text[body["start"]:body["end"]] == body["name"]


@pytest.mark.parametrize("path,tid,exp", TASK_CASES)
def test_task_flags(path, tid, exp):
    task = task_by_id(records(path), tid)
    if exp["bracket"] is None:
        assert "no-bracket" in task["flags"]
    else:
        assert "no-bracket" not in task["flags"]


def test_task_spans_in_order():
    for path in EXPECTED_TASKS:
        tasks = sorted(records(path)["tasks"], key=lambda t: t["start"])
        for a, b in zip(tasks, tasks[1:]):
            assert a["end"] <= b["start"], (a["id"], b["id"])


# --- bodies --------------------------------------------------------------------------------------------
def body(rec: dict, name: str) -> dict:
    for t in rec["tasks"]:
        for b in t["lead"] + t["cooperating"]:
            if b["name"] == name:
                return b
    raise AssertionError(f"no body named {name!r}")


ASCII_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

BODY_CASES = [
    # path, name, id (None: only the city prefix is checked), kind, functions (as a set)
    (WUZHOU, "市民政局", "wuzhou-civil-affairs-bureau", "municipal-department", {"civil-affairs"}),
    (WUZHOU, "市卫健委", "wuzhou-health-commission", "municipal-department", {"health"}),
    (WUZHOU, "市发改委", "wuzhou-development-reform-commission", "municipal-department",
     {"development-reform"}),
    (WUZHOU, "市住房和城乡建设局", "wuzhou-housing-construction-bureau", "municipal-department",
     {"housing-construction"}),
    (WUZHOU, "市市场监管局", "wuzhou-market-regulation-bureau", "municipal-department",
     {"market-regulation"}),
    (WUZHOU, "市人社局", "wuzhou-human-resources-social-security-bureau", "municipal-department",
     {"human-resources"}),
    (WUZHOU, "各县（市、区）人民政府", "wuzhou-county-governments", "county-collective",
     {"local-government"}),
    (WUZHOU, "梧州银保监分局", "wuzhou-banking-insurance-regulatory-branch", "higher-level-branch",
     {"banking-insurance-regulation"}),
    (WUZHOU, "市文化体育和旅游局", None, "municipal-department", {"culture-tourism", "sports"}),
    (WUZHOU, "岑溪市人民政府", None, "county-government", {"local-government"}),
    (WUZHOU, "藤县人民政府", None, "county-government", {"local-government"}),
    (WUZHOU, "梧州高新区管委会", None, "development-zone-committee", {"development-zone"}),
    (QINZHOU, "各区、县级市", "qinzhou-county-governments", "county-collective", {"local-government"}),
    (QINZHOU, "各县〔市、区〕人民政府", "qinzhou-county-governments", "county-collective",
     {"local-government"}),
    (QINZHOU, "市卫生健康委员会", "qinzhou-health-commission", "municipal-department", {"health"}),
    (QINZHOU, "市文化广电体育和旅游局", "qinzhou-culture-tourism-bureau", "municipal-department",
     {"culture-tourism"}),
    (QINZHOU, "市医疗保障局", "qinzhou-healthcare-security-bureau", "municipal-department",
     {"healthcare-security"}),
    (QINZHOU, "国家税务总局钦州市税务局", None, "higher-level-branch", {"taxation"}),
    (QINZHOU, "钦州港经济技术开发区管委会", None, "development-zone-committee", {"development-zone"}),
    (QINZHOU, "共青团钦州市委员会", None, "mass-organisation", None),
    (GBK_PLAN, "市工业和信息化局", "yulin-industry-it-bureau", "municipal-department", {"industry-it"}),
    (GBK_PLAN, "玉州区人民政府", None, "county-government", {"local-government"}),
]


@pytest.mark.parametrize("path,name,bid,kind,functions", BODY_CASES,
                         ids=[f"{c[0].stem}:{c[1]}" for c in BODY_CASES])
def test_body_kind_functions_id(path, name, bid, kind, functions):
    rec = records(path)
    b = body(rec, name)
    assert b["kind"] == kind
    if functions is not None:
        assert set(b["functions"]) == functions
    assert ASCII_ID.match(b["id"]), b["id"]
    assert b["id"].startswith(rec["plan"]["city_id"] + "-")
    if bid is not None:
        assert b["id"] == bid


def test_same_body_same_id_within_plan():
    rec = records(QINZHOU)
    # both spellings of the county-governments collective are one body
    assert body(rec, "各区、县级市")["id"] == body(rec, "各县〔市、区〕人民政府")["id"]


def test_unknown_agencies():
    # RECORDS.md does not define "unknown" beyond its example ({..., "functions": []}). What holds
    # under any reading: a body neither listed in bodies.tsv nor given a function by keyword is
    # unknown; bodies listed in bodies.tsv are not.
    rec = records(WUZHOU)
    unknown = {u["name"] for u in rec["unknown_agencies"]}
    for name in ("市民政局", "市卫健委", "市发改委", "各县（市、区）人民政府", "梧州银保监分局"):
        assert name not in unknown
    rec = records(QINZHOU)
    unknown = {u["name"] for u in rec["unknown_agencies"]}
    # The Communist Youth League committee is listed since issue 16 (团市委, 共青团…市委员会): not unknown.
    assert "共青团钦州市委员会" not in unknown
    assert "各区、县级市" not in unknown and "市卫生健康委员会" not in unknown
    for u in rec["unknown_agencies"]:
        assert set(u) >= {"name", "id", "kind", "functions"}


def test_typo_is_warned_about():
    rec = records(QINZHOU)
    assert any("各县〔市、区〕" in w for w in rec["warnings"]), rec["warnings"]


# --- plan --------------------------------------------------------------------------------------------
def test_plan_wuzhou():
    plan = records(WUZHOU)["plan"]
    assert plan["id"] == "wuzhou-2021-5"
    assert plan["city"] == "梧州市"
    assert plan["city_id"] == "wuzhou"
    assert plan["issuer"] == "梧州市人民政府"
    assert plan["doc_number"] == "梧政发〔2021〕5号"
    assert plan["title"] == "梧州市加快大健康产业发展实施方案"
    assert plan["notice_title"] == "梧州市人民政府关于印发梧州市加快大健康产业发展实施方案的通知"
    assert plan["issued"] == "2021-03-12"
    assert plan["published"] == "2021-03-16"
    assert "桂政发〔2019〕33号" in plan["implements"]
    assert plan["doc_number"] not in plan["implements"]
    assert plan["period"] is None  # no period in the title, no metadata file
    assert plan["encoding"].lower().replace("_", "-") in {"utf-8", "utf8"}


def test_plan_qinzhou():
    plan = records(QINZHOU)["plan"]
    assert plan["id"] == "qinzhou-2022-7"
    assert plan["city"] == "钦州市"
    assert plan["city_id"] == "qinzhou"
    assert plan["issuer"] == "钦州市人民政府"
    assert plan["doc_number"] == "钦政发〔2022〕7号"
    assert plan["title"].startswith("钦州市大健康产业发展三年行动方案")
    assert "首页" not in plan["title"]
    assert plan["notice_title"].startswith("钦州市人民政府关于印发钦州市大健康产业发展三年行动方案")
    assert plan["notice_title"].endswith("的通知")
    assert plan["issued"] == "2022-04-26"
    assert plan["published"] == "2022-05-06"
    assert "桂政发〔2019〕33号" in plan["implements"]
    assert "桂政办发〔2021〕95号" in plan["implements"]
    assert plan["doc_number"] not in plan["implements"]
    assert plan["period"] == {"start": 2022, "end": 2024}


def test_plan_gbk():
    plan = records(GBK_PLAN)["plan"]
    assert plan["id"] == "yulin-2020-18"
    assert plan["city"] == "玉林市"
    assert plan["city_id"] == "yulin"
    assert plan["doc_number"] == "玉政发〔2020〕18号"
    assert plan["title"] == "玉林市大健康产业发展实施方案"
    assert plan["issued"] == "2020-06-08"
    assert "桂政发〔2019〕33号" in plan["implements"]
    assert plan["encoding"].lower().replace("_", "-") in GBK_NAMES


def test_gbk_fixture_is_really_gbk():
    raw = GBK_PLAN.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "玉林市" in raw.decode("gbk")


# --- sections ----------------------------------------------------------------------------------------
def test_sections_wuzhou():
    secs = records(WUZHOU)["sections"]
    assert [s["id"] for s in secs] == ["s1", "s1.1", "s1.2", "s2", "s2.1", "s2.2", "s2.3", "s2.4",
                                       "s3", "s3.1", "s3.2", "s3.3"]
    by_id = {s["id"]: s for s in secs}
    assert by_id["s2.1"]["heading"] == "加快发展健康养老产业"
    assert by_id["s2.4"]["heading"] == "做强健康医药产业"
    assert [by_id[f"s2.{k}"]["industry"] for k in range(1, 5)] == [
        "elderly-care", "medical", "tourism", "pharmaceutical"]
    for s in secs:
        assert s["level"] == (1 if "." not in s["id"] else 2)
        if s["level"] == 2:
            assert s["parent"] == s["id"].split(".")[0]


def test_sections_qinzhou():
    secs = records(QINZHOU)["sections"]
    assert [s["id"] for s in secs] == ["s1", "s2", "s2.1", "s2.2", "s2.3", "s3", "s3.1", "s3.2"]
    by_id = {s["id"]: s for s in secs}
    assert [by_id[f"s2.{k}"]["industry"] for k in range(1, 4)] == [
        "medical", "elderly-care", "tourism"]


# --- chain leads -------------------------------------------------------------------------------------
def test_chain_leads_wuzhou():
    rec = records(WUZHOU)
    text = text_of(WUZHOU)
    got = [(c["industry"], c["role"], c["agency"]["name"]) for c in rec["chain_leads"]]
    expected = {
        ("elderly-care", "industry-lead", "市民政局"),
        ("medical", "industry-lead", "市卫健委"),
        ("tourism", "industry-lead", "市文化体育和旅游局"),
        ("sports", "industry-lead", "市文化体育和旅游局"),  # one merged bureau leads two chains
        ("pharmaceutical", "industry-lead", "市工信局"),
        ("food", "industry-lead", "市农业农村局"),
        (None, "overall-coordination", "市发改委"),
        (None, "joint-meeting-office", "市发改委"),
    }
    assert set(got) == expected
    assert len(got) == len(expected)
    for c in rec["chain_leads"]:
        assert text[c["start"]:c["end"]] == c["text"]
        assert c["agency"]["name"] in c["text"]
    elderly = next(c for c in rec["chain_leads"] if c["industry"] == "elderly-care")
    assert elderly["text"] == "市民政局负责牵头抓健康养老产业发展"
    assert elderly["agency"]["id"] == "wuzhou-civil-affairs-bureau"


def test_no_chain_leads_qinzhou():
    assert records(QINZHOU)["chain_leads"] == []


# --- targets -----------------------------------------------------------------------------------------
# owner ("goals" or a task id), value, value_max, unit, comparator, year, a snippet the quote contains
TARGET_CASES = [
    (WUZHOU, "goals", 0.9, None, "张", "=", 2023, "0.9张"),
    (WUZHOU, "goals", 55, None, "%", ">=", 2023, "55%"),
    (WUZHOU, "goals", 80000, None, "亩", "=", 2023, "8万亩"),
    (WUZHOU, "goals", 2.0, None, "平方米", "=", 2023, "2.0平方米"),
    (WUZHOU, "goals", 1.2e10, None, "元", "~", 2023, "120亿元"),
    (WUZHOU, "s2.1-t1", 12, None, "个", "=", 2023, "12个"),
    (WUZHOU, "s2.1-t2", 300, None, "人次", ">=", None, "300人次"),
    (WUZHOU, "s2.1-t3", 1, 2, "个", "=", 2022, "1-2个"),
    (WUZHOU, "s2.2-t1", 0.9, None, "张", "=", 2023, "0.9张"),
    (WUZHOU, "s2.3-t1", 1, None, "家", "=", None, "1家"),
    (WUZHOU, "s2.3-t2", 3, None, "条", ">=", None, "3条"),
    (WUZHOU, "s2.4-t1", 15000, None, "亩", "=", 2022, "1.5万亩"),
    (WUZHOU, "s2.4-t2", 5e9, None, "元", ">=", None, "50亿元"),
    (WUZHOU, "s3.2-p1", 2e7, None, "元", ">=", None, "2000万元"),
    (QINZHOU, "goals", 3e10, None, "元", ">=", 2024, "300亿元"),
    (QINZHOU, "goals", 2.6, None, "人", "=", 2024, "2.6人"),
    (QINZHOU, "goals", 2, None, "个", ">=", 2024, "2个"),
    (QINZHOU, "s2.1-t1", 90, None, "%", ">=", 2023, "90%"),
    (QINZHOU, "s2.1-t2", 3, None, "个", "=", None, "3个"),
    (QINZHOU, "s2.2-t1", 60, None, "%", "=", 2024, "60%"),
    (QINZHOU, "s2.2-b1", 2, None, "个", ">=", 2023, "2个"),  # 至少 ... 2个: at least
    (QINZHOU, "s2.2-t2", 50, None, "个", ">=", None, "50个"),
    (QINZHOU, "s2.3-t1", 5, None, "个", "=", None, "5个"),
    (QINZHOU, "s2.3-t2", 4, None, "场", ">=", None, "4场"),
    (GBK_PLAN, "goals", 300000, None, "亩", ">=", 2022, "30万亩"),
    (GBK_PLAN, "goals", 8e9, None, "元", "~", 2022, "80亿元"),
    (GBK_PLAN, "s2.1-t2", 5e10, None, "元", ">=", None, "500亿元"),
]


@pytest.mark.parametrize(
    "path,owner,value,value_max,unit,comparator,year,snippet", TARGET_CASES,
    ids=[f"{c[0].stem}:{c[1]}:{c[7]}" for c in TARGET_CASES])
def test_target(path, owner, value, value_max, unit, comparator, year, snippet):
    rec = records(path)
    task = None if owner == "goals" else owner
    found = [g for g in rec["targets"]
             if g["task"] == task and g["unit"] == unit and g["value"] == pytest.approx(value)]
    assert len(found) == 1, (
        f"{len(found)} matches; targets of {owner}: "
        f"{[(g['value'], g['unit'], g['text']) for g in rec['targets'] if g['task'] == task]}")
    g = found[0]
    assert g["id"].startswith(f"{owner}-g")
    assert snippet in g["text"]
    assert g["comparator"] == comparator
    if value_max is None:
        assert g["value_max"] is None
    else:
        assert g["value_max"] == pytest.approx(value_max)
    assert g["year"] == year


OBJECT_CASES = [
    (WUZHOU, 0.9, "张", "每千常住人口社会办医床位数"),
    (WUZHOU, 55, "%", "护理型养老床位占比"),
    (QINZHOU, 2.6, "人", "每千常住人口执业（助理）医师数"),  # a parenthesis inside the object
]


@pytest.mark.parametrize("path,value,unit,obj", OBJECT_CASES,
                         ids=[f"{c[0].stem}:{c[3]}" for c in OBJECT_CASES])
def test_goal_target_object(path, value, unit, obj):
    rec = records(path)
    g = next(g for g in rec["targets"] if g["task"] is None and g["unit"] == unit
             and g["value"] == pytest.approx(value))
    assert g["object"] == obj
    assert obj in g["text"]


@pytest.mark.parametrize("path", list(EXPECTED_TASKS), ids=lambda p: p.stem)
def test_every_target_quote_matches_span(path):
    rec = records(path)
    text = text_of(path)
    assert rec["targets"], "no targets at all"
    for g in rec["targets"]:
        assert text[g["start"]:g["end"]] == g["text"], g
    ids = [g["id"] for g in rec["targets"]]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("path", list(EXPECTED_TASKS), ids=lambda p: p.stem)
def test_task_targets_lie_inside_their_task(path):
    rec = records(path)
    tasks = {t["id"]: t for t in rec["tasks"]}
    for g in rec["targets"]:
        if g["task"] is not None:
            t = tasks[g["task"]]
            assert t["start"] <= g["start"] < g["end"] <= t["end"], g


# --- no tasks ------------------------------------------------------------------------------------------
def test_no_tasks_raises():
    from healthkg.graph.extract.records import NoTasksFound, extract_file

    with pytest.raises(NoTasksFound):
        extract_file(NO_TASKS)
