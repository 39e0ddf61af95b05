"""`build_graph.py extract FILE --json` as a user runs it: a subprocess in the repository root."""
from __future__ import annotations

import json
import subprocess
import sys

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
    err = proc.stderr.lower()
    assert "task" in err or "任务" in err, proc.stderr


def _out_supported() -> bool:
    return "--out" in run("extract", "--help").stdout


def test_out_dir_positive_control(tmp_path):
    if not _out_supported():
        pytest.skip("extract has no --out option")
    out = tmp_path / "out"
    proc = run("extract", WUZHOU, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert out.is_dir() and any(out.rglob("*")), "extract --out wrote nothing for a good plan"


def test_no_tasks_with_out_dir_writes_nothing(tmp_path):
    if not _out_supported():
        pytest.skip("extract has no --out option")
    out = tmp_path / "out"
    proc = run("extract", NO_TASKS, "--out", out)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    _clear_failure(proc)
    assert "usage:" not in proc.stderr.lower()
    assert not out.exists() or not any(out.rglob("*")), list(out.rglob("*"))


def test_missing_file(tmp_path):
    missing = tmp_path / "no-such-plan.txt"
    proc = run("extract", missing, "--json")
    assert proc.returncode != 0
    assert proc.stdout == ""
    _clear_failure(proc)
    assert "no-such-plan.txt" in proc.stderr, proc.stderr
