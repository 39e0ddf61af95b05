"""What a release states besides its data and the inferences, for OWL tools and SPARQL users."""
from collections import defaultdict

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from healthkg.ontology.reasoning.prepare import Prepared, known_distinct, simple_types
from healthkg.ontology.reasoning.terms import HK, OUR_SUBJECTS, RDF_TYPE

_BUILT_IN = (str(OWL), str(RDF), str(RDFS))


def published(prepared: Prepared, inferred) -> set:
    """What a release states besides its data and `inferred` (reason()'s hk: triples) so that any OWL tool
    reading only the ontology and the release draws the same conclusions, and a SPARQL user finds every
    type without reasoning:

    - the external super-types of our individuals (a plan an eli:LegalResource, a body an
      org:Organization, a task a p-plan:Step ...): every named class above one of their types, asserted or
      inferred, and the classes that domains and ranges give, less OWL's and RDF's own;
    - the unique names the defined classes need: owl:differentFrom between the values of a property that
      a number restriction counts (hk:leadUnit, hk:chainElement) on one individual, wherever the reasoner's
      input declares them distinct (AllDifferent, prepare()). Pairs on one individual rather than an
      owl:AllDifferent list: an RDF list needs blank nodes, which the release has none of, and the pairs
      grow with the data (a task's few lead units), not with the square of all bodies."""
    schema = prepared.schema
    types = {(s, o) for s, _, o in simple_types(prepared)}
    types |= {(s, o) for s, p, o in inferred if p == RDF_TYPE}
    result = set()
    for individual, cls in types:
        if not (isinstance(individual, URIRef) and str(individual).startswith(OUR_SUBJECTS)):
            continue
        for ancestor in schema.ancestors(cls):
            if isinstance(ancestor, URIRef) and not str(ancestor).startswith((str(HK), *_BUILT_IN)):
                result.add((individual, RDF_TYPE, ancestor))
    counted = {p for _, _, minimums in schema.definitions for p, n, _ in minimums if n >= 2}
    distinct = known_distinct(prepared)
    values = defaultdict(set)
    for s, p, o in prepared.facts:
        if p in counted and isinstance(o, URIRef):
            values[(s, p)].add(o)
    for found in values.values():
        ordered = sorted(found, key=str)
        result.update((a, OWL.differentFrom, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
                      if (a, b) in distinct)
    return {triple for triple in result if triple not in prepared}
