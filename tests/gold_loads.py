"""Coordinating load computed from hand readings alone: the gold files (tests/gold/<city>.json: every task's
lead and co-operating bodies by name as written) and tests/gold/bodies.json (every one of those names read
by hand: is it a government department, and which functions does it have).

Nothing here uses the project's tables, extraction, graph or queries: it is the external check the
project's answers must agree with. Rules, as the plans are read: only government departments count;
a body or function written as lead and as co-operating on one task counts once, as lead; ties share a
rank.
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache

from conftest import ROOT
from scoring import load_gold

# gold file -> the city named in the plan's title (来宾市加快大健康产业发展实施方案, 柳州市…)
CITIES = {"laibin": "来宾市", "liuzhou": "柳州市"}
WEIGHTINGS = {"lead 2 : co-op 1": (2, 1), "equal 1 : 1": (1, 1), "lead 3 : co-op 1": (3, 1),
              "lead only 1 : 0": (1, 0), "co-op only 0 : 1": (0, 1)}


@lru_cache(maxsize=None)
def hand_bodies() -> dict:
    return json.loads((ROOT / "tests" / "gold" / "bodies.json").read_text(encoding="utf-8"))


def body(gold_name: str, name: str) -> tuple[str, dict]:
    """(the body's name, its hand reading): a name written two ways is one body (same_as)."""
    entry = hand_bodies()[gold_name][name]
    return entry.get("same_as", name), entry


def gold_assignments(gold_name: str):
    """(task key, body name, hand reading, role) for every lead / co-operating body of every gold task."""
    for task in load_gold(gold_name)["tasks"]:
        for role in ("lead", "cooperating"):
            for written in task[role]:
                name, entry = body(gold_name, written)
                yield (gold_name, task["id"]), name, entry, role


def _fold(roles_per_task: dict) -> tuple[int, int, int]:
    """(tasks led, tasks only co-operated on, tasks written both ways) from task -> set of roles."""
    lead = sum(1 for roles in roles_per_task.values() if "lead" in roles)
    both = sum(1 for roles in roles_per_task.values() if len(roles) == 2)
    return lead, len(roles_per_task) - lead, both


def body_loads(gold_name: str, bureaus_only: bool = True) -> dict[str, tuple[int, int, int]]:
    """body name -> (tasks led, tasks only co-operated on, tasks written both ways), one city."""
    tasks = defaultdict(lambda: defaultdict(set))
    for task, name, entry, role in gold_assignments(gold_name):
        if entry["kind"] == "bureau" or not bureaus_only:
            tasks[name][task].add(role)
    return {name: _fold(roles) for name, roles in tasks.items()}


def function_loads(gold_names=tuple(CITIES)) -> dict[str, tuple[int, int, int]]:
    """function -> (tasks led, tasks only co-operated on, tasks written both ways) by the government
    departments with that function; a merged bureau (教育体育局) counts for each of its functions."""
    tasks = defaultdict(lambda: defaultdict(set))
    for gold_name in gold_names:
        for task, _, entry, role in gold_assignments(gold_name):
            if entry["kind"] == "bureau":
                for function in entry["functions"]:
                    tasks[function][task].add(role)
    return {function: _fold(roles) for function, roles in tasks.items()}


def ranks(loads: dict[str, tuple[int, ...]], weights: tuple[int, int]) -> dict[str, int]:
    """Competition ranks by index weights[0]*lead + weights[1]*cooperating: equal indexes share a rank."""
    index = {key: weights[0] * value[0] + weights[1] * value[1] for key, value in loads.items()}
    return {key: 1 + sum(1 for other in index.values() if other > mine) for key, mine in index.items()}
