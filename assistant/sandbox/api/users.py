"""Directory users: list (paged, `$filter`, `$select`, `$top`) and get by id or userPrincipalName.

https://learn.microsoft.com/graph/api/user-list — default page 100, `$top` up to 999.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from assistant.sandbox import odata
from assistant.sandbox.context import current, filtered, graph_base, graph_response, page_of, require, resolve_user
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
    items = filtered(_public(u) for u in current().state.users)
    return graph_response(page_of(items, context="users", default_size=100, max_size=999, known=USER_PROPERTIES))


@users.get("/v1.0/users/<user_key>")
@users.get("/v1.0/me", defaults={"user_key": "me"})
def get_user(user_key: str) -> Response:
    require(USERS_READ)
    user = resolve_user(user_key)
    body = odata.select(_public(user), request.args.get("$select"), USER_PROPERTIES)
    return graph_response({"@odata.context": f"{graph_base()}/$metadata#users/$entity", **body})
