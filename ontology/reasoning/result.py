"""What a reasoner returns, and the errors it raises."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph


class ReasoningError(RuntimeError):
    """The reasoner could not run on this input (not an inconsistency)."""


class HermitExceeded(ReasoningError):
    """HermiT did not finish within its time bound or ran out of its memory (its JVM was ended)."""

    def __init__(self, message: str, out_of_time: bool):
        super().__init__(message)
        self.out_of_time = out_of_time


class InconsistentOntology(ReasoningError):
    """The ontology plus the data has no model. `individuals` and `axioms` name what clashes."""

    def __init__(self, message: str, individuals: list[str] | None = None, axioms: list[str] | None = None):
        super().__init__(message)
        self.individuals = list(individuals or [])
        self.axioms = list(axioms or [])


@dataclass(frozen=True)
class ReasoningResult:
    inferred: Graph                      # the new triples only
    reasoner: str                        # HERMIT or OWLRL
    seconds: float                       # wall time of the whole reason() call
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""
    reasoner_seconds: float = 0.0        # wall time of the HermiT run or the owlrl closure alone
    unsatisfiable: tuple = ()            # hk: classes HermiT finds unsatisfiable (a T-box bug)
    types: frozenset = frozenset()       # (individual, hk: class) pairs entailed, asserted ones included
                                         # (the rules engine's, for HermiT's check of them)
    confirmed: bool = False              # the checking reasoner (HermiT; OWL RL as a fallback) confirmed
                                         # the rules engine's answer (check_with_hermit)
    fallback: str = ""                   # why HermiT did not give the answer: not run, out of time or memory
    reused: str = ""                     # a verdict reused from graph.result_cache: "reused: same input as a
                                         # run of <date>"

    def sorted_triples(self) -> list[tuple]:
        return sorted(self.inferred, key=lambda t: tuple(str(x) for x in t))


class UnsupportedAxiom(ReasoningError):
    """The rules engine was asked to reason over an axiom (or assertion) outside the constructs it supports
    (ontology/reasoning/tbox.py). `axioms` names them."""

    def __init__(self, axioms: list[str], what: str = "the ontology's axioms"):
        shown = "; ".join(axioms[:5]) + (f"; ... and {len(axioms) - 5} more" if len(axioms) > 5 else "")
        super().__init__(f"the rules engine does not support {len(axioms)} of {what}, so its answer would miss "
                         f"what they entail: {shown} (the constructs it supports: ontology/reasoning/tbox.py)")
        self.axioms = list(axioms)
