"""The benchmark: every stage and every query on every store at two small sizes; exponents and budgets
computed right on a hand-made result. Budgets are reported, never asserted."""
import json
import math
import signal
import time
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph
import pytest

from healthkg.graph.bench import benchmark
from healthkg.graph.bench.benchmark import (
    BUILD_STAGES,
    PIPELINE_STAGES,
    STORES,
    budgets,
    exponent,
    exponents,
    format_table,
    parse_sizes,
    projection,
    run_benchmark,
)
from healthkg.queries import library

RDFLIB_CAP = 0.05   # small enough that rdflib's slow queries take the "> cap" path


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("bench")
    checkpoints = []
    result = run_benchmark([2, 4], workdir, repeats=1, whole_graph_max=2, whole_engine="rules",
                           per_plan_engine="rules", query_cap=60.0, rdflib_query_cap=RDFLIB_CAP, main_job_max=0,
                           bundled=False, jobs=2, stages_max=2, rdflib_max_plans=4,
                           checkpoint=lambda partial: checkpoints.append(json.loads(json.dumps(partial))))
    result["checkpoints"] = checkpoints
    return result


def test_a_checkpoint_after_each_size_keeps_the_sizes_done(result):
    assert [[run["plans"] for run in partial["runs"]] for partial in result["checkpoints"]] == [[2], [2, 4]]
    assert "budgets" in result["checkpoints"][0] and "exponents" in result["checkpoints"][0]


def test_every_stage_at_every_size(result):
    assert [run["plans"] for run in result["runs"]] == [2, 4]
    for run in result["runs"]:
        corpus = run["corpus_build"]
        assert corpus["status"] == "ok", corpus
        assert corpus["detail"]["plans"] == run["plans"] and corpus["detail"]["jobs"] == 2
        assert set(corpus["detail"]["stage_seconds"]) >= {"extract", "rdf", "reasoning", "shacl", "load"}
        assert run["build"] == {"status": "ok", "seconds": corpus["seconds"], "peak_rss_mb": corpus["peak_rss_mb"],
                                "stages": ["corpus_build"], "jobs": 2}
        assert corpus["peak_rss_mb"] > corpus["own_peak_rss_mb"] > 0
        assert run["triples"]["released_lines"] > run["triples"]["inferred"] > 0
        for stage in ("load_oxigraph_memory", "load_oxigraph_disk", "network", "views"):
            entry = run["stages"][stage]
            if stage == "views" and entry["status"] == "skipped":
                assert "viz" in entry["reason"]
                continue
            assert entry["status"] == "ok", (run["plans"], stage, entry)
            assert entry["seconds"] >= 0 and entry["peak_rss_mb"] > 0
    small, large = result["runs"]
    for stage in PIPELINE_STAGES + ("load_rdflib",):
        entry = small["stages"][stage]
        assert entry["status"] == "ok", (stage, entry)
    assert small["stages"]["extract"]["detail"]["plans"] == 2
    assert small["stages"]["extract"]["detail"]["tasks_without_lead"] == 0
    assert small["stages"]["shacl"]["detail"]["conforms"] is True
    assert small["stages"]["reasoning"]["detail"]["mode"] == "whole graph"
    # two routes to the same graph: the separate stages (whole-graph reasoning) and the corpus build
    folder = Path(result["settings"]["workdir"]) / "plans-2"
    separate = pyoxigraph.Store()
    separate.bulk_load(path=str(folder / "released.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    corpus_store = pyoxigraph.Store.read_only(str(folder / "store-corpus"))
    assert {str(q.triple) for q in separate} == {str(q.triple) for q in corpus_store}
    assert len(corpus_store) == small["corpus_build"]["detail"]["triples"]
    # above stages_max only the corpus build runs, and the stores load its dump
    assert all(large["stages"][stage]["status"] == "not run" and "stages_max" in large["stages"][stage]["reason"]
               for stage in PIPELINE_STAGES)
    assert large["triples"]["released_lines"] == large["corpus_build"]["detail"]["triples"]


def test_every_query_on_every_store(result):
    names = set(library.all_queries())
    for run in result["runs"]:
        for store in STORES:
            latencies = run["queries"][store]
            assert set(latencies) == names, (run["plans"], store)
            for name, latency in latencies.items():
                assert latency["status"] in ("ok", "cap"), (run["plans"], store, name, latency)
                if latency["status"] == "ok":
                    assert latency["median_ms"] >= 0 and latency["runs"] >= 1
    # rdflib is slow enough that the cap is reached; a query over the cap gets one run at a larger size
    capped = [n for n, r in result["runs"][0]["queries"]["rdflib"].items() if r["status"] == "cap"]
    assert capped
    assert all("one run only" in result["runs"][1]["queries"]["rdflib"][n].get("note", "") for n in capped)
    assert all(result["runs"][1]["queries"]["rdflib"][n].get("runs", 1) == 1 for n in capped)


def test_stores_agree_on_row_counts(result):
    run = result["runs"][0]
    memory, disk = run["queries"]["oxigraph_memory"], run["queries"]["oxigraph_disk"]
    for name in memory:
        if memory[name]["status"] == disk[name]["status"] == "ok":
            assert memory[name]["rows"] == disk[name]["rows"], name


def test_result_is_json_and_the_table_shows_everything(result):
    assert json.loads(json.dumps(result)) == result
    table = format_table(result)
    for heading in ("Stages", "Query latency", "Scaling exponents", "Budgets"):
        assert heading in table
    for name in library.all_queries():
        assert name in table
    assert f"> {RDFLIB_CAP:g} s" in table
    assert "2→4" in table
    assert "projected" in table   # 2,000 plans not measured here


def _run(plans: int, seconds: dict, peak: float = 500.0, queries: dict | None = None) -> dict:
    stages = {stage: {"status": "ok", "seconds": value, "peak_rss_mb": peak} for stage, value in seconds.items()}
    run = {"plans": plans, "stages": stages, "queries": queries or {}}
    run["build"] = {"status": "ok", "seconds": sum(seconds[s] for s in BUILD_STAGES), "peak_rss_mb": peak}
    return run


def test_exponents_on_a_hand_made_result():
    base = {stage: 1.0 for stage in BUILD_STAGES}
    runs = [
        _run(20, dict(base, extract=1.0, reasoning=1.0)),
        _run(200, dict(base, extract=10.0, reasoning=10.0)),
        _run(2000, dict(base, extract=100.0, reasoning=1000.0, load_oxigraph_disk=2.0)),
    ]
    result = {"runs": runs}
    found = exponents(result)
    assert [p["exponent"] for p in found["extract"]] == [1.0, 1.0]
    assert [(p["from"], p["to"]) for p in found["extract"]] == [(20, 200), (200, 2000)]
    assert found["reasoning"][1]["exponent"] == pytest.approx(2.0)
    assert found["load_oxigraph_disk"][0]["exponent"] == pytest.approx(0.0)
    assert found["load_oxigraph_disk"][1]["exponent"] == pytest.approx(math.log(2) / math.log(10), abs=1e-3)
    assert exponent(200, 3.0, 2000, 30.0) == pytest.approx(1.0)
    assert exponent(200, 0.0, 2000, 30.0) is None

    result["exponents"] = found
    verdicts = {b["budget"]: b for b in budgets(result)}
    reasoning = verdicts["scaling exponent 200→2,000: reasoning"]
    assert reasoning["holds"] is False and reasoning["over"] == pytest.approx(0.9)
    assert verdicts["scaling exponent 200→2,000: extract"]["holds"] is True
    build = next(b for name, b in verdicts.items() if name.startswith("2,000 plans: whole build"))
    assert build["measured"] == pytest.approx(100.0 + 1000.0 + 2.0 + 2.0) and build["holds"] is False
    assert "missed by" in build["verdict"]
    memory = next(b for name, b in verdicts.items() if name.startswith("2,000 plans: peak memory"))
    assert memory["holds"] is True


def test_budgets_and_projection_when_2000_is_not_measured():
    slow = {"status": "cap", "cap_seconds": 30.0}
    quick = {"status": "ok", "median_ms": 4.0, "runs": 5, "rows": 1}
    runs = [_run(2, {s: 1.0 for s in BUILD_STAGES}, queries={"oxigraph_memory": {"a": quick, "b": quick}}),
            _run(200, {s: 100.0 for s in BUILD_STAGES}, queries={"oxigraph_disk": {"a": quick, "b": slow}})]
    result = {"runs": runs, "main_job_bundled": {"status": "ok", "seconds": 12.5}}
    result["exponents"] = exponents(result)
    result["projection"] = projection(result)
    assert result["projection"]["stages"]["extract"]["seconds"] == pytest.approx(1000.0)
    assert result["projection"]["build_seconds"] == pytest.approx(5000.0)
    verdicts = budgets(result)
    job = verdicts[0]
    assert job["holds"] is False and job["over"] == pytest.approx(8.5) and "3.1x" in job["verdict"]   # budget 4 s
    rerun = verdicts[1]
    assert rerun["budget"].startswith("two plans (bundled): main job wall time, rerun") and rerun["holds"] is None
    query = next(b for b in verdicts if b["budget"].startswith("two plans (synthetic): every .rq"))
    assert query["holds"] is True and query["measured"] == 4.0
    build = next(b for b in verdicts if b["budget"].startswith("2,000 plans: whole build"))
    assert build["projected"] and build["holds"] is False and "projected to miss" in build["verdict"]
    assert next(b for b in verdicts if "200→2,000: extract" in b["budget"])["holds"] is None
    assert "MISS" in format_table(dict(result, queries=["a", "b"], machine={}, settings={}, seconds=1.0))


def test_the_build_is_projected_from_the_corpus_builds_wall_time_not_the_separate_stages():
    """The separate stages (whole-graph and rdflib paths) add up to far more than the corpus build a user
    runs; the projected build is the corpus build's own series."""
    runs = [_run(n, {s: 10.0 * n for s in BUILD_STAGES}) for n in (20, 200)]
    for run, wall in zip(runs, (8.0, 80.0)):
        run["corpus_build"] = {"status": "ok", "seconds": wall, "peak_rss_mb": 700.0, "detail": {"jobs": 2}}
        run["build"] = {"status": "ok", "seconds": wall, "peak_rss_mb": 700.0}
    result = {"runs": runs}
    projected = projection(result)
    assert projected["build_seconds"] == pytest.approx(800.0)              # 80 s x 10, exponent 1
    assert projected["stages"]["reasoning"]["seconds"] == pytest.approx(20000.0)
    assert "build" not in projected["stages"]


def test_parse_sizes():
    assert parse_sizes("2,20,200,2000") == [2, 20, 200, 2000]
    assert parse_sizes("200, 2") == [2, 200]
    with pytest.raises(ValueError):
        parse_sizes("0")


def test_queries_on_the_bundled_release_get_their_own_budget_line_and_column():
    quick = {"status": "ok", "median_ms": 4.0, "runs": 3, "rows": 1}
    slow = {"status": "ok", "median_ms": 25.0, "runs": 3, "rows": 0}
    runs = [_run(2, {s: 1.0 for s in BUILD_STAGES}, queries={"oxigraph_memory": {"a": quick, "b": quick}})]
    result = {"runs": runs, "queries_bundled": {"a": quick, "b": slow}}
    verdicts = {b["budget"].split(":")[0]: b for b in budgets(result)}
    bundled = verdicts["two plans (bundled release)"]
    assert bundled["holds"] is False and bundled["measured"] == 25.0 and bundled["note"] == "slowest: b"
    assert verdicts["two plans (synthetic)"]["holds"] is True
    table = format_table(dict(result, queries=["a", "b"], machine={}, settings={}, seconds=1.0))
    header = next(line for line in table.splitlines() if line.startswith("query "))
    row = next(line for line in table.splitlines() if line.startswith("b "))
    assert header.split()[1:3] == ["bundled:", "ox-mem"] and row.split()[1] == "25.0"


def test_extract_scaling_measures_each_size_and_fits_the_exponent(tmp_path, capsys):
    """`bench --extract-scaling` on tiny sizes: one line per plan size and paragraph, the texts as large as
    asked, the exponent and both budget lines (their timing is reported, never asserted)."""
    from healthkg.graph.bench import benchmark as bench
    from healthkg.graph.bench import extract_scaling

    out = tmp_path / "scaling.json"
    assert bench.main(["--extract-scaling", "--extract-mb", "0.05,0.1", "--paragraph-kb", "4", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    result = json.loads(out.read_text(encoding="utf-8"))
    assert [e["megabytes"] for e in result["plans"]] == [0.05, 0.1]
    assert [e["kilobytes"] for e in result["paragraphs"]] == [4]
    for entry, size in zip(result["plans"], (0.05, 0.1)):
        assert entry["bytes"] >= size * extract_scaling.MB and entry["tasks"] > 0 and entry["seconds"] > 0
    assert result["paragraphs"][0]["targets"] > 4 * 1024 // 60      # a target every few dozen bytes
    assert isinstance(result["exponent"], float)
    assert [b["budget"] for b in result["budgets"]] == ["a 4 KB paragraph full of numbers within 10 s"]
    assert "| plan of 0.1 MB |" in printed and "fitted exponent" in printed and "budget: a 4 KB paragraph" in printed
    # with 1 and 10 MB measured, the ratio budget is computed from them
    ratio = extract_scaling.budgets({"plans": [{"megabytes": 1, "seconds": 2.0}, {"megabytes": 10, "seconds": 25.0}],
                                     "paragraphs": []})
    assert ratio == [{"budget": "10 MB within 10x of 1 MB", "measured": 12.5, "holds": False}]
    assert extract_scaling.fitted_exponent([(1, 1.0), (2, 4.0), (4, 16.0)]) == 2.0


def test_a_numbers_paragraph_is_one_sentence_of_targets():
    from healthkg.graph.bench.extract_scaling import numbers_paragraph

    text = numbers_paragraph(2)
    assert len(text.encode()) >= 2048 and text.count("。") == 1 and text.endswith("。")
    assert text.startswith("到2025年")


def test_the_main_jobs_rerun_has_its_own_budget_and_an_old_json_without_it_still_formats():
    bundled = {"status": "ok", "seconds": 3.5, "detail": {"reported": "stages: ...", "rerun": {
        "status": "ok", "seconds": 2.5, "reused": 3, "reported": "stages: reused"}}}
    verdicts = {b["budget"]: b for b in budgets({"runs": [], "main_job_bundled": bundled})}
    first = next(b for name, b in verdicts.items() if "first run" in name)
    rerun = next(b for name, b in verdicts.items() if "rerun" in name)
    assert first["holds"] is True and first["limit"] == 4.0
    assert rerun["holds"] is False and rerun["limit"] == 2.0 and rerun["over"] == pytest.approx(0.5)
    table = format_table({"runs": [], "main_job_bundled": bundled, "queries": [], "machine": {}, "settings": {},
                          "seconds": 1.0})
    assert "its rerun on unchanged inputs: 2.50 s (not up to date: rebuilt, 3 verified results reused" in table
    kept = dict(bundled, detail={"reported": "stages: ...", "rerun": {
        "status": "ok", "seconds": 1.5, "up_to_date": True, "reused": 0, "reported": "up to date: ..."}})
    table = format_table({"runs": [], "main_job_bundled": kept, "queries": [], "machine": {}, "settings": {},
                          "seconds": 1.0})
    assert "its rerun on unchanged inputs: 1.50 s (the output folder was up to date: nothing rebuilt)" in table
    old = dict(bundled, detail={"reported": "stages: ..."})          # a JSON written before the rerun was measured
    table = format_table({"runs": [], "main_job_bundled": old, "queries": [], "machine": {}, "settings": {},
                          "seconds": 1.0})
    assert "rerun on unchanged inputs (output folder up to date, kept): - (budget 2.00 s) — not measured" in table


class _StubStore:
    """A store whose every query raises `error` after `seconds`, even when the cap's timer interrupts it: as
    rdflib did with the timer's exception deep in its recursion (the run reported RecursionError)."""

    def __init__(self, error: Exception, seconds: float):
        self.error, self.seconds = error, seconds

    def select(self, text):
        try:
            time.sleep(self.seconds)
        except BaseException:
            raise self.error from None
        raise self.error


def _worker_events(monkeypatch, capsys, store, cap):
    monkeypatch.setattr(benchmark, "_open_store", lambda *args: (store, str))
    benchmark.store_worker("rdflib", Path("unused.nt"), Path("unused"), False, ["plan-overview"], 3, cap, None)
    lines = capsys.readouterr().out.splitlines()
    return [json.loads(line[len(benchmark.MARK):]) for line in lines if line.startswith(benchmark.MARK)]


def test_an_error_raised_after_the_cap_is_the_cap_and_one_before_it_is_an_error(monkeypatch, capsys):
    late = _worker_events(monkeypatch, capsys, _StubStore(RecursionError("maximum recursion depth exceeded"), 0.2),
                          cap=0.1)
    assert [e["event"] for e in late if e.get("query")] == ["cap", "done"]
    early = _worker_events(monkeypatch, capsys, _StubStore(ValueError("bad query"), 0.0), cap=5.0)
    errors = [e for e in early if e["event"] == "error"]
    assert [e["error"] for e in errors] == ["ValueError: bad query"]


def test_a_ring_of_the_cap_timer_in_the_workers_own_code_does_nothing():
    # A second ring, pending while Oxigraph held the thread, reached the worker in the except clause of the
    # first and killed it (2,000 plans: the rest of its questions unmeasured). Only a ring that interrupts the
    # query's own code raises.
    worker_frame = SimpleNamespace(f_code=benchmark.store_worker.__code__)
    query_frame = SimpleNamespace(f_code=_StubStore.select.__code__)
    benchmark._arm_timer(600)
    try:
        benchmark._on_alarm(signal.SIGALRM, worker_frame)            # nothing raised
        with pytest.raises(benchmark._QueryTimeout):
            benchmark._on_alarm(signal.SIGALRM, query_frame)
    finally:
        benchmark._disarm_timer()
    benchmark._on_alarm(signal.SIGALRM, query_frame)                 # disarmed: nothing raised
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
