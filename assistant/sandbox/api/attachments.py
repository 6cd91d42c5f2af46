"""File attachments on Outlook events: add, list, get and delete.

Behaviour from https://learn.microsoft.com/graph/api/event-post-attachments (201 and the attachment; files
under 3 MB; Calendars.ReadWrite, delegated and application, nothing lower), https://learn.microsoft.com/graph/api/
event-list-attachments and attachment-get (Calendars.Read), attachment-delete (204; Calendars.ReadWrite), and the
properties of https://learn.microsoft.com/graph/api/resources/fileattachment (`name` and `contentBytes` required
on create; `contentLocation` unsupported, always null).

What Outlook does around the call:
* Adding an attachment changes only the mailbox's own copy: "the organizer can subsequently update the event to
  send the attachment" (event-post-attachments). No meeting update goes to attendees from here.
* An occurrence of a series has no item of its own; attaching to it makes it an exception of the series [K]
  (api/calendar.py `change_stored_event`), and the attachment belongs to that occurrence alone.
* Files of 3 MB and more need an upload session (https://learn.microsoft.com/graph/outlook-large-attachments),
  which the sandbox does not serve. A larger POST gets the answer reported in
  https://github.com/microsoftgraph/microsoft-graph-docs/issues/85 [S]: 400 `BadRequest`, "Maximum request length
  exceeded." (Graph's limit is on the whole request, about 4 MB; base64 makes 3 MB of file about that.)
* Only file attachments are stored: item and reference attachments are answered 400 (a sandbox limit).
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import uuid
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, request

from assistant.sandbox import odata
from assistant.sandbox.api.calendar import change_stored_event, find_event
from assistant.sandbox.api.subscriptions import notify_event_change
from assistant.sandbox.context import (
    current,
    empty_response,
    graph_base,
    graph_response,
    read_json,
    require,
    resolve_user,
)
from assistant.sandbox.errors import GraphHTTPError, bad_request
from assistant.sandbox.permissions import CALENDARS_READ, CALENDARS_WRITE

attachments = Blueprint("attachments", __name__)

MAX_ATTACHMENT = 3 * 1024 * 1024  # "under 3 MB" (event-post-attachments)
FILE_ATTACHMENT = "#microsoft.graph.fileAttachment"
_EVENT = "/v1.0/users/<user_key>/events/<event_id>/attachments"
PROPERTIES = {"id", "lastModifiedDateTime", "name", "contentType", "size", "isInline", "contentId", "contentLocation",
              "contentBytes"}  # fmt: skip


def _context(user_id: str, event_id: str, entity: bool) -> str:
    tail = "/$entity" if entity else ""
    return f"{graph_base()}/$metadata#users('{user_id}')/events('{quote(event_id, safe='')}')/attachments{tail}"


def _selected(attachment: dict[str, Any]) -> dict[str, Any]:
    """`$select` as Graph applies it to a derived type: the `@odata.type` annotation stays."""
    chosen = odata.select(attachment, request.args.get("$select"), PROPERTIES, "microsoft.graph.attachment")
    return {"@odata.type": attachment["@odata.type"], **chosen}


def _not_found() -> GraphHTTPError:
    return GraphHTTPError(404, "ErrorItemNotFound", "The specified object was not found in the store.")


def _file_attachment(body: dict[str, Any], now: str) -> dict[str, Any]:
    kind = str(body.get("@odata.type") or "")
    if not kind:
        raise bad_request("The attachment's @odata.type is missing: attachment is abstract; send a derived type.")
    if kind.lstrip("#") != FILE_ATTACHMENT.lstrip("#"):
        raise bad_request(f"The sandbox stores {FILE_ATTACHMENT} only, not '{kind}'.")
    name, encoded = body.get("name"), body.get("contentBytes")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("The property 'name' is required for a file attachment.")
    if not isinstance(encoded, str) or not encoded:
        raise bad_request("The property 'contentBytes' is required for a file attachment.")
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise bad_request("The value of 'contentBytes' is not valid base64.") from None
    if len(content) >= MAX_ATTACHMENT:
        raise bad_request("Maximum request length exceeded.")
    content_type = body.get("contentType") or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return {
        "@odata.type": FILE_ATTACHMENT,
        "id": "AAMkAtt" + base64.urlsafe_b64encode(uuid.uuid4().bytes).decode(),  # `-`, `_` and `=`, as Outlook's
        "lastModifiedDateTime": now,
        "name": name,
        "contentType": content_type,
        # Exchange counts a few hundred bytes of MIME headers into `size` (the docs' 20-byte example says 178); the
        # sandbox gives the file's own length.
        "size": len(content),
        "isInline": bool(body.get("isInline", False)),
        "contentId": body.get("contentId"),
        "contentLocation": None,
        "contentBytes": base64.b64encode(content).decode(),
    }


def _mark(user_id: str, event_id: str, has_attachments: bool, now: str) -> None:
    """The event's `hasAttachments` and change key follow its attachments; subscribers hear of the change."""
    state = current().state
    stamp = uuid.uuid4().hex[:20]
    changed = change_stored_event(user_id, event_id, {"hasAttachments": has_attachments, "lastModifiedDateTime": now},
                                  stamp)  # fmt: skip
    state.record_calendar_change(user_id, event_id, "updated")
    notify_event_change(user_id, {**changed, "id": event_id}, "updated")


def _now() -> str:
    return current().clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")


@attachments.post(_EVENT)
def add_attachment(user_key: str, event_id: str) -> Response:
    require(CALENDARS_WRITE)
    user = resolve_user(user_key)
    find_event(user["id"], event_id)
    now = _now()
    attachment = _file_attachment(read_json(), now)
    state = current().state
    with state.lock:
        state.event_attachments.setdefault((user["id"], event_id), []).append(attachment)
        _mark(user["id"], event_id, True, now)
    return graph_response({"@odata.context": _context(user["id"], event_id, True), **attachment}, status=201)


@attachments.get(_EVENT)
def list_attachments(user_key: str, event_id: str) -> Response:
    require(CALENDARS_READ)
    user = resolve_user(user_key)
    find_event(user["id"], event_id)
    state = current().state
    with state.lock:
        found = [_selected(a) for a in state.event_attachments.get((user["id"], event_id), [])]
    return graph_response({"@odata.context": _context(user["id"], event_id, False), "value": found})


@attachments.get(f"{_EVENT}/<attachment_id>")
def get_attachment(user_key: str, event_id: str, attachment_id: str) -> Response:
    require(CALENDARS_READ)
    user = resolve_user(user_key)
    find_event(user["id"], event_id)
    state = current().state
    with state.lock:
        found = next((a for a in state.event_attachments.get((user["id"], event_id), []) if a["id"] == attachment_id),
                     None)  # fmt: skip
    if found is None:
        raise _not_found()
    return graph_response({"@odata.context": _context(user["id"], event_id, True), **_selected(found)})


@attachments.delete(f"{_EVENT}/<attachment_id>")
def delete_attachment(user_key: str, event_id: str, attachment_id: str) -> Response:
    require(CALENDARS_WRITE)
    user = resolve_user(user_key)
    find_event(user["id"], event_id)
    state = current().state
    with state.lock:
        stored = state.event_attachments.get((user["id"], event_id), [])
        found = next((a for a in stored if a["id"] == attachment_id), None)
        if found is None:
            raise _not_found()
        stored.remove(found)
        _mark(user["id"], event_id, bool(stored), _now())
    return empty_response(204)
