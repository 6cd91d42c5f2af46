"""Build the shipped Word templates from scratch: `python templates/make_templates.py`.

Run it only to reset a template to Coordinator's original: the committed .docx files are the templates,
edited in Word from then on (see README.md beside this script), and this script overwrites them. It uses
Word's built-in styles (Title, Heading 1/2, List Bullet, Caption, Table Grid), so the navigation pane,
the table of contents and a company's own style set all work on the result. The output is byte-for-byte
reproducible, so regenerating an unchanged template shows no change in git.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
TABLE_STYLE = "Table Grid"  # plus direct borders and header shading: Word, LibreOffice and web viewers agree
HEADER_FILL = "2F5496"
RULE_COLOUR = "A6A6A6"
TEXT_WIDTH_CM = 17.0  # A4 less two 2 cm margins
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # core-properties dates, for reproducible bytes


def status_report() -> bytes:
    doc = Document()
    _page_setup(doc)
    doc.core_properties.title = "Project status report"
    doc.core_properties.author = "Coordinator"
    doc.core_properties.created = doc.core_properties.modified = FIXED
    doc.core_properties.last_modified_by = "Coordinator"
    doc.core_properties.revision = 1

    doc.add_paragraph("{{ name }}: status report", style="Title")
    doc.add_paragraph("As of {{ as_of_text }} · plan “{{ plan }}” · times in {{ timezone }}", style="Subtitle")

    doc.add_heading("Summary", level=1)
    doc.add_paragraph("{{ summary }}")
    facts = _table(doc, [4.6, 12.4])
    rows = [
        ("Overall", "{% cellbg rag_colour %}{{ rag_label }}: {{ rag_verdict }}"),
        ("Complete", "{{ percent_complete }} % of {{ counts.total }} tasks"),
        (
            "Tasks",
            "{{ counts.completed }} completed, {{ counts.in_progress }} in progress, "
            "{{ counts.not_started }} not started",
        ),
        ("Late", "{{ counts.late }}"),
        ("Due within {{ due_soon_days }} days", "{{ counts.due_soon }}"),
        ("Open without an owner", "{{ counts.unassigned }}"),
        ("Report period", "{{ period.text }}"),
    ]
    for label, value in rows:
        cells = _row(facts, [label, value], [4.6, 12.4])
        cells[0].paragraphs[0].runs[0].bold = True
    facts.rows[0].cells[1].paragraphs[0].runs[0].bold = True
    doc.add_heading("Why {{ rag_label | lower }}", level=2)
    _either(  # amber's reasons are the risks themselves: say so rather than list them twice
        doc,
        "rag != 'amber'",
        lambda: _bullets(doc, "reason in rag_reasons", "{{ reason }}"),
        "Because of the risks below; none of them is serious enough for red.",
    )

    doc.add_heading("Risks", level=1)
    _either(doc, "risks", lambda: _bullets(doc, "risk in risks", "{{ risk.summary }}"), "No risks found.")

    doc.add_heading("Milestones", level=1)
    _either(
        doc,
        "milestones",
        lambda: _loop_table(
            doc,
            ["Milestone", "Due", "State"],
            [7.0, 2.6, 7.4],
            "m in milestones",
            ["{{ m.title }}", "{{ m.due_text }}", "{{ m.state_text }}"],
        ),
        "The plan has no milestones (tasks with the label “Milestone”).",
    )

    doc.add_heading("Tasks", level=1)
    doc.add_heading("Late", level=2)
    _either(
        doc,
        "late",
        lambda: _loop_table(
            doc,
            ["Task", "Owner", "Due", "Days late"],
            [7.8, 4.4, 2.6, 2.2],
            "t in late",
            ["{{ t.title }}", "{{ t.owners }}", "{{ t.due_text }}", "{{ t.days_late }}"],
            right=(3,),
        ),
        "Nothing is late.",
    )
    doc.add_heading("Due within {{ due_soon_days }} days", level=2)
    _either(
        doc,
        "due_soon",
        lambda: _loop_table(
            doc,
            ["Task", "Owner", "Due", "Status"],
            [7.6, 4.4, 2.6, 2.4],
            "t in due_soon",
            ["{{ t.title }}", "{{ t.owners }}", "{{ t.due_text }}", "{{ t.status }}"],
        ),
        "Nothing else is due in the next {{ due_soon_days }} days.",
    )
    doc.add_heading("Completed {{ period.text }}", level=2)
    _either(
        doc,
        "achievements",
        lambda: _loop_table(
            doc,
            ["Task", "Owner", "Completed"],
            [10.0, 4.4, 2.6],
            "t in achievements",
            ["{{ t.title }}", "{{ t.owners }}", "{{ t.completed_text }}"],
        ),
        "Nothing was completed in this period.",
    )

    doc.add_heading("Workload", level=1)
    _either(
        doc,
        "workload",
        lambda: _loop_table(
            doc,
            ["Person", "Open", "Late", "Due soon", "Overloaded"],
            [7.0, 2.2, 2.2, 2.6, 3.0],
            "w in workload",
            [
                "{{ w.person.name }}",
                "{{ w.open }}",
                "{{ w.late }}",
                "{{ w.due_soon }}",
                "{{ w.overloaded_text }}",
            ],
            right=(1, 2, 3),
        ),
        "Nobody is assigned open work.",
    )

    doc.add_heading("Burndown", level=1)
    doc.add_paragraph("{{ burndown_chart }}")
    doc.add_paragraph(
        "Open tasks at the end of each week{% if burndown.target %}; the dashed line is the pace that reaches "
        "zero by the last milestone, {{ burndown.target_text }}{% endif %}.",
        style="Caption",
    )

    doc.add_heading("Coming meetings", level=1)
    _either(
        doc,
        "upcoming_meetings",
        lambda: _bullets(
            doc,
            "m in upcoming_meetings",
            "{{ m.when_text }}: {{ m.subject }}{% if m.where %} ({{ m.where }}){% endif %}",
            together=True,
        ),
        "No meetings in the next two weeks.",
    )
    return _reproducible(doc)


def _page_setup(doc: DocumentType, footer_text: str = "{{ name }} · status as of {{ as_of_text }}") -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"  # the theme's body font is Cambria, which reads dated in a report
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    stops = doc.styles["Footer"].paragraph_format.tab_stops
    for stop in list(stops):  # the default's stops are for Letter paper; one right stop at the margin
        stops._pPr.tabs.remove(stop._tab)
    stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    run = footer.add_run(f"{footer_text}\tPage ")
    _page_field(footer)
    for r in [run, *footer.runs]:
        r.font.size = Pt(8)
        r.font.color.rgb = RGBColor(0x60, 0x60, 0x60)


def _page_field(paragraph: Paragraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _either(doc: DocumentType, condition: str, build: Callable[[], object], otherwise: str) -> None:
    """`{%p if condition %}` what `build` adds `{%p else %}` the sentence `otherwise` `{%p endif %}`."""
    doc.add_paragraph(f"{{%p if {condition} %}}")
    build()
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(otherwise)
    doc.add_paragraph("{%p endif %}")


def _bullets(doc: DocumentType, loop: str, text: str, together: bool = False) -> None:
    """A bulleted paragraph per item; `together` keeps a short list on one page."""
    doc.add_paragraph(f"{{%p for {loop} %}}", style="List Bullet")
    doc.add_paragraph(text, style="List Bullet").paragraph_format.keep_with_next = together or None
    doc.add_paragraph("{%p endfor %}", style="List Bullet")


def _table(doc: DocumentType, widths: list[float], header: list[str] | None = None) -> Table:
    table = doc.add_table(rows=0, cols=len(widths), style=TABLE_STYLE)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _borders(table)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    if header:
        cells = _row(table, header, widths)
        _repeat_as_header(table.rows[0]._tr)
        for cell in cells:
            _shade(cell, HEADER_FILL)
            run = cell.paragraphs[0].runs[0]
            run.bold = True
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    return table


def _row(table: Table, texts: list[str], widths: list[float], right: tuple[int, ...] = ()) -> list[_Cell]:
    cells = table.add_row().cells
    for i, (cell, text, width) in enumerate(zip(cells, texts, widths, strict=True)):
        cell.width = Cm(width)
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        if text:
            paragraph.add_run(text)
        if i in right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return cells


def _loop_table(
    doc: DocumentType, header: list[str], widths: list[float], loop: str, cells: list[str], right: tuple[int, ...] = ()
) -> None:
    """A header row, then one row per item: `{%tr for … %}` and `{%tr endfor %}` rows vanish when rendered."""
    table = _table(doc, widths, header)
    blank = [""] * (len(widths) - 1)
    _row(table, [f"{{%tr for {loop} %}}", *blank], widths)
    _row(table, cells, widths, right)
    _row(table, ["{%tr endfor %}", *blank], widths)
    for i in right:
        table.rows[0].cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _borders(table: Table) -> None:
    """Thin grey rules between rows, none between columns: light, and read the same in every viewer."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        visible = edge in ("top", "bottom", "insideH")
        line.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            line.set(qn("w:sz"), "4")
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), RULE_COLOUR)
        borders.append(line)
    table._tbl.tblPr.append(borders)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(tr: object) -> None:
    """Word repeats the row at the top of each page the table runs onto."""
    props = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _reproducible(doc: DocumentType) -> bytes:
    """The saved package with fixed zip timestamps, so the same script gives the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


# --- Agendas: one template per kind of meeting, numbered sections with their timebox in the heading ------------


def _agenda(kind: str) -> DocumentType:
    """A new agenda document with its header: title, when and where, join link, organizer, attendees."""
    doc = Document()
    _page_setup(doc, "{{ name }} · {{ title }} · {{ date_text }}")
    doc.core_properties.title = f"{kind} agenda"
    doc.core_properties.author = "Coordinator"
    doc.core_properties.created = doc.core_properties.modified = FIXED
    doc.core_properties.last_modified_by = "Coordinator"
    doc.core_properties.revision = 1

    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{{ kind_label }} agenda · {{ name }}", style="Subtitle")
    facts = _table(doc, [3.4, 13.6])
    rows = [
        ("When", "{{ when_text }}{% if organizer_time_text %}; {{ organizer_time_text }}{% endif %}"),
        ("Where", "{{ where_text }}"),
        ("Join online", "{% if join_url %}{{r join_link }}{% else %}No Teams link in the invitation{% endif %}"),
        ("Organizer", "{{ organizer }}"),
        ("Attendees", "{{ responses_text }}"),
    ]
    for label, value in rows:
        cells = _row(facts, [label, value], [3.4, 13.6])
        cells[0].paragraphs[0].runs[0].bold = True
    doc.add_paragraph("")
    _loop_table(
        doc,
        ["Attendee", "Role", "Response"],
        [9.0, 3.6, 4.4],
        "a in attendees",
        ["{{ a.name }}", "{{ a.role }}", "{{ a.response_text }}"],
    )
    doc.add_paragraph(
        "Prepared {{ prepared_text }} from the Planner plan “{{ plan }}”; times in {{ timezone }}.", style="Caption"
    )
    return doc


def _timebox(doc: DocumentType, text: str) -> None:
    """A numbered section with its timebox, as a Heading 1 people edit in Word: `1. Round the table — 10 min`."""
    doc.add_heading(text, level=1)


def _actions(doc: DocumentType, heading: str) -> None:
    _timebox(doc, heading)
    _either(
        doc,
        "actions",
        lambda: _loop_table(
            doc,
            ["Action", "Owner", "Due", "Agreed"],
            [8.2, 3.6, 2.4, 2.8],
            "a in actions",
            ["{{ a.text }}", "{{ a.owner }}", "{{ a.due_text }}", "{{ a.agreed_text }}"],
        ),
        "No open action items from earlier meetings of this series.",
    )


def _task_table(
    doc: DocumentType, loop: str, columns: list[tuple[str, str, float]], right: tuple[int, ...] = ()
) -> None:
    header, cells, widths = zip(*columns, strict=True)
    _loop_table(doc, list(header), list(widths), loop, list(cells), right)


def agenda_standup() -> bytes:
    doc = _agenda("Stand-up")
    _timebox(doc, "1. Round the table — 10 min")
    doc.add_paragraph(
        "Each person: what closed since the last stand-up ({{ since_text }}), what is due {{ due_window_text }}, "
        "what is late or blocked."
    )
    doc.add_paragraph("{%p for p in people %}")
    doc.add_heading("{{ p.name }}{% if p.response_note %} ({{ p.response_note }}){% endif %}", level=2)
    table = _table(doc, [2.6, 11.0, 3.4])
    blank = ["", ""]
    _row(table, ["{%tr for i in p.rows %}", *blank], [2.6, 11.0, 3.4])
    cells = _row(table, ["{{ i.label }}", "{{ i.title }}", "{{ i.detail }}"], [2.6, 11.0, 3.4])
    cells[0].paragraphs[0].runs[0].bold = True
    _row(table, ["{%tr endfor %}", *blank], [2.6, 11.0, 3.4])
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if quiet %}")
    doc.add_paragraph("Nothing closed, due, late or blocked: {{ quiet_text }}.")
    doc.add_paragraph("{%p endif %}")

    def blockers() -> None:
        _bullets(
            doc,
            "t in blocked",
            "{{ t.title }} ({{ t.owners }}){% if t.waiting_for_text %}: waits for {{ t.waiting_for_text }}"
            "{% else %}: labelled Blocked{% endif %}",
        )
        _bullets(doc, "t in unassigned_due", "{{ t.title }}: due {{ t.due_text }}, nobody assigned")

    _timebox(doc, "2. Blockers and help needed — 3 min")
    _either(
        doc,
        "blocked or unassigned_due",
        blockers,
        "Nothing is blocked, and everything due {{ due_window_text }} has an owner.",
    )
    _actions(doc, "3. Open action items — 2 min")
    return _reproducible(doc)


def agenda_review() -> bytes:
    doc = _agenda("Sprint review")
    _timebox(doc, "1. Welcome and sprint goal — 5 min")
    doc.add_paragraph(
        "Since the last review ({{ since_text }}): {{ achievements | length }} tasks completed, "
        "{{ in_progress | length }} in progress. {{ summary }}"
    )
    _timebox(doc, "2. Completed since the last review — 20 min")
    _either(
        doc,
        "achievements",
        lambda: _task_table(
            doc,
            "t in achievements",
            [
                ("Task", "{{ t.title }}", 9.6),
                ("Owner", "{{ t.owners }}", 4.6),
                ("Completed", "{{ t.completed_text }}", 2.8),
            ],
        ),
        "Nothing was completed since the last review.",
    )
    _timebox(doc, "3. Work in progress — 15 min")
    _either(
        doc,
        "in_progress",
        lambda: _task_table(
            doc,
            "t in in_progress",
            [
                ("Task", "{{ t.title }}", 8.4),
                ("Owner", "{{ t.owners }}", 4.2),
                ("Due", "{{ t.due_text }}", 2.6),
                ("Done", "{{ t.percent }} %", 1.8),
            ],
            right=(3,),
        ),
        "No work is in progress.",
    )
    _timebox(doc, "4. Next milestone — 10 min")
    _either(
        doc,
        "next_milestone",
        lambda: doc.add_paragraph(
            "{{ next_milestone.title }}: due {{ next_milestone.due_text }} ({{ next_milestone.owners }}). "
            "{{ next_milestone.state_text }}."
        ),
        "No open milestone ahead.",
    )
    doc.add_paragraph("{%p if late_milestones %}")
    doc.add_paragraph("Late milestones:")
    doc.add_paragraph("{%p endif %}")
    _bullets(doc, "m in late_milestones", "{{ m.title }}: {{ m.reason }} (due {{ m.due_text }}, {{ m.owners }})")
    _actions(doc, "5. Open action items — 5 min")
    _timebox(doc, "6. Feedback and next steps — 5 min")
    doc.add_paragraph("What the stakeholders saw, what changes, what goes into the next sprint.")
    return _reproducible(doc)


def agenda_planning() -> bytes:
    doc = _agenda("Sprint planning")
    _timebox(doc, "1. Capacity and workload — 10 min")
    _either(
        doc,
        "workload",
        lambda: _task_table(
            doc,
            "w in workload",
            [
                ("Person", "{{ w.name }}", 7.0),
                ("Open", "{{ w.open }}", 2.2),
                ("Late", "{{ w.late }}", 2.2),
                ("Due soon", "{{ w.due_soon }}", 2.6),
                ("Overloaded", "{{ w.overloaded_text }}", 3.0),
            ],
            right=(1, 2, 3),
        ),
        "Nobody is assigned open work.",
    )
    _timebox(doc, "2. Work to start by {{ sprint_end_text }} — 25 min")
    _either(
        doc,
        "not_started",
        lambda: _task_table(
            doc,
            "t in not_started",
            [
                ("Task", "{{ t.title }}", 7.6),
                ("Owner", "{{ t.owners }}", 3.8),
                ("Due", "{{ t.due_text }}", 2.4),
                ("Bucket", "{{ t.bucket }}", 3.2),
            ],
        ),
        "No work due by then is waiting to start.",
    )
    _timebox(doc, "3. Work without an owner — 10 min")
    _either(
        doc,
        "unassigned",
        lambda: _task_table(
            doc,
            "t in unassigned",
            [("Task", "{{ t.title }}", 9.6), ("Due", "{{ t.due_text }}", 2.8), ("Bucket", "{{ t.bucket }}", 4.6)],
        ),
        "Every open task has an owner.",
    )
    _actions(doc, "4. Open action items — 5 min")
    _timebox(doc, "5. Sprint goal and commitments — 10 min")
    doc.add_paragraph("Agree the sprint goal; each owner confirms what they take on.")
    return _reproducible(doc)


def agenda_retrospective() -> bytes:
    doc = _agenda("Retrospective")
    _timebox(doc, "1. The sprint in numbers — 5 min")
    doc.add_paragraph("{{ period_text }}: {{ numbers_text }}")
    _timebox(doc, "2. What went well — 10 min")
    _either(
        doc,
        "completed",
        lambda: _task_table(
            doc,
            "t in completed",
            [
                ("Completed", "{{ t.title }}", 9.6),
                ("Owner", "{{ t.owners }}", 4.6),
                ("On", "{{ t.completed_text }}", 2.8),
            ],
        ),
        "Nothing was completed in this sprint.",
    )
    _timebox(doc, "3. What did not go well — 10 min")
    _either(
        doc,
        "slipped",
        lambda: _task_table(
            doc,
            "t in slipped",
            [
                ("Slipped", "{{ t.title }}", 7.4),
                ("Owner", "{{ t.owners }}", 3.8),
                ("Due", "{{ t.due_text }}", 2.4),
                ("What happened", "{{ t.slip_text }}", 3.4),
            ],
        ),
        "Nothing slipped: everything due was done on time.",
    )
    _timebox(doc, "4. One improvement we commit to — 10 min")
    doc.add_paragraph("One change for the next sprint, with an owner.")
    _actions(doc, "5. Open action items — 10 min")
    return _reproducible(doc)


def agenda_steering() -> bytes:
    doc = _agenda("Steering committee")
    _timebox(doc, "1. Status — 10 min")
    facts = _table(doc, [4.6, 12.4])
    rows = [
        ("Overall", "{% cellbg rag_colour %}{{ rag_label }}: {{ rag_verdict }}"),
        ("Complete", "{{ percent_complete }} % of {{ counts.total }} tasks"),
        ("Late", "{{ counts.late }}"),
        ("Open without an owner", "{{ counts.unassigned }}"),
    ]
    for label, value in rows:
        cells = _row(facts, [label, value], [4.6, 12.4])
        cells[0].paragraphs[0].runs[0].bold = True
    facts.rows[0].cells[1].paragraphs[0].runs[0].bold = True
    doc.add_paragraph("")
    doc.add_paragraph("{{ summary }}")
    _timebox(doc, "2. Milestones — 10 min")
    _either(
        doc,
        "milestones",
        lambda: _task_table(
            doc,
            "m in milestones",
            [
                ("Milestone", "{{ m.title }}", 7.0),
                ("Due", "{{ m.due_text }}", 2.6),
                ("State", "{{ m.state_text }}", 7.4),
            ],
        ),
        "The plan has no milestones.",
    )
    _timebox(doc, "3. Top risks — 15 min")
    _either(doc, "risks", lambda: _bullets(doc, "r in risks", "{{ r.summary }}"), "No risks found.")
    _timebox(doc, "4. Decisions needed — 15 min")
    _either(
        doc,
        "decisions",
        lambda: _task_table(
            doc,
            "t in decisions",
            [
                ("Decision", "{{ t.title }}", 8.4),
                ("Owner", "{{ t.owners }}", 4.2),
                ("Due", "{{ t.due_text }}{% if t.days_late %} ({{ t.days_late }} days late){% endif %}", 4.4),
            ],
        ),
        "No decisions are waiting (open tasks labelled “Decision”).",
    )
    _actions(doc, "5. Open action items — 5 min")
    _timebox(doc, "6. Any other business — 5 min")
    doc.add_paragraph("")
    return _reproducible(doc)


def agenda_general() -> bytes:
    doc = _agenda("Meeting")
    _timebox(doc, "1. Project status — 5 min")
    doc.add_paragraph("{{ summary }}")
    _timebox(doc, "2. Topics — 20 min")

    def topics() -> None:
        doc.add_paragraph("{%p for line in invitation_lines %}")
        doc.add_paragraph("{{ line }}")
        doc.add_paragraph("{%p endfor %}")

    _either(doc, "invitation_lines", topics, "The invitation names no topics.")
    _actions(doc, "3. Open action items — 10 min")
    _timebox(doc, "4. Any other business — 5 min")
    doc.add_paragraph("")
    return _reproducible(doc)


# --- Minutes: one template for every kind of meeting --------------------------------------------------------------


def minutes() -> bytes:
    doc = Document()
    _page_setup(doc, "{{ name }} · {{ title }} · minutes of {{ date_text }}")
    doc.core_properties.title = "Minutes"
    doc.core_properties.author = "Coordinator"
    doc.core_properties.created = doc.core_properties.modified = FIXED
    doc.core_properties.last_modified_by = "Coordinator"
    doc.core_properties.revision = 1

    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{{ kind_label }} minutes · {{ name }}", style="Subtitle")
    facts = _table(doc, [3.4, 13.6])
    for label, value in [("When", "{{ when_text }}"), ("Where", "{{ where_text }}"), ("Organizer", "{{ organizer }}")]:
        cells = _row(facts, [label, value], [3.4, 13.6])
        cells[0].paragraphs[0].runs[0].bold = True

    doc.add_heading("Attendance", level=1)
    people = _table(doc, [3.4, 13.6])
    for label, value in [("Present", "{{ present_text }}"), ("Absent", "{{ absent_text }}")]:
        cells = _row(people, [label, value], [3.4, 13.6])
        cells[0].paragraphs[0].runs[0].bold = True
    _row(people, ["{%tr if unknown %}", ""], [3.4, 13.6])  # the row shows only when someone did not answer
    cells = _row(people, ["No answer", "{{ unknown_text }}"], [3.4, 13.6])
    cells[0].paragraphs[0].runs[0].bold = True
    _row(people, ["{%tr endif %}", ""], [3.4, 13.6])
    doc.add_paragraph(
        "{% if attendance_note %}{{ attendance_note }}{% else %}From the {{ attendance_source }}.{% endif %}",
        style="Caption",
    )

    doc.add_heading("Decisions", level=1)
    _either(doc, "decisions", lambda: _bullets(doc, "d in decisions", "{{ d }}"), "No decisions were recorded.")

    doc.add_heading("Discussion", level=1)

    def discussion() -> None:
        doc.add_paragraph("{%p for item in discussion %}")
        doc.add_heading("{{ item.title }}", level=2)
        _either(doc, "item.lines", lambda: _bullets(doc, "line in item.lines", "{{ line }}"), "No notes.")
        doc.add_paragraph("{%p endfor %}")

    _either(doc, "discussion", discussion, "No discussion was noted.")

    doc.add_heading("Action items", level=1)

    def actions() -> None:
        _loop_table(
            doc,
            ["Action", "Owner", "Due", "Planner"],
            [7.4, 4.4, 2.2, 3.0],
            "a in actions",
            [
                "{{ a.text }}",
                "{{ a.owner }}",
                "{{ a.due_text }}",
                "{% if a.url %}{{r a.planner_link }}{% else %}{{ a.planner_text }}{% endif %}",
            ],
        )
        doc.add_paragraph("{%p if unresolved_text %}")
        doc.add_paragraph("{{ unresolved_text }}", style="Caption")
        doc.add_paragraph("{%p endif %}")

    _either(doc, "actions", actions, "No action items were agreed.")

    doc.add_paragraph("{%p if suggestions %}")
    doc.add_heading("Suggested action items — not created", level=1)
    doc.add_paragraph(
        "Suggested — not created: sentences from the meeting's transcript that sound like action items. None of "
        "them is an action item until someone adds it to the notes as an Action: line."
    )
    _loop_table(
        doc,
        ["At", "Speaker", "Suggestion"],
        [2.0, 4.2, 10.8],
        "s in suggestions",
        ["{{ s.at }}", "{{ s.speaker }}", "{{ s.text }}"],
    )
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("Next meeting", level=1)
    doc.add_paragraph(
        "{% if next_meeting %}{{ next_meeting.subject }}: {{ next_meeting.when_text }}"
        "{% if next_meeting.where_text %} ({{ next_meeting.where_text }}){% endif %}"
        "{% else %}No next meeting of this series is in the calendar.{% endif %}"
    )
    return _reproducible(doc)


TEMPLATES = {
    "status_report.docx": status_report,
    "agenda_standup.docx": agenda_standup,
    "agenda_review.docx": agenda_review,
    "agenda_planning.docx": agenda_planning,
    "agenda_retrospective.docx": agenda_retrospective,
    "agenda_steering.docx": agenda_steering,
    "agenda_general.docx": agenda_general,
    "minutes.docx": minutes,
}


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else HERE
    for name, build in TEMPLATES.items():
        (target / name).write_bytes(build())
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
