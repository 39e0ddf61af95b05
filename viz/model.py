"""What the knowledge-graph view draws, read from the store with the SELECTs of viz.queries.

Plain dicts keyed by compact IRIs (hkd:..., hkc:...), so the page gets exactly the store's ids.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from healthkg.queries.stores import Store
from healthkg.viz import queries

NODE_TYPES = ("plan", "section", "task", "body", "element", "target")


def _text(value) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


@dataclass
class GraphData:
    plans: dict[str, dict] = field(default_factory=dict)
    sections: dict[str, dict] = field(default_factory=dict)
    tasks: dict[str, dict] = field(default_factory=dict)
    bodies: dict[str, dict] = field(default_factory=dict)
    functions: dict[str, dict] = field(default_factory=dict)
    elements: dict[str, dict] = field(default_factory=dict)
    industries: dict[str, dict] = field(default_factory=dict)
    targets: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store: Store) -> "GraphData":
        data = cls()
        for row in store.select(queries.PLANS).as_dicts():
            data.plans[row["plan"]] = {"title": _text(row["title"]), "number": _text(row["number"]),
                                       "city": _text(row["city"]), "city_en": _text(row["city_en"])}
        for row in store.select(queries.SECTIONS).as_dicts():
            if row["plan"] not in data.plans:
                continue
            data.sections[row["section"]] = {
                "parent": row["parent"], "plan": row["plan"], "number": _text(row["number"]),
                "heading": _text(row["heading"]), "industry": row["industry"] or "",
                "city": data.plans[row["plan"]]["city"]}
        for row in store.select(queries.TASKS).as_dicts():
            if row["plan"] not in data.plans or row["task"] in data.tasks:
                continue
            data.tasks[row["task"]] = {
                "plan": row["plan"], "section": row["section"] if row["section"] in data.sections else "",
                "number": _text(row["number"]), "heading": _text(row["heading"]), "text": _text(row["text"]),
                "industry": row["industry"] or "", "city": data.plans[row["plan"]]["city"],
                "elements": [], "lead": [], "cooperating": []}
        for row in store.select(queries.TASK_ELEMENTS).as_dicts():
            if row["task"] in data.tasks:
                data.tasks[row["task"]]["elements"].append(row["element"])
        for row in store.select(queries.ELEMENTS).as_dicts():
            data.elements[row["element"]] = {"zh": _text(row["label_zh"]), "en": _text(row["label_en"]),
                                             "notation": _text(row["notation"])}
        for row in store.select(queries.INDUSTRIES).as_dicts():
            data.industries[row["industry"]] = {"zh": _text(row["label_zh"]), "en": _text(row["label_en"])}
        for row in store.select(queries.BODIES).as_dicts():
            data.bodies[row["agency"]] = {"zh": _text(row["name_zh"]), "en": _text(row["name_en"]),
                                          "kind": row["kind"] or "", "city": _text(row["city"]),
                                          "functions": []}
        for row in store.select(queries.BODY_FUNCTIONS).as_dicts():
            if row["agency"] in data.bodies:
                data.bodies[row["agency"]]["functions"].append(row["function"])
                data.functions[row["function"]] = {"zh": _text(row["function_zh"]), "en": _text(row["function_en"])}
        for row in store.select(queries.ASSIGNMENTS).as_dicts():
            task = data.tasks.get(row["task"])
            if task is None or row["agency"] not in data.bodies:
                continue
            role = "lead" if row["role"] == "lead" else "cooperating"
            if row["agency"] not in task[role]:
                task[role].append(row["agency"])
        for row in store.select(queries.TARGETS).as_dicts():
            task_id = row["task"] if row["task"] in data.tasks else ""
            plan = data.tasks[task_id]["plan"] if task_id else row["plan"]
            if plan not in data.plans:
                continue
            known = data.targets.get(row["target"])
            if known:           # a restated target: one more task it belongs to (rows come ordered by task)
                if task_id and task_id not in known["tasks"]:
                    known["tasks"].append(task_id)
                continue
            data.targets[row["target"]] = {
                "task": task_id, "tasks": [task_id] if task_id else [], "plan": plan, "label": _text(row["label"]),
                "indicator": _text(row["indicator_zh"]), "value": _text(row["value"]),
                "value_max": _text(row["value_max"]), "unit": _text(row["unit"]),
                "comparator": _text(row["comparator"]),
                "per": _text(row["per"]), "year": _text(row["year"]), "year_inferred": row["year_inferred"] is True,
                "city": _text(row["city"]) or data.plans[plan]["city"]}
        return data

    @property
    def cities(self) -> list[str]:
        return sorted({p["city"] for p in self.plans.values()})

    def counts(self) -> dict[str, int]:
        """Nodes per type, as the knowledge-graph view draws them."""
        return {"plan": len(self.plans), "section": len(self.sections), "task": len(self.tasks),
                "body": len(self.bodies), "element": len(self.elements), "target": len(self.targets)}

    def tasks_of_body(self, body: str) -> set[str]:
        return {t for t, task in self.tasks.items() if body in task["lead"] or body in task["cooperating"]}

    def tasks_per_body(self) -> dict[str, int]:
        """How many tasks each body leads or co-operates on (len(tasks_of_body) for all, in one pass)."""
        counts: defaultdict[str, int] = defaultdict(int)
        for task in self.tasks.values():
            for body in set(task["lead"]) | set(task["cooperating"]):
                counts[body] += 1
        return dict(counts)

    def children(self) -> dict[str, list[str]]:
        """The containment tree: plan -> sections -> tasks -> targets (goals-part targets under the plan)."""
        tree = defaultdict(list)
        for section, info in self.sections.items():
            tree[info["parent"] if info["parent"] in self.sections or info["parent"] in self.plans
                 else info["plan"]].append(section)
        for task, info in self.tasks.items():
            tree[info["section"] or info["plan"]].append(task)
        for target, info in self.targets.items():
            tree[info["task"] or info["plan"]].append(target)
        return tree
