"""A SPARQL 1.1 Protocol query through SPARQLWrapper, with an overall deadline and a response size limit.

SPARQLWrapper builds and sends the request (form-encoded POST, Accept: SPARQL JSON results). What it leaves
unbounded is bounded here:
- Deadline. urllib's timeout bounds each socket operation, not the request: a server that sends a byte a
  second never trips it. So the request runs in a daemon worker thread that the caller waits for until the
  deadline, whatever the worker is waiting for (name lookup, connect, headers, body). The worker then ends
  by itself: it checks the deadline between chunks of the body, and the socket timeout (a second after the
  deadline) ends a read from a server gone silent. Only a server that trickles its headers keeps it (a
  daemon thread, its socket and at most http.client's limit on headers) until it stops sending.
- Size. The body is read in chunks up to the limit, never with QueryResult.convert(), which reads it whole
  (and only warns about a content type that is not the one asked for; here that is refused).
- Transport. SPARQLWrapper sends through urllib's global urlopen, which follows redirects (a POST turned into
  a GET loses its query), to an ftp: URL too, and reads the whole body of an error.
  `_Client` sends through an opener of http(s) only (proxies from the environment honoured) that follows no
  redirect, and at most a few KB of an error's body are read.

Errors: `NotAnEndpoint` when what answers is not a SPARQL endpoint (an HTML page, JSON that is not SPARQL
results): the URL is wrong. `EndpointFailed` when no complete, well-formed answer came within the bounds
(unreachable, HTTP error status, deadline, size limit, broken connection, malformed JSON: Oxigraph itself
answers a query it cancelled with "200 OK", the start of the JSON and then the error's text).
"""
import http.client
import json
import math
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper

CHUNK = 1 << 16
SHOWN = 200             # characters of a bad answer quoted in an error


class EndpointFailed(RuntimeError):
    """No complete answer within the bounds."""


class NotAnEndpoint(ValueError):
    """The answer is not SPARQL JSON results."""


def check_url(url: str) -> str:
    """The URL if it is an http(s) URL with a host; ValueError naming what is wrong otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"--endpoint {url!r} is not an http:// or https:// URL")
    if not parts.hostname:
        raise ValueError(f"--endpoint {url!r} names no host")
    try:
        parts.port                                    # noqa: B018 - raises on a bad port
    except ValueError as error:
        raise ValueError(f"--endpoint {url!r}: {error}") from None
    return url


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()    # no redirect handler, no file:, ftp: or data: handlers
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


class _Client(SPARQLWrapper):
    """SPARQLWrapper sending through `_opener()` rather than urllib's global urlopen (see the module's doc)."""

    def _query(self):
        return _opener().open(self._createRequest(), timeout=self.timeout), self.returnFormat


def _too_late(url: str, seconds: float) -> EndpointFailed:
    return EndpointFailed(f"{url} gave no complete answer within {seconds:g} s (--timeout)")


def _read_bounded(response, limit: int, url: str, ends: float, seconds: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise EndpointFailed(f"{url} announced an answer of {int(declared) / 1e6:.1f} MB, over the limit of "
                             f"{limit / 1e6:g} MB (--max-response-mb)")
    body = bytearray()
    while chunk := response.read1(CHUNK):
        body += chunk
        if len(body) > limit:
            raise EndpointFailed(f"{url} sent more than {limit / 1e6:g} MB (--max-response-mb); stopped reading")
        if time.monotonic() > ends:
            raise _too_late(url, seconds)
    return bytes(body)


def _excerpt(body: bytes, end: bool = False) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    text = text[-SHOWN:] if end else text[:SHOWN]
    return " ".join(text.split())


def _http_error(url: str, error: urllib.error.HTTPError) -> EndpointFailed:
    message = f"{url} answered HTTP {error.code} {error.reason}"
    if 300 <= error.code < 400 and error.headers.get("Location"):
        return EndpointFailed(f"{message}, to {error.headers['Location']} (not followed: a redirected POST loses "
                              "its query; give --endpoint the URL it names)")
    try:
        detail = _excerpt(error.read1(4096))
    except (OSError, http.client.HTTPException):
        detail = ""
    return EndpointFailed(message + (f": {detail}" if detail else ""))


def _fetch(client: _Client, url: str, ends: float, seconds: float, max_bytes: int) -> tuple[str, bytes]:
    """Runs in the worker thread: the answer's content type and body, or EndpointFailed."""
    try:
        with client.query().response as response:
            return response.headers.get_content_type(), _read_bounded(response, max_bytes, url, ends, seconds)
    except urllib.error.HTTPError as error:
        with error:                                   # holds the connection
            raise _http_error(url, error) from None
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() > ends or isinstance(getattr(error, "reason", error), TimeoutError):  # URLError wraps it
            raise _too_late(url, seconds) from None
        raise EndpointFailed(f"{url} did not answer: {getattr(error, 'reason', None) or error}") from None


def query(url: str, sparql: str, *, deadline_seconds: float, max_bytes: int, user_agent: str) -> dict:
    """POST the query (URL-encoded form, SPARQL 1.1 Protocol) and return the parsed JSON results."""
    client = _Client(url, agent=user_agent)
    client.setQuery(sparql)
    # SPARQLWrapper guesses the query form from the text ("add its name" in a header reads as an ADD
    # update, sent to the update service); every query of ours is a SELECT.
    client.queryType = SELECT
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setOnlyConneg(True)              # the format by the Accept header only, as the protocol says
    client.setTimeout(math.ceil(deadline_seconds) + 1)      # each socket operation: a backstop for the worker
    ends = time.monotonic() + deadline_seconds
    outcome: list = []

    def fetch() -> None:
        try:
            outcome.append(_fetch(client, url, ends, deadline_seconds, max_bytes))
        except Exception as error:  # noqa: BLE001 - handed to the caller, which raises it
            outcome.append(error)

    worker = threading.Thread(target=fetch, name=f"sparql-query {url}", daemon=True)
    worker.start()
    worker.join(deadline_seconds)
    if not outcome:
        raise _too_late(url, deadline_seconds)
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    kind, body = outcome[0]
    if kind not in ("application/sparql-results+json", "application/json") and not kind.endswith("+json"):
        raise NotAnEndpoint(f"{url} answered {kind}, not SPARQL JSON results (is it a SPARQL endpoint?): "
                            f"{_excerpt(body)!r}")
    try:
        data = json.loads(body)
    except ValueError as error:
        raise EndpointFailed(f"{url} answered malformed JSON ({error}); its answer ends with "
                             f"{_excerpt(body, end=True)!r}") from None
    if not (isinstance(data, dict) and isinstance(data.get("head"), dict)
            and isinstance(data.get("results"), dict) and isinstance(data["results"].get("bindings"), list)):
        raise NotAnEndpoint(f"{url} answered JSON that is not SPARQL results (no head and results.bindings)")
    return data
