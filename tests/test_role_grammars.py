"""Issue 16: the other ways plans write who leads and who co-operates, several brackets in one task,
deadlines, level-2 tasks, and a partial result instead of a refusal.

The fixtures are invented plans written for these tests (not copies of real ones), one per family of forms:
hezhou-verbs.txt (roles as verbs, （四）…（十一） tasks right under 二、, several brackets a task, 会同,
共同负责, deadlines), beihai-role-agnostic.txt (负责 alone: the plan never tells lead from co-operating),
baise-label-variants.txt (label variants, labels after a deadline, a score bracket, a line of labels, a body
whose name holds a role word, a bracket that cannot be read), national-style.txt (a State Council opinion:
central bodies in their short forms, numbering running on across parts, a level-2 item without a bracket),
roles-not-understood.txt (no task understood).
Every expected value below was written by reading the fixture, following graph/RECORDS.md.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, LAIBIN, LIUZHOU, ROOT, extract_records
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF

from healthkg.graph.extract.deadlines import parse as parse_deadline
from healthkg.graph.extract.records import NoTasksFound, extract_file, extract_text
from healthkg.graph.rdf.build import build_graph

HK = Namespace("https://w3id.org/healthkg/ontology#")
HKC = Namespace("https://w3id.org/healthkg/concept/")
TIME = Namespace("http://www.w3.org/2006/time#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes

HEZHOU = FIXTURES / "hezhou-verbs.txt"
BEIHAI = FIXTURES / "beihai-role-agnostic.txt"
BAISE = FIXTURES / "baise-label-variants.txt"
NATIONAL = FIXTURES / "national-style.txt"
NOT_UNDERSTOOD = FIXTURES / "roles-not-understood.txt"


def B(bracket, covers, lead, coop, deadline=None):
    """A bracket as written, the text it covers (as written), its leads and co-operating bodies, and
    its deadline (text, date, kind) or None."""
    return dict(bracket=bracket, covers=covers, lead=lead, coop=coop, deadline=deadline)


def T(number, heading, lead, coop, brackets, flags=()):
    return dict(number=number, heading=heading, lead=lead, coop=coop, brackets=brackets, flags=list(flags))


HEZHOU_TASKS = {
    # two sentences, each with its own bracket; 负责 alone leads
    "s2.4-p1": T("四", "完善居家社区养老服务网络", ["市民政局"], ["市住房城乡建设局", "市残联"], [
        B("（市民政局负责）", "（四）完善居家社区养老服务网络。推进街道综合养老服务中心建设", ["市民政局"], []),
        B("（市民政局牵头，市住房城乡建设局、市残联配合）", "实施特殊困难老年人家庭适老化改造",
          ["市民政局"], ["市住房城乡建设局", "市残联"])]),
    # 会同 and a deadline after the roles
    "s2.5-p1": T("五", "推动医养结合发展", ["市卫生健康委"], ["市民政局"], [
        B("（市卫生健康委会同市民政局负责，2023年底前完成）",
          "（五）推动医养结合发展。支持医疗机构开展医养结合服务，每个县区至少建成1家医养结合机构。",
          ["市卫生健康委"], ["市民政局"], ("2023年底前完成", "2023-12-31", "by-date"))]),
    # after a 牵头 clause, 按职责分工负责 means co-operating
    "s2.6-p1": T("六", "发展健康养老产业集群", ["市发展改革委"], ["市财政局", "市自然资源局"], [
        B("（市发展改革委牵头，市财政局、市自然资源局按职责分工负责）",
          "（六）发展健康养老产业集群。培育一批养老服务龙头企业，打造康养产业园区。",
          ["市发展改革委"], ["市财政局", "市自然资源局"])]),
    # 共同负责: joint leads; 每年 recurring; then a second bracket: ongoing. 市商务局 leads in both.
    "s2.7-p1": T("七", "扩大养老服务消费", ["市商务局", "市民政局"], ["市市场监管局"], [
        B("（市商务局、市民政局共同负责，每年）", "（七）扩大养老服务消费。开展养老服务消费季活动",
          ["市商务局", "市民政局"], [], ("每年", None, "recurring")),
        B("（市商务局牵头，市市场监管局配合，持续推进）", "推动老年用品进商场、进超市",
          ["市商务局"], ["市市场监管局"], ("持续推进", None, "ongoing"))]),
    "s2.8-p1": T("八", "加强养老护理人才培养", ["市人力资源社会保障局", "市民政局", "市教育局"], [], [
        B("（市人力资源社会保障局、市民政局、市教育局负责，长期坚持）",
          "（八）加强养老护理人才培养。将养老护理员纳入职业技能提升行动",
          ["市人力资源社会保障局", "市民政局", "市教育局"], [], ("长期坚持", None, "ongoing"))]),
    # a provincial department and a vertically managed office
    "s2.9-p1": T("九", "拓展健康养老跨境合作", ["省商务厅"], ["海关"], [
        B("（省商务厅牵头，海关配合）", "（九）拓展健康养老跨境合作。引进境外养老服务机构，扩大康养产品进口",
          ["省商务厅"], ["海关"])]),
    # a body whose own name holds a role word (…成员单位) stays one body
    "s2.10-p1": T("十", "巩固脱贫地区养老服务", ["市乡村振兴工作领导小组成员单位"], [], [
        B("（市乡村振兴工作领导小组成员单位按职责分工负责，2022年6月底前）",
          "（十）巩固脱贫地区养老服务。统筹乡村养老服务设施建设",
          ["市乡村振兴工作领导小组成员单位"], [], ("2022年6月底前", "2022-06-30", "by-date"))]),
    "s2.11-p1": T("十一", "推进智慧健康养老", ["市大数据发展局", "市工业和信息化局"], ["市科技局"], [
        B("（市大数据发展局负责）", "（十一）推进智慧健康养老。建设全市养老服务信息平台", ["市大数据发展局"], []),
        B("（市工业和信息化局牵头，市科技局配合）", "鼓励企业研发智能养老产品", ["市工业和信息化局"], ["市科技局"])]),
}

BEIHAI_TASKS = {
    "s2.1-t1": T("1", "提升县级医院服务能力", ["市卫生健康委"], [], [
        B("（市卫生健康委负责）", "1.提升县级医院服务能力。推进县级医院达到二级甲等以上水平", ["市卫生健康委"], [])]),
    "s2.1-t2": T("2", "推进“互联网+医疗健康”", ["市卫生健康委", "市大数据发展局", "市医保局"], [], [
        B("（市卫生健康委、市大数据发展局、市医保局负责，2022年底前完成）",
          "2.推进“互联网+医疗健康”。建设全民健康信息平台。",
          ["市卫生健康委", "市大数据发展局", "市医保局"], [], ("2022年底前完成", "2022-12-31", "by-date"))]),
    # numbered, no bracket, in a section with brackets: a task without bodies, flagged
    "s2.1-t3": T("3", "发展中医药服务", [], [], [], flags=["no-bracket"]),
    "s2.2-t1": T("1", "打造滨海康养旅游目的地", ["市文化广电体育和旅游局"], [], [
        B("（市文化广电体育和旅游局负责）", "1.打造滨海康养旅游目的地。", ["市文化广电体育和旅游局"], [])]),
    "s2.2-t2": T("2", "培育海洋运动项目", ["市文化广电体育和旅游局", "市体育局"], [], [
        B("（市文化广电体育和旅游局、市体育局负责；持续推进）", "2.培育海洋运动项目。",
          ["市文化广电体育和旅游局", "市体育局"], [], ("持续推进", None, "ongoing"))]),
}

BAISE_TASKS = {
    # the label after a deadline
    "s2.1-t1": T("1", "建设区域养老服务中心", ["市政府办公室", "市公安局"], [], [
        B("（2022年6月底前完成，牵头考核单位：市政府办公室、市公安局）",
          "1.建设区域养老服务中心。每个县建成1个区域养老服务中心。",
          ["市政府办公室", "市公安局"], [], ("2022年6月底前完成", "2022-06-30", "by-date"))]),
    # a score bracket before it is no role bracket; half-width colons and separators
    "s2.1-t2": T("2", "推进养老机构消防安全达标", ["市民政局"], ["市消防救援支队", "市住房城乡建设局"], [
        B("（牵头单位:市民政局;配合单位:市消防救援支队,市住房城乡建设局）", "2.推进养老机构消防安全达标。（0.25分）",
          ["市民政局"], ["市消防救援支队", "市住房城乡建设局"])]),
    "s2.1-t3": T("3", "开展老年人能力评估", ["市民政局", "市卫生健康委"], [], [
        B("（持续推进，责任单位：市民政局、市卫生健康委）", "3.开展老年人能力评估。", ["市民政局", "市卫生健康委"], [],
          ("持续推进", None, "ongoing"))]),
    # 牵头部门 / 参与单位, separated by ，; a collective with a bracket inside it
    "s2.1-t4": T("4", "发展农村互助养老", ["市民政局"], ["市乡村振兴工作领导小组成员单位", "各县（市、区）人民政府"], [
        B("（牵头部门：市民政局，参与单位：市乡村振兴工作领导小组成员单位、各县（市、区）人民政府）",
          "4.发展农村互助养老。",
          ["市民政局"], ["市乡村振兴工作领导小组成员单位", "各县（市、区）人民政府"])]),
    # a line of labels, verbs inside it, and a 完成时限 line under it: one bracket without parentheses
    "s2.2-t1": T("1", "建设区域医疗中心", ["市卫生健康委"], ["市发展改革委", "市财政局"], [
        B("责任单位：市卫生健康委牵头，市发展改革委、市财政局配合\n完成时限：2024年12月31日前",
          "1.建设区域医疗中心。推进市人民医院创建区域医疗中心。", ["市卫生健康委"], ["市发展改革委", "市财政局"],
          ("2024年12月31日前", "2024-12-31", "by-date"))]),
    "s2.2-t2": T("2", "发展跨境医疗服务", ["市卫生健康委"], ["百色海关", "市商务局"], [
        B("（牵头单位：市卫生健康委；配合单位：百色海关、市商务局；完成时限：每年）", "2.发展跨境医疗服务。",
          ["市卫生健康委"], ["百色海关", "市商务局"], ("每年", None, "recurring"))]),
    # its bracket names a role word but cannot be read: a task without bodies, and listed under unparsed
    "s2.2-t3": T("3", "推进医疗卫生人才下沉", [], [], [], flags=["no-bracket"]),
    # a level-2 item with its own bracket in the safeguards; …工作专班牵头单位 is one body
    "s3.1-p1": T("一", "加强组织领导", ["市大健康产业发展工作专班牵头单位"], ["市直有关部门"], [
        B("（牵头单位：市大健康产业发展工作专班牵头单位；配合单位：市直有关部门）",
          "（一）加强组织领导。成立市大健康产业发展工作专班，专班办公室设在市发展改革委。",
          ["市大健康产业发展工作专班牵头单位"], ["市直有关部门"])]),
}

NATIONAL_TASKS = {
    # numbering runs on across parts: （四）…（六） under 二、, （七）…（九） under 三、
    "s2.4-p1": T("四", "发展社区健康服务", ["国家卫生健康委", "国家发展改革委", "民政部"], [], [
        B("（国家卫生健康委负责）", "（四）发展社区健康服务。支持社区卫生服务机构开设老年病科。",
          ["国家卫生健康委"], []),
        B("（国家发展改革委、民政部按职责分工负责，2025年底前完成）", "推动社区嵌入式服务设施建设。",
          ["国家发展改革委", "民政部"], [], ("2025年底前完成", "2025-12-31", "by-date"))]),
    "s2.5-p1": T("五", "培育服务机构", ["民政部"], ["国家卫生健康委", "市场监管总局"], [
        B("（民政部牵头，国家卫生健康委、市场监管总局等按职责分工负责）",
          "（五）培育服务机构。鼓励社会力量举办康复护理机构",
          ["民政部"], ["国家卫生健康委", "市场监管总局"])]),
    # a level-2 item without a bracket among items with one: a task without bodies, flagged
    "s2.6-p1": T("六", "加强人才队伍建设", [], [], [], flags=["no-bracket"]),
    "s3.7-p1": T("七", "加大金融支持", ["人民银行", "金融监管总局"], [], [
        B("（人民银行、金融监管总局负责；持续推进）", "（七）加大金融支持。引导金融机构创新适老金融产品",
          ["人民银行", "金融监管总局"], [], ("持续推进", None, "ongoing"))]),
    "s3.8-p1": T("八", "保障设施用地", ["自然资源部"], ["住房城乡建设部"], [
        B("（自然资源部会同住房城乡建设部负责）", "（八）保障设施用地。", ["自然资源部"], ["住房城乡建设部"])]),
    "s3.9-p1": T("九", "完善价格政策", ["国家发展改革委"], ["国家医保局", "国家卫生健康委"], [
        B("（国家发展改革委牵头，国家医保局、国家卫生健康委配合，每年）",
          "（九）完善价格政策。建立护理服务价格形成机制。",
          ["国家发展改革委"], ["国家医保局", "国家卫生健康委"], ("每年", None, "recurring"))]),
}

EXPECTED = {HEZHOU: HEZHOU_TASKS, BEIHAI: BEIHAI_TASKS, BAISE: BAISE_TASKS, NATIONAL: NATIONAL_TASKS}
CASES = [pytest.param(path, tid, exp, id=f"{path.stem}:{tid}") for path, tasks in EXPECTED.items()
         for tid, exp in tasks.items()]


def text_of(path) -> str:
    return path.read_text(encoding="utf-8")


def task_of(path, tid) -> dict:
    found = [t for t in extract_records(path)["tasks"] if t["id"] == tid]
    assert len(found) == 1, [t["id"] for t in extract_records(path)["tasks"]]
    return found[0]


def names(bodies) -> list[str]:
    return [b["name"] for b in bodies]


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: p.stem)
def test_the_tasks_are_exactly_these(path):
    """Framework items (指导思想, 基本原则, 发展目标) and safeguards without a bracket are no tasks."""
    assert [t["id"] for t in extract_records(path)["tasks"]] == list(EXPECTED[path])


@pytest.mark.parametrize("path,tid,exp", CASES)
def test_task_roles_number_heading(path, tid, exp):
    task = task_of(path, tid)
    assert (task["number"], task["heading"]) == (exp["number"], exp["heading"])
    assert names(task["lead"]) == exp["lead"]
    assert names(task["cooperating"]) == exp["coop"]
    assert task["flags"] == exp["flags"]


@pytest.mark.parametrize("path,tid,exp", CASES)
def test_task_brackets(path, tid, exp):
    text, task = text_of(path), task_of(path, tid)
    assert len(task["brackets"]) == len(exp["brackets"])
    for got, want in zip(task["brackets"], exp["brackets"]):
        assert text[got["start"]:got["end"]] == want["bracket"]
        assert text[got["covers"]["start"]:got["covers"]["end"]] == want["covers"]
        assert names(got["lead"]) == want["lead"] and names(got["cooperating"]) == want["coop"]
        for body in got["lead"] + got["cooperating"]:
            assert got["start"] <= body["start"] < body["end"] <= got["end"]
            written = text[body["start"]:body["end"]]      # as written: 市场监管总局等 is 市场监管总局
            assert written == body["name"] or written == body["name"] + "等", (written, body["name"])
        if want["deadline"] is None:
            assert got["deadline"] is None
        else:
            deadline = got["deadline"]
            assert (deadline["text"], deadline["date"], deadline["kind"]) == want["deadline"]
            assert text[deadline["start"]:deadline["end"]] == deadline["text"]
    if exp["brackets"]:
        last = task["brackets"][-1]
        assert task["bracket"] == {"start": last["start"], "end": last["end"]}
        assert task["end"] == last["end"]
    else:
        assert task["bracket"] is None


@pytest.mark.parametrize("path,tid,exp", CASES)
def test_a_body_lists_the_brackets_that_name_it(path, tid, exp):
    task = task_of(path, tid)
    for role in ("lead", "cooperating"):
        for body in task[role]:
            named_by = [number for number, bracket in enumerate(task["brackets"], 1)
                        if body["id"] in {b["id"] for b in bracket[role]}]
            assert body["brackets"] == named_by, (role, body["name"])


def test_a_body_in_two_brackets_is_one_record():
    task = task_of(HEZHOU, "s2.7-p1")
    commerce = [b for b in task["lead"] if b["name"] == "市商务局"]
    assert len(commerce) == 1 and commerce[0]["brackets"] == [1, 2]
    task = task_of(HEZHOU, "s2.4-p1")
    assert [b["brackets"] for b in task["lead"]] == [[1, 2]]


def test_role_agnostic_plan_is_flagged():
    assert extract_records(BEIHAI)["plan"]["role_agnostic"] is True
    assert extract_records(HEZHOU)["plan"]["role_agnostic"] is False
    assert extract_records(BAISE)["plan"]["role_agnostic"] is False
    assert extract_records(LAIBIN)["plan"]["role_agnostic"] is False


def test_a_bracket_not_understood_is_listed_and_warned_about():
    text, records = text_of(BAISE), extract_records(BAISE)
    paragraph = "3.推进医疗卫生人才下沉。（具体工作由各地结合实际统筹推进，牵头同志每季度报告进展）"
    bracket = "（具体工作由各地结合实际统筹推进，牵头同志每季度报告进展）"
    start = text.index(paragraph)
    assert [(u["start"], u["end"]) for u in records["unparsed"]] == [(start, start + len(paragraph))]
    b0 = text.index(bracket)
    assert records["unparsed"][0]["brackets"] == [{"start": b0, "end": b0 + len(bracket)}]
    line = text.count("\n", 0, b0) + 1
    assert [w for w in records["warnings"] if "not understood" in w] == [
        f"line {line}: the bracket （具体工作由各地结合实际统筹推进，牵头同志每季度… "
        "names a role but was not understood; its bodies are left out"]


def test_numbered_items_of_a_section_with_no_bracket_understood_are_listed():
    text = (PLAN_HEAD + "1、建设养老服务设施。（市民政局负责）\n"
            "（二）发展健康医疗产业\n1、建设区域医疗中心。\n2、发展互联网医院。\n三、保障措施\n1、加强组织领导。\n")
    records = extract_text(text)
    assert [t["id"] for t in records["tasks"]] == ["s1.1-t1"]
    first, second = text.index("1、建设区域医疗中心。"), text.index("2、发展互联网医院。")
    assert [(u["start"], u["end"], u["brackets"]) for u in records["unparsed"]] == [
        (first, first + len("1、建设区域医疗中心。"), []), (second, second + len("2、发展互联网医院。"), [])]
    assert [w for w in records["warnings"] if "looks like a task" in w] == [
        "line 7: 1、建设区域医疗中心。 looks like a task, but no bracket was understood; its bodies are left out",
        "line 8: 2、发展互联网医院。 looks like a task, but no bracket was understood; its bodies are left out"]


def test_the_bundled_plans_have_nothing_unparsed():
    for path in (LAIBIN, LIUZHOU):
        assert extract_records(path)["unparsed"] == []


def test_no_task_understood_names_the_forms_and_the_first_bracket():
    with pytest.raises(NoTasksFound) as caught:
        extract_file(NOT_UNDERSTOOD)
    message = str(caught.value)
    for form in ("牵头单位", "配合单位", "牵头", "负责", "会同", "责任单位："):
        assert form in message
    assert "first bracket seen: （具体工作由各地结合实际统筹推进，牵头同志每季度报告进展）" in message


def run_extract(path):
    return subprocess.run([sys.executable, str(ROOT / "build_graph.py"), "extract", str(path), "--json"],
                          capture_output=True, text=True, cwd=ROOT)


def test_cli_partial_result_and_refusal():
    partial = run_extract(BAISE)
    assert partial.returncode == 0
    assert len(json.loads(partial.stdout)["tasks"]) == len(BAISE_TASKS)
    assert "was not understood" in partial.stderr
    refused = run_extract(NOT_UNDERSTOOD)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("error: ") and refused.stderr.count("\n") == 1
    assert "first bracket seen" in refused.stderr


# -- one bracket at a time ---------------------------------------------------------------------------
PLAN_HEAD = "某市人民政府关于印发某市大健康产业发展实施方案的通知\n\n一、重点任务\n（一）发展健康养老产业\n"


@pytest.mark.parametrize("bracket,lead,coop", [
    ("（市民政局，市卫生健康委负责）", ["市民政局", "市卫生健康委"], []),         # names before a comma join the verb's
    ("（市民政局和市财政局负责）", ["市民政局", "市财政局"], []),               # 和 between two bodies
    ("（市住房和城乡建设局负责）", ["市住房和城乡建设局"], []),                 # 和 inside one name
    ("（责任单位：市发展改革委（牵头）、市财政局、市自然资源局）", ["市发展改革委"], ["市财政局", "市自然资源局"]),
    ("（牵头单位∶市民政局 配合单位∶市财政局 市卫健委）", ["市民政局"], ["市财政局", "市卫健委"]),
    ("（【牵头单位】市民政局【配合单位】市财政局）", ["市民政局"], ["市财政局"]),
    ("（市民政局牵头；配合单位：市财政局）", ["市民政局"], ["市财政局"]),          # a verb, then a label
    ("（市民政局为牵头单位，市财政局为配合单位）", ["市民政局"], ["市财政局"]),
    ("（市发展改革委牵头，各县（市、区）人民政府落实）", ["市发展改革委"], ["各县（市、区）人民政府"]),
    ("（牵头单位：市发展改革委；责任单位：市直有关部门）", ["市发展改革委"], ["市直有关部门"]),
    ("（市民政局主责，市财政局协办）", ["市民政局"], ["市财政局"]),
    ("（具体由市民政局负责）", ["市民政局"], []),
    ("（各市、县人民政府负总责）", ["各市、县人民政府"], []),                   # a collective written with 、
    ("（市卫健委负责，2022—2025年分步实施）", ["市卫健委"], []),                 # a note is no role
    ("（团市委、市委宣传部牵头，市总工会、市妇联配合）", ["团市委", "市委宣传部"], ["市总工会", "市妇联"]),
])
def test_one_bracket(bracket, lead, coop):
    task = extract_text(PLAN_HEAD + "1、建设养老服务设施。" + bracket + "\n")["tasks"][0]
    assert (names(task["lead"]), names(task["cooperating"])) == (lead, coop)


@pytest.mark.parametrize("sentence,lead,coop", [
    ("由市市场监管局牵头，市公安局、市中级人民法院配合。", ["市市场监管局"], ["市公安局", "市中级人民法院"]),
    ("市民政局牵头，市财政局按职责分工负责。", ["市民政局"], ["市财政局"]),
    ("市卫生健康委会同市民政局负责。", ["市卫生健康委"], ["市民政局"]),
])
def test_a_closing_sentence_of_roles_without_a_bracket(sentence, lead, coop):
    text = PLAN_HEAD + "1、建设养老服务设施，推进医养结合。" + sentence + "\n"
    task = extract_text(text)["tasks"][0]
    assert (names(task["lead"]), names(task["cooperating"])) == (lead, coop)
    assert [b["form"] for b in task["brackets"]] == ["sentence"]
    assert text[task["brackets"][0]["start"]:task["brackets"][0]["end"]] == sentence.rstrip("。")


@pytest.mark.parametrize("paragraph", [
    "1、市民政局负责牵头抓健康养老产业发展。",                    # one sentence: content, not a statement of roles
    "1、建设养老服务设施。各地要切实负责，抓好落实。",              # no body named
    "1、建设养老服务设施。市财政局负责资金保障。（牵头单位：市民政局）",  # a bracket: the sentence is content
])
def test_a_sentence_of_content_is_no_role_sentence(paragraph):
    records = extract_text(PLAN_HEAD + paragraph + "\n（牵头单位：市民政局）\n" if "牵头单位" not in paragraph
                           else PLAN_HEAD + paragraph + "\n")
    for task in records["tasks"]:
        assert all(b["form"] != "sentence" for b in task["brackets"])
        assert "市财政局" not in names(task["lead"] + task["cooperating"])


@pytest.mark.parametrize("bracket", ["（含技工学校）", "（0.25分）", "（设在市发改委）", "（以下简称市卫健委）",
                                     "（城中区除外）", "（2022年底前）", "（城区、县城负责）"])
def test_not_a_role_bracket(bracket):
    text = PLAN_HEAD + "1、建设养老服务设施" + bracket + "。（牵头单位：市民政局）\n"
    task = extract_text(text)["tasks"][0]
    assert [text[b["start"]:b["end"]] for b in task["brackets"]] == ["（牵头单位：市民政局）"]
    assert names(task["lead"]) == ["市民政局"] and task["cooperating"] == []


# -- deadlines ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("written,date,kind", [
    ("2022年6月底前", "2022-06-30", "by-date"),
    ("2021年底前完成", "2021-12-31", "by-date"),
    ("2024年2月底前", "2024-02-29", "by-date"),         # a leap year's February
    ("2023年上半年", "2023-06-30", "by-date"),
    ("2022年第三季度", "2022-09-30", "by-date"),
    ("2020年12月31日前", "2020-12-31", "by-date"),
    ("到2025年", "2025-12-31", "by-date"),
    ("2021—2023年", "2023-12-31", "by-date"),
    ("2022年九月底前完成", "2022-09-30", "by-date"),
    ("长期坚持", None, "ongoing"),
    ("持续推进", None, "ongoing"),
    ("2021年起持续推进", None, "ongoing"),
    ("2022—2025年持续推进", None, "ongoing"),
    ("2022年6月底前完成并验收", "2022-06-30", "by-date"),
    ("每年", None, "recurring"),
    ("每季度", None, "recurring"),
])
def test_deadline(written, date, kind):
    text = "，" + written + "）"
    found = parse_deadline(text, 1, 1 + len(written))
    assert (found["text"], found["date"], found["kind"]) == (written, date, kind)
    assert text[found["start"]:found["end"]] == written


@pytest.mark.parametrize("clause", ["市民政局负责", "含技工学校", "0.25分", "城中区除外", "市财政局配合", ""])
def test_no_deadline(clause):
    assert parse_deadline(clause, 0, len(clause)) is None


# -- the graph ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hezhou_graph():
    records = extract_records(HEZHOU)
    return records, build_graph([records], {records["plan"]["id"]: text_of(HEZHOU)})


def test_each_assignment_carries_its_brackets(hezhou_graph):
    records, graph = hezhou_graph
    task = URIRef(f"https://w3id.org/healthkg/id/plan/{records['plan']['id']}/task/s2.7-p1")
    brackets = sorted(graph.objects(task, HK.hasBracket))
    assert brackets == [URIRef(f"{task}/bracket/1"), URIRef(f"{task}/bracket/2")]
    commerce = URIRef(f"{task}/lead/1")
    assert sorted(graph.objects(commerce, HK.fromBracket)) == brackets
    regulator = URIRef(f"{task}/cooperating/1")
    assert list(graph.objects(regulator, HK.fromBracket)) == [brackets[1]]
    every = set(graph.subjects(RDF.type, HK.Assignment))
    assert every and all(set(graph.objects(a, HK.fromBracket)) for a in every)


def test_deadlines_in_owl_time(hezhou_graph):
    records, graph = hezhou_graph
    plan = f"https://w3id.org/healthkg/id/plan/{records['plan']['id']}"
    by_date = URIRef(f"{plan}/task/s2.10-p1/bracket/1/deadline")
    assert (by_date, RDF.type, TIME.Instant) in graph
    assert (by_date, TIME.inXSDDate, Literal("2022-06-30", datatype=XSD.date)) in graph
    assert (by_date, HK.deadlineKind, HKC["deadline-kind/by-date"]) in graph
    ongoing = URIRef(f"{plan}/task/s2.7-p1/bracket/2/deadline")
    assert (ongoing, RDF.type, TIME.Interval) in graph and not list(graph.objects(ongoing, TIME.inXSDDate))
    yearly = URIRef(f"{plan}/task/s2.7-p1/bracket/1/deadline")
    every = graph.value(yearly, HK.recursEvery)
    assert graph.value(every, TIME.unitType) == TIME.unitYear
    assert graph.value(every, TIME.numericDuration).toPython() == 1
    assert (URIRef(plan), HK.roleAgnostic, Literal(False)) in graph


def test_the_deadlines_question(hezhou_graph, tmp_path):
    from healthkg.queries import library, runner
    from healthkg.queries.stores import OxigraphStore

    records, graph = hezhou_graph
    path = tmp_path / "hezhou.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    answer = runner.run(library.get("deadlines"), OxigraphStore(path))
    rows = [dict(zip(answer.variables, row)) for row in answer.rows]
    plan = f"hkd:plan/{records['plan']['id']}/task/"
    due = sorted((r["date"], r["deadline_zh"], r["task"].replace(plan, ""), r["role"], r["name_zh"]) for r in rows
                 if r["date"])
    assert due == [
        ("2022-06-30", "2022年6月底前", "s2.10-p1", "hkc:role/lead", "贺州市乡村振兴工作领导小组成员单位"),
        ("2023-12-31", "2023年底前完成", "s2.5-p1", "hkc:role/cooperating", "贺州市民政局"),
        ("2023-12-31", "2023年底前完成", "s2.5-p1", "hkc:role/lead", "贺州市卫生健康委")]
    yearly = {(r["task"].replace(plan, ""), r["name_zh"]) for r in rows if r["kind"].endswith("recurring")}
    assert yearly == {("s2.7-p1", "贺州市商务局"), ("s2.7-p1", "贺州市民政局")}
    undated = {r["task"].replace(plan, "") for r in rows if r["kind"] == ""}
    assert undated == {"s2.4-p1", "s2.6-p1", "s2.9-p1", "s2.11-p1"}


def test_a_bracket_of_verbs_on_a_line_of_its_own_belongs_to_the_task_above():
    text = PLAN_HEAD + "1、建设养老服务设施。\n（市民政局牵头，市财政局配合）\n2、发展老年助餐。\n（市商务局负责）\n"
    first, second = extract_text(text)["tasks"]
    assert (names(first["lead"]), names(first["cooperating"])) == (["市民政局"], ["市财政局"])
    assert text[first["start"]:first["end"]] == "1、建设养老服务设施。\n（市民政局牵头，市财政局配合）"
    assert (names(second["lead"]), second["cooperating"]) == (["市商务局"], [])
