"""What `serve` listens with on the user's port: a small HTTP front before Oxigraph's server, which runs on a
private port of 127.0.0.1. It answers `/` with the project's query page (queries/query_page.py) and the page's
bind requests, and passes every other request (the SPARQL endpoint /query, /update, /store ...) to Oxigraph
as it came, streaming the answer back: SPARQL clients use the same URLs as before, Oxigraph's read-only mode
refuses updates as before, and its query timeout still cancels a query.

Bounds: a request body of more than MAX_BODY bytes is refused (413); the front waits for Oxigraph at most
`idle_timeout` seconds between two reads (by default the query timeout plus a minute), then answers 504; a
client that leaves makes the front close its connection to Oxigraph, which stops a streaming query as it did
when the client was connected to it directly.
"""
import http.client
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from healthkg.queries import query_page
from healthkg.queries.stores import EndpointStore, StoreError

MAX_BODY = 16 * 1024 * 1024
CHUNK = 64 * 1024
# headers that belong to one connection, never passed on (RFC 9110, 7.6.1), and those set on each side anew
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authenticate", "proxy-authorization"}
NOT_FORWARDED = HOP_BY_HOP | {"host", "content-length"}
NOT_RETURNED = HOP_BY_HOP | {"server", "date"}


class QueryFront(ThreadingHTTPServer):
    """`QueryFront(port, upstream_port, idle_timeout)`: bound at once (a taken port fails here, before anything
    starts); `start()` serves in a thread, `stop()` closes the port."""

    daemon_threads = True

    def __init__(self, port: int, upstream_port: int, idle_timeout: float):
        try:
            super().__init__(("127.0.0.1", port), _Handler)
        except OSError as error:
            raise StoreError(f"port {port} on 127.0.0.1 is in use; choose another with --port "
                             f"({error.strerror})") from None
        self.upstream_port, self.idle_timeout = upstream_port, idle_timeout
        self.page, self.policy = query_page.render()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def concept_store(self) -> EndpointStore:
        return EndpointStore(f"http://127.0.0.1:{self.upstream_port}{query_page.ENDPOINT_PATH}", timeout=30)

    def start(self) -> "QueryFront":
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: QueryFront
    protocol_version = "HTTP/1.0"       # one request per connection: the end of the body is the closed socket

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path in (query_page.PAGE_PATH, "/index.html"):
            self._send(200, self.server.page.encode("utf-8"), "text/html; charset=utf-8",
                       {"Content-Security-Policy": self.server.policy})
        else:
            self._proxy()

    def do_POST(self) -> None:  # noqa: N802
        if self.path == query_page.BIND_PATH:
            body = self._body()
            if body is not None:
                answer = query_page.bind_request(body, self.server.concept_store())
                self._send(200 if "text" in answer else 400, query_page.json_bytes(answer),
                           "application/json; charset=utf-8")
        else:
            self._proxy()

    def _send(self, status: int, body: bytes, kind: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes | None:
        """The request's body (empty without one); None once a refusal is sent."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._send(411, b"send the body with a Content-Length\n", "text/plain; charset=utf-8")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._send(413, b"request body missing its length or larger than 16 MB\n", "text/plain; charset=utf-8")
            return None
        return self.rfile.read(length) if length else b""

    def _proxy(self) -> None:
        body = self._body()
        if body is None:
            return
        headers = {name: value for name, value in self.headers.items() if name.lower() not in NOT_FORWARDED}
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port,
                                              timeout=self.server.idle_timeout)
        try:
            try:
                upstream.request(self.command, self.path, body=body if body or self.command in ("POST", "PUT")
                                 else None, headers=headers)
                response = upstream.getresponse()
            except (TimeoutError, socket.timeout):
                self._send(504, b"the SPARQL server did not answer in time\n", "text/plain; charset=utf-8")
                return
            except (OSError, http.client.HTTPException) as error:
                self._send(502, f"the SPARQL server is not answering: {error}\n".encode(), "text/plain; charset=utf-8")
                return
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in NOT_RETURNED:
                    self.send_header(name, value)
            self.end_headers()
            if self.command == "HEAD":
                return
            while chunk := response.read1(CHUNK):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, TimeoutError, socket.timeout):
            pass            # the client left, or Oxigraph stalled mid-answer: closing both ends stops the query
        finally:
            upstream.close()

    do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _proxy
