"""The bot's commands: thin handlers over the same services and renderers as the CLI.

`register(router, deps)` adds them (STYLE 1: nothing registers on import). The Graph `Connection` is built
by the composition root and reached through `deps.graph`, a function, so the app starts without Graph; the
database (meeting records, app state) likewise through `deps.database`. The meeting commands live in
bot/meeting_commands.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from assistant.bot import meeting_commands, texts
from assistant.bot.activity import Reply
from assistant.bot.router import Command, Context, Router
from assistant.domain.project import Project
from assistant.domain.status import StatusReport
from assistant.domain.tasks import Status
from assistant.errors import CommandError
from assistant.render.card_actions import COMMAND_ACTION, submit
from assistant.render.card_elements import CARD_VERSION, SCHEMA, rich, run
from assistant.render.card_elements import text as card_text
from assistant.render.status_card import status_card
from assistant.services.connect import Connection
from assistant.services.listings import plan_tasks
from assistant.services.status import status_report
from assistant.storage.db import Database

__all__ = ["COMMAND_ACTION", "Deps", "help_card", "register"]
MAX_DAYS = 90


@dataclass(frozen=True)
class Deps:
    graph: Callable[[], Connection]
    clock: Callable[[], dt.datetime]  # aware UTC
    database: Callable[[], Database]  # migrated; built on first use
    task_url: str = ""
    tenant: str = ""


def register(router: Router, deps: Deps) -> None:
    def today(project: Project) -> dt.date:
        return deps.clock().astimezone(project.zone).date()

    def report(context: Context) -> StatusReport:
        project = context.the_project()
        return status_report(deps.graph(), project, today(project))

    def help_(context: Context) -> Reply:
        context.no_args("help")
        return Reply(text="\n".join([texts.HELP_INTRO, *router.help_lines()]), card=help_card(router))

    def projects(context: Context) -> Reply:
        context.no_args("projects")
        here = context.project.key if context.project else None
        lines = [
            f"• {p.key} — {p.name}{'  (this channel)' if p.key == here else ''}" for p in context.projects.values()
        ]
        return Reply(text="\n".join(["Projects:", *lines] if lines else ["No projects configured."]))

    def status(context: Context) -> Reply:
        context.no_args("status")
        found = report(context)
        card = status_card(found, task_url=deps.task_url, tenant=deps.tenant, refresh=True)
        return Reply(text=f"{found.project.name}: {found.rag.value.upper()}. {found.summary}", card=card)

    def late(context: Context) -> Reply:
        context.no_args("late")
        project = context.the_project()
        as_of = today(project)
        _, tasks = plan_tasks(deps.graph(), project, as_of, late_only=True)
        lines = [texts.heading(project.name, f"{len(tasks)} late task{'s' if len(tasks) != 1 else ''}", as_of)]
        return Reply(text="\n".join(lines + texts.task_lines(tasks, as_of, project.zone)))

    def due(context: Context) -> Reply:
        project = context.the_project()
        days = _days(context.args, project.rules.due_soon_days)
        as_of = today(project)
        snapshot, _ = plan_tasks(deps.graph(), project, as_of, late_only=False)
        zone, last = project.zone, as_of + dt.timedelta(days=days)
        tasks = [
            t
            for t in snapshot.tasks
            if t.status is not Status.COMPLETED and (d := t.due_date(zone)) is not None and as_of <= d <= last
        ]
        tasks.sort(key=lambda t: (t.due_date(zone), t.title.casefold()))
        lines = [texts.heading(project.name, f"{len(tasks)} open task(s) due within {days} days", as_of)]
        return Reply(text="\n".join(lines + texts.task_lines(tasks, as_of, zone)))

    def workload(context: Context) -> Reply:
        context.no_args("workload")
        found = report(context)
        lines = [texts.heading(found.project.name, "workload (open / late / due soon)", found.as_of)]
        for w in found.workload:
            lines.append(
                f"• {w.person.name}: {w.open} / {w.late} / {w.due_soon}{'  OVERLOADED' if w.overloaded else ''}"
            )
        return Reply(text="\n".join(lines if found.workload else [*lines, "Nobody has open tasks."]))

    def risks(context: Context) -> Reply:
        context.no_args("risks")
        found = report(context)
        lines = [texts.heading(found.project.name, f"{len(found.risks)} risk(s)", found.as_of)]
        lines += [f"• {risk.summary}" for risk in found.risks[: texts.SHOWN]]
        if len(found.risks) > texts.SHOWN:
            lines.append(f"… and {len(found.risks) - texts.SHOWN} more")
        return Reply(text="\n".join(lines))

    router.add(Command("help", "help", "this list", help_, needs_project=False))
    router.add(Command("projects", "projects", "the projects I know", projects, needs_project=False))
    router.add(Command("status", "status", "the status report card: verdict, risks, milestones, late work", status))
    router.add(Command("late", "late", "open tasks past their due day, most overdue first", late))
    router.add(Command("due", "due [DAYS]", "open tasks due within DAYS days (default 7)", due))
    router.add(Command("workload", "workload", "open, late and due-soon tasks per person", workload))
    router.add(Command("risks", "risks", "the risks the status report found", risks))
    meeting_commands.register(router, deps, status)


def help_card(router: Router) -> dict[str, object]:
    """The help as an Adaptive Card: one line per command and a button for a few common ones. TextRuns, not
    markdown: Teams' markdown has no code spans, so the usages' backticks and brackets show as typed."""
    body = [card_text("Coordinator", weight="bolder", size="medium"), rich([run(texts.HELP_INTRO)])]
    body += [rich([run(c.usage, weight="bolder"), run(f" — {c.summary}")], spacing="small") for c in router.commands]
    actions = [
        submit(c.name, COMMAND_ACTION, command=c.name) for c in router.commands if c.name in ("status", "late", "risks")
    ]
    return {"type": "AdaptiveCard", "$schema": SCHEMA, "version": CARD_VERSION, "body": body, "actions": actions}


def _days(args: tuple[str, ...], default: int) -> int:
    if not args:
        return default
    if len(args) > 1 or not args[0].isdigit() or not 1 <= int(args[0]) <= MAX_DAYS:
        raise CommandError(texts.BAD_DAYS)
    return int(args[0])
