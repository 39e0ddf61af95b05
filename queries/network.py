"""Network analysis of who works with whom (networkx), from the same store the queries ask.

Per city, a bipartite graph of bodies and tasks (edges carry the role); its projection onto bodies
links two bodies by the number of tasks they share. Collectives (各县区人民政府, 各有关部门) are not one
bureau: they are kept out of rankings and projections and reported apart.

The coordinating-load index of a body is `lead_weight * tasks led + cooperating_weight * tasks
co-operated on`; the headline uses 2 : 1 (leading a task is the heavier job), and the ranking is
recomputed under other weightings so a reader can see whether the answer depends on that choice.
"""
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from queries import library
from queries.runner import run
from queries.stores import Answer

COLLECTIVE_KINDS = {"hkc:kind/county-collective", "hkc:kind/department-collective"}
HEADLINE_WEIGHTS = (2, 1)
WEIGHTINGS = {"lead 2 : co-op 1": (2, 1), "equal 1 : 1": (1, 1), "lead 3 : co-op 1": (3, 1),
              "lead only 1 : 0": (1, 0), "co-op only 0 : 1": (0, 1)}
LOUVAIN_SEED = 42


@dataclass(frozen=True)
class Body:
    id: str
    city: str
    name_zh: str
    name_en: str
    kind: str

    @property
    def collective(self) -> bool:
        return self.kind in COLLECTIVE_KINDS


class Network:
    """Assignments and functions as read from a store, with the graphs and tables built from them."""

    def __init__(self, assignments: Answer, functions: Answer):
        self.bodies: dict[str, Body] = {}
        self.edges: set[tuple[str, str, str]] = set()        # (task, body, role)
        self.task_city: dict[str, str] = {}
        for row in assignments.as_dicts():
            self.bodies[row["agency"]] = Body(row["agency"], row["city"], row["name_zh"], row["name_en"], row["kind"])
            self.edges.add((row["task"], row["agency"], row["role"].rsplit("/", 1)[-1]))
            self.task_city[row["task"]] = row["city"]
        self.functions: dict[str, list[str]] = defaultdict(list)
        self.function_labels: dict[str, tuple[str, str]] = {}
        for row in functions.as_dicts():
            self.functions[row["agency"]].append(row["function"])
            self.function_labels[row["function"]] = (row["function_zh"], row["function_en"])

    @classmethod
    def from_store(cls, store) -> "Network":
        return cls(run(library.get("task-assignments"), store), run(library.get("agency-functions"), store))

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
            graph.add_node(body, bipartite="body", collective=self.bodies[body].collective)
            graph.add_edge(task, body, role=role)
        return graph

    def projection(self, city: str) -> nx.Graph:
        """Bodies (collectives left out) linked by the number of tasks they share."""
        members: dict[str, set[str]] = defaultdict(set)
        for task, body, _ in self._city_edges.get(city, ()):
            if not self.bodies[body].collective:
                members[task].add(body)
        graph = nx.Graph()
        graph.add_nodes_from(sorted(b for b, body in self.bodies.items() if body.city == city and not body.collective))
        for task in sorted(members):
            bodies = sorted(members[task])
            for i, first in enumerate(bodies):
                for second in bodies[i + 1:]:
                    weight = graph.get_edge_data(first, second, {"weight": 0})["weight"] + 1
                    graph.add_edge(first, second, weight=weight, distance=1 / weight)
        return graph

    # -- tables ------------------------------------------------------------------------------

    def load_by_body(self) -> Answer:
        """Lead and co-operating task counts per body, collectives marked (they are not one bureau)."""
        rows = []
        for body in sorted(self.bodies.values(), key=lambda b: (b.city, b.id)):
            lead, cooperating = self.tasks_by_role(body.id)
            rows.append([body.city, body.id, body.name_zh, body.name_en, "yes" if body.collective else "no",
                         len(lead), len(cooperating), _index(len(lead), len(cooperating), HEADLINE_WEIGHTS)])
        rows.sort(key=lambda r: (-r[7], -r[5], r[0], r[1]))
        return Answer(["city", "agency", "name_zh", "name_en", "collective", "lead", "cooperating",
                       "load_index_2_1"], rows)

    def function_counts(self) -> dict[str, tuple[int, int, set[str]]]:
        """function -> (distinct tasks led, distinct tasks co-operated on, bodies), collectives left out."""
        led, cooperated, bodies = defaultdict(set), defaultdict(set), defaultdict(set)
        for task, body, role in self.edges:
            if self.bodies[body].collective:
                continue
            for function in self.functions.get(body, []):
                (led if role == "lead" else cooperated)[function].add(task)
                bodies[function].add(body)
        return {f: (len(led[f]), len(cooperated[f]), bodies[f]) for f in bodies}

    def load_by_function(self, weights: tuple[int, int] = HEADLINE_WEIGHTS) -> Answer:
        rows = []
        for function, (lead, cooperating, bodies) in self.function_counts().items():
            zh, en = self.function_labels[function]
            cities = len({self.bodies[b].city for b in bodies})
            rows.append([function, zh, en, lead, cooperating, lead + cooperating, _index(lead, cooperating, weights),
                         len(bodies), cities])
        rows.sort(key=lambda r: (-r[6], -r[3], r[0]))
        return Answer(["function", "function_zh", "function_en", "lead", "cooperating", "total",
                       f"load_index_{weights[0]}_{weights[1]}", "bodies", "cities"], rows)

    def robustness(self, top: int = 10) -> Answer:
        """The rank of each function under every weighting; a robust answer keeps its rank."""
        ranks = {}
        for label, weights in WEIGHTINGS.items():
            ordered = [row[0] for row in self.load_by_function(weights).rows]
            ranks[label] = {function: ordered.index(function) + 1 for function in ordered}
        headline = [row for row in self.load_by_function().rows][:top]
        rows = [[row[0], row[1], row[2]] + [ranks[label][row[0]] for label in WEIGHTINGS] for row in headline]
        return Answer(["function", "function_zh", "function_en"] + [f"rank ({label})" for label in WEIGHTINGS], rows)

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
            collectives = [n for n in bodies if bipartite.nodes[n]["collective"]]
            rows.append([city, len(tasks), len(bodies), len(collectives), bipartite.number_of_edges(),
                         round(nx.bipartite.density(bipartite, tasks), 4) if tasks else 0,
                         projection.number_of_edges(), round(nx.density(projection), 4),
                         round(_degree_centralisation(projection), 4), len(self.communities(projection))])
        return Answer(["city", "tasks", "bodies", "collectives", "assignments", "bipartite_density",
                       "body_links", "projection_density", "degree_centralisation", "communities"], rows)

    def collectives(self) -> Answer:
        table = self.load_by_body()
        return Answer(table.variables, [row for row in table.rows if row[4] == "yes"])


def _index(lead: int, cooperating: int, weights: tuple[int, int]) -> int:
    return weights[0] * lead + weights[1] * cooperating


def _eigenvector(graph: nx.Graph) -> dict[str, float]:
    if graph.number_of_edges() == 0:
        return {node: 0.0 for node in graph.nodes}
    try:
        return nx.eigenvector_centrality_numpy(graph, weight="weight")
    except (ImportError, nx.NetworkXException):
        return nx.eigenvector_centrality(graph, weight="weight", max_iter=10000, tol=1e-9)


def _degree_centralisation(graph: nx.Graph) -> float:
    """Freeman's degree centralisation: 1 for a star, 0 when every node has the same degree."""
    n = graph.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in graph.degree()]
    return sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2))
