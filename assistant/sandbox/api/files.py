"""Channel files: the channel's folder, path-based upload, download and sharing links.

https://learn.microsoft.com/graph/api/channel-get-filesfolder, .../driveitem-put-content (201 when new,
200 when replaced; intermediate folders are created by path-based PUT; 250 MB simple-upload limit) and
.../driveitem-createlink. Each team has one document library; each channel a folder in it named after the
channel. `webUrl` points back at the sandbox so a person can open what Coordinator filed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import mimetypes
import secrets
import uuid
from typing import Any
from urllib.parse import quote, unquote

from flask import Blueprint, Response, redirect, request

from assistant.sandbox.api.teams import channel_or_404, team_or_404
from assistant.sandbox.context import current, graph_base, graph_response, page_of, read_json, require
from assistant.sandbox.errors import GraphHTTPError
from assistant.sandbox.permissions import FILES_READ, FILES_WRITE
from assistant.sandbox.state import DriveItem

files = Blueprint("files", __name__)

MAX_SIMPLE_UPLOAD = 250 * 1024 * 1024


def drive_id(team_id: str) -> str:
    return "b!" + base64.urlsafe_b64encode(hashlib.sha256(team_id.encode()).digest()[:30]).decode()


def _item_id(*parts: str) -> str:
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return "01" + base64.b32encode(digest).decode()[:32]


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _team_of_drive(drive: str) -> dict[str, Any]:
    for team_id, team in current().state.teams.items():
        if drive_id(team_id) == drive:
            return team
    raise GraphHTTPError(404, "itemNotFound", "The resource could not be found.")


def _ensure_folder(drive: str, parent_id: str | None, name: str) -> DriveItem:
    state = current().state
    for item in state.drive_items.values():
        if item.drive_id == drive and item.parent_id == parent_id and item.name.lower() == name.lower():
            if not item.folder:
                raise GraphHTTPError(409, "nameAlreadyExists", f"A file named '{name}' is in the way.")
            return item
    now = _stamp(current().clock.now())
    item = DriveItem(_item_id(drive, parent_id or "", name.lower()), drive, name, parent_id, True, now, now)
    state.drive_items[item.id] = item
    return item


def _root(drive: str) -> DriveItem:
    return _ensure_folder(drive, None, "root")


def item_path(item: DriveItem) -> list[str]:
    """Folder names from the drive root down to the item (the root itself excluded)."""
    names: list[str] = []
    node: DriveItem | None = item
    items = current().state.drive_items
    while node is not None and node.parent_id is not None:
        names.append(node.name)
        node = items.get(node.parent_id)
    return list(reversed(names))


def _web_url(item: DriveItem) -> str:
    team = _team_of_drive(item.drive_id)
    site = quote(team["displayName"].replace(" ", ""))
    path = "/".join(quote(part) for part in item_path(item))
    return f"{request.host_url.rstrip('/')}/sites/{site}/Shared%20Documents/{path}"


def drive_item_json(item: DriveItem) -> dict[str, Any]:
    items = current().state.drive_items
    parent = items.get(item.parent_id or "")
    body: dict[str, Any] = {
        "createdDateTime": item.created,
        "eTag": f'"{{{uuid.UUID(bytes=hashlib.md5(item.id.encode()).digest())}}},{item.etag_version}"',  # noqa: S324
        "id": item.id,
        "lastModifiedDateTime": item.modified,
        "name": item.name,
        "webUrl": _web_url(item),
        "cTag": f'"c:{{{item.id}}},{item.etag_version}"',
        "size": len(item.content)
        if not item.folder
        else sum(len(i.content) for i in items.values() if i.parent_id == item.id),
        "createdBy": item.created_by,
        "lastModifiedBy": item.created_by,
        "parentReference": {
            "driveType": "documentLibrary",
            "driveId": item.drive_id,
            **(
                {"id": parent.id, "path": f"/drives/{item.drive_id}/root:/" + "/".join(item_path(parent))}
                if parent
                else {}
            ),
        },
        "fileSystemInfo": {"createdDateTime": item.created, "lastModifiedDateTime": item.modified},
    }
    if item.folder:
        body["folder"] = {"childCount": sum(1 for i in items.values() if i.parent_id == item.id)}
    else:
        mime = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
        digest = base64.b64encode(hashlib.sha1(item.content).digest()).decode()  # noqa: S324 - Graph's sha1Hash
        body["file"] = {"mimeType": mime, "hashes": {"sha1Hash": digest}}
    return body


def _item_or_404(drive: str, item_id: str) -> DriveItem:
    item = current().state.drive_items.get(item_id)
    if item is None or item.drive_id != drive:
        raise GraphHTTPError(404, "itemNotFound", "The resource could not be found.")
    return item


@files.get("/v1.0/teams/<team_id>/channels/<channel_id>/filesFolder")
def files_folder(team_id: str, channel_id: str) -> Response:
    require(FILES_READ)
    state = current().state
    with state.lock:
        channel = channel_or_404(team_id, channel_id)
        team_or_404(team_id)
        drive = drive_id(team_id)
        folder = _ensure_folder(drive, _root(drive).id, channel["displayName"])
        context = f"teams('{team_id}')/channels('{quote(channel_id)}')/filesFolder/$entity"
        return graph_response({"@odata.context": f"{graph_base()}/$metadata#{context}", **drive_item_json(folder)})


@files.get("/v1.0/drives/<drive>/items/<item_id>")
def get_item(drive: str, item_id: str) -> Response:
    require(FILES_READ)
    with current().state.lock:
        item = _item_or_404(drive, item_id)
        body = drive_item_json(item)
        if not item.folder:
            body["@microsoft.graph.downloadUrl"] = _download_url(item)
        return graph_response({"@odata.context": f"{graph_base()}/$metadata#drives('{drive}')/items/$entity", **body})


@files.get("/v1.0/drives/<drive>/items/<item_id>/children")
def list_children(drive: str, item_id: str) -> Response:
    require(FILES_READ)
    with current().state.lock:
        parent = _item_or_404(drive, item_id)
        children = [drive_item_json(i) for i in current().state.drive_items.values() if i.parent_id == parent.id]
    children.sort(key=lambda c: c["name"].lower())
    context = f"drives('{drive}')/items('{item_id}')/children"
    return graph_response(page_of(children, context=context, default_size=200, max_size=1000))


def _download_url(item: DriveItem) -> str:
    state = current().state
    token = secrets.token_urlsafe(24)
    state.downloads[token] = item.id
    return f"{request.host_url.rstrip('/')}/_sandbox/download/{token}"


@files.get("/v1.0/drives/<drive>/items/<item_id>/content")
def download(drive: str, item_id: str) -> Response:
    """Graph answers 302 with a short-lived pre-authenticated URL."""
    require(FILES_READ)
    with current().state.lock:
        item = _item_or_404(drive, item_id)
        if item.folder:
            raise GraphHTTPError(400, "invalidRequest", "Cannot download a folder.")
        return redirect(_download_url(item), code=302)  # type: ignore[return-value]


@files.put("/v1.0/drives/<drive>/items/<path:spec>/content")
def upload(drive: str, spec: str) -> Response:
    """`{parent-id}:/{path/to/name}:` creates or replaces by path; `{item-id}` replaces that file."""
    who = require(FILES_WRITE)
    data = request.get_data()
    if len(data) > MAX_SIMPLE_UPLOAD:
        raise GraphHTTPError(413, "requestTooLarge", "Use an upload session for files larger than 250 MB.")
    conflict = request.args.get("@microsoft.graph.conflictBehavior", "replace")
    state = current().state
    with state.lock:
        _team_of_drive(drive)
        now = _stamp(current().clock.now())
        identity = {"user": {"id": who.user_id}} if who.delegated else {"application": {"id": who.app_id}}
        if ":" in spec:
            # Graph decodes path segments; cheroot leaves %2F encoded in PATH_INFO (the SDK sends `%3A%2F`).
            parent_id, _, rest = unquote(spec).partition(":")
            names = [n for n in rest.strip(":").strip("/").split("/") if n]
            if not names:
                raise GraphHTTPError(400, "invalidRequest", "A file name is required.")
            parent = _item_or_404(drive, parent_id)
            for folder in names[:-1]:
                parent = _ensure_folder(drive, parent.id, folder)
            item, status = _write_file(drive, parent, names[-1], data, identity, now, conflict)
        else:
            item = _item_or_404(drive, spec)
            item.content, item.modified = data, now
            item.etag_version += 1
            status = 200
        body = drive_item_json(item)
    return graph_response(
        {"@odata.context": f"{graph_base()}/$metadata#drives('{drive}')/items/$entity", **body}, status
    )


def _write_file(
    drive: str, parent: DriveItem, name: str, data: bytes, identity: dict[str, Any], now: str, conflict: str
) -> tuple[DriveItem, int]:
    state = current().state
    existing = next(
        (i for i in state.drive_items.values() if i.parent_id == parent.id and i.name.lower() == name.lower()), None
    )
    if existing is not None and conflict == "fail":
        raise GraphHTTPError(409, "nameAlreadyExists", "The specified item name already exists.")
    if existing is not None and conflict == "rename":
        stem, dot, ext = name.rpartition(".")
        name = f"{stem or ext} 1{dot}{ext if stem else ''}"
        existing = None
    if existing is not None:
        if existing.folder:
            raise GraphHTTPError(409, "nameAlreadyExists", "A folder with that name exists.")
        existing.content, existing.modified = data, now
        existing.etag_version += 1
        return existing, 200
    item = DriveItem(_item_id(drive, parent.id, name.lower()), drive, name, parent.id, False, now, now, data, identity)
    state.drive_items[item.id] = item
    return item, 201


@files.post("/v1.0/drives/<drive>/items/<item_id>/createLink")
def create_link(drive: str, item_id: str) -> Response:
    require(FILES_WRITE)
    body = read_json()
    link_type, scope = body.get("type"), body.get("scope", "organization")
    if link_type not in ("view", "edit", "embed"):
        raise GraphHTTPError(400, "invalidRequest", "Invalid link type; use view, edit or embed.")
    if scope not in ("anonymous", "organization", "users"):
        raise GraphHTTPError(400, "invalidRequest", "Invalid link scope.")
    state = current().state
    with state.lock:
        item = _item_or_404(drive, item_id)
        key = f"{item.id}:{link_type}:{scope}"
        existing = state.links.get(key)
        status = 200 if existing else 201
        if existing is None:
            share = "u!" + base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")
            existing = {
                "id": secrets.token_hex(8),
                "roles": ["write"] if link_type == "edit" else ["read"],
                "shareId": share,
                "hasPassword": False,
                "link": {"scope": scope, "type": link_type, "webUrl": _web_url(item), "preventsDownload": False},
            }
            state.links[key] = existing
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#permission", **existing}, status)


@files.get("/sites/<site>/Shared Documents/<path:path>")
def browse(site: str, path: str) -> Response:
    """What a person sees when they click a `webUrl`: the file itself (the sandbox has no Office viewer).

    No token here: on SharePoint the browser session is the credential; the sandbox serves loopback only.
    """
    state = current().state
    with state.lock:
        for item in state.drive_items.values():
            if not item.folder and "/".join(item_path(item)) == path:
                mime = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
                return Response(item.content, content_type=mime)
    raise GraphHTTPError(404, "itemNotFound", "The resource could not be found.")
