"""(b) The co-assignment network of bodies per city (queries.network.Network.projection): a link counts the
tasks two bodies share; node size is the coordinating load index of the `coordinating-load` answer (the
bureaus it counts, each task once), colour the Louvain community (fixed seed). Bodies that are not
government departments (companies, development-zone committees, collectives ...) are left out, as in the
load answers."""
import math

from healthkg.viz import pyvis_data
from healthkg.viz.layout import spring
from healthkg.viz.page import render

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"]
CITY_GAP = 500


def build(network, load_by_body) -> dict:
    """`load_by_body`: the answer of the `coordinating-load` query, which sizes the nodes."""
    loads = {row["agency"]: row for row in load_by_body.as_dicts()}
    bodies, partners, communities, nodes_drawn, edges = {}, {}, {}, [], []
    offset = 0.0
    for city in network.cities:
        # one pyvis network per city: add_edge compares each new undirected edge with every edge so far
        net = pyvis_data.network(directed=False)
        graph = network.projection(city)
        groups = network.communities(graph)
        community = {node: i + 1 for i, group in enumerate(groups) for node in group}
        communities[city] = [{"index": i + 1, "size": len(group), "color": PALETTE[i % len(PALETTE)]}
                             for i, group in enumerate(groups)]
        nodes = sorted(graph.nodes)
        weighted = [(a, b, d["weight"]) for a, b, d in graph.edges(data=True)]
        positions = spring(graph)
        width = max((abs(x) for x, _ in positions.values()), default=0.0)
        offset += width
        for node in nodes:
            body, load = network.bodies[node], loads[node]
            x, y = positions[node]
            colour = PALETTE[(community[node] - 1) % len(PALETTE)]
            net.add_node(node, label=body.name_zh or node, shape="dot", color=colour,
                         size=round(7 + 3.2 * math.sqrt(load["load_index"]), 1), x=round(x + offset, 1), y=y,
                         font={"size": 13})
            neighbours = sorted(((other, graph[node][other]["weight"]) for other in graph[node]),
                                key=lambda p: (-p[1], p[0]))
            partners[node] = [[other, weight] for other, weight in neighbours]
            bodies[node] = {
                "zh": body.name_zh, "en": body.name_en, "city": city,
                "functions": [" / ".join(network.function_labels[f]) for f in network.functions.get(node, [])],
                "lead": load["lead"], "cooperating": load["cooperating"], "load": load["load_index"],
                "rank": load["rank"], "listed_twice": load["listed_twice"],
                "community": community[node], "degree": sum(w for _, w in neighbours), "partners": len(neighbours)}
        for first, second, weight in sorted(weighted):
            net.add_edge(first, second, width=round(min(1 + 1.6 * math.log2(weight), 9), 2),
                         color="rgba(120,130,145,0.45)", weight=weight)
        city_nodes, city_edges = pyvis_data.nodes_and_edges(net)
        nodes_drawn += city_nodes
        edges += city_edges
        offset += width + CITY_GAP
    return {"nodes": nodes_drawn, "edges": edges, "bodies": bodies, "partners": partners,
            "communities": communities, "cities": network.cities}


def page(network, load_by_body, weights: tuple[int, int],
         title: str = "单位共同任务网络 | Co-assignment network of bodies") -> str:
    payload = build(network, load_by_body)
    counts = ", ".join(f"{city}: {sum(1 for b in payload['bodies'].values() if b['city'] == city)} bodies, "
                       f"{len(payload['communities'][city])} communities" for city in payload["cities"])
    return render("co_assignment.html", title, data=payload, scripts=("common.js", "co_assignment.js"), vis=True,
                  body_class="graph-page", counts=counts, weights=weights)
