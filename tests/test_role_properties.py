"""Hypothesis properties of the role grammars (issue 16):

(a) the same roles, in the same order, whatever the punctuation, the spacing and the width (full- or
    half-width brackets, colons and separators, spaces around them, a deadline before or after), in the
    label grammar and in the verb grammar;
(b) no body name ever holds a role word that served as a separator (a label and its colon, a verb at a
    clause's end) nor a separator, even when bodies' own names hold role words (…工作专班牵头单位).
"""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from healthkg.graph.extract.records import NoTasksFound, extract_text
from healthkg.graph.extract.roles import KIND_OF_VERB

PROFILE = settings(max_examples=150, deadline=None, derandomize=True)
PLAN_HEAD = "某市人民政府关于印发某市大健康产业发展实施方案的通知\n\n一、重点任务\n（一）发展健康养老产业\n"
# Bodies written in full (each with its own 市 or its own collective form), some holding role words.
POOL = ["市民政局", "市卫生健康委", "市住房和城乡建设局", "市发展改革委", "市市场监管局", "市医疗保障局",
        "市文化广电体育和旅游局", "市大健康产业发展工作专班牵头单位", "市乡村振兴工作领导小组成员单位",
        "市老龄工作委员会办公室", "各县（市、区）人民政府"]

space = st.sampled_from(["", "", " ", "\u3000"])
bodies = st.lists(st.sampled_from(POOL), min_size=1, max_size=3, unique=True)


@st.composite
def assignment(draw):
    """(bracket text, expected leads, expected co-operating bodies)."""
    leads = draw(bodies)
    coops = draw(st.lists(st.sampled_from([n for n in POOL if n not in leads]), max_size=3, unique=True))
    opening, closing = draw(st.sampled_from([("（", "）"), ("(", ")"), ("(", "）"), ("（", ")")]))
    group = draw(st.sampled_from(["；", ";", "，", ","]))

    def sep(mark):
        return draw(space) + mark + draw(space)

    def listed(names):
        return sep("、").join(names)

    if draw(st.booleans()):            # labels
        colon = draw(st.sampled_from(["：", ":", "∶"]))
        lead_label = draw(st.sampled_from(["牵头单位", "牵头部门", "牵头考核单位"]))
        coop_label = draw(st.sampled_from(["配合单位", "配合部门", "参与单位"]))
        parts = [lead_label + draw(space) + colon + draw(space) + listed(leads)]
        if coops:
            parts.append(coop_label + draw(space) + colon + draw(space) + listed(coops))
    else:                              # verbs
        if coops:
            coop_verb = draw(st.sampled_from(["配合", "按职责分工负责", "参与", "协助"]))
            parts = [listed(leads) + draw(space) + "牵头", listed(coops) + draw(space) + coop_verb]
            if len(leads) == 1 and draw(st.booleans()):
                parts = [leads[0] + sep("会同") + listed(coops) + draw(space) + "负责"]
        else:
            parts = [listed(leads) + draw(space) + draw(st.sampled_from(["负责", "牵头", "共同负责"]))]
    deadline = draw(st.sampled_from([None, "2022年底前完成", "持续推进", "每年"]))
    if deadline:
        parts.insert(0 if draw(st.booleans()) else len(parts), deadline)
    inner = sep(group).join(parts)
    return opening + draw(space) + inner + draw(space) + closing, leads, coops


def the_task(bracket: str) -> dict:
    records = extract_text(PLAN_HEAD + "1、建设养老服务设施。" + bracket + "\n2、其他工作。\n")
    return records["tasks"][0]


@PROFILE
@given(assignment())
def test_the_same_roles_whatever_the_punctuation(case):
    bracket, leads, coops = case
    task = the_task(bracket)
    assert [b["name"] for b in task["lead"]] == leads, bracket
    assert [b["name"] for b in task["cooperating"]] == coops, bracket
    assert len(task["brackets"]) == 1


ROLE_WORDS = ["牵头单位：", "配合单位：", "牵头部门：", "责任单位：",
              "牵头", "配合", "负责", "会同", "按职责分工负责", "参与"]
soup = st.lists(st.sampled_from(POOL + ROLE_WORDS + ["、", "；", "，", ";", ",", ":", "：", " ", "2022年底前"]),
                min_size=1, max_size=14).map("".join)
SEPARATORS = re.compile(r"[；;，,:：∶]")
ENDS_WITH_VERB = re.compile("(" + "|".join(sorted(KIND_OF_VERB, key=len, reverse=True)) + ")$")


@PROFILE
@given(st.one_of(assignment().map(lambda case: case[0]), soup.map(lambda inner: "（" + inner + "）")))
def test_no_name_holds_a_separating_role_word(bracket):
    try:
        task = the_task(bracket)
    except NoTasksFound:
        return
    for body in task["lead"] + task["cooperating"]:
        name = body["name"]
        assert not SEPARATORS.search(name), (bracket, name)
        assert not ENDS_WITH_VERB.search(name), (bracket, name)
        assert "、" not in re.sub(r"[（(][^）)]*[）)]", "", name) or name.startswith("各"), (bracket, name)
