"""One self-contained HTML page: our own template, vis-network's JS and CSS inlined from the copy bundled
in the pyvis package, the data as JSON in a <script type="application/json"> block, and a
Content-Security-Policy that lets the page load nothing at all from anywhere.

Safety: document text never goes through an HTML parser. Python escapes every text it writes into HTML
(`esc`); the JSON block escapes <, > and & so no text can close it; the page's scripts build every node
label, tooltip and menu option with textContent (vis draws labels on a canvas, as text). The scripts are
allowed by their SHA-256 hashes only, so even an injected inline handler (onerror=...) would not run.
"""
import base64
import hashlib
import html
import json
import re
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

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


def esc(text) -> str:
    """Text for HTML (element content or a quoted attribute), with no URL left spelled out."""
    escaped = html.escape("" if text is None else str(text), quote=True)
    return _SLASHES.sub(lambda m: "&#47;" * len(m.group()), escaped)


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def json_block(data) -> str:
    """JSON that can sit inside <script type="application/json">: nothing in it can end the block or
    be read as markup, and no URL is spelled out (`\\/\\/` is the same string to JSON.parse)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _SLASHES.sub(lambda m: "\\/" * len(m.group()), text)


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


def render(title: str, body: str, *, data=None, scripts: tuple[str, ...] = (), vis: bool = False,
           css: str = "", body_class: str = "") -> str:
    """The whole page. `body` is HTML the caller built with `esc`; `scripts` are names under viz/assets."""
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
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        '<link rel="icon" href="data:,">',
        f"<title>{esc(title)}</title>",
        "".join(f"<style>{s}</style>" for s in styles if s),
        "</head>",
        f'<body class="{esc(body_class)}">' if body_class else "<body>",
        body,
    ]
    if data is not None:
        parts.append(f'<script type="application/json" id="hk-data">{json_block(data)}</script>')
    parts += [f"<script>{s}</script>" for s in script_texts]
    parts += ["</body>", "</html>", ""]
    page = "\n".join(parts)
    check_offline(page)
    return page


# A URL (http://, https://, ftp://, ws://, wss://), or a scheme-relative reference in an attribute
# (src=//..., href=, action=, srcset=) or in CSS (url(//...)), written backwards: every form ends in
# "//", so the reversed page is searched for the literal "//" and only its neighbours are tried. Read
# forwards, the same regex tries every position of a page of several megabytes (0.5 s against 0.01 s).
EXTERNAL_REVERSED = re.compile(r"""(?i)//(?::(?:s?ptth|ptf|s?sw)|\s*["']?\s*=\s*(?:tescrs|crs|ferh|noitca)|\s*["']?\s*\(lru)""")


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
