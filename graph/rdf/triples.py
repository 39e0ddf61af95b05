"""A plain set of rdflib triples with the few Graph methods the build paths need.

rdflib's Graph keeps three indexes and context bookkeeping on every add (about 30 µs a triple); a plan
of 7,000 triples is written once, read whole by the reasoner, validated and serialised, so a set does
the job at a fraction of the cost. Anything that needs pattern queries or parsing still uses a Graph.
"""
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

# A triple as rdflib types it (rdflib's own alias, _TripleType, is private).
Triple = tuple[Node, Node, Node]


class Triples(Protocol):
    """What the writers, the serialisers, the validators and the reasoner need of a graph: rdflib's Graph
    has it, and so does TripleSet, which the build uses instead (a Graph only where patterns are queried)."""

    def __iter__(self) -> Iterator[Triple]: ...

    def __len__(self) -> int: ...

    def __contains__(self, triple: Triple, /) -> bool: ...

    def add(self, triple: Triple, /) -> object: ...

    def namespaces(self) -> Iterator[tuple[str, URIRef]]: ...

    def serialize(self, *, format: str, encoding: str) -> bytes: ...  # noqa: A002 - Graph.serialize's name


# rdflib escapes only \n, \r, " and \\ in literals. Other control characters, and the characters that
# some readers take for line ends (form feed, vertical tab, U+0085, U+2028, U+2029: Python's
# str.splitlines, JavaScript), are escaped too, so that a row is one line to every reader. The
# escapes are Oxigraph's canonical ones (\t, \b, \f, else \uXXXX with upper-case hex).
UNSAFE_CHARACTERS = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")
# Oxigraph's Turtle and Python's JSON escape the control characters but write these as they are.
LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
SHORT_ESCAPES = {"\t": "\\t", "\b": "\\b", "\f": "\\f"}


def escape_unsafe(text: str, characters: re.Pattern[str] = UNSAFE_CHARACTERS) -> str:
    """The characters as N-Triples/Turtle/JSON escapes (spelt the same in all three). Only for text in
    which they can stand only inside string literals (ASCII IRIs, no comments)."""
    return characters.sub(lambda m: SHORT_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text)


# OWL tools read string literals as XML text (xsd:string, rdf:PlainLiteral), which cannot hold these; HermiT
# rejects a document with one, written raw or as an escape.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_OR_NOT_XML = re.compile(r'\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|' + NOT_XML.pattern)
_MAYBE_NOT_XML = re.compile(NOT_XML.pattern + r"|\\[uUbf]")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}


def xml_safe_ntriples(data: bytes) -> bytes:
    """N-Triples whose literals hold no character XML forbids: each is written as the six characters of
    its escape (`\\u000B` in the file: a backslash, then u000B), so distinct literals stay distinct.
    For documents given to an OWL reasoner, which reads literal values but reasons about classes."""
    text = data.decode("utf-8")
    if not _MAYBE_NOT_XML.search(text):
        return data

    def visible(match: re.Match[str]) -> str:
        token = match.group()
        if token[0] != "\\":
            char = token
        elif token[1] in "uU":
            char = chr(int(token[2:], 16))
        else:
            char = _ECHARS.get(token[1], token[1])
        return f"\\\\u{ord(char):04X}" if NOT_XML.match(char) else token

    return _ESCAPE_OR_NOT_XML.sub(visible, text).encode("utf-8")


# rdflib's N-Triples writer escapes these four in literals, in this order (a backslash first).
_LITERAL_ESCAPES = (("\\", "\\\\"), ("\n", "\\n"), ('"', '\\"'), ("\r", "\\r"))


def _object(term: Node) -> str:
    """The object as rdflib's N-Triples serializer writes it: a literal quoted with the escapes above and
    its language tag or datatype, anything else as its n3()."""
    if not isinstance(term, Literal):
        return term.n3()
    text = str(term)
    for character, escape in _LITERAL_ESCAPES:
        text = text.replace(character, escape)
    if term.language:
        return f'"{text}"@{term.language}'
    return f'"{text}"^^<{term.datatype}>' if term.datatype else f'"{text}"'


def ntriples(triples: Iterable[Triple]) -> bytes:
    """N-Triples in the order given, one row per triple, as rdflib's serializer writes them, with the
    characters of UNSAFE_CHARACTERS escaped."""
    rows = "".join(f"{subject.n3()} {predicate.n3()} {_object(obj)} .\n" for subject, predicate, obj in triples)
    return escape_unsafe(rows).encode("utf-8")


def has_blank_nodes(graph: Iterable[Triple]) -> bool:
    """Whether any term is a blank node. The kinds of term are collected first: an isinstance check per
    term (an ABC check in rdflib) took 0.1-0.2 s on the bundled plans' graph."""
    kinds = {type(term) for triple in graph for term in triple}
    return any(issubclass(kind, BNode) for kind in kinds)


class TripleSet:
    def __init__(self, triples: Iterable[Triple] = (), namespaces: Mapping[str, str] | None = None):
        self._triples = set(triples)
        self._namespaces: dict[str, URIRef] = {}
        bound = triples.namespaces() if isinstance(triples, Graph) else (namespaces or {}).items()
        for prefix, namespace in bound:
            self.bind(prefix, namespace)

    def add(self, triple: Triple) -> "TripleSet":
        self._triples.add(triple)
        return self

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    def bind(self, prefix: str, namespace: str, override: bool = True, replace: bool = False) -> None:
        if override or prefix not in self._namespaces:
            self._namespaces[prefix] = URIRef(str(namespace))

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        return iter(self._namespaces.items())

    def __add__(self, other: Iterable[Triple]) -> "TripleSet":
        """The union, with this set's prefixes (as rdflib's Graph + Graph)."""
        union = TripleSet(self._triples, dict(self._namespaces))
        union._triples.update(other)
        return union

    def serialize(self, format: str = "nt", encoding: str | None = "utf-8") -> bytes:  # noqa: A002
        """N-Triples only: what the validators and the stores read (Graph.serialize's signature)."""
        if format not in ("nt", "ntriples") or encoding != "utf-8":
            raise ValueError(f"a TripleSet writes N-Triples in UTF-8 only, not {format} ({encoding})")
        return self.ntriples()

    def ntriples(self) -> bytes:
        """N-Triples in set order, as rdflib's serializer writes them (sort for stable files)."""
        return ntriples(self._triples)

    def to_graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in self._namespaces.items():
            graph.bind(prefix, namespace)
        for triple in self._triples:
            graph.add(triple)
        return graph
