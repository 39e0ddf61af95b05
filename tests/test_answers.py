"""The main job's answers folder (graph.pipeline.answer_questions): every question and table written as
CSV and Markdown, the city comparison, and a corpus of one city's plan."""
from __future__ import annotations

import csv
import io
import shutil

import pytest
from conftest import LAIBIN, RELEASE, ROOT
from gold_loads import CITIES, body_loads, hand_bodies

from healthkg.graph.app import pipeline
from healthkg.graph.extract.agencies import align
from healthkg.graph.rdf.serialize import serialisations
from healthkg.queries import library, runner
from healthkg.queries.stores import OxigraphStore

QUESTIONS = sorted(p.stem for p in (ROOT / "queries").glob("*.rq") if not p.stem.endswith("-violation"))
NETWORK_TABLES = ["network-load-robustness", "network-centrality", "network-city-figures"]
COMPARISON_TABLES = ["comparison-coverage", "comparison-function-load", "comparison-functions"]


def read_csv(path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name}: no byte-order mark (Excel)"
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def answered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("answers")
    return pipeline.answer_questions(RELEASE, folder), folder


@pytest.fixture(scope="module")
def one_city(tmp_path_factory):
    """The Laibin plan alone, built, serialised and answered like the main job does."""
    root = tmp_path_factory.mktemp("one-city")
    sources = root / "sources"
    sources.mkdir()
    shutil.copy(LAIBIN, sources / LAIBIN.name)
    shutil.copy(LAIBIN.with_suffix(".meta.json"), sources / LAIBIN.with_suffix(".meta.json").name)
    built = pipeline.build(sources)
    graph_file = root / "healthkg.nt"
    graph_file.write_text(serialisations(built.released)["nt"], encoding="utf-8")
    folder = root / "answers"
    return pipeline.answer_questions(graph_file, folder), folder, graph_file


def _check_written(folder, names):
    for name in names:
        for suffix in (".csv", ".md"):
            path = folder / f"{name}{suffix}"
            assert path.is_file() and path.stat().st_size > 0, path.name


@pytest.mark.parametrize("name", QUESTIONS)
def test_every_question_has_csv_and_markdown(name, answered, release_store):
    _, folder = answered
    _check_written(folder, [name])
    query = library.get(name)
    expected = runner.run(query, release_store)
    rows = read_csv(folder / f"{name}.csv")
    assert rows[0] == expected.variables and len(rows) == 1 + len(expected.rows)
    markdown = (folder / f"{name}.md").read_text(encoding="utf-8")
    assert query.title in markdown and query.question_zh in markdown and query.question_en in markdown
    assert sum(line.startswith("| ") for line in markdown.splitlines()) == 1 + len(expected.rows)


def test_network_and_comparison_tables_are_written(answered):
    answers, folder = answered
    _check_written(folder, NETWORK_TABLES + COMPARISON_TABLES)
    assert set(answers.tables) == set(NETWORK_TABLES + COMPARISON_TABLES)
    assert (folder / "headline.md").read_text(encoding="utf-8").strip()
    written = {p.stem for p in folder.iterdir()}
    assert written == set(QUESTIONS + NETWORK_TABLES + COMPARISON_TABLES) | {"headline"}
    for name in NETWORK_TABLES + COMPARISON_TABLES:
        title, table = answers.tables[name]
        assert read_csv(folder / f"{name}.csv")[0] == table.variables
        assert title in (folder / f"{name}.md").read_text(encoding="utf-8")


def test_jaccard_of_the_function_sets(answered):
    answers, folder = answered
    # the functions of each city's government departments, as read by hand (tests/gold/bodies.json)
    functions = {CITIES[gold_name]: {f"hkc:function/{f}" for entry in hand_bodies()[gold_name].values()
                                     if entry["kind"] == "bureau" for f in entry["functions"]}
                 for gold_name in CITIES}
    a, b = functions["来宾市"], functions["柳州市"]
    expected = len(a & b) / len(a | b)
    assert 0 < expected < 1
    comparison = answers.comparison
    assert {comparison.first, comparison.second} == {"来宾市", "柳州市"}
    assert comparison.jaccard() == pytest.approx(expected)
    summary = {row[0]: row[1] for row in read_csv(folder / "comparison-functions.csv")[1:]}
    assert float(summary["Jaccard similarity of function sets"]) == pytest.approx(expected, abs=5e-5)
    assert int(summary["functions in both"]) == len(a & b)
    assert int(summary["functions in 来宾市"]) == len(a) and int(summary["functions in 柳州市"]) == len(b)


def test_one_city_corpus_answers_every_question_without_comparison(one_city):
    answers, folder, graph_file = one_city
    assert answers.comparison is None and answers.network.cities == ["来宾市"]
    _check_written(folder, QUESTIONS + NETWORK_TABLES)
    assert set(answers.results) == set(QUESTIONS)
    assert not list(folder.glob("comparison-*")), "a comparison of one city"
    assert set(answers.tables) == set(NETWORK_TABLES)
    assert (folder / "headline.md").read_text(encoding="utf-8").strip()
    store = OxigraphStore(graph_file)
    # the answers of the one-city graph still match the documents
    search = runner.run(library.get("search-tasks"), store).as_dicts()
    # 医养结合 and as written otherwise: 来宾 1 医养康养相结合, 3 医养融合型, 5 医养结合
    assert [row["task"] for row in search] == [f"hkd:plan/laibin-2019-22/task/{t}" for t in ("s2.1-t1", "s2.1-t3",
                                                                                            "s2.2-t5")]
    loads = {r["agency"]: (r["lead"], r["cooperating"], r["listed_twice"])
             for r in runner.run(library.get("coordinating-load"), store).as_dicts()}
    assert loads == {f"hkd:agency/{align(name, '来宾市').id}": counts for name, counts in body_loads("laibin").items()}
    for name in QUESTIONS:
        for row in runner.run(library.get(name), store).as_dicts():
            assert "柳州市" not in row.values(), (name, row)
