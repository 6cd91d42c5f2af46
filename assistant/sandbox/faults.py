"""Deterministic faults and latency, so clients can be tested and benchmarked under realistic conditions.

Two ways to fail a request:
- a fault rate: each Graph request draws from a `random.Random(seed)`; with the same seed and the same
  request order the same requests fail;
- a script: "fail the next N requests matching this method and path with this status", for tests that need
  one exact failure.
Graph throttles with 429 + `Retry-After` (seconds), and some services answer 503/504 instead
(https://learn.microsoft.com/graph/throttling). A dropped connection sends headers and then closes.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = ("429", "503", "504", "drop")
INNER_REQUEST = "sandbox.inner_batch_request"  # WSGI environ key marking a request run inside $batch


@dataclass
class ScriptedFault:
    status: int | str  # an HTTP status or "drop"
    path: str = ".*"  # regular expression searched in the request path
    method: str = "*"
    times: int = 1
    retry_after: int | None = None

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and re.search(self.path, path) is not None


@dataclass
class FaultSettings:
    rate: float = 0.0
    seed: int = 0
    latency_ms: int = 0
    kinds: tuple[str, ...] = FAULT_KINDS
    retry_after: int = 1
    script: list[ScriptedFault] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "seed": self.seed,
            "latency_ms": self.latency_ms,
            "kinds": list(self.kinds),
            "retry_after": self.retry_after,
            "script": [vars(s) for s in self.script],
        }


@dataclass(frozen=True)
class Fault:
    status: int | str
    retry_after: int | None


class FaultInjector:
    def __init__(self, settings: FaultSettings | None = None, sleep: Callable[[float], None] = time.sleep):
        self._lock = threading.Lock()
        self._sleep = sleep
        self.configure(settings or FaultSettings())

    def configure(self, settings: FaultSettings) -> None:
        for kind in settings.kinds:
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; use {', '.join(FAULT_KINDS)}")
        if not 0.0 <= settings.rate <= 1.0:
            raise ValueError("fault rate must be between 0 and 1")
        with self._lock:
            self.settings = settings
            self._random = random.Random(settings.seed)

    def decide(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for scripted in self.settings.script:
                if scripted.times > 0 and scripted.matches(method, path):
                    scripted.times -= 1
                    retry = scripted.retry_after
                    if retry is None and scripted.status in (429, 503):
                        retry = self.settings.retry_after
                    return Fault(scripted.status, retry)
            if self.settings.rate and self._random.random() < self.settings.rate:
                kind = self._random.choice(self.settings.kinds)
                status: int | str = kind if kind == "drop" else int(kind)
                retry = self.settings.retry_after if status in (429, 503) else None
                return Fault(status, retry)
        return None

    def delay(self) -> None:
        if self.settings.latency_ms:
            self._sleep(self.settings.latency_ms / 1000)


class FaultMiddleware:
    """WSGI middleware: latency and faults for Graph routes only (never for `/_sandbox/` controls)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], injector: FaultInjector, prefix: str = "/v1.0"):
        self.app = app
        self.injector = injector
        self.prefix = prefix

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.prefix):
            return self.app(environ, start_response)
        if not environ.get(INNER_REQUEST):
            self.injector.delay()  # latency is the network's: one per HTTP round trip, not per request in a $batch
        fault = self.injector.decide(environ.get("REQUEST_METHOD", "GET"), path)
        if fault is not None and fault.status == "drop":
            if environ.get(INNER_REQUEST):
                # A request inside a $batch has no connection of its own to lose: the batch answers
                # for it, as a backend that did not reply in time.
                fault = Fault(504, None)
            else:
                return dropped_connection(start_response)
        if fault is not None:
            environ["sandbox.fault"] = fault  # rendered by the app as Graph's error JSON
        return self.app(environ, start_response)


def dropped_connection(start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Send headers promising a body, then break the connection."""
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "512")])

    def body() -> Iterable[bytes]:
        raise ConnectionAbortedError("sandbox fault: connection dropped")
        yield b""  # pragma: no cover - makes this a generator

    return body()
