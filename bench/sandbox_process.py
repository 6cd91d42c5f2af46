"""A sandbox tenant in a child process, for benchmarks: its threads share neither the client's GIL nor its memory.

with sandbox(tenant, now=NOW, latency_ms=50) as endpoint:
    ...  # endpoint.url, endpoint.ca_bundle, endpoint.token (the demo app's), endpoint.env (COORDINATOR_*)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET
from assistant.sandbox.faults import FaultSettings
from assistant.sandbox.server import SandboxServer
from tests.conftest import app_token


@dataclass(frozen=True)
class Endpoint:
    url: str
    ca_bundle: str
    token: str  # the demo app's access token, fetched once in the child
    env: dict[str, str]  # the COORDINATOR_* settings that point Coordinator at this sandbox


def _serve(tenant: dict[str, Any], now: dt.datetime, latency_ms: int, conn: Connection) -> None:
    """Child process: run the sandbox until the parent says stop (or goes away)."""
    faults = FaultSettings(latency_ms=latency_ms)
    with (
        tempfile.TemporaryDirectory() as tmp,
        SandboxServer(tenant, Path(tmp), clock=SandboxClock.frozen_at(now), faults=faults) as server,
    ):
        env = server.environment(DEMO_APP_ID, DEMO_APP_SECRET)
        conn.send(Endpoint(server.url, str(server.ca_bundle), app_token(server), env))
        with contextlib.suppress(EOFError):  # the parent stopped without saying so
            conn.recv()


@contextlib.contextmanager
def sandbox(tenant: dict[str, Any], *, now: dt.datetime, latency_ms: int) -> Iterator[Endpoint]:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(tenant, now, latency_ms, theirs), daemon=True)
    process.start()
    theirs.close()
    try:
        yield ours.recv()
    finally:
        with contextlib.suppress(OSError):
            ours.send("stop")
        process.join(timeout=10)
