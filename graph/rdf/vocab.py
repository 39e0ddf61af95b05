"""The project's vocabulary, in one place: every namespace the graph, the checks and the questions use, the
prefixes they are written with, and the one way a term is shortened to a CURIE.

The project's own ontology terms are an rdflib DefinedNamespace with `_fail = True`: `HK.leadUnitt` raises
AttributeError instead of minting an IRI nobody defined (tests check the list against ontology/healthkg.ttl).
The W3C vocabularies rdflib ships (ORG, QB, PROV, SKOS, DCTERMS, TIME, DCAT) are rdflib's own; the others
list the terms we use, so they fail the same way.
"""
from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SH, SKOS, TIME, XSD, DefinedNamespace


class HK(DefinedNamespace):
    """healthkg's ontology (ontology/healthkg.ttl)."""

    _NS = Namespace("https://w3id.org/healthkg/ontology#")
    _fail = True

    # classes
    Agency: URIRef
    Assignment: URIRef
    BodyGroup: URIRef
    Bracket: URIRef
    ChainClassification: URIRef
    ChainLead: URIRef
    City: URIRef
    CityGovernment: URIRef
    Country: URIRef
    County: URIRef
    CrossChainTask: URIRef
    Deadline: URIRef
    Government: URIRef
    JointlyLedTask: URIRef
    Jurisdiction: URIRef
    LeadBody: URIRef
    Plan: URIRef
    Province: URIRef
    Responsibility: URIRef
    ResponsibleParty: URIRef
    Section: URIRef
    SourceText: URIRef
    Target: URIRef
    Task: URIRef
    TextPiece: URIRef
    # properties
    alias: URIRef
    assignedUnit: URIRef
    bothRolesCount: URIRef
    bracketForm: URIRef
    bracketNumber: URIRef
    chainClassification: URIRef
    chainElement: URIRef
    city: URIRef
    comparator: URIRef
    content: URIRef
    cooperatingUnit: URIRef
    coordinatesThrough: URIRef
    covers: URIRef
    deadline: URIRef
    deadlineKind: URIRef
    element: URIRef
    evidence: URIRef
    flag: URIRef
    fromBracket: URIRef
    gbt2260Code: URIRef
    groupKind: URIRef
    groupPurpose: URIRef
    hasAssignment: URIRef
    hasBracket: URIRef
    indicator: URIRef
    inPiece: URIRef
    industry: URIRef
    inferredTargetYear: URIRef
    involvesUnit: URIRef
    leadUnit: URIRef
    leads: URIRef
    level: URIRef
    nameAsWritten: URIRef
    object: URIRef
    partOf: URIRef
    per: URIRef
    pieceOf: URIRef
    pieceStart: URIRef
    period: URIRef
    position: URIRef
    quantityKind: URIRef
    recursEvery: URIRef
    restoredName: URIRef
    role: URIRef
    roleAgnostic: URIRef
    sectionNumber: URIRef
    statedIn: URIRef
    summaryBody: URIRef
    summaryElement: URIRef
    summaryIndicator: URIRef
    summaryIndustry: URIRef
    summaryPlan: URIRef
    summaryRole: URIRef
    targetCount: URIRef
    targetYear: URIRef
    taskCount: URIRef
    taskNumber: URIRef
    textSelection: URIRef
    unit: URIRef
    value: URIRef
    valueMax: URIRef
    wikidataItem: URIRef


class OA(DefinedNamespace):
    """Web Annotation: the selectors that tie every fact to its span of text."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    end: URIRef
    exact: URIRef
    hasSelector: URIRef
    hasSource: URIRef
    prefix: URIRef
    start: URIRef
    suffix: URIRef


class ELI(DefinedNamespace):
    """European Legislation Identifier: the plans as legal resources, their expression and format."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    Format: URIRef
    LegalExpression: URIRef
    LegalResource: URIRef
    applies: URIRef
    date_document: URIRef
    id_local: URIRef
    is_about: URIRef
    is_embodied_by: URIRef
    is_part_of: URIRef
    is_realized_by: URIRef
    jurisdiction: URIRef
    language: URIRef
    passed_by: URIRef
    type_document: URIRef
    _extras = ["format"]   # a Python keyword's neighbour: ELI["format"]


class PPLAN(DefinedNamespace):
    """P-Plan: a task is a step of its plan."""

    _NS = Namespace("http://purl.org/net/p-plan#")
    _fail = True

    isStepOfPlan: URIRef


class SPDX(DefinedNamespace):
    """SPDX: the SHA-256 checksum of each plan text the release was built from."""

    _NS = Namespace("http://spdx.org/rdf/terms#")
    _fail = True

    Checksum: URIRef
    algorithm: URIRef
    checksum: URIRef
    checksumAlgorithm_sha256: URIRef
    checksumValue: URIRef


class SDMX_CONCEPT(DefinedNamespace):
    """The SDMX concepts the Data Cube components stand for."""

    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/concept#")
    _fail = True

    obsValue: URIRef
    refArea: URIRef
    refPeriod: URIRef
    unitMeasure: URIRef


class SDMX_ATTRIBUTE(DefinedNamespace):
    """The SDMX attribute reused for a target's unit."""

    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
    _fail = True

    unitMeasure: URIRef


# Namespaces whose local names come from data (ids, codes): plain namespaces.
HKC = Namespace("https://w3id.org/healthkg/concept/")      # concepts: chain elements, kinds, indicators …
HKD = Namespace("https://w3id.org/healthkg/id/")           # things: plans, tasks, bodies, targets …
HKS = Namespace("https://w3id.org/healthkg/shapes#")       # the SHACL shapes
QUDT_UNIT = Namespace("http://qudt.org/vocab/unit/")       # unit codes from graph/data/unit_codes.tsv

# The prefixes the graph files are written with (Turtle, JSON-LD context), in this order.
PREFIXES: dict[str, Namespace] = {
    "hk": HK._NS, "hkc": HKC, "hkd": HKD, "org": Namespace(str(ORG)), "p-plan": PPLAN._NS, "qb": Namespace(str(QB)),
    "oa": OA._NS, "eli": ELI._NS, "prov": Namespace(str(PROV)), "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)), "time": Namespace(str(TIME)), "owl": Namespace(str(OWL)),
    "dcat": Namespace(str(DCAT)), "spdx": SPDX._NS, "sdmx-concept": SDMX_CONCEPT._NS,
    "sdmx-attribute": SDMX_ATTRIBUTE._NS, "unit": QUDT_UNIT,
    "rdf": Namespace(str(RDF)), "rdfs": Namespace(str(RDFS)), "xsd": Namespace(str(XSD)),
}
# Known to readers of reports and answers but never written into the graph files.
READING_PREFIXES: dict[str, Namespace] = {**PREFIXES, "hks": HKS, "sh": Namespace(str(SH))}
_BY_LENGTH = tuple((prefix, str(namespace)) for prefix, namespace
                   in sorted(READING_PREFIXES.items(), key=lambda item: -len(str(item[1]))))


@lru_cache(maxsize=2 ** 16)   # an answer names the same few thousand IRIs over and over
def curie(iri: str) -> str:
    """`hk:Task` for https://w3id.org/healthkg/ontology#Task; an IRI in no known namespace (or a namespace
    IRI itself) comes back unchanged. The longest matching namespace wins (hkd: inside https://w3id.org/…)."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def sparql_prologue() -> str:
    """PREFIX declarations for every known prefix: what `query --sparql` and the query page declare."""
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(READING_PREFIXES.items()))
