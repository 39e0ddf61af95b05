"""The OWL model: the ontology and shapes (data files), reasoning over ontology + graph, its documentation page."""
