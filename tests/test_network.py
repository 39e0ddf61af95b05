"""Network analysis (queries/network.py): deterministic communities; Freeman centralisation; only the
government departments in the projection. (Its loads are the queries' answers: tests/test_bureau_load.py.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pytest
from conftest import ROOT
from gold_loads import CITIES, hand_bodies

from healthkg.graph.extract.agencies import align
from healthkg.queries.network import Network, _degree_centralisation, _eigenvector


@pytest.fixture(scope="module")
def network(release_store):
    return Network.from_store(release_store)


# ---------------------------------------------------------------- communities, centralisation, counted bodies

def test_louvain_communities_identical_on_two_runs(network, release_store):
    again = Network.from_store(release_store)
    for city in network.cities:
        first = Network.communities(network.projection(city))
        assert first == Network.communities(again.projection(city)) == Network.communities(network.projection(city))
        assert sorted(b for group in first for b in group) == sorted(network.projection(city).nodes)
    assert network.centrality().rows == again.centrality().rows


COMMUNITIES_SCRIPT = """
import json, sys
sys.path.insert(0, ".")
from healthkg.graph.app.pipeline import RELEASE
from healthkg.queries.network import Network
from healthkg.queries.stores import OxigraphStore
network = Network.from_store(OxigraphStore(RELEASE))
print(json.dumps({city: Network.communities(network.projection(city)) for city in network.cities}))
"""


def test_louvain_communities_identical_in_another_process(network):
    # a fresh interpreter with a fixed hash seed (this one's is random): set order differs between them
    run = subprocess.Popen([sys.executable, "-c", COMMUNITIES_SCRIPT], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": "12345"})
    try:
        out, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert run.returncode == 0, err
    here = {city: Network.communities(network.projection(city)) for city in network.cities}
    assert json.loads(out) == here


@pytest.mark.parametrize("graph, expected", [
    (nx.star_graph(5), 1.0),           # a centre and 5 leaves
    (nx.star_graph(2), 1.0),           # the smallest star: a path of three
    (nx.cycle_graph(7), 0.0),
    (nx.complete_graph(5), 0.0),
    (nx.path_graph(4), 1 / 3),         # degrees 1 2 2 1: (1 + 0 + 0 + 1) / (3 * 2)
    (nx.empty_graph(4), 0.0),
], ids=["star-6", "star-3", "cycle-7", "complete-5", "path-4", "no-edges-4"])
def test_freeman_degree_centralisation(graph, expected):
    assert _degree_centralisation(graph) == pytest.approx(expected)


def test_projection_holds_the_government_departments_only(network):
    # read by hand (tests/gold/bodies.json): every body of the brackets that is not a government department
    apart = {f"hkd:agency/{align(name, city).id}" for gold_name, city in CITIES.items()
             for name, entry in hand_bodies()[gold_name].items() if entry["kind"] != "bureau"}
    bureaus = {f"hkd:agency/{align(name, city).id}" for gold_name, city in CITIES.items()
               for name, entry in hand_bodies()[gold_name].items() if entry["kind"] == "bureau"}
    assert len(apart) == 25 and len(bureaus) == 48
    nodes = {node for city in network.cities for node in network.projection(city).nodes}
    assert nodes == bureaus
    figures = {row["city"]: row for row in network.city_figures().as_dicts()}
    # 来宾: only 各县〔市、区〕人民政府; 柳州: 24 others (7 companies, 3 schools, 2 zones, 7 county governments,
    # 2 collectives, 3 mass organisations; 北部生态新区 and 北部生态新区管委会 are one)
    assert figures["来宾市"]["bodies_not_counted"] == 1 and figures["柳州市"]["bodies_not_counted"] == 24


def test_eigenvector_centrality_of_a_path_of_three_without_scipy():
    # adjacency of a-b-c: largest eigenvalue sqrt(2), eigenvector (1, sqrt(2), 1) / 2 (unit length)
    script = ("import sys, networkx as nx; from healthkg.queries.network import _eigenvector; "
              "print(_eigenvector(nx.path_graph('abc'))); print('scipy' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    values, scipy_loaded = run.stdout.splitlines()
    assert scipy_loaded == "False"      # the main job does not pay SciPy's import for five small networks
    assert _eigenvector(nx.path_graph("abc")) == pytest.approx({"a": 0.5, "b": 2 ** -0.5, "c": 0.5}, abs=1e-6)
    assert values.startswith("{'a': 0.5")


def test_eigenvector_centrality_of_a_weighted_pair_and_of_no_edges():
    pair = nx.Graph()
    pair.add_edge("a", "b", weight=3)
    assert _eigenvector(pair) == pytest.approx({"a": 2 ** -0.5, "b": 2 ** -0.5})
    assert _eigenvector(nx.empty_graph(["x", "y"])) == {"x": 0.0, "y": 0.0}
