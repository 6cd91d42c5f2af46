"""Documents, decisions and action items between runs, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from assistant.domain.actions import ActionItem, ActionStatus, carried_over
from assistant.domain.meetings import Meeting
from assistant.domain.people import Person
from assistant.storage.meeting_records import MeetingRecords

NOW = dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)
TOMASZ = Person("Tomasz Nowak", "tomasz.nowak@contoso.com", "u-t")
EVENT_ID = "AAMkAGI2TAAA=" + "x" * 140  # Graph event ids are long and carry = / +


def action(
    n: int, owner: Person | None = TOMASZ, day: dt.date = dt.date(2026, 3, 4), series: str | None = "s1"
) -> ActionItem:
    return ActionItem(
        id=f"a{n}", text=f"task {n}", owner_text=owner.name if owner else "Sam", owner=owner, due=dt.date(2026, 3, 6),
        meeting_id=EVENT_ID, series_id=series, meeting_subject="Atlas stand-up", meeting_day=day,
    )  # fmt: skip


def test_saving_the_same_actions_twice_keeps_one_of_each_and_their_task_ids(database):
    records = MeetingRecords(database)
    records.save_actions("atlas", [action(1), action(2, owner=None)], NOW)
    records.set_planner_task("a1", "task-123", NOW)
    again = records.save_actions("atlas", [action(1), action(2, owner=None)], NOW + dt.timedelta(hours=1))
    assert [a.id for a in records.actions("atlas")] == ["a1", "a2"]
    assert again[0].planner_task_id == "task-123" and again[1].owner is None and again[1].owner_text == "Sam"
    assert again[0].owner == TOMASZ


def test_closed_actions_stay_closed_and_are_not_carried(database):
    records = MeetingRecords(database)
    records.save_actions("atlas", [action(1), action(2)], NOW)
    assert records.close(["a1", "a1", "missing"], NOW) == 1
    records.save_actions("atlas", [action(1)], NOW)  # a re-run of the same minutes
    stored = records.actions("atlas")
    assert [a.status for a in stored] == [ActionStatus.DONE, ActionStatus.OPEN]
    assert [a.id for a in records.actions("atlas", open_only=True)] == ["a2"]
    assert [a.id for a in carried_over(stored, "s1", dt.date(2026, 3, 5))] == ["a2"]
    assert carried_over(stored, "s1", dt.date(2026, 3, 4)) == []  # not from the meeting itself
    assert carried_over(stored, "other", dt.date(2026, 3, 5)) == []


def test_documents_are_numbered_per_meeting_and_kind(database):
    records = MeetingRecords(database)
    assert records.add_document(EVENT_ID, "agenda", "a.docx", "https://x/a", NOW) == 1
    assert records.add_document(EVENT_ID, "agenda", "a.docx", "https://x/a", NOW) == 2
    assert records.add_document(EVENT_ID, "minutes", "m.docx", None, NOW) == 1


def test_decisions_are_replaced_as_a_whole(database):
    records = MeetingRecords(database)
    records.replace_decisions(EVENT_ID, ["Ship it", "Keep admin rights"], NOW)
    records.replace_decisions(EVENT_ID, ["Keep admin rights", "Hire a tester"], NOW)
    assert records.decisions(EVENT_ID) == ["Keep admin rights", "Hire a tester"]


def test_a_meeting_is_remembered_once(database):
    records = MeetingRecords(database)
    start = dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC)
    meeting = Meeting(EVENT_ID, "s1", "Atlas stand-up", start, start, False, TOMASZ, "", None, (), False)
    records.remember(meeting, "atlas", "standup", NOW)
    records.remember(dataclasses.replace(meeting, subject="Atlas daily"), "atlas", "standup", NOW)


def test_notes_are_kept_per_meeting_and_replaced(database):
    records = MeetingRecords(database)
    assert records.notes(EVENT_ID) is None
    records.save_notes(EVENT_ID, "Decision: A", NOW)
    records.save_notes(EVENT_ID, "Decision: B", NOW)
    assert records.notes(EVENT_ID) == "Decision: B"


def test_action_items_keep_their_project_number_when_others_close(database):
    records = MeetingRecords(database)
    records.save_actions("atlas", [action(1), action(2), action(3)], NOW)
    records.save_actions("apollo", [action(9)], NOW)
    records.close(["a2"], NOW)
    records.save_actions("atlas", [action(4), action(1)], NOW)  # a1 again: keeps its number
    assert [(a.id, a.number) for a in records.actions("atlas", open_only=True)] == [("a1", 1), ("a3", 3), ("a4", 4)]
    assert [a.number for a in records.actions("apollo")] == [1]


def test_writers_numbering_at_once_get_distinct_numbers(database):
    """Four threads record action items and document versions at the same moment: every number is given once
    (on PostgreSQL two of them read the same maximum, and the unique index sends the loser round again)."""
    records = MeetingRecords(database)
    start = threading.Barrier(4)

    def work(worker: int) -> list[int]:
        start.wait()
        versions = []
        for n in range(5):
            records.save_actions("atlas", [action(worker * 10 + n)], NOW)
            versions.append(records.add_document(EVENT_ID, "minutes", f"m{worker}-{n}.docx", None, NOW))
        return versions

    with ThreadPoolExecutor(max_workers=4) as pool:
        versions = [v for found in pool.map(work, range(4)) for v in found]
    assert sorted(versions) == list(range(1, 21))
    assert sorted(a.number for a in records.actions("atlas")) == list(range(1, 21))
