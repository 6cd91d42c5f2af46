"""The status report as an Adaptive Card 1.5 for a Teams chat or channel: verdict, summary, key facts, top risks,
milestones, late work and what was completed, with a link to the full report.

Two rules make it safe to post whatever a plan holds:

- **Plan text only goes into TextRuns.** Titles, names, risk sentences, the summary and the project's name are
  put in `RichTextBlock` inlines, which Adaptive Cards never read as markdown ("Markdown is not supported", the
  1.5 schema); TextBlocks and FactSets, which Teams renders as markdown, carry only our own words, numbers and
  dates. Escaping with backslashes instead would depend on the client: Teams desktop, web and mobile have
  honoured them differently (MicrosoftDocs/msteams-docs#5793). The one thing renderers still expand in a
  TextRun, `{{DATE(…)}}`/`{{TIME(…)}}`, is broken up with an invisible word joiner.
- **The size is bounded.** Lists show at most five items and end with "and N more"; long texts are cut. A final
  guard measures the card and, while it is over `MAX_CARD_BYTES`, rebuilds it with shorter lists and texts.
  Teams refuses messages over 28 KB (../shared/refdata/GRAPH-FACTS.md 11), and the limit counts the whole
  message, so the card keeps 4 KB for the envelope.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.domain.status import Milestone, Rag, StatusReport
from assistant.domain.summary import VERDICT, when
from assistant.domain.tasks import Status, Task
from assistant.render.card_actions import REFRESH_STATUS_ACTION, submit
from assistant.render.card_elements import CARD_VERSION, SCHEMA, Element
from assistant.render.card_elements import cut as _cut
from assistant.render.card_elements import rich as _rich
from assistant.render.card_elements import run as _run
from assistant.render.card_elements import text as _text

REFRESH = "Refresh"
MAX_CARD_BYTES = 24 * 1024  # the card's JSON (see card_bytes); Teams' limit is 28 KB for the whole message
Link = Callable[[Task], str | None]  # a task's Planner address, or None
Row = tuple[list[Element], list[Element]]  # a list entry's line and the detail line under it (may be empty)

_STYLE = {Rag.GREEN: "good", Rag.AMBER: "warning", Rag.RED: "attention"}  # container styles, named as colours


@dataclass(frozen=True)
class Limits:
    """How much of each list and text a card shows; the size guard steps down through `LEVELS`."""

    items: int  # entries per list before "and N more"
    title: int  # characters of a task title
    text: int  # characters of a risk sentence
    summary: int  # characters of the summary


LEVELS = (Limits(5, 120, 300, 1200), Limits(3, 80, 200, 700), Limits(1, 60, 150, 400), Limits(0, 40, 120, 250))


def status_card(
    report: StatusReport,
    report_url: str | None = None,
    task_url: str = "",
    tenant: str = "",
    max_bytes: int = MAX_CARD_BYTES,
    *,
    refresh: bool = False,
) -> Element:
    """The card for `report`; `task_url` (with {tenant}, {plan_id}, {task_id}) links task titles to Planner.
    `refresh`: a "Refresh" Action.Submit, for the bot's answer (it re-renders the card as of the click)."""
    for limits in LEVELS:
        card = build_card(report, limits, report_url, task_url, tenant, refresh=refresh)
        if card_bytes(card) <= max_bytes:
            return card
    raise ValueError(f"even the shortest status card is {card_bytes(card)} bytes, over the {max_bytes} allowed")


def card_bytes(card: Element) -> int:
    """The size that counts: `json.dumps` with non-ASCII escaped, about what a card inside a Graph message costs
    once it is serialised again as a string (compact separators save what escaped quotes add)."""
    return len(json.dumps(card).encode("ascii"))


def build_card(
    report: StatusReport,
    limits: Limits,
    report_url: str | None = None,
    task_url: str = "",
    tenant: str = "",
    *,
    refresh: bool = False,
) -> Element:
    def link(task: Task) -> str | None:
        return task_url.format(tenant=tenant, plan_id=report.project.plan_id, task_id=task.id) if task_url else None

    body = [
        _headline(report),
        _rich([_run(_cut(report.summary, limits.summary))], spacing="medium"),
        _key_facts(report),
        *_risks(report, limits),
        *_milestones(report, limits, link),
        *_late(report, limits, link),
        *_completed(report, limits, link),
    ]
    card: Element = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": CARD_VERSION,
        "fallbackText": _cut(f"{report.project.name}: {_verdict(report)}. {report.summary}", limits.summary),
        "body": body,
    }
    buttons: list[Element] = []
    if report_url:
        buttons.append({"type": "Action.OpenUrl", "title": "Open full report", "url": report_url})
    if refresh:  # the bot's answer only: a posted card has nobody to answer its Action.Submit
        buttons.append(submit(REFRESH, REFRESH_STATUS_ACTION, project=report.project.key))
    if buttons:
        card["actions"] = buttons
    return card


# --- sections ---------------------------------------------------------------------------------------------


def _headline(report: StatusReport) -> Element:
    """A band in the verdict's colour: the project, the verdict in words, the day."""
    return {
        "type": "Container",
        "style": _STYLE[report.rag],
        "bleed": True,
        "items": [
            _rich([_run(_cut(report.project.name, 120), size="large", weight="bolder")]),
            _text(_verdict(report), size="large", weight="bolder", spacing="small"),
            _text(
                f"Status on {report.as_of:%a} {_day(report.as_of)} {report.as_of.year}", spacing="small", isSubtle=True
            ),
        ],
    }


def _verdict(report: StatusReport) -> str:
    return f"{report.rag.value.upper()} — {VERDICT[report.rag.value]}"


def _key_facts(report: StatusReport) -> Element:
    counts = report.counts
    facts = [
        ("Complete", f"{report.percent_complete} % ({counts.completed} of {counts.total} tasks)"),
        ("Tasks", f"{counts.in_progress} in progress, {counts.not_started} not started"),
        ("Late", str(counts.late)),
        (f"Due within {report.rules.due_soon_days} days", str(counts.due_soon)),
        ("Open without owner", str(counts.unassigned)),
        ("Next milestone", _next_milestone(report)),
    ]
    return {"type": "FactSet", "spacing": "medium", "facts": [{"title": t, "value": v} for t, v in facts]}


def _next_milestone(report: StatusReport) -> str:
    """The date only: a fact value is markdown, so the title stays in the milestones list below."""
    days = [d for m in _open_milestones(report) if (d := report.due(m.task)) is not None and d >= report.as_of]
    if not days:
        return "none planned"
    day = min(days)
    ahead = (day - report.as_of).days
    return when(day, report.as_of) + (f" (in {ahead} days)" if ahead > 1 else "")


def _risks(report: StatusReport, limits: Limits) -> list[Element]:
    rows: list[Row] = [([_run("• " + _cut(risk.summary, limits.text))], []) for risk in report.risks[: limits.items]]
    return _section(f"Top risks ({len(report.risks)})", rows, len(report.risks))


def _milestones(report: StatusReport, limits: Limits, link: Link) -> list[Element]:
    ahead = _open_milestones(report)
    rows = [_milestone(m, report, limits, link) for m in ahead[: limits.items]]
    return _section("Open milestones", rows, len(ahead))


def _milestone(m: Milestone, report: StatusReport, limits: Limits, link: Link) -> Row:
    due = report.due(m.task)
    if m.late:
        state = _run(m.reason, color="attention", weight="bolder")  # "3 days late"
    elif m.at_risk:
        idle = m.task.status is Status.NOT_STARTED
        state = _run("at risk, not started" if idle else "at risk", color="attention", weight="bolder")
    else:
        state = _run("on track", color="good", weight="bolder")
    return [_title(m.task, limits, link)], [_run(f"due {when(due, report.as_of) if due else 'no date'} · "), state]


def _late(report: StatusReport, limits: Limits, link: Link) -> list[Element]:
    rows: list[Row] = []
    for task in report.late[: limits.items]:
        days = report.days_late(task)
        late = _run(f"{days} day{'s' if days != 1 else ''} late", color="attention", weight="bolder")
        rows.append(([_title(task, limits, link)], [late, _run(" · "), _owners(task)]))
    return _section(f"Late ({report.counts.late})", rows, len(report.late))


def _completed(report: StatusReport, limits: Limits, link: Link) -> list[Element]:
    days = (report.period_end - report.period_start).days + 1
    heading = "Completed this week" if days == 7 else f"Completed in the last {days} days"
    rows: list[Row] = []
    for task in report.achievements[: limits.items]:
        done = report.completed(task)
        detail = [_run(f"done {when(done, report.as_of)} · ")] if done else []
        rows.append(([_title(task, limits, link)], [*detail, _owners(task)]))
    return _section(f"{heading} ({len(report.achievements)})", rows, len(report.achievements))


def _section(heading: str, rows: Sequence[Row], total: int) -> list[Element]:
    """A heading, each row as a line and an optional detail line under it, and "and N more" for what did not
    fit; nothing at all for an empty list."""
    if not total:
        return []
    items = [_text(heading, weight="bolder", spacing="large", separator=True)]
    for line, detail in rows:
        items.append(_rich(line, spacing="small"))
        if detail:
            items.append(
                _rich([run if "color" in run else {**run, "isSubtle": True} for run in detail], spacing="none")
            )
    if total > len(rows):
        more = total - len(rows)
        items.append(
            _text(f"and {more} more" if rows else f"{more} in the full report", isSubtle=True, spacing="small")
        )
    return items


def _open_milestones(report: StatusReport) -> list[Milestone]:
    return [m for m in report.milestones if m.task.status is not Status.COMPLETED]


# --- elements ---------------------------------------------------------------------------------------------


def _title(task: Task, limits: Limits, link: Link) -> Element:
    run = _run(_cut(task.title, limits.title), weight="bolder")
    url = link(task)
    if url:
        run["selectAction"] = {"type": "Action.OpenUrl", "url": url, "title": "Open in Planner"}
    return run


def _owners(task: Task) -> Element:
    if not task.assignees:
        return _run("no owner", color="attention")
    names = [p.name for p in task.assignees]
    shown = ", ".join(_cut(n, 40) for n in names[:2]) + (f" +{len(names) - 2}" if len(names) > 2 else "")
    return _run(shown)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b}"
