"""Corpus mode streams plans into an on-disk Oxigraph store; on the bundled plans it holds exactly the
committed release, and bad input leaves an existing store untouched."""
import io
import shutil
import subprocess
import sys

import pyoxigraph
import pytest
from conftest import FIXTURES, ROOT, SOURCES

from healthkg.graph.app import corpus, pipeline
from healthkg.graph.app.corpus import build_corpus
from healthkg.ontology.reasoning import rules
from healthkg.ontology.reasoning.hermit import hermit_problem


def _triples(store_dir):
    store = pyoxigraph.Store.read_only(str(store_dir))
    return {str(quad.triple) for quad in store}


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """Built on a local Dask cluster of two worker processes."""
    store_dir = tmp_path_factory.mktemp("corpus") / "store"
    summary = build_corpus(SOURCES, store_dir, progress=None, jobs=2)
    assert summary["jobs"] == 2 and summary["workers"] == "a local Dask cluster of 2 worker processes"
    return store_dir


def test_corpus_store_holds_exactly_the_release(corpus_store):
    release = pyoxigraph.Store()
    release.bulk_load(path=str(pipeline.RELEASE), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert _triples(corpus_store) == {str(quad.triple) for quad in release}


def test_query_and_serve_use_the_store(corpus_store):
    done = subprocess.run([sys.executable, "build_graph.py", "query", "coordinating-load-by-function",
                           "--store-dir", str(corpus_store), "--format", "csv"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # read in the plans: the health bureaus lead 16 tasks and co-operate on 26, one of them a task they lead
    # (柳州 发展中医药健康旅游产品): 25 counted, index 2 x 16 + 25
    assert done.stdout.splitlines()[1].startswith("1,hkc:function/health,卫生健康,Health,16,25,41,57,")


def test_bad_input_leaves_the_existing_store_untouched(corpus_store, tmp_path):
    sources = tmp_path / "plans"
    sources.mkdir()
    shutil.copy(SOURCES / "laibin-2019-laizhengfa-22.txt", sources)
    shutil.copy(FIXTURES / "no-tasks.txt", sources)
    before = _triples(corpus_store)
    done = subprocess.run([sys.executable, "build_graph.py", "build", "--sources", str(sources),
                           "--store-dir", str(corpus_store)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "no-tasks.txt" in done.stderr and "Traceback" not in done.stderr
    assert _triples(corpus_store) == before
    assert not list(corpus_store.parent.glob(".*building*"))


def test_the_store_does_not_depend_on_the_number_of_jobs(corpus_store, tmp_path):
    one_job = tmp_path / "one-job"
    summary = build_corpus(SOURCES, one_job, progress=None, jobs=1)
    assert summary["jobs"] == 1 and summary["plans"] == 2 and summary["workers"] == "this process"
    assert _triples(one_job) == _triples(corpus_store)
    assert set(summary["stage_seconds"]) >= {"extract", "rdf", "reasoning", "shacl", "load"}


def test_jobs_below_one_is_bad_input(tmp_path):
    done = subprocess.run([sys.executable, "build_graph.py", "build", "--sources", str(SOURCES),
                           "--store-dir", str(tmp_path / "store"), "--jobs", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--jobs" in done.stderr
    assert not (tmp_path / "store").exists()


def test_plan_scoped_checks_run_per_plan_and_catch_a_wrong_quote():
    from healthkg.graph.app.corpus import _plan_violations, _shared_graphs
    from healthkg.graph.check.validate import plan_scoped, violation_queries

    scoped = sorted(name for name, text in violation_queries().items() if plan_scoped(text))
    # agencies are shared by the plans of a city: a city clash between two plans shows only in the store
    # the Data Cube constraints too: a plan writes only its own observations, keyed by its own statements
    cube = ["cube-ic01-unique-data-set", "cube-ic02-unique-structure", "cube-ic03-structure-has-measure",
            "cube-ic04-dimension-range", "cube-ic05-concept-dimension-code-list",
            "cube-ic06-only-attributes-optional", "cube-ic11-all-dimensions-required",
            "cube-ic12-no-duplicate-observations", "cube-ic13-required-attributes",
            "cube-ic14-all-measures-present", "cube-ic19-codes-from-code-list"]
    assert scoped == ["agency-without-function", "assignment-shortcut-mismatch", *cube, "duplicate-assignment",
                      "selection-of-other-plan", "span-mismatch", "target-range-inverted",
                      "target-without-unit", "target-year-outside-period", "task-in-two-sections",
                      "task-without-lead"]
    release = pipeline.RELEASE.read_bytes()
    assert _plan_violations(release, _shared_graphs()) == []
    quote = b'<http://www.w3.org/ns/oa#exact> "'
    start = release.index(quote) + len(quote)
    broken = release[:start] + "错".encode() + release[start:]
    failed = _plan_violations(broken, _shared_graphs())
    assert len(failed) == 1 and failed[0].startswith("span-mismatch: 1 rows")


def test_a_plan_naming_another_plans_resource_is_caught(laibin):
    """What makes the plan-scoped checks enough: no plan's triples name another plan's resources."""
    from rdflib import URIRef

    from healthkg.graph.app.corpus import other_plans_resources
    from healthkg.graph.rdf.build import build_graph
    from healthkg.graph.rdf.vocab import HK, HKD

    triples = set(build_graph([laibin]))
    plan_id = laibin["plan"]["id"]
    assert other_plans_resources(triples, plan_id) == []
    task = next(s for s, p, o in triples if p == HK.leadUnit)
    other = HKD["plan/liuzhou-2020-liuzhenggui-9"]
    assert other_plans_resources(triples | {(task, URIRef("http://purl.org/net/p-plan#isStepOfPlan"), other)},
                                 plan_id) == [str(other)]
    # a plan whose id starts with this one's is another plan
    longer = HKD[f"plan/{plan_id}-b/task/1"]
    assert other_plans_resources(triples | {(longer, HK.leadUnit, task)}, plan_id) == [str(longer)]


def test_progress_is_a_bar_on_a_terminal_and_nothing_in_a_log(tmp_path):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    log, terminal = io.StringIO(), Terminal()
    build_corpus(SOURCES, tmp_path / "a", progress=log, jobs=1)
    build_corpus(SOURCES, tmp_path / "b", progress=terminal, jobs=1)
    assert log.getvalue() == ""                      # no \r frames in a CI log
    assert "2/2" in terminal.getvalue() and "plan" in terminal.getvalue()


needs_java = pytest.mark.skipif(hermit_problem() is not None, reason=f"HermiT cannot run: {hermit_problem()}")


def _fixture_plans(tmp_path, names):
    sources = tmp_path / "plans"
    sources.mkdir()
    for name in names:
        shutil.copy(FIXTURES / name, sources)
    return sources


def test_the_hermit_sample_is_seeded_and_sized(tmp_path):
    sources = _fixture_plans(tmp_path, ["hezhou-verbs.txt", "qinzhou-style.txt", "national-style.txt",
                                        "beihai-role-agnostic.txt"])
    files = pipeline.plan_files(sources)
    assert corpus.hermit_sample(files, 0) == set()
    assert len(corpus.hermit_sample(files, 0.01)) == 1          # at least one plan
    assert len(corpus.hermit_sample(files, 0.5)) == 2
    assert corpus.hermit_sample(files, 1) == set(files)
    assert corpus.hermit_sample(files, 0.5, seed=7) == corpus.hermit_sample(files, 0.5, seed=7)
    assert len({frozenset(corpus.hermit_sample(files, 0.25, seed=seed)) for seed in range(12)}) > 1
    with pytest.raises(pipeline.InputError):
        corpus.hermit_sample(files, 1.5)


@needs_java
def test_hermit_checks_the_sampled_plans(tmp_path):
    sources = _fixture_plans(tmp_path, ["hezhou-verbs.txt", "qinzhou-style.txt"])
    summary = build_corpus(sources, tmp_path / "store", progress=None, jobs=1, hermit_fraction=1)
    assert summary["hermit_check"]["sampled"] == 2 and summary["hermit_check"]["checked"] == 2


@needs_java
def test_a_difference_from_hermit_fails_the_corpus_build(tmp_path, monkeypatch):
    """A rules engine that misses the defined classes (hk:LeadBody, ...) is caught on a sampled plan."""
    sources = _fixture_plans(tmp_path, ["hezhou-verbs.txt"])
    monkeypatch.setattr(rules, "count_rule", lambda prepared, view, distinct: set())
    with pytest.raises(pipeline.BuildFailed) as failed:
        build_corpus(sources, tmp_path / "store", progress=None, jobs=1, hermit_fraction=0.05)
    message = str(failed.value)
    assert "hezhou-verbs.txt" in message and "HermiT and the rules engine differ" in message
    assert "entailed that the rules engine misses" in message and "hk:LeadBody" in message
    assert not (tmp_path / "store").exists()


def test_without_java_the_summary_says_the_sample_was_not_checked(tmp_path, monkeypatch):
    sources = _fixture_plans(tmp_path, ["hezhou-verbs.txt"])
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    summary = build_corpus(sources, tmp_path / "store", progress=None, jobs=1)
    assert summary["hermit_check"]["checked"] == 0 and summary["hermit_check"]["sampled"] == 1
    assert "no java on PATH" in summary["hermit_check"]["note"]
