"""The cache of verified results (graph/result_cache.py): a rerun on the same input reuses HermiT's
confirmation, the validation report and the rules engine's answer, and says so; a change to a plan text,
to a table of graph/data/ or to the ontology has them all computed again; a corrupt entry is never trusted.
Reuse is observed by counting the calls that compute (HermiT's runs, the validation, the rules engine),
never by timing."""
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from healthkg.graph.app import pipeline
from healthkg.graph.check import validate as validate_module
from healthkg.graph.extract import tables
from healthkg.graph.result_cache import ResultCache, digest
from healthkg.ontology.reasoning import check as hermit_check
from healthkg.ontology.reasoning import reuse
from healthkg.ontology.reasoning.hermit import hermit_problem

WUZHOU = FIXTURES / "wuzhou-style.txt"
needs_hermit = pytest.mark.skipif(hermit_problem() is not None, reason=f"HermiT cannot run: {hermit_problem()}")


@pytest.fixture
def computed(monkeypatch) -> Counter:
    """How often each result was computed: HermiT's JVM started by the check, the validation run, the
    rules engine run."""
    counts: Counter = Counter()

    def counting(name, function):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(hermit_check, "run_hermit", counting("hermit", hermit_check.run_hermit))
    monkeypatch.setattr(validate_module, "_validate", counting("validation", validate_module._validate))
    monkeypatch.setattr(reuse, "reason", counting("rules", reuse.reason))
    return counts


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(WUZHOU, folder / WUZHOU.name)
    return folder


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Path:
    """A cache holding the results of one build of the Wuzhou-style plan."""
    folder = tmp_path_factory.mktemp("warm")
    sources = folder / "src"
    sources.mkdir()
    shutil.copy(WUZHOU, sources / WUZHOU.name)
    pipeline.build(sources, cache=ResultCache(folder / "cache"))
    return folder / "cache"


@pytest.fixture
def cache(warm, tmp_path) -> ResultCache:
    """A copy of the warm cache, this test's own."""
    shutil.copytree(warm, tmp_path / "cache")
    return ResultCache(tmp_path / "cache", say=NOTES.append)


NOTES: list[str] = []


def all_computed(counts: Counter) -> bool:
    return counts["hermit"] >= 1 and counts["validation"] >= 1 and counts["rules"] >= 1


@needs_hermit
def test_a_rerun_on_the_same_input_reuses_every_verified_result_and_says_so(sources, cache, computed):
    fresh = pipeline.build(sources)                      # no cache: computed
    assert all_computed(computed)
    computed.clear()
    rerun = pipeline.build(sources, cache=cache)
    assert computed == Counter(), "a result was computed again on the same input"
    assert rerun.reasoning.confirmed and rerun.reasoning.reasoner == "HermiT"
    assert rerun.reasoning.reused.startswith("reused: same input as a run of ")
    assert rerun.validated.reused.startswith("reused: same input as a run of ") and rerun.validated.conforms
    assert rerun.rules_reused
    assert set(rerun.released) == set(fresh.released)
    assert rerun.validated.to_markdown() == fresh.validated.to_markdown()
    line = next(x for x in pipeline.report(rerun, Path("out")).splitlines() if x.startswith("graph:"))
    assert "confirmed by HermiT" in line and "(reused: same input as a run of " in line


@needs_hermit
def test_a_changed_plan_text_has_everything_computed_again(sources, cache, computed):
    path = sources / WUZHOU.name
    text = path.read_text(encoding="utf-8")
    assert "养老" in text
    path.write_text(text.replace("养老", "养护", 1), encoding="utf-8")
    result = pipeline.build(sources, cache=cache)
    assert all_computed(computed)
    assert not result.reasoning.reused and not result.validated.reused and not result.rules_reused


@needs_hermit
def test_a_changed_table_has_everything_computed_again(sources, cache, computed, tmp_path, monkeypatch):
    # A label only: HermiT's documents stay the same (labels are no input of its), but the build's input
    # changed, so its verdict is not reused either.
    data = tmp_path / "data"
    shutil.copytree(tables.DATA, data)
    table = data / "functions.tsv"
    text = table.read_text(encoding="utf-8")
    assert "\tAudit\t" in text
    table.write_text(text.replace("\tAudit\t", "\tAuditing (changed)\t"), encoding="utf-8")
    monkeypatch.setattr(tables, "DATA", data)
    _clear_table_caches()
    try:
        result = pipeline.build(sources, cache=cache)
    finally:
        monkeypatch.undo()
        _clear_table_caches()
    assert any("Auditing (changed)" in str(o) for _, _, o in result.released), "the table was not read"
    assert all_computed(computed)
    assert not result.reasoning.reused and not result.validated.reused and not result.rules_reused


def _clear_table_caches():
    for value in vars(tables).values():
        if hasattr(value, "cache_clear"):
            value.cache_clear()


@needs_hermit
def test_a_changed_ontology_has_everything_computed_again(sources, cache, computed, tmp_path, monkeypatch):
    ontology = tmp_path / "healthkg.ttl"
    ontology.write_text(pipeline.ONTOLOGY.read_text(encoding="utf-8")
                        + '\nhk:Task rdfs:comment "A comment added by a test."@en .\n', encoding="utf-8")
    monkeypatch.setattr(pipeline, "ONTOLOGY", ontology)
    result = pipeline.build(sources, cache=cache)
    assert any("A comment added by a test." in str(o) for _, _, o in result.ontology)
    assert all_computed(computed)
    assert not result.reasoning.reused and not result.validated.reused and not result.rules_reused


@needs_hermit
def test_corrupt_entries_are_ignored_with_a_note_and_recomputed(sources, cache, computed):
    entries = sorted(cache.folder.rglob("*.json"))
    assert {p.parent.name for p in entries} == {"hermit_check", "validation", "rules_closure"}
    for number, path in enumerate(entries):
        if number % 2:
            path.write_bytes(b"\x00{not json")
        else:       # well-formed JSON, but not what the kind holds
            entry = json.loads(path.read_text(encoding="utf-8"))
            entry["value"] = {"confirmed": "yes", "inferred": 7, "query_results": None}
            path.write_text(json.dumps(entry), encoding="utf-8")
    NOTES.clear()
    result = pipeline.build(sources, cache=cache)
    assert all_computed(computed)
    assert not result.reasoning.reused and not result.validated.reused and not result.rules_reused
    assert result.reasoning.confirmed and result.validated.conforms
    assert len([n for n in NOTES if "recomputing" in n]) == 3, NOTES
    computed.clear()
    again = pipeline.build(sources, cache=cache)         # the recomputed results replaced the corrupt ones
    assert computed == Counter() and again.reasoning.reused


def test_a_failure_is_never_kept(sources, tmp_path, computed, monkeypatch):
    def failing(*args, **kwargs):
        report = real(*args, **kwargs)
        report.shacl_conforms = False
        return report

    real = validate_module._validate
    monkeypatch.setattr(validate_module, "_validate", failing)
    cache = ResultCache(tmp_path / "cache")
    with pytest.raises(pipeline.BuildFailed):
        pipeline.build(sources, cache=cache, checking=pipeline.Checking("rules"))
    assert not list((tmp_path / "cache").glob("validation/*.json"))


def test_entries_are_keyed_read_back_and_pruned(tmp_path):
    notes: list[str] = []
    cache = ResultCache(tmp_path, keep=3, say=notes.append)
    keys = [digest("test", str(n)) for n in range(5)]
    assert len(set(keys)) == 5 and digest("ab", "c") != digest("a", "bc")
    assert cache.get("kind", keys[0]) is None
    for number, key in enumerate(keys):
        cache.put("kind", key, {"n": number})
    kept = sorted(p.stem for p in (tmp_path / "kind").glob("*.json"))
    assert len(kept) == 3, "the kind keeps its 3 latest entries"
    assert all(cache.get("kind", key)["value"] == {"n": keys.index(key)} for key in kept)
    # an entry filed under another key is not trusted
    moved = tmp_path / "kind" / f"{keys[0]}.json"
    shutil.copy(tmp_path / "kind" / f"{kept[0]}.json", moved)
    assert cache.get("kind", keys[0]) is None and notes
    assert not list(tmp_path.rglob("*.tmp")), "temporary files are renamed into place"


def test_an_unwritable_cache_never_fails_and_is_noted_once(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    notes: list[str] = []
    cache = ResultCache(blocker / "cache", say=notes.append)
    cache.put("kind", digest("a"), {})
    cache.put("kind", digest("b"), {})
    assert len(notes) == 1 and "not cached" in notes[0]
    assert cache.get("kind", digest("a")) is None


def test_the_cache_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HEALTHKG_CACHE_DIR", str(tmp_path / "here"))
    assert ResultCache.from_environment().folder == tmp_path / "here"
    monkeypatch.setenv("HEALTHKG_CACHE_DIR", "")
    assert ResultCache.from_environment() is None
    monkeypatch.delenv("HEALTHKG_CACHE_DIR")
    assert ResultCache.from_environment().folder.name == "healthkg"


@needs_hermit
def test_the_main_job_writes_the_same_files_with_and_without_the_cache(tmp_path, monkeypatch):
    """A second run reusing every result writes byte-identical files to a run with --no-cache."""
    monkeypatch.setenv("HEALTHKG_CACHE_DIR", str(tmp_path / "cache"))
    runs = {}
    for name, extra in (("first", []), ("rerun", []), ("uncached", ["--no-cache"])):
        out = tmp_path / name
        run = subprocess.run([sys.executable, str(ROOT / "build_graph.py"), "--out", str(out), *extra],
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        runs[name] = run.stdout
    assert "reused: same input as a run of" not in runs["first"] + runs["uncached"]
    assert runs["rerun"].count("reused: same input as a run of") == 3     # rules engine, HermiT, validation
    for relative in ("graph/healthkg.nt", "graph/healthkg.ttl", "graph/healthkg.jsonld", "validation-report.md"):
        assert (tmp_path / "rerun" / relative).read_bytes() == (tmp_path / "uncached" / relative).read_bytes()
        assert (tmp_path / "first" / relative).read_bytes() == (tmp_path / "uncached" / relative).read_bytes()
