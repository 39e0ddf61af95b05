"""OWL reasoning over healthkg: the ontology (ontology/healthkg.ttl) plus the data of graph/rdf/build.py.

    from healthkg.ontology.reasoning.engine import reason
    from healthkg.ontology.reasoning.prepare import prepare
    from healthkg.ontology.reasoning.check import check_with_hermit
    result = reason(ontology + data)      # the ontology is added when the graph lacks it
    result.inferred                       # an rdflib Graph of the NEW triples only
    result.reasoner                       # "HermiT" or "OWL RL (owlrl)"

    prepared = prepare(data, ontology)    # what the main job does: the linear rules engine's answer,
    answer = reason(data, engine="rules", prepared=prepared)
    check_with_hermit(prepared, answer)   # then HermiT's check of it (two tableau runs, not realisation)

The modules, in the order they build on each other:

    terms.py      namespaces, the bundled ontology, reasoner names, which triples a result reports
    result.py     ReasoningResult and the errors (ReasoningError, HermitExceeded, InconsistentOntology,
                  UnsupportedAxiom)
    tbox.py       the T-box read into the rules engine's Schema; the OWL constructs the rules engine supports
    prepare.py    the reasoners' common input (Prepared)
    rules.py      the linear rules engine (closure under the supported axioms, counting rule)
    explain.py    clashes named with the ontology's own axioms (InconsistentOntology's message)
    fallback.py   the pure-Python OWL RL closure (owlrl) without Java
    hermit.py     HermiT: finding Java, bounds, running, reading its output; its strict check of a graph
    engine.py     reason(): one engine on the prepared input
    check.py      HermiT's check of the rules engine's answer (check_with_hermit)
    reuse.py      the rules engine's answer reused from graph.result_cache on the same input and code
    published.py  what a release states besides data and inferences (external super-types, unique names)

What is materialised, and by whom:

- class memberships (rdf:type to hk: classes, defined classes such as hk:JointlyLedTask, hk:CrossChainTask
  and hk:LeadBody included, and types that follow from domains, ranges and super-classes) come from
  HermiT's realisation (the HermiT jar bundled with owlready2, run on Java), or from the rules engine
  (engine="rules") with HermiT's check of its answer (check_with_hermit). The rules engine applies the
  constructs tbox.SUPPORTED_AXIOMS lists and refuses (UnsupportedAxiom, naming the axiom) an ontology
  with any other logical axiom, or data it cannot reason over (owl:sameAs, a type that is a class
  expression, values of a functional property that HermiT would equate);
- property values that follow from the property axioms of the ontology (sub-properties such as
  hk:leadUnit -> hk:involvesUnit, inverses such as hk:leads, transitivity of hk:partOf, symmetry and
  equivalence should the ontology ever declare them) are computed here in Python from those axioms:
  HermiT does not report them.

Only triples about our individuals (hkd:/hkc: subjects) with an hk: predicate, or rdf:type to an hk:
class, are returned; nothing about owl:Thing or external super-classes.

Before reasoning the input is prepared as OWL 2 DL needs it: every individual gets an
owl:NamedIndividual declaration, and the individuals the ontology counts or allows one of (values of
properties in number restrictions or declared functional) are declared pairwise distinct with
owl:AllDifferent, one list per top class (OWL has no unique-name assumption; our IRIs are minted one per
thing). Assertions that no logical axiom can use are left out of the reasoner's input: those whose
predicate or class occurs in the ontology only as a super-class, super-property, domain or range (or
not at all), such as rdfs:label, oa:start or rdf:type oa:SpecificResource. Dropping them changes neither
consistency nor any entailment about the other terms (such a term can always be interpreted as large as
needed), and halves HermiT's work.

Without Java (or when it does not start) the same input goes to the pure-Python OWL RL closure of owlrl;
number restrictions (>= n), which OWL RL lacks, are then decided by counting values that are declared
distinct. The result says which reasoner ran (`reasoner`, `note`). HermiT runs within a time bound and a
memory bound (HermitBounds: by default time scaled to the input, a heap scaled to the machine); its JVM
dies with this process (graph.child_processes). When check_with_hermit's HermiT exceeds a bound, the
rules engine's answer is checked by the OWL RL closure instead, and the result's `fallback` says why.

An inconsistent graph raises InconsistentOntology naming the individuals and the axioms involved: the
clashes are found with the ontology's own axioms (disjoint classes through asserted types, domains,
ranges and super-classes; functional properties; datatype ranges), and failing that by letting HermiT
narrow the data down to a small inconsistent set of individuals.
"""
