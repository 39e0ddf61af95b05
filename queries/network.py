"""Network analysis of who works with whom (networkx), from the same store the queries ask.

Per city, a bipartite graph of bodies and tasks (edges carry the role); its projection onto bodies
links two bodies by the number of tasks they share. Only the bodies the coordinating load counts
(government departments by default: queries/load.py) enter the projection and its figures; the other
bodies (companies, schools, development-zone committees, county governments, collectives) stay in the
bipartite graph and are reported apart.
"""
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from healthkg.queries import library, load
from healthkg.queries.runner import run_all as run
from healthkg.queries.stores import Answer, Store

LOUVAIN_SEED = 42


@dataclass(frozen=True)
class Body:
    id: str
    city: str
    name_zh: str
    name_en: str
    kind: str
    counted: bool       # a kind the coordinating load counts (a government department by default)


class Network:
    """Assignments and functions as read from a store, with the graphs and tables built from them."""

    def __init__(self, assignments: Answer, functions: Answer, counted: set[str]):
        self.bodies: dict[str, Body] = {}
        self.edges: set[tuple[str, str, str]] = set()        # (task, body, role)
        self.task_city: dict[str, str] = {}
        # task -> role -> Chinese names in the order written (task-assignments orders by position)
        self.assigned_names: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "cooperating": []})
        for row in assignments.as_dicts():
            self.assigned_names[row["task"]][row["role"].rsplit("/", 1)[-1]].append(row["name_zh"])
            self.bodies[row["agency"]] = Body(row["agency"], row["city"], row["name_zh"], row["name_en"], row["kind"],
                                              row["agency"] in counted)
            self.edges.add((row["task"], row["agency"], row["role"].rsplit("/", 1)[-1]))
            self.task_city[row["task"]] = row["city"]
        self.functions: dict[str, list[str]] = defaultdict(list)
        self.function_labels: dict[str, tuple[str, str]] = {}
        for row in functions.as_dicts():
            self.functions[row["agency"]].append(row["function"])
            self.function_labels[row["function"]] = (row["function_zh"], row["function_en"])

    @classmethod
    def from_store(cls, store: Store, kinds: str | None = None, load_by_body: Answer | None = None) -> "Network":
        """The network of the store's assignments; the bodies `load.by_body` counts (of `kinds`, by default
        government departments) are the ones its projection and figures rank. `load_by_body`: that answer,
        when the caller has it already."""
        loads = load_by_body if load_by_body is not None else load.by_body(store, kinds)
        counted = {row["agency"] for row in loads.as_dicts()}
        return cls(run(library.get("task-assignments"), store), run(library.get("agency-functions"), store), counted)

    @property
    def cities(self) -> list[str]:
        return sorted({b.city for b in self.bodies.values()})

    @cached_property
    def _roles(self) -> dict[str, dict[str, set[str]]]:
        """body -> role -> tasks, built once (a scan of every edge per body is quadratic at corpus size)."""
        roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"lead": set(), "cooperating": set()})
        for task, body, role in self.edges:
            roles[body].setdefault(role, set()).add(task)
        return roles

    @cached_property
    def _city_edges(self) -> dict[str, list[tuple[str, str, str]]]:
        by_city: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for edge in sorted(self.edges):
            by_city[self.task_city[edge[0]]].append(edge)
        return by_city

    def tasks_by_role(self, body: str) -> tuple[set[str], set[str]]:
        roles = self._roles.get(body, {})
        return set(roles.get("lead", ())), set(roles.get("cooperating", ()))

    def bipartite(self, city: str) -> nx.Graph:
        graph = nx.Graph()
        for task, body, role in self._city_edges.get(city, ()):
            graph.add_node(task, bipartite="task")
            graph.add_node(body, bipartite="body", counted=self.bodies[body].counted)
            graph.add_edge(task, body, role=role)
        return graph

    def projection(self, city: str) -> nx.Graph:
        """The counted bodies linked by the number of tasks they share (`weight`; `distance` = 1 / weight,
        for shortest paths): networkx's weighted projection of the tasks-bodies graph onto the bodies."""
        bodies = sorted(b for b, body in self.bodies.items() if body.city == city and body.counted)
        tasks_bodies = nx.Graph()
        tasks_bodies.add_nodes_from(bodies)
        tasks_bodies.add_edges_from((task, body) for task, body, _ in self._city_edges.get(city, ())
                                    if self.bodies[body].counted)
        graph = nx.bipartite.weighted_projected_graph(tasks_bodies, bodies)
        nx.set_edge_attributes(graph, {(a, b): 1 / w for a, b, w in graph.edges(data="weight")}, "distance")
        return graph

    # -- tables ------------------------------------------------------------------------------

    def centrality(self) -> Answer:
        rows = []
        for city in self.cities:
            graph = self.projection(city)
            degree = dict(graph.degree(weight="weight"))
            betweenness = nx.betweenness_centrality(graph, weight="distance", normalized=True)
            eigenvector = _eigenvector(graph)
            community = {node: index + 1 for index, group in enumerate(self.communities(graph)) for node in group}
            for node in graph.nodes:
                body = self.bodies[node]
                rows.append([city, node, body.name_zh, body.name_en, degree[node], round(betweenness[node], 4),
                             round(eigenvector[node], 4), community.get(node, 0)])
        rows.sort(key=lambda r: (r[0], -r[4], r[1]))
        return Answer(["city", "agency", "name_zh", "name_en", "weighted_degree", "betweenness", "eigenvector",
                       "community"], rows)

    @staticmethod
    def communities(graph: nx.Graph) -> list[list[str]]:
        """Louvain communities with a fixed seed, largest first, each sorted: the same every run."""
        if graph.number_of_edges() == 0:
            return [[node] for node in sorted(graph.nodes)]
        found = nx.community.louvain_communities(graph, weight="weight", seed=LOUVAIN_SEED)
        return sorted((sorted(group) for group in found), key=lambda g: (-len(g), g))

    def city_figures(self) -> Answer:
        rows = []
        for city in self.cities:
            bipartite, projection = self.bipartite(city), self.projection(city)
            tasks = [n for n, d in bipartite.nodes(data=True) if d["bipartite"] == "task"]
            bodies = [n for n, d in bipartite.nodes(data=True) if d["bipartite"] == "body"]
            apart = [n for n in bodies if not bipartite.nodes[n]["counted"]]
            rows.append([city, len(tasks), len(bodies), len(apart), bipartite.number_of_edges(),
                         round(nx.bipartite.density(bipartite, tasks), 4) if tasks else 0,
                         projection.number_of_edges(), round(nx.density(projection), 4),
                         round(_degree_centralisation(projection), 4), len(self.communities(projection))])
        return Answer(["city", "tasks", "bodies", "bodies_not_counted", "assignments", "bipartite_density",
                       "body_links", "projection_density", "degree_centralisation", "communities"], rows)

def _eigenvector(graph: nx.Graph) -> dict[str, float]:
    """Power iteration first: on the bundled plans' networks it agrees with ARPACK (SciPy) to 1e-9, and
    it spares the main job SciPy's import (0.3-0.6 s). ARPACK only when the iteration does not converge."""
    if graph.number_of_edges() == 0:
        return {node: 0.0 for node in graph.nodes}
    try:
        return nx.eigenvector_centrality(graph, weight="weight", max_iter=10000, tol=1e-9)
    except nx.PowerIterationFailedConvergence:
        return nx.eigenvector_centrality_numpy(graph, weight="weight")


def _degree_centralisation(graph: nx.Graph) -> float:
    """Freeman's degree centralisation: 1 for a star, 0 when every node has the same degree."""
    n = graph.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in graph.degree()]
    return sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2))
