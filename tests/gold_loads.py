"""Coordinating load computed from the hand-made gold files alone (tests/gold/<city>.json).

The gold lists, for every task of a plan, the lead and co-operating bodies by name as written. Names are
mapped to body ids, kinds and functions with `graph.agencies.align(name, city)` (the curated tables);
the counting below is independent of the extraction, the graph and the queries.
"""
from __future__ import annotations

from collections import defaultdict

from graph.agencies import align
from scoring import load_gold

# gold file -> the city named in the plan's title (来宾市加快大健康产业发展实施方案, 柳州市…)
CITIES = {"laibin": "来宾市", "liuzhou": "柳州市"}
COLLECTIVE_KINDS = {"county-collective", "department-collective"}
WEIGHTINGS = {"lead 2 : co-op 1": (2, 1), "equal 1 : 1": (1, 1), "lead 3 : co-op 1": (3, 1),
              "lead only 1 : 0": (1, 0), "co-op only 0 : 1": (0, 1)}


def gold_assignments(gold_name: str):
    """(task key, agency, role) for every lead / co-operating body of every gold task."""
    city = CITIES[gold_name]
    for task in load_gold(gold_name)["tasks"]:
        for role in ("lead", "cooperating"):
            for name in task[role]:
                yield (gold_name, task["id"]), align(name, city), role


def body_loads(gold_name: str) -> dict[str, tuple[int, int]]:
    """body id -> (distinct tasks it leads, distinct tasks it co-operates on), for one city."""
    tasks = defaultdict(lambda: {"lead": set(), "cooperating": set()})
    for task, agency, role in gold_assignments(gold_name):
        tasks[agency.id][role].add(task)
    return {body: (len(t["lead"]), len(t["cooperating"])) for body, t in tasks.items()}


def function_loads(gold_names=tuple(CITIES)) -> dict[str, tuple[int, int]]:
    """function id -> (distinct tasks led, distinct tasks co-operated on) by bodies with that function,
    collectives (各县区人民政府, 各有关部门) left out; a merged bureau counts for each of its functions."""
    tasks = defaultdict(lambda: {"lead": set(), "cooperating": set()})
    for gold_name in gold_names:
        for task, agency, role in gold_assignments(gold_name):
            if agency.kind in COLLECTIVE_KINDS:
                continue
            for function in agency.functions:
                tasks[function][role].add(task)
    return {f: (len(t["lead"]), len(t["cooperating"])) for f, t in tasks.items()}


def ranking(loads: dict[str, tuple[int, int]], weights: tuple[int, int]) -> list[str]:
    """Functions by index weights[0]*lead + weights[1]*cooperating, then by lead, then by id."""
    def index(f):
        return weights[0] * loads[f][0] + weights[1] * loads[f][1]

    return sorted(loads, key=lambda f: (-index(f), -loads[f][0], f))
