"""Without Java: the pure-Python OWL RL closure of owlrl, with the counting rule for the number restrictions
OWL RL lacks."""
import owlrl
from rdflib import Graph, URIRef

from healthkg.ontology.reasoning.prepare import Prepared, known_distinct, simple_types
from healthkg.ontology.reasoning.rules import count_rule

OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")   # owlrl's inconsistency notes


def owlrl_closure(prepared: Prepared) -> tuple[Graph, list[str]]:
    # The OWL RL closure of the schema and the assertions. The distinctness of the counted values is
    # used by the counting rule below rather than handed to owlrl, whose rules would expand it pairwise
    # (functional-property clashes between them are found by explain() beforehand).
    closed = Graph()
    for triple in prepared.tbox:
        closed.add(triple)
    for triple in prepared.abox:
        closed.add(triple)
    distinct = known_distinct(prepared)
    # A first guess at the counted classes from the types Python can see (asserted, domains, ranges,
    # super-classes) saves a second closure in the usual case; the loop below settles the rest.
    view = Graph()
    for triple in simple_types(prepared) | prepared.facts:
        view.add(triple)
    for triple in count_rule(prepared, view, distinct):
        closed.add(triple)
    errors: list[str] = []
    for _ in range(10):
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                               datatype_axioms=False).expand(closed)
        errors = sorted(str(m) for m in closed.objects(None, OWLRL_ERROR))
        if errors:
            break
        added = count_rule(prepared, closed, distinct)
        if not added:
            break
        for triple in added:
            closed.add(triple)
    return closed, errors
