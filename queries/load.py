"""The coordinating-load ranking, defined once.

What is counted lives in the library's two queries: `coordinating-load-by-function` and
`coordinating-load` (per body) count government departments by default (`kinds`), each task once per
function or body (as lead when it is written as both), and give the index
`lead_weight x tasks led + cooperating_weight x tasks only co-operated on` (2 : 1 by default: leading
a task is the heavier job). The runner ranks their rows (equal indexes share a rank; lead count, then
name, break the tie for display). The headline, the network tables, the views and the report all read
these answers, so a function stands at the same place everywhere; the robustness table reruns the same
query under other weightings.
"""
from healthkg.queries import library
from healthkg.queries.runner import run_all as run
from healthkg.queries.stores import Answer, Store

BY_FUNCTION = "coordinating-load-by-function"
BY_BODY = "coordinating-load"
OTHER_BODIES = "other-bodies-load"
WEIGHTINGS = {"lead 2 : co-op 1": (2, 1), "equal 1 : 1": (1, 1), "lead 3 : co-op 1": (3, 1),
              "lead only 1 : 0": (1, 0), "co-op only 0 : 1": (0, 1)}


def default_kinds() -> str:
    return library.get(BY_FUNCTION).defaults["kinds"]


def headline_weights() -> tuple[int, int]:
    defaults = library.get(BY_FUNCTION).defaults
    return int(defaults["lead_weight"]), int(defaults["cooperating_weight"])


def _params(kinds: str | None, weights: tuple[int, int] | None) -> dict[str, str]:
    params = {}
    if kinds is not None:
        params["kinds"] = kinds
    if weights is not None:
        params["lead_weight"], params["cooperating_weight"] = str(weights[0]), str(weights[1])
    return params


def by_function(store: Store, kinds: str | None = None, weights: tuple[int, int] | None = None,
                city: str | None = None) -> Answer:
    params = _params(kinds, weights)
    if city is not None:
        params["city"] = city
    return run(library.get(BY_FUNCTION), store, params)


def by_body(store: Store, kinds: str | None = None, weights: tuple[int, int] | None = None) -> Answer:
    return run(library.get(BY_BODY), store, _params(kinds, weights))


def other_bodies(store: Store) -> Answer:
    return run(library.get(OTHER_BODIES), store)


def robustness(store: Store, top: int = 10, kinds: str | None = None) -> Answer:
    """The rank of each of the headline's top functions under every weighting (ties share a rank); a robust
    answer keeps its rank."""
    ranks = {}
    for label, weights in WEIGHTINGS.items():
        ranks[label] = {row["function"]: row["rank"] for row in by_function(store, kinds, weights).as_dicts()}
    headline = by_function(store, kinds).as_dicts()[:top]
    rows = [[row["function"], row["function_zh"], row["function_en"]] + [ranks[label][row["function"]]
                                                                         for label in WEIGHTINGS]
            for row in headline]
    return Answer(["function", "function_zh", "function_en"] + [f"rank ({label})" for label in WEIGHTINGS], rows)
