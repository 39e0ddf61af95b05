"""Extraction in linear time (issue 14) gives what the direct searches gave.

graph.targets._Span answers, from positions found once per paragraph, what each quantity used to search
for itself from the paragraph's start (its due year, its clause, the masked spans, the 按… rules, the ends
of its object). Here each of its answers is compared, at every position of generated paragraphs, with
the direct search written out as the code used to do it. Also: the object read is bounded, and a task
number written twice gets its .2 id.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthkg.graph.extract.records import extract_text
from healthkg.graph.extract.targets import (
    BACKWARD_STOP,
    CLAUSE_STOP,
    OBJECT_REACH,
    YEAR,
    _masked,
    _next_count,
    _Span,
    find_targets,
)

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# What a goals paragraph is made of, the characters the lookups turn on (digits, 年, spaces, dashes, 至,
# full stops and semicolons, quotes, 每年, 的, 按 rules, list separators) over-represented.
TOKENS = ["2025", "2020", "2023", "年", "10", "3", "0.5", " ", "\u3000", "\n", "-", "—", "~", "至", "。", "；", ";",
          "，", ",", "、", "：", "“", "”", "《", "》", "\"", "<", ">", "‘", "’", "每年", "每", "的", "按", "按照",
          "不低于", "不少于", "人均", "个", "张", "%", "亿元", "以上", "建成", "达到", "养老机构", "和", "及", "与",
          "桂政发〔2019〕33号", "〔2020〕", "号", "床位"]
paragraph = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=60).map("".join)


def direct_year(text, start, position, default, masked, carry_year):
    clause_start = max(start, max(text.rfind(c, start, position) for c in "。；;") + 1)
    if "每年" in text[clause_start:position]:
        return None
    sentence_start = start if carry_year else max(start, text.rfind("。", start, position) + 1)
    years = [m for m in YEAR.finditer(text, sentence_start, position) if not any(a <= m.start() < b for a, b in masked)]
    years = [m for m in years if text[m.end():m.end() + 1] not in "的"]
    return int(years[-1].group(2)) if years else default


def framed(body: str) -> tuple[str, int, int]:
    """The paragraph inside other text, so that nothing may be read before its start or after its stop."""
    before, after = "2019年按每“", "2030年”。"
    return before + body + after, len(before), len(before) + len(body)


@SETTINGS
@given(paragraph, st.booleans())
def test_due_year_as_searched_back_from_each_position(body, carry_year):
    text, start, stop = framed(body)
    span, masked = _Span(text, start, stop), _masked(text, start, stop)
    for position in range(start, stop + 1):
        assert span.year_before(position, 1999, carry_year) == direct_year(text, start, position, 1999, masked,
                                                                            carry_year), position


@SETTINGS
@given(paragraph)
def test_masks_clauses_and_rules_as_searched(body):
    text, start, stop = framed(body)
    span, masked = _Span(text, start, stop), _masked(text, start, stop)
    for position in range(start, stop + 1):
        assert span.masked(position) == any(a <= position < b for a, b in masked)
        clause = re.split(r"[，,;；。]", text[start:position])[-1]
        assert span.clause_start(position) == position - len(clause)
        assert span.rule_in(span.clause_start(position), position) == bool(
            re.search(r"按照?(不低于|不少于|不超过|每|人均)", clause))


@SETTINGS
@given(paragraph)
def test_object_ends_as_read_character_by_character(body):
    text, start, stop = framed(body)
    span = _Span(text, start, stop)
    for position in range(start, stop + 1):
        begin = position
        while begin > start and text[begin - 1] not in BACKWARD_STOP:
            begin -= 1
        end = position
        while end < stop and text[end] not in CLAUSE_STOP and not _next_count(text, end):
            end += 1
        # the paragraphs here are shorter than OBJECT_REACH, so the bound never applies
        assert span.backward_begin(position) == begin
        assert span.forward_end(position) == end


@SETTINGS
@given(st.lists(st.sampled_from(['"', "“", "《", "<", "‘", "”", "》", ">", "’", "x", "1"]), max_size=40).map("".join))
def test_unclosed_quotes_are_searched_once(body):
    """_masked skips a quote character once it has failed to close; the spans are those of a search
    from every position."""
    pairs = {"“": "”", "《": "》", "<": ">", "‘": "’", "\"": "\""}
    spans, position = [], 0
    while position < len(body):
        close = body.find(pairs[body[position]], position + 1) if body[position] in pairs else -1
        if close > 0:
            spans.append((position, close + 1))
            position = close + 1
        else:
            position += 1
    assert _masked(body, 0, len(body)) == spans


def test_an_object_is_read_within_its_reach():
    """A run-on clause is not one noun phrase: the object after a count stops OBJECT_REACH characters on,
    and one before its quantity starts OBJECT_REACH characters back."""
    long_run = "养" * (3 * OBJECT_REACH)
    for text, expected in ((f"建成10个{long_run}。", "养" * OBJECT_REACH),
                           (f"{long_run}床位达35张，", "养" * (OBJECT_REACH - 3) + "床位")):
        found = find_targets(text, [], [SimpleNamespace(start=0, end=len(text))])
        assert [t["object"] for t in found] == [expected]
        assert text[found[0]["start"]:found[0]["end"]] == found[0]["text"]


def test_a_task_number_written_twice_gets_the_next_id():
    """A plan whose tasks part repeats an item number (or is pasted twice) keeps every task, the later
    ones with .2, .3 after the id."""
    text = (FIXTURES / "wuzhou-style.txt").read_text(encoding="utf-8")
    first = re.search(r"^\s*1、.*$", text, re.MULTILINE).group(0)
    doubled = text.replace(first, "\n".join([first] * 3), 1)
    ids = [t["id"] for t in extract_text(text)["tasks"]]
    doubled_ids = [t["id"] for t in extract_text(doubled)["tasks"]]
    base = ids[0]
    assert doubled_ids == [base, f"{base}.2", f"{base}.3"] + ids[1:]
