"""A self-contained HTML page documenting an OWL ontology (the healthkg T-box).

    from healthkg.ontology.docs import render_ontology_html
    html_text = render_ontology_html(Graph().parse("ontology/healthkg.ttl"))

One static page: inline CSS, no script, no external resource (IRIs are shown as text, links only
point to anchors in the page). It lists the ontology's title, description and namespaces, then every
class (labels zh/en, definition, superclasses, equivalent-class definitions in a Manchester-like
notation, disjoint classes, subclasses, properties whose domain or range it is) and every property
(kind, characteristics, domain, range, super- and sub-properties, inverse), one anchor per term, with
a table of contents. Terms of other vocabularies that the ontology declares are listed after its own.
Every text taken from the graph is escaped with html.escape. The output is deterministic.
"""
from __future__ import annotations

import html
from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

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

CSS = """
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 0 auto; max-width: 64rem; padding: 1rem 2rem 4rem; line-height: 1.5; color: #1d1d1f; }
h1 { margin-bottom: .2rem; } h1 .zh { display: block; font-size: 1.3rem; font-weight: normal; color: #444; }
h2 { border-bottom: 2px solid #2b6cb0; padding-bottom: .2rem; margin-top: 2.5rem; }
code, .iri { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
.iri { color: #555; word-break: break-all; }
nav ol { columns: 2; } nav li { break-inside: avoid; }
section.term { border: 1px solid #d0d7de; border-radius: 6px; padding: .4rem 1rem .6rem; margin: 1rem 0; }
section.term h3 { margin: .3rem 0; } section.term h3 code { font-weight: normal; color: #2b6cb0; }
dl { display: grid; grid-template-columns: 11rem 1fr; gap: .25rem 1rem; margin: .4rem 0; }
dt { font-weight: 600; color: #444; } dd { margin: 0; }
.kw { font-style: normal; font-weight: 600; color: #8250df; }
.badge { display: inline-block; border-radius: 3px; padding: 0 .35rem; margin-right: .25rem;
         background: #eef4fb; border: 1px solid #c8d9ee; font-size: .85em; }
table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: .2rem .6rem; text-align: left; }
.lang { color: #777; font-size: .8em; margin-left: .2rem; }
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


class _Renderer:
    def __init__(self, graph: Graph):
        self.g = graph
        self.ontology_iri = next((s for s in sorted(graph.subjects(RDF.type, OWL.Ontology)) if isinstance(s, URIRef)),
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
        bound = {}
        for prefix, namespace in self.g.namespace_manager.namespaces():
            if prefix and str(namespace) not in bound.values():
                bound.setdefault(prefix, str(namespace))
        for prefix, namespace in WELL_KNOWN.items():
            if prefix not in bound and namespace not in bound.values():
                bound[prefix] = namespace
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

    def anchor(self, term: URIRef) -> str:
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

    def ref(self, term: Node) -> str:
        """A term as a link to its anchor when the page documents it, else as its CURIE in code."""
        if isinstance(term, URIRef):
            shown = f"<code>{esc(self.curie(term))}</code>"
            if term in self.documented:
                return f'<a href="#{esc(self.anchor(term))}" title="{esc(self.label(term))}">{shown}</a>'
            return shown
        if isinstance(term, Literal):
            shown = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"') + '"'
            if term.language:
                shown += f"@{term.language}"
            elif term.datatype not in (None, XSD.string):
                shown += f"^^{self.curie(term.datatype)}"
            return f"<code>{esc(shown)}</code>"
        return self.expression(term)

    # -- class expressions --------------------------------------------------------------------------

    def _list(self, node: Node) -> list[Node]:
        try:
            return list(Collection(self.g, node))
        except Exception:  # a broken list: show what there is
            return []

    def expression(self, node: Node, depth: int = 0) -> str:
        """A class (or data range) expression in a Manchester-like notation, escaped."""
        if not isinstance(node, BNode):
            return self.ref(node)
        if depth > MAX_DEPTH:
            return "…"
        g, kw = self.g, (lambda word: f'<em class="kw">{word}</em>')

        def sub(x: Node) -> str:
            text = self.expression(x, depth + 1)
            return f"({text})" if isinstance(x, BNode) and self._compound(x) else text

        for predicate, word in ((OWL.intersectionOf, "and"), (OWL.unionOf, "or")):
            members = g.value(node, predicate)
            if members is not None:
                return f" {kw(word)} ".join(sub(x) for x in self._list(members))
        complement = g.value(node, OWL.complementOf) or g.value(node, OWL.datatypeComplementOf)
        if complement is not None:
            return f"{kw('not')} {sub(complement)}"
        one_of = g.value(node, OWL.oneOf)
        if one_of is not None:
            return "{ " + ", ".join(self.ref(x) for x in self._list(one_of)) + " }"
        on_datatype = g.value(node, OWL.onDatatype)
        if on_datatype is not None:
            facets = []
            for facet_node in self._list(g.value(node, OWL.withRestrictions) or RDF.nil):
                for facet, value in sorted(g.predicate_objects(facet_node)):
                    facets.append(f"{esc(self.curie(facet).split(':')[-1])} {self.ref(value)}")
            return f"{self.ref(on_datatype)}[{', '.join(facets)}]"
        inverse = g.value(node, OWL.inverseOf)
        if inverse is not None and g.value(node, OWL.onProperty) is None:
            return f"{kw('inverse')} {sub(inverse)}"
        prop = g.value(node, OWL.onProperty)
        if prop is not None:
            p = self.expression(prop, depth + 1)
            filler = g.value(node, OWL.onClass) or g.value(node, OWL.onDataRange)
            for predicate, word in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only")):
                value = g.value(node, predicate)
                if value is not None:
                    return f"{p} {kw(word)} {sub(value)}"
            value = g.value(node, OWL.hasValue)
            if value is not None:
                return f"{p} {kw('value')} {self.ref(value)}"
            if g.value(node, OWL.hasSelf) is not None:
                return f"{p} {kw('Self')}"
            for predicates, word in (((OWL.minCardinality, OWL.minQualifiedCardinality), "min"),
                                     ((OWL.maxCardinality, OWL.maxQualifiedCardinality), "max"),
                                     ((OWL.cardinality, OWL.qualifiedCardinality), "exactly")):
                for predicate in predicates:
                    value = g.value(node, predicate)
                    if value is not None:
                        qualified = f" {sub(filler)}" if filler is not None else ""
                        return f"{p} {kw(word)} {esc(value)}{qualified}"
            return f"{p} {kw('restriction')}"
        return "<em>anonymous</em>"

    def _compound(self, node: BNode) -> bool:
        g = self.g
        return any(g.value(node, p) is not None for p in
                   (OWL.intersectionOf, OWL.unionOf, OWL.onProperty, OWL.complementOf))

    # -- building blocks ----------------------------------------------------------------------------

    def texts(self, term: Node, predicates) -> list[tuple[str, str]]:
        """(language, text) of literal values, zh first then en then others, sorted."""
        order = {"zh": 0, "en": 1}
        found = {(o.language or "", str(o)) for p in predicates for o in self.g.objects(term, p) if isinstance(o, Literal)}
        return sorted(found, key=lambda item: (order.get(item[0].split("-")[0].lower(), 2), item))

    def lang_block(self, items: list[tuple[str, str]]) -> str:
        parts = []
        for lang, text in items:
            attribute = f' lang="{esc(lang)}"' if lang else ""
            tag = f'<span class="lang">@{esc(lang)}</span>' if lang else ""
            parts.append(f"<div{attribute}>{esc(text)}{tag}</div>")
        return "".join(parts)

    def row(self, name: str, value: str) -> str:
        return f"<dt>{esc(name)}</dt><dd>{value}</dd>" if value else ""

    def refs(self, terms) -> str:
        return ", ".join(self.ref(t) for t in sorted(terms, key=lambda t: (isinstance(t, BNode), self.curie(t))))

    def heading(self, term: URIRef, badges: list[str]) -> str:
        en, zh = self.labels(term, "en"), self.labels(term, "zh")
        title = esc(en[0]) if en else esc(self.curie(term).split(":")[-1])
        if zh:
            title += f' <span lang="zh">{esc(zh[0])}</span>'
        badge = "".join(f'<span class="badge">{esc(b)}</span>' for b in badges)
        return f"<h3>{title} <code>{esc(self.curie(term))}</code> {badge}</h3>"

    def common_rows(self, term: URIRef) -> str:
        rows = [self.row("IRI", f'<span class="iri">{esc(term)}</span>')]
        rows.append(self.row("label 标签", self.lang_block(self.texts(term, (RDFS.label, SKOS.prefLabel)))))
        rows.append(self.row("definition 定义", self.lang_block(self.texts(term, (SKOS.definition,)))))
        rows.append(self.row("comment 注释", self.lang_block(self.texts(term, (RDFS.comment, DCTERMS.description)))))
        rows.append(self.row("example 示例", self.lang_block(self.texts(term, (SKOS.example,)))))
        defined_by = [o for o in self.g.objects(term, RDFS.isDefinedBy)]
        rows.append(self.row("defined by", ", ".join(f'<span class="iri">{esc(o)}</span>' for o in sorted(defined_by))))
        return "".join(rows)

    # -- sections -----------------------------------------------------------------------------------

    def class_section(self, cls: URIRef) -> str:
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
        rows = [
            self.common_rows(cls),
            self.row("subclass of 上位类", "<br>".join(self.expression(s) for s in self._sorted(supers))),
            self.row("equivalent to 等价于", "<br>".join(self.expression(e) for e in self._sorted(equivalents))),
            self.row("disjoint with 不相交", self.refs(disjoint)),
            self.row("subclasses 下位类", self.refs(subclasses)),
            self.row("domain of 定义域", self.refs(domain_of)),
            self.row("range of 值域", self.refs(range_of)),
        ]
        return (f'<section class="term" id="{esc(self.anchor(cls))}">{self.heading(cls, badges)}'
                f"<dl>{''.join(rows)}</dl></section>\n")

    def property_section(self, prop: URIRef) -> str:
        g = self.g
        kind = self.property_kind[prop]
        kind_text = next(f"{en} {zh}" for k, en, zh in PROPERTY_KINDS if k == kind)
        characteristics = [name for c, name in CHARACTERISTICS if (prop, RDF.type, c) in g]
        inverse = set(g.objects(prop, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, prop))
        rows = [
            self.common_rows(prop),
            self.row("kind 类型", esc(kind_text)),
            self.row("characteristics 特性", ", ".join(esc(c) for c in characteristics)),
            self.row("domain 定义域", "<br>".join(self.expression(d) for d in self._sorted(g.objects(prop, RDFS.domain)))),
            self.row("range 值域", "<br>".join(self.expression(r) for r in self._sorted(g.objects(prop, RDFS.range)))),
            self.row("sub-property of 上位属性", self.refs(g.objects(prop, RDFS.subPropertyOf))),
            self.row("super-property of 下位属性", self.refs(s for s in g.subjects(RDFS.subPropertyOf, prop)
                                                           if isinstance(s, URIRef))),
            self.row("inverse of 逆属性", self.refs(inverse)),
            self.row("equivalent to 等价于", self.refs(g.objects(prop, OWL.equivalentProperty))),
        ]
        return (f'<section class="term" id="{esc(self.anchor(prop))}">'
                f"{self.heading(prop, [kind_text.split(' ')[0]] + characteristics)}<dl>{''.join(rows)}</dl></section>\n")

    def _members(self, node: Node | None) -> set[Node]:
        """A domain or range and, for a union, its members."""
        if node is None:
            return set()
        union = self.g.value(node, OWL.unionOf) if isinstance(node, BNode) else None
        return set(self._list(union)) if union is not None else {node}

    def _sorted(self, nodes) -> list[Node]:
        return sorted(nodes, key=lambda n: (isinstance(n, BNode), self.curie(n) if isinstance(n, URIRef) else
                                            self.expression(n)))

    def external_table(self, terms: list[URIRef]) -> str:
        rows = []
        for term in terms:
            kind = "class 类" if term in self.classes else next(
                f"{en} {zh}" for k, en, zh in PROPERTY_KINDS if k == self.property_kind[term])
            defined_by = ", ".join(f'<span class="iri">{esc(o)}</span>'
                                   for o in sorted(self.g.objects(term, RDFS.isDefinedBy)))
            rows.append(f'<tr id="{esc(self.anchor(term))}"><td><code>{esc(self.curie(term))}</code></td>'
                        f"<td>{esc(kind)}</td><td>{esc(', '.join(self.labels(term)))}</td><td>{defined_by}</td></tr>")
        return ("<table><thead><tr><th>term 术语</th><th>kind 类型</th><th>label 标签</th><th>defined by</th>"
                "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>\n")

    def concept_schemes(self) -> str:
        g = self.g
        schemes = sorted((s for s in g.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)), key=self.curie)
        if not schemes:
            return ""
        members = defaultdict(list)
        for concept, scheme in g.subject_objects(SKOS.inScheme):
            members[scheme].append(concept)
        out = ['<h2 id="concept-schemes">Concept schemes 概念体系</h2>\n']
        for scheme in schemes:
            out.append(f'<section class="term" id="{esc(self.anchor(scheme))}">{self.heading(scheme, ["scheme"])}'
                       "<table><thead><tr><th>concept</th><th>zh</th><th>en</th></tr></thead><tbody>")
            for concept in sorted(members[scheme], key=self.curie):
                out.append(f"<tr><td><code>{esc(self.curie(concept))}</code></td>"
                           f"<td lang=\"zh\">{esc(', '.join(self.labels(concept, 'zh')))}</td>"
                           f"<td>{esc(', '.join(self.labels(concept, 'en')))}</td></tr>")
            out.append("</tbody></table></section>\n")
        return "".join(out)

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

        head = [f"<h1>{esc(title)}"]
        if zh_titles and zh_titles[0] != title:
            head.append(f' <span class="zh" lang="zh">{esc(zh_titles[0])}</span>')
        head.append("</h1>\n<dl>")
        if o is not None:
            head.append(self.row("IRI", f'<span class="iri">{esc(o)}</span>'))
            for predicate, name in ((OWL.versionIRI, "version IRI"),):
                for value in sorted(g.objects(o, predicate)):
                    head.append(self.row(name, f'<span class="iri">{esc(value)}</span>'))
            head.append(self.row("version 版本", esc(", ".join(sorted(str(v) for v in g.objects(o, OWL.versionInfo))))))
            head.append(self.row("description 说明", self.lang_block(
                self.texts(o, (DCTERMS.description, DC11 + "description", RDFS.comment)))))
            head.append(self.row("imports", ", ".join(f'<span class="iri">{esc(v)}</span>'
                                                      for v in sorted(g.objects(o, OWL.imports)))))
        head.append(self.row("terms 术语数", esc(f"{len(own_classes)} classes, {len(own_properties)} properties"
                                              f" (+ {len(external)} external terms)")))
        head.append("</dl>\n")

        groups = [("classes", "Classes 类", own_classes, self.class_section)]
        for kind, en, zh in PROPERTY_KINDS:
            members = [p for p in own_properties if self.property_kind[p] == kind]
            plural = en[:-1] + "ies"  # every kind ends in "property"
            groups.append((plural.replace(" ", "-"), f"{plural[0].upper()}{plural[1:]} {zh}", members,
                           self.property_section))
        groups = [group for group in groups if group[2]]

        toc = ['<nav id="toc"><h2>Contents 目录</h2><ol><li><a href="#namespaces">Namespaces 命名空间</a></li>']
        for anchor, heading, members, _ in groups:
            toc.append(f'<li><a href="#{anchor}">{esc(heading)}</a><ol>')
            toc.extend(f'<li><a href="#{esc(self.anchor(t))}">{esc(self.curie(t))}</a> '
                       f'<span lang="zh">{esc(", ".join(self.labels(t, "zh")))}</span></li>' for t in members)
            toc.append("</ol></li>")
        if self.concept_schemes():
            toc.append('<li><a href="#concept-schemes">Concept schemes 概念体系</a></li>')
        if external:
            toc.append('<li><a href="#external">External terms 外部术语</a></li>')
        toc.append("</ol></nav>\n")

        body = ['<h2 id="namespaces">Namespaces 命名空间</h2>\n<table><thead><tr><th>prefix</th><th>namespace</th>'
                "</tr></thead><tbody>"]
        body.extend(f'<tr><td><code>{esc(p)}:</code></td><td><span class="iri">{esc(n)}</span></td></tr>'
                    for p, n in sorted(self.prefixes))
        body.append("</tbody></table>\n")
        for anchor, heading, members, render in groups:
            body.append(f'<h2 id="{anchor}">{esc(heading)}</h2>\n')
            body.extend(render(t) for t in members)
        body.append(self.concept_schemes())
        if external:
            body.append('<h2 id="external">External terms 外部术语</h2>\n'
                        "<p>Terms of other vocabularies that the ontology declares and uses (not imported).</p>\n")
            body.append(self.external_table(external))

        return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>"
                + "".join(head) + "</header>\n" + "".join(toc) + "<main>\n" + "".join(body)
                + "</main>\n</body>\n</html>\n")


def render_ontology_html(ontology: Graph) -> str:
    """The HTML documentation page of ``ontology`` (a self-contained, deterministic string).

    IRIs appear only as text; their "://" is written as a character reference so that no tool that
    scans the page for web addresses mistakes an IRI shown to the reader for a resource to load."""
    page = _Renderer(ontology).render()
    return page.replace("http://", "http&#58;//").replace("https://", "https&#58;//")


if __name__ == "__main__":  # python -m ontology.docs [ontology.ttl] > index.html
    import sys
    from pathlib import Path

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "healthkg.ttl"
    sys.stdout.write(render_ontology_html(Graph().parse(path, format="turtle")))
