"""How `extract` scales with the size of one plan text (issue 14): seconds per size, the fitted exponent,
and the budget (10 MB within 10x of 1 MB; a 1 MB paragraph full of numbers within seconds).

    python build_graph.py bench --extract-scaling [--extract-mb 1,2,5,10,50] [--paragraph-kb 256,1024]

The texts are synthetic and deterministic (graph.synthetic, seed 0):
- a plan of N MB: a generated plan whose body (goals, tasks, safeguards) is written again and again
  until the text reaches N MB (UTF-8); the repeated sections give repeated task numbers (ids .2, .3 ...);
- a paragraph of N KB: a generated plan with one goals paragraph of N KB added, made of target clauses
  (`建成12个社区养老服务中心`, `床位达350张`, `覆盖率达到90%以上` ...) separated by commas and 、, with no
  full stop, so that the whole paragraph is one sentence and the due year carries through it.
Each text is written to a file and read back by graph.extract.extract_file, as `extract FILE` does.
"""
from __future__ import annotations

import gc
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from healthkg.graph.bench.synthetic import plan_specs, plan_text
from healthkg.graph.extract.layout import END_OF_PLAN, LEVEL1
from healthkg.graph.extract.records import extract_file

MB = 2 ** 20
KB = 2 ** 10
DEFAULT_MB = (1, 2, 5, 10, 50)
DEFAULT_PARAGRAPH_KB = (256, 1024)
BUDGET_RATIO = 10.0            # 10 MB within 10x the time of 1 MB
PARAGRAPH_BUDGET_SECONDS = 10.0
NUMBER_CLAUSES = ("建成{n}个社区养老服务中心", "床位达{m}张", "每千常住人口执业医师数达到{d}人", "覆盖率达到{p}%以上",
                  "{y}年健康产业总产值突破{m}亿元", "培育{n}家健康医药龙头企业",
                  "新增{n}个森林康养基地和{k}个健康旅游示范区", "接待游客{m}万人次", "年均增长{p}%左右",
                  "建设{n}条健身步道、{k}个体育公园", "种植中药材{m}亩")


def _parts(text: str) -> tuple[list[str], list[str], list[str]]:
    """(head, body, tail) lines of a plan: the body runs from the first level-1 heading to the line
    that ends the plan (公开方式, 相关链接 ...)."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if LEVEL1.match(line.strip()))
    last = next((i for i in range(first + 1, len(lines)) if END_OF_PLAN.match(lines[i].strip())), len(lines))
    return lines[:first], lines[first:last], lines[last:]


def large_plan(megabytes: float, seed: int = 0) -> str:
    """One plan text of at least `megabytes` MB (UTF-8): a generated plan whose body is written again and
    again (its sections repeat with the same numbers and headings, so its graph stays consistent)."""
    head, body, tail = _parts(plan_text(plan_specs(1, seed)[0], seed))
    body_bytes = len("\n".join(body).encode()) + 1
    copies = max(1, math.ceil((megabytes * MB - len("\n".join(head).encode())) / body_bytes))
    return "\n".join(head + body * copies + tail) + "\n"


def numbers_paragraph(kilobytes: float) -> str:
    """A goals paragraph of at least `kilobytes` KB (UTF-8): target clauses, commas and 、, no full stop."""
    pieces, size, index = ["到2025年"], 0, 0
    while size < kilobytes * KB:
        clause = NUMBER_CLAUSES[index % len(NUMBER_CLAUSES)].format(
            n=index % 97 + 1, m=(index * 37) % 900 + 10, k=index % 13 + 2, d=f"{index % 9 + 1}.{index % 7}",
            p=index % 90 + 5, y=2020 + index % 11)
        piece = clause + ("、" if index % 3 == 2 else "，")
        pieces.append(piece)
        size += len(piece.encode())
        index += 1
    return "".join(pieces) + "力争实现全市健康产业高质量发展。"


def plan_with_paragraph(kilobytes: float, seed: int = 0) -> str:
    """A generated plan with a numbers paragraph of `kilobytes` KB at the end of its goals part."""
    lines = plan_text(plan_specs(1, seed)[0], seed).split("\n")
    tasks = next(i for i, line in enumerate(lines) if LEVEL1.match(line.strip()) and "任务" in line)
    return "\n".join(lines[:tasks] + [numbers_paragraph(kilobytes)] + lines[tasks:])


def _time_extract(text: str, folder: Path) -> dict:
    path = folder / "plan.txt"
    path.write_bytes(text.encode("utf-8"))
    gc.collect()
    started = time.perf_counter()
    records = extract_file(path)
    seconds = time.perf_counter() - started
    path.unlink()
    return {"bytes": len(text.encode("utf-8")), "seconds": round(seconds, 3), "tasks": len(records["tasks"]),
            "targets": len(records["targets"])}


def fitted_exponent(points: list[tuple[float, float]]) -> float | None:
    """The least-squares slope of log(seconds) against log(size): 1 is linear, 2 quadratic."""
    points = [(x, y) for x, y in points if x > 0 and y > 0]
    if len(points) < 2:
        return None
    xs, ys = [math.log(x) for x, _ in points], [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / spread, 3) if spread else None


def measure(megabytes=DEFAULT_MB, paragraph_kb=DEFAULT_PARAGRAPH_KB, seed: int = 0, progress=None) -> dict:
    """Extract every size once (after one warm-up extract of a small plan) and fit the exponents."""
    result: dict[str, Any] = {"plans": [], "paragraphs": []}
    with tempfile.TemporaryDirectory(prefix="healthkg-extract-scaling-") as folder:
        _time_extract(plan_text(plan_specs(1, seed)[0], seed), Path(folder))     # tables, regexes, caches
        for size in megabytes:
            entry = {"megabytes": size, **_time_extract(large_plan(size, seed), Path(folder))}
            result["plans"].append(entry)
            if progress:
                progress(f"plan of {size} MB: {entry['seconds']:.2f} s")
        for size in paragraph_kb:
            entry = {"kilobytes": size, **_time_extract(plan_with_paragraph(size, seed), Path(folder))}
            result["paragraphs"].append(entry)
            if progress:
                progress(f"paragraph of {size} KB: {entry['seconds']:.2f} s")
    result["exponent"] = fitted_exponent([(e["bytes"], e["seconds"]) for e in result["plans"]])
    result["paragraph_exponent"] = fitted_exponent([(e["bytes"], e["seconds"]) for e in result["paragraphs"]])
    result["budgets"] = budgets(result)
    return result


def budgets(result: dict) -> list[dict]:
    """10 MB within 10x of 1 MB; the largest numbers paragraph (1 MB by default) within 10 s."""
    out = []
    by_size = {e["megabytes"]: e["seconds"] for e in result["plans"]}
    if 1 in by_size and 10 in by_size:
        ratio = by_size[10] / by_size[1] if by_size[1] > 0 else None
        out.append({"budget": f"10 MB within {BUDGET_RATIO:g}x of 1 MB", "measured": ratio,
                    "holds": ratio is not None and ratio <= BUDGET_RATIO})
    if result["paragraphs"]:
        largest = max(result["paragraphs"], key=lambda e: e["kilobytes"])
        out.append({"budget": f"a {largest['kilobytes']} KB paragraph full of numbers within "
                              f"{PARAGRAPH_BUDGET_SECONDS:g} s", "measured": largest["seconds"],
                    "holds": largest["seconds"] <= PARAGRAPH_BUDGET_SECONDS})
    return out


def format_result(result: dict) -> str:
    lines = ["extract scaling (one plan text; seconds of graph.extract.extract_file)", "",
             "| input | bytes (whole text) | tasks | targets | seconds |", "| --- | ---: | ---: | ---: | ---: |"]
    for entry in result["plans"]:
        lines.append(f"| plan of {entry['megabytes']:g} MB | {entry['bytes']:,} | {entry['tasks']:,} | "
                     f"{entry['targets']:,} | {entry['seconds']:.2f} |")
    for entry in result["paragraphs"]:
        lines.append(f"| paragraph of {entry['kilobytes']:g} KB full of numbers | {entry['bytes']:,} | "
                     f"{entry['tasks']:,} | {entry['targets']:,} | {entry['seconds']:.2f} |")
    lines.append("")
    lines.append(f"fitted exponent (plans, log seconds against log bytes): {result['exponent']}")
    if result["paragraph_exponent"] is not None:
        lines.append(f"fitted exponent (paragraphs): {result['paragraph_exponent']}")
    for budget in result["budgets"]:
        measured = budget["measured"]
        unit = "x" if "x of" in budget["budget"] else " s"
        shown = "not measured" if measured is None else f"{measured:.2f}{unit}"
        lines.append(f"budget: {budget['budget']}: {shown}: {'holds' if budget['holds'] else 'MISS'}")
    return "\n".join(lines) + "\n"
