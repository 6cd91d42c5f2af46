"""Graph's side of change notifications: the validation handshake and deliveries to subscribers.

https://learn.microsoft.com/graph/change-notifications-delivery-webhooks: on create Graph POSTs
`?validationToken=...` (text/plain) and expects the decoded token back within 10 s; notifications are
POSTed as `{"value": [...]}` and must be answered with 2xx within 3 s. Deliveries run on one background
thread so a slow receiver never stalls a Graph request, and every attempt is logged for tests to read.
"""

from __future__ import annotations

import queue
import secrets
import threading
from typing import Any
from urllib.parse import quote

import requests

VALIDATION_TIMEOUT = 10
DELIVERY_TIMEOUT = 3


class Notifier:
    def __init__(self, verify: str | bool = True) -> None:
        self._verify = verify
        self._queue: queue.Queue[tuple[str, dict[str, Any], list[dict[str, Any]]] | None] = queue.Queue()
        self._session = requests.Session()
        self._thread: threading.Thread | None = None
        self.idle = threading.Event()
        self.idle.set()

    def validate(self, url: str) -> str | None:
        """Run the handshake; return a problem description, or None when the endpoint answered correctly."""
        token = "Validation: Testing client application reachability for subscription Request-Id: " + secrets.token_hex(
            8
        )
        try:
            response = self._session.post(
                f"{url}{'&' if '?' in url else '?'}validationToken={quote(token)}",
                data=b"",
                headers={"Content-Type": "text/plain; charset=utf-8"},
                timeout=VALIDATION_TIMEOUT,
                verify=self._verify,
            )
        except requests.RequestException as exc:
            return f"Subscription validation request failed. {type(exc).__name__}."
        if response.status_code != 200 or response.text != token:
            return (
                "Subscription validation request failed. Notification endpoint must respond with 200 OK to "
                "validation request."
            )
        return None

    def deliver(self, url: str, payload: dict[str, Any], log: list[dict[str, Any]]) -> None:
        self.idle.clear()
        self._queue.put((url, payload, log))
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="sandbox-notifier", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                job = self._queue.get(timeout=1)
            except queue.Empty:
                self.idle.set()
                return
            if job is None:
                return
            url, payload, log = job
            entry: dict[str, Any] = {"url": url, "payload": payload}
            try:
                response = self._session.post(url, json=payload, timeout=DELIVERY_TIMEOUT, verify=self._verify)
                entry["status"] = response.status_code
            except requests.RequestException as exc:
                entry["error"] = type(exc).__name__
            log.append(entry)
            if self._queue.empty():
                self.idle.set()

    def wait_idle(self, timeout: float = 10) -> bool:
        return self.idle.wait(timeout)
