"""Files attached to an Outlook event: one document per name, replaced on every run.

Graph takes a file under 3 MB in one POST to the event's `attachments`, as a `fileAttachment` with its bytes in
base64 (https://learn.microsoft.com/graph/api/event-post-attachments,
https://learn.microsoft.com/graph/api/resources/fileattachment). Larger files (up to 150 MB) need an upload session
(https://learn.microsoft.com/graph/outlook-large-attachments), which Coordinator does not implement: a Word agenda
or minutes is a few tens of kilobytes, so such a file is refused before anything is sent.

Outlook keeps every attachment added, even under the same name, so re-running would pile up copies. Attaching
therefore lists the event's attachments, deletes those with the same name (ignoring case), then adds the file.
Writing needs `Calendars.ReadWrite` (there is no narrower permission); the change lands on this mailbox's copy of
the event only and sends nobody an update. On an occurrence of a series, Outlook makes that occurrence an exception.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import quote

from assistant.graph.client import GraphClient
from assistant.graph.errors import TooLarge

MAX_SIMPLE_ATTACHMENT = 3 * 1024 * 1024  # "under 3 MB" (event-post-attachments)
FILE_ATTACHMENT = "#microsoft.graph.fileAttachment"


@dataclass(frozen=True)
class EventAttachment:
    id: str
    name: str
    size: int
    replaced: int  # how many earlier attachments of the same name were deleted first


def attachments_path(mailbox: str, event_id: str) -> str:
    """Outlook ids hold `/`, `+` and `=`: the event id travels percent-encoded."""
    return f"/users/{quote(mailbox, safe='@')}/events/{quote(event_id, safe='')}/attachments"


def attach_to_event(
    client: GraphClient, mailbox: str, event_id: str, name: str, content: bytes, content_type: str
) -> EventAttachment:
    """Attach `content` to the event as `name`, replacing attachments of that name.

    Raises TooLarge for 3 MB or more (nothing is sent), Forbidden without Calendars.ReadWrite, NotFound when the
    event is not in `mailbox`.
    """
    if len(content) >= MAX_SIMPLE_ATTACHMENT:
        raise TooLarge(
            f"{name} is {len(content) / 1024 / 1024:.1f} MB: an Outlook attachment of 3 MB or more needs an upload "
            "session, which Coordinator does not implement"
        )
    path = attachments_path(mailbox, event_id)
    # `$select` keeps the listing small: without it Graph sends every attachment's bytes.
    same = [
        a for a in client.pages(path, {"$select": "id,name"}) if str(a.get("name", "")).casefold() == name.casefold()
    ]
    for old in same:
        client.request("DELETE", f"{path}/{quote(str(old['id']), safe='')}", idempotent=True)
    body = {
        "@odata.type": FILE_ATTACHMENT,
        "name": name,
        "contentType": content_type,
        "contentBytes": base64.b64encode(content).decode("ascii"),
    }
    created = client.request("POST", path, json_body=body).json()
    return EventAttachment(str(created["id"]), str(created.get("name", name)), int(created.get("size", 0)), len(same))


def list_attachments(client: GraphClient, mailbox: str, event_id: str) -> list[EventAttachment]:
    """The event's attachments: id, name and size (no bytes)."""
    found = client.pages(attachments_path(mailbox, event_id), {"$select": "id,name,size"})
    return [EventAttachment(str(a["id"]), str(a.get("name", "")), int(a.get("size", 0)), 0) for a in found]
