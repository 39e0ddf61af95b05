"""The linear 'rules' engine (used for corpora too large for one HermiT run) entails exactly what HermiT
does on the bundled plans: same classes, same property values."""
from conftest import SOURCES
from graph import pipeline
from graph.rdf import build_graph
from ontology.reason import HERMIT, RULES, reason


def test_rules_engine_equals_hermit_on_the_bundled_plans():
    plans, texts = pipeline.extract_all(SOURCES)
    graph = pipeline.load_ontology() + build_graph(plans, texts)
    hermit, rules = reason(graph), reason(graph, engine="rules")
    assert hermit.reasoner == HERMIT and rules.reasoner == RULES
    assert set(rules.inferred) == set(hermit.inferred)
    assert len(hermit.inferred) > 1000
