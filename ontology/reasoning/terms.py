"""The names the reasoning modules share: namespaces, the bundled ontology, which reasoner answered, the
predicates and types that make a term part of the schema, and which triples a result reports."""
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

HK = Namespace("https://w3id.org/healthkg/ontology#")
HKD = Namespace("https://w3id.org/healthkg/id/")
HKC = Namespace("https://w3id.org/healthkg/concept/")
# Looked up once: a DefinedNamespace attribute costs a Python call, and these sit in the per-triple loops.
RDF_TYPE, OWL_NOTHING = RDF.type, OWL.Nothing
ONTOLOGY_IRI = URIRef("https://w3id.org/healthkg/ontology")
ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "healthkg.ttl"

HERMIT = "HermiT"
RULES = "rules (ontology axioms, no tableau)"
OWLRL = "OWL RL (owlrl)"
OUR_SUBJECTS = (str(HKD), str(HKC))
SCHEMA_TYPES = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                RDF.Property, OWL.Ontology, RDFS.Datatype, OWL.Restriction, OWL.AllDisjointClasses,
                OWL.AllDisjointProperties, OWL.TransitiveProperty, OWL.FunctionalProperty,
                OWL.InverseFunctionalProperty, OWL.SymmetricProperty, OWL.AsymmetricProperty,
                OWL.ReflexiveProperty, OWL.IrreflexiveProperty, OWL.OntologyProperty,
                OWL.DeprecatedClass, OWL.DeprecatedProperty}
CHARACTERISTICS = {OWL.TransitiveProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
                   OWL.SymmetricProperty, OWL.AsymmetricProperty, OWL.ReflexiveProperty,
                   OWL.IrreflexiveProperty}
# Schema predicates whose object occurs "positively": a term used only there constrains nothing.
POSITIVE = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range}
LOGICAL = POSITIVE | {
    OWL.equivalentClass, OWL.disjointWith, OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf,
    OWL.onProperty, OWL.onProperties, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.hasSelf,
    OWL.minCardinality, OWL.maxCardinality, OWL.cardinality, OWL.minQualifiedCardinality,
    OWL.maxQualifiedCardinality, OWL.qualifiedCardinality, OWL.onClass, OWL.onDataRange, OWL.members,
    OWL.distinctMembers, OWL.inverseOf, OWL.equivalentProperty, OWL.propertyChainAxiom,
    OWL.propertyDisjointWith, OWL.hasKey, OWL.disjointUnionOf, OWL.onDatatype, OWL.withRestrictions,
    OWL.datatypeComplementOf, RDF.first, RDF.rest}
SCHEMA_PREDICATES = LOGICAL - {RDF.first, RDF.rest}
ABOX_LOGICAL = {OWL.sameAs, OWL.differentFrom}
MIN_CARDINALITIES = (OWL.minCardinality, OWL.minQualifiedCardinality)
ANY_CARDINALITIES = MIN_CARDINALITIES + (OWL.maxCardinality, OWL.cardinality, OWL.maxQualifiedCardinality,
                                         OWL.qualifiedCardinality)


def load_ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def curie(graph: Graph, term) -> str:
    if isinstance(term, URIRef):
        for prefix, namespace in (("hkd", HKD), ("hkc", HKC)):
            if str(term).startswith(str(namespace)):
                return f"{prefix}:{str(term)[len(namespace):]}"
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001 - any IRI rdflib cannot shorten is shown whole
            return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


def ours(triple) -> bool:
    s, p, o = triple
    if not (isinstance(s, URIRef) and str(s).startswith(OUR_SUBJECTS)):
        return False
    if p == RDF_TYPE:
        return isinstance(o, URIRef) and str(o).startswith(str(HK))
    return str(p).startswith(str(HK))
