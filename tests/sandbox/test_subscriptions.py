"""Change notifications: the validation handshake, deliveries on change, renewals and lifecycle events."""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import DEMO_NOW

MEGAN = "megan.bowen@contoso.com"


class Receiver:
    """A loopback webhook endpoint that answers the handshake and queues what it receives."""

    def __init__(self, echo_token: bool = True) -> None:
        self.received: queue.Queue[dict] = queue.Queue()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                token = parse_qs(urlsplit(self.path).query).get("validationToken")
                if token:
                    answer = token[0].encode() if echo_token else b"nope"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                    return
                receiver.received.put(json.loads(body))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notifications"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()


def _create(http, graph, token, url, **extra):
    body = {
        "changeType": "created,updated,deleted",
        "notificationUrl": url,
        "resource": f"users/{MEGAN}/events",
        "expirationDateTime": (DEMO_NOW + dt.timedelta(days=2)).isoformat(),
        "clientState": "s3cr3t-state",
        **extra,
    }
    return http.post(f"{graph}/subscriptions", json=body, headers={"Authorization": f"Bearer {token}"})


def test_subscription_is_created_after_the_handshake_and_notified_on_change(sandbox, http, graph, token, receiver):
    created = _create(http, graph, token, receiver.url)
    assert created.status_code == 201
    sub = created.json()
    assert sub["notificationContentType"] == "application/json"
    http.post(
        f"{sandbox.url}/_sandbox/calendars/{MEGAN}/events",
        json={"subject": "Apollo cutover rehearsal", "start": {"dateTime": "2026-03-06T14:00:00", "timeZone": "UTC"},
              "end": {"dateTime": "2026-03-06T15:00:00", "timeZone": "UTC"}},
    ).raise_for_status()  # fmt: skip
    notification = receiver.received.get(timeout=10)["value"][0]
    assert notification["subscriptionId"] == sub["id"]
    assert notification["clientState"] == "s3cr3t-state"
    assert notification["changeType"] == "created"
    assert notification["resourceData"]["@odata.type"] == "#Microsoft.Graph.Event"


def test_endpoint_that_fails_the_handshake_means_400(http, graph, token):
    bad = Receiver(echo_token=False)
    try:
        response = _create(http, graph, token, bad.url)
    finally:
        bad.server.shutdown()
    assert response.status_code == 400
    assert "validation" in response.json()["error"]["message"].lower()


def test_expiration_beyond_the_resource_maximum_is_refused(http, graph, token, receiver):
    too_long = (DEMO_NOW + dt.timedelta(minutes=10081)).isoformat()
    response = _create(http, graph, token, receiver.url, expirationDateTime=too_long)
    assert response.status_code == 400 and "10080" in response.json()["error"]["message"]


def test_renew_delete_and_lifecycle(sandbox, http, graph, token, receiver):
    sub = _create(http, graph, token, receiver.url, lifecycleNotificationUrl=receiver.url).json()
    auth = {"Authorization": f"Bearer {token}"}
    renewed = http.patch(
        f"{graph}/subscriptions/{sub['id']}",
        json={"expirationDateTime": (DEMO_NOW + dt.timedelta(days=5)).isoformat()},
        headers=auth,
    )
    assert renewed.status_code == 200 and renewed.json()["expirationDateTime"].startswith("2026-03-09")
    refused = http.patch(
        f"{graph}/subscriptions/{sub['id']}", json={"lifecycleNotificationUrl": receiver.url}, headers=auth
    )
    assert refused.status_code == 400
    http.post(
        f"{sandbox.url}/_sandbox/subscriptions/{sub['id']}/lifecycle",
        json={"lifecycleEvent": "reauthorizationRequired"},
    ).raise_for_status()
    assert receiver.received.get(timeout=10)["value"][0]["lifecycleEvent"] == "reauthorizationRequired"
    assert http.delete(f"{graph}/subscriptions/{sub['id']}", headers=auth).status_code == 204
    assert http.get(f"{graph}/subscriptions/{sub['id']}", headers=auth).status_code == 404
