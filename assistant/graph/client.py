"""A small synchronous Graph client on `requests`: auth header, timeouts, retries, paging, typed errors.

Why not msgraph-sdk at runtime: README "Design notes". Batching is in `graph/batch.py`, etag-aware
updates in `graph/etag.py`; both go through `request`, so every round trip is retried, counted and logged
the same way.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from assistant.graph.errors import STATUS_ERRORS, GraphError, GraphStatusError, TransportError
from assistant.graph.http import PinnedSession
from assistant.graph.retry import RetryPolicy, may_retry

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0


@dataclass(frozen=True)
class Exchange:
    """One HTTP round trip, for the request hooks (benchmarks count them, logs list them)."""

    method: str
    url: str  # without the query string, which may carry user data
    status: int | None  # None: no answer (connection refused or dropped, timeout)
    attempt: int
    seconds: float
    client_request_id: str
    request_id: str | None


class GraphClient:
    def __init__(
        self,
        base_url: str,
        token: Callable[[], str],
        session: PinnedSession,
        *,
        policy: RetryPolicy | None = None,
        timeouts: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._session = session
        self.policy = policy or RetryPolicy()
        self._timeouts = timeouts
        self.hooks: list[Callable[[Exchange], None]] = []
        self.round_trips = 0
        self._count_lock = threading.Lock()  # batches may run chunks from several threads

    def get(self, path: str, params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None) -> Any:
        return json_of(self.request("GET", path, params=params, headers=headers))

    def pages(
        self, path: str, params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every item of a collection, following `@odata.nextLink` verbatim until it is absent."""
        page = self.get(path, params, headers)
        yield from self.follow(page, headers)

    def follow(self, page: dict[str, Any], headers: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """The items of a first page already in hand, then of the pages its `@odata.nextLink` chain names."""
        while True:
            yield from page.get("value", [])
            next_link = page.get("@odata.nextLink")
            if not next_link:
                return
            page = json_of(self.request("GET", next_link, headers=headers))

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        idempotent: bool = False,
    ) -> requests.Response:
        """One logical request: retried as `retry.py` allows, then a response below 400 or a typed error.

        `content` is a raw body (a file upload; set `Content-Type` in `headers`), instead of `json_body`.
        """
        url = self._absolute(path_or_url)
        client_request_id = str(uuid.uuid4())  # one id for all tries, as Graph support asks
        extra = dict(headers or {})
        started = self.policy.monotonic()
        attempt = 0
        while True:
            attempt += 1
            response, failure = self._send(method, url, params, extra, (json_body, content), client_request_id, attempt)
            status = response.status_code if response is not None else None
            if response is not None and status is not None and status < 400:
                return response
            answer_headers = response.headers if response is not None else {}
            wait = self.policy.delay(attempt, answer_headers)
            if may_retry(method, status, extra, idempotent) and self.policy.allows(attempt, started, wait):
                log.info("graph %s %s: %s, try %d in %.1f s", method, _bare(url), status or failure, attempt + 1, wait)
                self.policy.sleep(wait)
                continue
            if response is None:
                raise TransportError(f"Graph {method} {_bare(url)}: no answer ({failure}) after {attempt} tries")
            raise status_error(method, url, response, attempt)

    def _absolute(self, path_or_url: str) -> str:
        """A path joins the base URL; a full URL (a next link) must point at the same host, or the
        bearer token would go with it to whoever wrote that link."""
        if not path_or_url.startswith(("https://", "http://")):
            return f"{self.base_url}{path_or_url}"
        if urlsplit(path_or_url)[:2] != urlsplit(self.base_url)[:2]:
            raise GraphError(f"refusing to send the Graph token to {_bare(path_or_url)}: not {self.base_url}")
        return path_or_url

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        extra: dict[str, str],
        body: tuple[Any, bytes | None],
        client_request_id: str,
        attempt: int,
    ) -> tuple[requests.Response | None, str]:
        headers = {"Authorization": f"Bearer {self._token()}", "client-request-id": client_request_id, **extra}
        with self._count_lock:
            self.round_trips += 1
        began = self.policy.monotonic()
        response: requests.Response | None = None
        failure = ""
        try:
            response = self._session.request(
                method, url, params=params, headers=headers, json=body[0], data=body[1], timeout=self._timeouts
            )
        except requests.RequestException as exc:
            failure = type(exc).__name__
        exchange = Exchange(
            method=method,
            url=_bare(url),
            status=response.status_code if response is not None else None,
            attempt=attempt,
            seconds=self.policy.monotonic() - began,
            client_request_id=client_request_id,
            request_id=response.headers.get("request-id") if response is not None else None,
        )
        log.debug(
            "graph %s %s -> %s (client-request-id %s, request-id %s)",
            method,
            exchange.url,
            exchange.status or failure,
            client_request_id,
            exchange.request_id,
        )
        for hook in self.hooks:
            hook(exchange)
        return response, failure


def json_of(response: requests.Response) -> Any:
    """The JSON body, or {} for the empty bodies of 204 answers (Planner's PATCH, DELETE)."""
    return response.json() if response.content else {}


def _bare(url: str) -> str:
    return url.split("?", 1)[0]


def status_error(method: str, url: str, response: requests.Response, attempts: int = 1) -> GraphStatusError:
    """A typed error from a Graph error answer: `{"error": {"code", "message", "innerError": {...}}}`."""
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        error = {}
    return error_from_parts(method, url, response.status_code, error, response.headers, response.reason, attempts)


def error_from_parts(
    method: str,
    url: str,
    status: int,
    error: Mapping[str, Any],
    headers: Mapping[str, str],
    reason: str = "",
    attempts: int = 1,
) -> GraphStatusError:
    inner = error.get("innerError") or {}
    cls = STATUS_ERRORS.get(status, GraphStatusError)
    return cls(
        status,
        str(error.get("code", "")),
        str(error.get("message") or reason),
        method=method,
        url=_bare(url),
        request_id=headers.get("request-id") or inner.get("request-id"),
        client_request_id=headers.get("client-request-id") or inner.get("client-request-id"),
        attempts=attempts,
    )
