"""Quote selectors that select their span alone (issue 17 item 5): oa:prefix and oa:suffix, the shortest
symmetric context that makes prefix + exact + suffix occur once in the source (ontology/MODEL.md)."""
from __future__ import annotations

import hashlib

import pytest
from conftest import ROOT
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS

from healthkg.graph.app.pipeline import RELEASE
from healthkg.graph.extract.decode import read_text
from healthkg.graph.rdf.build import CONTEXT_CAP, quote_positions, text_pieces, unique_context

OA = Namespace("http://www.w3.org/ns/oa#")
HK = Namespace("https://w3id.org/healthkg/ontology#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


def whole_texts(graph: Graph) -> dict:
    """Each source text's whole text: its pieces in the order of their start offsets, concatenated."""
    pieces: dict = {}
    for piece, source in graph.subject_objects(HK.pieceOf):
        start = int(graph.value(piece, HK.pieceStart))
        pieces.setdefault(source, []).append((start, str(graph.value(piece, HK.content))))
    return {source: "".join(text for _, text in sorted(parts)) for source, parts in pieces.items()}


@pytest.fixture(scope="module")
def release() -> Graph:
    return Graph().parse(RELEASE)


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
    # the text ends two characters after the second: its suffix is cut short, and 一甲市局乙 is also written
    # inside 一甲市局乙丙, so its prefix grows until the needle differs (the text's end is no character)
    ("一甲市局乙丙。一甲市局乙", "市局", 1, ("。一甲", "乙")),
    ("一甲市局乙丙。一甲市局乙", "市局", 0, ("一甲", "乙丙")),
])
def test_the_shortest_symmetric_context_that_makes_the_quote_unique(text, quote, occurrence, expected):
    start, end = at(text, quote, occurrence)
    assert unique_context(text, start, end) == expected
    prefix, suffix = expected
    assert occurrences(text, prefix + quote + suffix) == 1


def test_positions_include_overlapping_occurrences():
    assert quote_positions("啊啊啊", "啊啊") == [0, 1]
    assert quote_positions("甲乙甲", "丙") == []


def test_every_quote_selector_of_the_release_selects_its_span_alone(release):
    """Over the whole text, rebuilt from the pieces: the span check looks within a piece and into the other
    pieces, not at an occurrence across the line end between two."""
    graph = release
    texts = whole_texts(graph)
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


@pytest.mark.parametrize(("text", "spans", "expected"), [
    # a piece per line; the last line has no line end
    ("甲\n乙乙\n丙", [], [(0, 2), (2, 5), (5, 6)]),
    # a span across a line end keeps its two lines in one piece; one ending at the cut does not
    ("甲\n乙乙\n丙", [(1, 3)], [(0, 5), (5, 6)]),
    ("甲\n乙乙\n丙", [(0, 2), (2, 5)], [(0, 2), (2, 5), (5, 6)]),
    # overlapping spans join up: three lines in one piece
    ("甲\n乙\n丙\n", [(1, 3), (2, 5)], [(0, 6)]),
    # a text ending in a line end has no empty last piece
    ("甲\n", [], [(0, 2)]),
])
def test_the_text_is_cut_at_line_ends_but_never_inside_a_span(text, spans, expected):
    assert text_pieces(text, spans) == expected


def test_the_pieces_of_the_release_concatenate_to_each_plan_text(release):
    """In the order of their start offsets the pieces follow one another without gap or overlap, and
    together they are the text the plan's checksum was taken of (and the text of graph/sources/)."""
    texts = whole_texts(release)
    assert len(texts) == 2
    for source, text in texts.items():
        starts = sorted(int(release.value(piece, HK.pieceStart)) for piece in release.subjects(HK.pieceOf, source))
        lengths = {int(release.value(piece, HK.pieceStart)): len(str(release.value(piece, HK.content)))
                   for piece in release.subjects(HK.pieceOf, source)}
        assert starts[0] == 0 and len(starts) > 20
        assert all(start + lengths[start] == after for start, after in zip(starts, starts[1:]))
        checksum = release.value(release.value(source, SPDX.checksum), SPDX.checksumValue)
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == str(checksum)
        name = str(release.value(source, DCTERMS.identifier))
        assert text == read_text(ROOT / "graph" / "sources" / name, None)[0]


def test_every_position_selector_names_the_piece_that_holds_its_span_and_context(release):
    graph, checked = release, 0
    for position in graph.subjects(HK.inPiece, None):
        piece = graph.value(position, HK.inPiece)
        offset, content = int(graph.value(piece, HK.pieceStart)), str(graph.value(piece, HK.content))
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        quote = URIRef(str(position).rsplit("/", 1)[0] + "/quote")
        prefix, suffix = str(graph.value(quote, OA.prefix)), str(graph.value(quote, OA.suffix))
        assert offset <= start - len(prefix) and end + len(suffix) <= offset + len(content), position
        assert content[start - offset:end - offset] == str(graph.value(quote, OA.exact)), position
        checked += 1
    assert checked == len(set(graph.subjects(OA.start, None))) > 500
