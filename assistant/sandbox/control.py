"""Control endpoints under `/_sandbox/`, outside Graph's namespace: what tests and demos need to steer
and observe the sandbox (request counts, reset, faults, clock, posted messages and files, calendar edits
that fire change notifications). Loopback callers only.
"""

from __future__ import annotations

import copy
import datetime as dt
import ipaddress
import uuid
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from assistant.sandbox.api.calendar import render
from assistant.sandbox.api.files import drive_item_json, item_path
from assistant.sandbox.api.subscriptions import notify_event_change, send_lifecycle
from assistant.sandbox.channel_tokens import ChannelTokenError
from assistant.sandbox.context import current, read_json
from assistant.sandbox.faults import FaultSettings, ScriptedFault
from assistant.sandbox.identity import approve_device_code, revoke_refresh_tokens
from assistant.sandbox.teams_channel import SayError, install, say
from assistant.sandbox.tenant import Event

control = Blueprint("control", __name__, url_prefix="/_sandbox")


@control.before_request
def _loopback_only() -> None:
    try:
        if not ipaddress.ip_address(request.remote_addr or "").is_loopback:
            abort(403)
    except ValueError:
        abort(403)


@control.get("/requests")
def request_counts() -> Response:
    counts = current().state.request_counts
    return jsonify({"total": sum(counts.values()), "routes": dict(counts)})


@control.post("/reset")
def reset() -> Response:
    sandbox = current()
    if request.args.get("what") == "counters":
        sandbox.state.request_counts.clear()
    else:
        sandbox.state.reset()
        sandbox.faults.configure(FaultSettings())
        sandbox.clock.restore()
    return jsonify({"reset": request.args.get("what", "all")})


@control.route("/faults", methods=["GET", "PUT"])
def faults() -> Response:
    sandbox = current()
    if request.method == "PUT":
        body = read_json()
        try:
            settings = FaultSettings(
                rate=float(body.get("rate", 0.0)),
                seed=int(body.get("seed", 0)),
                latency_ms=int(body.get("latency_ms", 0)),
                kinds=tuple(body.get("kinds", FaultSettings().kinds)),
                retry_after=int(body.get("retry_after", 1)),
                script=[ScriptedFault(**s) for s in body.get("script", [])],
            )
            sandbox.faults.configure(settings)
        except (TypeError, ValueError) as exc:
            return _problem(f"bad fault settings: {exc}")
    return jsonify(sandbox.faults.settings.as_json())


@control.route("/clock", methods=["GET", "PUT"])
def clock() -> Response:
    sandbox = current()
    if request.method == "PUT":
        body = read_json()
        try:
            if "now" in body:
                sandbox.clock.freeze(dt.datetime.fromisoformat(str(body["now"]).replace("Z", "+00:00")))
            if "advance_seconds" in body:
                sandbox.clock.advance(dt.timedelta(seconds=float(body["advance_seconds"])))
            if body.get("real"):
                sandbox.clock.unfreeze()
        except ValueError as exc:
            return _problem(f"bad clock setting: {exc}")
    return jsonify({"now": sandbox.clock.now().isoformat()})


@control.get("/messages")
def messages() -> Response:
    state = current().state
    with state.lock:
        posted = [m for channel in state.messages.values() for m in channel]
    return jsonify({"value": posted})


@control.get("/files")
def files() -> Response:
    state = current().state
    with state.lock:
        found = [
            {**drive_item_json(item), "path": "/".join(item_path(item))}
            for item in state.drive_items.values()
            if not item.folder
        ]
    return jsonify({"value": found})


@control.get("/attachments")
def event_attachments() -> Response:
    """Every file attached to an Outlook event, without its bytes: mailbox (UPN), event id, name, size, type."""
    state = current().state
    with state.lock:
        found = [
            {"mailbox": state.user(owner)["userPrincipalName"], "eventId": event_id,  # type: ignore[index]
             **{k: v for k, v in attachment.items() if k != "contentBytes"}}
            for (owner, event_id), stored in state.event_attachments.items()
            for attachment in stored
        ]  # fmt: skip
    return jsonify({"value": found})


@control.post("/bot/token")
def bot_token() -> Response:
    """Mint the token the channel sends a bot: `{"appId", "serviceUrl", "problem"}`, all optional. `appId` defaults
    to the tenant's first bot, `serviceUrl` to this sandbox's Bot Connector; `problem` makes a token a bot must
    refuse (expired, not-yet-valid, wrong-audience, wrong-issuer, wrong-key, no-serviceurl)."""
    sandbox = current()
    body = request.get_json(silent=True) or {}
    app_id = body.get("appId") or next(iter(sandbox.state.bots), "")
    if not app_id:
        return _problem("no appId given and the tenant has no bots")
    service_url = body.get("serviceUrl") or request.host_url + "botconnector/"
    try:
        token = sandbox.channel_issuer.mint(
            app_id=app_id, service_url=service_url, now=sandbox.clock.now(), problem=body.get("problem")
        )
    except ChannelTokenError as exc:
        return _problem(str(exc))
    return jsonify({"token": token, "appId": app_id, "serviceUrl": service_url})


@control.get("/bot/activities")
def bot_activities() -> Response:
    """What bots sent through the Bot Connector, oldest first; `conversationId` filters by thread or channel."""
    state = current().state
    wanted = request.args.get("conversationId")
    with state.lock:
        found = [
            a for a in state.bot_activities
            if wanted is None or wanted in (a["conversationId"], a["conversationId"].split(";")[0])
        ]  # fmt: skip
    return jsonify({"value": found})


@control.post("/bot/say")
def bot_say() -> Response:
    """A user posts in a channel, @mentioning the bot: `{"channel", "appUrl", "text", "from"?, "wait"?, "replies"?}`.
    Answers with the activity sent, the status of the bot's answer and its replies in the thread (waiting up to
    `wait` s for `replies` of them, default 1)."""
    sandbox = current()
    body = read_json()
    try:
        said = say(
            sandbox,
            channel_id=str(body.get("channel", "")),
            app_url=str(body.get("appUrl", "")),
            text=str(body.get("text", "")),
            user_key=body.get("from"),
            service_url=request.host_url + "botconnector/",
            message_id=sandbox.state.next_message_id(int(sandbox.clock.now().timestamp() * 1000)),
            wait_seconds=min(float(body.get("wait", 10)), 60.0),
            replies=max(1, min(int(body.get("replies", 1)), 10)),
        )
    except SayError as exc:
        return _problem(str(exc), exc.status)
    return jsonify({"activity": said.activity, "status": said.status, "replies": said.replies})


@control.post("/bot/install")
def bot_install() -> Response:
    """The bot is added to a team: `{"team", "appUrl", "wait"?}`. Sends Teams' install event (`conversationUpdate`)
    to the bot and answers with it, the status of the bot's answer and what the bot posted (its greeting)."""
    sandbox = current()
    body = read_json()
    try:
        said = install(
            sandbox,
            team_id=str(body.get("team", "")),
            app_url=str(body.get("appUrl", "")),
            service_url=request.host_url + "botconnector/",
            wait_seconds=min(float(body.get("wait", 10)), 60.0),
        )
    except SayError as exc:
        return _problem(str(exc), exc.status)
    return jsonify({"activity": said.activity, "status": said.status, "replies": said.replies})


@control.get("/download/<token>")
def download(token: str) -> Response:
    state = current().state
    with state.lock:
        item = state.drive_items.get(state.downloads.get(token, ""))
        if item is None:
            abort(404)
        return Response(item.content, content_type="application/octet-stream")


@control.get("/notifications")
def notifications() -> Response:
    sandbox = current()
    if request.args.get("wait") == "idle":
        sandbox.notifier.wait_idle()
    return jsonify({"value": list(sandbox.state.notifications)})


@control.post("/subscriptions/<sub_id>/lifecycle")
def lifecycle(sub_id: str) -> Response:
    send_lifecycle(sub_id, str(read_json().get("lifecycleEvent", "")))
    return jsonify({"sent": True})


@control.post("/devicecode/approve")
def approve() -> Response:
    body = read_json()
    problem = approve_device_code(str(body.get("user_code", "")), str(body.get("user", "")))
    return _problem(problem) if problem else jsonify({"approved": True})


@control.post("/users/<user>/revoke")
def revoke(user: str) -> Response:
    """Revoke a user's refresh tokens (as an admin's "revoke sessions" does): the next renewal fails."""
    revoked = revoke_refresh_tokens(user)
    return _problem(f"no user {user!r}", 404) if revoked is None else jsonify({"revoked": revoked})


@control.post("/calendars/<mailbox>/events")
def create_event(mailbox: str) -> Response:
    event = read_json()
    event.setdefault("id", "AAMkSbx" + uuid.uuid4().hex)
    return _change_event(mailbox, event["id"], event, "created", 201)


@control.patch("/calendars/<mailbox>/events/<event_id>")
def update_event(mailbox: str, event_id: str) -> Response:
    return _change_event(mailbox, event_id, read_json(), "updated", 200)


@control.delete("/calendars/<mailbox>/events/<event_id>")
def delete_event(mailbox: str, event_id: str) -> Response:
    return _change_event(mailbox, event_id, None, "deleted", 200)


def _change_event(mailbox: str, event_id: str, changes: dict[str, Any] | None, kind: str, status: int) -> Response:
    state = current().state
    owner = state.user(mailbox)
    if owner is None:
        return _problem(f"no mailbox {mailbox!r}", 404)
    with state.lock:
        events = state.calendars.setdefault(owner["id"], [])
        existing = next((e for e in events if e["id"] == event_id), None)
        if kind != "created" and existing is None:
            return _problem(f"no event {event_id!r} in {mailbox}", 404)
        if kind == "deleted":
            assert existing is not None
            events.remove(existing)
            event = existing
        else:
            event = copy.deepcopy({**(existing or {}), **(changes or {})})
            stamp = uuid.uuid4().hex[:20]
            event["@odata.etag"] = f'W/"{stamp}"'
            event["changeKey"] = stamp
            try:
                Event.model_validate(event)
            except ValueError as exc:
                return _problem(f"invalid event: {exc}".splitlines()[0])
            if existing is not None:
                events[events.index(existing)] = event
            else:
                events.append(event)
        state.record_calendar_change(owner["id"], event_id, kind)
        notify_event_change(owner["id"], event, kind)
    return jsonify(render(event, None, None)), status  # type: ignore[return-value]


def _problem(message: str, status: int = 400) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response
