"""Records → triples: the plans' RDF, the release description and the serialisations."""
