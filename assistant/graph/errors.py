"""Errors from talking to Microsoft 365.

GraphError                  (CoordinatorError)
├── AuthError               the identity platform refused: wrong secret, unknown tenant or app, no consent
│   └── LoginRequired       the delegated sign-in is missing, expired or revoked: run `coordinator login`
├── TransportError          no HTTP answer: connection refused or dropped, TLS failure, timeout
├── TooLarge                refused before sending: more than one request may carry (an Outlook attachment of 3 MB+)
└── GraphStatusError        Graph answered with an error status; carries status, code and request ids
    ├── NotFound            404
    ├── Forbidden           403: usually a missing permission (the message says which call)
    ├── Conflict            409: a concurrent change won (Planner); re-read and merge
    ├── PreconditionFailed  412: the etag was stale or missing
    ├── Throttled           429 still, after every retry the policy allowed
    └── Unavailable         503/504 still, after every retry the policy allowed
"""

from __future__ import annotations

from assistant.errors import CoordinatorError


class GraphError(CoordinatorError):
    pass


class AuthError(GraphError):
    pass


class LoginRequired(AuthError):
    """Only a person can fix this, by signing in again; jobs report it instead of retrying."""


class TransportError(GraphError):
    pass


class TooLarge(GraphError):
    """The content needs a resumable upload session, which Coordinator does not implement; nothing was sent."""


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
        attempts: int = 1,
    ) -> None:
        self.status = status
        self.code = code
        self.graph_message = message
        self.method = method
        self.url = url
        self.request_id = request_id
        self.client_request_id = client_request_id
        self.attempts = attempts
        label = f"{code}: " if code else ""
        tries = f" after {attempts} tries" if attempts > 1 else ""
        super().__init__(
            f"Graph {method} {url} failed with {status}{tries} ({label}{message}) "
            f"[request-id {request_id}, client-request-id {client_request_id}]"
        )


class NotFound(GraphStatusError):
    pass


class Forbidden(GraphStatusError):
    pass


class Throttled(GraphStatusError):
    pass


class Conflict(GraphStatusError):
    pass


class PreconditionFailed(GraphStatusError):
    pass


class Unavailable(GraphStatusError):
    pass


STATUS_ERRORS: dict[int, type[GraphStatusError]] = {
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    429: Throttled,
    503: Unavailable,
    504: Unavailable,
}
