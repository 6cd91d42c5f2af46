"""Sandbox requests per second for small Graph GETs on loopback, and `coordinator demo` wall time.

    python bench/sandbox_throughput.py [--seconds 5] [--clients 4]

Clients are threads with keep-alive sessions over HTTPS; each GET is `/v1.0/users/{upn}` (one user).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from assistant.graph.http import PinnedSession
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.demo_tenant import build_demo_tenant
from assistant.sandbox.server import SandboxServer
from tests.conftest import app_token

NOW = dt.datetime(2026, 3, 4, 7, tzinfo=dt.UTC)


def throughput(seconds: float, clients: int) -> float:
    with (
        tempfile.TemporaryDirectory() as tmp,
        SandboxServer(build_demo_tenant(NOW), Path(tmp), clock=SandboxClock.frozen_at(NOW)) as server,
    ):
        token = app_token(server)
        url = f"{server.url}/v1.0/users/megan.bowen@contoso.com"
        counts = [0] * clients
        stop = time.monotonic() + seconds

        def client(index: int) -> None:
            http = PinnedSession(server.ca_bundle)
            headers = {"Authorization": f"Bearer {token}"}
            while time.monotonic() < stop:
                http.get(url, headers=headers).raise_for_status()
                counts[index] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(counts) / seconds


def demo_wall_time(runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "assistant", "demo", "--out", tmp], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    rate = throughput(args.seconds, args.clients)
    demo = demo_wall_time()
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}")
    print(f"sandbox small GETs: {rate:.0f} requests/s ({args.clients} keep-alive HTTPS clients, {args.seconds:.0f} s)")
    print(f"coordinator demo wall time: {demo:.2f} s (best of 3)")


if __name__ == "__main__":
    main()
