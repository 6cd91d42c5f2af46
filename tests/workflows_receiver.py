"""A stand-in for a Workflows webhook ("When a Teams webhook request is received") on loopback.

Records every POST (path with its query, headers, raw body) and answers with the next status of `answers`
(202 once they run out, as the real trigger does); status DROP reads the request and hangs up without an
answer. `refused_url()` names a port nobody listens on.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from typing import Any

DROP = 0  # an "answer" that closes the connection after reading the request


class WorkflowsReceiver:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: list[tuple[int, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """What a Workflows trigger URL looks like, signature included (which must never be logged)."""
        port = self._server.server_address[1]
        return (
            f"http://127.0.0.1:{port}/workflows/0a1b2c/triggers/manual/paths/invoke"
            "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=TOPSECRETsignature42"
        )

    def answer(self, *statuses: int, retry_after: int | None = None) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        self.answers.extend((status, headers) for status in statuses)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next(self, record: dict[str, Any]) -> tuple[int, dict[str, str]]:
        with self._lock:
            self.received.append(record)
            return self.answers.pop(0) if self.answers else (202, {})


def refused_url() -> str:
    """A loopback URL on a port that was free a moment ago: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/workflows/x/triggers/manual/paths/invoke?sig=TOPSECRETsignature42"


class _Server(http.server.ThreadingHTTPServer):
    def __init__(self, receiver: WorkflowsReceiver) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.receiver = receiver


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        record = {"path": self.path, "headers": dict(self.headers), "body": body}
        status, headers = self.server.receiver._next(record)
        if status == DROP:
            self.close_connection = True
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def running_receiver() -> Iterator[WorkflowsReceiver]:
    """The body of a `workflows` fixture: a receiver for one test, closed afterwards."""
    receiver = WorkflowsReceiver()
    yield receiver
    receiver.close()
