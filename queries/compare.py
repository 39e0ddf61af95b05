"""Two cities side by side: coverage per chain element, industry, function and indicator.

For every concept: tasks, bodies and targets in each city, and which city covers it (both, or one
only); plus the Jaccard similarity of the two cities' sets of functions.
"""
from collections import defaultdict

from queries import library
from queries.network import Network
from queries.runner import run
from queries.stores import Answer


class Comparison:
    def __init__(self, store, network: Network, first: str | None = None, second: str | None = None):
        cities = network.cities
        if len(cities) < 2 and not (first and second):
            raise ValueError("a comparison needs two cities in the graph")
        self.first, self.second = first or cities[0], second or cities[1]
        self.network = network
        self.coverage = run(library.get("chain-coverage"), store)
        self.targets = run(library.get("targets-by-year"), store)

    def table(self) -> Answer:
        a, b = self.first, self.second
        counts: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
        labels: dict[tuple, tuple[str, str]] = {}
        for row in self.coverage.as_dicts():
            key = (row["dimension"], row["concept"])
            counts[key][("tasks", row["city"])] = row["tasks"]
            labels[key] = (row["label_zh"], row["label_en"])
        tasks, bodies = defaultdict(set), defaultdict(set)
        for task, body, _ in self.network.edges:
            for function in self.network.functions.get(body, []):
                key = ("function", function)
                tasks[(key, self.network.task_city[task])].add(task)
                bodies[(key, self.network.bodies[body].city)].add(body)
                labels[key] = self.network.function_labels[function]
        for (key, city), found in tasks.items():
            counts[key][("tasks", city)] = len(found)
        for (key, city), found in bodies.items():
            counts[key][("bodies", city)] = len(found)
        for row in self.targets.as_dicts():
            key = ("indicator", row["indicator_zh"])
            counts[key][("targets", row["city"])] += 1
            labels[key] = (row["indicator_zh"], "")
        rows = []
        for key in sorted(counts):
            c = counts[key]
            present_a = any(c[(m, a)] for m in ("tasks", "bodies", "targets"))
            present_b = any(c[(m, b)] for m in ("tasks", "bodies", "targets"))
            if not (present_a or present_b):
                continue
            covered = "both" if present_a and present_b else (f"{a} only" if present_a else f"{b} only")
            rows.append([key[0], key[1], labels[key][0], labels[key][1], c[("tasks", a)], c[("tasks", b)],
                         c[("bodies", a)], c[("bodies", b)], c[("targets", a)], c[("targets", b)], covered])
        order = {"element": 0, "industry": 1, "function": 2, "indicator": 3}
        rows.sort(key=lambda r: (order[r[0]], r[10] != "both", r[1]))
        return Answer(["dimension", "concept", "label_zh", "label_en", f"tasks {a}", f"tasks {b}",
                       f"bodies {a}", f"bodies {b}", f"targets {a}", f"targets {b}", "covered_by"], rows)

    def function_sets(self) -> tuple[set[str], set[str]]:
        sets = defaultdict(set)
        for body, functions in self.network.functions.items():
            if body in self.network.bodies:
                sets[self.network.bodies[body].city].update(functions)
        return sets[self.first], sets[self.second]

    def jaccard(self) -> float:
        a, b = self.function_sets()
        return len(a & b) / len(a | b) if a | b else 1.0

    def summary(self) -> Answer:
        a, b = self.function_sets()
        return Answer(["measure", "value"], [
            [f"functions in {self.first}", len(a)], [f"functions in {self.second}", len(b)],
            ["functions in both", len(a & b)], ["Jaccard similarity of function sets", round(self.jaccard(), 4)]])
