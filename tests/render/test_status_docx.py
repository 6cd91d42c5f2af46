"""The Word status report as a reader opens it: headings, tables, summary and chart, from the shipped template."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.document import Document as DocumentType

from assistant.domain.meetings import Meeting
from assistant.domain.people import Person
from assistant.domain.plans import Bucket, Plan, PlanSnapshot
from assistant.domain.project import Project
from assistant.domain.status import StatusReport, build_status
from assistant.domain.tasks import Priority, Status, Task
from assistant.errors import CoordinatorError, TemplateError
from assistant.render.status_docx import docx_context, status_docx
from assistant.render.templates import STATUS_REPORT, shipped_templates, template_path

ROOT = Path(__file__).resolve().parents[2]
BERLIN = ZoneInfo("Europe/Berlin")
AS_OF = dt.date(2026, 3, 4)


def open_docx(data: bytes) -> DocumentType:
    return Document(io.BytesIO(data))


def table_with(doc: DocumentType, header: list[str]) -> list[list[str]]:
    """The body rows of the first table whose first row is `header`."""
    for table in doc.tables:
        if [c.text for c in table.rows[0].cells] == header:
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table headed {header}: {[[c.text for c in t.rows[0].cells] for t in doc.tables]}")


def headings(doc: DocumentType) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Head")]


def day(value: dt.date | None, as_of: dt.date) -> str:
    if value is None:
        return ""
    return f"{value:%a} {value.day} {value:%b}" + (f" {value.year}" if value.year != as_of.year else "")


def all_text(doc: DocumentType) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# --- The demo projects, from the sandbox -----------------------------------------------------------------


@pytest.mark.parametrize("key", ["atlas", "apollo", "meridian"])
def test_each_demo_report_reads_as_its_data(demo_report, key):
    report: StatusReport = demo_report(key)
    doc = open_docx(status_docx(report))
    as_of = report.as_of

    title = doc.paragraphs[0]
    assert (title.style.name, title.text) == ("Title", f"{report.project.name}: status report")
    found = headings(doc)
    for level, text in [
        ("Heading 1", "Summary"),
        ("Heading 2", f"Why {report.rag.value}"),
        ("Heading 1", "Risks"),
        ("Heading 1", "Milestones"),
        ("Heading 1", "Tasks"),
        ("Heading 2", "Late"),
        ("Heading 2", f"Due within {report.rules.due_soon_days} days"),
        ("Heading 1", "Workload"),
        ("Heading 1", "Burndown"),
        ("Heading 1", "Coming meetings"),
    ]:
        assert (level, text) in found, found
    assert report.summary in [p.text for p in doc.paragraphs]
    text = all_text(doc)
    for reason in report.rag_reasons:
        assert reason in text
    amber = "Because of the risks below; none of them is serious enough for red."
    assert (amber in text) == (report.rag.value == "amber")
    for risk in report.risks:
        assert risk.summary in text
    assert "{{" not in text and "{%" not in text

    facts = dict(table_with(doc, ["Overall", f"{report.rag.value.capitalize()}: " + _verdict(report)]))
    assert facts["Late"] == str(report.counts.late)
    assert facts["Complete"] == f"{report.percent_complete} % of {report.counts.total} tasks"

    late = table_with(doc, ["Task", "Owner", "Due", "Days late"])
    assert late == [[t.title, _owners(t), day(report.due(t), as_of), str(report.days_late(t))] for t in report.late]
    assert report.late, "every demo project has late work"

    milestones = table_with(doc, ["Milestone", "Due", "State"])
    assert [row[:2] for row in milestones] == [
        [m.task.title, day(report.due(m.task), as_of)] for m in report.milestones
    ]
    for row, m in zip(milestones, report.milestones, strict=True):
        if m.task.status is Status.COMPLETED:
            assert row[2].startswith("Done")
        elif m.at_risk:
            assert m.reason in row[2]
        else:
            assert row[2] == "On track"

    workload = table_with(doc, ["Person", "Open", "Late", "Due soon", "Overloaded"])
    assert workload == [
        [w.person.name, str(w.open), str(w.late), str(w.due_soon), "Yes" if w.overloaded else ""]
        for w in report.workload
    ]

    assert len(doc.inline_shapes) == 1
    with zipfile.ZipFile(io.BytesIO(status_docx(report))) as package:
        images = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(images) == 1 and package.read(images[0])[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("key", ["atlas", "meridian"])  # Meridian's steering committee is in a room and on Teams
def test_a_meeting_is_listed_with_its_day_and_time(demo_report, key):
    report = demo_report(key)
    text = all_text(open_docx(status_docx(report)))
    zone = report.project.zone
    for meeting in report.upcoming_meetings:
        start = meeting.local_start(zone)
        assert f"{day(start.date(), report.as_of)}, " in text and meeting.subject in text
    assert "Microsoft Teams Meeting" not in text  # the placeholder Outlook writes as the location is left out
    rooms = [m.location.split(";")[0] for m in report.upcoming_meetings if ";" in m.location]
    assert all(f"({room})" in text for room in rooms)


def test_the_headings_use_words_built_in_styles_so_the_navigation_pane_works(demo_report):
    doc = open_docx(status_docx(demo_report("apollo")))
    styles = {style for style, _ in headings(doc)}
    assert styles == {"Heading 1", "Heading 2"}
    body = doc.element.body.xml
    assert 'w:val="Heading1"' in body and 'w:val="Heading2"' in body


# --- Hand-made plans ---------------------------------------------------------------------------------------

ANA = Person("Ana & <Ben>", "ana@contoso.com", "u-ana")


def project() -> Project:
    return Project(
        key="p", name="R&D <Atlas>", plan_id="plan", team_id="team", channel_id="chan", calendar="cal@contoso.com",
        meetings=("Atlas",), timezone="Europe/Berlin", status_schedule=None,
    )  # fmt: skip


def local(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), BERLIN).astimezone(dt.UTC)


def make_task(n: int, title: str, due: dt.date | None, percent: int, people: tuple[Person, ...], **kw: object) -> Task:
    return Task(
        id=f"t{n}", title=title, bucket="Build", status=Status.from_percent(percent), due=local(due) if due else None,
        completed=kw.get("completed"), assignees=people, percent=percent, created=kw.get("created"),  # type: ignore[arg-type]
        labels=kw.get("labels", ()), priority=kw.get("priority", Priority.MEDIUM),  # type: ignore[arg-type]
    )  # fmt: skip


def hand_made(*tasks: Task, meetings: tuple[Meeting, ...] = ()) -> StatusReport:
    plan = Plan("plan", "R&D plan", (Bucket("b", "Build"),), {"category1": "Milestone"})
    return build_status(project(), PlanSnapshot(plan, tuple(tasks), {}), meetings, AS_OF)


def meeting(subject: str, day: dt.date, location: str) -> Meeting:
    start = local(day, 10)
    return Meeting(
        id=subject, series_id=None, subject=subject, start=start, end=start + dt.timedelta(minutes=30),
        all_day=False, organizer=ANA, location=location, join_url="https://teams.example/join", categories=(),
        cancelled=False,
    )  # fmt: skip


def test_markup_characters_in_titles_and_names_render_literally():
    title = 'R&D <urgent> "quotes" & more'
    report = hand_made(
        make_task(1, title, AS_OF - dt.timedelta(days=3), 0, (ANA,)),
        make_task(2, "<b>Milestone</b> & go-live", AS_OF + dt.timedelta(days=20), 10, (ANA,), labels=("Milestone",)),
    )
    doc = open_docx(status_docx(report))
    assert doc.paragraphs[0].text == "R&D <Atlas>: status report"
    late = table_with(doc, ["Task", "Owner", "Due", "Days late"])
    assert late == [[title, "Ana & <Ben>", "Sun 1 Mar", "3"]]
    milestones = table_with(doc, ["Milestone", "Due", "State"])
    assert milestones[0][0] == "<b>Milestone</b> & go-live"
    assert "&amp;" not in all_text(doc)


def test_an_empty_plan_renders_with_sentences_instead_of_empty_tables():
    doc = open_docx(status_docx(hand_made()))
    text = all_text(doc)
    for sentence in ("No risks found.", "Nothing is late.", "Nobody is assigned open work."):
        assert sentence in text
    facts = dict(table_with(doc, ["Overall", "Green: on track"]))
    assert facts["Complete"] == "0 % of 0 tasks"
    assert len(doc.tables) == 1  # key facts only
    assert len(doc.inline_shapes) == 1  # the chart, flat at zero


def synthetic_plan(n: int = 2000) -> StatusReport:
    """A big plan: `n` tasks over 20 people and 26 weeks of due dates; a third completed, a third in progress,
    every 17th shared by two people, every 23rd without an owner, every 100th a milestone."""
    people = [Person(f"Person {i:02d}", f"p{i}@contoso.com", f"u{i}") for i in range(20)]
    start = AS_OF - dt.timedelta(weeks=16)
    tasks = []
    for i in range(n):
        due = start + dt.timedelta(days=(i * 7) % 182)
        percent = (100, 50, 0)[i % 3]
        owners = (people[i % 20],) if i % 17 else (people[i % 20], people[(i + 1) % 20])
        extra = {
            "completed": local(due + dt.timedelta(days=i % 5)) if percent == 100 else None,
            "created": local(start - dt.timedelta(days=i % 60)),
            "labels": ("Milestone",) if i % 100 == 0 else (),
        }
        tasks.append(make_task(i, f"Task {i} & <co>", due, percent, owners if i % 23 else (), **extra))
    return hand_made(*tasks)


def test_a_2000_task_plan_renders_every_late_task_and_the_chart():
    report = synthetic_plan()
    assert len(report.late) > 200
    doc = open_docx(status_docx(report))
    late = table_with(doc, ["Task", "Owner", "Due", "Days late"])
    assert [row[0] for row in late] == [t.title for t in report.late]
    assert len(doc.inline_shapes) == 1


# --- Broken templates ---------------------------------------------------------------------------------------


def edited_template(tmp_path: Path, text: str, name: str = "broken.docx") -> Path:
    """The shipped template with one paragraph added, as a user typing in Word would add it."""
    doc = Document(str(template_path(STATUS_REPORT)))
    doc.add_paragraph(text)
    path = tmp_path / name
    doc.save(str(path))
    return path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Owner: {{ owner }}", "unknown variable: 'owner' is undefined"),
        ("Tasks: {{ counts.totl }}", "has no attribute 'totl'"),
        ("Total: {{ counts.total }", "syntax error"),
        ("{%p if late %}", "syntax error"),
    ],
)
def test_a_broken_template_names_the_file_and_the_problem(tmp_path, text, problem):
    path = edited_template(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        status_docx(hand_made(), path)
    message = str(caught.value)
    assert message.startswith(f"template {path}: ")
    assert problem in message
    assert "\n" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # one line, no chained traceback
    assert isinstance(caught.value, CoordinatorError)


def test_a_syntax_error_says_which_text_it_is_near(tmp_path):
    path = edited_template(tmp_path, "Total: {{ counts.total }")
    with pytest.raises(TemplateError, match=r"near “Total: \{\{ counts.total \}”"):
        status_docx(hand_made(), path)


def test_a_missing_or_non_word_template_is_a_template_error(tmp_path):
    with pytest.raises(TemplateError, match=r"missing\.docx: file not found"):
        status_docx(hand_made(), tmp_path / "missing.docx")
    text = tmp_path / "notes.docx"
    text.write_text("not a Word file")
    with pytest.raises(TemplateError, match=r"notes\.docx: not a Word \.docx document"):
        status_docx(hand_made(), text)
    other_zip = tmp_path / "archive.docx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(TemplateError, match=r"archive\.docx: not a Word \.docx document"):
        status_docx(hand_made(), other_zip)


def test_a_custom_template_is_used(tmp_path):
    path = edited_template(tmp_path, "Prepared for the steering group: {{ late | length }} late.", "custom.docx")
    report = hand_made(make_task(1, "Order laptops", AS_OF - dt.timedelta(days=1), 0, (ANA,)))
    assert "Prepared for the steering group: 1 late." in all_text(open_docx(status_docx(report, path)))


# --- The templates folder -----------------------------------------------------------------------------------


def documented(section: str) -> set[str]:
    """First-column names of the tables under `### section` in templates/README.md."""
    readme = (ROOT / "templates" / "README.md").read_text()
    body = readme.split(f"### {section}\n", 1)[1].split("\n### ", 1)[0]
    names = set()
    for line in body.splitlines():
        if match := re.match(r"\| `([^`]+)`(?:, `([^`]+)`)? \|", line):
            names.update(n for n in match.groups() if n)
    return names


def test_the_readme_documents_every_variable_the_template_receives():
    report = hand_made(
        make_task(1, "Late", AS_OF - dt.timedelta(days=2), 0, (ANA,)),
        make_task(2, "Gate", AS_OF + dt.timedelta(days=2), 0, (ANA,), labels=("Milestone",)),
        meetings=(meeting("Atlas review", AS_OF + dt.timedelta(days=1), "Room 4 & <5>"),),
    )
    context = docx_context(report)
    assert documented("Variables") == {*context, "burndown_chart"}
    assert documented("Task fields") == set(context["late"][0]) | set(context["milestones"][0])  # tasks, milestones
    assert documented("Workload rows") == set(context["workload"][0])
    assert documented("Risks") == set(context["risks"][0])
    assert documented("Meetings") == set(context["upcoming_meetings"][0])


def test_the_shipped_templates_are_the_top_level_folder_and_package_data():
    assert shipped_templates().resolve() == (ROOT / "templates").resolve()
    assert template_path(STATUS_REPORT).is_file()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"templates/*.docx"' in pyproject and '"templates/README.md"' in pyproject


def _owners(task: Task) -> str:
    return ", ".join(p.name for p in task.assignees) or "no owner"


def _verdict(report: StatusReport) -> str:
    return {"green": "on track", "amber": "at risk", "red": "off track"}[report.rag.value]


def test_importing_the_renderers_loads_neither_docxtpl_nor_matplotlib():
    code = (
        "import sys, assistant.render.status_docx, assistant.render.burndown_chart\n"
        "print([m for m in ('docx', 'docxtpl', 'jinja2', 'matplotlib', 'numpy') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
