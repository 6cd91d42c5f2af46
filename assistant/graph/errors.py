"""Errors from talking to Microsoft 365.

GraphError                  (CoordinatorError)
├── AuthError               the identity platform refused: wrong secret, unknown tenant or app, no consent
├── TransportError          no HTTP answer: connection refused or dropped, TLS failure, timeout
└── GraphStatusError        Graph answered with an error status; carries status, code and request ids
    ├── NotFound            404
    ├── Forbidden           403: usually a missing permission (the message says which call)
    ├── Throttled           429 (and 503/504 with Retry-After)
    └── PreconditionFailed  412: the etag was stale or missing
"""

from __future__ import annotations

from assistant.errors import CoordinatorError


class GraphError(CoordinatorError):
    pass


class AuthError(GraphError):
    pass


class TransportError(GraphError):
    pass


class GraphStatusError(GraphError):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        method: str,
        url: str,
        request_id: str | None = None,
        client_request_id: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.graph_message = message
        self.method = method
        self.url = url
        self.request_id = request_id
        self.client_request_id = client_request_id
        label = f"{code}: " if code else ""
        super().__init__(f"Graph {method} {url} failed with {status} ({label}{message}) [request-id {request_id}]")


class NotFound(GraphStatusError):
    pass


class Forbidden(GraphStatusError):
    pass


class Throttled(GraphStatusError):
    pass


class PreconditionFailed(GraphStatusError):
    pass


STATUS_ERRORS: dict[int, type[GraphStatusError]] = {
    403: Forbidden,
    404: NotFound,
    412: PreconditionFailed,
    429: Throttled,
}
