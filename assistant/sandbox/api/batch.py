"""JSON batching: up to 20 requests in one round trip.

https://learn.microsoft.com/graph/json-batching: `url` is relative to the version (`/me/...`); `id` unique
case-insensitively; `headers` with `Content-Type` required when a `body` is sent; `dependsOn` orders
requests and a failed dependency gives 424; the outer status is 200 whenever the batch parses, even when
every inner request failed; responses come back in any order. Each inner request runs through the same
routes, permissions and fault injection as a direct call (inner requests are throttled individually).
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from typing import Any

from flask import Blueprint, Response, current_app, request

from assistant.sandbox.context import graph_response, read_json
from assistant.sandbox.errors import bad_request
from assistant.sandbox.faults import INNER_REQUEST

batch = Blueprint("batch", __name__)

MAX_REQUESTS = 20
_PASSED_HEADERS = ("Content-Type", "Retry-After", "Location", "ETag", "Preference-Applied", "OData-Version")


@batch.post("/v1.0/$batch")
def run_batch() -> Response:
    payload = read_json()
    items = payload.get("requests")
    if not isinstance(items, list) or not items:
        raise bad_request("Invalid batch payload format: 'requests' must be a non-empty array.")
    if len(items) > MAX_REQUESTS:
        raise bad_request(f"Number of batch request steps exceeds the maximum of {MAX_REQUESTS}.")
    by_id: dict[str, dict[str, Any]] = {}
    for item in items:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("id", "method", "url")):
            raise bad_request("Invalid batch payload format: each request needs id, method and url.")
        key = item["id"].lower()
        if key in by_id:
            raise bad_request(f"Batch request ids must be unique; '{item['id']}' is repeated.")
        by_id[key] = item
    for item in items:
        for dependency in item.get("dependsOn") or []:
            if str(dependency).lower() not in by_id:
                raise bad_request(f"Request '{item['id']}' depends on unknown request '{dependency}'.")
    results: dict[str, dict[str, Any]] = {}
    for item in _in_dependency_order(items):
        results[item["id"].lower()] = _run_one(item, results)
    responses = list(results.values())
    # Any order, as Graph says; deterministic per payload so failures are reproducible.
    random.Random(hashlib.sha256(request.get_data()).digest()).shuffle(responses)
    return graph_response({"responses": responses})


def _in_dependency_order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []
    pending = list(items)
    while pending:
        ready = [i for i in pending if all(str(d).lower() in done for d in i.get("dependsOn") or [])]
        if not ready:
            raise bad_request("The dependsOn graph of this batch has a cycle.")
        for item in ready:
            ordered.append(item)
            done.add(item["id"].lower())
            pending.remove(item)
    return ordered


def _run_one(item: dict[str, Any], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    failed = [d for d in item.get("dependsOn") or [] if results[str(d).lower()]["status"] >= 400]
    if failed:
        return _inner_error(item["id"], 424, "FailedDependency", f"Dependency '{failed[0]}' failed.")
    headers = dict(item.get("headers") or {})
    body = item.get("body")
    data: bytes | None = None
    if body is not None:
        if not any(name.lower() == "content-type" for name in headers):
            return _inner_error(item["id"], 400, "BadRequest", "Content-Type header is required when a body is sent.")
        data = json.dumps(body).encode() if isinstance(body, dict | list) else str(body).encode()
    url = item["url"]
    if url.startswith(("http://", "https://")) or url.startswith("/v1.0/"):
        return _inner_error(item["id"], 400, "BadRequest", "Batch request urls are relative to the version, e.g. /me.")
    path = "/v1.0" + (url if url.startswith("/") else "/" + url)
    forwarded = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "client-request-id")}
    client = current_app.test_client()
    response = client.open(
        path, method=item["method"].upper(), headers={**forwarded, **headers}, data=data,
        base_url=request.host_url, environ_overrides={INNER_REQUEST: True},
    )  # fmt: skip
    result: dict[str, Any] = {
        "id": item["id"],
        "status": response.status_code,
        "headers": {k: v for k, v in response.headers.items() if k in _PASSED_HEADERS},
    }
    raw = response.get_data()
    if raw:
        content_type = response.headers.get("Content-Type", "")
        result["body"] = json.loads(raw) if "json" in content_type else base64.b64encode(raw).decode()
    return result


def _inner_error(item_id: str, status: int, code: str, message: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "status": status,
        "headers": {"Content-Type": "application/json"},
        "body": {"error": {"code": code, "message": message}},
    }
