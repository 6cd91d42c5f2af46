"""Graph's error JSON, raised anywhere in the sandbox and rendered in one place.

Shape (GRAPH-FACTS §7, refdata/graph/errors/): `{"error": {"code", "message", "innerError": {"date",
"request-id", "client-request-id"}}}`. Codes differ per service (Planner sends `""`), so clients must branch
on the HTTP status; the sandbox keeps the per-service codes to catch clients that do not.
"""

from __future__ import annotations

from typing import Any


class GraphHTTPError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        inner: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.inner = inner or {}


def error_body(error: GraphHTTPError, *, date: str, request_id: str, client_request_id: str) -> dict[str, Any]:
    inner: dict[str, Any] = {**error.inner, "date": date, "request-id": request_id}
    inner["client-request-id"] = client_request_id or request_id
    return {"error": {"code": error.code, "message": error.message, "innerError": inner}}


def bad_request(message: str, code: str = "BadRequest") -> GraphHTTPError:
    return GraphHTTPError(400, code, message)


def not_found(message: str, code: str = "ResourceNotFound") -> GraphHTTPError:
    return GraphHTTPError(404, code, message)


# Planner answers with an empty code (refdata/graph/errors/planner-403-from-batch.response.json).
def planner_error(status: int, message: str) -> GraphHTTPError:
    return GraphHTTPError(status, "", message)
