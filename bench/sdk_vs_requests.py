"""Parse 1,000 calendar events with msgraph-sdk's models against plain `json` + our mapping.

    python bench/sdk_vs_requests.py        (needs the test extra: pip install -e '.[test]')

The events are real sandbox output (calendarView of the demo tenant), so both sides parse the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests` (the token helper) sits beside bench/

from kiota_serialization_json.json_parse_node import JsonParseNode
from msgraph.generated.models.event import Event

from assistant.graph.calendar import to_meeting
from assistant.graph.http import PinnedSession
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.demo_tenant import build_demo_tenant
from assistant.sandbox.server import SandboxServer
from tests.conftest import app_token

NOW = dt.datetime(2026, 3, 4, 7, tzinfo=dt.UTC)


def events(count: int) -> bytes:
    with (
        tempfile.TemporaryDirectory() as tmp,
        SandboxServer(build_demo_tenant(NOW), Path(tmp), clock=SandboxClock.frozen_at(NOW)) as server,
    ):
        http = PinnedSession(server.ca_bundle)
        response = http.get(
            f"{server.url}/v1.0/users/megan.bowen@contoso.com/calendarView",
            params={"startDateTime": "2026-01-01T00:00:00Z", "endDateTime": "2026-06-30T00:00:00Z", "$top": "1000"},
            headers={"Authorization": f"Bearer {app_token(server)}"},
        )
        value = response.json()["value"]
    repeated = (value * (count // len(value) + 1))[:count]
    return json.dumps({"value": repeated}).encode()


def main() -> None:
    raw = events(1000)
    start = time.perf_counter()
    meetings = [to_meeting(e) for e in json.loads(raw)["value"]]
    ours = time.perf_counter() - start
    start = time.perf_counter()
    node = JsonParseNode(json.loads(raw))
    parsed = node.get_child_node("value").get_collection_of_object_values(Event)
    sdk = time.perf_counter() - start
    assert len(parsed) == len(meetings) == 1000
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    print(f"json + to_meeting: {ours * 1000:.0f} ms for 1,000 events ({ours:.4f} s)")
    print(f"msgraph-sdk models: {sdk * 1000:.0f} ms for 1,000 events ({sdk / 1000 * 1000:.2f} ms per event)")


if __name__ == "__main__":
    main()
