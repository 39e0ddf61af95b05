"""A SPARQL 1.1 Protocol query over HTTP with an overall deadline and a response size limit.

urllib's timeout bounds each socket operation, not the request: a server that sends a byte a second never
trips it, and a server that never stops sending fills memory. Here a timer shuts the connection down when
the whole request's deadline passes, whatever it is waiting for (connect, headers, body), and the body is
read in chunks up to the size limit. The connection classes are urllib's own, so proxies from the
environment and HTTPS work as with urlopen; redirects are not followed (a POST would lose its query).

Errors: `NotAnEndpoint` when what answers is not a SPARQL endpoint (an HTML page, JSON that is not SPARQL
results): the URL is wrong. `EndpointFailed` when no complete, well-formed answer came within the bounds
(unreachable, HTTP error status, deadline, size limit, broken connection, malformed JSON: Oxigraph itself
answers a query it cancelled with "200 OK", the start of the JSON and then the error's text).
"""
import http.client
import json
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from functools import partial

ACCEPT = "application/sparql-results+json"
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


class _Deadline:
    """Shuts down every connection of one request when its time is up."""

    def __init__(self, seconds: float):
        self.seconds, self.passed = seconds, False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.passed:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)           # wakes a blocked recv/send in the other thread
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


class _Watched:
    """Mixed into urllib's connection classes: the socket is handed to the deadline once connected."""

    def __init__(self, *args, deadline: _Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def connect(self):
        super().connect()
        self._deadline.watch(self.sock)


class _HTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline):
        super().__init__()
        self._deadline = deadline

    def http_open(self, req):
        return self.do_open(partial(_HTTPConnection, deadline=self._deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline):
        super().__init__()
        self._deadline = deadline

    def https_open(self, req):
        return self.do_open(partial(_HTTPSConnection, deadline=self._deadline), req,
                            context=self._context)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()          # http(s) only: no file:, ftp: or data: handlers
    for handler in (urllib.request.ProxyHandler(), _HTTPHandler(deadline), _HTTPSHandler(deadline),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _read_bounded(response, limit: int, url: str) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise EndpointFailed(f"{url} announced an answer of {int(declared) / 1e6:.1f} MB, over the limit of "
                             f"{limit / 1e6:g} MB (--max-response-mb)")
    body = bytearray()
    while chunk := response.read(CHUNK):
        body += chunk
        if len(body) > limit:
            raise EndpointFailed(f"{url} sent more than {limit / 1e6:g} MB (--max-response-mb); stopped reading")
    return bytes(body)


def _excerpt(body: bytes, end: bool = False) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    text = text[-SHOWN:] if end else text[:SHOWN]
    return " ".join(text.split())


def query(url: str, sparql: str, *, deadline_seconds: float, max_bytes: int, user_agent: str) -> dict:
    """POST the query (URL-encoded form, SPARQL 1.1 Protocol) and return the parsed JSON results."""
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode({"query": sparql}).encode("ascii"), method="POST",
        headers={"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": user_agent})
    deadline = _Deadline(deadline_seconds)
    try:
        # each socket operation's own timeout is only a backstop (connect, before there is a socket to shut)
        with _opener(deadline).open(request, timeout=deadline_seconds + 1) as response:
            body = _read_bounded(response, max_bytes, url)
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        detail = _read_error_text(error)
        raise EndpointFailed(f"{url} answered HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")) \
            from None
    except (OSError, http.client.HTTPException) as error:
        if deadline.passed or isinstance(getattr(error, "reason", error), TimeoutError):   # URLError wraps it
            raise EndpointFailed(f"{url} gave no complete answer within {deadline_seconds:g} s (--timeout)") from None
        reason = getattr(error, "reason", None) or error
        raise EndpointFailed(f"{url} did not answer: {reason}") from None
    finally:
        deadline.cancel()
    if deadline.passed:      # the shutdown read as a normal end of the body
        raise EndpointFailed(f"{url} gave no complete answer within {deadline_seconds:g} s (--timeout)")
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


def _read_error_text(error: urllib.error.HTTPError) -> str:
    try:
        return _excerpt(error.read(4096))
    except (OSError, http.client.HTTPException):
        return ""
