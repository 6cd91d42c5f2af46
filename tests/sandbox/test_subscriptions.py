"""Change notifications: the validation handshake, deliveries on change, renewals and lifecycle events."""

from __future__ import annotations

import datetime as dt

from tests.conftest import DEMO_NOW

MEGAN = "megan.bowen@contoso.com"


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
    notification = receiver.next_notification()["value"][0]
    assert notification["subscriptionId"] == sub["id"]
    assert notification["clientState"] == "s3cr3t-state"
    assert notification["changeType"] == "created"
    assert notification["resourceData"]["@odata.type"] == "#Microsoft.Graph.Event"


def test_endpoint_that_fails_the_handshake_means_400(http, graph, token, receiver):
    receiver.echo_token = False
    response = _create(http, graph, token, receiver.url)
    assert [record["token"] is not None for record in receiver.received] == [True]  # the handshake was tried
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
    assert receiver.next_notification()["value"][0]["lifecycleEvent"] == "reauthorizationRequired"
    assert http.delete(f"{graph}/subscriptions/{sub['id']}", headers=auth).status_code == 204
    assert http.get(f"{graph}/subscriptions/{sub['id']}", headers=auth).status_code == 404
