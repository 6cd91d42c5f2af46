"""A project's Teams channel: file a document in its Files folder, post an Adaptive Card to it.

Filing (GRAPH-FACTS §3, `refdata/graph/teams/get-filesfolder.*`, `upload-file.*`): the channel's folder comes
from `GET /teams/{team}/channels/{channel}/filesFolder` (its drive is `parentReference.driveId`), then a
path-addressed `PUT /drives/{drive}/items/{folder}:/{path}:/content` with conflict behaviour `replace`, so a
re-run replaces the file instead of adding "report 1.docx". PUT is idempotent: the client may replay it.

The link put in the card is the uploaded item's `webUrl`, not a `createLink` sharing link. Everyone who can
see the card is a member of the channel and so can already open its Files folder: `webUrl` opens the
document for them (in Word for the web or the desktop app) and for nobody else. A `createLink` link with
scope `organization` would open the file to the whole tenant — more than the channel, private channels
included — and many tenants disable such links by policy; an `anonymous` one would put the report on the
internet. `webUrl` needs no extra permission and creates no sharing grant that outlives the channel's.

Posting (GRAPH-FACTS §3.1, gotcha 10): only a delegated token may post; the card travels as an attachment whose
`content` is a JSON *string*, referenced from an html body by `<attachment id="...">`. A POST is replayed
by the client only after a 429 (rejected before it ran); a post that got no answer may have landed and is
not sent again here.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from assistant.graph.client import GraphClient, json_of

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Characters SharePoint and OneDrive refuse in file and folder names.
_FORBIDDEN_IN_NAMES = re.compile(r'["*:<>?/\\|]')


@dataclass(frozen=True)
class ChannelFolder:
    drive_id: str
    folder_id: str
    web_url: str


@dataclass(frozen=True)
class FiledDocument:
    """A file in a channel's folder; `web_url` is the link a channel member can open."""

    item_id: str
    drive_id: str
    name: str
    web_url: str
    replaced: bool  # True when a file of that name was there before (Graph answered 200, not 201)

    @property
    def verb(self) -> str:
        """What filing did, for messages: `filed`, or `replaced` an earlier file of that name."""
        return "replaced" if self.replaced else "filed"


@dataclass(frozen=True)
class PostedMessage:
    id: str
    web_url: str | None


def channel_path(team_id: str, channel_id: str) -> str:
    """`/teams/{team}/channels/{channel}` with both ids percent-encoded (channel ids hold `:` and `@`)."""
    return f"/teams/{quote(team_id, safe='')}/channels/{quote(channel_id, safe='')}"


def channel_folder(client: GraphClient, team_id: str, channel_id: str) -> ChannelFolder:
    folder = client.get(f"{channel_path(team_id, channel_id)}/filesFolder")
    return ChannelFolder(str(folder["parentReference"]["driveId"]), str(folder["id"]), str(folder.get("webUrl", "")))


def file_in_channel(
    client: GraphClient,
    team_id: str,
    channel_id: str,
    name: str,
    content: bytes,
    *,
    subfolder: str | None = None,
    content_type: str = DOCX,
) -> FiledDocument:
    """Upload `content` as `name` (under `subfolder`, created if missing) in the channel's Files folder.

    `subfolder` may be nested, `Meeting documents/Atlas stand-up`: each part must be a name SharePoint accepts.
    Simple upload: fine up to 250 MB (GRAPH-FACTS gotcha 19); a status report is a few hundred KB.
    """
    folders = subfolder.split("/") if subfolder else []
    for part in (name, *folders):
        _check_name(part)
    folder = channel_folder(client, team_id, channel_id)
    path = "/".join(quote(part, safe="") for part in (*folders, name))
    response = client.request(
        "PUT",
        f"/drives/{quote(folder.drive_id, safe='')}/items/{quote(folder.folder_id, safe='')}:/{path}:/content",
        params={"@microsoft.graph.conflictBehavior": "replace"},
        headers={"Content-Type": content_type},
        content=content,
    )
    item = json_of(response)
    return FiledDocument(
        item_id=str(item["id"]),
        drive_id=str(item.get("parentReference", {}).get("driveId", folder.drive_id)),
        name=str(item.get("name", name)),
        web_url=str(item["webUrl"]),
        replaced=response.status_code == 200,
    )


def card_message(card: Mapping[str, Any], attachment_id: str) -> dict[str, Any]:
    """The chatMessage body that carries `card`: content as a JSON string, referenced from the html body."""
    return {
        "body": {"contentType": "html", "content": f'<attachment id="{attachment_id}"></attachment>'},
        "attachments": [
            {
                "id": attachment_id,
                "contentType": ADAPTIVE_CARD,
                "contentUrl": None,
                "content": json.dumps(card, ensure_ascii=False, separators=(",", ":")),
                "name": None,
                "thumbnailUrl": None,
            }
        ],
    }


def post_card(
    client: GraphClient, team_id: str, channel_id: str, card: Mapping[str, Any], *, attachment_id: str | None = None
) -> PostedMessage:
    """Post `card` as a new channel message; `client` must send a delegated `ChannelMessage.Send` token."""
    payload = card_message(card, attachment_id or uuid.uuid4().hex)
    message = json_of(client.request("POST", f"{channel_path(team_id, channel_id)}/messages", json_body=payload))
    return PostedMessage(str(message["id"]), message.get("webUrl"))


def safe_name(text: str, limit: int = 120) -> str:
    """`text` as a file or folder name SharePoint accepts: a run of forbidden characters becomes `-`, or ` - `
    where it touches or holds a space (`Atlas: review` → `Atlas - review`, `10:00` → `10-00`); spaces are single, no
    leading or trailing space, dot or dash; cut to `limit` characters. Empty when nothing is left."""

    def dash(run: re.Match[str]) -> str:
        return " - " if any(c.isspace() for c in run.group()) else "-"

    dashed = re.sub(rf"(?:\s*{_FORBIDDEN_IN_NAMES.pattern})+\s*", dash, text)
    return " ".join(dashed.split())[:limit].strip(" .-")


def _check_name(name: str) -> None:
    if not name.strip() or name.strip() != name or _FORBIDDEN_IN_NAMES.search(name) or name.endswith("."):
        raise ValueError(f"{name!r} is not a valid SharePoint file or folder name")
