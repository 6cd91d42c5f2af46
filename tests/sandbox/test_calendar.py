"""calendarView as Graph serves it: required window, paging, recurring series, time zones, delta."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

MEGAN = "megan.bowen@contoso.com"


def _view(http, graph, token, start, end, prefer=None, **params):
    headers = {"Authorization": f"Bearer {token}"}
    if prefer:
        headers["Prefer"] = prefer
    query = {"startDateTime": start, "endDateTime": end, **params}
    return http.get(f"{graph}/users/{MEGAN}/calendarView", params=query, headers=headers)


def _all(http, token, first):
    body = first.json()
    items = list(body["value"])
    while "@odata.nextLink" in body:
        body = http.get(body["@odata.nextLink"], headers={"Authorization": f"Bearer {token}"}).json()
        items += body["value"]
    return items


def test_count_is_given_on_every_page_without_consistency_level(http, graph, token):
    """Outlook counts with plain `$count=true` (no advanced query); the nextLink keeps asking for it."""
    first = _view(http, graph, token, "2026-03-02T00:00:00Z", "2026-03-16T00:00:00Z", **{"$count": "true"})
    assert first.status_code == 200
    items = _all(http, token, first)
    assert first.json()["@odata.count"] == len(items) > 10
    assert "$count=true" in first.json()["@odata.nextLink"] and "$skip=10" in first.json()["@odata.nextLink"]
    second = http.get(first.json()["@odata.nextLink"], headers={"Authorization": f"Bearer {token}"}).json()
    assert second["@odata.count"] == len(items)
    uncounted = _view(http, graph, token, "2026-03-02T00:00:00Z", "2026-03-16T00:00:00Z")
    assert "@odata.count" not in uncounted.json()
    wrong = _view(http, graph, token, "2026-03-02T00:00:00Z", "2026-03-16T00:00:00Z", **{"$count": "yes"})
    assert wrong.status_code == 400


def test_window_is_required(http, graph, token):
    response = http.get(f"{graph}/users/{MEGAN}/calendarView", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "ErrorInvalidParameter"


def test_default_page_is_ten_and_next_links_reach_every_event(http, graph, token):
    first = _view(http, graph, token, "2026-03-02T00:00:00Z", "2026-03-16T00:00:00Z")
    assert first.status_code == 200
    assert len(first.json()["value"]) == 10
    assert "$skip=10" in first.json()["@odata.nextLink"]
    items = _all(http, token, first)
    assert len(items) > 10
    assert len({e["id"] for e in items}) == len(items)
    assert not any(e["type"] == "seriesMaster" for e in items)


def test_recurring_series_arrive_as_occurrences_in_the_zone_asked_for(http, graph, token):
    response = _view(
        http, graph, token, "2026-03-02T00:00:00Z", "2026-03-14T00:00:00Z",
        prefer='outlook.timezone="Pacific Standard Time"', **{"$top": "200"},
    )  # fmt: skip
    events = response.json()["value"]
    standups = [e for e in events if e["subject"] == "Apollo stand-up"]
    assert len(standups) >= 8
    assert all(e["type"] in ("occurrence", "exception") and e["seriesMasterId"] for e in standups)
    assert len({e["seriesMasterId"] for e in standups}) == 1
    assert {e["start"]["timeZone"] for e in events} == {"Pacific Standard Time"}
    # The stand-up is at 09:15 Berlin. Pacific time moves to daylight time on 8 March, Berlin only on
    # 29 March, so the Pacific wall-clock time shifts by an hour across that weekend.
    pacific_times = {e["start"]["dateTime"][11:16] for e in standups if e["type"] == "occurrence"}
    assert pacific_times == {"00:15", "01:15"}
    for event in standups:
        text = event["start"]["dateTime"]
        assert len(text.split(".")[1]) == 7 and "+" not in text and not text.endswith("Z")
        local = dt.datetime.fromisoformat(text[:23]).replace(tzinfo=ZoneInfo("America/Los_Angeles"))
        if event["type"] == "occurrence":
            assert local.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "09:15"


def test_iana_zone_names_work_too_and_utc_is_the_default(http, graph, token):
    start, end = "2026-03-04T00:00:00Z", "2026-03-05T00:00:00Z"
    berlin = _view(http, graph, token, start, end, prefer='outlook.timezone="Europe/Berlin"').json()["value"]
    utc = _view(http, graph, token, start, end).json()["value"]
    assert {e["start"]["timeZone"] for e in utc} == {"UTC"}
    assert {e["start"]["timeZone"] for e in berlin} == {"Europe/Berlin"}
    standup_utc = next(e for e in utc if e["subject"] == "Apollo stand-up")
    assert standup_utc["start"]["dateTime"].startswith("2026-03-04T08:15")


def test_unknown_prefer_zone_is_rejected(http, graph, token):
    response = _view(
        http, graph, token, "2026-03-04T00:00:00Z", "2026-03-05T00:00:00Z", prefer='outlook.timezone="Mars/Olympus"'
    )
    assert response.status_code == 400


def test_window_without_offset_is_read_as_utc(http, graph, token):
    with_z = _view(http, graph, token, "2026-03-04T00:00:00Z", "2026-03-05T00:00:00Z").json()["value"]
    naive = _view(http, graph, token, "2026-03-04T00:00:00", "2026-03-05T00:00:00").json()["value"]
    assert [e["id"] for e in with_z] == [e["id"] for e in naive]


def test_cancelled_occurrences_are_left_out_and_exceptions_marked(demo_tenant, http, graph, token):
    masters = [e for e in demo_tenant["calendars"][MEGAN] if e.get("type") == "seriesMaster"]
    cancelled = [(m, c) for m in masters for c in m.get("cancelledOccurrences", [])]
    moved = [(m, x) for m in masters for x in m.get("exceptionOccurrences", [])]
    assert cancelled and moved, "the demo tenant has a cancelled and a moved occurrence"
    events = _all(
        http, token, _view(http, graph, token, "2026-02-01T00:00:00Z", "2026-04-30T00:00:00Z", **{"$top": "500"})
    )
    master, oid = cancelled[0]
    day = oid.rsplit(".", 1)[1]
    same_series_that_day = [
        e for e in events if e.get("seriesMasterId") == master["id"] and e["start"]["dateTime"].startswith(day)
    ]
    assert not [e for e in same_series_that_day if e["type"] == "occurrence"]
    master, _exception = moved[0]
    exceptions = [e for e in events if e.get("seriesMasterId") == master["id"] and e["type"] == "exception"]
    assert exceptions and exceptions[0]["originalStart"]


def test_select_top_and_filter(http, graph, token):
    response = _view(
        http, graph, token, "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z",
        **{"$select": "subject,start", "$top": "3", "$filter": "startswith(subject,'Apollo')"},
    )  # fmt: skip
    body = response.json()
    assert len(body["value"]) == 3
    assert all(set(e) <= {"id", "@odata.etag", "subject", "start"} for e in body["value"])
    assert all(e["subject"].startswith("Apollo") for e in body["value"])
    assert "%24top=3" in body["@odata.nextLink"] or "$top=3" in body["@odata.nextLink"]


def test_event_by_id_including_an_occurrence(http, graph, token):
    first = _view(http, graph, token, "2026-03-04T00:00:00Z", "2026-03-05T00:00:00Z").json()["value"]
    occurrence = next(e for e in first if e["type"] == "occurrence")
    response = http.get(
        f"{graph}/users/{MEGAN}/events/{occurrence['id']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.json()["seriesMasterId"] == occurrence["seriesMasterId"]
    master = http.get(
        f"{graph}/users/{MEGAN}/events/{occurrence['seriesMasterId']}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert master["type"] == "seriesMaster" and master["recurrence"]["pattern"]["type"]
    missing = http.get(f"{graph}/users/{MEGAN}/events/AAMkNope", headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "ErrorItemNotFound"


def test_all_day_events_are_midnight_in_the_zone_asked_for(http, graph, token):
    events = _all(http, token, _view(
        http, graph, token, "2026-02-01T00:00:00Z", "2026-05-01T00:00:00Z",
        prefer='outlook.timezone="Tokyo Standard Time"', **{"$top": "500"},
    ))  # fmt: skip
    all_day = [e for e in events if e.get("isAllDay")]
    assert all_day
    assert all(e["start"]["dateTime"].endswith("T00:00:00.0000000") for e in all_day)


@pytest.mark.parametrize("suffix", ["delta", "delta()"])
def test_delta_delivers_changes_and_removals_after_the_first_round(sandbox, http, graph, token, suffix):
    auth = {"Authorization": f"Bearer {token}", "Prefer": "odata.maxpagesize=5"}
    url = f"{graph}/users/{MEGAN}/calendarView/{suffix}?startDateTime=2026-03-02T00:00:00Z&endDateTime=2026-03-07T00:00:00Z"
    body = http.get(url, headers=auth).json()
    first_round = list(body["value"])
    while "@odata.nextLink" in body:
        assert "$skiptoken=" in body["@odata.nextLink"]
        body = http.get(body["@odata.nextLink"], headers=auth).json()
        first_round += body["value"]
    delta_link = body["@odata.deltaLink"]
    assert "$deltatoken=" in delta_link and len(first_round) > 5
    assert http.get(delta_link, headers=auth).json()["value"] == []

    single = next(e for e in first_round if e["type"] == "singleInstance")
    control = f"{sandbox.url}/_sandbox/calendars/{MEGAN}/events"
    http.patch(f"{control}/{single['id']}", json={"subject": "Renamed meeting"}).raise_for_status()
    http.post(control, json={
        "subject": "Apollo go/no-go", "start": {"dateTime": "2026-03-05T14:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-03-05T15:00:00", "timeZone": "UTC"},
    }).raise_for_status()  # fmt: skip
    second = http.get(delta_link, headers=auth).json()
    subjects = {e.get("subject") for e in second["value"]}
    assert subjects == {"Renamed meeting", "Apollo go/no-go"}
    http.delete(f"{control}/{single['id']}").raise_for_status()
    third = http.get(second["@odata.deltaLink"], headers=auth).json()
    assert third["value"] == [{"@removed": {"reason": "deleted"}, "id": single["id"]}]


def test_delta_with_unknown_token_asks_for_a_full_resync(http, graph, token):
    response = http.get(
        f"{graph}/users/{MEGAN}/calendarView/delta?$deltatoken=bogus", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 410
