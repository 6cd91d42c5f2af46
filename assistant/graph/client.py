"""A small synchronous Graph client on `requests`: auth header, timeouts, paging, typed errors.

Issue #3 grows this into the full access layer (retries with Retry-After, $batch, ETag-aware PATCH).
Why not msgraph-sdk at runtime: README "Design notes".
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import requests

from assistant.graph.errors import STATUS_ERRORS, GraphStatusError, TransportError
from assistant.graph.http import PinnedSession

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0


class GraphClient:
    def __init__(self, base_url: str, token: Callable[[], str], session: PinnedSession) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._session = session
        self.round_trips = 0

    def get(
        self, path: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        return self._json(self.request("GET", path, params=params, headers=headers))

    def pages(
        self, path: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every item of a collection, following `@odata.nextLink` verbatim until it is absent."""
        page = self.get(path, params, headers)
        while True:
            yield from page.get("value", [])
            next_link = page.get("@odata.nextLink")
            if not next_link:
                return
            page = self._json(self.request("GET", next_link, headers=headers))

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> requests.Response:
        url = path_or_url if path_or_url.startswith("https://") else f"{self.base_url}{path_or_url}"
        request_id = str(uuid.uuid4())
        all_headers = {"Authorization": f"Bearer {self._token()}", "client-request-id": request_id, **(headers or {})}
        self.round_trips += 1
        try:
            response = self._session.request(
                method, url, params=params, headers=all_headers, json=json_body, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)
            )
        except requests.RequestException as exc:
            raise TransportError(f"Graph {method} {url}: no answer ({type(exc).__name__})") from None
        log.debug(
            "graph %s %s -> %s (client-request-id %s)", method, url.split("?")[0], response.status_code, request_id
        )
        if response.status_code >= 400:
            raise _status_error(method, url, response)
        return response

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        body = response.json() if response.content else {}
        return body if isinstance(body, dict) else {"value": body}


def _status_error(method: str, url: str, response: requests.Response) -> GraphStatusError:
    try:
        error = response.json().get("error", {})
    except ValueError:
        error = {}
    inner = error.get("innerError") or {}
    cls = STATUS_ERRORS.get(response.status_code, GraphStatusError)
    return cls(
        response.status_code,
        str(error.get("code", "")),
        str(error.get("message", response.reason)),
        method=method,
        url=url.split("?")[0],
        request_id=response.headers.get("request-id") or inner.get("request-id"),
        client_request_id=response.headers.get("client-request-id") or inner.get("client-request-id"),
    )
