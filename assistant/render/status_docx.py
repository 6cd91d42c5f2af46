"""The status report as a Word document, rendered from a user-editable template (templates/status_report.docx).

The template sees the JSON contract (`status_json`) plus texts made for reading (dates as people write
them, owners joined, milestone states) and the burndown chart; templates/README.md lists every variable.
Rendering uses autoescape (a `&` or `<` in a task title would otherwise corrupt the document's XML) and
strict undefined variables (a typo in a template is an error, not an empty cell). docxtpl, python-docx and
jinja2 are imported on first use: `coordinator --help` needs none of them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from assistant.domain.status import Milestone, StatusReport
from assistant.domain.summary import VERDICT
from assistant.domain.tasks import Status
from assistant.render.burndown_chart import burndown_png
from assistant.render.status_json import status_json
from assistant.render.templates import STATUS_REPORT, template_path
from assistant.render.word import day_text, open_template, render, text_width_mm, where

RAG_COLOUR = {"green": "D5ECD9", "amber": "FFE7A6", "red": "F6CFCB"}  # cell shading of the verdict, light tints
MAX_CHART_MM = 170


def status_docx(report: StatusReport, template: Path | None = None, *, task_url: str = "", tenant: str = "") -> bytes:
    """The .docx bytes; raises TemplateError naming the template and the problem when it cannot be used."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    path = template if template is not None else template_path(STATUS_REPORT)
    document = open_template(path)
    context = docx_context(report, task_url, tenant)
    width = min(text_width_mm(document, MAX_CHART_MM), MAX_CHART_MM)
    chart = io.BytesIO(burndown_png(report.burndown, report.as_of))
    context["burndown_chart"] = InlineImage(document, chart, width=Mm(width))
    return render(document, context, path)


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
        item["state"], item["state_text"] = milestone_state(by_id[item["id"]], item["completed_text"])
    for row in context["workload"]:
        row["overloaded_text"] = "Yes" if row["overloaded"] else ""
    for meeting, original in zip(context["upcoming_meetings"], report.upcoming_meetings, strict=True):
        start = original.local_start(report.project.zone)
        end = original.local_end(report.project.zone)
        hours = "all day" if original.all_day else f"{start:%H:%M}–{end:%H:%M}"
        meeting["when_text"] = f"{day(start.date().isoformat())}, {hours}"
        meeting["where"] = where(original.location)
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


def milestone_state(milestone: Milestone, completed: str) -> tuple[str, str]:
    """(state, text for a reader): `done`, `late`, `at risk` or `on track`, with `Done Sat 31 Jan`, `Late: …`."""
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
        return day_text(dt.date.fromisoformat(iso), as_of) if iso else ""

    return day
