"""A self-contained HTML page documenting an OWL ontology (the healthkg T-box).

    from healthkg.ontology.docs import render_ontology_html
    html_text = render_ontology_html(Graph().parse("ontology/healthkg.ttl"))

One static page: inline CSS, no script, no external resource (IRIs are shown as text, links only
point to anchors in the page). It lists the ontology's title, description and namespaces, then every
class (labels zh/en, definition, superclasses, equivalent-class definitions in a Manchester-like
notation, disjoint classes, subclasses, properties whose domain or range it is) and every property
(kind, characteristics, domain, range, super- and sub-properties, inverse), one anchor per term, with
a table of contents. Terms of other vocabularies that the ontology declares are listed after its own.
The page comes from Jinja2 templates (ontology/templates) with autoescaping, so every text taken from
the graph is escaped where it is written. Class expressions are built here as markup with
Markup.format, which escapes every value it is given. The output is deterministic.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Identifier, Node

DC11 = URIRef("http://purl.org/dc/elements/1.1/")
CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_KINDS = (
    (OWL.ObjectProperty, "object property", "对象属性"),
    (OWL.DatatypeProperty, "datatype property", "数据属性"),
    (OWL.AnnotationProperty, "annotation property", "注释属性"),
    (RDF.Property, "property", "属性"),
)
CHARACTERISTICS = (
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverse functional"),
    (OWL.TransitiveProperty, "transitive"),
    (OWL.SymmetricProperty, "symmetric"),
    (OWL.AsymmetricProperty, "asymmetric"),
    (OWL.ReflexiveProperty, "reflexive"),
    (OWL.IrreflexiveProperty, "irreflexive"),
)
WELL_KNOWN = {
    "owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "skos": str(SKOS),
    "dcterms": str(DCTERMS),
}
MAX_DEPTH = 12

ROW_KINDS = ("iris", "texts", "text", "lines", "list")

# The page's own environment (ontology/ sits below viz/ in the layers, so it cannot share viz's): every
# value a template writes is escaped unless it is Markup, and a name the template does not get fails.
TEMPLATES = Environment(loader=PackageLoader("healthkg.ontology", "templates"), autoescape=True,
                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@dataclass(frozen=True)
class Row:
    """One <dt>/<dd> pair, left out when it has no values. kind says how the template writes them:
    iris (IRIs as text, comma-separated), texts ((language, text) pairs, one per line), text (plain
    strings, comma-separated), lines (expression markup, one per line), list (term markup, comma-separated)."""
    name: str
    kind: str
    values: Sequence

    def __post_init__(self):
        if self.kind not in ROW_KINDS:
            raise ValueError(f"unknown row kind {self.kind!r}")


@dataclass(frozen=True)
class Term:
    """What the page shows of one term: its heading and rows; for a concept scheme its concepts; for a
    term of another vocabulary (the external table) its kind, all its labels and where it is defined."""
    anchor: str
    curie: str
    title: str
    zh: list[str]
    en: list[str]
    badges: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    concepts: list[Term] = field(default_factory=list)
    kind: str = ""
    labels: list[str] = field(default_factory=list)
    defined_by: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Group:
    anchor: str
    heading: str
    terms: list[Term]


def _sorted(nodes: Iterable[Node]) -> list[Identifier]:
    """`nodes` in rdflib's order of terms (Identifier's; rdflib types a graph's nodes as Node, which has none)."""
    terms = list(nodes)
    if not all(isinstance(t, Identifier) for t in terms):
        raise TypeError(f"not an RDF term among {terms!r}")
    return sorted(t for t in terms if isinstance(t, Identifier))


class _Renderer:
    def __init__(self, graph: Graph):
        self.g = graph
        self.ontology_iri = next((s for s in _sorted(graph.subjects(RDF.type, OWL.Ontology)) if isinstance(s, URIRef)),
                                 None)
        self.prefixes = self._prefixes()
        self.classes = sorted(
            {s for t in CLASS_TYPES for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}
            - {OWL.Thing, OWL.Nothing},
            key=self.curie,
        )
        kinds: dict[URIRef, str] = {}
        for kind, _, _ in PROPERTY_KINDS:
            for s in graph.subjects(RDF.type, kind):
                if isinstance(s, URIRef) and s not in kinds:
                    kinds[s] = kind
        for characteristic, _ in CHARACTERISTICS:  # a property typed only by its characteristic
            for s in graph.subjects(RDF.type, characteristic):
                if isinstance(s, URIRef) and s not in kinds:
                    kinds[s] = RDF.Property
        self.property_kind = kinds
        self.properties = sorted(kinds, key=self.curie)
        self.documented = set(self.classes) | set(self.properties)

    # -- names --------------------------------------------------------------------------------------

    def _prefixes(self) -> list[tuple[str, str]]:
        bound: dict[str, str] = {}
        for prefix, namespace in self.g.namespace_manager.namespaces():
            if prefix and str(namespace) not in bound.values():
                bound.setdefault(prefix, str(namespace))
        for prefix, known in WELL_KNOWN.items():
            if prefix not in bound and known not in bound.values():
                bound[prefix] = known
        used = {str(t) for triple in self.g for t in triple if isinstance(t, URIRef)}
        return sorted(
            ((p, n) for p, n in bound.items() if any(u.startswith(n) for u in used)),
            key=lambda item: (-len(item[1]), item[0]),
        )

    def curie(self, term: Node) -> str:
        text = str(term)
        for prefix, namespace in self.prefixes:  # longest namespace first
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return text

    def anchor(self, term: Node) -> str:
        return "".join(c if c.isalnum() or c in "-_." else "-" for c in self.curie(term))

    def own(self, term: URIRef) -> bool:
        if self.ontology_iri is None:
            return True
        return (term, RDFS.isDefinedBy, self.ontology_iri) in self.g or str(term).startswith(str(self.ontology_iri))

    def labels(self, term: Node, lang: str | None = None) -> list[str]:
        values = [o for p in (RDFS.label, SKOS.prefLabel) for o in self.g.objects(term, p) if isinstance(o, Literal)]
        if lang is None:
            return sorted({str(v) for v in values})
        return sorted({str(v) for v in values if (v.language or "").lower().split("-")[0] == lang})

    def label(self, term: Node) -> str:
        for lang in ("en", "zh"):
            found = self.labels(term, lang)
            if found:
                return found[0]
        found = self.labels(term)
        return found[0] if found else self.curie(term).split(":")[-1]

    # Markup below wraps only our own tags; every value taken from the graph goes through
    # Markup.format or Markup.join, which escape it.

    def ref(self, term: Node) -> Markup:
        """A term as a link to its anchor when the page documents it, else as its CURIE in code."""
        if isinstance(term, URIRef):
            shown = Markup("<code>{}</code>").format(self.curie(term))
            if term in self.documented:
                return Markup('<a href="#{}" title="{}">{}</a>').format(self.anchor(term), self.label(term), shown)
            return shown
        if isinstance(term, Literal):
            text = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"') + '"'
            if term.language:
                text += f"@{term.language}"
            elif term.datatype not in (None, XSD.string):
                text += f"^^{self.curie(term.datatype)}"
            return Markup("<code>{}</code>").format(text)
        return self.expression(term)

    # -- class expressions --------------------------------------------------------------------------

    def _list(self, node: Node) -> list[Node]:
        try:
            return list(Collection(self.g, node))
        except Exception:  # a broken list: show what there is
            return []

    def expression(self, node: Node, depth: int = 0) -> Markup:
        """A class (or data range) expression in a Manchester-like notation, as escaped markup."""
        if not isinstance(node, BNode):
            return self.ref(node)
        if depth > MAX_DEPTH:
            return Markup("…")
        g = self.g

        def kw(word: str) -> Markup:
            return Markup('<em class="kw">{}</em>').format(word)

        def sub(x: Node) -> Markup:
            text = self.expression(x, depth + 1)
            return Markup("({})").format(text) if isinstance(x, BNode) and self._compound(x) else text

        for predicate, word in ((OWL.intersectionOf, "and"), (OWL.unionOf, "or")):
            members = g.value(node, predicate)
            if members is not None:
                return Markup(" {} ").format(kw(word)).join(sub(x) for x in self._list(members))
        complement = g.value(node, OWL.complementOf) or g.value(node, OWL.datatypeComplementOf)
        if complement is not None:
            return Markup("{} {}").format(kw("not"), sub(complement))
        one_of = g.value(node, OWL.oneOf)
        if one_of is not None:
            return Markup("{{ {} }}").format(Markup(", ").join(self.ref(x) for x in self._list(one_of)))
        on_datatype = g.value(node, OWL.onDatatype)
        if on_datatype is not None:
            facets = []
            for facet_node in self._list(g.value(node, OWL.withRestrictions) or RDF.nil):
                for facet, facet_value in sorted(g.predicate_objects(facet_node)):
                    facets.append(Markup("{} {}").format(self.curie(facet).split(":")[-1], self.ref(facet_value)))
            return Markup("{}[{}]").format(self.ref(on_datatype), Markup(", ").join(facets))
        inverse = g.value(node, OWL.inverseOf)
        if inverse is not None and g.value(node, OWL.onProperty) is None:
            return Markup("{} {}").format(kw("inverse"), sub(inverse))
        prop = g.value(node, OWL.onProperty)
        if prop is not None:
            p = self.expression(prop, depth + 1)
            filler = g.value(node, OWL.onClass) or g.value(node, OWL.onDataRange)
            for predicate, word in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only")):
                value = g.value(node, predicate)
                if value is not None:
                    return Markup("{} {} {}").format(p, kw(word), sub(value))
            value = g.value(node, OWL.hasValue)
            if value is not None:
                return Markup("{} {} {}").format(p, kw("value"), self.ref(value))
            if g.value(node, OWL.hasSelf) is not None:
                return Markup("{} {}").format(p, kw("Self"))
            for predicates, word in (((OWL.minCardinality, OWL.minQualifiedCardinality), "min"),
                                     ((OWL.maxCardinality, OWL.maxQualifiedCardinality), "max"),
                                     ((OWL.cardinality, OWL.qualifiedCardinality), "exactly")):
                for predicate in predicates:
                    value = g.value(node, predicate)
                    if value is not None:
                        qualified = Markup(" {}").format(sub(filler)) if filler is not None else ""
                        return Markup("{} {} {}{}").format(p, kw(word), str(value), qualified)
            return Markup("{} {}").format(p, kw("restriction"))
        return Markup("<em>anonymous</em>")

    def _compound(self, node: BNode) -> bool:
        g = self.g
        return any(g.value(node, p) is not None for p in
                   (OWL.intersectionOf, OWL.unionOf, OWL.onProperty, OWL.complementOf))

    # -- building blocks ----------------------------------------------------------------------------

    def texts(self, term: Node, predicates) -> list[tuple[str, str]]:
        """(language, text) of literal values, zh first then en then others, sorted."""
        order = {"zh": 0, "en": 1}
        found = {(o.language or "", str(o))
                 for p in predicates for o in self.g.objects(term, p) if isinstance(o, Literal)}
        return sorted(found, key=lambda item: (order.get(item[0].split("-")[0].lower(), 2), item))

    def refs(self, terms: Iterable[Node]) -> list[Markup]:
        return [self.ref(t) for t in sorted(terms, key=lambda t: (isinstance(t, BNode), self.curie(t)))]

    def term(self, term: Node, badges: Sequence[str] = (), rows: Sequence[Row] = ()) -> Term:
        en = self.labels(term, "en")
        return Term(anchor=self.anchor(term), curie=self.curie(term),
                    title=en[0] if en else self.curie(term).split(":")[-1],
                    zh=self.labels(term, "zh"), en=en, badges=list(badges), rows=list(rows))

    def common_rows(self, term: URIRef) -> list[Row]:
        return [
            Row("IRI", "iris", [str(term)]),
            Row("label 标签", "texts", self.texts(term, (RDFS.label, SKOS.prefLabel))),
            Row("definition 定义", "texts", self.texts(term, (SKOS.definition,))),
            Row("comment 注释", "texts", self.texts(term, (RDFS.comment, DCTERMS.description))),
            Row("example 示例", "texts", self.texts(term, (SKOS.example,))),
            Row("defined by", "iris", [str(o) for o in _sorted(self.g.objects(term, RDFS.isDefinedBy))]),
        ]

    # -- sections -----------------------------------------------------------------------------------

    def class_term(self, cls: URIRef) -> Term:
        g = self.g
        supers = [o for o in g.objects(cls, RDFS.subClassOf)]
        equivalents = [o for o in g.objects(cls, OWL.equivalentClass)] + \
                      [s for s in g.subjects(OWL.equivalentClass, cls) if isinstance(s, URIRef)]
        disjoint = set(g.objects(cls, OWL.disjointWith)) | set(g.subjects(OWL.disjointWith, cls))
        for group in g.subjects(RDF.type, OWL.AllDisjointClasses):
            members = self._list(g.value(group, OWL.members) or RDF.nil)
            if cls in members:
                disjoint.update(m for m in members if m != cls)
        subclasses = [s for s in g.subjects(RDFS.subClassOf, cls) if isinstance(s, URIRef)]
        domain_of = [p for p in self.properties if cls in self._members(g.value(p, RDFS.domain))]
        range_of = [p for p in self.properties if cls in self._members(g.value(p, RDFS.range))]
        badges = ["defined class"] if equivalents else []
        return self.term(cls, badges, self.common_rows(cls) + [
            Row("subclass of 上位类", "lines", [self.expression(s) for s in self._sorted(supers)]),
            Row("equivalent to 等价于", "lines", [self.expression(e) for e in self._sorted(equivalents)]),
            Row("disjoint with 不相交", "list", self.refs(disjoint)),
            Row("subclasses 下位类", "list", self.refs(subclasses)),
            Row("domain of 定义域", "list", self.refs(domain_of)),
            Row("range of 值域", "list", self.refs(range_of)),
        ])

    def property_term(self, prop: URIRef) -> Term:
        g = self.g
        kind_text = self.kind_text(prop)
        characteristics = [name for c, name in CHARACTERISTICS if (prop, RDF.type, c) in g]
        inverse = set(g.objects(prop, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, prop))
        return self.term(prop, [kind_text.split(" ")[0]] + characteristics, self.common_rows(prop) + [
            Row("kind 类型", "text", [kind_text]),
            Row("characteristics 特性", "text", characteristics),
            Row("domain 定义域", "lines", [self.expression(d) for d in self._sorted(g.objects(prop, RDFS.domain))]),
            Row("range 值域", "lines", [self.expression(r) for r in self._sorted(g.objects(prop, RDFS.range))]),
            Row("sub-property of 上位属性", "list", self.refs(g.objects(prop, RDFS.subPropertyOf))),
            Row("super-property of 下位属性", "list",
                self.refs(s for s in g.subjects(RDFS.subPropertyOf, prop) if isinstance(s, URIRef))),
            Row("inverse of 逆属性", "list", self.refs(inverse)),
            Row("equivalent to 等价于", "list", self.refs(g.objects(prop, OWL.equivalentProperty))),
        ])

    def kind_text(self, prop: URIRef) -> str:
        return next(f"{en} {zh}" for k, en, zh in PROPERTY_KINDS if k == self.property_kind[prop])

    def _members(self, node: Node | None) -> set[Node]:
        """A domain or range and, for a union, its members."""
        if node is None:
            return set()
        union = self.g.value(node, OWL.unionOf) if isinstance(node, BNode) else None
        return set(self._list(union)) if union is not None else {node}

    def _sorted(self, nodes) -> list[Node]:
        return sorted(nodes, key=lambda n: (isinstance(n, BNode), self.curie(n) if isinstance(n, URIRef) else
                                            self.expression(n)))

    def external_term(self, term: URIRef) -> Term:
        return replace(self.term(term), kind="class 类" if term in self.classes else self.kind_text(term),
                       labels=self.labels(term),
                       defined_by=[str(o) for o in _sorted(self.g.objects(term, RDFS.isDefinedBy))])

    def concept_schemes(self) -> list[Term]:
        g = self.g
        schemes = sorted((s for s in g.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)), key=self.curie)
        members = defaultdict(list)
        for concept, scheme in g.subject_objects(SKOS.inScheme):
            members[scheme].append(concept)
        found = []
        for scheme in schemes:
            concepts = [self.term(c) for c in sorted(members[scheme], key=self.curie)]
            found.append(replace(self.term(scheme, ["scheme"]), concepts=concepts))
        return found

    # -- the page -----------------------------------------------------------------------------------

    def render(self) -> str:
        g, o = self.g, self.ontology_iri
        titles = self.texts(o, (DCTERMS.title, DC11 + "title", RDFS.label)) if o is not None else []
        en_titles = [t for lang, t in titles if lang.startswith("en")] or [t for _, t in titles]
        zh_titles = [t for lang, t in titles if lang.startswith("zh")]
        title = en_titles[0] if en_titles else "Ontology documentation"
        own_classes = [c for c in self.classes if self.own(c)]
        own_properties = [p for p in self.properties if self.own(p)]
        external = sorted((t for t in self.documented if not self.own(t)), key=self.curie)

        rows = []
        if o is not None:
            rows.append(Row("IRI", "iris", [str(o)]))
            rows.extend(Row("version IRI", "iris", [str(v)]) for v in _sorted(g.objects(o, OWL.versionIRI)))
            rows.append(Row("version 版本", "text", [", ".join(sorted(str(v) for v in g.objects(o, OWL.versionInfo)))]))
            rows.append(Row("description 说明", "texts",
                            self.texts(o, (DCTERMS.description, DC11 + "description", RDFS.comment))))
            rows.append(Row("imports", "iris", [str(v) for v in _sorted(g.objects(o, OWL.imports))]))
        rows.append(Row("terms 术语数", "text", [f"{len(own_classes)} classes, {len(own_properties)} properties"
                                                 f" (+ {len(external)} external terms)"]))

        groups = [Group("classes", "Classes 类", [self.class_term(c) for c in own_classes])]
        for kind, en, zh in PROPERTY_KINDS:
            members = [p for p in own_properties if self.property_kind[p] == kind]
            plural = en[:-1] + "ies"  # every kind ends in "property"
            groups.append(Group(plural.replace(" ", "-"), f"{plural[0].upper()}{plural[1:]} {zh}",
                                [self.property_term(p) for p in members]))

        return TEMPLATES.get_template("page.html").render(
            title=title, zh_title=zh_titles[0] if zh_titles and zh_titles[0] != title else None, rows=rows,
            prefixes=sorted(self.prefixes), groups=[group for group in groups if group.terms],
            schemes=self.concept_schemes(), external=[self.external_term(t) for t in external])


def render_ontology_html(ontology: Graph) -> str:
    """The HTML documentation page of ``ontology`` (a self-contained, deterministic string).

    IRIs appear only as text; their "://" is written as a character reference so that no tool that
    scans the page for web addresses mistakes an IRI shown to the reader for a resource to load."""
    page = _Renderer(ontology).render()
    return page.replace("http://", "http&#58;//").replace("https://", "https&#58;//")


if __name__ == "__main__":  # python -m healthkg.ontology.docs [ontology.ttl] > index.html
    import sys
    from pathlib import Path

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "healthkg.ttl"
    sys.stdout.write(render_ontology_html(Graph().parse(path, format="turtle")))
