"""Records -> RDF triples with stable ASCII IRIs and character-exact provenance (see ontology/MODEL.md).

The same records always give the same triples; IRIs are built from the plan id and each record's own
id, so editing one plan never renumbers another's resources.
"""
import bisect
import hashlib
import re
from decimal import Decimal
from functools import lru_cache
from importlib import metadata

from pypinyin import lazy_pinyin
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

from healthkg.graph.extract import agencies, chain, jurisdictions, tables
from healthkg.graph.rdf.summaries import PlanSummaries, add_structure, add_summary_structures
from healthkg.graph.rdf.triples import Triples, TripleSet
from healthkg.graph.rdf.vocab import (
    ELI,
    HK,
    HKC,
    HKD,
    OA,
    PPLAN,
    PREFIXES,
    QUDT_UNIT,
    SDMX_ATTRIBUTE,
    SDMX_CONCEPT,
    SPDX,
)

ONTOLOGY_VERSION = URIRef("https://w3id.org/healthkg/ontology/0.1.0")
# The release's licence (the plans themselves are official documents, outside copyright under article 5 of
# the PRC Copyright Law; the licence covers the graph: the records, their alignment and the links).
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
# What the release holds, for a catalogue (dcterms:description); no figure in it, so it stays true as plans are added.
RELEASE_DESCRIPTION = {
    "zh": "中国市级大健康产业发展规划（实施方案、行动计划）的知识图谱：规划、章节、重点任务，牵头与配合单位及其职能，"
          "产业链要素（医养管食游动），量化目标（RDF Data Cube），产业链牵头部门；每项事实逐字定位到规划原文。",
    "en": "A knowledge graph of Chinese municipal big-health industry plans: plans, sections, tasks, the lead and "
          "co-operating bodies with their functions, the industry-chain elements (医养管食游动), the quantified "
          "targets (an RDF Data Cube) and the industry-chain leads; every fact traced to its span of the plan's text.",
}
MEDIA_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
IANA = "http://www.iana.org/assignments/media-types/"
CHINESE = URIRef("http://publications.europa.eu/resource/authority/language/ZHO")
# A body of the Party committee (市委宣传部, 市委网信办, 中共…委): no part of the people's government.
PARTY_ORGAN = re.compile(r"^中共|(?:市|省|县|区|州|盟)委(?!员会)")
ROLES = {"lead": ("牵头单位", "Lead unit"), "cooperating": ("配合单位", "Co-operating unit"),
         "industry-lead": ("产业牵头部门", "Industry-chain lead"),
         "overall-coordination": ("综合统筹", "Overall coordination"),
         "joint-meeting-office": ("联席会议办公室", "Joint-meeting office host")}
DEADLINE_KINDS = {"by-date": ("限期完成", "By a date"), "ongoing": ("持续推进", "Ongoing"),
                  "recurring": ("定期", "Recurring")}
# How often a recurring deadline comes round (每年, 每季度 …), as an OWL-Time duration: (number, unit).
RECURRENCES = (("每季度", 3, "unitMonth"), ("每个季度", 3, "unitMonth"), ("每半年", 6, "unitMonth"),
               ("每月", 1, "unitMonth"), ("每两年", 2, "unitYear"), ("每三年", 3, "unitYear"),
               ("每年", 1, "unitYear"), ("年度", 1, "unitYear"))


# The class of the plan's jurisdiction and of its government, by jurisdiction type.
JURISDICTION_CLASSES = {"city": HK.City, "province": HK.Province, "country": HK.Country, "county": HK.County}
GOVERNMENTS = {"city": (HK.CityGovernment, "city-government", "{place} People's Government"),
               "province": (HK.Government, "provincial-government", "{place} People's Government"),
               "country": (HK.Government, "central-government", "State Council"),
               "county": (HK.Government, "county-government", "{place} County People's Government")}


# The targets cube (RDF Data Cube): one data set across plans and cities, its structure, and the period
# concept for a target whose text names no year (a dimension may not be left out: IC-11).
TARGETS = HKD["dataset/targets"]
TARGETS_STRUCTURE = HKD["structure/targets"]
NO_YEAR = HKC["period/no-year"]
# Its components: (property, component kind, rdfs:range, code list, SDMX concept, required). The key of an
# observation is area x period x indicator x statement: two targets of one indicator, place and year that a
# plan states in two places (the goals part says 1个以上, a task 1家) stay two observations, each keyed by
# the span of text that first states it (hk:statedIn); see ontology/MODEL.md, "The targets cube".
CUBE_COMPONENTS = (
    (HK.city, QB.DimensionProperty, HK.Jurisdiction, None, SDMX_CONCEPT.refArea, True),
    (HK.targetYear, QB.DimensionProperty, SKOS.Concept, HKC["scheme/period"], SDMX_CONCEPT.refPeriod, True),
    (HK.indicator, QB.DimensionProperty, SKOS.Concept, HKC["scheme/indicator"], None, True),
    (HK.statedIn, QB.DimensionProperty, OA.SpecificResource, None, None, True),
    (HK.value, QB.MeasureProperty, XSD.decimal, None, SDMX_CONCEPT.obsValue, True),
    (HK.unit, QB.AttributeProperty, XSD.string, None, None, True),
    (HK.quantityKind, QB.AttributeProperty, XSD.string, None, None, True),
    (HK.comparator, QB.AttributeProperty, None, None, None, True),
    (SDMX_ATTRIBUTE.unitMeasure, QB.AttributeProperty, None, None, SDMX_CONCEPT.unitMeasure, False),
    (HK.valueMax, QB.AttributeProperty, XSD.decimal, None, None, False),
    (HK.per, QB.AttributeProperty, XSD.string, None, None, False),
    (HK.inferredTargetYear, QB.AttributeProperty, SKOS.Concept, HKC["scheme/period"], None, False),
)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def indicator_slug(name: str) -> str:
    """A readable, collision-free ASCII key for an indicator named only in Chinese."""
    return f"{agencies.slug(name)[:40]}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"


GENERATED_LABEL_NOTE = ("The English label is generated: the pinyin of the Chinese name, not a translation "
                        "(no curated English name in graph/data/indicators.tsv).")


def generated_indicator_label(name: str) -> str:
    """An English label for an indicator named only in Chinese, marked as generated: its pinyin."""
    return f"Indicator (pinyin): {' '.join(lazy_pinyin(name))}"


@lru_cache(maxsize=None)
def unit_codes() -> dict[str, str]:
    """Unit as written -> its QUDT unit code (data/unit_codes.tsv)."""
    return {row["unit"]: row["qudt"] for row in tables.read_tsv("unit_codes.tsv")}


@lru_cache(maxsize=None)
def area_codes() -> dict[str, str]:
    """Jurisdiction's Chinese name -> its GB/T 2260 code (data/area_codes.tsv)."""
    return {row["zh"]: row["code"] for row in tables.read_tsv("area_codes.tsv")}


def indicator_iri(target: dict) -> URIRef:
    return HKC[f"indicator/{target['indicator_id'] or indicator_slug(target['indicator'])}"]


def quote_positions(text: str, quote: str) -> list[int]:
    """Every offset at which `quote` occurs in `text`, overlapping occurrences included (an empty quote
    occurs at every offset)."""
    positions, found = [], text.find(quote)
    while found != -1:
        positions.append(found)
        found = text.find(quote, found + 1)
    return positions


# The most context a quote selector is given: a passage repeated word for word needs as much context as it is
# long (a generated plan repeats whole paragraphs); past this, the position selector tells the copies apart.
# The bundled plans need at most 29 characters.
CONTEXT_CAP = 200


def context_lengths(text: str, quote: str, positions: list[int]) -> dict[int, int]:
    """For every occurrence of `quote` (at `positions`), the smallest k >= 0 at which the k characters
    before and after it (fewer at the text's ends) occur around no other occurrence: the oa:prefix and
    oa:suffix length that makes its quote selector select it alone (k = 0 when the quote occurs once).

    All occurrences of one quote at once, by partition refinement: occurrences grouped by the context read
    so far, each group split by the next character on either side; an occurrence is done when its group is
    itself alone. The cost is the sum of the context lengths, however often a passage repeats; at most
    CONTEXT_CAP characters each side."""
    length, size = len(quote), len(text)
    lengths: dict[int, int] = {}
    groups, k = [list(positions)], 0
    while groups:
        split: list[list[int]] = []
        for group in groups:
            if len(group) == 1 or k == CONTEXT_CAP:
                lengths.update({at: k for at in group})
                continue
            buckets: dict[tuple, list[int]] = {}
            for at in group:
                before = text[at - k - 1] if at - k - 1 >= 0 else None
                after = text[at + length + k] if at + length + k < size else None
                buckets.setdefault((before, after), []).append(at)
            if len(buckets) == 1 and (None, None) in buckets:     # the whole text around: nothing tells them apart
                lengths.update({at: k for at in group})
                continue
            split.extend(buckets.values())
        groups, k = split, k + 1
    # The text's end told apart as if it were a character: a context cut short there (a quote near the start or
    # end of the text) can still occur inside a longer context elsewhere. Only those are counted again and grown.
    for at, k in lengths.items():
        if at - k >= 0 and at + length + k <= size:      # not cut short: another character told it apart
            continue
        while k < CONTEXT_CAP and (at - k > 0 or at + length + k < size) and _occurs_twice(
                text, text[max(0, at - k):at + length + k]):
            k += 1
        lengths[at] = k
    return lengths


def _occurs_twice(text: str, needle: str) -> bool:
    first = text.find(needle)
    return first != -1 and text.find(needle, first + 1) != -1


LINE_END = re.compile("\n")


def text_pieces(text: str, spans) -> list[tuple[int, int]]:
    """The text cut into pieces, (start, end) in order, that concatenate to it: a cut after every line end
    (a paragraph of a plan is a line), except where it would fall strictly inside one of `spans` ((lo, hi)
    pairs: a selector's context, prefix + quote + suffix), so that every span lies within one piece."""
    merged: list[list[int]] = []
    for lo, hi in sorted(spans):
        if merged and lo < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    lows = [lo for lo, _ in merged]
    starts = [0]
    for match in LINE_END.finditer(text):
        cut = match.end()
        inside = bisect.bisect_left(lows, cut) - 1      # the last merged span starting before the cut
        if cut < len(text) and not (inside >= 0 and merged[inside][1] > cut):
            starts.append(cut)
    return list(zip(starts, starts[1:] + [len(text)]))


def piece_of(pieces: list[tuple[int, int]], lo: int, hi: int) -> int:
    """The index of the piece that holds [lo, hi) (text_pieces made one); ValueError when none does."""
    index = bisect.bisect_right([start for start, _ in pieces], lo) - 1
    if index < 0 or hi > pieces[index][1]:
        raise ValueError(f"no piece holds the span [{lo}, {hi})")
    return index


def unique_context(text: str, start: int, end: int, positions: list[int] | None = None) -> tuple[str, str]:
    """The quote selector's oa:prefix and oa:suffix for text[start:end] (see context_lengths)."""
    quote = text[start:end]
    k = context_lengths(text, quote, quote_positions(text, quote) if positions is None else positions)[start]
    return text[max(0, start - k):start], text[end:end + k]


def build_graph(plans: list[dict], texts: dict[str, str] | None = None) -> Graph:
    """The data graph of these plans plus the concept schemes they use. `texts` maps plan id to its
    source text, stored on the plan's hk:SourceText so spans can be checked inside the store."""
    return build_triples(plans, texts).to_graph()


def build_triples(plans: list[dict], texts: dict[str, str] | None = None) -> TripleSet:
    """The same triples as build_graph, as a plain set: the build writes, reasons over and serialises
    them but never queries them by pattern."""
    texts = texts or {}
    triples = TripleSet(namespaces=PREFIXES)
    add_concept_schemes(triples)
    for records in plans:
        PlanWriter(triples, records, texts.get(records["plan"]["id"])).write()
    describe_release(triples, {records["plan"]["id"]: text_sha256(texts[records["plan"]["id"]])
                               for records in plans if records["plan"]["id"] in texts})
    return triples


def software_version() -> str:
    """The installed healthkg's version (its package metadata), as the build's provenance names it."""
    try:
        return metadata.version("healthkg")
    except metadata.PackageNotFoundError:
        raise RuntimeError("healthkg is not installed (pip install -e .): its version, which the release's "
                           "provenance names, comes from the package metadata") from None


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def describe_release(graph: Triples, inputs: dict[str, str]) -> None:
    """DCAT and PROV for the release: a dcat:Dataset with its licence and its three files, generated by one
    extraction run that used every plan's text (each with its SHA-256) and this version of the software and
    the ontology. No time is written: the same inputs must give byte-identical files, so the run is named by
    what identifies it, the hash of the software version and of its inputs. `inputs`: plan id -> the SHA-256
    of its text (text_sha256), as the main job and a corpus build both know it."""
    version = software_version()
    identity = hashlib.sha256("\n".join([version, str(ONTOLOGY_VERSION)] + sorted(inputs.values()))
                              .encode("utf-8")).hexdigest()
    release, run, software = HKD["release"], HKD[f"release/run/{identity[:16]}"], HKD[f"software/healthkg/{version}"]
    graph.add((release, RDF.type, DCAT.Dataset))
    _labels(graph, release, "大健康产业政策规划知识图谱",
            "healthkg: municipal big-health industry plans as a knowledge graph", DCTERMS.title)
    _labels(graph, release, RELEASE_DESCRIPTION["zh"], RELEASE_DESCRIPTION["en"], DCTERMS.description)
    graph.add((release, DCTERMS.license, LICENCE))
    graph.add((release, DCTERMS.conformsTo, ONTOLOGY_VERSION))
    graph.add((release, PROV.wasGeneratedBy, run))
    for extension, media_type in MEDIA_TYPES.items():
        distribution = HKD[f"release/{extension}"]
        graph.add((release, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(f"healthkg.{extension}")))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))
        graph.add((distribution, DCTERMS.license, LICENCE))
    graph.add((run, RDF.type, PROV.Activity))
    graph.add((run, RDFS.label, Literal(f"healthkg {version} extraction run", lang="en")))
    graph.add((run, PROV.wasAssociatedWith, software))
    graph.add((run, PROV.used, ONTOLOGY_VERSION))
    for plan_id in inputs:
        graph.add((run, PROV.used, HKD[f"plan/{plan_id}/text"]))
    graph.add((software, RDF.type, PROV.SoftwareAgent))
    graph.add((software, RDFS.label, Literal(f"healthkg {version}")))
    graph.add((software, OWL.versionInfo, Literal(version)))


def _labels(graph: Triples, node, zh: str | None, en: str | None, predicate=RDFS.label) -> None:
    if zh:
        graph.add((node, predicate, Literal(zh, lang="zh")))
    if en:
        graph.add((node, predicate, Literal(en, lang="en")))


def _concept(graph: Triples, scheme: str, key: str, zh: str, en: str, notation: str | None = None) -> URIRef:
    node = HKC[f"{scheme}/{key}"]
    graph.add((node, RDF.type, SKOS.Concept))
    graph.add((node, SKOS.inScheme, HKC[f"scheme/{scheme}"]))
    _labels(graph, node, zh, en, SKOS.prefLabel)
    _labels(graph, node, zh, en)
    if notation:
        graph.add((node, SKOS.notation, Literal(notation)))
    return node


def add_concept_schemes(graph: Triples) -> None:
    schemes = {"element": ("医养管食游动产业链要素", "Elements of the 医养管食游动 industry chain"),
               "industry": ("健康产业", "Health industries"), "function": ("政府职能", "Government functions"),
               "kind": ("机构类型", "Kinds of body"), "role": ("角色", "Roles"),
               "level": ("政府层级", "Levels of government"),
               "deadline-kind": ("完成时限类型", "Kinds of deadline"),
               "document-type": ("公文文种", "Types of document"),
               "indicator": ("目标指标", "Target indicators"),
               "period": ("目标年份", "Target years")}
    for key, (zh, en) in schemes.items():
        node = HKC[f"scheme/{key}"]
        graph.add((node, RDF.type, SKOS.ConceptScheme))
        _labels(graph, node, zh, en)
        _labels(graph, node, zh, en, SKOS.prefLabel)
    for row in tables.read_tsv("chain_elements.tsv"):
        _concept(graph, "element", row["id"], row["zh"], row["en"], row["char"])
    for key, row in tables.industries().items():
        node = _concept(graph, "industry", key, row["zh"], row["en"])
        graph.add((node, HK.element, HKC[f"element/{row['element']}"]))
    _concept(graph, "industry", "cross-cutting", "综合保障", "Cross-cutting")
    for key, row in tables.functions().items():
        _concept(graph, "function", key, row["zh"], row["en"])
    for key, labels in tables.KIND_GROUPS.items():
        if labels:
            _concept(graph, "kind", key, *labels)
    for key, row in tables.kinds().items():
        node = _concept(graph, "kind", key, row["zh"], row["en"])
        if row["group"]:
            graph.add((node, SKOS.broader, HKC[f"kind/{row['group']}"]))
    _concept(graph, "kind", "other", "其他", "Other")
    _concept(graph, "kind", "city-government", "市人民政府", "City government (the plan's issuer)")
    _concept(graph, "kind", "provincial-government", "省(自治区)人民政府", "Provincial government (the plan's issuer)")
    _concept(graph, "kind", "central-government", "国务院", "State Council (the plan's issuer)")
    for rank, (key, row) in enumerate(tables.levels().items(), 1):    # notation: 1 for the highest
        _concept(graph, "level", key, row["zh"], row["en"], str(rank))
    for key, (zh, en) in ROLES.items():
        _concept(graph, "role", key, zh, en)
    for key, (zh, en) in DEADLINE_KINDS.items():
        _concept(graph, "deadline-kind", key, zh, en)
    for row in tables.read_tsv("document_types.tsv"):
        _concept(graph, "document-type", row["id"], row["zh"], row["en"])
    for row in tables.read_tsv("indicators.tsv"):
        _concept(graph, "indicator", row["id"], row["zh"], row["en"])
    _concept(graph, "period", "no-year", "未写明年份", "No year stated")
    graph.add((NO_YEAR, SKOS.definition, Literal(
        "The period of a target whose text names no year (a recurring target, or a goal before any year): "
        "the period dimension's value when there is none to give.", lang="en")))
    add_data_structure(graph)
    add_summary_structures(graph)


def add_data_structure(graph: Triples) -> None:
    """The targets data set and its data structure definition (the same writer as the summaries' cubes)."""
    add_structure(graph, TARGETS, TARGETS_STRUCTURE,
                  ("大健康产业规划量化目标", "Quantified targets of big-health industry plans"),
                  ("量化目标数据结构", "Structure of the targets data set"), CUBE_COMPONENTS)


CITIES = {row["id"]: row for row in tables.read_tsv("cities.tsv")}
DOCUMENT_TYPES = sorted(tables.read_tsv("document_types.tsv"), key=lambda row: -len(row["zh"]))   # longest first
TRAILING_PERIOD = re.compile(r"[（(][\d\s—–\-－~～至年]+[)）]$")


class PlanWriter:
    """Writes one plan's records into the graph."""

    def __init__(self, graph: Triples, records: dict, text: str | None):
        self.graph, self.records, self.text = graph, records, text
        self.plan = records["plan"]
        self.plan_iri = HKD[f"plan/{self.plan['id']}"]
        self.source = HKD[f"plan/{self.plan['id']}/text"]
        # The plan's jurisdiction: a city (hkd:city/…), a province or the country; hk:city points to it
        # whatever its type, so a question grouping by city gives one row per jurisdiction.
        self.place = jurisdictions.parse(self.plan.get("jurisdiction", self.plan["city"]) or "")
        self.place_type = self.plan.get("jurisdiction_type", "city")
        self.city = HKD[f"{self.place_type}/{self.plan['city_id']}"]
        self._later_mentions: dict[str, list[dict]] | None = None
        self._occurrences: dict[str, dict[int, int]] = {}  # quote -> its context length at each occurrence
        self._spans: list[tuple[URIRef, int, int]] = []   # position selector, its context's start and end
        self.summaries = PlanSummaries(self.plan_iri)

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def write(self) -> None:
        self.write_plan()
        for section in self.records["sections"]:
            self.write_section(section)
        for task in self.records["tasks"]:
            self.write_task(task)
        for target in self.records["targets"]:
            self.write_target(target)
        for index, lead in enumerate(self.records["chain_leads"], 1):
            self.write_chain_lead(index, lead)
        if self.text is not None:
            self.write_pieces(self.text)
        for triple in self.summaries.triples():
            self.graph.add(triple)

    def write_pieces(self, text: str) -> None:
        """The text in pieces (ontology/MODEL.md, "Provenance"): each an hk:TextPiece with its text and its start
        offset in the document; every position selector names the piece that holds its quote and its context."""
        pieces = text_pieces(text, [(lo, hi) for _, lo, hi in self._spans])
        nodes = [URIRef(f"{self.source}/piece/{number}") for number in range(1, len(pieces) + 1)]
        for node, (start, end) in zip(nodes, pieces):
            self.add(node, RDF.type, HK.TextPiece)
            self.add(node, HK.pieceOf, self.source)
            self.add(node, HK.pieceStart, Literal(start, datatype=XSD.nonNegativeInteger))
            self.add(node, HK.content, Literal(text[start:end]))
        for position, lo, hi in self._spans:
            self.add(position, HK.inPiece, nodes[piece_of(pieces, lo, hi)])

    def write_plan(self) -> None:
        plan, node = self.plan, self.plan_iri
        self.add(node, RDF.type, HK.Plan)
        self.add(node, RDF.type, ELI.LegalResource)
        _labels(self.graph, node, plan["title"],
                f"{self.city_en} big-health industry plan {plan['doc_number'] or ''}".strip())
        self.add(node, DCTERMS.title, Literal(plan["title"], lang="zh"))
        if plan["doc_number"]:
            self.add(node, ELI.id_local, Literal(plan["doc_number"]))
        if plan["issued"]:
            self.add(node, ELI.date_document, Literal(plan["issued"], datatype=XSD.date))
        if plan["published"]:
            self.add(node, DCTERMS.issued, Literal(plan["published"], datatype=XSD.date))
        if plan.get("source_url"):
            self.add(node, DCTERMS.source, URIRef(plan["source_url"]))
        document_type = self.document_type()
        if document_type:
            self.add(node, ELI.type_document, HKC[f"document-type/{document_type}"])
        self.add(node, ELI.jurisdiction, self.city)
        for number in plan["implements"]:
            document = HKD[f"document/{agencies.slug(number)}"]
            self.add(node, ELI.applies, document)
            self.add(document, ELI.id_local, Literal(number))
            self.add(document, RDF.type, ELI.LegalResource)
        self.add(node, HK.city, self.city)
        if "role_agnostic" in plan:
            self.add(node, HK.roleAgnostic, Literal(bool(plan["role_agnostic"])))
        government = HKD[f"agency/{self.plan['city_id']}-government"]
        self.add(node, ELI.passed_by, government)
        government_class, government_kind, government_en = GOVERNMENTS[self.place_type]
        self.add(government, RDF.type, government_class)
        self.add(government, ORG.classification, HKC[f"kind/{government_kind}"])
        self.add(government, ORG.purpose, HKC["function/local-government"])
        _labels(self.graph, government, plan["issuer"], government_en.format(place=self.city_en))
        self.add(government, HK.city, self.city)
        self.add(self.city, RDF.type, JURISDICTION_CLASSES[self.place_type])
        _labels(self.graph, self.city, plan.get("jurisdiction", plan["city"]), self.city_en)
        # The place's GB/T 2260 code, once, from one table: the targets' area dimension and the links out read it.
        code = area_codes().get(plan.get("jurisdiction") or plan["city"])
        if code:
            self.add(self.city, HK.gbt2260Code, Literal(code))
        links = CITIES.get(plan["city_id"]) if self.place_type in ("city", "county") else None
        if links:
            if links["wikidata"]:
                self.add(self.city, HK.wikidataItem, URIRef(f"http://www.wikidata.org/entity/{links['wikidata']}"))
        if "jurisdiction_level" in plan:
            self.add(self.city, HK.level, HKC[f"level/{plan['jurisdiction_level']}"])
            self.add(government, HK.level, HKC[f"level/{plan['jurisdiction_level']}"])
        period = plan.get("period")
        if period:
            interval = HKD[f"plan/{plan['id']}/period"]
            self.add(node, HK.period, interval)
            self.add(interval, RDF.type, TIME.Interval)
            for predicate, year in ((TIME.hasBeginning, period["start"]), (TIME.hasEnd, period["end"])):
                instant = HKD[f"year/{year}"]
                self.add(interval, predicate, instant)
                self.add(instant, RDF.type, TIME.Instant)
                self.add(instant, TIME.inXSDgYear, Literal(str(year), datatype=XSD.gYear))
        # ELI's levels: the plan (work) is realised by its Chinese expression, embodied by the text we read.
        expression = HKD[f"plan/{plan['id']}/zh"]
        self.add(node, ELI.is_realized_by, expression)
        self.add(expression, RDF.type, ELI.LegalExpression)
        self.add(expression, ELI.language, CHINESE)
        self.add(expression, ELI.is_embodied_by, self.source)
        self.add(self.source, RDF.type, HK.SourceText)
        self.add(self.source, RDF.type, ELI.Format)
        self.add(self.source, ELI["format"], URIRef(IANA + "text/plain"))
        self.add(self.source, DCTERMS.identifier, Literal(plan.get("source_file") or plan["id"]))
        if self.text is not None:
            checksum = URIRef(f"{self.source}/sha256")
            self.add(self.source, SPDX.checksum, checksum)
            self.add(checksum, RDF.type, SPDX.Checksum)
            self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
            self.add(checksum, SPDX.checksumValue, Literal(text_sha256(self.text), datatype=XSD.hexBinary))

    def document_type(self) -> str | None:
        """The kind of document its title ends with (实施方案, 行动计划, 规划 ...: document_types.tsv), a
        trailing period such as (2020-2022) set aside; None when the title ends with none of them."""
        title = TRAILING_PERIOD.sub("", self.plan["title"] or "")
        return next((row["id"] for row in DOCUMENT_TYPES if title.endswith(row["zh"])), None)

    @property
    def city_en(self) -> str:
        return self.place.en

    def selection(self, node: URIRef, start: int, end: int, quote: str | None = None,
                  predicate: URIRef = HK.textSelection, name: str = "selection", base: str | None = None) -> None:
        """oa:SpecificResource with a position and a quote selector: the record's span of the source
        (`<base>/selection`, `<base>/position`, `<base>/quote`, where `base` is the node's own IRI unless given: a
        target's later mentions have their own; another name gives `<base>/<name>/…`)."""
        quote = quote if quote is not None else (self.text[start:end] if self.text is not None else None)
        base = base or str(node)
        selection = URIRef(f"{base}/{name}")
        stem = base if name == "selection" else selection
        position, exact = URIRef(f"{stem}/position"), URIRef(f"{stem}/quote")
        self.add(node, predicate, selection)
        self.add(selection, RDF.type, OA.SpecificResource)
        self.add(selection, OA.hasSource, self.source)
        self.add(selection, OA.hasSelector, position)
        self.add(selection, OA.hasSelector, exact)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger))
        self.add(position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger))
        self.add(exact, RDF.type, OA.TextQuoteSelector)
        if quote is not None:
            self.add(exact, OA.exact, Literal(quote))
        if self.text is not None:
            prefix, suffix = self.context(self.text, start, end)
            self.add(exact, OA.prefix, Literal(prefix))
            self.add(exact, OA.suffix, Literal(suffix))
            self._spans.append((position, start - len(prefix), end + len(suffix)))

    def context(self, text: str, start: int, end: int) -> tuple[str, str]:
        """The quote selector's oa:prefix and oa:suffix for text[start:end] (text: the plan's own)."""
        quote = text[start:end]
        if quote not in self._occurrences:         # every occurrence's context length, once per quote
            self._occurrences[quote] = context_lengths(text, quote, quote_positions(text, quote))
        k = self._occurrences[quote][start]
        return text[max(0, start - k):start], text[end:end + k]

    def section_iri(self, section_id: str) -> URIRef:
        return HKD[f"plan/{self.plan['id']}/section/{section_id}"]

    def write_section(self, section: dict) -> None:
        node = self.section_iri(section["id"])
        self.add(node, RDF.type, HK.Section)
        parent = self.section_iri(section["parent"]) if section["parent"] else self.plan_iri
        self.add(node, ELI.is_part_of, parent)          # ⊑ hk:partOf (the ontology): one statement of it
        self.add(node, HK.sectionNumber, Literal(section["number"]))
        self.add(node, RDFS.label, Literal(section["heading"], lang="zh"))
        if section["industry"]:
            self.add(node, HK.industry, HKC[f"industry/{section['industry']}"])

    def task_iri(self, task_id: str) -> URIRef:
        return HKD[f"plan/{self.plan['id']}/task/{task_id}"]

    def write_task(self, task: dict) -> None:
        node = self.task_iri(task["id"])
        self.add(node, RDF.type, HK.Task)
        self.add(node, PPLAN.isStepOfPlan, self.plan_iri)
        self.add(node, HK.partOf, self.section_iri(task["section"]))
        if task["number"]:
            self.add(node, HK.taskNumber, Literal(task["number"]))
        self.add(node, RDFS.label, Literal(task["heading"], lang="zh"))
        body_end = task["bracket"]["start"] if task["bracket"] else task["end"]
        text = self.text[task["start"]:body_end] if self.text is not None else task["heading"]
        self.add(node, HK.industry, HKC[f"industry/{task['industry']}"])
        for flag in task["flags"]:
            self.add(node, HK.flag, Literal(flag))
        elements = chain.classify(text, task["industry"])
        for element, evidence in elements.items():
            classification = URIRef(f"{node}/chain/{element}")
            self.add(node, HK.chainElement, HKC[f"element/{element}"])
            self.add(self.plan_iri, ELI.is_about, HKC[f"element/{element}"])
            self.add(node, HK.chainClassification, classification)
            self.add(classification, RDF.type, HK.ChainClassification)
            self.add(classification, HK.element, HKC[f"element/{element}"])
            for item in evidence:
                self.add(classification, HK.evidence, Literal(item))
        brackets = [self.write_bracket(node, number, bracket)
                    for number, bracket in enumerate(task.get("brackets", []), 1)]
        for role, shortcut in (("lead", HK.leadUnit), ("cooperating", HK.cooperatingUnit)):
            for body in task[role]:
                agency = self.write_agency(body)
                self.add(node, shortcut, agency)
                assignment = URIRef(f"{node}/{role}/{body['position']}")
                self.add(node, HK.hasAssignment, assignment)
                self.add(assignment, RDF.type, HK.Assignment)
                self.add(assignment, HK.assignedUnit, agency)
                self.add(assignment, HK.role, HKC[f"role/{role}"])
                self.add(assignment, HK.position, Literal(body["position"], datatype=XSD.integer))
                written = (self.text[body["start"]:body["end"]] if self.text is not None
                           else body.get("written", body["name"]))
                self.add(assignment, HK.nameAsWritten, Literal(written, lang="zh"))
                if body["name"] != written:     # 鹿寨县 written, 鹿寨县人民政府 meant: the name with what it leaves out
                    self.add(assignment, HK.restoredName, Literal(body["name"], lang="zh"))
                for number in body.get("brackets", []):
                    self.add(assignment, HK.fromBracket, brackets[number - 1])
                self.selection(assignment, body["start"], body["end"])
        self.selection(node, task["start"], task["end"])
        self.summaries.task(task["id"], HKC[f"industry/{task['industry']}"],
                            [HKC[f"element/{element}"] for element in elements],
                            {role: [HKD[f"agency/{body['id']}"] for body in task[role]]
                             for role in ("lead", "cooperating")})

    def write_bracket(self, task: URIRef, number: int, bracket: dict) -> URIRef:
        """One responsibility bracket of a task: its span, the text it assigns, its deadline."""
        node = URIRef(f"{task}/bracket/{number}")
        self.add(task, HK.hasBracket, node)
        self.add(node, RDF.type, HK.Bracket)
        self.add(node, HK.partOf, task)
        self.add(node, HK.bracketNumber, Literal(number, datatype=XSD.integer))
        self.add(node, HK.bracketForm, Literal(bracket["form"]))
        self.selection(node, bracket["start"], bracket["end"])
        covers = bracket["covers"]
        if covers["end"] > covers["start"]:
            self.selection(node, covers["start"], covers["end"], predicate=HK.covers, name="covers")
        if bracket.get("deadline"):
            self.write_deadline(node, bracket["deadline"])
        return node

    def write_deadline(self, bracket: URIRef, deadline: dict) -> None:
        """The deadline as OWL-Time: by a date, a time:Instant (time:inXSDDate); ongoing, a time:Interval
        with no end; recurring, how often it comes round (hk:recursEvery a time:Duration)."""
        node = URIRef(f"{bracket}/deadline")
        self.add(bracket, HK.deadline, node)
        self.add(node, RDF.type, HK.Deadline)
        self.add(node, RDFS.label, Literal(deadline["text"], lang="zh"))
        self.add(node, HK.deadlineKind, HKC[f"deadline-kind/{deadline['kind']}"])
        if deadline["kind"] == "by-date" and deadline["date"]:
            self.add(node, RDF.type, TIME.Instant)
            self.add(node, TIME.inXSDDate, Literal(deadline["date"], datatype=XSD.date))
        elif deadline["kind"] == "ongoing":
            self.add(node, RDF.type, TIME.Interval)
        elif deadline["kind"] == "recurring":
            every = next(((n, unit) for word, n, unit in RECURRENCES if deadline["text"].startswith(word)), None)
            if every:
                duration = URIRef(f"{node}/every")
                self.add(node, HK.recursEvery, duration)
                self.add(duration, RDF.type, TIME.Duration)
                self.add(duration, TIME.numericDuration, Literal(Decimal(every[0]), datatype=XSD.decimal))
                self.add(duration, TIME.unitType, TIME[every[1]])
        self.selection(node, deadline["start"], deadline["end"], deadline["text"])

    def write_agency(self, body: dict) -> URIRef:
        """An organisation (hk:Agency, its kind org:classification, its functions org:purpose), or a placeholder
        standing for several bodies (各县区人民政府, 各相关部门: hk:BodyGroup, hk:groupKind, hk:groupPurpose)."""
        node = HKD[f"agency/{body['id']}"]
        belongs = tables.kinds().get(body["kind"], {}).get("belongs")
        group = belongs == "group"
        self.add(node, RDF.type, HK.BodyGroup if group else HK.Agency)
        _labels(self.graph, node, body["label_zh"], body["label_en"])
        _labels(self.graph, node, body["label_zh"], body["label_en"], SKOS.prefLabel)
        self.add(node, HK.groupKind if group else ORG.classification, HKC[f"kind/{body['kind']}"])
        for function in body["functions"]:
            self.add(node, HK.groupPurpose if group else ORG.purpose, HKC[f"function/{function}"])
        level = body.get("level")
        if level:
            self.add(node, HK.level, HKC[f"level/{level}"])
        if belongs == "government" and self.of_plan_government(level, body["label_zh"]):
            self.add(node, ORG.subOrganizationOf, HKD[f"agency/{self.plan['city_id']}-government"])
        self.add(node, HK.city, self.city)
        self.add(node, HK.alias, Literal(body["name"], lang="zh"))
        return node

    def of_plan_government(self, level: str | None, name: str) -> bool:
        """Whether a body of a kind that belongs to its government belongs to the plan's: of the plan's level
        (a ministry, or a county's bureau, is part of another government) and no organ of the Party committee."""
        return (level or self.plan.get("jurisdiction_level", "municipal")) == self.plan.get(
            "jurisdiction_level", "municipal") and not PARTY_ORGAN.search(name)

    def write_target(self, target: dict) -> None:
        """One hk:Target, an observation of the targets cube, per target however often the plan states it: a
        mention that restates an earlier one adds its span, its object as written and its task to the first
        mention's node. Its key: the city, the year its text states (else hkc:period/no-year), the indicator
        and the span of text that first states it (its own text selection)."""
        node = HKD[f"plan/{self.plan['id']}/target/{target['restates'] or target['id']}"]
        if target["restates"]:
            self.selection(node, target["start"], target["end"], target["text"], base=f"{node}/mention/{target['id']}")
            self.add(node, HK.object, Literal(target["object"], lang="zh"))
            if target["task"]:
                self.add(node, HK.partOf, self.task_iri(target["task"]))
            return
        self.add(node, RDF.type, HK.Target)
        self.add(node, RDF.type, QB.Observation)     # what Data Cube clients look for (hk:Target's super-class)
        self.add(node, QB.dataSet, TARGETS)
        indicator = indicator_iri(target)
        if target["indicator_id"] is None:
            key = str(indicator).rsplit("/", 1)[1]
            _concept(self.graph, "indicator", key, target["indicator"], generated_indicator_label(target["indicator"]))
            self.add(indicator, SKOS.editorialNote, Literal(GENERATED_LABEL_NOTE, lang="en"))
        self.add(node, HK.indicator, indicator)
        self.summaries.target(indicator)
        self.add(node, HK.city, self.city)
        # The year one of its mentions names; else none, and the plan's target year when it is inferred.
        year = next((m["year"] for m in [target] + self._restatements().get(target["id"], []) if m["year"]), None)
        self.add(node, HK.targetYear, self.year_concept(year) if year is not None else NO_YEAR)
        if year is None and target["inferred_year"] is not None:
            self.add(node, HK.inferredTargetYear, self.year_concept(target["inferred_year"]))
        self.add(node, HK.statedIn, URIRef(f"{node}/selection"))     # written by self.selection below
        self.add(node, HK.quantityKind, Literal(target["dimension"]))
        if target["per"]:
            self.add(node, HK.per, Literal(target["per"]))
        self.add(node, HK.value, Literal(Decimal(str(target["value"])), datatype=XSD.decimal))
        if target["value_max"] is not None:
            self.add(node, HK.valueMax, Literal(Decimal(str(target["value_max"])), datatype=XSD.decimal))
        self.add(node, HK.unit, Literal(target["unit"]))
        code = unit_codes().get(target["unit"])
        if code:
            self.add(node, SDMX_ATTRIBUTE.unitMeasure, QUDT_UNIT[code])
        self.add(node, HK.comparator, Literal(target["comparator"]))
        self.add(node, HK.object, Literal(target["object"], lang="zh"))
        self.add(node, RDFS.label, Literal(target["text"], lang="zh"))
        self.add(node, HK.partOf, self.task_iri(target["task"]) if target["task"] else self.plan_iri)
        self.selection(node, target["start"], target["end"], target["text"])

    def year_concept(self, year: int) -> URIRef:
        """The year's node (the time:Instant the plan's period uses), a concept of the period code list."""
        node = HKD[f"year/{year}"]
        self.add(node, RDF.type, TIME.Instant)
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.inScheme, HKC["scheme/period"])
        self.add(node, SKOS.notation, Literal(str(year)))
        _labels(self.graph, node, f"{year}年", str(year), SKOS.prefLabel)
        return node

    def _restatements(self) -> dict[str, list[dict]]:
        """The later mentions of each target, by the id of its first mention (built once per plan)."""
        if self._later_mentions is None:
            self._later_mentions = {}
            for target in self.records["targets"]:
                if target.get("restates"):
                    self._later_mentions.setdefault(target["restates"], []).append(target)
        return self._later_mentions

    def write_chain_lead(self, index: int, lead: dict) -> None:
        node = HKD[f"plan/{self.plan['id']}/chain-lead/{index}"]
        self.add(node, RDF.type, HK.ChainLead)
        self.add(node, HK.partOf, self.plan_iri)
        self.add(node, HK.assignedUnit, self.write_agency(lead["agency"]))
        self.add(node, HK.role, HKC[f"role/{lead['role']}"])
        if lead["industry"]:
            self.add(node, HK.industry, HKC[f"industry/{lead['industry']}"])
        if lead["agency"].get("via"):
            self.add(node, HK.coordinatesThrough, Literal(lead["agency"]["via"], lang="zh"))
        self.selection(node, lead["start"], lead["end"], lead["text"])
