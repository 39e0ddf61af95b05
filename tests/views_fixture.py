"""Stores for the view tests: the committed release graph with hostile labels written into it, the same
graph with one city only, and a synthetic graph of exactly 2,000 drawn nodes."""
from pathlib import Path

from healthkg.graph.app.pipeline import RELEASE
from healthkg.queries.stores import OxigraphStore

HOSTILE_BODY = "<img src=x onerror=alert(2)>"
HOSTILE_BODY_EN = '"><svg onload=alert(5)>Health & <b>Co</b>'
HOSTILE_TASK_TEXT = ('<script>alert(1)</script> 见 <a href="javascript:alert(3)">href 链接</a> '
                     "http://example.org/x.js src=//example.org/y.js url(//example.org/z) 1.健全养老服务体系。")
HOSTILE_HEADING = "</script><script>alert(4)</script>健全养老服务体系"
HOSTILE_PLAN_TITLE = '来宾市方案<iframe src="javascript:alert(6)"></iframe>'
HOSTILE_FUNCTION_EN = "Health <img src=y onerror=alert(7)>"
HOSTILE_BODY_ID = "hkd:agency/laibin-health-commission"
HOSTILE_TASK_ID = "hkd:plan/laibin-2019-22/task/s2.1-t1"
HOSTILE_STRINGS = [HOSTILE_BODY, HOSTILE_BODY_EN, HOSTILE_TASK_TEXT, HOSTILE_HEADING, HOSTILE_PLAN_TITLE,
                   HOSTILE_FUNCTION_EN]

HK = "https://w3id.org/healthkg/ontology#"
HKD = "https://w3id.org/healthkg/id/"
HKC = "https://w3id.org/healthkg/concept/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"


def _literal(text: str, lang: str | None = None) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"' + (f"@{lang}" if lang else "")


def hostile_store() -> OxigraphStore:
    """The release graph with document text that would run script if a page parsed it as HTML."""
    store = OxigraphStore(RELEASE)
    body = HKD + "agency/laibin-health-commission"
    task = HKD + "plan/laibin-2019-22/task/s2.1-t1"
    plan = HKD + "plan/laibin-2019-22"
    function = HKC + "function/health"
    updates = []
    for subject, predicates, lang, text in (
            (body, [RDFS_LABEL, SKOS + "prefLabel"], "zh", HOSTILE_BODY),
            (body, [RDFS_LABEL, SKOS + "prefLabel"], "en", HOSTILE_BODY_EN),
            (task + "/quote", [OA + "exact"], "", HOSTILE_TASK_TEXT),
            (task, [RDFS_LABEL], "zh", HOSTILE_HEADING),
            (plan, ["http://purl.org/dc/terms/title"], "zh", HOSTILE_PLAN_TITLE),
            (function, [SKOS + "prefLabel"], "en", HOSTILE_FUNCTION_EN)):
        for predicate in predicates:
            updates.append(f"DELETE {{ <{subject}> <{predicate}> ?o }} WHERE {{ <{subject}> <{predicate}> ?o . "
                           f"FILTER (LANG(?o) = \"{lang}\") }}")
            updates.append(f"INSERT DATA {{ <{subject}> <{predicate}> {_literal(text, lang)} }}")
    for update in updates:
        store.store.update(update)
    return store


def one_city_store() -> OxigraphStore:
    """The release graph less everything of Liuzhou: one city, so no comparison."""
    store = OxigraphStore(RELEASE)
    store.store.update('DELETE { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER (CONTAINS(STR(?s), "liuzhou")) }')
    store.store.update('DELETE { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER (CONTAINS(STR(?o), "liuzhou")) }')
    return store


SYNTHETIC_COUNTS = {"plan": 2, "section": 24, "task": 800, "body": 180, "element": 6, "target": 988}   # 2,000


def synthetic_store(folder: Path) -> OxigraphStore:
    """Two invented cities whose plans give exactly 2,000 nodes to the knowledge-graph view."""
    lines = []

    def triple(s, p, o):
        lines.append(f"<{s}> <{p}> {o} .")

    iri = lambda x: f"<{x}>"  # noqa: E731
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    elements = ["medical", "elderly-care", "health-management", "food", "tourism", "sports"]
    industries = ["medical", "elderly-care", "food", "tourism", "sports", "cross-cutting"]
    for i, element in enumerate(elements):
        triple(HKC + f"element/{element}", SKOS + "inScheme", iri(HKC + "scheme/element"))
        triple(HKC + f"element/{element}", SKOS + "prefLabel", _literal(f"要素{i}", "zh"))
        triple(HKC + f"element/{element}", SKOS + "prefLabel", _literal(f"Element {i}", "en"))
    for i, industry in enumerate(industries):
        triple(HKC + f"industry/{industry}", SKOS + "prefLabel", _literal(f"产业{i}", "zh"))
        triple(HKC + f"industry/{industry}", SKOS + "prefLabel", _literal(f"Industry {i}", "en"))
    for f in range(30):
        triple(HKC + f"function/f{f}", SKOS + "prefLabel", _literal(f"职能{f}", "zh"))
        triple(HKC + f"function/f{f}", SKOS + "prefLabel", _literal(f"Function {f}", "en"))
    for c, (city, city_zh) in enumerate((("alpha", "甲市"), ("beta", "乙市"))):
        city_iri = HKD + f"city/{city}"
        triple(city_iri, RDFS_LABEL, _literal(city_zh, "zh"))
        triple(city_iri, RDFS_LABEL, _literal(city.title(), "en"))
        plan = HKD + f"plan/{city}-2021-1"
        triple(plan, rdf_type, iri(HK + "Plan"))
        triple(plan, HK + "city", iri(city_iri))
        triple(plan, "http://purl.org/dc/terms/title", _literal(f"{city_zh}大健康产业方案", "zh"))
        bodies = []
        for b in range(90):
            body = HKD + f"agency/{city}-body-{b}"
            bodies.append(body)
            triple(body, rdf_type, iri(HK + "Agency"))
            triple(body, RDFS_LABEL, _literal(f"{city_zh}第{b}局", "zh"))
            triple(body, RDFS_LABEL, _literal(f"{city.title()} Bureau {b}", "en"))
            triple(body, HK + "kind", iri(HKC + "kind/municipal-department"))
            triple(body, HK + "city", iri(city_iri))
            triple(body, "http://www.w3.org/ns/org#classification", iri(HKC + f"function/f{b % 30}"))
        sections = []
        for s in range(12):
            section = f"{plan}/section/s{s}"
            sections.append(section)
            triple(section, rdf_type, iri(HK + "Section"))
            triple(section, "http://data.europa.eu/eli/ontology#is_part_of", iri(plan))
            triple(section, HK + "partOf", iri(plan))
            triple(section, RDFS_LABEL, _literal(f"第{s}部分", "zh"))
        targets = 0
        for t in range(400):
            task = f"{plan}/task/t{t}"
            triple(task, rdf_type, iri(HK + "Task"))
            triple(task, "http://purl.org/net/p-plan#isStepOfPlan", iri(plan))
            triple(task, HK + "partOf", iri(sections[t % 12]))
            triple(task, RDFS_LABEL, _literal(f"任务{t}", "zh"))
            triple(task, HK + "textSelection", iri(f"{task}/selection"))
            triple(f"{task}/selection", OA + "hasSelector", iri(f"{task}/quote"))
            triple(f"{task}/quote", OA + "exact", _literal(f"{t}.任务{t}的原文。(牵头单位:某局;配合单位:某局)", ""))
            triple(task, HK + "taskNumber", _literal(str(t)))
            triple(task, HK + "industry", iri(HKC + f"industry/{industries[t % 6]}"))
            triple(task, HK + "chainElement", iri(HKC + f"element/{elements[t % 6]}"))
            if t % 3 == 0:
                triple(task, HK + "chainElement", iri(HKC + f"element/{elements[(t + 1) % 6]}"))
            for role, n, body in (("lead", 1, bodies[t % 90]), ("cooperating", 1, bodies[(t * 7 + 1) % 90]),
                                  ("cooperating", 2, bodies[(t * 13 + 2) % 90])):
                assignment = f"{task}/{role}/{n}"
                triple(task, HK + "hasAssignment", iri(assignment))
                triple(assignment, HK + "role", iri(HKC + f"role/{role}"))
                triple(assignment, HK + "assignedUnit", iri(body))
                triple(assignment, HK + "position", f'"{n}"^^<http://www.w3.org/2001/XMLSchema#integer>')
            for g in range(2 if t < 94 else 1):
                target = f"{plan}/target/t{t}-g{g}"
                targets += 1
                triple(target, rdf_type, iri(HK + "Target"))
                triple(target, HK + "partOf", iri(task))
                triple(target, RDFS_LABEL, _literal(f"目标{t}-{g}", "zh"))
                triple(target, HK + "value", f'"{t + g}"^^<http://www.w3.org/2001/XMLSchema#decimal>')
                triple(target, HK + "unit", _literal("个"))
                triple(target, HK + "city", iri(city_iri))
        assert targets == 494, targets
    path = folder / "synthetic.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return OxigraphStore(path)
