"""The query page `serve` offers at its root: every question of the library ready to run, the project's prefixes
declared, results as a table, and nothing that reaches outside the server that sent it.

One HTML page from the Jinja2 template queries/templates/query_page.html (autoescaped; the page's own environment:
queries/ sits below viz/ in the layers), its CSS and script inlined from the same folder and allowed by their
SHA-256 hashes in a Content-Security-Policy that lets the page talk to its own server only (`connect-src 'self'`).
The library (titles, questions, parameters and each query bound with its defaults) travels as JSON in a
<script type="application/json"> block; the page's script shows every text with textContent. A parameter the user
changes is bound by the server (`bind_request`, the library's own `Query.bind`), never by the page.
"""
import base64
import hashlib
import json
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.utils import htmlsafe_json_dumps

from healthkg.graph.rdf.vocab import READING_PREFIXES, sparql_prologue
from healthkg.queries import library, runner
from healthkg.queries.library import QueryError

TEMPLATES = Environment(loader=PackageLoader("healthkg.queries", "templates"), autoescape=True,
                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
PAGE_PATH = "/"
BIND_PATH = "/healthkg/bind"
ENDPOINT_PATH = "/query"


def _asset(name: str) -> str:
    return (resources.files("healthkg.queries") / "templates" / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _title(query: library.Query) -> tuple[str, str]:
    zh, _, en = query.title.partition(" | ")
    return zh.strip() or query.name, en.strip()


def _entry(query: library.Query) -> dict:
    zh, en = _title(query)
    try:
        text, error = query.bind(), ""
    except QueryError as failed:
        text, error = query.text, str(failed)
    return {
        "name": query.name, "title_zh": zh, "title_en": en, "question_zh": query.question_zh,
        "question_en": query.question_en or query.check, "row": query.row, "check": query.is_check,
        "params": [{"name": name, "description": description, "default": query.defaults.get(name, ""),
                    "choices": list(query.choices.get(name, ())), "scheme": query.schemes.get(name, "")}
                   for name, description in query.params.items()],
        "text": text, "error": error,
    }


def page_data() -> dict:
    queries = library.all_queries()
    ordered = [q for q in queries.values() if not q.is_check] + [q for q in queries.values() if q.is_check]
    return {"prologue": sparql_prologue(), "prologue_lines": sparql_prologue().count("\n"),
            "prefixes": {prefix: str(namespace) for prefix, namespace in sorted(READING_PREFIXES.items())},
            "endpoint": ENDPOINT_PATH, "bind": BIND_PATH, "queries": [_entry(q) for q in ordered]}


def render() -> tuple[str, str]:
    """The page and the Content-Security-Policy to send with it."""
    script, style = _asset("query_page.js"), _asset("query_page.css")
    if "</" in script or "</" in style:     # inlined as they are: nothing in them may end their element
        raise RuntimeError("query_page.js/.css must not contain '</'")
    policy = (f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)}; connect-src 'self'; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    data = htmlsafe_json_dumps(page_data(), dumps=lambda value, **_: json.dumps(value, ensure_ascii=False))
    html = TEMPLATES.get_template("query_page.html").render(
        title="healthkg SPARQL 查询 | Query page", policy=policy, style=style, script=script, data=data)
    return html, policy + "; frame-ancestors 'none'"     # a <meta> policy cannot say frame-ancestors


def bind_request(body: bytes, store=None) -> dict:
    """The answer to the page's bind request (JSON {"name": NAME, "params": {NAME: VALUE}}): the query bound
    by the library ({"text": ...}), or what is wrong ({"error": ...}). With a store, concept ids are checked
    against it as the command line does."""
    try:
        request = json.loads(body.decode("utf-8"))
        name, params = request["name"], request.get("params") or {}
        if not isinstance(name, str) or not isinstance(params, dict) or \
                not all(isinstance(v, str) for v in params.values()):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return {"error": 'the request is not {"name": "...", "params": {"name": "value"}}'}
    try:
        query = library.get(name)
        text = query.bind(params)
        if store is not None:
            values = query.values(params)
            for param, scheme in query.schemes.items():
                runner.check_concepts(query, param, values[param], scheme, store)
    except QueryError as error:
        return {"error": str(error)}
    return {"text": text}


def json_bytes(answer: dict) -> bytes:
    return json.dumps(answer, ensure_ascii=False).encode("utf-8")
