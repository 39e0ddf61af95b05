"""The store and the research questions: the .rq library, stores (embedded or any SPARQL 1.1 endpoint), answers."""
