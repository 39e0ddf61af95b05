"""Quote selectors that select their span alone (issue 17 item 5): oa:prefix and oa:suffix, the shortest
symmetric context that makes prefix + exact + suffix occur once in the source (ontology/MODEL.md)."""
from __future__ import annotations

import pytest
from conftest import ROOT
from rdflib import Graph, Namespace

from healthkg.graph.app.pipeline import RELEASE
from healthkg.graph.rdf.build import CONTEXT_CAP, quote_positions, unique_context

OA = Namespace("http://www.w3.org/ns/oa#")
HK = Namespace("https://w3id.org/healthkg/ontology#")


def occurrences(text: str, needle: str) -> int:
    """Overlapping occurrences, counted by hand."""
    return sum(text.startswith(needle, i) for i in range(len(text)))


def at(text: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


@pytest.mark.parametrize(("text", "quote", "occurrence", "expected"), [
    # written once: no context
    ("牵头单位：市民政局；配合单位：市卫生健康委", "市民政局", 0, ("", "")),
    # written twice, told apart by the character after it
    ("牵头：民政局；配合：卫健委。牵头：卫健委；配合：民政局。", "民政局", 0, ("：", "；")),
    ("牵头：民政局；配合：卫健委。牵头：卫健委；配合：民政局。", "民政局", 1, ("：", "。")),
    # at the start of the text the prefix is cut short; the suffix still grows
    ("民政局、民政局", "民政局", 0, ("", "、")),
    ("民政局、民政局", "民政局", 1, ("、", "")),
    # overlapping occurrences count: 啊啊 is written twice in 啊啊啊
    ("啊啊啊", "啊啊", 0, ("", "啊")),
    ("啊啊啊", "啊啊", 1, ("啊", "")),
    # the same context on one side is not enough: both sides grow together
    ("甲局乙，丙局乙，甲局丁", "局", 0, ("甲", "乙")),
    # identical sentences but one: the context reaches the word that differs
    ("一、市民政局负责。二、市民政局负责。三、市民政局负责", "市民政局", 1, ("二、", "负责")),
    ("一、市民政局负责。二、市民政局负责。三、市民政局负责", "市民政局", 2, ("三、", "负责")),
])
def test_the_shortest_symmetric_context_that_makes_the_quote_unique(text, quote, occurrence, expected):
    start, end = at(text, quote, occurrence)
    assert unique_context(text, start, end) == expected
    prefix, suffix = expected
    assert occurrences(text, prefix + quote + suffix) == 1


def test_positions_include_overlapping_occurrences():
    assert quote_positions("啊啊啊", "啊啊") == [0, 1]
    assert quote_positions("甲乙甲", "丙") == []


def test_every_quote_selector_of_the_release_selects_its_span_alone():
    graph = Graph().parse(RELEASE)
    texts = {s: str(o) for s, o in graph.subject_objects(HK.content)}
    quotes = set(graph.subjects(OA.exact, None))
    assert len(quotes) > 500
    needed = 0
    for selection, source in graph.subject_objects(OA.hasSource):
        text = texts[source]
        selectors = list(graph.objects(selection, OA.hasSelector))
        position = next(s for s in selectors if s not in quotes)
        quote = next(s for s in selectors if s in quotes)
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        exact = str(graph.value(quote, OA.exact))
        prefix, suffix = str(graph.value(quote, OA.prefix)), str(graph.value(quote, OA.suffix))
        assert text[start - len(prefix):start] == prefix and text[end:end + len(suffix)] == suffix, selection
        assert occurrences(text, prefix + exact + suffix) == 1, selection
        k = max(len(prefix), len(suffix))
        if k:     # the shortest: one character less either side still occurs elsewhere too
            needed += 1
            assert occurrences(text, text[max(0, start - k + 1):end + k - 1]) > 1, selection
        else:
            assert occurrences(text, exact) == 1
    assert needed > 0


def test_a_passage_written_twice_word_for_word_gets_the_longest_context_only():
    """No context short of the whole passage tells two copies apart: the context stops at the limit
    either side (the position selector tells them apart), and the span check accepts that."""
    passage = "市民政局牵头，市卫生健康委配合。" * 60           # 960 characters, then the same again
    text = "一、" + passage + "二、" + passage + "三、"
    start, end = at(text, "市卫生健康委", 90)                # in the middle of the second copy
    prefix, suffix = unique_context(text, start, end)
    assert (prefix, suffix) == (text[start - CONTEXT_CAP:start], text[end:end + CONTEXT_CAP])
    assert occurrences(text, prefix + "市卫生健康委" + suffix) > 1
    query = (ROOT / "queries" / "span-mismatch-violation.rq").read_text(encoding="utf-8")
    assert f"STRLEN(?prefix) >= {CONTEXT_CAP}" in query, "the span check exempts exactly the longest context"
