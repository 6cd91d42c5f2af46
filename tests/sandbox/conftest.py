"""The one loopback webhook receiver the sandbox suites share: it answers Graph's validation handshake, takes
change and lifecycle notifications, and records every POST (path, content type, validation token, raw body)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


class WebhookReceiver:
    """A change-notification endpoint on 127.0.0.1 and a free port.

    A POST with `validationToken` is the handshake: the decoded token is echoed as text/plain with 200 (or, with
    `echo_token` off, a wrong answer, to see the sandbox refuse the subscription). Any other POST is a
    notification, answered 202. `received` lists every POST in arrival order; `next_notification` hands the
    notifications out one by one, waiting for the next to arrive.
    """

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.echo_token = True
        self._arrived = threading.Condition()
        self._handed_out = 0
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="webhook-receiver", daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """A notification URL; any other path under `base_url` works as well."""
        return f"{self.base_url}/notifications"

    def next_notification(self, timeout: float = 10) -> dict[str, Any]:
        """The JSON body of the next notification not handed out yet; AssertionError if none comes in time."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._notifications()) > self._handed_out, timeout):
                raise AssertionError(f"no notification arrived within {timeout} s; received: {self.received}")
            record = self._notifications()[self._handed_out]
            self._handed_out += 1
        return dict(json.loads(record["body"]))

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _record(self, record: dict[str, Any]) -> None:
        with self._arrived:
            self.received.append(record)
            self._arrived.notify_all()

    def _notifications(self) -> list[dict[str, Any]]:
        return [record for record in self.received if record["token"] is None]


class _Server(http.server.ThreadingHTTPServer):
    def __init__(self, receiver: WebhookReceiver) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.receiver = receiver


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        token = parse_qs(urlsplit(self.path).query).get("validationToken", [None])[0]
        receiver = self.server.receiver
        # Recorded before answering: once the sandbox has its answer (a subscription created, a delivery done),
        # the test can already see what was sent.
        receiver._record(
            {"path": self.path, "content_type": self.headers.get("Content-Type"), "token": token, "body": body}
        )
        if token is None:
            answer, status = b"", 202
        else:
            answer, status = (token.encode() if receiver.echo_token else b"not the token"), 200
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    webhook = WebhookReceiver()
    yield webhook
    webhook.close()
