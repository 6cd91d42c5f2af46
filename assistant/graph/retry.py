"""When to try a Graph request again, and how long to wait first.

Graph throttles with 429 + `Retry-After` in seconds; some services answer 503 or 504 instead, with or
without the header (https://learn.microsoft.com/graph/throttling). Without a header we back off
exponentially. Every wait is capped, and a request gives up once its overall deadline would pass, so a
429 storm costs bounded time. The clock and the sleep are injected: tests and benchmarks never wait for real.

What may be retried (RFC 9110 §9.2.2 idempotent methods, plus what Graph guarantees):
- GET, PUT, DELETE, HEAD, OPTIONS: always (transient status or no answer).
- PATCH with `If-Match`: a replay of an applied change fails with 412 instead of applying twice.
- POST: only after 429 — a throttled request was rejected before it ran — or when the caller declares it
  idempotent (a `$batch` of reads). A POST that got no answer or a 503/504 may have run: never replayed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

RETRY_STATUSES = frozenset({429, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RetryPolicy:
    """Defaults follow msgraph-sdk's RetryHandler (3 s base delay, 180 s cap), with more attempts."""

    attempts: int = 6  # tries in all, the first included
    base_delay: float = 1.0  # first backoff without Retry-After; doubles each time
    max_delay: float = 60.0  # no single wait is longer, whatever Retry-After says
    deadline: float = 120.0  # seconds from the first try after which no retry starts
    monotonic: Callable[[], float] = field(default=time.monotonic, compare=False)
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def delay(self, attempt: int, headers: Mapping[str, str]) -> float:
        """Seconds to wait before try number `attempt + 1` (attempt counts from 1)."""
        advised = retry_after_seconds(headers.get("Retry-After"))
        wait = advised if advised is not None else self.base_delay * 2 ** (attempt - 1)
        return max(0.0, min(wait, self.max_delay))

    def allows(self, attempt: int, started: float, wait: float) -> bool:
        """Whether another try fits: attempts left and the deadline not passed after waiting."""
        return attempt < self.attempts and self.monotonic() + wait - started <= self.deadline


def may_retry(method: str, status: int | None, headers: Mapping[str, str], idempotent: bool = False) -> bool:
    """Whether a failed try may be replayed; `status` is None when no answer came back."""
    if status is not None and status not in RETRY_STATUSES:
        return False
    method = method.upper()
    if idempotent or method in IDEMPOTENT_METHODS:
        return True
    if method == "PATCH" and "If-Match" in headers:
        return True
    return method == "POST" and status == 429


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds. Graph sends delta-seconds; an HTTP date (rare) falls back to backoff."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
