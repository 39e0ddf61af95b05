"""One self-contained HTML page: our own Jinja2 templates (viz/templates), vis-network's JS and CSS inlined
from the copy bundled in the pyvis package, the data as JSON in a <script type="application/json"> block,
and a Content-Security-Policy that lets the page load nothing at all from anywhere.

Safety: document text never goes through an HTML parser. The templates autoescape every value they write
(`_as_text` runs on each); only our own CSS, inlined JS and the data's JSON (`|tojson`, which escapes <, >,
& and ') are marked safe, each where it is written. The page's scripts build every node label, tooltip and
menu option with textContent (vis draws labels on a canvas, as text). The scripts are allowed by their
SHA-256 hashes only, so even an injected inline handler (onerror=...) would not run.
"""
import base64
import hashlib
import json
import re
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

ASSETS = Path(str(resources.files("healthkg.viz") / "assets"))
VIS_VERSION = "vis-9.1.2"
CJK_FONTS = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC", ' \
            '"Microsoft YaHei", "PingFang SC", sans-serif'
# Document text never spells "//" in a page: every run of slashes in it is written as character
# references (HTML) or \/ escapes (JSON), which read back as the same text. So a URL or a scheme-relative
# reference (src=//host) in a plan's text stays text, and check_offline, which looks for "//", finds
# only what the page's own code names.
_SLASHES = re.compile(r"//+")


class ExternalReference(RuntimeError):
    """A page would have named an external URL: a bug in the view code, never shipped."""


def _as_text(value):
    """Every value a template writes, before it reaches the page: text is escaped for HTML (element
    content or a quoted attribute) with no URL left spelled out; what is already markup (|safe, |tojson,
    a macro's output) passes as it is. None is written as nothing."""
    if hasattr(value, "__html__"):
        return value
    escaped = str(escape("" if value is None else value))
    return Markup(_SLASHES.sub(lambda m: "&#47;" * len(m.group()), escaped))


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _json(data, **_) -> str:
    """The JSON `|tojson` writes (Jinja then escapes <, >, & and ' so nothing in it can end the block or be
    read as markup): compact, in the data's own key order, and no URL spelled out (`\\/\\/` is the same
    string to JSON.parse)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _SLASHES.sub(lambda m: "\\/" * len(m.group()), text)


def json_block(data) -> str:
    """The text of a page's <script type="application/json"> block, as `|tojson` writes it."""
    return str(htmlsafe_json_dumps(data, dumps=_json))


TEMPLATES = Environment(loader=PackageLoader("healthkg.viz", "templates"), autoescape=True, finalize=_as_text,
                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
TEMPLATES.policies["json.dumps_function"] = _json
TEMPLATES.policies["json.dumps_kwargs"] = {}


def _script_text(js: str) -> str:
    """JS safe to inline: no `</script`, and URLs in its strings and comments written `http:\\/\\/` (the same
    string to JS), so the page names no external URL."""
    js = re.sub(r"(?i)</(script)", r"<\\/\1", js)
    return re.sub(r"(?i)\b(https?|ftp|wss?)://", lambda m: m.group(1) + ":\\/\\/", js)


@lru_cache(maxsize=None)
def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS, read from pyvis's bundled copy (never from a CDN)."""
    lib = resources.files("pyvis") / "templates" / "lib" / VIS_VERSION
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return _script_text(js), css


def asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def render(template: "str | Template", title: str, *, data=None, scripts: tuple[str, ...] = (), vis: bool = False,
           css: str = "", body_class: str = "", **context) -> str:
    """The whole page from viz/templates/`template` (a name, or a Template of TEMPLATES; it extends
    base.html); `scripts` are names under viz/assets, `data` goes into the page's JSON block, `context`
    to the template."""
    script_texts = []
    styles = [asset("views.css"), css]
    if vis:
        vis_js, vis_css = vis_assets()
        script_texts.append(vis_js)
        styles.insert(0, vis_css)
    script_texts += [_script_text(asset(name)) for name in scripts]
    policy = ("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
              "script-src " + (" ".join(_hash(s) for s in script_texts) if script_texts else "'none'") +
              "; base-uri 'none'; form-action 'none'")
    page = TEMPLATES.get_template(template).render(
        title=title, policy=policy, styles=[s for s in styles if s], scripts=script_texts, data=data,
        body_class=body_class, **context)
    check_offline(page)
    return page


# A URL (http://, https://, ftp://, ws://, wss://), or a scheme-relative reference in an attribute
# (src=//..., href=, action=, srcset=) or in CSS (url(//...)), written backwards: every form ends in
# "//", so the reversed page is searched for the literal "//" and only its neighbours are tried. Read
# forwards, the same regex tries every position of a page of several megabytes (0.5 s against 0.01 s).
EXTERNAL_REVERSED = re.compile(r"""(?i)//(?::(?:s?ptth|ptf|s?sw)"""
                               r"""|\s*["']?\s*=\s*(?:tescrs|crs|ferh|noitca)|\s*["']?\s*\(lru)""")


def external_references(page: str) -> list[str]:
    """Every spelled-out external URL or scheme-relative reference in a page (there should be none),
    each with 40 characters around it, in page order."""
    size = len(page)
    spans = sorted((size - m.end(), size - m.start()) for m in EXTERNAL_REVERSED.finditer(page[::-1]))
    return [page[max(0, start - 40):end + 40] for start, end in spans]


def check_offline(page: str) -> None:
    found = external_references(page)
    if found:
        raise ExternalReference(f"{len(found)} external references, e.g. {found[0]!r}")
