"""Keyword expansion for `search-tasks`: curated synonyms and the contexts a term is not found in
(graph/data/search_terms.tsv), turned into the rows of the query's VALUES block.

The query stays portable SPARQL 1.1: each keyword becomes rows (keyword, term, mask, marked). `mask` is an XPath
regular expression of the term's not_within contexts, and REPLACE(text, mask, marked) writes a mark (U+0001, a
control character no plan text holds, and ASCII: Virtuoso 7.2 garbles non-ASCII text in a replacement) into
each such context just after the term's first character, so CONTAINS no longer finds the term there; the query
removes the mark again from the snippet it shows.
"""
import re
from functools import lru_cache

from healthkg.graph.extract.tables import read_tsv, split_list

TABLE = "search_terms.tsv"
JOINER = "\u0001"
MAX_CONTEXTS = 4        # two groups each: $1 … $8, single digits in every store's replacement syntax
SEPARATORS = re.compile(r"[,，、;；]+")     # not spaces: a keyword may hold one (any text binds as itself)
XPATH_META = re.compile(r"([\\|.?*+(){}\[\]^$-])")


def split_keywords(value: str) -> list[str]:
    """The keywords of a parameter value: separated by commas, 、 or semicolons (spaces around them dropped),
    each kept once."""
    return list(dict.fromkeys(part.strip(" \u3000") or part for part in SEPARATORS.split(value) if part))


@lru_cache(maxsize=1)
def table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """term -> its synonyms (itself included, in the table's order), and term -> its not_within contexts."""
    synonyms: dict[str, tuple[str, ...]] = {}
    contexts: dict[str, list[str]] = {}
    for row in read_tsv(TABLE):
        terms = split_list(row["terms"])
        for term in terms:
            synonyms[term] = tuple(dict.fromkeys(synonyms.get(term, ()) + tuple(terms)))
        for context in split_list(row["not_within"]):
            holding = [term for term in terms if term in context]
            if len(holding) != 1 or context.count(holding[0]) != 1:
                raise ValueError(f"{TABLE}: not_within context {context!r} must hold exactly one of the row's terms "
                                 f"({', '.join(terms)}) exactly once")
            contexts.setdefault(holding[0], []).append(context)
    too_many = [term for term, found in contexts.items() if len(found) > MAX_CONTEXTS]
    if too_many:
        raise ValueError(f"{TABLE}: more than {MAX_CONTEXTS} not_within contexts for {', '.join(too_many)}")
    return synonyms, {term: tuple(found) for term, found in contexts.items()}


def mask(term: str) -> tuple[str, str]:
    """The XPath pattern of the term's not_within contexts and the replacement that breaks the term in them
    ("", "" when it has none)."""
    found = table()[1].get(term, ())
    if not found:
        return "", ""
    alternatives, firsts, rests = [], [], []
    for index, context in enumerate(found):
        cut = context.index(term) + 1
        alternatives.append(f"({_escape(context[:cut])})({_escape(context[cut:])})")
        firsts.append(f"${2 * index + 1}")
        rests.append(f"${2 * index + 2}")
    return "|".join(alternatives), "".join(firsts) + JOINER + "".join(rests)


def expand(value: str) -> list[tuple[str, str, str, str]]:
    """The rows (keyword, term, mask, marked) for a parameter value: each keyword with its synonyms."""
    keywords = split_keywords(value)
    if not keywords:
        raise ValueError("give at least one keyword")
    synonyms, rows = table()[0], []
    for keyword in keywords:
        terms = synonyms.get(keyword, (keyword,))
        # a synonym holding another term of the group (健康养老 holds 康养) is found through that term already
        rows += [(keyword, term, *mask(term)) for term in terms if not any(o != term and o in term for o in terms)]
    return rows


def _escape(text: str) -> str:
    return XPATH_META.sub(r"\\\1", text)
