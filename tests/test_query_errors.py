"""`query` and `serve` given bad input: one line `error: ...` naming the option or file, exit code 2, no
traceback and no answer; and parameters that hold any text bind as that text."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from healthkg.queries.server import free_port

EXIT_BAD_INPUT = 2


def cli(*args, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build_graph.py", *args], cwd=ROOT, capture_output=True, timeout=timeout)


def assert_bad_input(proc: subprocess.CompletedProcess, *words: str) -> None:
    stderr = proc.stderr.decode("utf-8", errors="replace")
    assert proc.returncode == EXIT_BAD_INPUT and proc.stdout == b"", (proc.returncode, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    made = {
        "turtle": "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n",
        "empty": "",
        "comments": "# an N-Triples file with no triple\n\n",
    }
    for name, text in made.items():
        (folder / f"{name}.nt").write_text(text, encoding="utf-8")
    (folder / "random.nt").write_bytes(bytes(range(256)) * 8)
    (folder / "not-a-store").mkdir()
    (folder / "not-a-store" / "notes.txt").write_text("a folder of notes\n", encoding="utf-8")
    return folder


CLOSED = "http://127.0.0.1:9/query"          # never asked: the option is refused first


@pytest.mark.parametrize("args, words", [
    (["--endpoint", CLOSED, "--timeout", "-1"], ["--timeout", "-1"]),
    (["--endpoint", CLOSED, "--timeout", "0"], ["--timeout", "0"]),
    (["--endpoint", CLOSED, "--timeout", "nan"], ["--timeout"]),
    (["--endpoint", CLOSED, "--timeout", "1e12"], ["--timeout", "1e+12", "more than a day"]),
    (["--endpoint", CLOSED, "--max-response-mb", "0"], ["--max-response-mb"]),
    (["--endpoint", "not-a-url"], ["--endpoint", "not-a-url", "http"]),
    (["--endpoint", "file:///etc/passwd"], ["--endpoint", "file:///etc/passwd", "http"]),
    (["--endpoint", "http://127.0.0.1:99999/query"], ["--endpoint", "99999"]),
    (["--endpoint", "http:///query"], ["--endpoint", "no host"]),
], ids=["timeout-negative", "timeout-zero", "timeout-nan", "timeout-over-a-day", "max-response-zero", "not-a-url",
        "file-scheme", "port-out-of-range", "no-host"])
def test_bad_endpoint_options(args, words):
    assert_bad_input(cli("query", "coordinating-load", *args), *words)


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("name, words", [
    ("turtle", ["is not N-Triples"]),
    ("random", ["is not N-Triples"]),
    ("empty", ["holds no triples"]),
    ("comments", ["holds no triples"]),
])
def test_graph_file_that_is_not_a_graph(files, store, name, words):
    path = files / f"{name}.nt"
    assert_bad_input(cli("query", "coordinating-load", "--graph", str(path), "--store", store), str(path), *words)


@pytest.mark.parametrize("folder, words", [("not-a-store", ["is not an Oxigraph store"]), ("missing", ["no store at"])])
def test_store_dir_that_is_not_a_store(files, folder, words):
    path = files / folder
    assert_bad_input(cli("query", "coordinating-load", "--store-dir", str(path)), str(path), *words)
    if folder == "not-a-store":       # nothing was written into the user's folder
        assert sorted(os.listdir(path)) == ["notes.txt"]


@pytest.mark.parametrize("port", ["70000", "0", "-1"])
def test_serve_port_out_of_range(port):
    assert_bad_input(cli("serve", "--port", port), "--port", port)


def test_serve_timeout_must_be_positive():
    assert_bad_input(cli("serve", "--timeout", "0"), "--timeout")


@pytest.mark.parametrize("what, words", [("turtle.nt", ["is not N-Triples"]), ("empty.nt", ["holds no triples"]),
                                         ("comments.nt", ["holds no triples"]),
                                         ("not-a-store", ["is not an Oxigraph store"])])
def test_serve_refuses_what_is_not_a_graph(files, what, words):
    option = "--store-dir" if what == "not-a-store" else "--graph"
    proc = cli("serve", option, str(files / what), "--port", str(free_port()))
    assert_bad_input(proc, str(files / what), *words)


# ---------------------------------------------------------------- parameters: any text binds as that text

@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("keyword", ['x\n"', 'x\n\\"', "\\u0022 } #", "x\t\\U00000022"], ids=repr)
def test_keyword_with_quotes_newlines_and_escapes_is_bound_as_text(store, keyword):
    # no task of the bundled plans holds a newline, a quote or a backslash: zero rows, and a valid query
    proc = cli("query", "search-tasks", "--param", f"keyword={keyword}", "--store", store, "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    answer = json.loads(proc.stdout)
    assert answer["variables"] == ["city", "task", "number", "heading", "industry", "matched", "context", "leads",
                                   "cooperating"] and answer["rows"] == []


def test_keyword_that_is_not_text_is_bad_input():
    # bytes that are not UTF-8 reach Python as lone surrogates, which no store can be sent
    assert_bad_input(cli("query", "search-tasks", "--param", os.fsdecode(b"keyword=\xff\xfe")), "keyword")
