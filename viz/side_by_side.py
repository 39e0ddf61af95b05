"""(c) Two cities side by side over the functions both have (queries.compare.Comparison.function_sets).

Each function stands in the same place in both panels (one layout of both cities' links), so the eye
compares like with like; the page recomputes sizes and links for a chosen chain element or industry."""
from collections import Counter
from itertools import combinations

import networkx as nx

from healthkg.viz.layout import spring
from healthkg.viz.model import GraphData
from healthkg.viz.page import render

CITY_COLOURS = ["#2f6db5", "#d35400", "#27ae60", "#8e44ad"]
EDGE_COLOURS = ["rgba(47,109,181,0.45)", "rgba(211,84,0,0.45)", "rgba(39,174,96,0.45)", "rgba(142,68,173,0.45)"]


def build(data: GraphData, network, comparison, weights: tuple[int, int] = (2, 1)) -> dict:
    """`weights`: the load index's (queries.load.headline_weights), so the page sizes as the answers rank."""
    if comparison is not None:
        cities = [comparison.first, comparison.second]
        first, second = comparison.function_sets()
        shown = sorted(first & second)
        only = {comparison.first: sorted(first - second), comparison.second: sorted(second - first)}
    else:
        cities = network.cities[:1] or data.cities[:1]
        shown = sorted({f for b in network.bodies.values() if b.city in cities
                        for f in network.functions.get(b.id, [])})
        only = {city: [] for city in cities}
    functions = {f: {"zh": zh, "en": en} for f, (zh, en) in network.function_labels.items()}
    for f in shown:
        functions.setdefault(f, {"zh": f, "en": ""})
    bodies = {b: {"zh": info["zh"], "en": info["en"], "city": info["city"], "functions": info["functions"],
                  "counted": b in network.bodies and network.bodies[b].counted}
              for b, info in data.bodies.items() if info["city"] in cities}
    tasks = [{"id": t, "city": task["city"], "elements": task["elements"], "industry": task["industry"],
              "lead": task["lead"], "cooperating": task["cooperating"]}
             for t, task in data.tasks.items() if task["city"] in cities]
    wanted = set(shown)
    together: Counter[tuple[str, str]] = Counter()
    for task in tasks:
        held = sorted({f for b in task["lead"] + task["cooperating"] if b in bodies and bodies[b]["counted"]
                       for f in bodies[b]["functions"] if f in wanted})
        together.update(combinations(held, 2))
    links = nx.Graph()
    links.add_nodes_from(shown)
    links.add_weighted_edges_from((a, b, n) for (a, b), n in together.items())
    position = spring(links, scale=360)
    cities_en = {p["city"]: p["city_en"] for p in data.plans.values()}
    return {"single": comparison is None, "cities": cities, "citiesEn": {c: cities_en.get(c, c) for c in cities},
            "shown": shown, "only": only,
            "functions": functions, "position": {f: list(xy) for f, xy in position.items()}, "tasks": tasks,
            "bodies": bodies, "elements": data.elements, "industries": data.industries, "weights": list(weights),
            "colors": {c: CITY_COLOURS[i % len(CITY_COLOURS)] for i, c in enumerate(cities)},
            "edgeColors": {c: EDGE_COLOURS[i % len(EDGE_COLOURS)] for i, c in enumerate(cities)}}


def page(data: GraphData, network, comparison, weights: tuple[int, int] = (2, 1),
         title: str = "两市对比(共同职能) | The cities side by side over the shared functions") -> str:
    payload = build(data, network, comparison, weights)
    panels = []
    for city in payload["cities"]:
        only = payload["only"].get(city, [])
        panels.append({"city": city, "city_en": payload["citiesEn"].get(city, ""), "only": only,
                       "names": "、".join(payload["functions"].get(f, {"zh": f})["zh"] for f in only)})
    if payload["only"] and len(payload["cities"]) < 2:
        lede = "图中只有一个城市，无法对比 (the graph has one city: nothing to compare); its functions are shown."
    else:
        lede = (f"{len(payload['shown'])} 个共同职能 functions both cities have. "
                f"节点大小 = 该市协调负担 (size: load in that city, lead {weights[0]} : co-op {weights[1]}, "
                "government departments, each task once); "
                "连线 = 两职能单位共同承担的任务数 (link: tasks shared). 同一职能在两图中位置相同。")
    return render("side_by_side.html", title, data=payload, scripts=("common.js", "side_by_side.js"), vis=True,
                  body_class="graph-page", panels=panels, lede=lede)
