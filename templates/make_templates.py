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


def _page_setup(doc: DocumentType) -> None:
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
    run = footer.add_run("{{ name }} · status as of {{ as_of_text }}\tPage ")
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


TEMPLATES = {"status_report.docx": status_report}


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else HERE
    for name, build in TEMPLATES.items():
        (target / name).write_bytes(build())
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
