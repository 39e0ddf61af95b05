"""A second real SPARQL server: OpenLink Virtuoso (Debian's virtuoso-opensource) with the release bulk-loaded.
Every question of the library, the checks included, gives through its endpoint the same rows as the embedded
Oxigraph store (numbers compared as values, rows as a multiset: Virtuoso may order ties otherwise).

Virtuoso runs as an ordinary process of ours with its own temporary database (tests/processes.Virtuoso).
Without virtuoso-t these tests are skipped, unless HEALTHKG_REQUIRE_VIRTUOSO=1 (the README's test command
sets it, after installing the package): then they fail.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import RELEASE, ROOT
from processes import Virtuoso

from healthkg.queries import library, runner
from healthkg.queries.stores import XSD, EndpointStore, OxigraphStore, cell

NAMES = sorted(library.all_queries())
REQUIRED = os.environ.get("HEALTHKG_REQUIRE_VIRTUOSO") == "1"
WAIT = 60          # seconds: the most a start or a load may take
QUERY_WAIT = 30    # seconds: the most one question may take (the slowest takes a few on a busy machine)
PROBE_WAIT = 10    # seconds: the most a stuck-or-not check (ASK {}) may take


@pytest.fixture(scope="module")
def virtuoso():
    if not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
        message = "virtuoso-t / isql-vt not installed (apt-get install virtuoso-opensource-7-bin)"
        if REQUIRED:
            pytest.fail(f"{message}, and HEALTHKG_REQUIRE_VIRTUOSO=1")
        pytest.skip(message)
    with Virtuoso(RELEASE, wait=WAIT) as server:
        print(f"\nVirtuoso: started in {server.started:.2f} s, release bulk-loaded in {server.loaded:.2f} s")
        yield server


@pytest.fixture(scope="module")
def endpoint(virtuoso):
    return EndpointStore(virtuoso.query_url, timeout=QUERY_WAIT)


STUCK: list[str] = []      # the test after which Virtuoso stopped answering, once it did


def _skip_if_stuck() -> None:
    if STUCK:
        pytest.skip(f"Virtuoso stopped answering during {STUCK[0]} (failed there)")


@pytest.fixture(autouse=True)
def _stop_at_a_stuck_server(request):
    """A Virtuoso that stopped answering fails the test after which it did, once, loudly; every later test of
    the module is skipped at once instead of waiting out its timeout (Virtuoso 7.2 can get stuck in a query
    for good, and with it every thread that later questions need). Only for the tests that use the server."""
    if "virtuoso" not in request.fixturenames:
        yield
        return
    _skip_if_stuck()
    server = request.getfixturevalue("virtuoso")
    yield
    if not server.answers(PROBE_WAIT):
        STUCK.append(request.node.name)
        pytest.fail(f"Virtuoso stopped answering (ASK {{}} had no answer within {PROBE_WAIT} s) during "
                    f"{request.node.name}: the remaining Virtuoso tests are skipped. Its log: {server.log()}",
                    pytrace=False)


def _rows(answer) -> list[str]:
    """The rows as a sorted list: cells are already plain values (numbers as int or Decimal, whatever
    datatype the server chose for them), so 2, "2"^^xsd:int and "2.0"^^xsd:decimal are one value."""
    return sorted(map(repr, answer.rows))


# Oxigraph 0.5 keeps a literal of a type derived from xsd:integer (oa:start's xsd:nonNegativeInteger) as an
# xsd:integer; Virtuoso keeps the type written. Same value, so these are compared as xsd:integer.
INTEGER_TYPES = {f"xsd:{t}" for t in ("nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                      "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
                                      "unsignedByte")}


def test_the_default_graph_is_the_release_triple_for_triple(endpoint, release_store):
    """Every triple with its literal's language tag and datatype (N-Triples writes no blank node here).
    Virtuoso 7.2 gives a language-tagged literal no datatype (SPARQL 1.1: rdf:langString), hence the IF."""
    every = ('SELECT ?s ?p ?o (LANG(?o) AS ?lang) (IF(isLiteral(?o) && LANG(?o) = "", DATATYPE(?o), "") AS ?type) '
             'WHERE { ?s ?p ?o }')

    def triples(store) -> list[str]:
        rows = store.select(every).rows
        return sorted(repr([*row[:4], "xsd:integer" if row[4] in INTEGER_TYPES else row[4]]) for row in rows)
    expected = triples(release_store)
    assert len(expected) > 20_000
    assert triples(endpoint) == expected


@pytest.mark.parametrize("name", NAMES)
def test_virtuoso_agrees_with_embedded(name, endpoint, release_store):
    query = library.get(name)
    expected = runner.run(query, release_store)       # parameters at their defaults
    if query.is_check:
        assert expected.rows == []
    else:
        assert expected.rows, f"{name} has no answer on the release"
    got = runner.run(query, endpoint)
    assert got.variables == expected.variables, name
    assert _rows(got) == _rows(expected), f"{name}: Virtuoso and embedded Oxigraph give different rows"


# search-tasks beyond its defaults (also asked by tests/virtuoso_compare.py)
SEARCH_PARAMS = [{"keyword": "医养"},                       # masks (not inside 中医养生)
                 {"keyword": "富硒"},                       # one term: VALUES of one row
                 {"keyword": "康养,中医", "match": "all"},
                 {"keyword": "医养,健康旅游,2022"}]


@pytest.mark.parametrize("params", SEARCH_PARAMS, ids=repr)
def test_search_tasks_gives_the_same_rows_in_the_same_order(params, endpoint, release_store):
    query = library.get("search-tasks")
    expected = runner.run(query, release_store, params)
    assert expected.rows
    assert runner.run(query, endpoint, params).rows == expected.rows


@pytest.mark.parametrize("name, params", [("coordinating-load", []),
                                          ("search-tasks", ["--param", "keyword=医养结合"]),
                                          ("plan-overview", [])])
def test_cli_with_virtuoso_endpoint(name, params, virtuoso, release_store):
    proc = subprocess.run([sys.executable, "build_graph.py", "query", name, *params, "--endpoint",
                           virtuoso.query_url, "--timeout", str(QUERY_WAIT), "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=WAIT + QUERY_WAIT)
    assert proc.returncode == 0, proc.stderr
    expected = runner.run(library.get(name), release_store, dict(p.split("=", 1) for p in params[1::2]))
    got, want = json.loads(proc.stdout), json.loads(runner.to_json(expected))
    assert got["variables"] == want["variables"]
    assert sorted(map(json.dumps, got["rows"])) == sorted(map(json.dumps, want["rows"]))


# ---------------------------------------------------------------- the checks, on a release broken on purpose
# The checks find nothing on the release, so there they agree trivially. Here whole properties are dropped,
# every text offset moved by one and every upper bound of a range set below its lower bound: each change
# breaks what one check guards (named beside it), and both servers must report the same culprits.
HK, ORG, QB = "https://w3id.org/healthkg/ontology#", "http://www.w3.org/ns/org#", "http://purl.org/linked-data/cube#"
DROPPED = {f"<{HK}leadUnit>": "task-without-lead-violation",        # every bracket keeps its units, no lead
           f"<{ORG}classification>": "agency-without-function-violation",
           f"<{ORG}purpose>": "agency-without-function-violation",
           f"<{QB}dataSet>": "cube-ic01-unique-data-set-violation",  # observations in no data set
           f"<{HK}unit>": "target-without-unit-violation"}
# no role left on a co-operation: its shortcut hk:cooperatingUnit has no assignment (assignment-shortcut-mismatch,
# "shortcut without assignment"; the dropped hk:leadUnit gives its "assignment without shortcut")
COOPERATING_ROLE = f" <{HK}role> <https://w3id.org/healthkg/concept/role/cooperating> .\n"
START = re.compile(r'^(\S+ <http://www\.w3\.org/ns/oa#start> ")(\d+)"')      # span-mismatch-violation
VALUE_MAX = re.compile(r'^(\S+ <https://w3id\.org/healthkg/ontology#valueMax> ")[^"]*"')   # target-range-inverted
MUST_FIRE = {*DROPPED.values(), "span-mismatch-violation", "target-range-inverted-violation",
             "assignment-shortcut-mismatch-violation"}
BROKEN = "urn:healthkg:broken"


def _broken(release: str) -> str:
    lines = []
    for line in release.splitlines(keepends=True):
        if line.split(" ", 2)[1] in DROPPED or line.endswith(COOPERATING_ROLE):
            continue
        line = START.sub(lambda m: f'{m[1]}{int(m[2]) + 1}"', line)
        lines.append(VALUE_MAX.sub(r'\g<1>-1"', line))
    return "".join(lines)


@pytest.fixture(scope="module")
def broken(virtuoso):
    """(the broken release in the embedded store, the same through Virtuoso's endpoint)."""
    _skip_if_stuck()         # (set up before the function-scoped check runs)
    graph_file = virtuoso.folder / "broken.nt"
    graph_file.write_text(_broken(RELEASE.read_text(encoding="utf-8")), encoding="utf-8")
    virtuoso.load(graph_file, BROKEN)
    return OxigraphStore(graph_file), EndpointStore(f"{virtuoso.query_url}?default-graph-uri={BROKEN}",
                                                   QUERY_WAIT)


@pytest.mark.parametrize("name", [n for n in NAMES if library.get(n).is_check])
def test_virtuoso_finds_what_embedded_finds_on_a_broken_release(name, broken):
    embedded, endpoint = broken
    expected = runner.run(library.get(name), embedded)
    if name in MUST_FIRE:
        assert expected.rows, f"{name} found nothing in a release broken for it"
    if name == "assignment-shortcut-mismatch-violation":
        assert {row[-1] for row in expected.rows} == {"shortcut without assignment", "assignment without shortcut"}
    assert _rows(runner.run(library.get(name), endpoint)) == _rows(expected), name


def test_a_boolean_reads_the_same_in_either_spelling():
    assert [cell("literal", v, XSD + "boolean") for v in ("0", "1", "false", "true")] == \
        ["false", "true", "false", "true"]
