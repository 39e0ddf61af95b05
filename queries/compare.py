"""Two cities side by side: coverage per chain element, industry, function and indicator.

For every concept: tasks, bodies and targets in each city, the tasks as a share (per 100 tasks of that
city: Liuzhou's plan has twice Laibin's tasks), and which city covers it (both, or one only); the
coordinating load of each function in each city, ranked by its share; and the Jaccard similarity of the
two cities' sets of functions. Functions count the bodies the coordinating load counts (government
departments by default), as everywhere else.
"""
from collections import defaultdict

from healthkg.queries import library, load
from healthkg.queries.network import Network
from healthkg.queries.runner import ranked
from healthkg.queries.runner import run_all as run
from healthkg.queries.stores import Answer, Store


class Comparison:
    def __init__(self, store: Store, network: Network, first: str | None = None, second: str | None = None):
        cities = network.cities
        if len(cities) < 2 and not (first and second):
            raise ValueError("a comparison needs two cities in the graph")
        self.first, self.second = first or cities[0], second or cities[1]
        self.network = network
        self.store = store
        self.coverage = run(library.get("chain-coverage"), store)
        self.targets = run(library.get("targets-by-year"), store)
        # Every task of the city, also one that names no body: the denominator of its shares.
        self.city_tasks = {row["city"]: row["tasks"] for row in run(library.get("plan-overview"), store).as_dicts()}

    def share(self, count: int, city: str) -> float:
        """`count` tasks as tasks per 100 tasks of the city, to one decimal."""
        total = self.city_tasks.get(city, 0)
        return round(100 * count / total, 1) if total else 0.0

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
            if not self.network.bodies[body].counted:
                continue
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
                         self.share(c[("tasks", a)], a), self.share(c[("tasks", b)], b),
                         c[("bodies", a)], c[("bodies", b)], c[("targets", a)], c[("targets", b)], covered])
        order = {"element": 0, "industry": 1, "function": 2, "indicator": 3}
        rows.sort(key=lambda r: (order[r[0]], r[12] != "both", r[1]))
        return Answer(["dimension", "concept", "label_zh", "label_en", f"tasks {a}", f"tasks {b}",
                       f"per 100 tasks {a}", f"per 100 tasks {b}",
                       f"bodies {a}", f"bodies {b}", f"targets {a}", f"targets {b}", "covered_by"], rows)

    def function_load(self) -> Answer:
        """Each function's coordinating load in each city, raw and per 100 tasks of that city, ranked by the
        mean of the two cities' shares (each city weighs the same, whatever the size of its plan) beside
        its rank when the cities are pooled (the headline's)."""
        a, b = self.first, self.second
        pooled = {row["function"]: row for row in load.by_function(self.store).as_dicts()}
        per_city = {city: {row["function"]: row for row in load.by_function(self.store, city=city).as_dicts()}
                    for city in (a, b)}
        rows = []
        for function, row in pooled.items():
            cells, shares = [], []
            for city in (a, b):
                found = per_city[city].get(function, {})
                index, lead, cooperating = (found.get(k, 0) for k in ("load_index", "lead", "cooperating"))
                shares.append(self.share(index, city))
                cells += [lead, cooperating, index, shares[-1]]
            rows.append([function, row["function_zh"], row["function_en"]] + cells
                        + [round(sum(shares) / 2, 1), row["rank"]])
        rows.sort(key=lambda r: (-r[-2], -(r[3] + r[7]), r[2]))
        return ranked(Answer(["function", "function_zh", "function_en",
                              f"lead {a}", f"cooperating {a}", f"load {a}", f"load per 100 tasks {a}",
                              f"lead {b}", f"cooperating {b}", f"load {b}", f"load per 100 tasks {b}",
                              "mean load per 100 tasks", "rank pooled"], rows), "mean load per 100 tasks")

    def function_sets(self) -> tuple[set[str], set[str]]:
        sets = defaultdict(set)
        for body, functions in self.network.functions.items():
            if body in self.network.bodies and self.network.bodies[body].counted:
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
