"""The query page `serve` offers at its root (queries/query_page.py, queries/front.py): every library question
with its parameters, bound by the server with the library's own binding; the SPARQL endpoint still answers at
/query through the front; and, in Chromium with the network off, a question run with a parameter shows its rows
and the page asks nothing of any other host."""
import json
import os
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import RELEASE, VIEW_REPORT
from playwright.sync_api import expect, sync_playwright
from processes import start_serve

from healthkg.queries import library
from healthkg.queries.front import QueryFront
from healthkg.queries.server import OxigraphServer, free_port
from healthkg.queries.stores import EndpointStore

WAIT = 30
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Read in the plans (tests/test_queries.py): 医养 as itself, never inside 中医养生:
# 来宾 1, 3, 5; 柳州 3.1-4, 3.2-2, 3.3-6
YIYANG_TASKS = {"hkd:plan/laibin-2019-22/task/s2.1-t1", "hkd:plan/laibin-2019-22/task/s2.1-t3",
                "hkd:plan/laibin-2019-22/task/s2.2-t5", "hkd:plan/liuzhou-2020-9/task/s3.1-t4",
                "hkd:plan/liuzhou-2020-9/task/s3.2-t2", "hkd:plan/liuzhou-2020-9/task/s3.3-t6"}


@pytest.fixture(scope="module")
def front():
    with OxigraphServer(RELEASE, free_port(), timeout=WAIT) as server:
        running = QueryFront(free_port(), server.port, idle_timeout=WAIT).start()
        try:
            yield running
        finally:
            running.stop()


def _get(url: str):
    with urllib.request.urlopen(url, timeout=WAIT) as response:
        return response.status, dict(response.headers), response.read().decode("utf-8")


def _post(url: str, body: bytes, kind: str = "application/json"):
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": kind})
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class _Tags(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self._in = [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = (dict(attrs).get("type"), [])

    def handle_endtag(self, tag):
        if tag == "script" and self._in:
            self.scripts.append((self._in[0], "".join(self._in[1])))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._in[1].append(data)


def test_the_page_loads_nothing_and_runs_only_its_own_script(front):
    status, headers, text = _get(front.url + "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "unsafe" not in policy
    page = _Tags(text)
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "srcset", "data"):
            assert not attrs.get(name) or attrs[name].startswith("data:"), (tag, attrs)
    scripts = [body for kind, body in page.scripts if kind != "application/json"]
    assert len(scripts) == 1 and not re.search(r"(?i)\b(https?:|wss?:|//[a-z])", scripts[0].replace("*/", ""))
    assert "fetch(d.bind" in scripts[0] and "fetch(d.endpoint" in scripts[0]   # the page's only two requests


def test_every_library_question_is_there_with_its_parameters_and_defaults(front):
    _, _, text = _get(front.url + "/")
    (data,) = [json.loads(body) for kind, body in _Tags(text).scripts if kind == "application/json"]
    names = [q["name"] for q in data["queries"]]
    questions = set(library.all_queries(include_checks=False))
    assert sorted(names) == sorted(library.all_queries()) and len(names) == len(set(names))
    assert set(names[:len(questions)]) == questions, "the questions come first, the checks after them"
    by_name = {q["name"]: q for q in data["queries"]}
    search = by_name["search-tasks"]
    assert (search["title_zh"], search["title_en"]) == ("任务全文检索", "Search task text")
    assert [(p["name"], p["default"], p["choices"]) for p in search["params"]] == \
        [("keyword", "医养结合", []), ("match", "any", ["any", "all"]), ("limit", "1000", []), ("offset", "0", [])]
    assert '("医养结合" "医养结合" "" "")' in search["text"] and 'VALUES ?match { "any" }' in search["text"]
    load = by_name["coordinating-load"]
    assert {p["name"]: p["default"] for p in load["params"]}["lead_weight"] == "2"
    assert all(not q["error"] for q in data["queries"])
    assert "PREFIX hk: <https://w3id.org/healthkg/ontology#>" in data["prologue"]
    assert data["prefixes"]["hkd"] == "https://w3id.org/healthkg/id/"


def test_the_server_binds_a_parameter_as_the_library_does(front):
    status, answer = _post(front.url + "/healthkg/bind", json.dumps(
        {"name": "search-tasks", "params": {"keyword": "康养", "match": "all"}}).encode())
    assert status == 200
    assert answer["text"] == library.get("search-tasks").bind({"keyword": "康养", "match": "all"})
    assert 'VALUES ?match { "all" }' in answer["text"] and '"康养"' in answer["text"]
    hostile = '"} } SELECT * WHERE { ?s ?p ?o } #'
    status, answer = _post(front.url + "/healthkg/bind", json.dumps(
        {"name": "coordinating-load-by-function", "params": {"lead_weight": hostile}}).encode())
    assert status == 400 and "whole number" in answer["error"]
    status, answer = _post(front.url + "/healthkg/bind", json.dumps(
        {"name": "coordinating-load", "params": {"kinds": "no-such-kind"}}).encode())
    assert status == 400 and "no-such-kind is not a kind in the graph" in answer["error"]
    status, answer = _post(front.url + "/healthkg/bind", b"not json")
    assert status == 400 and "not {" in answer["error"]
    status, answer = _post(front.url + "/healthkg/bind", json.dumps({"name": "nope"}).encode())
    assert status == 400 and "no query named 'nope'" in answer["error"]


def test_the_endpoint_answers_through_the_front_and_stays_read_only(front):
    count = EndpointStore(front.url + "/query", WAIT).select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count.rows == [[len(RELEASE.read_bytes().splitlines())]]
    request = urllib.request.Request(front.url + "/update", method="POST",
                                     data=b"INSERT DATA { <https://example.org/s> <https://example.org/p> 1 }",
                                     headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=WAIT)
    assert refused.value.code == 403


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium missing)")
def test_a_question_runs_in_chromium_with_the_network_off(tmp_path_factory):
    shots = Path(os.environ.get("HEALTHKG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc, banner = start_serve(port, wait=WAIT)
    origin = f"http://127.0.0.1:{port}"
    assert f"query page at {origin}/" in banner, banner
    try:
        with sync_playwright() as playwright:
            # no host but ours resolves, and any request elsewhere is recorded and refused
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, timeout=WAIT * 1000,
                args=ARGS + ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(WAIT * 1000)
            external, errors = [], []

            def route(route):
                if route.request.url.startswith(origin + "/"):
                    route.continue_()
                else:
                    external.append(route.request.url)
                    route.abort()
            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
            page.goto(origin + "/", wait_until="load")
            page.wait_for_selector("body[data-ready='1']")
            page.click("button[data-name='search-tasks']")
            page.fill("#param-keyword", "医养")
            # the server's binding arrives in the text area (polled from outside: the page's policy forbids eval)
            expect(page.locator("#sparql")).to_have_value(re.compile(r'\("医养" "医养" '), timeout=WAIT * 1000)
            page.click("#run")
            page.wait_for_selector("body[data-rows]")
            assert page.get_attribute("body", "data-rows") == str(len(YIYANG_TASKS)), page.inner_text("#run-error")
            head = page.eval_on_selector_all("#answer th", "cells => cells.map(c => c.textContent)")
            rows = page.eval_on_selector_all("#answer tbody tr",
                                             "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
            tasks = {row[head.index("task")] for row in rows}
            shot = shots / "query-page-search-tasks.png"
            page.screenshot(path=str(shot), full_page=True)
            context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.communicate(timeout=WAIT)
    assert tasks == YIYANG_TASKS
    assert external == [] and errors == [], (external, errors)
    VIEW_REPORT.append(f"browser: query page {origin}/: search-tasks with keyword=医养 gave {len(rows)} rows "
                       f"(the 6 tasks read in the plans); external requests {len(external)}; console errors "
                       f"{len(errors)}; screenshot {shot}")
