"""Tasks -> the chain elements (医养管食游动) they belong to, each with the evidence that put it there.

Two sources of evidence, both data a researcher can review: the industry of the task's section
(industries.tsv, column `element`) and keywords in the task's text (chain_rules.tsv).
"""
from functools import lru_cache

from healthkg.graph.extract import tables


@lru_cache(maxsize=None)
def _rules() -> list[tuple[str, list[str]]]:
    rows = tables.read_tsv("chain_rules.tsv")
    return sorted(((row["keyword"], tables.split_list(row["elements"])) for row in rows), key=lambda r: -len(r[0]))


def classify(task_text: str, industry: str | None) -> dict[str, list[str]]:
    """{element id: [evidence, ...]} in element order; evidence reads `industry:elderly-care` or
    `keyword:医养结合`. A keyword inside a longer matching keyword does not count again."""
    found: dict[str, list[str]] = {}
    row = tables.industries().get(industry or "")
    if row:
        found.setdefault(row["element"], []).append(f"industry:{industry}")
    covered: list[tuple[int, int]] = []
    for keyword, elements in _rules():
        at = task_text.find(keyword)
        while at >= 0 and any(a <= at and at + len(keyword) <= b for a, b in covered):
            at = task_text.find(keyword, at + 1)
        if at < 0:
            continue
        covered.append((at, at + len(keyword)))
        for element in elements:
            evidence = found.setdefault(element, [])
            if f"keyword:{keyword}" not in evidence:
                evidence.append(f"keyword:{keyword}")
    return {element: sorted(found[element]) for element in sorted(found)}
