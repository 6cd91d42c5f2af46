"""Etag-aware updates: read, change, `PATCH` with `If-Match`; on 412 or 409 read again and re-apply.

Planner requires `If-Match` on every update and answers 412 to a stale etag and 409 to a concurrent change
(https://learn.microsoft.com/graph/api/resources/planner-overview, "Planner resource versioning"). The
client's rule is re-read, merge, retry. Merging is the caller's `change` function: given the resource as it
is now, it returns the properties to send, or None when there is nothing left to do (someone else already
made the change, or it no longer applies). Because the change is recomputed from a fresh read, a retried
update never applies twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from assistant.graph.client import GraphClient, json_of
from assistant.graph.errors import Conflict, PreconditionFailed

log = logging.getLogger(__name__)

Change = Callable[[dict[str, Any]], dict[str, Any] | None]


def update_with_etag(
    client: GraphClient, path: str, change: Change, *, current: dict[str, Any] | None = None, attempts: int = 4
) -> dict[str, Any]:
    """The resource after the change (as Graph returned it), or unchanged when `change` returns None."""
    resource = current if current is not None else client.get(path)
    for attempt in range(1, attempts + 1):
        patch = change(resource)
        if not patch:
            return resource
        headers = {"If-Match": str(resource.get("@odata.etag", "")), "Prefer": "return=representation"}
        try:
            response = client.request("PATCH", path, json_body=patch, headers=headers)
        except (PreconditionFailed, Conflict) as exc:
            if attempt == attempts:
                raise
            log.info("graph PATCH %s: %s, reading it again (try %d)", path, exc.status, attempt + 1)
            resource = client.get(path)
            continue
        body = json_of(response)
        return body if body else client.get(path)  # 204 where return=representation was not honoured
    raise AssertionError("unreachable")  # pragma: no cover
