"""Minutes as a reader opens them in Word: hand-built minutes with every section filled (attendance from the
invitations with its note, discussion under two agenda items and general notes, an owner that did not resolve, a
Planner link, transcript suggestions, the next meeting), markup and emoji in titles, and broken templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from assistant.domain.actions import ActionItem
from assistant.domain.meeting_types import MeetingType
from assistant.domain.minutes import Attendance, Minutes, SuggestedAction
from assistant.domain.people import Person
from assistant.errors import CoordinatorError, TemplateError
from assistant.render.minutes_docx import MINUTES_TEMPLATE, PLANNER_LINK_TEXT, minutes_context, minutes_docx
from assistant.render.templates import shipped_templates, template_path
from tests.domain.test_agenda import ANA, BEN, CLEO, DAN, MEGAN, TODAY, at, meeting, project
from tests.render.test_status_docx import ROOT, all_text, headings, open_docx, table_with

TASK_URL = "https://tasks.office.com/{tenant}/Home/Task/{task_id}"
SUBJECT = "R&D <lab> stand-up 🚀"
NOTE = "Attendance is from the invitation answers: the app may not read attendance reports (403)."
ZED = ActionItem("a3", "Write the FAQ entry", "Zed", None, TODAY + dt.timedelta(days=1), "m", "s", SUBJECT, TODAY)


def action(ident: str, text: str, owner: Person | None, due: dt.date | None, task: str | None = None) -> ActionItem:
    written = owner.name if owner else "Zed"
    return ActionItem(ident, text, written, owner, due, "m", "s", SUBJECT, TODAY, planner_task_id=task)


def minutes(**changes: object) -> Minutes:
    this = meeting(SUBJECT, at(TODAY, 9, 45))
    built = Minutes(
        meeting=this,
        project=project(),
        kind=MeetingType.STANDUP,
        attendance=Attendance((MEGAN, ANA), (BEN,), (CLEO,), "accepted invitations", NOTE),
        decisions=("Keep R&D <lab> access for the pilot 🚀", "Roll back to firmware 1.0.14"),
        discussion={
            "": ("Quick round & short.",),
            "Pilot <status>": ("Two docks flicker after sleep.", "Munich is waiting for replacements."),
            "Budget 🚀": ("Q2 & Q3 approved.",),
        },
        actions=(
            action("a1", "Send the <draft> & budget", ANA, TODAY + dt.timedelta(days=2), task="task-1"),
            action("a2", "Book the lab 🚀", BEN, None),
            ZED,
        ),
        suggestions=(SuggestedAction("I'll send the plan <today> & more", "Dan Weiss", "00:12:41"),),
        next_meeting=meeting(SUBJECT, at(TODAY + dt.timedelta(days=1), 9, 45)),
    )
    return dataclasses.replace(built, **changes)  # type: ignore[arg-type]


def facts_of(doc, index: int) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in doc.tables[index].rows}


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_every_section_reads_as_the_minutes_say():
    doc = open_docx(minutes_docx(minutes(), task_url=TASK_URL, tenant="contoso"))
    text = all_text(doc)
    assert "{{" not in text and "{%" not in text and "&amp;" not in text and "&lt;" not in text
    assert (doc.paragraphs[0].style.name, doc.paragraphs[0].text) == ("Title", SUBJECT)
    assert doc.paragraphs[1].text == "Stand-up minutes · Atlas"
    assert facts_of(doc, 0) == {
        "When": "Wed 4 Mar 2026, 09:45–10:00 Berlin time",
        "Where": "Online",
        "Organizer": "Megan Bowen",
    }
    assert [t for level, t in headings(doc) if level == "Heading 1"] == [
        "Attendance", "Decisions", "Discussion", "Action items", "Suggested action items — not created",
        "Next meeting",
    ]  # fmt: skip
    assert facts_of(doc, 1) == {"Present": "Megan Bowen, Ana Lima", "Absent": "Ben Okafor", "No answer": "Cleo Park"}
    assert NOTE in paragraphs(doc)  # the note replaces the source line: said once
    assert "From the accepted invitations." not in text
    assert "Keep R&D <lab> access for the pilot 🚀" in paragraphs(doc)
    assert [t for level, t in headings(doc) if level == "Heading 2"] == ["General notes", "Pilot <status>", "Budget 🚀"]
    after_pilot = paragraphs(doc)[paragraphs(doc).index("Pilot <status>") + 1 :]
    assert after_pilot[:2] == ["Two docks flicker after sleep.", "Munich is waiting for replacements."]
    assert "Q2 & Q3 approved." in paragraphs(doc) and "Quick round & short." in paragraphs(doc)
    assert table_with(doc, ["Action", "Owner", "Due", "Planner"]) == [
        ["Send the <draft> & budget", "Ana Lima", "Fri 6 Mar", PLANNER_LINK_TEXT],
        ["Book the lab 🚀", "Ben Okafor", "", ""],
        ["Write the FAQ entry", "@Zed — not resolved", "Thu 5 Mar", "Not created"],
    ]
    assert "@Zed matches nobody invited or in the plan: no Planner task was created for that action." in text
    assert table_with(doc, ["At", "Speaker", "Suggestion"]) == [
        ["00:12:41", "Dan Weiss", "I'll send the plan <today> & more"]
    ]
    assert any(p.startswith("Suggested — not created:") for p in paragraphs(doc))
    assert paragraphs(doc)[-1] == f"{SUBJECT}: Thu 5 Mar 2026, 09:45–10:00 Berlin time (Online)"
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer.startswith(f"Atlas · {SUBJECT} · minutes of Wed 4 Mar 2026\tPage ")


def test_an_action_with_a_planner_task_links_it():
    doc = open_docx(minutes_docx(minutes(), task_url=TASK_URL, tenant="contoso"))
    targets = [rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert targets == ["https://tasks.office.com/contoso/Home/Task/task-1"]
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Action")
    assert len(table.rows[1].cells[3].paragraphs[0]._p.xpath(".//w:hyperlink")) == 1
    assert not table.rows[2].cells[3].paragraphs[0]._p.xpath(".//w:hyperlink")


def test_without_a_task_url_the_table_says_the_task_exists():
    doc = open_docx(minutes_docx(minutes()))
    assert table_with(doc, ["Action", "Owner", "Due", "Planner"])[0][3] == "Task created"
    assert not [r for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")]


def test_attendance_from_the_teams_report_names_its_source_and_has_no_no_answer_row():
    report = Attendance((MEGAN, ANA, DAN), (BEN, CLEO), (), "Teams attendance report")
    doc = open_docx(minutes_docx(minutes(attendance=report)))
    assert facts_of(doc, 1) == {"Present": "Megan Bowen, Ana Lima, Dan Weiss", "Absent": "Ben Okafor, Cleo Park"}
    assert "From the Teams attendance report." in paragraphs(doc)


def test_empty_minutes_say_so_in_every_section():
    empty = minutes(
        attendance=Attendance((), (), (), "Teams attendance report"),
        decisions=(),
        discussion={},
        actions=(),
        suggestions=(),
        next_meeting=None,
    )
    doc = open_docx(minutes_docx(empty))
    text = paragraphs(doc)
    assert facts_of(doc, 1) == {"Present": "Nobody recorded", "Absent": "Nobody"}
    for sentence in (
        "No decisions were recorded.",
        "No discussion was noted.",
        "No action items were agreed.",
        "No next meeting of this series is in the calendar.",
    ):
        assert sentence in text
    assert "Suggested action items — not created" not in text
    assert len(doc.tables) == 2  # the header's facts and the attendance: no empty action or suggestion tables


def test_an_agenda_item_without_notes_keeps_its_heading():
    doc = open_docx(minutes_docx(minutes(discussion={"Pilot": (), "Budget": ("Approved.",)})))
    text = paragraphs(doc)
    assert [t for level, t in headings(doc) if level == "Heading 2"] == ["Pilot", "Budget"]
    assert text[text.index("Pilot") + 1] == "No notes."


def test_two_unresolved_owners_are_named_together():
    other = dataclasses.replace(ZED, id="a4", owner_text="Quinn")
    doc = open_docx(minutes_docx(minutes(actions=(ZED, other))))
    sentence = "@Quinn and @Zed match nobody invited or in the plan: no Planner task was created for those actions."
    assert sentence in paragraphs(doc)


# --- templates -------------------------------------------------------------------------------------------------


def edited(tmp_path: Path, text: str) -> Path:
    doc = Document(str(template_path(MINUTES_TEMPLATE)))
    doc.add_paragraph(text)
    doc.save(str(tmp_path / MINUTES_TEMPLATE))
    return tmp_path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Owner: {{ owner }}", "unknown variable: 'owner' is undefined"),
        ("{% for a in actions %}{{ a.ownr }}{% endfor %}", "has no attribute 'ownr'"),
        ("Total: {{ title }", "syntax error"),
    ],
)
def test_a_broken_template_names_the_file_and_the_problem(tmp_path, text, problem):
    folder = edited(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        minutes_docx(minutes(), folder)
    message = str(caught.value)
    assert message.startswith(f"template {folder / MINUTES_TEMPLATE}: ") and problem in message
    assert "\n" not in message and isinstance(caught.value, CoordinatorError)


def test_a_template_folder_without_the_minutes_template_is_an_error_not_a_fallback(tmp_path):
    with pytest.raises(TemplateError, match=r"minutes\.docx: file not found"):
        minutes_docx(minutes(), tmp_path)


def test_an_edited_template_is_used(tmp_path):
    folder = edited(tmp_path, "Recorded for {{ organizer }}: {{ counts_text }}.")
    text = paragraphs(open_docx(minutes_docx(minutes(), folder)))
    counts = "2 decisions · 3 action items, 1 owner not resolved · 1 suggested from the transcript"
    assert text[-1] == f"Recorded for Megan Bowen: {counts}."


def test_the_template_is_shipped_beside_the_agendas():
    assert (shipped_templates() / MINUTES_TEMPLATE).is_file()
    assert (ROOT / "templates" / MINUTES_TEMPLATE).is_file()


def documented(section: str) -> set[str]:
    """First-column names (one or several, comma-separated) of the table under `### section` in the README."""
    readme = (ROOT / "templates" / "README.md").read_text()
    body = readme.split(f"### {section}\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in body.splitlines():
        first = line.split(" | ", 1)[0] if line.startswith("| `") else ""
        names.update(re.findall(r"`([^`]+)`", first))
    return names


def test_the_readme_documents_every_variable_the_minutes_template_receives():
    context = minutes_context(minutes(), TASK_URL, "contoso")
    assert documented("Minutes") == set(context)
    assert documented("Minutes people") == set(context["present"][0])
    assert documented("Minutes discussion items") == set(context["discussion"][0])
    assert documented("Minutes action items") == set(context["actions"][0]) | {"planner_link"}
    assert documented("Minutes suggestions") == set(context["suggestions"][0])
    assert documented("Next meeting") == set(context["next_meeting"])


def test_importing_the_minutes_renderers_loads_no_word_libraries():
    code = (
        "import sys, assistant.render.minutes_docx, assistant.render.minutes_card\n"
        "print([m for m in ('docx', 'docxtpl', 'jinja2', 'matplotlib') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
