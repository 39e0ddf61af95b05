"""(a) The knowledge graph: plans, sections, tasks, bodies, chain elements and targets, coloured by type."""
from healthkg.viz.layout import tree_layout
from healthkg.viz.model import GraphData
from healthkg.viz.page import render
from healthkg.viz.pyvis_data import network, nodes_and_edges

TYPES = {  # node type: (zh, en, colour, shape, size)
    "plan": ("方案", "Plan", "#c0392b", "diamond", 30),
    "section": ("章节", "Section", "#e67e22", "dot", 12),
    "task": ("任务", "Task", "#2f6db5", "dot", 9),
    "body": ("单位", "Body", "#2e9d55", "square", 11),
    "element": ("产业链要素", "Chain element (医养管食游动)", "#8e44ad", "hexagon", 26),
    "target": ("目标", "Target", "#8d6e63", "triangle", 6),
}
EDGES = {  # kind: (zh, en, colour, dashed, width)
    "part": ("隶属", "part of (section, task)", "#9aa3ad", False, 1),
    "lead": ("牵头", "leads", "#1e7d42", False, 2),
    "cooperating": ("配合", "co-operates on", "#8fd19e", True, 1),
    "element": ("产业链", "in chain element", "#c39bd3", False, 1),
    "target": ("目标", "target of", "#bcaaa4", False, 1),
}

# Plans and chain elements are labelled large enough to stay readable on the whole graph, where the page draws
# no label under 11 px on screen (viz/assets/common.js); every other label appears as one zooms in.
OVERVIEW_FONT = 60


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build(data: GraphData, load_by_body=None) -> dict:
    """The page's data: vis nodes and edges (built with pyvis) plus the tables the tooltips and filters read.
    `load_by_body`, the `coordinating-load` answer over every kind of body, gives each body's counts (each
    task once, as lead when written as both), so the page says what the answers say."""
    positions = tree_layout(data)
    net = network(directed=True)

    def node(node_id: str, kind: str, label: str, **extra):
        zh, en, colour, shape, size = TYPES[kind]
        x, y = positions.get(node_id, (0.0, 0.0))
        net.add_node(node_id, label=label or " ", shape=shape, color=colour, size=extra.pop("size", size),
                     x=x, y=y, **extra)

    for plan_id, plan in data.plans.items():
        node(plan_id, "plan", f"{plan['city']} {_short(plan['number'] or plan['title'], 16)}",
             font={"size": OVERVIEW_FONT})
    for section_id, section in data.sections.items():
        node(section_id, "section", _short(f"{section['number']}{section['heading']}", 14))
    for task_id, task in data.tasks.items():
        node(task_id, "task", _short(f"{task['number']}.{task['heading']}" if task["number"] else task["heading"], 12))
    involved = data.tasks_per_body()
    for body_id, body in data.bodies.items():
        node(body_id, "body", body["zh"], size=8 + min(involved.get(body_id, 0), 40) ** 0.5 * 2)
    for element_id, element in data.elements.items():
        node(element_id, "element", element["zh"], font={"size": OVERVIEW_FONT})
    for target_id, target in data.targets.items():
        node(target_id, "target", _short(target["label"] or target["indicator"], 10))

    def edge(source: str, destination: str, kind: str):
        zh, en, colour, dashed, width = EDGES[kind]
        net.add_edge(source, destination, color=colour, width=width, dashes=dashed,
                     arrows={"to": {"enabled": kind == "part", "scaleFactor": 0.4}})

    for section_id, section in data.sections.items():
        parent = section["parent"] if section["parent"] in data.sections or section["parent"] in data.plans \
            else section["plan"]
        edge(section_id, parent, "part")
    for task_id, task in data.tasks.items():
        edge(task_id, task["section"] or task["plan"], "part")
        for body_id in task["lead"]:
            edge(body_id, task_id, "lead")
        for body_id in task["cooperating"]:
            edge(body_id, task_id, "cooperating")
        for element_id in task["elements"]:
            if element_id in data.elements:
                edge(task_id, element_id, "element")
    for target_id, target in data.targets.items():
        for owner in target["tasks"] or [target["plan"]]:
            edge(target_id, owner, "target")

    nodes, edges = nodes_and_edges(net)
    loads = {row["agency"]: row for row in load_by_body.as_dicts()} if load_by_body is not None else {}
    bodies = {body_id: dict(body, **{key: loads.get(body_id, {}).get(key, 0)
                                     for key in ("lead", "cooperating", "listed_twice")})
              for body_id, body in data.bodies.items()}
    counts = data.counts()
    legend = [{"color": colour, "zh": zh, "en": en, "count": counts[kind]}
              for kind, (zh, en, colour, shape, size) in TYPES.items()]
    legend += [{"color": colour, "zh": zh, "en": en, "line": True, "dashed": dashed}
               for kind, (zh, en, colour, dashed, width) in EDGES.items()]
    return {
        "nodes": nodes, "edges": edges, "legend": legend, "cities": data.cities,
        "plans": data.plans, "sections": data.sections, "tasks": data.tasks, "bodies": bodies,
        "functions": data.functions, "elements": data.elements, "industries": data.industries,
        "targets": data.targets, "counts": counts,
    }


def page(data: GraphData, load_by_body=None, title: str = "健康产业政策知识图谱 | Knowledge graph of the plans") -> str:
    payload = build(data, load_by_body)
    counts = payload["counts"]
    plural = {"plan": "plans", "section": "sections", "task": "tasks", "body": "bodies", "element": "chain elements",
              "target": "targets"}
    summary = ", ".join(f"{counts[k]} {plural[k]}" for k in TYPES)
    return render("knowledge_graph.html", title, data=payload, scripts=("common.js", "knowledge_graph.js"), vis=True,
                  body_class="graph-page", summary=summary)
