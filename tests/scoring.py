"""Scoring of extracted records against a hand-made gold file (tests/gold/<city>.json).

Generic: works for any plan whose gold follows the shape of tests/gold/laibin.json:
  tasks:   [{"id", "section", "number", "industry", "lead": [names], "cooperating": [names], "flags"}]
  targets: [{"task", "object", "value", "value_max", "unit", "comparator", "year"}]
Bodies are compared by name (as written, shared 市 prefix restored); targets by (task, value, unit) as a
multiset, so two targets with the same key in one task (5个足球场, 5个社区健身中心) both have to be found.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Iterable

GOLD_DIR = Path(__file__).resolve().parent / "gold"


def load_gold(name_or_path: str | Path) -> dict:
    """Load `tests/gold/<name>.json`, or the given path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = GOLD_DIR / f"{name_or_path}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def prf(n_true_positive: int, n_predicted: int, n_gold: int) -> dict:
    """Precision, recall and F1; an empty side counts as perfect (nothing to find / nothing wrong)."""
    precision = n_true_positive / n_predicted if n_predicted else 1.0
    recall = n_true_positive / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1,
            "tp": n_true_positive, "predicted": n_predicted, "gold": n_gold}


def _body_name(body) -> str:
    return body["name"] if isinstance(body, dict) else body


def _norm_value(value):
    if value is None:
        return None
    return round(float(value), 6)


def task_keys(tasks: Iterable[dict]) -> Counter:
    return Counter(t["id"] for t in tasks)


def role_triples(tasks: Iterable[dict]) -> Counter:
    """(task id, body name, role) for every lead / cooperating body of every task."""
    out: Counter = Counter()
    for t in tasks:
        for role in ("lead", "cooperating"):
            for body in t.get(role) or []:
                out[(t["id"], _body_name(body), role)] += 1
    return out


def target_keys(targets: Iterable[dict]) -> Counter:
    return Counter((t.get("task"), _norm_value(t["value"]), t.get("unit")) for t in targets)


def compare(predicted: Counter, gold: Counter) -> dict:
    """prf over multisets plus the missing (in gold only) and extra (predicted only) keys."""
    tp = sum((predicted & gold).values())
    scores = prf(tp, sum(predicted.values()), sum(gold.values()))
    scores["missing"] = sorted((gold - predicted).elements(), key=repr)
    scores["extra"] = sorted((predicted - gold).elements(), key=repr)
    return scores


def score_tasks(records: dict, gold: dict) -> dict:
    return compare(task_keys(records.get("tasks", [])), task_keys(gold["tasks"]))


def score_roles(records: dict, gold: dict) -> dict:
    return compare(role_triples(records.get("tasks", [])), role_triples(gold["tasks"]))


def score_targets(records: dict, gold: dict) -> dict:
    return compare(target_keys(records.get("targets", [])), target_keys(gold["targets"]))


def score_all(records: dict, gold: dict) -> dict:
    return {"tasks": score_tasks(records, gold), "roles": score_roles(records, gold),
            "targets": score_targets(records, gold)}


def describe(scores: dict, limit: int = 20) -> str:
    """A short human-readable account of one `compare` result, for assertion messages."""
    head = (f"P={scores['precision']:.3f} R={scores['recall']:.3f} F1={scores['f1']:.3f} "
            f"(tp={scores['tp']}, predicted={scores['predicted']}, gold={scores['gold']})")
    missing = "\n  missing: " + "\n  missing: ".join(map(repr, scores["missing"][:limit])) if scores["missing"] else ""
    extra = "\n  extra: " + "\n  extra: ".join(map(repr, scores["extra"][:limit])) if scores["extra"] else ""
    return head + missing + extra
