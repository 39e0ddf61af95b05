"""healthkg: a knowledge graph of Chinese municipal big-health industry (大健康产业) policy plans.

The package is the repository: graph (text → records → triples, checks, jobs), ontology (the OWL model and
reasoning), queries (the store and the research questions), viz (the pages), build_graph (the command line).
"""
