"""The query library (queries/*.rq): headers, the quality checks on the release, parameter binding, and
`build_graph.py query` as a user runs it."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from conftest import LAIBIN, LIUZHOU, ROOT, extract_records, source_text
from gold_loads import body_loads
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring import load_gold

from healthkg.queries import library, runner, search_terms
from healthkg.queries.library import Query, QueryError
from healthkg.queries.stores import StoreError

QUERY_DIR = ROOT / "queries"
ALL_FILES = sorted(QUERY_DIR.glob("*.rq"))
QUESTIONS = [p for p in ALL_FILES if not p.stem.endswith("-violation")]
CHECKS = [p for p in ALL_FILES if p.stem.endswith("-violation")]
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")

# Read in the plans: the tasks whose text contains 医养结合.
#   来宾 (二)加快发展健康医疗产业 5.推进医养结合工作 -> s2.2-t5
#   柳州 (一)养老 4.推动养老产业集聚发展 (突出“医养结合”服务特色) -> s3.1-t4
#   柳州 (二)医疗 2.推动医养结合深度发展 -> s3.2-t2
YIYANG = {("laibin-2019-22", "s2.2-t5"), ("liuzhou-2020-9", "s3.1-t4"), ("liuzhou-2020-9", "s3.2-t2")}
# 医养结合 written otherwise (graph/data/search_terms.tsv), by reading: 来宾 1 "医养康养相结合的养老服务体系",
# 来宾 3 "医养融合型养老机构" (柳州 3.2-2 also has "医养服务融合", and is in YIYANG already)
YIYANG_AS_WRITTEN = YIYANG | {("laibin-2019-22", "s2.1-t1"), ("laibin-2019-22", "s2.1-t3")}
HOSTILE = ['"} } SELECT * WHERE { ?s ?p ?o } #', "\\", "\n", '"',
           # and combinations: a long-string opener, a quote before a newline, an escaped quote
           '"\n} } SELECT * WHERE { ?s ?p ?o } #', '"""', 'a\n"', '\\"', "'", "}",
           # a quote after a backslash after a newline (rdflib's Literal.n3() left it unescaped: invalid
           # SPARQL); \u escapes, which parsers decode before reading the text; a tab (rdflib made it spaces)
           'x\n\\"', '\\u0022 } #', '\\\\U00000022', "a\tb"]


def cli(*args, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build_graph.py", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


def task_key(iri: str) -> tuple[str, str]:
    match = re.fullmatch(r"hkd:plan/([^/]+)/task/([^/]+)", iri)
    assert match, iri
    return match.group(1), match.group(2)


# ---------------------------------------------------------------- headers

def test_the_library_has_questions_and_checks():
    assert len(QUESTIONS) >= 10 and len(CHECKS) >= 5
    assert set(library.all_queries()) == {p.stem for p in ALL_FILES}
    assert set(library.all_queries(include_checks=False)) == {p.stem for p in QUESTIONS}


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_question_header(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    keys = [re.match(r"#\s*(\w+)", line).group(1) for line in header]
    for key in ("title", "zh", "en", "row"):
        assert key in keys, f"{path.name}: no `# {key}:` line in the header"

    query = library.parse(path)
    zh_title, sep, en_title = query.title.partition(" | ")
    assert sep, f"title is not 'zh | en': {query.title!r}"
    assert CJK.search(zh_title) and not LATIN.search(zh_title), zh_title
    assert LATIN.search(en_title) and not CJK.search(en_title), en_title
    assert CJK.search(query.question_zh) and "？" in query.question_zh, query.question_zh
    assert LATIN.search(query.question_en) and "?" in query.question_en, query.question_en
    assert len(query.row) > 10, query.row
    # every declared parameter has a default and a VALUES block to bind it
    for name in query.params:
        assert name in query.defaults, f"parameter {name} has no (default: …)"
        if query.paged and name in library.PAGE_PARAMS:      # bound as LIMIT and OFFSET, not in a VALUES block
            continue
        block = rf"VALUES\s*\(\s*\?{name}\s" if name in query.term_lists else rf"VALUES\s+\?{name}\s*\{{"
        assert re.search(block, query.text), f"no VALUES ?{name} block"
        query.bind()


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.stem)
def test_check_has_no_question_header(path):
    query = library.parse(path)
    assert query.is_check and not query.title
    assert "Contract: returns zero rows." in query.text


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.stem)
def test_check_returns_zero_rows_on_the_release(path, release_store):
    answer = runner.run(library.get(path.stem), release_store)
    assert answer.variables, "a SELECT with no variables"
    assert answer.rows == [], answer.as_dicts()[:5]


# ---------------------------------------------------------------- search-tasks and binding

def tasks_containing(keyword: str) -> set[tuple[str, str]]:
    """(plan id, task id) of every extracted task whose span of the source text contains the keyword."""
    found = set()
    for path in (LAIBIN, LIUZHOU):
        records, text = extract_records(path), source_text(path)
        for task in records["tasks"]:
            if keyword in text[task["start"]:task["end"]]:
                found.add((records["plan"]["id"], task["id"]))
    return found


def test_yiyang_tasks_found_by_reading_are_those_the_spans_contain():
    gold_ids = {("laibin-2019-22", t["id"]) for t in load_gold("laibin")["tasks"]} | {
        ("liuzhou-2020-9", t["id"]) for t in load_gold("liuzhou")["tasks"]}
    assert YIYANG <= gold_ids
    assert tasks_containing("医养结合") == YIYANG
    # and every occurrence of the word in the plans lies inside one of those tasks
    for path in (LAIBIN, LIUZHOU):
        records, text = extract_records(path), source_text(path)
        for match in re.finditer("医养结合", text):
            inside = {(records["plan"]["id"], t["id"]) for t in records["tasks"]
                      if t["start"] <= match.start() < t["end"]}
            assert len(inside) == 1 and inside <= YIYANG, (path.name, match.start(), inside)


def test_search_tasks_yiyang(release_store):
    query = library.get("search-tasks")
    assert set(query.params) == {"keyword", "match", "limit", "offset"} and query.defaults["keyword"] == "医养结合"
    for answer in (runner.run(query, release_store, {"keyword": "医养结合"}), runner.run(query, release_store)):
        keys = [task_key(row["task"]) for row in answer.as_dicts()]
        assert len(keys) == len(set(keys)), "a task is listed twice"
        assert set(keys) == YIYANG_AS_WRITTEN
        by_key = {task_key(row["task"]): row for row in answer.as_dicts()}
        assert by_key[("laibin-2019-22", "s2.2-t5")]["city"] == "来宾市"
        assert by_key[("liuzhou-2020-9", "s3.2-t2")]["city"] == "柳州市"
        assert by_key[("laibin-2019-22", "s2.2-t5")]["number"] == "5"


@pytest.mark.parametrize("keyword", ["富硒", "招商", "中医药", "民政局"])   # none has synonyms
def test_search_tasks_other_keywords_match_the_task_spans(keyword, release_store):
    answer = runner.run(library.get("search-tasks"), release_store, {"keyword": keyword})
    keys = [task_key(row["task"]) for row in answer.as_dicts()]
    expected = tasks_containing(keyword)
    assert expected, "pick a keyword that occurs"
    assert len(keys) == len(set(keys)) and set(keys) == expected


def _outside_values(text: str) -> list[str]:
    # the block's rows: ( "…" "…" … ), whose string literals may hold braces and parentheses
    rows = r'(?:\s*\((?:\s*"(?:[^"\\]|\\.)*")*\s*\))*'
    return re.split(r"VALUES\s*\(\s*\?keyword[^)]*\)\s*\{" + rows + r"\s*\}", text)


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_hostile_keyword_returns_zero_rows_and_keeps_the_query_shape(value, release_store, rdflib_release):
    query = library.get("search-tasks")
    default = runner.run(query, release_store)
    bound = query.bind({"keyword": value}, page=False)     # (a page adds LIMIT and OFFSET, whole numbers only)
    # the text around the VALUES blocks is untouched
    assert _outside_values(bound) == _outside_values(query.text) and len(_outside_values(bound)) == 3
    for store in (release_store, rdflib_release):
        answer = runner.run(query, store, {"keyword": value})
        assert answer.variables == default.variables, store.name
        assert answer.rows == [], (store.name, answer.rows[:3])


@pytest.mark.parametrize("value", HOSTILE + ["医养结合", "\r\n", "😀"], ids=repr)
def test_bound_value_is_one_literal_equal_to_the_input(value, release_store):
    # the same binding on a query that echoes its parameter: the value comes back whole, as data
    echo = Query("echo", 'SELECT ?keyword WHERE { VALUES ?keyword { "x" } }', params={"keyword": "the value"})
    answer = runner.run(echo, release_store, {"keyword": value})
    assert answer.variables == ["keyword"] and answer.rows == [[value]]


ECHO = Query("echo", 'SELECT ?keyword WHERE { VALUES ?keyword { "x" } }', params={"keyword": "the value"})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet=st.characters(blacklist_categories=["Cs"]))
       | st.text(alphabet='\\"\'uU0123456789abcdef{}#\n\r\t <>x'))
def test_any_text_binds_as_itself_on_both_stores(value, release_store, rdflib_release):
    for store in (release_store, rdflib_release):
        assert runner.run(ECHO, store, {"keyword": value}).rows == [[value]], store.name


def test_unknown_parameter_and_unknown_query_raise_query_error(release_store):
    with pytest.raises(QueryError, match="nope"):
        library.get("search-tasks").bind({"nope": "x"})
    with pytest.raises(QueryError):
        runner.run(library.get("search-tasks"), release_store, {"keyword": "医养结合", "rows": "3"})
    with pytest.raises(QueryError):
        runner.run(library.get("coordinating-load"), release_store, {"keyword": "x"})   # takes none
    with pytest.raises(QueryError, match="nope"):
        library.get("nope")
    with pytest.raises(QueryError):
        library.get("search-tasks.rq")


@pytest.mark.parametrize("query", ["ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"])
def test_a_query_without_rows_is_a_store_error_from_both_embedded_stores(query, release_store, rdflib_release):
    """A store answers SELECT queries with rows; any other kind is refused by name, not half-read."""
    for store in (release_store, rdflib_release):
        with pytest.raises(StoreError, match="SELECT"):
            store.select(query)


# ---------------------------------------------------------------- the CLI

def test_cli_list_names_every_query():
    proc = cli("query", "--list")
    assert proc.returncode == 0, proc.stderr
    listed = {line.split()[0] for line in proc.stdout.splitlines() if line.strip() and not line.startswith(" ")}
    assert listed == {p.stem for p in ALL_FILES}
    for path in QUESTIONS:   # a question is listed with its title and each parameter with its default
        query = library.parse(path)
        assert query.title in proc.stdout
        for param in query.params:
            assert f"    --param {param}={query.defaults.get(param, '')}  (" in proc.stdout
    assert "    --param kinds=government-department  (" in proc.stdout


LAIBIN_CIVIL_AFFAIRS = "hkd:agency/laibin-civil-affairs-bureau"


def test_cli_formats_coordinating_load():
    # the civil-affairs bureau of 来宾: its loads counted from the gold (hand reading)
    lead, cooperating, _ = body_loads("laibin")["市民政局"]
    variables = ["rank", "city", "agency", "name_zh", "name_en", "kind", "lead", "cooperating", "total", "load_index",
                 "listed_twice", "kinds"]

    as_csv = cli("query", "coordinating-load", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == variables
    body = {r[2]: r for r in rows[1:]}
    assert body[LAIBIN_CIVIL_AFFAIRS][6:10] == [str(lead), str(cooperating), str(lead + cooperating),
                                                str(2 * lead + cooperating)]
    assert body[LAIBIN_CIVIL_AFFAIRS][1] == "来宾市"

    as_json = cli("query", "coordinating-load", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["variables"] == variables
    assert len(data["rows"]) == len(rows) - 1
    row = next(r for r in data["rows"] if r["agency"] == LAIBIN_CIVIL_AFFAIRS)
    assert (row["lead"], row["cooperating"], row["total"]) == (lead, cooperating, lead + cooperating)

    as_table = cli("query", "coordinating-load", "--format", "table")
    assert as_table.returncode == 0, as_table.stderr
    lines = as_table.stdout.splitlines()
    assert lines[0].split() == variables and set(lines[1].replace(" ", "")) == {"-"}
    assert len(lines) == 2 + len(data["rows"])
    line = next(line for line in lines if LAIBIN_CIVIL_AFFAIRS in line)
    assert line.split()[-6:-2] == [str(lead), str(cooperating), str(lead + cooperating), str(2 * lead + cooperating)]


def test_cli_search_with_param():
    proc = cli("query", "search-tasks", "--param", "keyword=医养结合", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert {task_key(r["task"]) for r in json.loads(proc.stdout)["rows"]} == YIYANG_AS_WRITTEN


@pytest.mark.parametrize("args, expected", [
    (("query", "nope"), "nope"),
    (("query", "search-tasks", "--param", "keyword"), "NAME=VALUE"),
    (("query", "search-tasks", "--param", "=医养结合"), "NAME=VALUE"),
    (("query", "search-tasks", "--param", "nope=x"), "nope"),
], ids=["unknown-query", "param-without-equals", "param-without-name", "unknown-param"])
def test_cli_bad_input_exits_2_with_a_message(args, expected, capsys):
    # in-process (build_graph.py does sys.exit(main())); one case also as a subprocess below
    from healthkg import build_graph

    assert build_graph.main(list(args)) == 2
    out, err = capsys.readouterr()
    assert out == "" and expected in err and err.startswith("error: "), err


def test_cli_unknown_query_as_a_subprocess():
    proc = cli("query", "nope")
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert "nope" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


# ---------------------------------------------------------------- search-tasks: several words, synonyms, bodies
# Expected rows read from the plans (graph/sources/).

def search(store, **params) -> dict[tuple[str, str], dict]:
    rows = runner.run(library.get("search-tasks"), store, params).as_dicts()
    return {task_key(row["task"]): row for row in rows}


def test_yiyang_is_not_found_inside_zhongyi_yangsheng(release_store, rdflib_release):
    # 医养 occurs as 医养 in 来宾 1 (医养康养相结合), 3 (医养融合型), 5 (医养结合) and 柳州 3.1-4 (“医养结合”),
    # 3.2-2 (医养结合), 3.3-6 (秋澜医养中心); 柳州 3.1-8 (中医养生学) and 3.3-2 (中医养生) hold only 中医养生
    expected = {("laibin-2019-22", "s2.1-t1"), ("laibin-2019-22", "s2.1-t3"), ("laibin-2019-22", "s2.2-t5"),
                ("liuzhou-2020-9", "s3.1-t4"), ("liuzhou-2020-9", "s3.2-t2"), ("liuzhou-2020-9", "s3.3-t6")}
    assert ("liuzhou-2020-9", "s3.1-t8") in tasks_containing("中医养生")
    for store in (release_store, rdflib_release):
        assert set(search(store, keyword="医养")) == expected, store.name
    # the plain substring would have found the 中医养生 tasks too
    assert tasks_containing("医养") == expected | tasks_containing("中医养生")


def test_kangyang_is_not_found_inside_healthy_aquaculture(release_store):
    # 柳州 "水产健康养殖示范场" holds 康养 only inside 健康养殖 (healthy aquaculture)
    aquaculture = tasks_containing("健康养殖")
    assert len(aquaculture) == 1
    assert not aquaculture & set(search(release_store, keyword="康养"))


def test_several_keywords_any_and_all(release_store):
    # 健康旅游 and 医养: only 柳州 3.3-6 "建设国家健康旅游示范区 … 秋澜医养中心" holds both
    both = search(release_store, keyword="医养,健康旅游", match="all")
    assert set(both) == {("liuzhou-2020-9", "s3.3-t6")}
    assert both[("liuzhou-2020-9", "s3.3-t6")]["matched"] == "健康旅游; 医养"
    either = set(search(release_store, keyword="医养、健康旅游", match="any"))
    assert either == set(search(release_store, keyword="医养")) | set(search(release_store, keyword="健康旅游"))
    with pytest.raises(QueryError, match="any, all"):
        search(release_store, keyword="医养", match="most")


def test_search_shows_bodies_with_roles_and_the_words_in_context(release_store):
    row = search(release_store, keyword="医养结合")[("liuzhou-2020-9", "s3.2-t2")]
    # 柳州 3.2-2: （牵头单位：市卫生健康委、市民政局；配合单位：各县区人民政府，柳东新区管委会、北部生态新区管委会，
    # 市人力资源和社会保障局、市医保局、市人力资源和社会保障局、市大数据发展局）: 人社局 written twice, listed once
    assert row["leads"] == "柳州市卫生健康委; 柳州市民政局"
    assert row["cooperating"] == ("各县区人民政府; 柳东新区管委会; 北部生态新区管委会; 柳州市人力资源和社会保障局; "
                                  "柳州市医保局; 柳州市大数据发展局")
    # both spellings in its text: 医养结合 (first in "推动医养结合深度发展") and 医养服务融合
    assert row["matched"] == "医养服务融合; 医养结合"
    assert "推动【医养结合】深度发展" in row["context"] and "推动【医养服务融合】发展" in row["context"]
    laibin = search(release_store, keyword="医养结合")[("laibin-2019-22", "s2.1-t1")]
    assert laibin["matched"] == "医养康养相结合" and "机构为补充、【医养康养相结合】的养老服务体系" in laibin["context"]


# an invented plan of one task, no bodies: 医养 first stands inside 中医养生 (not found there), then as itself after
# exactly 12 other characters, with 2 after it
ONE_TASK = """\
<urn:t> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/healthkg/ontology#Task> .
<urn:t> <http://www.w3.org/2000/01/rdf-schema#label> "一项任务" .
<urn:t> <https://w3id.org/healthkg/ontology#industry> <urn:industry> .
<urn:t> <http://purl.org/net/p-plan#isStepOfPlan> <urn:plan> .
<urn:t> <https://w3id.org/healthkg/ontology#textSelection> <urn:sel> .
<urn:sel> <http://www.w3.org/ns/oa#hasSelector> <urn:q> .
<urn:q> <http://www.w3.org/ns/oa#exact> "一二中医养生三四五六七八医养结合" .
<urn:plan> <https://w3id.org/healthkg/ontology#city> <urn:city> .
<urn:city> <http://www.w3.org/2000/01/rdf-schema#label> "某市"@zh .
"""


def test_search_context_counts_the_characters_shown_and_a_task_without_bodies_has_empty_lists(tmp_path):
    from healthkg.queries.stores import OxigraphStore, RdflibStore

    graph = tmp_path / "one-task.nt"
    graph.write_text(ONE_TASK, encoding="utf-8")
    for store in (OxigraphStore(graph), RdflibStore(graph)):
        rows = runner.run(library.get("search-tasks"), store, {"keyword": "医养"}).as_dicts()
        assert [(r["matched"], r["context"], r["leads"], r["cooperating"]) for r in rows] == \
            [("医养", "一二中医养生三四五六七八【医养】结合", "", "")], store.name
        # 14 characters before 结合 (一二 中医养生 三四五六七八 医养): the first two left out, and said so
        rows = runner.run(library.get("search-tasks"), store, {"keyword": "结合"}).as_dicts()
        assert rows[0]["context"] == "…中医养生三四五六七八医养【结合】", store.name


def test_search_rows_are_the_same_on_rdflib(release_store, rdflib_release):
    for params in ({"keyword": "医养"}, {"keyword": "康养,中医", "match": "all"}):
        query = library.get("search-tasks")
        assert runner.run(query, rdflib_release, params).rows == runner.run(query, release_store, params).rows


def test_search_terms_table_fails_loudly(monkeypatch):
    monkeypatch.setattr(search_terms, "read_tsv", lambda name: [{"terms": "医养", "not_within": "中医药"}])
    search_terms.table.cache_clear()
    try:
        with pytest.raises(ValueError, match="中医药"):
            search_terms.table()
    finally:
        monkeypatch.undo()
        search_terms.table.cache_clear()


LISTING = [path for path in QUESTIONS if library.parse(path).paged]


def test_the_questions_that_list_rows_take_a_page():
    names = {path.stem for path in LISTING}
    assert {"task-assignments", "search-tasks", "deadlines", "co-assigned-pairs", "agency-functions"} <= names
    for path in LISTING:
        query = library.parse(path)
        assert query.defaults["limit"] == "1000" and query.defaults["offset"] == "0", path.name
        assert query.bind({"limit": "7", "offset": "3"}).rstrip().endswith("LIMIT 7\nOFFSET 3")
        assert "LIMIT" not in query.bind(page=False)


@pytest.mark.parametrize("path", LISTING, ids=lambda p: p.stem)
def test_pages_cover_the_whole_answer_and_report_its_total(path, release_store):
    """The pages, one after the other, are the whole answer in its order; each reports the total, which a count
    by hand of the whole answer's rows gives."""
    query = library.parse(path)
    whole = runner.run_all(query, release_store)
    assert whole.total is None and whole.rows
    size, pages, offset = max(1, len(whole.rows) // 3), [], 0
    while True:
        page = runner.run(query, release_store, {"limit": str(size), "offset": str(offset)})
        assert (page.total, page.offset, page.limit) == (len(whole.rows), offset, size)
        if not page.rows:
            break
        pages += page.rows
        offset += size
    assert pages == whole.rows
    past = runner.run(query, release_store, {"limit": str(size), "offset": str(len(whole.rows) + 5)})
    assert past.rows == [] and past.total == len(whole.rows)
    first = runner.run(query, release_store)
    assert first.rows == whole.rows[:1000] and first.total == len(whole.rows)
