"""A small round-robin HTTP proxy on loopback, standing in for a district's load balancer.

Each request goes to the next app server in turn, or to the one a test names in the
``X-Test-Backend`` header (its index). A server that does not accept the connection (stopped, or
restarting) gets the proxy's own 502 with ``X-Proxy-Error: refused``: nothing reached the app, so
the client may send the request again, as a load balancer retries another server. So does a
connection that the server's kernel accepted but the server closed without reading: at SIGTERM
gunicorn stops accepting, and the kernel resets connections still waiting in the listen queue
(a reset, not an orderly close, is how Linux closes a socket with unread data). A server that
read the request and then closed without answering gets a 502 marked ``dropped``; a graceful
restart must cause none.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

#: Headers of one connection, never forwarded (RFC 9110, section 7.6.1).
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}
BACKEND_HEADER = "X-Test-Backend"
ERROR_HEADER = "X-Proxy-Error"
BACKEND_TIMEOUT = 90.0


class _Server(ThreadingHTTPServer):
    # 120 students connect at once: the default backlog of 5 would stall them in SYN retries.
    request_queue_size = 512
    daemon_threads = True


class RoundRobinProxy:
    """Listens on a free loopback port and spreads requests over ``backends`` (ports)."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self._turns = itertools.count()
        self._lock = threading.Lock()
        #: Requests each backend answered, by index.
        self.served = [0] * len(backends)
        self.refused = 0
        self.dropped = 0
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The proxy's address, for the students."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _choose(self, named: str | None) -> int:
        if named is not None and named.isdigit() and int(named) < len(self.backends):
            return int(named)
        return next(self._turns) % len(self.backends)

    def _count(self, what: str, index: int) -> None:
        with self._lock:
            if what == "served":
                self.served[index] += 1
            elif what == "refused":
                self.refused += 1
            else:
                self.dropped += 1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._forward()

            def do_POST(self) -> None:
                self._forward()

            def log_message(self, format: str, *args: object) -> None:
                pass  # the app servers keep access logs

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                index = proxy._choose(self.headers.get(BACKEND_HEADER))
                headers = {
                    name: value
                    for name, value in self.headers.items()
                    if name.lower() not in HOP_BY_HOP and name != BACKEND_HEADER
                }
                backend = http.client.HTTPConnection(
                    "127.0.0.1", proxy.backends[index], timeout=BACKEND_TIMEOUT
                )
                try:
                    try:
                        backend.connect()
                    except OSError:
                        proxy._count("refused", index)
                        return self._fail("refused")
                    try:
                        backend.request(self.command, self.path, body=body, headers=headers)
                        answer = backend.getresponse()
                        content = answer.read()
                    except http.client.RemoteDisconnected:  # an orderly close: it read it
                        proxy._count("dropped", index)
                        return self._fail("dropped")
                    except (ConnectionResetError, BrokenPipeError):
                        proxy._count("refused", index)
                        return self._fail("refused")
                    except (OSError, http.client.HTTPException):
                        proxy._count("dropped", index)
                        return self._fail("dropped")
                finally:
                    backend.close()
                proxy._count("served", index)
                self.send_response_only(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.send_header("Connection", "close")
                self.end_headers()
                # A client may have given up waiting (a load test's deliberate timeout).
                with contextlib.suppress(OSError):
                    self.wfile.write(content)

            def _fail(self, why: str) -> None:
                self.send_response_only(502, "Bad Gateway")
                self.send_header(ERROR_HEADER, why)
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()

        return Handler
