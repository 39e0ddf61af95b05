"""Per-plan summaries materialised at build time, as RDF Data Cube observations (ontology/MODEL.md, "Summaries").

The counting questions over a corpus (coordinating-load, chain-coverage, plan-overview) sum these instead of
scanning every assignment and task: each plan's counts are written with the plan, so a corpus build adds them
per plan as it adds the plan's triples. Four data sets, each with its own structure (a Data Cube data set has
one, and every observation carries every dimension of it):
  assignments  plan x body x role: the distinct tasks on which the body is written in that role (hk:taskCount)
               and, of those, the ones on which it is also written in the other role (hk:bothRolesCount)
  elements     plan x chain element: the tasks placed in that element (hk:taskCount)
  industries   plan x industry: the tasks of that industry (hk:taskCount)
  indicators   plan x indicator: the targets of that indicator (hk:targetCount)
"""
from rdflib import Literal, URIRef
from rdflib.namespace import QB, RDF, RDFS, SKOS, XSD

from healthkg.graph.rdf.triples import Triples
from healthkg.graph.rdf.vocab import HK, HKC, HKD

DIMENSION, MEASURE = QB.DimensionProperty, QB.MeasureProperty
COMPONENT_PREDICATES = {QB.DimensionProperty: QB.dimension, QB.MeasureProperty: QB.measure,
                        QB.AttributeProperty: QB.attribute}
PLAN = (HK.summaryPlan, DIMENSION, HK.Plan, None, None, True)
TASKS = (HK.taskCount, MEASURE, XSD.integer, None, None, True)
# name: (labels zh and en, components as build.CUBE_COMPONENTS: property, kind, range, code list, SDMX concept,
# required)
SUMMARIES = {
    "assignments": (("各规划各单位按角色的任务数", "Tasks per plan, body and role"), (
        PLAN,
        (HK.summaryBody, DIMENSION, HK.ResponsibleParty, None, None, True),
        (HK.summaryRole, DIMENSION, SKOS.Concept, HKC["scheme/role"], None, True),
        TASKS,
        (HK.bothRolesCount, MEASURE, XSD.integer, None, None, True))),
    "elements": (("各规划各产业链要素的任务数", "Tasks per plan and chain element"), (
        PLAN, (HK.summaryElement, DIMENSION, SKOS.Concept, HKC["scheme/element"], None, True), TASKS)),
    "industries": (("各规划各健康产业的任务数", "Tasks per plan and industry"), (
        PLAN, (HK.summaryIndustry, DIMENSION, SKOS.Concept, HKC["scheme/industry"], None, True), TASKS)),
    "indicators": (("各规划各指标的量化目标数", "Targets per plan and indicator"), (
        PLAN, (HK.summaryIndicator, DIMENSION, SKOS.Concept, HKC["scheme/indicator"], None, True),
        (HK.targetCount, MEASURE, XSD.integer, None, None, True))),
}


def add_structure(graph: Triples, dataset: URIRef, structure: URIRef, labels: tuple[str, str],
                  structure_labels: tuple[str, str], components) -> None:
    """A data set and its data structure definition, with the component properties' types, ranges and code
    lists (the Data Cube integrity constraints read them from the data)."""
    graph.add((dataset, RDF.type, QB.DataSet))
    for predicate_node, (zh, en) in ((dataset, labels), (structure, structure_labels)):
        graph.add((predicate_node, RDFS.label, Literal(zh, lang="zh")))
        graph.add((predicate_node, RDFS.label, Literal(en, lang="en")))
    graph.add((dataset, QB.structure, structure))
    graph.add((structure, RDF.type, QB.DataStructureDefinition))
    for order, (prop, kind, range_, code_list, concept, required) in enumerate(components, 1):
        spec = URIRef(f"{structure}/{str(prop).rsplit('#', 1)[-1]}")
        graph.add((structure, QB.component, spec))
        graph.add((spec, RDF.type, QB.ComponentSpecification))
        graph.add((spec, COMPONENT_PREDICATES[kind], prop))
        graph.add((spec, QB.componentProperty, prop))       # the spec's normalised form (section 10)
        graph.add((spec, QB.order, Literal(order, datatype=XSD.integer)))
        graph.add((spec, QB.componentRequired, Literal(required)))
        graph.add((prop, RDF.type, kind))
        if range_ is not None:
            graph.add((prop, RDFS.range, range_))
        if code_list is not None:
            graph.add((prop, QB.codeList, code_list))
        if concept is not None:
            graph.add((prop, QB.concept, concept))


def dataset(name: str) -> URIRef:
    return HKD[f"dataset/summary/{name}"]


def add_summary_structures(graph: Triples) -> None:
    for name, ((zh, en), components) in SUMMARIES.items():
        add_structure(graph, dataset(name), HKD[f"structure/summary/{name}"], (zh, en),
                      (f"{zh}数据结构", f"Structure of: {en}"), components)


def _tail(node: URIRef) -> str:
    return str(node).rsplit("/", 1)[-1]


class PlanSummaries:
    """One plan's counts, gathered as its tasks and targets are written, then written as observations."""

    def __init__(self, plan: URIRef):
        self.plan = plan
        self.roles: dict[tuple[URIRef, str], set[str]] = {}       # (body, role) -> tasks
        self.elements: dict[URIRef, set[str]] = {}
        self.industries: dict[URIRef, set[str]] = {}
        self.indicators: dict[URIRef, int] = {}

    def task(self, task: str, industry: URIRef, elements, bodies_by_role: dict[str, list[URIRef]]) -> None:
        self.industries.setdefault(industry, set()).add(task)
        for element in elements:
            self.elements.setdefault(element, set()).add(task)
        for role, bodies in bodies_by_role.items():
            for body in bodies:
                self.roles.setdefault((body, role), set()).add(task)

    def target(self, indicator: URIRef) -> None:
        self.indicators[indicator] = self.indicators.get(indicator, 0) + 1

    def triples(self):
        other = {"lead": "cooperating", "cooperating": "lead"}
        for (body, role), tasks in self.roles.items():
            both = tasks & self.roles.get((body, other[role]), set())
            yield from self._observation("assignments", f"{_tail(body)}/{role}",
                                         {HK.summaryBody: body, HK.summaryRole: HKC[f"role/{role}"]},
                                         {HK.taskCount: len(tasks), HK.bothRolesCount: len(both)})
        for name, prop, counts in (("elements", HK.summaryElement, self.elements),
                                   ("industries", HK.summaryIndustry, self.industries)):
            for concept, tasks in counts.items():
                yield from self._observation(name, _tail(concept), {prop: concept}, {HK.taskCount: len(tasks)})
        for indicator, count in self.indicators.items():
            yield from self._observation("indicators", _tail(indicator), {HK.summaryIndicator: indicator},
                                         {HK.targetCount: count})

    def _observation(self, name: str, key: str, dimensions: dict, measures: dict):
        node = URIRef(f"{self.plan}/summary/{name}/{key}")
        yield node, RDF.type, QB.Observation
        yield node, QB.dataSet, dataset(name)
        yield node, HK.summaryPlan, self.plan
        for prop, value in dimensions.items():
            yield node, prop, value
        for prop, value in measures.items():
            yield node, prop, Literal(value, datatype=XSD.integer)
