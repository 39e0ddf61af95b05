"""graph/check/validate.py, ontology/shapes.ttl and queries/*-violation.rq.

A small hand-made graph that follows ontology/MODEL.md conforms; each shape and each violation query
catches a hand-made broken example (one sub-case per query, so a query that cannot fail is caught);
the queries agree on rdflib and Oxigraph; the violation queries find nothing on the real graph.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pytest
from conftest import LAIBIN, LIUZHOU, ROOT, extract_records
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from healthkg.graph.app.pipeline import RELEASE
from healthkg.graph.check.validate import (
    ValidationFailed,
    ValidationReport,
    compact,
    conforms_fast,
    load_shapes,
    validate,
    violation_queries,
)
from healthkg.graph.rdf.build import add_data_structure, describe_release, piece_of, text_pieces, text_sha256
from healthkg.queries.library import QUERIES as QUERIES_DIR

HK = Namespace("https://w3id.org/healthkg/ontology#")
HKC = Namespace("https://w3id.org/healthkg/concept/")
HKD = Namespace("https://w3id.org/healthkg/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
PPLAN = Namespace("http://purl.org/net/p-plan#")
OA = Namespace("http://www.w3.org/ns/oa#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes
QB = Namespace("http://purl.org/linked-data/cube#")
TIME = Namespace("http://www.w3.org/2006/time#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
ONTOLOGY_FILE = ROOT / "ontology" / "healthkg.ttl"

# A tiny plan. "𠀀" (U+20000, outside the BMP) comes before every span: SUBSTR must count it as one
# character, as Python does, on every SPARQL engine.
TEXT = (
    "来宾市𠀀健康方案\n"
    "一、重点任务\n"
    "(一)加快发展健康养老产业\n"
    "1.健全养老服务体系，到2021年建成3个养老服务示范机构。(牵头单位：市民政局；配合单位：市卫生健康委)\n"
    "2.建设健康小镇。\n"
    "三、保障措施\n"
    "市民政局负责牵头抓健康养老产业发展。\n"
    "全市人均体育场地面积约1.8平方米。\n"
)
PLAN = HKD["plan/testcity-2019-1"]
SOURCE = HKD["plan/testcity-2019-1/text"]
EXPRESSION = HKD["plan/testcity-2019-1/zh"]
GROUP = HKD["agency/testcity-county-governments"]
CITY = HKD["city/testcity"]
PERIOD = HKD["plan/testcity-2019-1/period"]
RELEASE_NODE = HKD["release"]
RELEASE_NT = HKD["release/nt"]
CLASSIFICATION = HKD["plan/testcity-2019-1/task/s1.1-t1/chain/elderly-care"]
GOVERNMENT = HKD["agency/testcity-government"]
S1 = HKD["plan/testcity-2019-1/section/s1"]
S11 = HKD["plan/testcity-2019-1/section/s1.1"]
S3 = HKD["plan/testcity-2019-1/section/s3"]
TASK = HKD["plan/testcity-2019-1/task/s1.1-t1"]
TASK2 = HKD["plan/testcity-2019-1/task/s1.1-t2"]
LEAD = URIRef(f"{TASK}/lead/1")
COOP = URIRef(f"{TASK}/cooperating/1")
TARGET = HKD["plan/testcity-2019-1/target/s1.1-t1-g1"]
TARGET2 = HKD["plan/testcity-2019-1/target/goals-g1"]
NO_YEAR = HKC["period/no-year"]
CHAIN_LEAD = HKD["plan/testcity-2019-1/chain-lead/1"]
BRACKET = URIRef(f"{TASK}/bracket/1")
DEADLINE = URIRef(f"{BRACKET}/deadline")
CIVIL = HKD["agency/testcity-civil-affairs-bureau"]
HEALTH = HKD["agency/testcity-health-commission"]
OTHER_CITY = HKD["city/othercity"]


def span(text: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return start, start + len(text)


def add_selection(g: Graph, node: URIRef, start: int, end: int, predicate=HK.textSelection,
                  name: str = "selection") -> None:
    stem = node if name == "selection" else URIRef(f"{node}/{name}")
    selection = URIRef(f"{node}/{name}")
    position, quote = (URIRef(f"{stem}/{x}") for x in ("position", "quote"))
    g.add((node, predicate, selection))
    g.add((selection, RDF.type, OA.SpecificResource))
    g.add((selection, OA.hasSource, SOURCE))
    g.add((selection, OA.hasSelector, position))
    g.add((selection, OA.hasSelector, quote))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(TEXT[start:end])))
    prefix, suffix = unique_context(start, end)
    g.add((quote, OA.prefix, Literal(prefix)))
    g.add((quote, OA.suffix, Literal(suffix)))


def occurrences(needle: str) -> int:
    return sum(TEXT.startswith(needle, i) for i in range(len(TEXT)))


def unique_context(start: int, end: int) -> tuple[str, str]:
    """The rule of MODEL.md by brute force: k characters either side for the smallest k that makes the
    quote with its context occur once in TEXT."""
    k = 0
    while occurrences(TEXT[max(0, start - k):end + k]) != 1:
        k += 1
    return TEXT[max(0, start - k):start], TEXT[end:end + k]


def add_agency(g: Graph, node: URIRef, zh: str, en: str, kind: str, function: str, city=CITY) -> None:
    g.add((node, RDF.type, HK.Agency))
    for predicate in (RDFS.label, SKOS.prefLabel):
        g.add((node, predicate, Literal(zh, lang="zh")))
        g.add((node, predicate, Literal(en, lang="en")))
    g.add((node, ORG.classification, HKC[f"kind/{kind}"]))
    g.add((node, ORG.purpose, HKC[f"function/{function}"]))
    g.add((node, ORG.subOrganizationOf, GOVERNMENT))
    g.add((node, HK.city, city))


def add_assignment(g: Graph, task: URIRef, node: URIRef, unit: URIRef, role: str, position: int,
                   written: str) -> None:
    g.add((task, HK.hasAssignment, node))
    g.add((node, RDF.type, HK.Assignment))
    g.add((node, HK.assignedUnit, unit))
    g.add((node, HK.role, HKC[f"role/{role}"]))
    g.add((node, HK.position, Literal(position, datatype=XSD.integer)))
    g.add((node, HK.nameAsWritten, Literal(written, lang="zh")))
    add_selection(g, node, *span(written, 1 if written == "市民政局" else 0))


def add_bracket(g: Graph) -> None:
    """The task's one bracket, the text it covers, its deadline (the bracket sets none; the graph borrows
    到2021年 from the task's text as a hand-made deadline), and the bracket each assignment came from."""
    g.add((TASK, HK.hasBracket, BRACKET))
    g.add((BRACKET, RDF.type, HK.Bracket))
    g.add((BRACKET, HK.partOf, TASK))
    g.add((BRACKET, HK.bracketNumber, Literal(1, datatype=XSD.integer)))
    g.add((BRACKET, HK.bracketForm, Literal("labels")))
    add_selection(g, BRACKET, *span("(牵头单位：市民政局；配合单位：市卫生健康委)"))
    add_selection(g, BRACKET, *span("1.健全养老服务体系，到2021年建成3个养老服务示范机构。"), HK.covers, "covers")
    g.add((BRACKET, HK.deadline, DEADLINE))
    g.add((DEADLINE, RDF.type, HK.Deadline))
    g.add((DEADLINE, RDFS.label, Literal("到2021年", lang="zh")))
    g.add((DEADLINE, HK.deadlineKind, HKC["deadline-kind/by-date"]))
    g.add((DEADLINE, TIME.inXSDDate, Literal("2021-12-31", datatype=XSD.date)))
    add_selection(g, DEADLINE, *span("到2021年"))
    for assignment in (LEAD, COOP):
        g.add((assignment, HK.fromBracket, BRACKET))


def add_concept(g: Graph, concept: URIRef, scheme: str) -> None:
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((concept, SKOS.inScheme, HKC[f"scheme/{scheme}"]))


def add_target(g: Graph, node: URIRef, written: str, value: str, unit: str, comparator: str,
               year: int | None, part_of: URIRef) -> None:
    """An observation of the targets cube: area, period (a year concept or hkc:period/no-year), indicator
    and statement; its value and attributes."""
    g.add((node, RDF.type, HK.Target))
    g.add((node, RDF.type, QB.Observation))
    g.add((node, QB.dataSet, HKD["dataset/targets"]))
    indicator = HKC[f"indicator/test-{len(written)}-{value}"]
    add_concept(g, indicator, "indicator")
    g.add((node, HK.indicator, indicator))
    g.add((node, HK.city, CITY))
    period = HKD[f"year/{year}"] if year is not None else NO_YEAR
    add_concept(g, period, "period")
    if year is not None:
        g.add((period, SKOS.notation, Literal(str(year))))
    g.add((node, HK.targetYear, period))
    g.add((node, HK.statedIn, selection(node)))
    g.add((node, HK.value, Literal(Decimal(value), datatype=XSD.decimal)))
    g.add((node, HK.unit, Literal(unit)))
    g.add((node, HK.comparator, Literal(comparator)))
    g.add((node, HK.quantityKind, Literal("area" if unit == "平方米" else "count")))
    g.add((node, HK.partOf, part_of))
    add_selection(g, node, *span(written))


def valid_graph() -> Graph:
    """One plan with two sections, a task with a bracket, a no-bracket task, two targets, a chain lead."""
    g = Graph()
    g.add((PLAN, RDF.type, HK.Plan))
    g.add((PLAN, HK.city, CITY))
    g.add((PLAN, ELI.is_realized_by, EXPRESSION))
    g.add((EXPRESSION, ELI.is_embodied_by, SOURCE))
    g.add((PLAN, RDFS.label, Literal("来宾市𠀀健康方案", lang="zh")))
    # the plan's period, 2019-2022 (a time:Interval between two year instants)
    g.add((PLAN, HK.period, PERIOD))
    g.add((PERIOD, RDF.type, TIME.Interval))
    for predicate, year in ((TIME.hasBeginning, 2019), (TIME.hasEnd, 2022)):
        g.add((PERIOD, predicate, HKD[f"year/{year}"]))
        g.add((HKD[f"year/{year}"], RDF.type, TIME.Instant))
        g.add((HKD[f"year/{year}"], TIME.inXSDgYear, Literal(str(year), datatype=XSD.gYear)))
    g.add((SOURCE, RDF.type, HK.SourceText))
    g.add((CITY, RDF.type, HK.City))
    g.add((CITY, RDFS.label, Literal("测试市", lang="zh")))
    g.add((CITY, RDFS.label, Literal("Testcity", lang="en")))
    g.add((OTHER_CITY, RDF.type, HK.City))
    # the city government is typed as MODEL.md says (org:Organization, hk:CityGovernment); the ontology
    # makes it an hk:Agency, so it carries what every agency must
    add_agency(g, GOVERNMENT, "测试市人民政府", "Testcity People's Government", "city-government",
               "local-government")
    g.remove((GOVERNMENT, ORG.subOrganizationOf, None))
    g.remove((GOVERNMENT, RDF.type, HK.Agency))
    g.add((GOVERNMENT, RDF.type, HK.CityGovernment))
    g.add((GOVERNMENT, RDF.type, ORG.Organization))
    add_agency(g, CIVIL, "测试市民政局", "Testcity Civil Affairs Bureau", "municipal-department", "civil-affairs")
    add_agency(g, HEALTH, "测试市卫生健康委员会", "Testcity Health Commission", "municipal-department", "health")
    # a placeholder for several bodies (各县区人民政府): a group, not an organisation
    g.add((GROUP, RDF.type, HK.BodyGroup))
    g.add((GROUP, RDFS.label, Literal("各县区人民政府", lang="zh")))
    g.add((GROUP, RDFS.label, Literal("County and district governments (all)", lang="en")))
    g.add((GROUP, HK.groupKind, HKC["kind/county-collective"]))
    g.add((GROUP, HK.groupPurpose, HKC["function/local-government"]))
    g.add((GROUP, HK.city, CITY))
    for section, parent, number, heading in ((S1, PLAN, "一", "重点任务"), (S11, S1, "(一)", "加快发展健康养老产业"),
                                             (S3, PLAN, "三", "保障措施")):
        g.add((section, RDF.type, HK.Section))
        g.add((section, ELI.is_part_of, parent))
        g.add((section, HK.sectionNumber, Literal(number)))
        g.add((section, RDFS.label, Literal(heading, lang="zh")))
    # task 1: numbered, with its responsibility bracket
    g.add((TASK, RDF.type, HK.Task))
    g.add((TASK, PPLAN.isStepOfPlan, PLAN))
    g.add((TASK, HK.partOf, S11))
    g.add((TASK, HK.taskNumber, Literal("1")))
    g.add((TASK, RDFS.label, Literal("健全养老服务体系", lang="zh")))
    g.add((TASK, HK.industry, HKC["industry/elderly-care"]))
    g.add((TASK, HK.leadUnit, CIVIL))
    g.add((TASK, HK.chainElement, HKC["element/elderly-care"]))
    g.add((TASK, HK.chainClassification, CLASSIFICATION))
    g.add((CLASSIFICATION, RDF.type, HK.ChainClassification))
    g.add((CLASSIFICATION, HK.element, HKC["element/elderly-care"]))
    g.add((CLASSIFICATION, HK.evidence, Literal("industry:elderly-care")))
    g.add((TASK, HK.cooperatingUnit, HEALTH))
    add_assignment(g, TASK, LEAD, CIVIL, "lead", 1, "市民政局")
    add_assignment(g, TASK, COOP, HEALTH, "cooperating", 1, "市卫生健康委")
    add_selection(g, TASK, TEXT.index("1.健全"), TEXT.index("卫生健康委)") + len("卫生健康委)"))
    add_bracket(g)
    # task 2: numbered, without a bracket
    g.add((TASK2, RDF.type, HK.Task))
    g.add((TASK2, PPLAN.isStepOfPlan, PLAN))
    g.add((TASK2, HK.industry, HKC["industry/cross-cutting"]))
    g.add((TASK2, HK.partOf, S11))
    g.add((TASK2, HK.flag, Literal("no-bracket")))
    add_selection(g, TASK2, *span("2.建设健康小镇。"))
    add_target(g, TARGET, "到2021年建成3个养老服务示范机构", "3", "个", "=", 2021, TASK)
    add_target(g, TARGET2, "人均体育场地面积约1.8平方米", "1.8", "平方米", "~", None, PLAN)
    # the targets data set, its structure and its code lists, as every build writes them
    add_data_structure(g)
    for scheme in ("indicator", "period"):
        g.add((HKC[f"scheme/{scheme}"], RDF.type, SKOS.ConceptScheme))
    g.add((CHAIN_LEAD, RDF.type, HK.ChainLead))
    g.add((CHAIN_LEAD, HK.partOf, PLAN))
    g.add((CHAIN_LEAD, HK.assignedUnit, CIVIL))
    g.add((CHAIN_LEAD, HK.role, HKC["role/industry-lead"]))
    g.add((CHAIN_LEAD, HK.industry, HKC["industry/elderly-care"]))
    add_selection(g, CHAIN_LEAD, *span("市民政局负责牵头抓健康养老产业发展"))
    # the release's DCAT and PROV, as every build writes them
    describe_release(g, {"testcity-2019-1": text_sha256(TEXT)})
    add_pieces(g)
    return g


def add_pieces(g: Graph) -> None:
    """The text in pieces, cut at line ends but never inside a selector's quote with its context (as the build
    cuts it: graph/rdf/build.py text_pieces), and each position selector's hk:inPiece."""
    spans = {}
    for position_node in g.subjects(RDF.type, OA.TextPositionSelector):
        quote_node = URIRef(str(position_node).rsplit("/", 1)[0] + "/quote")
        start, end = int(g.value(position_node, OA.start)), int(g.value(position_node, OA.end))
        spans[position_node] = (start - len(str(g.value(quote_node, OA.prefix))),
                                end + len(str(g.value(quote_node, OA.suffix))))
    pieces = text_pieces(TEXT, spans.values())
    assert len(pieces) > 3, "the tiny plan is cut into several pieces"
    for number, (start, end) in enumerate(pieces, 1):
        g.add((piece(number), RDF.type, HK.TextPiece))
        g.add((piece(number), HK.pieceOf, SOURCE))
        g.add((piece(number), HK.pieceStart, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((piece(number), HK.content, Literal(TEXT[start:end])))
    for position_node, (lo, hi) in spans.items():
        g.add((position_node, HK.inPiece, piece(piece_of(pieces, lo, hi) + 1)))


def piece(number: int) -> URIRef:
    return URIRef(f"{SOURCE}/piece/{number}")


def piece_number(node: URIRef) -> int:
    """The number of the piece holding the node's span, counted by hand: its line (the lines before it + 1)."""
    return TEXT[:span("2.建设健康小镇。")[0]].count("\n") + 1 if node == TASK2 else 0


@lru_cache(maxsize=None)
def ontology() -> Graph:
    """The OWL ontology when it is there (mixed in for SHACL), else an empty graph."""
    return Graph().parse(ONTOLOGY_FILE, format="turtle") if ONTOLOGY_FILE.exists() else Graph()


def position(node: URIRef) -> URIRef:
    return URIRef(f"{node}/position")


def quote(node: URIRef) -> URIRef:
    return URIRef(f"{node}/quote")


def selection(node: URIRef) -> URIRef:
    return URIRef(f"{node}/selection")


def replace(g: Graph, s, p, o) -> None:
    g.set((s, p, o))


# -- the valid graph ------------------------------------------------------------------------------

def test_the_hand_made_spans_are_right():
    g = valid_graph()
    for node in (TASK, TASK2, LEAD, COOP, TARGET, TARGET2, CHAIN_LEAD):
        start = int(g.value(position(node), OA.start))
        end = int(g.value(position(node), OA.end))
        assert TEXT[start:end] == str(g.value(quote(node), OA.exact))
        prefix, suffix = str(g.value(quote(node), OA.prefix)), str(g.value(quote(node), OA.suffix))
        assert TEXT[start - len(prefix):start] == prefix and TEXT[end:end + len(suffix)] == suffix
        assert occurrences(prefix + TEXT[start:end] + suffix) == 1
        assert start > TEXT.index("𠀀")
    assert str(g.value(quote(TASK2), OA.prefix)) == "", "2.建设健康小镇。 is written once: no context"
    assert occurrences("市民政局") == 2 and str(g.value(quote(LEAD), OA.prefix)) != ""


@pytest.mark.parametrize("with_ontology", [False, True], ids=["no-ontology", "ontology"])
def test_a_small_valid_graph_conforms(with_ontology):
    g = valid_graph()
    before = len(g)
    report = validate(g, ontology() if with_ontology else None)
    assert report.conforms, report.to_text()
    assert report.shacl_results == []
    assert {q.name for q in report.query_results} == set(violation_queries())
    assert len(g) == before, "validate must not change the data graph"
    report.raise_if_failed()


def materialised(g: Graph) -> Graph:
    """The entailments ontology/reasoning/ adds (MODEL.md): transitive hk:partOf, hk:leads, the
    super-properties and super-classes, and the defined classes."""
    out = Graph()
    for triple in g:
        out.add(triple)
    for s, _, o in list(out.triples((None, ELI.is_part_of, None))):      # eli:is_part_of ⊑ hk:partOf
        out.add((s, HK.partOf, o))
    changed = True
    while changed:
        new = {(a, HK.partOf, c) for a, _, b in out.triples((None, HK.partOf, None))
               for _, _, c in out.triples((b, HK.partOf, None))} - set(out)
        changed = bool(new)
        for triple in new:
            out.add(triple)
    for task, _, unit in list(out.triples((None, HK.leadUnit, None))):
        out.add((unit, HK.leads, task))
        out.add((unit, RDF.type, HK.LeadBody))
    for sub, sup in ((HK.leadUnit, HK.involvesUnit), (HK.cooperatingUnit, HK.involvesUnit),
                     (HK.textSelection, PROV.wasDerivedFrom)):
        for s, _, o in list(out.triples((None, sub, None))):
            out.add((s, sup, o))
    for sub, sup in ((HK.Task, PPLAN.Step), (HK.CityGovernment, HK.Agency), (HK.Agency, ORG.Organization),
                     (HK.Target, QB.Observation), (HK.Assignment, HK.Responsibility), (HK.ChainLead, HK.Responsibility),
                     (HK.Agency, HK.ResponsibleParty)):
        for s in list(out.subjects(RDF.type, sub)):
            out.add((s, RDF.type, sup))
    return out


def test_the_materialised_graph_still_conforms():
    g = materialised(valid_graph())
    assert (TASK, HK.partOf, S1) in g and (TASK, HK.partOf, PLAN) in g
    report = validate(g, ontology())
    assert report.conforms, report.to_text()
    # and a task written into two sections is still caught
    g.add((TASK, HK.partOf, S3))
    assert validate(g, ontology(), shapes=Graph()).query_rows["task-in-two-sections"]


# -- every shape catches a broken example ---------------------------------------------------------

def _drop(*patterns):
    def mutate(g: Graph) -> None:
        for pattern in patterns:
            g.remove(pattern)
    return mutate


def _add(*triples):
    def mutate(g: Graph) -> None:
        for triple in triples:
            g.add(triple)
    return mutate


def _set(s, p, o):
    return lambda g: g.set((s, p, o))


SHAPE_CASES = {
    # name: (mutation, focus node, shape)
    "task without plan": (_drop((TASK, PPLAN.isStepOfPlan, None)), TASK, "hks:Task-plan"),
    "task without industry": (_drop((TASK, HK.industry, None)), TASK, "hks:Task-industry"),
    "task with two industries": (_add((TASK, HK.industry, HKC["industry/food"])), TASK, "hks:Task-industry"),
    "plan without jurisdiction": (_drop((PLAN, HK.city, None)), PLAN, "hks:Plan-city"),
    "plan in two jurisdictions": (_add((PLAN, HK.city, HKD["city/othercity"]),
                                       (HKD["city/othercity"], RDF.type, HK.City)),
                                  PLAN, "hks:Plan-city"),
    "a second Chinese preferred label": (_add((CIVIL, SKOS.prefLabel, Literal("民政", lang="zh"))), CIVIL,
                                         "hks:PrefLabel-uniqueLang"),
    "task in two plans": (_add((TASK, PPLAN.isStepOfPlan, HKD["plan/other"]),
                               (HKD["plan/other"], RDF.type, HK.Plan)), TASK, "hks:Task-plan"),
    "task step of a non-plan": (_set(TASK, PPLAN.isStepOfPlan, S1), TASK, "hks:Task-plan"),
    "task without section": (_drop((TASK, HK.partOf, None)), TASK, "hks:Task-section"),
    "task part of the plan only": (_set(TASK, HK.partOf, PLAN), TASK, "hks:Task-section"),
    "task without selection": (_drop((TASK, HK.textSelection, None)), TASK, "hks:Task-selection"),
    "task with two selections": (_add((TASK, HK.textSelection, selection(TASK2))), TASK, "hks:Task-selection"),
    "task lead not an agency": (_add((TASK, HK.leadUnit, CITY)), TASK, "hks:Task-leadUnit"),
    "task without lead and flag": (_drop((TASK, HK.leadUnit, None)), TASK, "hks:TaskLeadShape"),
    "task with another flag": (_set(TASK2, HK.flag, Literal("other")), TASK2, "hks:TaskLeadShape"),
    "assignment without unit": (_drop((LEAD, HK.assignedUnit, None)), LEAD, "hks:Assignment-unit"),
    "assignment with two units": (_add((LEAD, HK.assignedUnit, HEALTH)), LEAD, "hks:Assignment-unit"),
    "assignment unit not an agency": (_set(LEAD, HK.assignedUnit, CITY), LEAD, "hks:Assignment-unit"),
    "assignment without role": (_drop((LEAD, HK.role, None)), LEAD, "hks:Assignment-role"),
    "assignment with two roles": (_add((LEAD, HK.role, HKC["role/cooperating"])), LEAD, "hks:Assignment-role"),
    "assignment with a chain role": (_set(LEAD, HK.role, HKC["role/industry-lead"]), LEAD, "hks:Assignment-role"),
    "assignment without position": (_drop((LEAD, HK.position, None)), LEAD, "hks:Assignment-position"),
    "assignment position as text": (_set(LEAD, HK.position, Literal("1")), LEAD, "hks:Assignment-position"),
    "assignment position zero": (_set(LEAD, HK.position, Literal(0)), LEAD, "hks:Assignment-position"),
    "assignment without selection": (_drop((LEAD, HK.textSelection, None)), LEAD, "hks:Assignment-selection"),
    "assignment of no task": (_drop((TASK, HK.hasAssignment, LEAD)), LEAD, "hks:Assignment-task"),
    "assignment of two tasks": (_add((TASK2, HK.hasAssignment, LEAD)), LEAD, "hks:Assignment-task"),
    "assignment from no bracket": (_drop((LEAD, HK.fromBracket, None)), LEAD, "hks:Assignment-bracket"),
    "assignment from a task": (_set(LEAD, HK.fromBracket, TASK), LEAD, "hks:Assignment-bracket"),
    "bracket of no task": (_drop((TASK, HK.hasBracket, BRACKET)), BRACKET, "hks:Bracket-task"),
    "bracket of two tasks": (_add((TASK2, HK.hasBracket, BRACKET)), BRACKET, "hks:Bracket-task"),
    "bracket without number": (_drop((BRACKET, HK.bracketNumber, None)), BRACKET, "hks:Bracket-number"),
    "bracket number zero": (_set(BRACKET, HK.bracketNumber, Literal(0)), BRACKET, "hks:Bracket-number"),
    "bracket of another form": (_set(BRACKET, HK.bracketForm, Literal("table")), BRACKET, "hks:Bracket-form"),
    "bracket without selection": (_drop((BRACKET, HK.textSelection, None)), BRACKET, "hks:Bracket-selection"),
    "bracket covering two texts": (_add((BRACKET, HK.covers, selection(TASK))), BRACKET, "hks:Bracket-covers"),
    "bracket with two deadlines": (_add((BRACKET, HK.deadline, URIRef(f"{DEADLINE}2")),
                                        (URIRef(f"{DEADLINE}2"), RDF.type, HK.Deadline)), BRACKET,
                                   "hks:Bracket-deadline"),
    "bracket deadline a literal": (_set(BRACKET, HK.deadline, Literal("2021年")), BRACKET, "hks:Bracket-deadline"),
    "deadline without kind": (_drop((DEADLINE, HK.deadlineKind, None)), DEADLINE, "hks:Deadline-kind"),
    "deadline of a role kind": (_set(DEADLINE, HK.deadlineKind, HKC["role/lead"]), DEADLINE, "hks:Deadline-kind"),
    "deadline date a year": (_set(DEADLINE, TIME.inXSDDate, Literal("2021", datatype=XSD.gYear)), DEADLINE,
                             "hks:Deadline-date"),
    "deadline without text": (_drop((DEADLINE, RDFS.label, None)), DEADLINE, "hks:Deadline-label"),
    "deadline without selection": (_drop((DEADLINE, HK.textSelection, None)), DEADLINE, "hks:Deadline-selection"),
    "target without value": (_drop((TARGET, HK.value, None)), TARGET, "hks:Target-value"),
    "target value a double": (_set(TARGET, HK.value, Literal(3.0)), TARGET, "hks:Target-value"),
    "target with two values": (_add((TARGET, HK.value, Literal(Decimal("4")))), TARGET, "hks:Target-value"),
    "target upper value a string": (_add((TARGET, HK.valueMax, Literal("5"))), TARGET, "hks:Target-valueMax"),
    "target without unit": (_drop((TARGET, HK.unit, None)), TARGET, "hks:Target-unit"),
    "target with an empty unit": (_set(TARGET, HK.unit, Literal("")), TARGET, "hks:Target-unit"),
    "target with two units": (_add((TARGET, HK.unit, Literal("家"))), TARGET, "hks:Target-unit"),
    "target without indicator": (_drop((TARGET, HK.indicator, None)), TARGET, "hks:Target-indicator"),
    "target indicator a literal": (_set(TARGET, HK.indicator, Literal("床位")), TARGET, "hks:Target-indicator"),
    "target indicator of another scheme": (_set(TARGET, HK.indicator, HKC["function/health"]), TARGET,
                                           "hks:Target-indicator"),
    "target with a year and no-year": (_add((TARGET, HK.targetYear, NO_YEAR)), TARGET, "hks:Target-targetYear"),
    "target without a period": (_drop((TARGET2, HK.targetYear, None)), TARGET2, "hks:Target-targetYear"),
    "target year a gYear literal": (_set(TARGET, HK.targetYear, Literal("2021", datatype=XSD.gYear)), TARGET,
                                    "hks:Target-targetYear"),
    "target year an integer": (_set(TARGET, HK.targetYear, Literal(2021)), TARGET, "hks:Target-targetYear"),
    "target year outside the period list": (_set(TARGET, HK.targetYear, HKC["function/health"]), TARGET,
                                            "hks:Target-targetYear"),
    "target with two years": (_add((TARGET, HK.targetYear, HKD["year/2022"]),
                                   (HKD["year/2022"], SKOS.inScheme, HKC["scheme/period"])), TARGET,
                              "hks:Target-targetYear"),
    "target without data set": (_drop((TARGET, QB.dataSet, None)), TARGET, "hks:Target-dataSet"),
    "target of a plan's own data set": (_set(TARGET, QB.dataSet, HKD["plan/testcity-2019-1/targets"]), TARGET,
                                        "hks:Target-dataSet"),
    "target without area": (_drop((TARGET, HK.city, None)), TARGET, "hks:Target-city"),
    "target area not a jurisdiction": (_set(TARGET, HK.city, CIVIL), TARGET, "hks:Target-city"),
    "target without statement": (_drop((TARGET2, HK.statedIn, None)), TARGET2, "hks:Target-statedIn"),
    "target stated in an agency": (_set(TARGET, HK.statedIn, CIVIL), TARGET, "hks:Target-statedIn"),
    "target with two statements": (_add((TARGET, HK.statedIn, selection(TARGET2))), TARGET, "hks:Target-statedIn"),
    "data set without structure": (_drop((HKD["dataset/targets"], QB.structure, None)), HKD["dataset/targets"],
                                   "hks:DataSet-structure"),
    "data set with a structure that is none": (_set(HKD["dataset/targets"], QB.structure, PLAN),
                                               HKD["dataset/targets"], "hks:DataSet-structure"),
    "data set with two Chinese labels": (_add((HKD["dataset/targets"], RDFS.label, Literal("目标", lang="zh"))),
                                         HKD["dataset/targets"], "hks:DataSet-label"),
    "data set without English label": (_drop((HKD["dataset/targets"], RDFS.label, Literal(
        "Quantified targets of big-health industry plans", lang="en"))), HKD["dataset/targets"], "hks:DataSet-label"),
    "target unit code a literal": (_add((TARGET, URIRef("http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"),
                                         Literal("NUM"))), TARGET, "hks:Target-unitMeasure"),
    "target without comparator": (_drop((TARGET, HK.comparator, None)), TARGET, "hks:Target-comparator"),
    "target comparator >": (_set(TARGET, HK.comparator, Literal(">")), TARGET, "hks:Target-comparator"),
    "target without selection": (_drop((TARGET, HK.textSelection, None)), TARGET, "hks:Target-selection"),
    "target selection not a resource": (_add((TARGET, HK.textSelection, TASK)), TARGET, "hks:Target-selection"),
    "target without quantity kind": (_drop((TARGET, HK.quantityKind, None)), TARGET, "hks:Target-quantityKind"),
    "target with two quantity kinds": (_add((TARGET, HK.quantityKind, Literal("area"))), TARGET,
                                       "hks:Target-quantityKind"),
    "target with an empty quantity kind": (_set(TARGET, HK.quantityKind, Literal("")), TARGET,
                                           "hks:Target-quantityKind"),
    "target with two frequencies": (_add((TARGET, HK.per, Literal("year")), (TARGET, HK.per, Literal("month"))),
                                    TARGET, "hks:Target-per"),
    "target frequency an IRI": (_add((TARGET, HK.per, HKC["function/health"])), TARGET, "hks:Target-per"),
    "target with a stated and an inferred year": (_add((TARGET, HK.inferredTargetYear, HKD["year/2021"])), TARGET,
                                                  "hks:TargetShape"),
    "target with two inferred years": (_add((TARGET2, HK.inferredTargetYear, HKD["year/2021"]),
                                            (TARGET2, HK.inferredTargetYear, HKD["year/2022"]),
                                            (HKD["year/2022"], SKOS.inScheme, HKC["scheme/period"])),
                                       TARGET2, "hks:Target-inferredTargetYear"),
    "target inferred year an integer": (_add((TARGET2, HK.inferredTargetYear, Literal(2021))), TARGET2,
                                        "hks:Target-inferredTargetYear"),
    "target inferred year no-year": (_add((TARGET2, HK.inferredTargetYear, NO_YEAR)), TARGET2,
                                     "hks:Target-inferredTargetYear"),
    "target period not a period concept": (_add((TARGET2, HK.inferredTargetYear, HKD["year/1999"])), TARGET2,
                                           "hks:Target-inferredTargetYear"),
    "agency without kind": (_drop((CIVIL, ORG.classification, None)), CIVIL, "hks:Agency-kind"),
    "agency with two kinds": (_add((CIVIL, ORG.classification, HKC["kind/other"])), CIVIL, "hks:Agency-kind"),
    "agency kind a function": (_set(CIVIL, ORG.classification, HKC["function/health"]), CIVIL, "hks:Agency-kind"),
    "group without kind": (_drop((GROUP, HK.groupKind, None)), GROUP, "hks:BodyGroup-kind"),
    "group kind a function": (_set(GROUP, HK.groupKind, HKC["function/health"]), GROUP, "hks:BodyGroup-kind"),
    "group without purpose": (_drop((GROUP, HK.groupPurpose, None)), GROUP, "hks:BodyGroup-purpose"),
    "group without jurisdiction": (_drop((GROUP, HK.city, None)), GROUP, "hks:BodyGroup-city"),
    "group classified as an organisation": (_add((GROUP, ORG.classification, HKC["kind/county-collective"])), GROUP,
                                            "hks:BodyGroup-notOrganisation"),
    "group as a sub-organisation": (_add((GROUP, ORG.subOrganizationOf, GOVERNMENT)), GROUP,
                                    "hks:BodyGroup-notOrganisation"),
    "group without Chinese label": (_drop((GROUP, RDFS.label, Literal("各县区人民政府", lang="zh"))), GROUP,
                                    "hks:BodyGroup-labelZh"),
    "group with two English labels": (_add((GROUP, RDFS.label, Literal("Counties", lang="en"))), GROUP,
                                      "hks:BodyGroup-labelEn"),
    "agency without function": (_drop((CIVIL, ORG.purpose, None)), CIVIL, "hks:Agency-function"),
    "agency function a kind": (_set(CIVIL, ORG.purpose, HKC["kind/other"]), CIVIL, "hks:Agency-function"),
    "agency without Chinese label": (_drop((CIVIL, RDFS.label, Literal("测试市民政局", lang="zh"))), CIVIL,
                                     "hks:Agency-labelZh"),
    "agency label without language": (_set(CIVIL, RDFS.label, Literal("测试市民政局")), CIVIL,
                                      "hks:Agency-labelZh"),
    "agency without English label": (_drop((CIVIL, RDFS.label, Literal("Testcity Civil Affairs Bureau", lang="en"))),
                                     CIVIL, "hks:Agency-labelEn"),
    "agency with two English labels": (_add((CIVIL, RDFS.label, Literal("Civil Affairs", lang="en"))), CIVIL,
                                       "hks:Agency-labelEn"),
    "agency without city": (_drop((HEALTH, HK.city, None)), HEALTH, "hks:Agency-city"),
    "agency level not a level": (_set(HEALTH, HK.level, HKC["kind/other"]), HEALTH, "hks:Agency-level"),
    "agency with two levels": (_add((HEALTH, HK.level, HKC["level/central"]), (HEALTH, HK.level, HKC["level/county"])),
                               HEALTH, "hks:Agency-level"),
    "chain lead without unit": (_drop((CHAIN_LEAD, HK.assignedUnit, None)), CHAIN_LEAD, "hks:ChainLead-unit"),
    "chain lead with two units": (_add((CHAIN_LEAD, HK.assignedUnit, HEALTH)), CHAIN_LEAD, "hks:ChainLead-unit"),
    "chain lead with an assignment role": (_set(CHAIN_LEAD, HK.role, HKC["role/lead"]), CHAIN_LEAD,
                                           "hks:ChainLead-role"),
    "chain lead without selection": (_drop((CHAIN_LEAD, HK.textSelection, None)), CHAIN_LEAD,
                                     "hks:ChainLead-selection"),
    "selection without source": (_drop((selection(TASK), OA.hasSource, None)), selection(TASK),
                                 "hks:Selection-source"),
    "selection with a source that is no source text": (_set(selection(TASK), OA.hasSource, PLAN), selection(TASK),
                                                       "hks:Selection-source"),
    "selection with one selector": (_drop((selection(TASK), OA.hasSelector, quote(TASK))), selection(TASK),
                                    "hks:Selection-selectors"),
    "selection whose quote selector is untyped": (_drop((quote(TASK), RDF.type, None)), selection(TASK),
                                              "hks:Selection-quote"),
    "selection with three selectors": (_add((selection(TASK), OA.hasSelector, position(TASK2))), selection(TASK),
                                       "hks:Selection-position"),
    "selection without position selector": (_drop((position(TASK), RDF.type, None)), selection(TASK),
                                            "hks:Selection-position"),
    "start after end": (_set(position(TASK), OA.start, Literal(10**6, datatype=XSD.nonNegativeInteger)),
                        position(TASK), "hks:Position-start"),
    "start missing": (_drop((position(TASK), OA.start, None)), position(TASK), "hks:Position-start"),
    "start a plain integer": (_set(position(TASK), OA.start, Literal(5)), position(TASK), "hks:Position-start"),
    "end missing": (_drop((position(TASK), OA.end, None)), position(TASK), "hks:Position-end"),
    "quote without exact": (_drop((quote(TASK), OA.exact, None)), quote(TASK), "hks:Quote-exact"),
    "quote without prefix": (_drop((quote(TASK), OA.prefix, None)), quote(TASK), "hks:Quote-prefix"),
    "quote with two suffixes": (_add((quote(LEAD), OA.suffix, Literal("负责"))), quote(LEAD), "hks:Quote-suffix"),
    "source text without pieces": (_drop((None, HK.pieceOf, SOURCE)), SOURCE, "hks:SourceText-pieces"),
    "piece without content": (_drop((piece(2), HK.content, None)), piece(2), "hks:TextPiece-content"),
    "piece without start": (_drop((piece(2), HK.pieceStart, None)), piece(2), "hks:TextPiece-start"),
    "piece of the plan, not its text": (_set(piece(2), HK.pieceOf, PLAN), piece(2), "hks:TextPiece-source"),
    "position selector without piece": (_drop((position(TASK), HK.inPiece, None)), position(TASK),
                                        "hks:Position-piece"),
    "position selector in two pieces": (_add((position(TASK), HK.inPiece, piece(1))), position(TASK),
                                        "hks:Position-piece"),
    # the release (DCAT)
    "release without English title": (_drop((RELEASE_NODE, DCTERMS.title, Literal(
        "healthkg: municipal big-health industry plans as a knowledge graph", lang="en"))), RELEASE_NODE,
        "hks:Release-title"),
    "release with two Chinese titles": (_add((RELEASE_NODE, DCTERMS.title, Literal("知识图谱", lang="zh"))),
                                        RELEASE_NODE, "hks:Release-title"),
    "release without description": (_drop((RELEASE_NODE, DCTERMS.description, None)), RELEASE_NODE,
                                    "hks:Release-description"),
    "release description without language": (_add((RELEASE_NODE, DCTERMS.description, Literal("A graph"))),
                                             RELEASE_NODE, "hks:Release-description"),
    "release without licence": (_drop((RELEASE_NODE, DCTERMS.license, None)), RELEASE_NODE, "hks:Release-license"),
    "release licence a literal": (_set(RELEASE_NODE, DCTERMS.license, Literal("CC BY 4.0")), RELEASE_NODE,
                                  "hks:Release-license"),
    "release with two licences": (_add((RELEASE_NODE, DCTERMS.license, URIRef("https://creativecommons.org/publicdomain/zero/1.0/"))),
                                  RELEASE_NODE, "hks:Release-license"),
    "release without distribution": (_drop((RELEASE_NODE, DCAT.distribution, None)), RELEASE_NODE,
                                     "hks:Release-distribution"),
    "release distribution untyped": (_drop((RELEASE_NT, RDF.type, None)), RELEASE_NODE, "hks:Release-distribution"),
    "distribution without file name": (_drop((RELEASE_NT, DCTERMS.title, None)), RELEASE_NT, "hks:Distribution-title"),
    "distribution without media type": (_drop((RELEASE_NT, DCAT.mediaType, None)), RELEASE_NT,
                                        "hks:Distribution-mediaType"),
    "distribution media type a literal": (_set(RELEASE_NT, DCAT.mediaType, Literal("application/n-triples")),
                                          RELEASE_NT, "hks:Distribution-mediaType"),
    "distribution media type not IANA's": (_set(RELEASE_NT, DCAT.mediaType, URIRef("https://example.org/n-triples")),
                                           RELEASE_NT, "hks:Distribution-mediaType"),
    "distribution without licence": (_drop((RELEASE_NT, DCTERMS.license, None)), RELEASE_NT,
                                     "hks:Distribution-license"),
}

# A misspelt predicate on a node of each core class (the closed shapes): added beside the right ones, so
# nothing but the closed shape can fire.
MISSPELT = {
    # case: (node, misspelt predicate, a value, closed shape)
    "plan with dcterms:tittle": (PLAN, DCTERMS.tittle, Literal("来宾市𠀀健康方案", lang="zh"), "hks:PlanClosed"),
    "plan with hk:perod": (PLAN, HK.perod, PERIOD, "hks:PlanClosed"),
    "section with hk:sectionNumbr": (S11, HK.sectionNumbr, Literal("(一)"), "hks:SectionClosed"),
    "task with hk:leadUnitt": (TASK, HK.leadUnitt, CIVIL, "hks:TaskClosed"),
    "task with hk:taskNumbr": (TASK, HK.taskNumbr, Literal("1"), "hks:TaskClosed"),
    "chain classification with hk:elemnt": (CLASSIFICATION, HK.elemnt, HKC["element/elderly-care"],
                                            "hks:ChainClassificationClosed"),
    "assignment with hk:assignedUnitt": (LEAD, HK.assignedUnitt, CIVIL, "hks:AssignmentClosed"),
    "assignment with hk:leadUnit": (LEAD, HK.leadUnit, CIVIL, "hks:AssignmentClosed"),
    "chain lead with hk:industy": (CHAIN_LEAD, HK.industy, HKC["industry/elderly-care"], "hks:ChainLeadClosed"),
    "bracket with hk:bracketNo": (BRACKET, HK.bracketNo, Literal(1), "hks:BracketClosed"),
    "deadline with hk:deadlineKnd": (DEADLINE, HK.deadlineKnd, HKC["deadline-kind/by-date"], "hks:DeadlineClosed"),
    "target with hk:targetYaer": (TARGET, HK.targetYaer, HKD["year/2021"], "hks:TargetClosed"),
    "target with hk:Value": (TARGET2, HK.Value, Literal(Decimal("1.8")), "hks:TargetClosed"),
    "agency with org:purpos": (CIVIL, ORG.purpos, HKC["function/civil-affairs"], "hks:AgencyClosed"),
    "city government with hk:citty": (GOVERNMENT, HK.citty, CITY, "hks:AgencyClosed"),
    "group with hk:groupKnd": (GROUP, HK.groupKnd, HKC["kind/county-collective"], "hks:BodyGroupClosed"),
    "city with hk:gbt2260code": (CITY, HK.gbt2260code, Literal("450200"), "hks:JurisdictionClosed"),
    "city with owl:sameAs": (CITY, URIRef("http://www.w3.org/2002/07/owl#sameAs"),
                             URIRef("http://www.wikidata.org/entity/Q0"), "hks:JurisdictionClosed"),
    "selection with oa:hasSelecter": (selection(TASK), OA.hasSelecter, quote(TASK), "hks:SelectionClosed"),
    "position selector with oa:begin": (position(TASK), OA.begin, Literal(5, datatype=XSD.nonNegativeInteger),
                                        "hks:PositionSelectorClosed"),
    "quote selector with oa:exactly": (quote(TASK), OA.exactly, Literal("1.健全"), "hks:QuoteSelectorClosed"),
    "source text with hk:contents": (SOURCE, HK.contents, Literal(TEXT), "hks:SourceTextClosed"),
    "piece with hk:pieceEnd": (piece(1), HK.pieceEnd, Literal(3, datatype=XSD.nonNegativeInteger),
                               "hks:TextPieceClosed"),
    "data set with qb:structur": (HKD["dataset/targets"], QB.structur, HKD["structure/targets"], "hks:DataSetClosed"),
    "release with dcterms:licence": (RELEASE_NODE, DCTERMS.licence, URIRef("https://creativecommons.org/licenses/by/4.0/"),
                                     "hks:ReleaseClosed"),
    "distribution with dcat:mediatype": (RELEASE_NT, DCAT.mediatype,
                                         URIRef("http://www.iana.org/assignments/media-types/application/n-triples"),
                                         "hks:DistributionClosed"),
}
SHAPE_CASES.update({case: (_add((node, predicate, value)), node, shape)
                    for case, (node, predicate, value, shape) in MISSPELT.items()})


def test_a_city_government_is_checked_as_an_agency_through_the_ontology():
    if (HK.CityGovernment, RDFS.subClassOf, HK.Agency) not in ontology():
        pytest.skip("the ontology does not make hk:CityGovernment an hk:Agency")
    g = valid_graph()
    g.remove((GOVERNMENT, ORG.classification, None))
    report = validate(g, ontology())
    assert [r.shape for r in report.shacl_results if r.focus_node == compact(GOVERNMENT)] == ["hks:Agency-kind"]
    assert validate(g, None).conforms, "without the ontology the government is no hk:Agency"


def test_every_named_shape_has_a_broken_example():
    shapes = load_shapes()
    SH = Namespace("http://www.w3.org/ns/shacl#")
    logical = {s for p in (SH["or"], SH["xone"], SH["and"], SH["not"]) for s in shapes.subjects(p, None)}
    named = {compact(s) for s in set(shapes.subjects(RDF.type, SH.PropertyShape)) | logical
             if isinstance(s, URIRef)}
    covered = {shape for _, _, shape in SHAPE_CASES.values()}
    assert named - covered == set(), f"shapes without a broken example: {sorted(named - covered)}"


def test_every_closed_shape_has_a_misspelt_predicate_example():
    shapes = load_shapes()
    SH = Namespace("http://www.w3.org/ns/shacl#")
    closed = {compact(s) for s in shapes.subjects(SH.closed, Literal(True))}
    core = {"hks:PlanClosed", "hks:SectionClosed", "hks:TaskClosed", "hks:AssignmentClosed", "hks:ChainLeadClosed",
            "hks:TargetClosed", "hks:AgencyClosed", "hks:BodyGroupClosed", "hks:JurisdictionClosed",
            "hks:SelectionClosed", "hks:PositionSelectorClosed", "hks:QuoteSelectorClosed"}
    assert core <= closed, f"core classes without a closed shape: {sorted(core - closed)}"
    covered = {shape for _, _, _, shape in MISSPELT.values()}
    assert closed - covered == set(), f"closed shapes without a misspelt example: {sorted(closed - covered)}"


@pytest.mark.parametrize("case", sorted(MISSPELT))
def test_a_misspelt_predicate_is_named_with_its_value(case):
    """The closed shape's result names the misspelt predicate as its path, and nothing else fires."""
    node, predicate, value, shape = MISSPELT[case]
    g = valid_graph()
    g.add((node, predicate, value))
    report = validate(g, ontology())
    assert [(r.focus_node, r.path, r.shape, r.component) for r in report.shacl_results] == [
        (compact(node), compact(predicate), shape, "sh:ClosedConstraintComponent")]
    assert report.shacl_results[0].value == compact(value)


@pytest.mark.parametrize("case", sorted(SHAPE_CASES))
def test_each_shape_catches_a_broken_example(case):
    mutate, focus, shape = SHAPE_CASES[case]
    g = valid_graph()
    mutate(g)
    report = validate(g, ontology())
    assert not report.conforms
    hits = [r for r in report.shacl_results if r.shape == shape and r.focus_node == compact(focus)]
    assert hits, f"{shape} did not fire on {compact(focus)}:\n{report.to_text()}"
    shapes = load_shapes()
    SH = Namespace("http://www.w3.org/ns/shacl#")
    own_message = str(shapes.value(URIRef(f"https://w3id.org/healthkg/shapes#{shape.split(':')[1]}"), SH.message))
    assert all(r.message == own_message for r in hits), "each result carries its shape's own sh:message"


@pytest.mark.parametrize("case", sorted(SHAPE_CASES))
def test_the_fast_engine_catches_every_broken_example_too(case):
    """conforms_fast (pyrudof) is the corpus build's per-plan verdict: it must fail where pySHACL fails,
    on the same focus node and shape (with the ontology merged in, as the ontology is given above)."""
    mutate, focus, shape = SHAPE_CASES[case]
    g = valid_graph()
    mutate(g)
    conforms, lines = conforms_fast(g.serialize(format="nt", encoding="utf-8"),
                                    ontology().serialize(format="nt", encoding="utf-8"))
    assert not conforms
    iri = f"https://w3id.org/healthkg/shapes#{shape.split(':')[1]}"
    assert any(line.startswith(str(focus) + " ") and f"[{iri}]" in line for line in lines), lines


def test_the_fast_engine_passes_the_valid_graphs():
    assert conforms_fast(valid_graph().serialize(format="nt", encoding="utf-8")) == (True, [])
    assert conforms_fast(RELEASE.read_bytes()) == (True, [])


def test_the_fast_engine_forgets_each_graph_after_its_verdict():
    """The context stays loaded between calls and each graph is rolled back after its verdict: a broken
    graph must not leak into the next verdict, nor a valid one hide the next graph's fault."""
    context = ontology().serialize(format="nt", encoding="utf-8")
    valid = valid_graph().serialize(format="nt", encoding="utf-8")
    broken_graph = valid_graph()
    mutate = SHAPE_CASES[sorted(SHAPE_CASES)[0]][0]
    mutate(broken_graph)
    broken = broken_graph.serialize(format="nt", encoding="utf-8")
    verdicts = [conforms_fast(graph, context)[0] for graph in (broken, valid, broken, valid)]
    assert verdicts == [False, True, False, True]
    assert conforms_fast(broken)[0] is False   # another context: reloaded, still caught


def test_every_named_shape_has_a_name_a_description_and_a_message():
    shapes = load_shapes()
    SH = Namespace("http://www.w3.org/ns/shacl#")
    named = {s for t in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, t) if isinstance(s, URIRef)}
    assert len(named) > 30
    for shape in sorted(named):
        for predicate in (SH.name, SH.description, SH.message):
            assert shapes.value(shape, predicate) is not None, f"{compact(shape)} has no {compact(predicate)}"
        assert " / " in str(shapes.value(shape, SH.message)), "messages are given in Chinese and English"


# -- every violation query catches a broken example -----------------------------------------------

def _retarget_span(node: URIRef, start: int, end: int):
    def mutate(g: Graph) -> None:
        g.set((position(node), OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.set((position(node), OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    return mutate


def _context(node: URIRef, prefix: str, suffix: str):
    def mutate(g: Graph) -> None:
        g.set((quote(node), OA.prefix, Literal(prefix)))
        g.set((quote(node), OA.suffix, Literal(suffix)))
    return mutate


# 市民政局 is written twice: the lead's quote (the second) needs context; these are the first one's.
_FIRST_CIVIL = span("市民政局", 0)
_FIRST_CONTEXT = (TEXT[_FIRST_CIVIL[0] - 1:_FIRST_CIVIL[0]], TEXT[_FIRST_CIVIL[1]:_FIRST_CIVIL[1] + 1])


def _drop_lead(g: Graph) -> None:
    g.remove((TASK, HK.leadUnit, None))
    g.remove((TASK, HK.hasAssignment, LEAD))
    g.remove((LEAD, None, None))


def _duplicate_assignment(g: Graph) -> None:
    second = URIRef(f"{TASK}/cooperating/2")
    add_assignment(g, TASK, second, HEALTH, "cooperating", 2, "市卫生健康委")


def _unit_of_other_city(g: Graph) -> None:
    g.set((HEALTH, HK.city, OTHER_CITY))


def _collective_of_other_city(g: Graph) -> None:
    collective = HKD["agency/othercity-county-governments"]
    add_agency(g, collective, "各县区人民政府", "County and district governments (all)", "county-collective",
               "local-government", OTHER_CITY)
    g.add((TASK, HK.cooperatingUnit, collective))
    add_assignment(g, TASK, URIRef(f"{TASK}/cooperating/2"), collective, "cooperating", 2, "市卫生健康委")


def _year(target: URIRef, predicate: URIRef, year: int):
    """The target's year (or inferred year) set to a year concept of the period code list."""
    def mutate(g: Graph) -> None:
        concept = HKD[f"year/{year}"]
        add_concept(g, concept, "period")
        g.add((concept, SKOS.notation, Literal(str(year))))
        g.set((target, predicate, concept))
    return mutate


TARGETS = HKD["dataset/targets"]
STRUCTURE = HKD["structure/targets"]


def _duplicate_observation(g: Graph) -> None:
    """A second observation of TARGET's statement, with its area, year and indicator and another value."""
    twin = HKD["plan/testcity-2019-1/target/s1.1-t1-g2"]
    for _, p, o in list(g.triples((TARGET, None, None))):
        if p != HK.value:
            g.add((twin, p, o))
    g.add((twin, HK.value, Literal(Decimal("4"), datatype=XSD.decimal)))


# Offsets counted in UTF-16 code units (as JavaScript counts) are one too far after "𠀀".
_START16 = len(TEXT[: span("2.建设健康小镇。")[0]].encode("utf-16-le")) // 2

QUERY_CASES = {
    # query name: {sub-case: (mutation, a resource that must appear in a returned row)}
    "span-mismatch": {
        "offsets shifted by one": (_retarget_span(TASK2, *[x + 1 for x in span("2.建设健康小镇。")]),
                                   selection(TASK2)),
        "UTF-16 offsets": (_retarget_span(TASK2, _START16, _START16 + len("2.建设健康小镇。")), selection(TASK2)),
        "quote edited": (_set(quote(TARGET), OA.exact, Literal("到2021年建成4个养老服务示范机构")), selection(TARGET)),
        "end past the text": (_retarget_span(CHAIN_LEAD, len(TEXT) - 2, len(TEXT) + 5), selection(CHAIN_LEAD)),
        "start after end": (_retarget_span(LEAD, 20, 10), selection(LEAD)),
        "no context for a quote written twice": (_context(LEAD, "", ""), selection(LEAD)),
        "the context of the other occurrence": (_context(LEAD, *_FIRST_CONTEXT), selection(LEAD)),
        "a prefix that is not the text before": (_context(LEAD, "乙", "负"), selection(LEAD)),
        "no prefix": (_drop((quote(LEAD), OA.prefix, None)), selection(LEAD)),
        "no suffix": (_drop((quote(TASK2), OA.suffix, None)), selection(TASK2)),
        "the piece of another span": (_set(position(TASK2), HK.inPiece, piece(1)), selection(TASK2)),
        "no piece": (_drop((position(TASK2), HK.inPiece, None)), selection(TASK2)),
        "a piece's text edited": (_set(piece(piece_number(TASK2)), HK.content, Literal("2.建设健康小城。\n")),
                                  selection(TASK2)),
        "a piece's start shifted": (_set(piece(piece_number(TASK2)), HK.pieceStart,
                                         Literal(span("2.建设健康小镇。")[0] - 1, datatype=XSD.nonNegativeInteger)),
                                    selection(TASK2)),
    },
    "task-without-lead": {
        "bracket lost": (_drop_lead, TASK),
        "flag lost": (_drop((TASK2, HK.flag, None)), TASK2),
    },
    "agency-of-other-city": {
        "cooperating unit of another city": (_unit_of_other_city, HEALTH),
        "collective of another city": (_collective_of_other_city, HKD["agency/othercity-county-governments"]),
        "unit without city": (_drop((CIVIL, HK.city, None)), CIVIL),
    },
    "target-without-unit": {
        "no unit": (_drop((TARGET, HK.unit, None)), TARGET),
        "empty unit": (_set(TARGET2, HK.unit, Literal("")), TARGET2),
    },
    "assignment-shortcut-mismatch": {
        "lead shortcut without assignment": (_add((TASK, HK.leadUnit, HEALTH)), HEALTH),
        "cooperating assignment without shortcut": (_drop((TASK, HK.cooperatingUnit, HEALTH)), HEALTH),
        "assignment in the other role": (_set(LEAD, HK.role, HKC["role/cooperating"]), CIVIL),
    },
    "agency-without-function": {
        "no purpose": (_drop((HEALTH, ORG.purpose, None)), HEALTH),
        "purpose outside the function scheme": (_set(HEALTH, ORG.purpose, HKC["kind/other"]), HEALTH),
    },
    "duplicate-assignment": {
        "same body twice as cooperating": (_duplicate_assignment, HEALTH),
    },
    "task-in-two-sections": {
        "two sibling sections": (_add((TASK, HK.partOf, S3)), TASK),
    },
    "selection-of-other-plan": {
        "task cites another text": (_set(selection(TASK2), OA.hasSource, HKD["plan/other/text"]), TASK2),
        "chain lead cites another text": (_set(selection(CHAIN_LEAD), OA.hasSource, HKD["plan/other/text"]),
                                          CHAIN_LEAD),
        "assignment cites another text": (_set(selection(COOP), OA.hasSource, HKD["plan/other/text"]), COOP),
        "target cites another text": (_set(selection(TARGET), OA.hasSource, HKD["plan/other/text"]), TARGET),
    },
    "target-range-inverted": {
        "upper below lower": (_add((TARGET, HK.valueMax, Literal(Decimal("2")))), TARGET),
    },
    # the RDF Data Cube integrity constraints on the targets cube
    "cube-ic01-unique-data-set": {
        "observation without data set": (_drop((TARGET, QB.dataSet, None)), TARGET),
        "observation in two data sets": (_add((TARGET2, QB.dataSet, HKD["plan/testcity-2019-1/targets"])), TARGET2),
    },
    "cube-ic02-unique-structure": {
        "data set without structure": (_drop((TARGETS, QB.structure, None)), TARGETS),
        "data set with two structures": (_add((TARGETS, QB.structure, HKD["structure/other"]),
                                              (HKD["structure/other"], RDF.type, QB.DataStructureDefinition)), TARGETS),
    },
    "cube-ic03-structure-has-measure": {
        "value not declared a measure": (_drop((HK.value, RDF.type, QB.MeasureProperty)), STRUCTURE),
    },
    "cube-ic04-dimension-range": {
        "indicator without range": (_drop((HK.indicator, RDFS.range, None)), HK.indicator),
    },
    "cube-ic05-concept-dimension-code-list": {
        "period without code list": (_drop((HK.targetYear, QB.codeList, None)), HK.targetYear),
    },
    "cube-ic06-only-attributes-optional": {
        "optional dimension": (_set(HKD["structure/targets/statedIn"], QB.componentRequired, Literal(False)),
                               HKD["structure/targets/statedIn"]),
    },
    "cube-ic11-all-dimensions-required": {
        "observation without a year (nor no-year)": (_drop((TARGET2, HK.targetYear, None)), TARGET2),
        "observation without area": (_drop((TARGET, HK.city, None)), TARGET),
    },
    "cube-ic12-no-duplicate-observations": {
        "two observations of one key": (_duplicate_observation, TARGET),
    },
    "cube-ic13-required-attributes": {
        "observation without comparator": (_drop((TARGET, HK.comparator, None)), TARGET),
    },
    "cube-ic14-all-measures-present": {
        "observation without value": (_drop((TARGET2, HK.value, None)), TARGET2),
    },
    "target-year-outside-period": {
        "2050 in a 2019-2022 plan": (_year(TARGET, HK.targetYear, 2050), TARGET),
        "a goal due long before the period": (_year(TARGET2, HK.targetYear, 2010), TARGET2),
        "an inferred year far after the period": (_year(TARGET2, HK.inferredTargetYear, 2040), TARGET2),
    },
    "cube-ic19-codes-from-code-list": {
        "indicator outside its code list": (_set(TARGET, HK.indicator, HKC["function/health"]), TARGET),
        "year outside the period list": (_set(TARGET2, HK.targetYear, HKD["year/1999"]), TARGET2),
    },
}
QUERY_SUB_CASES = sorted((q, c) for q, cases in QUERY_CASES.items() for c in cases)


def test_every_violation_query_has_broken_examples():
    assert sorted(QUERY_CASES) == sorted(violation_queries()), "add a sub-case for each new query"


@pytest.mark.parametrize("name", sorted(violation_queries()))
def test_each_query_opens_with_its_contract(name):
    text = (QUERIES_DIR / f"{name}-violation.rq").read_text(encoding="utf-8")
    head = [line for line in text.splitlines() if line.startswith("#")]
    assert text.startswith("# 检查：")
    assert any(line.startswith("# Check:") for line in head)
    assert any("returns zero rows" in line for line in head)
    assert any(line.startswith("# A returned row") for line in head)
    assert "SELECT" in text


@pytest.mark.parametrize(("query", "case"), QUERY_SUB_CASES)
def test_each_query_catches_a_broken_example(query, case):
    mutate, culprit = QUERY_CASES[query][case]
    g = valid_graph()
    mutate(g)
    report = validate(g, ontology(), shapes=Graph())  # queries only: no shape
    rows = report.query_rows
    assert rows[query], f"{query} returned no row for '{case}'"
    assert any(compact(culprit) in row.values() for row in rows[query]), rows[query]
    assert report.shacl_conforms and not report.conforms


@pytest.mark.parametrize("year", [2014, 2019, 2022, 2035, 2037])
def test_a_target_within_the_plans_horizon_passes(year):
    """A 2019-2022 plan: a baseline year up to 5 years before (2014), the period itself, and a long-range
    goal up to 15 years after it (到2035年, as plans of the genre write) are all of the plan."""
    g = valid_graph()
    _year(TARGET, HK.targetYear, year)(g)
    assert validate(g, ontology(), shapes=Graph()).query_rows["target-year-outside-period"] == []


@pytest.mark.parametrize("year", [2013, 2038])
def test_a_target_beyond_the_plans_horizon_is_flagged(year):
    g = valid_graph()
    _year(TARGET, HK.targetYear, year)(g)
    assert validate(g, ontology(), shapes=Graph()).query_rows["target-year-outside-period"]


def test_a_plan_that_states_no_period_is_not_checked():
    g = valid_graph()
    _year(TARGET, HK.targetYear, 2050)(g)
    assert validate(g, ontology(), shapes=Graph()).query_rows["target-year-outside-period"]
    g.remove((PLAN, HK.period, None))
    report = validate(g, ontology())
    assert report.query_rows["target-year-outside-period"] == []
    assert report.conforms, report.to_text()


# -- the same answers on Oxigraph -----------------------------------------------------------------

def _oxigraph_store(g: Graph):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    store = pyoxigraph.Store()
    store.load(g.serialize(format="nt").encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


@lru_cache(maxsize=None)
def _real_oxigraph_store():
    return _oxigraph_store(real_graph())


def _oxigraph_rows(g, text: str) -> list[tuple[str, ...]]:
    """The rows of a query run by Oxigraph on a graph (or a store), written as compact() writes them."""
    pyoxigraph = pytest.importorskip("pyoxigraph")
    store = g if isinstance(g, pyoxigraph.Store) else _oxigraph_store(g)
    result = store.query(text)
    variables = [v.value for v in result.variables]

    def term(x):
        if x is None:
            return None
        if isinstance(x, pyoxigraph.NamedNode):
            return URIRef(x.value)
        if isinstance(x, pyoxigraph.BlankNode):
            return BNode(x.value)
        if x.language:
            return Literal(x.value, lang=x.language)
        return Literal(x.value, datatype=None if x.datatype.value == str(XSD.string) else URIRef(x.datatype.value))

    return sorted(tuple(compact(term(solution[v])) for v in variables) for solution in result)


@pytest.mark.parametrize(("query", "case"), QUERY_SUB_CASES + [(q, None) for q in sorted(QUERY_CASES)])
def test_queries_agree_on_rdflib_and_oxigraph(query, case):
    g = valid_graph()
    if case is not None:
        QUERY_CASES[query][case][0](g)
    text = violation_queries()[query]
    rdflib_rows = [tuple(row) for row in validate(g, None, shapes=Graph(), queries={query: text}).query_results[0].rows]
    assert _oxigraph_rows(g, text) == rdflib_rows
    assert bool(rdflib_rows) == (case is not None)


# -- reports --------------------------------------------------------------------------------------

def _broken_graph() -> Graph:
    g = valid_graph()
    _duplicate_assignment(g)
    g.remove((CIVIL, ORG.classification, None))
    _set(quote(TARGET), OA.exact, Literal("到2021年建成4个养老服务示范机构"))(g)
    return g


def test_reports_are_deterministic_and_name_every_violation():
    first = validate(_broken_graph(), ontology())
    shuffled = Graph()
    for triple in sorted(_broken_graph(), key=lambda t: tuple(reversed([str(x) for x in t]))):
        shuffled.add(triple)
    second = validate(shuffled, ontology())
    assert first.to_text() == second.to_text()
    assert first.to_markdown() == second.to_markdown()
    assert not first.conforms
    assert first.shacl_results == sorted(first.shacl_results)

    with pytest.raises(ValidationFailed) as raised:
        first.raise_if_failed()
    message = str(raised.value)
    assert raised.value.report is first
    assert "duplicate-assignment" in message and compact(HEALTH) in message
    assert "span-mismatch" in message and compact(selection(TARGET)) in message
    assert compact(CIVIL) in message and "org:classification" in message and "hks:Agency-kind" in message

    text, markdown = first.to_text(), first.to_markdown()
    for needle in ("duplicate-assignment", "span-mismatch", "hks:Agency-kind", compact(CIVIL)):
        assert needle in text and needle in markdown
    assert markdown.startswith("# healthkg validation report")
    assert "| focus node | path | value | message | shape |" in markdown


def test_a_conforming_report_says_so():
    report = validate(valid_graph(), ontology())
    assert isinstance(report, ValidationReport)
    assert "conforms" in report.to_text().splitlines()[0]
    assert "No SHACL result" in report.to_markdown()
    assert all(rows == [] for rows in report.query_rows.values())


# -- the real graph of both plans -----------------------------------------------------------------

@lru_cache(maxsize=None)
def real_graph() -> Graph:
    from healthkg.graph.extract.decode import read_text
    from healthkg.graph.rdf.build import build_graph

    plans, texts = [], {}
    for path in (LAIBIN, LIUZHOU):
        records = extract_records(path)
        plans.append(records)
        texts[records["plan"]["id"]] = read_text(path, records["plan"]["encoding"])[0]
    return build_graph(plans, texts)


def test_violation_queries_find_nothing_on_the_real_graph():
    report = validate(real_graph(), ontology(), shapes=Graph())
    assert report.query_results and all(q.passed for q in report.query_results), report.to_text()


def test_the_real_graph_has_spans_to_check():
    """The span query must have something to compare: every selection's source has its text."""
    g = real_graph()
    sources = set(g.objects(None, OA.hasSource))
    assert sources and all(g.value(piece_node, HK.content) is not None
                           for s in sources for piece_node in g.subjects(HK.pieceOf, s))
    assert all(any(True for _ in g.subjects(HK.pieceOf, s)) for s in sources)
    assert len(set(g.subjects(OA.exact, None))) > 500


@pytest.mark.parametrize("query", sorted(QUERY_CASES))
def test_violation_queries_find_nothing_on_the_real_graph_on_oxigraph(query):
    assert _oxigraph_rows(_real_oxigraph_store(), violation_queries()[query]) == []
