"""From plan texts to the released graph, in the order the data flows:
extract (text → records), rdf (records → triples), check (validation), app (the main job and corpus builds),
bench (the benchmark, not needed at run time)."""
