"""What every sandbox request handler needs: the state, the clock, the token issuer, the caller.

Handlers reach these through `current()` rather than globals, so several sandboxes can run in one
process (the test suite does).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

from flask import Response, current_app, g, request

from assistant.sandbox import odata
from assistant.sandbox.channel_tokens import ChannelTokenIssuer
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.errors import GraphHTTPError
from assistant.sandbox.faults import FaultInjector
from assistant.sandbox.permissions import Permission, forbidden
from assistant.sandbox.state import SandboxState
from assistant.sandbox.tokens import Caller, TokenError, TokenIssuer

GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"


@dataclass
class Sandbox:
    state: SandboxState
    clock: SandboxClock
    issuer: TokenIssuer
    faults: FaultInjector
    ca_bundle: str | None = None  # used when the sandbox calls out (webhook notifications)
    notifier: Any = None
    channel_issuer: ChannelTokenIssuer = field(default_factory=ChannelTokenIssuer)  # the Bot Framework channel's
    extra: dict[str, Any] = field(default_factory=dict)


def current() -> Sandbox:
    return current_app.extensions["sandbox"]


def graph_base() -> str:
    return request.host_url.rstrip("/") + "/v1.0"


def caller() -> Caller:
    """The verified caller of this request; 401 in Graph's shape when the token is not acceptable."""
    if "caller" in g:
        return g.caller
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not header[7:].strip():
        raise _unauthorized("Access token is empty.")
    sandbox = current()
    try:
        who = sandbox.issuer.verify(header[7:].strip(), now=sandbox.clock.now())
    except TokenError as exc:
        raise _unauthorized(str(exc)) from exc
    g.caller = who
    return who


def _unauthorized(message: str) -> GraphHTTPError:
    challenge = (
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", '
        'client_id="00000003-0000-0000-c000-000000000000"'
    )
    return GraphHTTPError(401, "InvalidAuthenticationToken", message, {"WWW-Authenticate": challenge})


def require(permission: Permission) -> Caller:
    who = caller()
    if not permission.allows(who):
        raise forbidden(permission, who)
    return who


def resolve_user(user_key: str) -> dict[str, Any]:
    """`me`, a user id or a UPN, as Graph accepts them in `/users/{id | userPrincipalName}`."""
    state = current().state
    if user_key == "me":
        who = caller()
        if not who.delegated or who.user_id is None:
            raise GraphHTTPError(400, "BadRequest", "/me request is only valid with delegated authentication flow.")
        user_key = who.user_id
    user = state.user(user_key)
    if user is None:
        raise GraphHTTPError(
            404,
            "Request_ResourceNotFound",
            f"Resource '{user_key}' does not exist or one of its queried reference-property objects are not present.",
        )
    return user


def graph_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(body), status=status, content_type=GRAPH_JSON)
    response.headers["OData-Version"] = "4.0"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def empty_response(status: int = 204, headers: dict[str, str] | None = None) -> Response:
    response = Response(status=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


Paging = Literal["skip", "skiptoken"]


def page_of(
    items: list[dict[str, Any]],
    *,
    context: str,
    default_size: int,
    max_size: int,
    honour_top: bool = True,
    known: set[str] | None = None,
    paging: Paging = "skip",
    count: bool = False,
) -> dict[str, Any]:
    """One page of a collection, and an `@odata.nextLink` that repeats the query with the next page's position.

    `paging="skip"` puts the position in `$skip=N`, as Outlook's mail and calendar pages do
    (https://learn.microsoft.com/graph/query-parameters#skip-parameter); `"skiptoken"` in an opaque `$skiptoken`,
    as the directory's do (https://learn.microsoft.com/graph/paging). `count` adds
    `@odata.count`, the size of the whole (filtered) collection
    (https://learn.microsoft.com/graph/query-parameters#count-parameter); whether Graph counts is the route's call.
    """
    args = request.args
    size = default_size
    prefer_size = odata_prefs().get("odata.maxpagesize")
    if prefer_size and prefer_size.isdigit():
        size = min(int(prefer_size), max_size)
    if honour_top and "$top" in args:
        size = odata.parse_top(args["$top"], max_size)
    offset = _skiptoken_offset(args.get("$skiptoken")) if paging == "skiptoken" else _int_arg("$skip")
    chunk = items[offset : offset + size]
    body: dict[str, Any] = {"@odata.context": f"{graph_base()}/$metadata#{context}"}
    if count:
        body["@odata.count"] = len(items)
    if offset + size < len(items):
        name = "$skiptoken" if paging == "skiptoken" else "$skip"
        query = [(k, v) for k, v in args.items(multi=True) if k != name]
        query.append((name, _skiptoken(offset + size) if paging == "skiptoken" else str(offset + size)))
        body["@odata.nextLink"] = f"{graph_base()}{_graph_path()}?{urlencode(query, safe='$')}"
    body["value"] = [odata.select(item, args.get("$select"), known) for item in chunk]
    return body


_SKIPTOKEN_PREFIX = "sandbox-page:"


def _skiptoken(offset: int) -> str:
    """Opaque to clients, who must follow nextLink verbatim; it only has to round-trip through a URL."""
    return base64.urlsafe_b64encode(f"{_SKIPTOKEN_PREFIX}{offset}".encode()).decode().rstrip("=")


def _skiptoken_offset(token: str | None) -> int:
    if token is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except ValueError:
        text = ""
    number = text.removeprefix(_SKIPTOKEN_PREFIX)
    if not text.startswith(_SKIPTOKEN_PREFIX) or not number.isdigit():
        # The directory's code for a page token it no longer (or never) knew; wording [K].
        raise GraphHTTPError(
            400,
            "Directory_ExpiredPageToken",
            "The specified page token value has expired and can no longer be included in your request.",
        )
    return int(number)


def _graph_path() -> str:
    return request.path[len("/v1.0") :] if request.path.startswith("/v1.0") else request.path


def _int_arg(name: str) -> int:
    raw = request.args.get(name, "0")
    if not raw.isdigit():
        raise GraphHTTPError(400, "BadRequest", f"Invalid value '{raw}' for query option '{name}'.")
    return int(raw)


def odata_prefs() -> dict[str, str]:
    from assistant.sandbox.timezones import parse_prefer

    return parse_prefer(", ".join(request.headers.getlist("Prefer")) or None)


def filtered(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply `$filter` and `$orderby` where the route supports them."""
    result = list(items)
    if "$filter" in request.args:
        keep = odata.parse_filter(request.args["$filter"])
        result = [item for item in result if keep(item)]
    if "$orderby" in request.args:
        result = odata.order_by(result, request.args["$orderby"])
    return result


def read_json() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise GraphHTTPError(400, "BadRequest", "Empty Payload. JSON content expected.")
    return body
