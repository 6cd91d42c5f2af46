"""Post an Adaptive Card through a Teams Workflows webhook ("When a Teams webhook request is received").

The envelope is the one the Workflows template loops over (GRAPH-FACTS §4.1,
`refdata/teams-webhooks/workflows-webhook.request.CONSTRUCTED.txt`): a `message` whose attachments carry the
card as an *object* (Graph wants a string; gotcha 10). The flow answers 202 and runs later, so a 202 means
"accepted", not "shown in the channel": failures after that only appear in the flow's run history.

The URL is a signed secret (`...&sig=...`): it is never logged and never put in an error message, and
neither is the text of a `requests` exception, which quotes the URL with its query string. Messages name
the host only. urllib3 logs each request line, query included, at DEBUG (`coordinator -v`):
`hide_url_signatures` puts a filter on its loggers that masks `sig=` values before any handler sees them.

Replays follow the Graph client's POST rule (`retry.py`): only after a 429, which is refused before the flow
runs. A request that was never sent (connection refused, name not found, TLS handshake failed) is a plain
failure; one that got no answer after it was sent may have started the flow, and is reported as such.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

from assistant.graph.client import CONNECT_TIMEOUT, READ_TIMEOUT
from assistant.graph.errors import GraphError
from assistant.graph.http import PinnedSession
from assistant.graph.retry import RetryPolicy, may_retry
from assistant.graph.teams import ADAPTIVE_CARD

log = logging.getLogger(__name__)

# Teams refuses messages above about 28 KB (GRAPH-FACTS §4.1, §5); the flow would fail where nobody looks.
MAX_MESSAGE_BYTES = 28 * 1024
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_SIGNATURE = re.compile(r"(?i)([?&]sig=)[^&\s\"']+")
# The urllib3 loggers that quote request URLs (a filter on a logger applies to its own records only).
_URL_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry")


class WorkflowError(GraphError):
    """The Workflows webhook did not accept the card.

    `maybe_posted` is True when the request went out and no answer came back: the flow may have run.
    """

    def __init__(self, message: str, *, status: int | None = None, maybe_posted: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.maybe_posted = maybe_posted


@dataclass(frozen=True)
class WorkflowAnswer:
    status: int  # 202 normally; 200 from some flows
    host: str
    attempts: int


def workflow_envelope(card: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [{"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": dict(card)}],
    }


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a Workflows URL, or None. https only; plain http only on loopback (for tests)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return "must be a full https:// URL (the one the Workflows trigger shows)"
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        return None
    return "must be an https:// URL"


def post_to_workflow(
    session: PinnedSession,
    url: str,
    card: Mapping[str, Any],
    *,
    policy: RetryPolicy | None = None,
    timeouts: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
) -> WorkflowAnswer:
    host = urlsplit(url).hostname or "?"
    problem = url_problem(url)
    if problem:
        raise WorkflowError(f"the Workflows URL {problem}")
    body = json.dumps(workflow_envelope(card), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_MESSAGE_BYTES:
        raise WorkflowError(f"the card is {len(body)} bytes; Teams takes messages of at most {MAX_MESSAGE_BYTES}")
    hide_url_signatures()
    policy = policy or RetryPolicy()
    started = policy.monotonic()
    attempt = 0
    while True:
        attempt += 1
        try:
            response = session.post(
                url,
                data=body,
                headers={"Content-Type": "application/json"},
                timeout=timeouts,
                allow_redirects=False,  # a redirected POST becomes a GET; and the signed URL must not travel
            )
        except requests.RequestException as exc:
            sent = not _never_sent(exc)
            log.info("workflows webhook at %s: no answer (%s) on try %d", host, type(exc).__name__, attempt)
            what = "the flow may have run" if sent else "nothing was sent"
            raise WorkflowError(
                f"the Workflows webhook at {host} gave no answer ({type(exc).__name__}): {what}",
                maybe_posted=sent,
            ) from None
        status = response.status_code
        if status in (200, 202):
            log.info("workflows webhook at %s accepted the card (%d)", host, status)
            return WorkflowAnswer(status, host, attempt)
        wait = policy.delay(attempt, response.headers)
        if may_retry("POST", status, {}) and policy.allows(attempt, started, wait):
            log.info("workflows webhook at %s: %d, try %d in %.1f s", host, status, attempt + 1, wait)
            policy.sleep(wait)
            continue
        raise WorkflowError(f"the Workflows webhook at {host} answered {status}{_hint(status)}", status=status)


class _HideSignatures(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _SIGNATURE.sub(r"\1<hidden>", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_SIGNATURE.sub(r"\1<hidden>", a) if isinstance(a, str) else a for a in record.args)
        return True


def hide_url_signatures() -> None:
    """Mask `sig=` query values in urllib3's request logs; idempotent (one filter per logger)."""
    for name in _URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _HideSignatures) for f in logger.filters):
            logger.addFilter(_HideSignatures())


def _never_sent(exc: requests.RequestException) -> bool:
    """Whether the request certainly did not reach the server: no connection, or no TLS session."""
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError):
        return True
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, ConnectTimeoutError)  # NewConnectionError (refused, DNS) is one of these


def _hint(status: int) -> str:
    if status in (401, 403, 404):
        return " (the URL is wrong, or the flow was turned off or deleted: copy the URL from the flow's trigger again)"
    if 300 <= status < 400:
        return " (a redirect: use the URL exactly as the flow's trigger shows it)"
    if status == 429:
        return " (throttled, still after retrying)"
    return ""
