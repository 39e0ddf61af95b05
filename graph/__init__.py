"""Plan texts to records to triples: extraction, agency alignment and (later) RDF building."""
