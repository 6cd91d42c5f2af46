"""Notes as people type them: decisions, actions with owners and dates, discussion per item, clear errors."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.domain.actions import resolve_owner
from assistant.domain.meetings import Attendee, AttendeeKind, Meeting, Response
from assistant.domain.minutes import action_id, attendance_from_invitations, attendance_from_report
from assistant.domain.notes import NotesSyntaxError, parse_notes, read_date
from assistant.domain.people import Person

WEDNESDAY = dt.date(2026, 3, 4)
TOMASZ = Person("Tomasz Nowak", "tomasz.nowak@contoso.com", "u-t")
SOFIA = Person("Sofia Moreno", "sofia.moreno@contoso.com", "u-s")
SOFIA_B = Person("Sofia Berg", "sofia.berg@contoso.com", "u-sb")
GRACE = Person("Grace Liu", "grace.liu@contoso.com", "u-g")

NOTES = """\
Opening remarks before any item.
## Pilot status
- Munich pilot went well; two docking stations flicker.
Decision: Keep local admin rights for developers until wave 3.
Action: @Tomasz Nowak roll out docking firmware 1.0.16 by Friday
## Procurement & logistics
ACTION: @grace.liu@contoso.com check the courier invoice by 12 Mar
action: @Grace update the asset list
"""


def test_notes_are_read_into_decisions_actions_and_discussion():
    notes = parse_notes(NOTES, WEDNESDAY)
    assert notes.decisions == ("Keep local admin rights for developers until wave 3.",)
    assert notes.discussion == {
        "": ("Opening remarks before any item.",),
        "Pilot status": ("Munich pilot went well; two docking stations flicker.",),
        "Procurement & logistics": (),
    }
    assert [(a.line, a.due) for a in notes.actions] == [
        (5, dt.date(2026, 3, 6)),  # "Friday" after a Wednesday meeting
        (7, dt.date(2026, 3, 12)),
        (8, None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-12", dt.date(2026, 3, 12)),
        ("12 March", dt.date(2026, 3, 12)),
        ("12 Mar 2027", dt.date(2027, 3, 12)),
        ("Wednesday", dt.date(2026, 3, 11)),  # the next one, not the meeting day
        ("tomorrow", dt.date(2026, 3, 5)),
        ("today", WEDNESDAY),
        ("Fridy", None),
        ("31 Feb", None),
    ],
)
def test_dates_people_write(text, expected):
    assert read_date(text, WEDNESDAY) == expected


def test_a_date_in_january_written_in_december_is_next_year():
    assert read_date("3 Jan", dt.date(2026, 12, 15)) == dt.date(2027, 1, 3)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Action: fix the firmware", "line 2: an action needs an owner first"),
        ("Action: @Tomasz", "line 2: an action needs an owner and what to do"),
        ("Action: @Tomasz fix it by Fridy", "line 2: cannot read the date 'Fridy'"),
        ("Decision:", "line 2: Decision: says nothing"),
        ("Decison: ship it", "line 2: 'Decison' looks like a misspelt Decision: or Action:"),
    ],
)
def test_malformed_lines_are_named_by_number(line, problem):
    with pytest.raises(NotesSyntaxError) as caught:
        parse_notes(f"## Item\n{line}\n", WEDNESDAY)
    assert str(caught.value).startswith(problem)


def test_owners_resolve_by_full_name_mail_or_unique_first_name():
    people = [TOMASZ, SOFIA, SOFIA_B, GRACE]
    assert resolve_owner("Tomasz Nowak roll out firmware", people) == (TOMASZ, "Tomasz Nowak", "roll out firmware")
    assert resolve_owner("grace.liu@contoso.com check invoice", people)[0] == GRACE
    assert resolve_owner("grace.liu check invoice", people)[0] == GRACE
    assert resolve_owner("Grace update list", people)[0] == GRACE
    # Two Sofias: a first name alone is not enough, and nobody is guessed.
    assert resolve_owner("Sofia order chargers", people) == (None, "Sofia", "order chargers")
    assert resolve_owner("Sofia Moreno order chargers", people)[0] == SOFIA


def test_action_ids_are_stable_across_edits_elsewhere():
    first = action_id("m1", "Tomasz  fix firmware", dt.date(2026, 3, 6))
    assert first == action_id("m1", "tomasz fix firmware", dt.date(2026, 3, 6))
    assert first != action_id("m2", "Tomasz fix firmware", dt.date(2026, 3, 6))
    assert first != action_id("m1", "Tomasz fix firmware", None)


def meeting(*attendees: Attendee) -> Meeting:
    start = dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC)
    organizer = Person("Megan Bowen", "megan.bowen@contoso.com")
    return Meeting("m", "s", "Atlas review", start, start, False, organizer, "", None, (), False, attendees)


def test_attendance_falls_back_to_invitation_answers():
    people = [
        Attendee(TOMASZ, AttendeeKind.REQUIRED, Response.ACCEPTED),
        Attendee(SOFIA, AttendeeKind.OPTIONAL, Response.DECLINED),
        Attendee(GRACE, AttendeeKind.REQUIRED, Response.NONE),
        Attendee(Person("Room 4", "room4@contoso.com"), AttendeeKind.RESOURCE, Response.ACCEPTED),
    ]
    attendance = attendance_from_invitations(meeting(*people), note="no report")
    assert [p.name for p in attendance.present] == ["Megan Bowen", "Tomasz Nowak"]
    assert attendance.absent == (SOFIA,) and attendance.unknown == (GRACE,)
    assert attendance.source == "accepted invitations" and attendance.note == "no report"


def test_attendance_report_wins_and_lists_guests():
    people = [
        Attendee(TOMASZ, AttendeeKind.REQUIRED, Response.ACCEPTED),
        Attendee(GRACE, AttendeeKind.REQUIRED, Response.ACCEPTED),
    ]
    guest = Person("Ana (Northwind)", "ana@northwind.example")
    attendance = attendance_from_report(
        meeting(*people), [TOMASZ, guest, Person("Megan Bowen", "megan.bowen@contoso.com")]
    )
    assert guest in attendance.present and attendance.absent == (GRACE,)


def test_meeting_types_by_rules_in_order():
    from assistant.domain.meeting_types import MeetingType, classify, rules_from

    def kind(subject: str, categories: tuple[str, ...] = (), rules=None) -> MeetingType:
        start = dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC)
        m = Meeting("m", None, subject, start, start, False, TOMASZ, "", None, categories, False)
        return classify(m, rules) if rules else classify(m)

    assert kind("Atlas stand-up") is MeetingType.STANDUP
    assert kind("Meridian steering committee") is MeetingType.STEERING
    assert kind("Apollo sprint planning") is MeetingType.PLANNING
    assert kind("Sprint review & demo") is MeetingType.SPRINT_REVIEW
    assert kind("Atlas retrospective") is MeetingType.RETROSPECTIVE
    assert kind("Vendor call") is MeetingType.GENERAL
    assert kind("Vendor call", categories=("Steering",)) is MeetingType.STEERING
    custom = rules_from({"standup": ["huddle"]})
    assert kind("Morning huddle", rules=custom) is MeetingType.STANDUP
    assert kind("Atlas stand-up", rules=custom) is MeetingType.GENERAL  # the type's defaults were replaced
    with pytest.raises(ValueError, match="unknown meeting type 'sync'"):
        rules_from({"sync": ["x"]})
