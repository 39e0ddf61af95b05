"""Exports for other tools, from the same store the questions ask: one row per task (tasks.csv, UTF-8 with a
byte-order mark so that Excel reads the Chinese) and the body–task and co-assignment networks as GraphML and
GEXF (networkx's writers) for Gephi, with zh and en labels, city, kind, function and load on the nodes."""
import csv
import io
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import networkx as nx

from healthkg.graph.rdf.vocab import curie
from healthkg.queries import load
from healthkg.queries.network import Network
from healthkg.queries.stores import Answer

CSV_ENCODING = "utf-8-sig"      # the byte-order mark tells Excel the file is UTF-8
PREFIX = """PREFIX hk: <https://w3id.org/healthkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX p-plan: <http://purl.org/net/p-plan#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
TASKS = PREFIX + """SELECT ?task ?city ?number ?heading ?industry ?text ?start ?end (MAX(STR(?part)) AS ?section)
WHERE {
  ?task a hk:Task ;
        rdfs:label ?heading ;
        p-plan:isStepOfPlan/hk:city/rdfs:label ?city ;
        hk:textSelection/oa:hasSelector ?quote , ?position .
  ?quote oa:exact ?text .
  ?position oa:start ?start ; oa:end ?end .
  FILTER (LANG(?city) = "zh")
  OPTIONAL { ?task hk:taskNumber ?number }
  OPTIONAL { ?task hk:industry ?industry }
  OPTIONAL { ?task hk:partOf ?part . ?part a hk:Section }
}
GROUP BY ?task ?city ?number ?heading ?industry ?text ?start ?end
"""
SECTIONS = PREFIX + """SELECT ?section ?number ?heading WHERE {
  ?section a hk:Section ; rdfs:label ?heading . OPTIONAL { ?section hk:sectionNumber ?number } }"""
CHAIN = PREFIX + "SELECT ?task ?element WHERE { ?task a hk:Task ; hk:chainElement ?element }"
TARGETS = PREFIX + """SELECT ?task ?target ?label WHERE {
  ?target a hk:Target ; hk:partOf ?task ; rdfs:label ?label . ?task a hk:Task }"""
DEADLINES = PREFIX + """SELECT ?task ?bracket ?deadline WHERE {
  ?task hk:hasBracket ?bracket . ?bracket hk:deadline/rdfs:label ?deadline }"""
TASK_COLUMNS = ["city", "section", "section_number", "section_heading", "number", "heading", "text", "leads",
                "cooperating", "chain_elements", "industry", "targets", "deadlines", "start", "end", "task"]
# networkx stamps today's date on the GEXF meta element; it is optional in GEXF 1.2, and the outputs must not
# change from one day to the next
GEXF_DATE = re.compile(r' lastmodifieddate="[^"]*"')
LIST = "、"       # joins the names in one cell, as the plans themselves list them


def _rows(store, query: str) -> list[dict]:
    return store.select(query).as_dicts()


def tasks_table(store, network: Network) -> Answer:
    """One row per task: where it stands, its text and span, who leads and co-operates (in the order written),
    its chain elements, targets and deadlines."""
    sections = {row["section"]: row for row in _rows(store, SECTIONS)}
    extra: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(store, CHAIN):
        extra[row["task"]]["chain"].add(row["element"].rsplit("/", 1)[-1])
    for row in _rows(store, TARGETS):
        extra[row["task"]]["targets"].add((row["target"], row["label"]))
    for row in _rows(store, DEADLINES):
        extra[row["task"]]["deadlines"].add((row["bracket"], row["deadline"]))
    names = network.assigned_names
    rows = []
    for row in _rows(store, TASKS):
        task, section = row["task"], sections.get(curie(row["section"] or ""), {})
        more = extra[task]
        section_id = (row["section"] or "").rsplit("/", 1)[-1] if row["section"] else ""
        rows.append([row["city"], section_id, section.get("number") or "", section.get("heading") or "",
                     row["number"] or "", row["heading"], row["text"], LIST.join(names[task]["lead"]),
                     LIST.join(names[task]["cooperating"]),
                     " ".join(sorted(more["chain"])), (row["industry"] or "").rsplit("/", 1)[-1],
                     "；".join(label for _, label in sorted(more["targets"])),
                     "；".join(label for _, label in sorted(more["deadlines"])), row["start"], row["end"], task])
    rows.sort(key=lambda r: (r[0], r[-3], r[-1]))
    return Answer(TASK_COLUMNS, rows)


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else value


def body_task_graph(network: Network, loads: Answer, tasks: Answer) -> nx.Graph:
    """Bodies and tasks (labelled with their headings), an edge for each body's role on a task (every city)."""
    headings = {row["task"]: row["heading"] for row in tasks.as_dicts()}
    graph = nx.Graph()
    for body, attributes in _body_attributes(network, loads).items():
        graph.add_node(body, **attributes)
    for task, body, role in sorted(network.edges):
        if task not in graph:
            heading = headings.get(task, "")
            graph.add_node(task, type="task", label=heading, label_zh=heading, label_en="",
                           city=network.task_city[task], kind="task", function="", load=0.0)
        if graph.has_edge(task, body):         # written as lead and as co-operating: one edge, lead first
            graph.edges[task, body]["role"] = "lead"
        else:
            graph.add_edge(task, body, role=role)
    return graph


def co_assignment_graph(network: Network, loads: Answer) -> nx.Graph:
    """The counted bodies of every city, linked by the number of tasks they share (Network.projection)."""
    graph = nx.Graph()
    attributes = _body_attributes(network, loads)
    for city in network.cities:
        projection = network.projection(city)
        for node in sorted(projection.nodes):
            graph.add_node(node, **attributes[node])
        for first, second, data in sorted(projection.edges(data=True)):
            graph.add_edge(first, second, weight=data["weight"])
    return graph


def _body_attributes(network: Network, loads: Answer) -> dict[str, dict]:
    load_of = {row["agency"]: _plain(row["load_index"]) for row in loads.as_dicts()}
    # `label` is what Gephi shows on the node
    return {body: {"type": "body", "label": info.name_zh, "label_zh": info.name_zh, "label_en": info.name_en,
                   "city": info.city, "kind": info.kind.rsplit("/", 1)[-1],
                   "function": " ".join(sorted(f.rsplit("/", 1)[-1] for f in network.functions.get(body, []))),
                   "load": float(load_of.get(body, 0))}
            for body, info in sorted(network.bodies.items())}


def to_csv(answer: Answer) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")     # Excel's own line end
    writer.writerow(answer.variables)
    writer.writerows([[_plain(v) for v in row] for row in answer.rows])
    return buffer.getvalue()


def write_exports(store, network: Network, folder: Path) -> list[Path]:
    """tasks.csv, body-task.{graphml,gexf} and co-assignment.{graphml,gexf} in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    loads, tasks = load.by_body(store, "all"), tasks_table(store, network)
    (folder / "tasks.csv").write_text(to_csv(tasks), encoding=CSV_ENCODING, newline="")
    written = [folder / "tasks.csv"]
    for name, graph in (("body-task", body_task_graph(network, loads, tasks)),
                        ("co-assignment", co_assignment_graph(network, loads))):
        nx.write_graphml(graph, folder / f"{name}.graphml", encoding="utf-8")
        gexf = "<?xml version='1.0' encoding='utf-8'?>\n" + "\n".join(nx.generate_gexf(graph)) + "\n"
        (folder / f"{name}.gexf").write_text(GEXF_DATE.sub("", gexf, count=1), encoding="utf-8")
        written += [folder / f"{name}.graphml", folder / f"{name}.gexf"]
    return written
