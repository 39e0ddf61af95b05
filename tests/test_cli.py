"""`build_graph.py extract FILE --json` as a user runs it: a subprocess in the repository root."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, LAIBIN, LIUZHOU, ROOT

GBK_PLAN = FIXTURES / "gbk-plan.txt"
NO_TASKS = FIXTURES / "no-tasks.txt"
WUZHOU = FIXTURES / "wuzhou-style.txt"

KEYS = {"plan", "sections", "tasks", "targets", "chain_leads", "unknown_agencies"}


def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build_graph.py", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def extract_json(path, *extra) -> dict:
    proc = run("extract", path, "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("path", [LAIBIN, LIUZHOU], ids=lambda p: p.stem)
def test_bundled_plans_give_json_records(path):
    data = extract_json(path)
    assert KEYS <= set(data)
    assert isinstance(data["plan"], dict)
    for key in KEYS - {"plan"}:
        assert isinstance(data[key], list), key
    assert data["tasks"], "no tasks"
    assert data["plan"]["doc_number"] in path.read_text(encoding="utf-8")


def test_gbk_decodes_automatically():
    data = extract_json(GBK_PLAN)
    assert KEYS <= set(data)
    assert data["plan"]["city"] == "玉林市"
    assert data["plan"]["doc_number"] == "玉政发〔2020〕18号"
    assert data["plan"]["encoding"].lower() in {"gbk", "gb18030", "gb2312", "cp936"}
    assert len(data["tasks"]) == 3


def test_gbk_with_explicit_encoding():
    auto = extract_json(GBK_PLAN)
    explicit = extract_json(GBK_PLAN, "--encoding", "gbk")
    assert explicit["plan"]["doc_number"] == "玉政发〔2020〕18号"
    assert [t["id"] for t in explicit["tasks"]] == [t["id"] for t in auto["tasks"]]
    assert [(t["start"], t["end"]) for t in explicit["tasks"]] == [
        (t["start"], t["end"]) for t in auto["tasks"]]


def _clear_failure(proc: subprocess.CompletedProcess) -> None:
    assert proc.stderr.strip(), "no message on stderr"
    assert "Traceback" not in proc.stderr, proc.stderr


def test_no_tasks_exits_2_with_message_and_no_stdout():
    proc = run("extract", NO_TASKS, "--json")
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    _clear_failure(proc)
    assert "usage:" not in proc.stderr.lower(), "argument error, not the no-tasks error"
    assert NO_TASKS.name in proc.stderr, "the message should name the file"


# The main job: `build_graph.py --out DIR --sources FOLDER` extracts every plan of FOLDER into DIR.
def _sources(tmp_path, *files) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for f in files:
        shutil.copy(f, src / f.name)
    return src


def test_main_job_positive_control(tmp_path):
    out = tmp_path / "out"
    proc = run("--out", out, "--sources", _sources(tmp_path, WUZHOU))
    assert proc.returncode == 0, proc.stderr
    assert out.is_dir() and [p for p in out.rglob("*") if p.is_file()], "main job wrote nothing"


def test_main_job_with_no_tasks_writes_nothing(tmp_path):
    out = tmp_path / "out"
    proc = run("--out", out, "--sources", _sources(tmp_path, NO_TASKS))
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    _clear_failure(proc)
    assert "usage:" not in proc.stderr.lower()
    assert NO_TASKS.name in proc.stderr
    assert not out.exists() or not any(out.rglob("*")), list(out.rglob("*"))


def test_main_job_is_all_or_nothing(tmp_path):
    # one good plan and one text without tasks: the job fails and leaves no partial output
    out = tmp_path / "out"
    proc = run("--out", out, "--sources", _sources(tmp_path, WUZHOU, NO_TASKS))
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    _clear_failure(proc)
    assert NO_TASKS.name in proc.stderr
    assert not out.exists() or not any(out.rglob("*")), list(out.rglob("*"))


def test_missing_file(tmp_path):
    missing = tmp_path / "no-such-plan.txt"
    proc = run("extract", missing, "--json")
    assert proc.returncode != 0
    assert proc.stdout == ""
    _clear_failure(proc)
    assert "no-such-plan.txt" in proc.stderr, proc.stderr


def test_extract_without_json_summarises_the_plan_by_section():
    proc = run("extract", LAIBIN)
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    # 来政发〔2019〕22号 has 30 numbered tasks under its 重点任务 (counted by hand in the text)
    assert first.startswith("来宾市 来政发〔2019〕22号") and "30 tasks" in first
    assert not proc.stdout.lstrip().startswith("{")


def test_bench_is_a_command_with_its_own_help():
    proc = run("bench", "--help")
    assert proc.returncode == 0 and "--plans" in proc.stdout and "--extract-scaling" in proc.stdout
    listed = run("--help")
    assert "bench" in listed.stdout.split("positional arguments")[1]


@pytest.mark.parametrize("before", [["--sources", "graph/sources"], ["--out", "elsewhere"], ["--update-release"]])
def test_main_job_options_before_a_command_are_refused(before):
    proc = run(*before, "build", "--sources", "graph/sources")
    assert proc.returncode == 2
    assert "would apply to the main job" in proc.stderr and proc.stderr.count("\n") == 1


# ---------------------------------------------------------------- query: your own SPARQL (issue 19)

def test_query_a_rq_file_with_the_prefixes_declared(tmp_path):
    mine = tmp_path / "tasks-per-city.rq"
    mine.write_text("# tasks per city\nSELECT ?city (COUNT(?task) AS ?tasks)\nWHERE {\n"
                    "  ?task a hk:Task ; p-plan:isStepOfPlan/hk:city/rdfs:label ?city .\n"
                    "  FILTER (LANG(?city) = \"zh\")\n}\nGROUP BY ?city ORDER BY ?city\n", encoding="utf-8")
    proc = run("query", mine, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["city,tasks", "来宾市,30", "柳州市,60"]     # as the gold readings count


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_query_inline_sparql(store):
    proc = run("query", "--store", store, "--format", "csv", "--sparql",
               "SELECT ?name WHERE { ?city a hk:City ; rdfs:label ?name FILTER (LANG(?name) = 'zh') } ORDER BY ?name")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["name", "来宾市", "柳州市"]


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_query_syntax_error_names_the_line_of_the_users_text(store):
    proc = run("query", "--store", store, "--sparql", "SELECT ?x WHERE {\n  ?x a hk:Task\n  FILTER (}")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: the query is not valid SPARQL: line 3, column "), proc.stderr
    assert 'in "FILTER (}"' in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_query_file_errors():
    assert run("query", "no-such-file.rq").stderr.startswith("error: no such query file: no-such-file.rq")
    proc = run("query", "plan-overview", "--sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert proc.returncode == 2 and "not both" in proc.stderr
