"""Custom tenant files: served as given, and rejected with the JSON path of the problem."""

from __future__ import annotations

import json
import subprocess
import sys

import msal
import pytest

from assistant.graph.http import PinnedSession
from assistant.sandbox.server import SandboxServer
from assistant.sandbox.tenant import TenantFileError, load_tenant_file
from tests.conftest import GRAPH_SCOPE

SMALL = {
    "tenant": {"id": "8f2d1d5e-2b43-4bd9-9b8f-2f7c4f0a1c11", "displayName": "Fabrikam", "domain": "fabrikam.com"},
    "users": [{"id": "2d3c0f3e-1111-4a4a-8b8b-000000000001", "displayName": "Ada Park",
               "userPrincipalName": "ada@fabrikam.com", "mail": "ada@fabrikam.com"}],
    "applications": [{"appId": "0b6a9c70-0000-4000-8000-000000000001", "displayName": "Coordinator",
                      "secret": "s3cret", "roles": ["Calendars.Read"], "scopes": []}],
    "calendars": {"ada@fabrikam.com": [
        {"id": "AAMkAD-standup", "subject": "Stand-up", "type": "seriesMaster",
         "start": {"dateTime": "2026-11-02T09:00:00.0000000", "timeZone": "W. Europe Standard Time"},
         "end": {"dateTime": "2026-11-02T09:15:00.0000000", "timeZone": "W. Europe Standard Time"},
         "recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday", "wednesday"],
                                    "firstDayOfWeek": "monday"},
                        "range": {"type": "noEnd", "startDate": "2026-11-02",
                                  "recurrenceTimeZone": "W. Europe Standard Time"}},
         "cancelledOccurrences": ["OID.AAMkAD-standup.2026-11-04"]}]},
}  # fmt: skip


def test_custom_tenant_file_is_served(tmp_path):
    path = tmp_path / "tenant.json"
    path.write_text(json.dumps(SMALL))
    with SandboxServer(load_tenant_file(path), tmp_path) as server:
        http = PinnedSession(server.ca_bundle)
        app = msal.ConfidentialClientApplication(
            "0b6a9c70-0000-4000-8000-000000000001", client_credential="s3cret",
            authority=f"{server.url}/fabrikam.com", instance_discovery=False, http_client=http,
        )  # fmt: skip
        token = app.acquire_token_for_client(scopes=[GRAPH_SCOPE])["access_token"]
        response = http.get(
            f"{server.url}/v1.0/users/ada@fabrikam.com/calendarView",
            params={"startDateTime": "2026-11-02T00:00:00Z", "endDateTime": "2026-11-09T00:00:00Z"},
            headers={"Authorization": f"Bearer {token}", "Prefer": 'outlook.timezone="W. Europe Standard Time"'},
        )
        starts = [e["start"]["dateTime"] for e in response.json()["value"]]
        assert starts == ["2026-11-02T09:00:00.0000000"]  # Wednesday 4 November is cancelled
        planner = http.get(f"{server.url}/v1.0/planner/plans/x/tasks", headers={"Authorization": f"Bearer {token}"})
        assert planner.status_code == 403  # this app has no Tasks.Read.All


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda t: t["users"][0].pop("userPrincipalName"), "$.users[0].userPrincipalName"),
        (lambda t: t["calendars"]["ada@fabrikam.com"][0]["recurrence"]["pattern"].pop("daysOfWeek"),
         "$.calendars.ada@fabrikam.com[0].recurrence.pattern.daysOfWeek"),
        (lambda t: t["calendars"]["ada@fabrikam.com"][0]["start"].update(timeZone="Mars Standard Time"),
         "$.calendars.ada@fabrikam.com[0].start.timeZone"),
        (lambda t: t.update(calendars={"nobody@fabrikam.com": []}), "$.calendars.nobody@fabrikam.com"),
    ],
)  # fmt: skip
def test_bad_tenant_file_names_the_json_path(tmp_path, mutate, where):
    tenant = json.loads(json.dumps(SMALL))
    mutate(tenant)
    path = tmp_path / "tenant.json"
    path.write_text(json.dumps(tenant))
    with pytest.raises(TenantFileError) as caught:
        load_tenant_file(path)
    assert f"{path}: {where}" in str(caught.value)


def test_cli_reports_a_bad_tenant_file_in_one_line_with_exit_2(tmp_path):
    path = tmp_path / "tenant.json"
    path.write_text('{"tenant": ')
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "sandbox", "--tenant", str(path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "tenant.json: line 1" in result.stderr
