"""Per-plan summaries (issue 20, decision 2): the counting questions sum RDF Data Cube observations written with
each plan (graph/rdf/summaries.py) instead of scanning every assignment and task. They must give the same rows as
the full counts (tests/fixtures/full-counts/*.rq: the questions as they counted before), on the bundled plans and
on a synthetic corpus, and every observation must hold what a count over the plan's own triples gives."""
from __future__ import annotations

import pytest
from conftest import FIXTURES

from healthkg.graph.app.pipeline import extract_all
from healthkg.graph.bench.synthetic import write_corpus
from healthkg.graph.rdf.build import build_graph
from healthkg.queries import library, runner
from healthkg.queries.stores import OxigraphStore

FULL_COUNTS = FIXTURES / "full-counts"
CASES = [("coordinating-load", {}), ("coordinating-load", {"kinds": "all"}),
         ("coordinating-load", {"kinds": "state-owned-enterprise,county-collective"}),
         ("coordinating-load", {"lead_weight": "3", "cooperating_weight": "2"}),
         ("chain-coverage", {}), ("plan-overview", {})]

# Per plan, body and role, counted from the tasks themselves: the distinct tasks on which the body is written in
# that role, and of those the ones where it is written in the other role too.
DIRECT_ASSIGNMENTS = """
PREFIX hk: <https://w3id.org/healthkg/ontology#>
PREFIX p-plan: <http://purl.org/net/p-plan#>
SELECT ?plan ?agency ?role (COUNT(DISTINCT ?task) AS ?tasks) (COUNT(DISTINCT ?both) AS ?twice)
WHERE {
  ?task p-plan:isStepOfPlan ?plan .
  { ?task hk:leadUnit ?agency . BIND ("lead" AS ?role)
    OPTIONAL { ?task hk:cooperatingUnit ?agency . BIND (?task AS ?both) } }
  UNION
  { ?task hk:cooperatingUnit ?agency . BIND ("cooperating" AS ?role)
    OPTIONAL { ?task hk:leadUnit ?agency . BIND (?task AS ?both) } }
}
GROUP BY ?plan ?agency ?role
"""
SUMMARISED_ASSIGNMENTS = """
PREFIX hk: <https://w3id.org/healthkg/ontology#>
SELECT ?plan ?agency ?role ?tasks ?twice
WHERE {
  ?summary hk:summaryPlan ?plan ; hk:summaryBody ?agency ; hk:summaryRole ?roleConcept ;
           hk:taskCount ?tasks ; hk:bothRolesCount ?twice .
  BIND (STRAFTER(STR(?roleConcept), "/role/") AS ?role)
}
"""
DIRECT_TARGETS = """
PREFIX hk: <https://w3id.org/healthkg/ontology#>
PREFIX p-plan: <http://purl.org/net/p-plan#>
SELECT ?plan ?indicator (COUNT(DISTINCT ?target) AS ?targets)
WHERE {
  ?target a hk:Target ; hk:indicator ?indicator .
  { ?target hk:partOf ?plan . ?plan a hk:Plan . } UNION { ?target hk:partOf/p-plan:isStepOfPlan ?plan . }
}
GROUP BY ?plan ?indicator
"""
SUMMARISED_TARGETS = """
PREFIX hk: <https://w3id.org/healthkg/ontology#>
SELECT ?plan ?indicator ?targets
WHERE { ?summary hk:summaryPlan ?plan ; hk:summaryIndicator ?indicator ; hk:targetCount ?targets . }
"""


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory) -> OxigraphStore:
    folder = tmp_path_factory.mktemp("synthetic")
    write_corpus(folder / "plans", 6, seed=3)
    plans, texts = extract_all(folder / "plans")
    graph_file = folder / "graph.nt"
    graph_file.write_bytes(build_graph(plans, texts).serialize(format="nt", encoding="utf-8"))
    return OxigraphStore(graph_file)


def _rows(answer) -> list[tuple]:
    return [tuple(row) for row in answer.rows]


def _same_rows(store, name: str, params: dict) -> None:
    summarised = runner.run(library.get(name), store, params)
    full = runner.run(library.parse(FULL_COUNTS / f"{name}.rq"), store, params)
    assert summarised.variables == full.variables
    assert _rows(summarised) == _rows(full), f"{name} {params}: the summaries and the full counts differ"
    assert summarised.rows, f"{name} {params}: nothing to compare"


@pytest.mark.parametrize(("name", "params"), CASES)
def test_the_summaries_give_the_full_counts_on_the_bundled_plans(release_store, name, params):
    _same_rows(release_store, name, params)


@pytest.mark.parametrize(("name", "params"), CASES)
def test_the_summaries_give_the_full_counts_on_a_synthetic_corpus(synthetic_store, name, params):
    _same_rows(synthetic_store, name, params)


@pytest.mark.parametrize("which", ["release", "synthetic"])
def test_every_observation_holds_its_plans_own_count(which, release_store, synthetic_store):
    store = release_store if which == "release" else synthetic_store
    for direct, summarised in ((DIRECT_ASSIGNMENTS, SUMMARISED_ASSIGNMENTS), (DIRECT_TARGETS, SUMMARISED_TARGETS)):
        expected = sorted(tuple(map(str, row)) for row in store.select(direct).rows)
        assert expected, "nothing counted"
        assert sorted(tuple(map(str, row)) for row in store.select(summarised).rows) == expected

