"""The status report as a Word document, rendered from a user-editable template (templates/status_report.docx).

The template sees the JSON contract (`status_json`) plus texts made for reading (dates as people write
them, owners joined, milestone states) and the burndown chart; templates/README.md lists every variable.
Rendering uses autoescape (a `&` or `<` in a task title would otherwise corrupt the document's XML) and
strict undefined variables (a typo in a template is an error, not an empty cell). docxtpl, python-docx and
jinja2 are imported on first use: `coordinator --help` needs none of them.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.domain.status import Milestone, StatusReport
from assistant.domain.summary import VERDICT
from assistant.domain.tasks import Status
from assistant.errors import TemplateError
from assistant.render.burndown_chart import burndown_png
from assistant.render.status_json import status_json
from assistant.render.templates import STATUS_REPORT, template_path

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

RAG_COLOUR = {"green": "D5ECD9", "amber": "FFE7A6", "red": "F6CFCB"}  # cell shading of the verdict, light tints
MAX_CHART_MM = 170
TEAMS_PLACEHOLDERS = {"microsoft teams meeting", "microsoft teams-besprechung", ""}


def status_docx(report: StatusReport, template: Path | None = None, *, task_url: str = "", tenant: str = "") -> bytes:
    """The .docx bytes; raises TemplateError naming the template and the problem when it cannot be used."""
    import jinja2
    from docx.shared import Mm
    from docxtpl import InlineImage

    path = template if template is not None else template_path(STATUS_REPORT)
    document = _open(path)
    context = docx_context(report, task_url, tenant)
    width = min(_text_width_mm(document), MAX_CHART_MM)
    chart = io.BytesIO(burndown_png(report.burndown, report.as_of))
    context["burndown_chart"] = InlineImage(document, chart, width=Mm(width))
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        document.render(context, jinja_env=environment, autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(str(path), f"syntax error: {exc.message}{_near(exc)}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(str(path), f"unknown variable: {exc.message} (templates/README.md lists them)") from None
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateError(str(path), f"cannot render: {exc}") from None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_context(report: StatusReport, task_url: str = "", tenant: str = "") -> dict[str, Any]:
    """Every variable the template receives except `burndown_chart` (an image, added while rendering)."""
    context = status_json(report, task_url, tenant)
    day = _day_text(report.as_of)
    by_id = {m.task.id: m for m in report.milestones}
    for key in ("achievements", "late", "due_soon", "milestones"):
        for item in context[key]:
            item.setdefault("days_late", 0)
            item["owners"] = ", ".join(item["assignees"]) or "no owner"
            item["due_text"] = day(item["due"])
            item["completed_text"] = day(item["completed"])
    for item in context["milestones"]:
        item["state"], item["state_text"] = _state(by_id[item["id"]], item["completed_text"])
    for row in context["workload"]:
        row["overloaded_text"] = "Yes" if row["overloaded"] else ""
    for meeting, original in zip(context["upcoming_meetings"], report.upcoming_meetings, strict=True):
        start = original.local_start(report.project.zone)
        end = original.local_end(report.project.zone)
        hours = "all day" if original.all_day else f"{start:%H:%M}–{end:%H:%M}"
        meeting["when_text"] = f"{day(start.date().isoformat())}, {hours}"
        meeting["where"] = _where(original.location)
    context["burndown"]["target_text"] = day(context["burndown"]["target"])
    period = context["period"]
    period["text"] = f"{day(period['start'])} – {day(period['end'])}"
    rag = report.rag.value
    context.update(
        as_of_text=f"{report.as_of:%a} {report.as_of.day} {report.as_of:%b %Y}",
        rag_label=rag.capitalize(),
        rag_verdict=VERDICT[rag],
        rag_colour=RAG_COLOUR[rag],
        due_soon_days=report.rules.due_soon_days,
    )
    return context


def _where(location: str) -> str:
    """The location, less the "Microsoft Teams Meeting" Outlook writes into every online meeting (alone or
    after a room: `New York – Hudson (12F); Microsoft Teams Meeting`)."""
    parts = [part.strip() for part in location.split(";")]
    return "; ".join(part for part in parts if part.casefold() not in TEAMS_PLACEHOLDERS)


def _state(milestone: Milestone, completed: str) -> tuple[str, str]:
    if milestone.task.status is Status.COMPLETED:
        return "done", f"Done {completed}".strip()
    if milestone.late:
        return "late", f"Late: {milestone.reason}"
    if milestone.at_risk:
        return "at risk", f"At risk: {milestone.reason}"
    return "on track", "On track"


def _day_text(as_of: dt.date) -> Any:
    """ISO date → `Fri 13 Mar` (the year added when it is not the report's); None → ""."""

    def day(iso: str | None) -> str:
        if not iso:
            return ""
        value = dt.date.fromisoformat(iso)
        return f"{value:%a} {value.day} {value:%b}" + (f" {value.year}" if value.year != as_of.year else "")

    return day


def _open(path: Path) -> DocxTemplate:
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    if not path.is_file():
        raise TemplateError(str(path), "file not found" if not path.exists() else "not a file")
    document = DocxTemplate(path)
    try:
        document.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(str(path), f"not a Word .docx document ({exc})") from None
    return document


def _text_width_mm(document: DocxTemplate) -> float:
    section = document.get_docx().sections[0]
    if section.page_width is None:
        return MAX_CHART_MM
    return float((section.page_width - (section.left_margin or 0) - (section.right_margin or 0)) / 36000)


def _near(exc: Exception) -> str:
    """docxtpl attaches the paragraphs around a syntax error, tags stripped; the fourth is the culprit's."""
    lines = [html.unescape(line).strip() for line in getattr(exc, "docx_context", ())]
    lineno = getattr(exc, "lineno", None) or 0
    at = min(3, max(lineno - 1, 0))
    candidates = lines[at : at + 1] + lines[at - 1 : at] + lines[at + 1 :] if lines else []
    text = next((line for line in candidates if line), "")
    return f" (near “{text[:80]}”)" if text else ""
