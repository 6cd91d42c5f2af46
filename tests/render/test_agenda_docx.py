"""Agendas as a reader opens them in Word: every kind's template filled from hand-built meetings and plans, time
zones across a DST change, forty attendees, no join link, markup and emoji in titles, and broken templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentType

from assistant.domain.actions import ActionItem
from assistant.domain.agenda import Agenda
from assistant.domain.meeting_types import MeetingType
from assistant.domain.meetings import AttendeeKind, Response
from assistant.domain.people import Person
from assistant.domain.tasks import Status
from assistant.errors import CoordinatorError, TemplateError
from assistant.render.agenda_docx import JOIN_TEXT, agenda_context, agenda_docx, agenda_template
from assistant.render.templates import shipped_templates, template_path
from tests.domain.test_agenda import ANA, BEN, CLEO, NEW_YORK, TODAY, agenda, at, invitee, meeting, task
from tests.render.test_status_docx import ROOT, all_text, headings, open_docx, table_with

KINDS = list(MeetingType)
SUBJECTS = {
    MeetingType.STANDUP: "Atlas stand-up",
    MeetingType.SPRINT_REVIEW: "Atlas sprint review",
    MeetingType.PLANNING: "Atlas sprint planning",
    MeetingType.RETROSPECTIVE: "Atlas retrospective",
    MeetingType.STEERING: "Atlas steering committee",
    MeetingType.GENERAL: "Atlas vendor call",
}
TIMEBOXES = {
    MeetingType.STANDUP: ["1. Round the table — 10 min", "2. Blockers and help needed — 3 min",
                          "3. Open action items — 2 min"],
    MeetingType.SPRINT_REVIEW: ["1. Welcome and sprint goal — 5 min", "2. Completed since the last review — 20 min",
                                "3. Work in progress — 15 min", "4. Next milestone — 10 min",
                                "5. Open action items — 5 min", "6. Feedback and next steps — 5 min"],
    MeetingType.PLANNING: ["1. Capacity and workload — 10 min", "2. Work to start by Tue 17 Mar — 25 min",
                           "3. Work without an owner — 10 min", "4. Open action items — 5 min",
                           "5. Sprint goal and commitments — 10 min"],
    MeetingType.RETROSPECTIVE: ["1. The sprint in numbers — 5 min", "2. What went well — 10 min",
                                "3. What did not go well — 10 min", "4. One improvement we commit to — 10 min",
                                "5. Open action items — 10 min"],
    MeetingType.STEERING: ["1. Status — 10 min", "2. Milestones — 10 min", "3. Top risks — 15 min",
                           "4. Decisions needed — 15 min", "5. Open action items — 5 min",
                           "6. Any other business — 5 min"],
    MeetingType.GENERAL: ["1. Project status — 5 min", "2. Topics — 20 min", "3. Open action items — 10 min",
                          "4. Any other business — 5 min"],
}  # fmt: skip
JOIN = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%22Tid%22%7d"
CARRIED = ActionItem(
    "a1", "Send the <draft> & budget", "@Ana", ANA, TODAY + dt.timedelta(days=2), "m0", "series", "x",
    TODAY - dt.timedelta(days=7),
)  # fmt: skip


def plan_tasks():
    """Something for every section of every kind."""
    return [
        task("closed", ANA, completed=at(TODAY - dt.timedelta(days=1), 16)),
        task("due", ANA, due=TODAY),
        task("late", BEN, due=TODAY - dt.timedelta(days=3), status=Status.IN_PROGRESS),
        task("blocker", BEN, due=TODAY + dt.timedelta(days=9)),
        task("waiting", CLEO, due=TODAY + dt.timedelta(days=6), description="Blocked by: Task blocker"),
        task("gate", ANA, due=TODAY + dt.timedelta(days=10), labels=("Milestone",)),
        task("choose", ANA, due=TODAY + dt.timedelta(days=3), labels=("Decision",)),
        task("ownerless", due=TODAY + dt.timedelta(days=1)),
    ]


def kind_agenda(kind: MeetingType, **changes: object) -> Agenda:
    subject = str(changes.pop("subject", SUBJECTS[kind]))
    start = at(TODAY, 10, 0)
    earlier = meeting(subject, start - dt.timedelta(days=14), series="series")
    this = meeting(subject, start, 60, series="series", join_url=JOIN, **changes)  # type: ignore[arg-type]
    return agenda(this, *plan_tasks(), earlier=(earlier,), actions=[CARRIED], kind=kind)


def paragraphs(doc: DocumentType) -> list[str]:
    return [p.text for p in doc.paragraphs]


def facts_of(doc: DocumentType) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_every_kind_opens_with_its_header_and_timeboxed_sections(kind):
    result = kind_agenda(kind)
    doc = open_docx(agenda_docx(result))
    text = all_text(doc)
    assert "{{" not in text and "{%" not in text
    assert (doc.paragraphs[0].style.name, doc.paragraphs[0].text) == ("Title", SUBJECTS[kind])
    kind_label = {"standup": "Stand-up", "review": "Sprint review", "planning": "Sprint planning",
                  "retrospective": "Retrospective", "steering": "Steering committee", "general": "Meeting"}[kind.value]  # fmt: skip
    assert doc.paragraphs[1].text == f"{kind_label} agenda · Atlas"
    assert facts_of(doc) == {
        "When": "Wed 4 Mar 2026, 10:00–11:00 Berlin time",
        "Where": "Online",
        "Join online": JOIN_TEXT,
        "Organizer": "Megan Bowen",
        "Attendees": "3 invited: 3 accepted",
    }
    assert table_with(doc, ["Attendee", "Role", "Response"]) == [
        ["Ana Lima", "Required", "Accepted"], ["Ben Okafor", "Required", "Accepted"],
        ["Cleo Park", "Required", "Accepted"],
    ]  # fmt: skip
    assert [t for level, t in headings(doc) if level == "Heading 1"] == TIMEBOXES[kind]
    assert table_with(doc, ["Action", "Owner", "Due", "Agreed"]) == [
        ["Send the <draft> & budget", "Ana Lima", "Fri 6 Mar", "Wed 25 Feb"]
    ]
    assert "Prepared Wed 4 Mar 2026, 08:00 from the Planner plan “Atlas plan”; times in Europe/Berlin." in text
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer.startswith(f"Atlas · {SUBJECTS[kind]} · Wed 4 Mar 2026\tPage ")


def test_the_join_link_is_a_hyperlink_to_the_meeting():
    doc = open_docx(agenda_docx(kind_agenda(MeetingType.STANDUP)))
    targets = [rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert targets == [JOIN]
    link = doc.tables[0].rows[2].cells[1].paragraphs[0]._p.xpath(".//w:hyperlink")
    assert len(link) == 1


def test_the_stand_up_gives_each_person_their_closed_due_late_and_blocked_work():
    doc = open_docx(agenda_docx(kind_agenda(MeetingType.STANDUP)))
    people = [t for level, t in headings(doc) if level == "Heading 2"]
    assert people == ["Ana Lima", "Ben Okafor", "Cleo Park"]
    rows = [[c.text for c in row.cells] for table in doc.tables[2:5] for row in table.rows]  # after facts, attendees
    assert rows == [
        ["Closed", "Task closed", "done Tue 3 Mar"],
        ["Due", "Task due", "due today"],
        ["Late", "Task late", "3 days late"],
        ["Blocked", "Task waiting — waits for “Task blocker”", "due Tue 10 Mar"],
    ]
    text = paragraphs(doc)
    assert "Nothing closed, due, late or blocked: Megan Bowen." in text
    assert "Task waiting (Cleo Park): waits for “Task blocker”" in text
    assert "Task ownerless: due Thu 5 Mar, nobody assigned" in text
    assert any("since the last stand-up (Wed 18 Feb, 10:00), what is due today or tomorrow" in p for p in text)


def test_review_planning_retrospective_steering_and_general_show_their_items():
    review = all_text(open_docx(agenda_docx(kind_agenda(MeetingType.SPRINT_REVIEW))))
    assert "Task closed" in review and "Task late" in review
    assert "Task gate: due Sat 14 Mar (Ana Lima). On track." in review

    planning = open_docx(agenda_docx(kind_agenda(MeetingType.PLANNING)))
    assert table_with(planning, ["Task", "Due", "Bucket"]) == [["Task ownerless", "Thu 5 Mar", "Build"]]
    assert ["Ben Okafor", "2", "1", "0", ""] in table_with(
        planning, ["Person", "Open", "Late", "Due soon", "Overloaded"]
    )

    retro = all_text(open_docx(agenda_docx(kind_agenda(MeetingType.RETROSPECTIVE))))
    assert "Wed 18 Feb – Tue 3 Mar: 1 task was due: none done on time, 1 slipped; 1 task was completed in all." in retro
    assert "open, 3 days late" in retro

    steering = open_docx(agenda_docx(kind_agenda(MeetingType.STEERING)))
    assert table_with(steering, ["Decision", "Owner", "Due"]) == [["Task choose", "Ana Lima", "Sat 7 Mar"]]
    assert facts_of(steering)["When"].startswith("Wed 4 Mar 2026")
    report = kind_agenda(MeetingType.STEERING).report
    assert report.summary in paragraphs(steering)
    assert all(r.summary in paragraphs(steering) for r in report.risks)

    general = kind_agenda(MeetingType.GENERAL, body="Topics:\n1. Vendor SLA & <penalties>\n" + "_" * 40 + "\nJoin")
    text = paragraphs(open_docx(agenda_docx(general)))
    assert "1. Vendor SLA & <penalties>" in text and "Join" not in text


@pytest.mark.parametrize(
    ("day", "when"),
    [
        (dt.date(2026, 3, 6), "Fri 6 Mar 2026, 15:00–15:15 Berlin time; 09:00–09:15 New York time (the organizer's)"),
        (dt.date(2026, 3, 9), "Mon 9 Mar 2026, 14:00–14:15 Berlin time; 09:00–09:15 New York time (the organizer's)"),
    ],
)
def test_times_across_the_us_dst_change_in_the_projects_and_the_organizers_zone(day, when):
    m = meeting(start=at(day, 9, 0, NEW_YORK), organizer_zone="America/New_York")
    doc = open_docx(agenda_docx(agenda(m)))
    assert facts_of(doc)["When"] == when


def test_forty_attendees_some_without_answers_and_rooms_left_out():
    people = [Person(f"Person {n:02}", f"p{n}@contoso.com") for n in range(40)]
    invited = (
        *(invitee(p, Response.NONE if n % 4 == 0 else Response.ACCEPTED) for n, p in enumerate(people)),
        invitee(Person("Berlin HQ – Spree (4.20)", "spree@contoso.com"), kind=AttendeeKind.RESOURCE),
    )
    m = dataclasses.replace(meeting(attendees=invited), location="Berlin HQ – Spree (4.20); Microsoft Teams Meeting")
    doc = open_docx(agenda_docx(agenda(m, *(task(f"t{n}", p, due=TODAY) for n, p in enumerate(people)))))
    rows = table_with(doc, ["Attendee", "Role", "Response"])
    assert len(rows) == 40 and rows[0] == ["Person 00", "Required", "No response"]
    assert facts_of(doc)["Attendees"] == "40 invited: 30 accepted, 10 no response"
    assert facts_of(doc)["Where"] == "Berlin HQ – Spree (4.20)"
    assert len([t for level, t in headings(doc) if level == "Heading 2"]) == 40
    assert "Person 00 (no response)" in [t for _, t in headings(doc)]


def test_a_meeting_without_a_join_link_says_so():
    m = dataclasses.replace(meeting(join_url=None), location="")
    doc = open_docx(agenda_docx(agenda(m)))
    assert facts_of(doc)["Join online"] == "No Teams link in the invitation"
    assert facts_of(doc)["Where"] == "Not given in the invitation"
    assert not [r for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")]


def test_markup_and_emoji_in_titles_and_names_render_as_typed():
    subject = 'R&D <Ops> stand-up 🚀 "daily" & more'
    odd = Person("Zoë <admin> & co", "zoe@contoso.com")
    m = meeting(subject, attendees=(invitee(odd),))
    doc = open_docx(agenda_docx(agenda(m, task("x", odd, due=TODAY))))
    assert doc.paragraphs[0].text == subject
    assert "Zoë <admin> & co" in [t for _, t in headings(doc)]
    assert ["Zoë <admin> & co", "Required", "Accepted"] in table_with(doc, ["Attendee", "Role", "Response"])
    assert subject in doc.sections[0].footer.paragraphs[0].text
    assert "&amp;" not in all_text(doc) and "&lt;" not in all_text(doc)


# --- templates -------------------------------------------------------------------------------------------------


def edited(tmp_path: Path, kind: MeetingType, text: str) -> Path:
    """A template folder with the kind's shipped template and one paragraph added, as a user typing in Word."""
    doc = Document(str(template_path(agenda_template(kind))))
    doc.add_paragraph(text)
    doc.save(str(tmp_path / agenda_template(kind)))
    return tmp_path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Owner: {{ owner }}", "unknown variable: 'owner' is undefined"),
        ("{% for p in people %}{{ p.nmae }}{% endfor %}", "has no attribute 'nmae'"),
        ("Total: {{ title }", "syntax error"),
    ],
)
def test_a_broken_template_names_the_file_and_the_problem(tmp_path, text, problem):
    folder = edited(tmp_path, MeetingType.STANDUP, text)
    with pytest.raises(TemplateError) as caught:
        agenda_docx(kind_agenda(MeetingType.STANDUP), folder)
    message = str(caught.value)
    assert message.startswith(f"template {folder / 'agenda_standup.docx'}: ") and problem in message
    assert "\n" not in message and isinstance(caught.value, CoordinatorError)


def test_a_template_folder_without_the_kinds_template_is_an_error_not_a_fallback(tmp_path):
    with pytest.raises(TemplateError, match=r"agenda_review\.docx: file not found"):
        agenda_docx(kind_agenda(MeetingType.SPRINT_REVIEW), tmp_path)


def test_an_edited_template_is_used(tmp_path):
    folder = edited(tmp_path, MeetingType.STEERING, "Prepared for {{ organizer }}: {{ decisions | length }} decisions.")
    text = paragraphs(open_docx(agenda_docx(kind_agenda(MeetingType.STEERING), folder)))
    assert "Prepared for Megan Bowen: 1 decisions." in text


def test_every_kinds_template_is_shipped_beside_the_status_report():
    for kind in KINDS:
        assert (shipped_templates() / agenda_template(kind)).is_file()
        assert (ROOT / "templates" / agenda_template(kind)).is_file()
    assert '"templates/*.docx"' in (ROOT / "pyproject.toml").read_text()


def documented(section: str) -> set[str]:
    """First-column names of the table under `### section` in templates/README.md."""
    readme = (ROOT / "templates" / "README.md").read_text()
    body = readme.split(f"### {section}\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return {
        n
        for line in body.splitlines()
        if (m := re.match(r"\| `([^`]+)`(?:, `([^`]+)`)? \|", line))
        for n in m.groups()
        if n
    }


def test_the_readme_documents_every_variable_each_agenda_template_receives():
    common = documented("Every agenda")
    for kind in KINDS:
        context = {**agenda_context(kind_agenda(kind)), "join_link": None}
        assert set(context) == common | documented(agenda_template(kind)), kind
    standup = agenda_context(kind_agenda(MeetingType.STANDUP))
    base = set(standup["people"][0]["due"][0])
    assert documented("Agenda task fields") == base
    review = agenda_context(kind_agenda(MeetingType.SPRINT_REVIEW))
    retro = agenda_context(kind_agenda(MeetingType.RETROSPECTIVE))
    extras = set(review["next_milestone"]) | set(standup["blocked"][0]) | set(retro["slipped"][0])
    assert documented("Agenda task extras") == extras - base
    assert documented("Stand-up people") == set(standup["people"][0])
    assert documented("Stand-up rows") == set(standup["people"][0]["rows"][0])
    assert documented("Attendees") == set(standup["attendees"][0])
    assert documented("Action items") == set(standup["actions"][0])
    assert documented("Planning workload rows") == set(agenda_context(kind_agenda(MeetingType.PLANNING))["workload"][0])
    assert documented("Steering risks") == set(agenda_context(kind_agenda(MeetingType.STEERING))["risks"][0])


def test_importing_the_agenda_renderers_loads_no_word_libraries():
    code = (
        "import sys, assistant.render.agenda_docx, assistant.render.agenda_card\n"
        "print([m for m in ('docx', 'docxtpl', 'jinja2', 'matplotlib') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_rendering_a_stand_up_takes_well_under_a_second():
    """The budget is 100 ms (bench/agenda.py measures it); this only catches a runaway template."""
    result = kind_agenda(MeetingType.STANDUP)
    agenda_docx(result)
    started = time.perf_counter()
    agenda_docx(result)
    assert time.perf_counter() - started < 1.0
