"""A loopback webhook receiver for the subscription tests: answers Graph's validation handshake and
records every POST (path, content type, validation token, raw body)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


class _Receiver(http.server.BaseHTTPRequestHandler):
    """A change-notification endpoint: echoes `validationToken` (decoded) as text/plain, else takes JSON."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        token = parse_qs(urlsplit(self.path).query).get("validationToken", [None])[0]
        self.server.received.append(  # type: ignore[attr-defined]
            {"path": self.path, "content_type": self.headers.get("Content-Type"), "token": token, "body": body}
        )
        answer = (token or "").encode()
        self.send_response(200 if token is not None else 202)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="notification-receiver", daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
