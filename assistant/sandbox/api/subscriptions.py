"""Change-notification subscriptions for Outlook events (Planner has none: GRAPH-FACTS §2.6).

https://learn.microsoft.com/graph/api/subscription-post-subscriptions: 201 on create after a successful
validation handshake (400 otherwise); `lifecycleNotificationUrl` only at creation; PATCH renews (200),
DELETE 204. Maximum lifetime for Outlook events: 10,080 minutes in current docs (GRAPH-FACTS §6 [S]).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response

from assistant.sandbox.context import current, empty_response, graph_base, graph_response, read_json, require
from assistant.sandbox.errors import GraphHTTPError, bad_request
from assistant.sandbox.permissions import CALENDARS_READ
from assistant.sandbox.tokens import Caller

subscriptions = Blueprint("subscriptions", __name__)

MAX_MINUTES = {"events": 10080}
CHANGE_TYPES = {"created", "updated", "deleted"}
_EVENT_RESOURCE = re.compile(r"^/?(?:users/([^/]+)|(me))(?:/calendar)?/events$", re.IGNORECASE)


def _mailbox_of(resource: str, who: Caller) -> str:
    match = _EVENT_RESOURCE.match(resource)
    if not match:
        raise bad_request(
            f"Unsupported resource '{resource}' in this sandbox: use users/{{id}}/events.", "InvalidRequest"
        )
    user_key = match.group(1) or who.user_id
    user = current().state.user(user_key or "")
    if user is None:
        raise bad_request(f"Resource '{resource}' names an unknown mailbox.", "InvalidRequest")
    return str(user["id"])


def _check_url(url: Any, field: str) -> str:
    """Graph requires https; the sandbox also accepts http on loopback so local receivers need no certificate."""
    if not isinstance(url, str):
        raise bad_request(f"{field} is required.", "InvalidRequest")
    parts = urlsplit(url)
    loopback = False
    try:
        loopback = ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        loopback = parts.hostname == "localhost"
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise bad_request(f"The {field} must be an https URL.", "InvalidRequest")
    return url


def _expiry(value: Any) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise bad_request("expirationDateTime is not a valid date-time.", "InvalidRequest") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = current().clock.now()
    if when <= now:
        raise bad_request("Subscription expiration must be in the future.", "InvalidRequest")
    if when > now + dt.timedelta(minutes=MAX_MINUTES["events"]):
        raise bad_request(
            f"Subscription expiration can only be {MAX_MINUTES['events']} minutes in the future.", "InvalidRequest"
        )
    return when


def _public(sub: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sub.items() if not k.startswith("_")}


@subscriptions.post("/v1.0/subscriptions")
def create() -> Response:
    who = require(CALENDARS_READ)
    body = read_json()
    change_types = str(body.get("changeType", "")).split(",")
    if not change_types or any(c.strip() not in CHANGE_TYPES for c in change_types):
        raise bad_request("changeType must be a comma-separated list of created, updated, deleted.", "InvalidRequest")
    resource = str(body.get("resource", ""))
    mailbox = _mailbox_of(resource, who)
    notification_url = _check_url(body.get("notificationUrl"), "notificationUrl")
    lifecycle_url = body.get("lifecycleNotificationUrl")
    if lifecycle_url is not None:
        _check_url(lifecycle_url, "lifecycleNotificationUrl")
    expiry = _expiry(body.get("expirationDateTime"))
    client_state = body.get("clientState")
    if client_state is not None and len(str(client_state)) > 128:
        raise bad_request("clientState is limited to 128 characters.", "InvalidRequest")
    sandbox = current()
    for url in filter(None, (notification_url, lifecycle_url)):
        problem = sandbox.notifier.validate(url)
        if problem:
            raise bad_request(problem, "ValidationError")
    sub = {
        "id": str(uuid.uuid4()),
        "resource": resource,
        "applicationId": who.app_id,
        "changeType": ",".join(c.strip() for c in change_types),
        "clientState": client_state,
        "notificationUrl": notification_url,
        "notificationQueryOptions": None,
        "lifecycleNotificationUrl": lifecycle_url,
        "expirationDateTime": expiry.strftime("%Y-%m-%dT%H:%M:%S.%f0Z"),
        "creatorId": who.user_id or who.app_id,
        "includeResourceData": bool(body.get("includeResourceData", False)),
        "latestSupportedTlsVersion": body.get("latestSupportedTlsVersion", "v1_2"),
        "encryptionCertificate": None,
        "encryptionCertificateId": None,
        "notificationUrlAppId": None,
        "notificationContentType": "application/json",
        "_mailbox": mailbox,
        "_expires": expiry,
    }
    with sandbox.state.lock:
        sandbox.state.subscriptions[sub["id"]] = sub
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#subscriptions/$entity", **_public(sub)}, 201)


def _subscription(sub_id: str) -> dict[str, Any]:
    sub = current().state.subscriptions.get(sub_id)
    if sub is None:
        raise GraphHTTPError(404, "ResourceNotFound", f"The object was not found. Subscription '{sub_id}'.")
    return sub


@subscriptions.get("/v1.0/subscriptions")
def list_all() -> Response:
    who = require(CALENDARS_READ)
    subs = [_public(s) for s in current().state.subscriptions.values() if s["applicationId"] == who.app_id]
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#subscriptions", "value": subs})


@subscriptions.get("/v1.0/subscriptions/<sub_id>")
def get(sub_id: str) -> Response:
    require(CALENDARS_READ)
    return graph_response(
        {"@odata.context": f"{graph_base()}/$metadata#subscriptions/$entity", **_public(_subscription(sub_id))}
    )


@subscriptions.patch("/v1.0/subscriptions/<sub_id>")
def renew(sub_id: str) -> Response:
    require(CALENDARS_READ)
    body = read_json()
    if "lifecycleNotificationUrl" in body:
        raise bad_request(
            "lifecycleNotificationUrl can only be set when the subscription is created.", "InvalidRequest"
        )
    with current().state.lock:
        sub = _subscription(sub_id)
        expiry = _expiry(body.get("expirationDateTime"))
        sub["_expires"] = expiry
        sub["expirationDateTime"] = expiry.strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#subscriptions/$entity", **_public(sub)})


@subscriptions.delete("/v1.0/subscriptions/<sub_id>")
def delete(sub_id: str) -> Response:
    require(CALENDARS_READ)
    with current().state.lock:
        _subscription(sub_id)
        del current().state.subscriptions[sub_id]
    return empty_response(204)


@subscriptions.post("/v1.0/subscriptions/<sub_id>/reauthorize")
def reauthorize(sub_id: str) -> Response:
    require(CALENDARS_READ)
    _subscription(sub_id)
    return empty_response(204)


def notify_event_change(mailbox: str, event: dict[str, Any], change_type: str) -> None:
    """Queue a change notification for every live subscription on this mailbox's events."""
    sandbox = current()
    state = sandbox.state
    now = sandbox.clock.now()
    for sub in list(state.subscriptions.values()):
        if sub["_mailbox"] != mailbox or change_type not in sub["changeType"].split(",") or sub["_expires"] <= now:
            continue
        resource = f"Users/{mailbox}/Events/{event['id']}"
        payload = {
            "value": [
                {
                    "id": uuid.uuid4().hex[:13],
                    "subscriptionId": sub["id"],
                    "subscriptionExpirationDateTime": sub["expirationDateTime"],
                    "clientState": sub["clientState"],
                    "changeType": change_type,
                    "resource": resource,
                    "tenantId": state.tenant_id,
                    "resourceData": {
                        "@odata.type": "#Microsoft.Graph.Event",
                        "@odata.id": resource,
                        "@odata.etag": event.get("@odata.etag"),
                        "id": event["id"],
                    },
                }
            ]
        }
        sandbox.notifier.deliver(sub["notificationUrl"], payload, state.notifications)


def send_lifecycle(sub_id: str, lifecycle_event: str) -> None:
    if lifecycle_event not in ("reauthorizationRequired", "subscriptionRemoved", "missed"):
        raise bad_request("lifecycleEvent must be reauthorizationRequired, subscriptionRemoved or missed.")
    sandbox = current()
    sub = _subscription(sub_id)
    if not sub.get("lifecycleNotificationUrl"):
        raise bad_request("This subscription has no lifecycleNotificationUrl.")
    payload = {
        "value": [
            {
                "subscriptionId": sub["id"],
                "subscriptionExpirationDateTime": sub["expirationDateTime"],
                "tenantId": sandbox.state.tenant_id,
                "clientState": sub["clientState"],
                "lifecycleEvent": lifecycle_event,
            }
        ]
    }
    if lifecycle_event == "subscriptionRemoved":
        sandbox.state.subscriptions.pop(sub_id, None)
    sandbox.notifier.deliver(sub["lifecycleNotificationUrl"], payload, sandbox.state.notifications)
