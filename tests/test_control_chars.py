"""Text as it comes: form feeds, vertical tabs, U+0085/U+2028/U+2029 and other control characters in a plan.

Hypothesis inserts them at random places in the invented plans of tests/fixtures and checks that
(a) every span of the records still quotes the text exactly (the quote selectors' `source[start:end] ==
exact`), (b) the N-Triples, Turtle and JSON-LD written by graph.serialize load back into Oxigraph and rdflib
with the graph's triple count, and the records survive JSON; (c) characters that are not line breaks (form feeds
included: a page break ends no paragraph), or line breaks at the start of a line, leave the records as they
were, offsets aside. The main job runs once end to end on a bundled plan with form feeds (and a vertical tab
and a control byte, which HermiT reads as XML text).
"""
import json
import shutil

import pyoxigraph
import pytest
from conftest import FIXTURES, LAIBIN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from healthkg import build_graph
from healthkg.graph.extract.records import extract_file, extract_text
from healthkg.graph.rdf.build import build_triples
from healthkg.graph.rdf.serialize import serialisations
from healthkg.graph.rdf.triples import LINE_SEPARATORS, UNSAFE_CHARACTERS, ntriples, xml_safe_ntriples
from healthkg.graph.rdf.vocab import HK, OA

LINE_BREAKS = ["\v", "\x85", "\u2028", "\u2029", "\x1c", "\x1d", "\x1e"]
# a form feed is a page break: it ends no paragraph, so it is read like the other invisible characters
OTHERS = [chr(c) for c in [*range(0x00, 0x09), 0x0c, *range(0x0e, 0x1c), 0x1f, 0x7f, 0x80, 0x9f]]
ALL = LINE_BREAKS + OTHERS + ["\t", "\r", "\n"]
PLANS = {name: (FIXTURES / f"{name}.txt").read_text(encoding="utf-8") for name in ("wuzhou-style", "qinzhou-style")}

PROFILE = settings(max_examples=100, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SERIALISING = settings(PROFILE, max_examples=25)   # each example writes and parses the graph six times


def insert(text: str, insertions) -> str:
    """The characters inserted at the given places (positions taken modulo the text's length + 1)."""
    places = sorted((position % (len(text) + 1), char) for position, char in insertions)
    pieces, last = [], 0
    for position, char in places:
        pieces += [text[last:position], char]
        last = position
    return "".join(pieces) + text[last:]


def spans(records, where="records"):
    """(where, dict) for every record with an int start and end (the plan's period of years aside)."""
    if isinstance(records, dict):
        has_span = isinstance(records.get("start"), int) and isinstance(records.get("end"), int)
        if has_span and not where.endswith("period"):
            yield where, records
        for key, value in records.items():
            yield from spans(value, f"{where}.{key}")
    elif isinstance(records, list):
        for index, value in enumerate(records):
            yield from spans(value, f"{where}[{index}]")


def without_offsets(records):
    """The records with offsets and quotes left out: what must not depend on invisible characters."""
    if isinstance(records, dict):
        return {key: without_offsets(value) for key, value in records.items()
                if key not in ("start", "end", "written", "text", "via")}
    if isinstance(records, list):
        return [without_offsets(value) for value in records]
    return records


def check_exact(text: str, records: dict) -> None:
    for where, record in spans(records):
        assert 0 <= record["start"] <= record["end"] <= len(text), where
        for key in ("written", "text"):
            if key in record:
                assert text[record["start"]:record["end"]] == record[key], (where, key)
    for task in records["tasks"]:
        assert task["start"] < task["end"], task["id"]


def check_serialisations(text: str, records: dict) -> None:
    triples = build_triples([records], {records["plan"]["id"]: text})
    # every quote selector quotes the text at its position selector's offsets
    starts = {s: int(o) for s, p, o in triples if p == OA.start}
    ends = {s: int(o) for s, p, o in triples if p == OA.end}
    exacts = {str(s)[:-len("/quote")]: str(o) for s, p, o in triples if p == OA.exact}
    assert exacts and starts
    for position, start in starts.items():
        node = str(position)[:-len("/position")]
        assert text[start:ends[position]] == exacts[node], node
    files = serialisations(triples)
    for extension, oxigraph_format, rdflib_format in (
            ("nt", pyoxigraph.RdfFormat.N_TRIPLES, "nt"), ("ttl", pyoxigraph.RdfFormat.TURTLE, "turtle"),
            ("jsonld", pyoxigraph.RdfFormat.JSON_LD, "json-ld")):
        data = files[extension]
        assert not LINE_SEPARATORS.search(data), extension
        assert len(list(pyoxigraph.parse(data.encode("utf-8"), format=oxigraph_format))) == len(triples), extension
        assert len(Graph().parse(data=data, format=rdflib_format)) == len(triples), extension
    rows = files["nt"].split("\n")[:-1]
    assert len(rows) == len(files["nt"].splitlines()) == len(triples)    # one row per line for every reader
    assert not any(UNSAFE_CHARACTERS.search(row) for row in rows)
    # the source text goes into the graph in pieces (hk:content of each, at its hk:pieceStart) and comes back
    # character for character
    store = pyoxigraph.Store()
    store.load(files["nt"].encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    content, start = pyoxigraph.NamedNode(str(HK.content)), pyoxigraph.NamedNode(str(HK.pieceStart))
    pieces = sorted((int(next(store.quads_for_pattern(quad.subject, start, None)).object.value), quad.object.value)
                    for quad in store.quads_for_pattern(None, content, None))
    assert "".join(piece for _, piece in pieces) == text
    assert all(at == sum(len(piece) for _, piece in pieces[:i]) for i, (at, _) in enumerate(pieces))
    assert json.loads(json.dumps(records, ensure_ascii=False)) == records


insertions = st.lists(st.tuples(st.integers(0, 1 << 16), st.sampled_from(ALL)), min_size=1, max_size=40)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")   # rdflib's JSON-LD parser
@SERIALISING
@given(st.sampled_from(sorted(PLANS)), insertions)
def test_control_characters_anywhere_keep_offsets_exact_and_serialisations_valid(name, places):
    text = insert(PLANS[name], places)
    records = extract_text(text)
    check_exact(text, records)
    check_serialisations(text, records)


@PROFILE
@given(st.sampled_from(sorted(PLANS)),
       st.lists(st.tuples(st.integers(0, 1 << 16), st.sampled_from(OTHERS)), min_size=1, max_size=60))
def test_invisible_characters_change_nothing_but_offsets(name, places):
    text = insert(PLANS[name], places)
    records = extract_text(text)
    check_exact(text, records)
    assert without_offsets(records) == without_offsets(extract_text(PLANS[name]))


@PROFILE
@given(st.sampled_from(sorted(PLANS)),
       st.lists(st.tuples(st.integers(0, 1 << 16), st.sampled_from(LINE_BREAKS + ["\f"])), min_size=1, max_size=30))
def test_line_breaks_at_line_starts_change_nothing_but_offsets(name, places):
    plan = PLANS[name]
    line_starts = [0] + [index + 1 for index, char in enumerate(plan) if char == "\n"]
    text = insert(plan, [(line_starts[position % len(line_starts)], char) for position, char in places])
    records = extract_text(text)
    check_exact(text, records)
    assert without_offsets(records) == without_offsets(extract_text(plan))


def test_offsets_map_back_to_the_source():
    # A NUL inside the first lead body's name: the name is read without it, the quote keeps it, and the
    # span covers the five characters of the source.
    plan = PLANS["wuzhou-style"]
    at = plan.index("市民政局")
    text = plan[:at] + "市民\x00政局" + plan[at + 4:]
    records = extract_text(text)
    lead = next(task for task in records["tasks"] if task["lead"])["lead"][0]
    assert (lead["name"], lead["written"], lead["start"], lead["end"]) == ("市民政局", "市民\x00政局", at, at + 5)


def test_main_job_on_a_plan_with_form_feeds(tmp_path):
    """PDF-style page breaks (a form feed at the start of some lines, one inside a sentence), a vertical tab
    at the start of a line and a control byte inside a sentence, in a bundled plan: the main job succeeds,
    reads the plan as it reads the clean one, and its N-Triples keep the characters, escaped."""
    sources = tmp_path / "sources"
    sources.mkdir()
    clean = LAIBIN.read_text(encoding="utf-8")
    lines = clean.split("\n")
    lines = ["\f" + line if index % 25 == 24 else line for index, line in enumerate(lines)]
    lines[30] = "\v" + lines[30]
    text = "\n".join(lines)
    middle = text.index("。", len(text) // 2)
    text = text[:middle] + "\f" + text[middle:]
    middle = text.index("。", len(text) // 3)
    (sources / LAIBIN.name).write_text(text[:middle] + "\x01" + text[middle:], encoding="utf-8")
    shutil.copyfile(LAIBIN.with_suffix(".meta.json"), sources / LAIBIN.with_suffix(".meta.json").name)
    out = tmp_path / "out"
    assert build_graph.main(["--sources", str(sources), "--out", str(out)]) == 0
    written = (out / "graph" / "healthkg.nt").read_text(encoding="utf-8")
    assert "\\f" in written and "\\u000B" in written and "\\u0001" in written
    assert not UNSAFE_CHARACTERS.search(written.replace("\n", ""))
    assert len(written.split("\n")) == len(written.splitlines()) + 1
    records = json.loads(next((out / "records").glob("*.json")).read_text(encoding="utf-8"))
    assert without_offsets(records) == without_offsets(extract_file(LAIBIN))


def test_reasoner_documents_hold_no_character_xml_forbids():
    """HermiT reads literals as XML text: a control character is written as its escape's six characters."""
    row = ntriples([(URIRef("http://x/a"), URIRef("http://x/p"), Literal("a\vb\x01c\fd\\fe\u2028"))])
    safe = xml_safe_ntriples(row)
    value, = [str(o) for _, _, o in Graph().parse(data=safe.decode("utf-8"), format="nt")]
    assert value == "a\\u000Bb\\u0001c\\u000Cd\\fe\u2028"
    plain = b'<http://x/a> <http://x/p> "plain \\\\f" .\n'
    assert xml_safe_ntriples(plain) == plain
