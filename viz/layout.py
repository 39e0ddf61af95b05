"""Precomputed layouts, so a page draws its graph still at once (vis physics off) at any size.

- `tree_layout`: the knowledge graph is a containment tree (plan > section > task > target) plus bodies
  and chain elements; each city's tree is drawn radially, its bodies on a ring around it (each near
  the tasks it works on) and the chain elements in a column between the cities. Linear time.
- `spring`: networkx's `spring_layout` (Fruchterman-Reingold) with a fixed seed, scaled to the page, for
  the small weighted networks of bodies and functions. (From 500 nodes networkx needs SciPy, which the
  project does not install: such a picture fails with networkx's ImportError rather than drawing otherwise.)
"""
import math
from collections import defaultdict

import networkx as nx

from healthkg.viz.model import GraphData

GAP = 26            # arc length between neighbouring nodes on a ring
STEP = 140          # radial distance between tree levels
CITY_MARGIN = 700   # horizontal room between two cities (the chain elements stand in it)


def _circular_mean(angles: list[float]) -> float:
    return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))


def tree_layout(data: GraphData) -> dict[str, tuple[float, float]]:
    children = data.children()
    positions: dict[str, tuple[float, float]] = {}
    centres: list[float] = []
    radii: list[float] = []
    for city in data.cities:
        plans = [p for p, info in data.plans.items() if info["city"] == city]
        root = plans[0] if len(plans) == 1 else f"city:{city}"
        if len(plans) > 1:
            children[root] = plans
        local, angle, radius = _radial(root, children)
        tasks_by_body = defaultdict(list)
        for task, info in data.tasks.items():
            if info["city"] == city:
                for body in info["lead"] + info["cooperating"]:
                    tasks_by_body[body].append(angle.get(task, 0.0))
        bodies = [b for b, info in data.bodies.items() if info["city"] == city or b in tasks_by_body]
        bodies = [b for b in bodies if b not in positions]
        ring = max(radius + 1.6 * STEP, len(bodies) * GAP * 1.6 / (2 * math.pi))
        local.update(_ring(bodies, {b: _circular_mean(tasks_by_body[b]) if tasks_by_body[b] else 0.0
                                    for b in bodies}, ring))
        outer = ring + STEP
        x = (centres[-1] + radii[-1] + CITY_MARGIN + outer) if centres else 0.0
        centres.append(x)
        radii.append(outer)
        for node, (px, py) in local.items():
            if node != f"city:{city}":
                positions[node] = (px + x, py)
    elements = list(data.elements)
    if len(centres) >= 2:
        column_x = centres[0] + radii[0] + CITY_MARGIN / 2
    else:
        column_x = (centres[0] + radii[0] + CITY_MARGIN / 2) if centres else 0.0
    span = (len(elements) - 1) * 3 * GAP * 2
    for i, element in enumerate(elements):
        positions[element] = (column_x, -span / 2 + i * 6 * GAP)
    leftover = [b for b in data.bodies if b not in positions]      # a body of no drawn city
    for i, body in enumerate(leftover):
        positions[body] = (column_x + 2 * GAP * (1 + i % 5), span / 2 + STEP + (i // 5) * 2 * GAP)
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in positions.items()}


def _radial(root: str, children: dict[str, list[str]]):
    """Positions of a tree around (0, 0): each node gets an angular share proportional to its leaves."""
    weight: dict[str, int] = {}
    depth, order = {root: 0}, [root]
    stack = [root]
    while stack:                                  # iterative: deep trees must not hit recursion limits
        node = stack.pop()
        for child in children.get(node, []):
            if child not in depth:
                depth[child] = depth[node] + 1
                order.append(child)
                stack.append(child)
    for node in reversed(order):
        weight[node] = max(1, sum(weight[c] for c in children.get(node, []) if depth.get(c) == depth[node] + 1))
    per_level: defaultdict[int, int] = defaultdict(int)
    for node in order:
        per_level[depth[node]] += 1
    radius_at = {0: 0.0}
    for level in range(1, max(per_level) + 1):
        radius_at[level] = max(radius_at[level - 1] + STEP, per_level[level] * GAP / (2 * math.pi))
    angle = {root: 0.0}
    span = {root: (0.0, 2 * math.pi)}
    for node in order:
        start, end = span[node]
        kids = [c for c in children.get(node, []) if depth.get(c) == depth[node] + 1]
        total = sum(weight[c] for c in kids) or 1
        cursor = start
        for child in kids:
            share = (end - start) * weight[child] / total
            span[child] = (cursor, cursor + share)
            angle[child] = cursor + share / 2
            cursor += share
    positions = {}
    for node in order:
        r = radius_at[depth[node]]
        positions[node] = (r * math.cos(angle[node]), r * math.sin(angle[node]))
    return positions, angle, radius_at[max(per_level)]


def _ring(nodes: list[str], wanted: dict[str, float], radius: float) -> dict[str, tuple[float, float]]:
    """Nodes evenly spaced on a ring, in the order of the angle each wants, turned to fit them best."""
    if not nodes:
        return {}
    ordered = sorted(nodes, key=lambda n: (wanted[n] % (2 * math.pi), n))
    n = len(ordered)
    base = _circular_mean([wanted[node] - 2 * math.pi * i / n for i, node in enumerate(ordered)])
    return {node: (radius * math.cos(base + 2 * math.pi * i / n), radius * math.sin(base + 2 * math.pi * i / n))
            for i, node in enumerate(ordered)}


SEED = 42


def spring(graph: nx.Graph, scale: float = 400.0, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """networkx's spring layout with a fixed seed (the same picture every run), edge `weight` as the pull,
    spread wider as the network grows, each coordinate rounded to 0.1 pixel."""
    size = scale * math.sqrt(graph.number_of_nodes() / 30 + 1)
    positions = nx.spring_layout(graph, weight="weight", seed=seed, scale=size, center=(0.0, 0.0))
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in positions.items()}
