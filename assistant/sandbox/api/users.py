"""Directory users: list (paged, `$filter`, `$select`, `$top`, `$count`), count, and get by id or userPrincipalName.

https://learn.microsoft.com/graph/api/user-list — default page 100, `$top` up to 999, pages linked by an opaque
`$skiptoken` (`$skip` is not supported). Counting is an advanced query: https://learn.microsoft.com/graph/aad-advanced-queries.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from assistant.sandbox import odata
from assistant.sandbox.context import current, filtered, graph_base, graph_response, page_of, require, resolve_user
from assistant.sandbox.errors import GraphHTTPError
from assistant.sandbox.permissions import USERS_READ

users = Blueprint("users", __name__)

USER_PROPERTIES = {
    "id", "displayName", "givenName", "surname", "mail", "userPrincipalName", "jobTitle", "department",
    "officeLocation", "businessPhones", "mobilePhone", "preferredLanguage", "accountEnabled", "companyName",
    "city", "country", "usageLocation", "employeeId",
}  # fmt: skip
# Without $select Graph returns this default set (https://learn.microsoft.com/graph/api/user-get).
DEFAULT_USER_PROPERTIES = (
    "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
    "preferredLanguage", "surname", "userPrincipalName", "id",
)  # fmt: skip


def _public(user: dict[str, object]) -> dict[str, object]:
    if "$select" in request.args:
        return dict(user)
    return {key: user.get(key) for key in DEFAULT_USER_PROPERTIES}


@users.get("/v1.0/users")
def list_users() -> Response:
    require(USERS_READ)
    if "$skip" in request.args:
        # user-list lists $skip among the unsupported options, and the service refuses it with this 400
        # (https://learn.microsoft.com/graph/api/user-list#optional-query-parameters; microsoftgraph/msgraph-metadata#135).
        raise GraphHTTPError(400, "Request_BadRequest", "'$skip' is not supported by the service.")
    items = filtered(_public(u) for u in current().state.users)
    # `$count=true` counts only in an advanced query and is otherwise ignored silently
    # (https://learn.microsoft.com/graph/aad-advanced-queries#error-handling-for-advanced-queries-on-directory-objects);
    # the count is on the first page only (https://learn.microsoft.com/graph/query-parameters#skiptoken-parameter).
    count = _advanced_query() and "$skiptoken" not in request.args and odata.parse_count(request.args.get("$count"))
    body = page_of(items, context="users", default_size=100, max_size=999, known=USER_PROPERTIES,
                   paging="skiptoken", count=count)  # fmt: skip
    return graph_response(body)


@users.get("/v1.0/users/$count")
def count_users() -> Response:
    """The `$count` segment: a text/plain integer, and a 400 outside an advanced query (user-list Example 3;
    https://learn.microsoft.com/graph/aad-advanced-queries#error-handling-for-advanced-queries-on-directory-objects)."""
    require(USERS_READ)
    if not _advanced_query():
        raise GraphHTTPError(400, "Request_BadRequest", "$count is not currently supported.")
    total = len(filtered(_public(u) for u in current().state.users))
    return Response(str(total), content_type="text/plain", headers={"OData-Version": "4.0"})


def _advanced_query() -> bool:
    """`ConsistencyLevel: eventual` is what makes a directory query advanced (aad-advanced-queries)."""
    return request.headers.get("ConsistencyLevel", "").strip().lower() == "eventual"


@users.get("/v1.0/users/<user_key>")
@users.get("/v1.0/me", defaults={"user_key": "me"})
def get_user(user_key: str) -> Response:
    require(USERS_READ)
    user = resolve_user(user_key)
    body = odata.select(_public(user), request.args.get("$select"), USER_PROPERTIES)
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#users/$entity", **body})
