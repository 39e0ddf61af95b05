"""Property tests on the text-level entry point `graph.extract.extract_text(text) -> dict`.

(a) it never fails with anything but NoTasksFound, on arbitrary text, on plan-like token soup and on
    real plan text with random deletions and insertions of brackets, punctuation and digits;
(b) every body name it returns is made only of characters of the input;
(c) every span lies within the text, task spans are in order and do not overlap, and quoted spans
    (targets, chain leads) quote the text exactly.
"""
from __future__ import annotations

from conftest import FIXTURES, LAIBIN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthkg.graph.extract.records import NoTasksFound, extract_text

settings.register_profile(
    "healthkg-properties", max_examples=200, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = settings.get_profile("healthkg-properties")

SOURCES = {
    "laibin": LAIBIN.read_text(encoding="utf-8"),
    "wuzhou": (FIXTURES / "wuzhou-style.txt").read_text(encoding="utf-8"),
    "qinzhou": (FIXTURES / "qinzhou-style.txt").read_text(encoding="utf-8"),
}

TOKENS = [
    "一、", "二、", "三、", "（一）", "(二)", "1、", "2.", "3．", "（1）", "(2)", "- ", "\n", "\n\n", "　　",
    "（", "）", "(", ")", "〔", "〕", "：", ":", "；", ";", "、", "，", ",", "。", "等",
    "牵头单位", "配合单位", "责任单位", "牵头部门", "配合部门", "牵头考核单位",
    "市", "市民政局", "卫健委", "发改委", "各县〔市、区〕人民政府", "各县（市、区）市人民政府", "各区、县级市",
    "藤县", "人民政府", "管委会", "集团", "负责牵头抓", "健康养老", "产业发展", "综合统筹",
    "联席会议办公室设在", "到2023年", "达到", "0.9张", "55%", "以上", "约", "8万亩", "1-2个", "亿元",
    "不低于", "突破", "桂政发〔2019〕33号", "梧政发〔2021〕5号", "人民政府关于印发", "实施方案", "的通知",
    "2021年3月12日", "附件：", "0", "9", "x", " ",
]

plan_soup = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)

# Plan-shaped text: headings, numbered/bulleted/plain paragraphs and brackets built from random parts,
# so that many examples do contain tasks (token soup alone rarely looks like a plan).
NAMES = ["市民政局", "卫健委", "市卫健委", "市发改委", "住建局", "各县〔市、区〕人民政府", "各县（市、区）市人民政府",
         "各区、县级市", "藤县、蒙山县人民政府", "梧州高新区管委会", "市文化体育和旅游局", "岑溪市人民政府",
         "国家税务总局钦州市税务局", "市城投集团", "市残联", "XYZ", "", "等", "（含下属单位）"]
name_list = st.lists(st.sampled_from(NAMES), max_size=5).flatmap(
    lambda ns: st.lists(st.sampled_from(["、", "，", ",", "；", " "]), min_size=len(ns), max_size=len(ns))
    .map(lambda seps: "".join(n + s for n, s in zip(ns, seps))))
bracket = st.tuples(
    st.sampled_from(["（", "(", "〔", ""]),
    st.sampled_from(["牵头单位", "牵头部门", "责任单位", "牵头考核单位", "单位"]),
    st.sampled_from(["：", ":", ""]), name_list, st.sampled_from(["；", ";", "，", ""]),
    st.sampled_from(["配合单位", "配合部门", ""]), st.sampled_from(["：", ":"]), name_list,
    st.sampled_from(["）", ")", "〕", ""]),
).map("".join)
words = st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)
heading_line = st.tuples(
    st.sampled_from(["一、", "二、", "三、", "（一）", "(二)", "（三）"]),
    st.sampled_from(["总体要求", "发展目标", "重点任务", "加快发展健康养老产业", "大力发展健康医疗产业",
                     "发展健康运动产业", "保障措施", ""]),
).map("".join)
task_line = st.tuples(
    st.sampled_from(["1、", "2.", "3．", "（1）", "(2)", "- ", "　　", "", "12、"]), words,
    st.sampled_from(["。", "", "；"]), words, bracket, st.sampled_from(["", "。", " "]),
).map("".join)
plan_shaped = st.tuples(
    st.sampled_from(["", "二、重点任务\n（一）加快发展健康养老产业\n"]),
    st.lists(st.one_of(heading_line, task_line, task_line, words), max_size=25).map("\n".join),
).map("".join)

MUTATION_PIECES = ["(", ")", "（", "）", "〔", "〕", ":", "：", ";", "；", "、", "，", ",", "。", ".",
                   "．", "-", "\n", "0", "1", "2", "3", "9", "%", "万", "亿", "年", "市",
                   "牵头单位：", "配合单位：", "（牵头单位：", "；配合单位：", "人民政府", "一、", "（一）",
                   "1、", "(1)", "- ", "以上", "约", "到2024年"]

mutation = st.tuples(st.sampled_from(["del", "ins"]), st.integers(0, 1 << 20), st.integers(1, 6),
                     st.sampled_from(MUTATION_PIECES))


def mutate(text: str, mutations) -> str:
    for op, pos, length, piece in mutations:
        i = pos % (len(text) + 1)
        if op == "del":
            text = text[:i] + text[i + length:]
        else:
            text = text[:i] + piece + text[i:]
    return text


mutated_plan = st.builds(lambda name, muts: mutate(SOURCES[name], muts),
                         st.sampled_from(sorted(SOURCES)), st.lists(mutation, max_size=30))


def run(text: str) -> dict | None:
    """extract_text, with NoTasksFound (the one allowed failure) as None."""
    try:
        return extract_text(text)
    except NoTasksFound:
        return None


def bodies(rec: dict):
    for task in rec["tasks"]:
        yield from task["lead"]
        yield from task["cooperating"]
    for chain in rec["chain_leads"]:
        if chain.get("agency"):
            yield chain["agency"]
    yield from rec["unknown_agencies"]


def spans(obj, path="rec"):
    """Every (path, start, end) of a dict with integer start and end, anywhere in the records."""
    if isinstance(obj, dict):
        if path.endswith(".period"):  # {"start": year, "end": year}, not a span
            return
        if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
            yield path, obj["start"], obj["end"]
        for k, v in obj.items():
            yield from spans(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from spans(v, f"{path}[{i}]")


def check_records(text: str, rec: dict) -> None:
    # (b) body names only use characters of the input
    alphabet = set(text)
    for b in bodies(rec):
        assert b["name"], b
        assert set(b["name"]) <= alphabet, (b["name"], set(b["name"]) - alphabet)
    # (c) spans in bounds, tasks in order, quotes exact
    for where, start, end in spans(rec):
        assert 0 <= start <= end <= len(text), (where, start, end, len(text))
    tasks = rec["tasks"]
    for a, b in zip(tasks, tasks[1:]):
        assert a["start"] < b["start"], (a["id"], b["id"])
        assert a["end"] <= b["start"], (a["id"], b["id"])
    for t in tasks:
        assert t["start"] < t["end"], t["id"]
        if t["bracket"] is not None:
            assert t["start"] <= t["bracket"]["start"] < t["bracket"]["end"] <= t["end"], t["id"]
    for g in rec["targets"]:
        assert text[g["start"]:g["end"]] == g["text"], g
    for c in rec["chain_leads"]:
        assert text[c["start"]:c["end"]] == c["text"], c
    ids = [t["id"] for t in tasks]
    assert len(set(ids)) == len(ids), ids


def test_unmutated_sources_extract():
    for name, text in SOURCES.items():
        rec = extract_text(text)
        assert rec["tasks"], name
        check_records(text, rec)


@PROFILE
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    rec = run(text)
    if rec is not None:
        check_records(text, rec)


@PROFILE
@given(plan_soup)
def test_plan_like_token_soup(text):
    rec = run(text)
    if rec is not None:
        check_records(text, rec)


@PROFILE
@given(plan_shaped)
def test_plan_shaped_text(text):
    rec = run(text)
    if rec is not None:
        check_records(text, rec)


@PROFILE
@given(mutated_plan)
def test_mutated_real_plans(text):
    rec = run(text)
    if rec is not None:
        check_records(text, rec)
