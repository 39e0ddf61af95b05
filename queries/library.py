"""The query library: every `queries/*.rq` file, its header (question in zh and en, parameters, what
a row means) and safe parameter binding.

Header lines, at the top of each file:
    # title: 中文标题 | English title
    # zh: the question in Chinese
    # en: the question in English
    # param keyword: what it means (default: 养老)
    # param kinds: what it means (concepts of: kind) (default: government-department)
    # param lead_weight: what it means (whole number) (default: 2)
    # param match: what it means (one of: any, all) (default: any)
    # param keyword: what it means (search terms) (default: 医养结合)
    # rank: load_index
    # page: rows
    # row: what one row of the answer means
The checks (`*-violation.rq`) also carry `# Check:` (what must hold, in English; indented lines continue it)
and `# Scope: plan` (the check concerns one plan's triples, so corpus builds run it per plan).
A parameter is bound by rewriting every `VALUES ?keyword { ... }` block of the query (a subquery that
needs it has its own) with the value written as a SPARQL string literal, so a value can never change the
query's structure. `(whole number)` values are checked here; `(concepts of: SCHEME)` values, a
comma-separated list of ids of that concept scheme (or `all`), are checked against the store by the
runner. `(one of: a, b)` values must be one of those. A `(search terms)` parameter is not one literal but a
list of keywords, each expanded with its curated synonyms (queries/search_terms.py): it binds every
`VALUES (?keyword ?term ?mask ?marked) { ... }` block to one row per keyword and term.
`page: rows` marks a question that lists rows: it takes `limit` and `offset` (whole numbers, declared as
`# param` lines; the library's default: a page of 1,000 rows from the first), bound as the query's LIMIT and OFFSET
(the runner reports the total: queries/runner.py); `bind(page=False)` leaves them out, for every row.
`rank: VARIABLE` makes the runner add a first column `rank`: rows the query ordered by that
variable, largest first, and equal values share a rank (1, 2, 2, 4).
"""
import re
from dataclasses import dataclass, field
from importlib import resources
from itertools import takewhile
from pathlib import Path

from healthkg.graph.rdf.vocab import sparql_prologue
from healthkg.queries import search_terms

QUERIES = Path(str(resources.files("healthkg.queries")))
# In a "..." string, SPARQL forbids a raw quote, backslash, LF and CR. A tab is escaped as well (rdflib's
# parser turns raw tabs into spaces), and so is a "u" or "U" after a backslash: parsers decode \uXXXX anywhere
# in the text before reading it (SPARQL 1.1, 19.2; rdflib even inside an escaped backslash); \U00000075 is "u".
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_U_AFTER_BACKSLASH = {"u": "\\U00000075", "U": "\\U00000055"}   # 8 digits: rdflib reads up to 8
HEADER = re.compile(r"^#\s*(title|zh|en|row|rank|page|param\s+(\w+))\s*:\s*(.*)$")
PAGE_PARAMS = ("limit", "offset")
DEFAULT = re.compile(r"\(default:\s*(.*?)\)\s*$")
CONCEPTS = re.compile(r"\(concepts of:\s*([\w-]+)\)")
WHOLE_NUMBER = "(whole number)"
SEARCH_TERMS = "(search terms)"
ONE_OF = re.compile(r"\(one of:\s*([^)]*)\)")
CHECK_SUFFIX = "-violation"


class QueryError(ValueError):
    """An unknown query name or parameter."""


@dataclass
class Query:
    name: str
    text: str
    title: str = ""
    question_zh: str = ""
    question_en: str = ""
    row: str = ""
    params: dict[str, str] = field(default_factory=dict)      # name -> description
    defaults: dict[str, str] = field(default_factory=dict)
    schemes: dict[str, str] = field(default_factory=dict)     # name -> concept scheme its values come from
    whole_numbers: set[str] = field(default_factory=set)
    term_lists: set[str] = field(default_factory=set)            # (search terms) parameters
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)   # (one of: ...) parameters
    prologue_lines: int = 0     # lines of prefixes declared before the user's own text (an ad-hoc query)
    rank_by: str = ""
    check: str = ""             # a check's `# Check:` paragraph
    plan_scoped: bool = False   # a check's `# Scope: plan`
    paged: bool = False         # `# page: rows`: takes limit and offset

    @property
    def is_check(self) -> bool:
        return self.name.endswith(CHECK_SUFFIX)

    def bind(self, values: dict[str, str] | None = None, page: bool = True) -> str:
        """The query text with every parameter bound (given value, else its default); a paged question's
        limit and offset as its LIMIT and OFFSET (none with `page=False`: every row)."""
        values = dict(values or {})
        unknown = set(values) - set(self.params)
        if unknown:
            raise QueryError(f"{self.name}: no parameter {', '.join(sorted(unknown))}; "
                             f"parameters: {', '.join(self.params) or 'none'}")
        text = self.text
        checked: dict[str, str] = {}
        for name in self.params:
            value = values.get(name, self.defaults.get(name))
            if value is None:
                raise QueryError(f"{self.name}: parameter {name} needs a value (--param {name}=...)")
            checked[name] = value
            if not value.isprintable() and not _is_unicode(value):
                raise QueryError(f"{self.name}: the value of {name} is not valid text (bytes that are not UTF-8?)")
            if name in self.whole_numbers and not (value.isascii() and value.isdigit()):
                raise QueryError(f"{self.name}: {name} must be a whole number (0, 1, 2, ...), not {value!r}")
            if name in self.choices and value not in self.choices[name]:
                raise QueryError(f"{self.name}: {name} must be one of {', '.join(self.choices[name])}, not {value!r}")
            if name in self.term_lists:
                text = self._bind_terms(text, name, value)
                continue
            if self.paged and name in PAGE_PARAMS:
                continue
            block = re.compile(rf"VALUES\s+\?{name}\s*\{{[^}}]*\}}")
            if not block.search(text):
                raise QueryError(f"{self.name}: the query has no VALUES ?{name} block to bind")
            text = block.sub(lambda _: f"VALUES ?{name} {{ {sparql_string(value)} }}", text)
        if self.paged and page:      # whole numbers, checked above: nothing else reaches the text
            limit, offset = (int(values.get(name, self.defaults[name])) for name in PAGE_PARAMS)
            text = f"{text.rstrip()}\nLIMIT {limit}\nOFFSET {offset}\n"
        return text

    def _bind_terms(self, text: str, name: str, value: str) -> str:
        try:
            rows = search_terms.expand(value)
        except ValueError as error:
            raise QueryError(f"{self.name}: {name}: {error}") from None
        block = re.compile(rf"(VALUES\s*\(\s*\?{name}\s+\?\w+\s+\?\w+\s+\?\w+\s*\))\s*\{{[^}}]*\}}")
        if not block.search(text):
            raise QueryError(f"{self.name}: the query has no VALUES (?{name} ?term ?mask ?marked) block to bind")
        body = " ".join("(" + " ".join(map(sparql_string, row)) + ")" for row in rows)
        return block.sub(lambda match: f"{match.group(1)} {{ {body} }}", text)

    def values(self, values: dict[str, str] | None = None) -> dict[str, str]:
        """Every parameter's value: the one given, else its default."""
        return {name: (values or {}).get(name, self.defaults.get(name, "")) for name in self.params}


def sparql_string(value: str) -> str:
    """The value as one SPARQL string literal ("..."), whatever characters it holds. (rdflib's Literal.n3()
    writes a value with a newline as a long string and leaves a quote after a backslash at its end
    unescaped: x, newline, backslash, quote gave invalid SPARQL.)"""
    out, previous = [], ""
    for ch in value:
        out.append(_U_AFTER_BACKSLASH[ch] if previous == "\\" and ch in _U_AFTER_BACKSLASH else _ESCAPES.get(ch, ch))
        previous = ch
    return '"' + "".join(out) + '"'


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:      # a lone surrogate: how Python keeps undecodable bytes of argv
        return False
    return True


def parse(path: Path) -> Query:
    return parse_text(path.stem, path.read_text(encoding="utf-8"))


def parse_text(name: str, text: str) -> Query:
    """A query and its header (the comment lines it opens with)."""
    query = Query(name, text)
    header = list(takewhile(lambda line: line.startswith("#"), text.splitlines()))
    query.check = _check_paragraph(header)
    query.plan_scoped = any(line.strip().lower().startswith("# scope: plan") for line in header)
    for line in header:
        match = HEADER.match(line)
        if not match:
            continue
        key, param, value = match.group(1), match.group(2), match.group(3).strip()
        if param:
            default, scheme = DEFAULT.search(value), CONCEPTS.search(value)
            description = CONCEPTS.sub("", DEFAULT.sub("", value))
            if WHOLE_NUMBER in description:
                query.whole_numbers.add(param)
            if SEARCH_TERMS in description:
                query.term_lists.add(param)
            choices = ONE_OF.search(description)
            if choices:
                query.choices[param] = tuple(part.strip() for part in choices.group(1).split(","))
            plain = ONE_OF.sub("", description).replace(WHOLE_NUMBER, "").replace(SEARCH_TERMS, "")
            query.params[param] = plain.strip()
            if default:
                query.defaults[param] = default.group(1)
            if scheme:
                query.schemes[param] = scheme.group(1)
        elif key == "rank":
            query.rank_by = value
        elif key == "page":
            query.paged = True
        else:
            setattr(query, {"title": "title", "zh": "question_zh", "en": "question_en", "row": "row"}[key], value)
    if query.paged and not all(name in query.whole_numbers for name in PAGE_PARAMS):
        raise QueryError(f"{name}: a paged query (# page: rows) declares limit and offset as (whole number) params")
    return query


def adhoc(text: str, name: str = "sparql") -> Query:
    """A query written by the user (a .rq file or --sparql text), with the project's prefixes declared before it:
    its own header comments still declare parameters, and its own PREFIX lines win over the project's."""
    query = parse_text(name, text)
    prologue = sparql_prologue()
    query.text, query.prologue_lines = prologue + text, prologue.count("\n")
    return query


def _check_paragraph(header: list[str]) -> str:
    """The English `# Check:` paragraph: its line and the indented lines that continue it."""
    lines: list[str] = []
    for line in header:
        if line.startswith("# Check:"):
            lines.append(line[len("# Check:"):].strip())
        elif lines and line.startswith("#  "):
            lines.append(line[1:].strip())
        elif lines:
            break
    return " ".join(lines)


def all_queries(include_checks: bool = True) -> dict[str, Query]:
    found = {path.stem: parse(path) for path in sorted(QUERIES.glob("*.rq"))}
    return {name: q for name, q in found.items() if include_checks or not q.is_check}


def get(name: str) -> Query:
    queries = all_queries()
    if name not in queries:
        raise QueryError(f"no query named {name!r}; `query --list` lists them")
    return queries[name]
