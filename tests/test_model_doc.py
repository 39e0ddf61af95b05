"""ontology/MODEL.md agrees with the data: every term the release uses is documented, every term of ours the
document names exists, and its SPARQL examples run and answer."""
from __future__ import annotations

import re

import pytest
from conftest import RELEASE, ROOT
from rdflib import RDF, Graph

from healthkg.graph.rdf.vocab import PREFIXES

MODEL = ROOT / "ontology" / "MODEL.md"
ONTOLOGY = ROOT / "ontology" / "healthkg.ttl"
NAMESPACES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
# Vocabularies whose every term the document must name: ours and the W3C ones the release reuses.
DOCUMENTED = ("hk", "qb", "eli", "org", "prov", "oa", "dcat", "skos", "dcterms", "time", "p-plan", "spdx")
CURIE = re.compile(r"(?<![\w/#-])(" + "|".join(map(re.escape, NAMESPACES)) + r"):([A-Za-z_][\w-]*)")
# `skos:` (`Concept`, `ConceptScheme`, …): a vocabulary's terms listed without their prefix.
TERM_LIST = re.compile(r"`(" + "|".join(map(re.escape, NAMESPACES)) + r"):`[^(`]*\(((?:`[^`]+`[,\s]*)+)\)")
EXAMPLE = re.compile(r"```sparql\n(.*?)```", re.S)


def named_terms(text: str) -> set[str]:
    text = EXAMPLE.sub("", text)            # the examples' backticks would pair with the prose's
    named = set()
    for code in re.findall(r"`([^`]+)`", text):
        named |= {NAMESPACES[prefix] + local for prefix, local in CURIE.findall(code)}
    for prefix, listed in TERM_LIST.findall(text):
        named |= {NAMESPACES[prefix] + local for local in re.findall(r"`([A-Za-z_][\w-]*)`", listed)}
    return named


@pytest.fixture(scope="module")
def release() -> Graph:
    graph = Graph()
    graph.parse(RELEASE, format="nt")
    return graph


def _ours(iri: str) -> bool:
    return any(iri.startswith(NAMESPACES[prefix]) for prefix in DOCUMENTED)


def test_every_term_the_release_uses_is_documented(release):
    used = {str(term) for term in set(release.predicates()) | set(release.objects(None, RDF.type)) if _ours(str(term))}
    missing = sorted(used - named_terms(MODEL.read_text(encoding="utf-8")))
    assert not missing, f"the release uses terms MODEL.md does not name: {missing}"


def test_every_term_of_ours_the_document_names_exists(release):
    ontology = Graph()
    ontology.parse(ONTOLOGY, format="turtle")
    known = {str(term) for term in set(ontology.subjects()) | set(release.predicates())
             | set(release.objects(None, RDF.type))}
    hk = NAMESPACES["hk"]
    ghosts = sorted(term for term in named_terms(MODEL.read_text(encoding="utf-8"))
                    if term.startswith(hk) and term not in known)
    assert not ghosts, f"MODEL.md names hk: terms the ontology and the data lack: {ghosts}"


def test_a_misnamed_term_would_be_caught(release):
    text = MODEL.read_text(encoding="utf-8") + "\n`hk:noSuchRelation`\n"
    assert NAMESPACES["hk"] + "noSuchRelation" in named_terms(text)


@pytest.mark.parametrize("number", range(len(EXAMPLE.findall(MODEL.read_text(encoding="utf-8")))))
def test_the_sparql_examples_run_and_answer(number, release_store):
    example = EXAMPLE.findall(MODEL.read_text(encoding="utf-8"))[number]
    answer = release_store.select(example)
    assert answer.rows, f"example {number + 1} of MODEL.md answers nothing:\n{example}"


def test_the_document_has_sparql_examples():
    assert len(EXAMPLE.findall(MODEL.read_text(encoding="utf-8"))) >= 3
