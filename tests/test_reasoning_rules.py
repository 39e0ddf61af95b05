"""The linear 'rules' engine (used for corpora too large for one HermiT run) entails exactly what HermiT
does on the bundled plans: same classes, same property values."""
from conftest import SOURCES

from healthkg.graph.app import pipeline
from healthkg.graph.rdf.build import build_graph
from healthkg.ontology.reasoning.engine import reason
from healthkg.ontology.reasoning.terms import HERMIT, RULES


def test_rules_engine_equals_hermit_on_the_bundled_plans():
    plans, texts = pipeline.extract_all(SOURCES)
    graph = pipeline.load_ontology() + build_graph(plans, texts)
    hermit, rules = reason(graph), reason(graph, engine="rules")
    assert hermit.reasoner == HERMIT and rules.reasoner == RULES
    assert set(rules.inferred) == set(hermit.inferred)
    assert len(hermit.inferred) > 1000


def test_a_separate_ontology_gives_what_the_merged_graph_gives_and_a_schema_change_is_seen(laibin):
    """Corpus workers pass the ontology separately and reuse its split from plan to plan; that must
    never change what is entailed, and a plan that adds an axiom must not get the cached schema."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS

    from healthkg.graph.rdf.triples import TripleSet
    from healthkg.graph.rdf.vocab import HK

    ontology = TripleSet(pipeline.load_ontology())
    data = TripleSet(build_graph([laibin]))
    merged = pipeline.load_ontology() + build_graph([laibin])
    expected = set(reason(merged, engine="rules").inferred)
    assert set(reason(data, ontology, engine="rules").inferred) == expected
    assert set(reason(data, ontology, engine="rules").inferred) == expected      # second call: cached split

    # A plan asserting Task ⊑ a new class: every task gets that type, which the cached schema lacks.
    extra = URIRef("https://w3id.org/healthkg/ontology#TestOnlyCategory")
    widened = TripleSet(data)
    widened.add((HK.Task, RDFS.subClassOf, extra))
    widened.add((extra, RDFS.label, Literal("test only")))
    typed = {s for s, p, o in reason(widened, ontology, engine="rules").inferred if p == RDF.type and o == extra}
    tasks = {s for s, p, o in data if p == RDF.type and o == HK.Task}
    assert tasks and typed == tasks
