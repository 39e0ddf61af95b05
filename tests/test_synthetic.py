"""The synthetic corpus: deterministic from its seed, and every plan a plan the extractor reads."""
import re

import pytest

from healthkg.graph.bench.synthetic import cities, main, plan_specs, write_corpus
from healthkg.graph.extract import agencies
from healthkg.graph.extract.records import extract_file


def _contents(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "corpus"
    return write_corpus(folder, 5, seed=0)


@pytest.fixture(scope="module")
def extracted(corpus):
    return [extract_file(path) for path in corpus]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, corpus):
    again = write_corpus(tmp_path / "again", 5, seed=0)
    assert [p.name for p in again] == [p.name for p in corpus]
    assert _contents(tmp_path / "again") == _contents(corpus[0].parent)
    other = write_corpus(tmp_path / "other", 5, seed=1)
    assert _contents(tmp_path / "other") != _contents(corpus[0].parent)
    assert all(a.read_bytes() != b.read_bytes() for a, b in zip(sorted(other), corpus))


def test_a_smaller_corpus_is_the_start_of_a_larger_one(tmp_path):
    small = write_corpus(tmp_path / "small", 3, seed=0)
    large = write_corpus(tmp_path / "large", 6, seed=0)
    large_by_name = {p.name: p.read_bytes() for p in large}
    assert all(large_by_name[p.name] == p.read_bytes() for p in small)


def test_every_plan_extracts_with_tasks_leads_and_targets(corpus, extracted):
    assert len(extracted) == 5
    for path, records in zip(corpus, extracted):
        plan = records["plan"]
        assert path.name == f"{plan['id']}.txt"
        assert plan["city"] and plan["doc_number"] and plan["title"]
        assert plan["period"] and plan["period"]["end"] > plan["period"]["start"]
        assert len(records["tasks"]) >= 12
        assert all(task["lead"] for task in records["tasks"]), path.name
        assert records["targets"], path.name
        assert {lead["industry"] for lead in records["chain_leads"] if lead["role"] == "industry-lead"} == {
            "elderly-care", "medical", "tourism", "pharmaceutical", "food", "sports"}
        # every body aligns to a known body or a county, zone or collective with a function
        assert records["unknown_agencies"] == [], path.name
        # the real plans' cities are gone (the plan's own city may be one of them)
        text = path.read_text(encoding="utf-8")
        for real in ("来宾", "柳州"):
            if real not in plan["city"]:
                assert real not in text, (path.name, real)


def test_plan_ids_are_unique_and_metadata_comes_from_the_text(corpus, extracted):
    ids = [records["plan"]["id"] for records in extracted]
    assert len(set(ids)) == len(ids)
    assert not list(corpus[0].parent.glob("*.meta.json"))
    for records in extracted:
        assert records["plan"]["source_url"] is None
        assert re.search(r"\d{4}", records["plan"]["doc_number"])


def test_ids_stay_unique_at_corpus_scale():
    specs = plan_specs(2000, seed=0)
    assert len({spec.file_name for spec in specs}) == 2000
    assert len({(spec.city.name, spec.year) for spec in specs}) == 2000
    assert len(cities()) >= 280
    assert len({agencies.city_id(city.name) for city in cities()}) == len(cities())


def test_styles_vary_across_plans(tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in write_corpus(tmp_path / "c", 12, seed=0)]
    markers = {m for text in texts for m in re.findall(r"^(?:\d+(\.|、|．)|[(（]\d+[)）])", text, re.M)}
    assert len(markers) >= 3
    assert any("牵头部门" in text for text in texts) and any("（牵头" in text for text in texts)
    assert any("(牵头" in text for text in texts)


def test_command_line(tmp_path, capsys):
    assert main(["--plans", "2", "--seed", "3", "--out", str(tmp_path / "out")]) == 0
    assert len(list((tmp_path / "out").glob("*.txt"))) == 2
    assert "2 plan texts" in capsys.readouterr().out
