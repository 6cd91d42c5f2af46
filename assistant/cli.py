"""The `coordinator` command: the composition root for everything run from a terminal.

Imports of heavy modules (Flask, MSAL, the sandbox, SQLAlchemy) happen inside the subcommands, so
`coordinator --help` answers at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import __version__
from assistant.errors import ConfigError, CoordinatorError

if TYPE_CHECKING:
    from assistant.settings import Settings

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"coordinator: {message} (see `coordinator --help`)\n")


def _as_of(text: str) -> dt.datetime:
    """`2026-11-30` or an ISO date-time with offset. A date means midday UTC, so that it is the same date in
    every project's zone from UTC−11 to UTC+11 (midnight UTC would be the day before in New York)."""
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(12), dt.UTC)
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--as-of {text!r}: expected YYYY-MM-DD or an ISO date-time") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"--as-of {text!r}: a date-time needs an offset, e.g. 2026-11-30T09:00Z")
    return value.astimezone(dt.UTC)


def _day(text: str) -> dt.date:
    """`--as-of` for a project's view: a calendar day, read in the project's time zone."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--as-of {text!r}: expected a date, YYYY-MM-DD") from None


def _fault_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"--fault-rate {text!r}: expected a number between 0 and 1")
    return value


def _non_negative(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number ≥ 0")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number ≥ 1")
    return int(text)


def _meeting_types() -> list[Any]:
    from assistant.domain.meeting_types import MeetingType

    return list(MeetingType)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coordinator",
        description="Coordinator: tasks, meetings and status reports for IT projects in Microsoft 365.",
    )
    parser.add_argument("--version", action="version", version=f"coordinator {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", help="run Coordinator against the built-in sandbox tenant")
    demo.add_argument("--out", type=Path, default=Path("coordinator-demo"), help="output folder (./coordinator-demo)")
    demo.add_argument("--as-of", type=_as_of, help="pretend it is this date (YYYY-MM-DD) or time")

    sandbox = commands.add_parser("sandbox", help="serve the Graph-compatible sandbox tenant over HTTPS")
    sandbox.add_argument("--tenant", type=Path, help="tenant file (JSON); default: the demo tenant Contoso IT")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sandbox.add_argument("--port", type=_non_negative, default=0, help="port (default: any free port)")
    sandbox.add_argument("--latency-ms", type=_non_negative, default=0, help="added latency per Graph request")
    sandbox.add_argument("--fault-rate", type=_fault_rate, default=0.0, help="share of Graph requests that fail")
    sandbox.add_argument("--seed", type=_non_negative, default=0, help="seed for the fault sequence")
    sandbox.add_argument("--scale", type=_positive, default=1, help="demo tenant size: N times the tasks")
    sandbox.add_argument("--as-of", type=_as_of, help="date the demo tenant is generated for")
    sandbox.add_argument("--export", type=Path, help="write the tenant file and exit (a start for your own)")
    sandbox_actions = sandbox.add_subparsers(dest="sandbox_action", metavar="ACTION", parser_class=_Parser)
    say = sandbox_actions.add_parser("say", help="post in a channel of a running sandbox, @mentioning the bot")
    say.add_argument("text", help='what the user types after the mention, e.g. "status"')
    say.add_argument("--channel", required=True, metavar="CHANNEL_ID", help="the channel's id (19:…@thread.tacv2)")
    say.add_argument("--app-url", default="http://127.0.0.1:3978/api/messages", help="the bot's messaging endpoint")
    say.add_argument("--from", dest="sender", metavar="UPN", help="the user who posts (default: the first user)")
    say.add_argument("--sandbox", metavar="URL", help="the running sandbox (default: COORDINATOR_AUTHORITY)")
    say.add_argument("--wait", type=_positive, default=10, help="seconds to wait for the reply (default 10)")
    say.add_argument(
        "--replies",
        type=_positive,
        default=1,
        help="replies to wait for (default 1; `agenda` and `minutes` answer twice: 'on it', then the document)",
    )

    tasks = commands.add_parser("tasks", help="a project's Planner tasks, open ones by due date")
    tasks.add_argument("project", help="project key from the projects file")
    tasks.add_argument("--late", action="store_true", help="only open tasks past their due day, most overdue first")
    tasks.add_argument("--as-of", type=_day, help="the day to judge lateness on (default: today, project zone)")

    meetings = commands.add_parser("meetings", help="a project's meetings in the coming days")
    meetings.add_argument("project", help="project key from the projects file")
    meetings.add_argument("--days", type=_positive, default=7, help="how many days from --as-of (default 7)")
    meetings.add_argument("--as-of", type=_day, help="first day (default: today, project zone)")

    status = commands.add_parser("status", help="a project's status report: verdict, summary, risks, achievements")
    status.add_argument("project", help="project key from the projects file")
    status.add_argument("--as-of", type=_day, help="the report's day (default: today, project zone)")
    status.add_argument("--period", type=_positive, help="days of achievements to report (default 7)")
    status.add_argument(
        "--format",
        choices=("text", "json", "card", "docx"),
        default="text",
        help="text (default), json (the contract in docs/status-report.md), card (Adaptive Card JSON) or docx",
    )
    status.add_argument("--post", action="store_true", help="file the Word report and post the card to the channel")
    status.add_argument("--force", action="store_true", help="with --post: post again although this period was")
    status.add_argument("--out", type=Path, help="write the report to this file instead of the terminal")

    agenda = commands.add_parser("agenda", help="an agenda for a meeting, from the calendar and the plan")
    agenda.add_argument("meeting_id", metavar="MEETING_ID", nargs="?", help="the Outlook event id of the meeting")
    agenda.add_argument("--next", metavar="PROJECT", help="the project's next meeting instead of MEETING_ID")
    agenda.add_argument(
        "--type",
        choices=[t.value for t in _meeting_types()],
        help="with --next: the next meeting of this type; also overrides the type read from the subject",
    )
    agenda.add_argument("--project", help="with MEETING_ID: the project (default: the one whose calendar has it)")
    agenda.add_argument("--as-of", type=_day, help="read the plan as of this day and look for meetings from it")
    agenda.add_argument("--out", type=Path, help="write the agenda here (.docx for Word, else text)")
    agenda.add_argument("--post", action="store_true", help="file it in the channel and post a card with the link")
    agenda.add_argument(
        "--attach", action="store_true", help="attach the Word agenda to the Outlook invitation (Calendars.ReadWrite)"
    )

    minutes = commands.add_parser("minutes", help="minutes of a past meeting, from its notes; action items to Planner")
    minutes.add_argument("meeting_id", metavar="MEETING_ID", help="the Outlook event id of the meeting")
    minutes.add_argument("--project", help="project key (default: the project whose calendar has the meeting)")
    minutes.add_argument("--notes", type=Path, help="notes file: Decision: …, Action: @Name … by <date>, ## items")
    minutes.add_argument("--out", type=Path, help="write the minutes to this file (.docx for Word, else text)")
    minutes.add_argument("--create-tasks", action="store_true", help="create a Planner task per action item")
    minutes.add_argument("--post", action="store_true", help="file the Word minutes in the channel and post a card")
    minutes.add_argument(
        "--attach", action="store_true", help="attach the Word minutes to the Outlook invitation (Calendars.ReadWrite)"
    )

    serve = commands.add_parser("serve", help="serve the Teams bot endpoints (/api/messages, outgoing webhook)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_non_negative, default=3978, help="port (default 3978, Bot Framework's)")

    teams_app = commands.add_parser("teams-app", help="the Teams app package that installs the bot in Teams")
    teams_app_actions = teams_app.add_subparsers(
        dest="teams_app_action", metavar="ACTION", parser_class=_Parser, required=True
    )
    build = teams_app_actions.add_parser("build", help="write the zip to upload in Teams (COORDINATOR_BOT_APP_ID)")
    build.add_argument("--out", type=Path, default=Path("coordinator-teams-app.zip"), help="the zip to write")
    build.add_argument(
        "--domain", action="append", default=[], metavar="HOST", help="a validDomains entry (repeatable)"
    )

    login = commands.add_parser("login", help="sign in the service account that posts to channels (device code)")
    login.add_argument("--new-key", action="store_true", help="print a new COORDINATOR_TOKEN_KEY and exit")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser, required=True)
    db_commands.add_parser("upgrade", help="apply database migrations (also done on start)")

    commands.add_parser("config", help="show the effective settings (secrets masked) and check the projects file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if args.verbose:  # urllib3 logs request lines at DEBUG, Workflows URLs and their signatures included
        from assistant.graph.workflows import hide_url_signatures

        hide_url_signatures()
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(_dispatch(args))
    except ConfigError as exc:
        print(f"coordinator: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CoordinatorError as exc:
        print(f"coordinator: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `coordinator tasks x | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    from assistant.settings import load_settings

    if args.command == "login" and args.new_key:  # before the settings: the old key may be the problem
        from assistant.services.login import new_token_key

        print(new_token_key())
        print("Set it as COORDINATOR_TOKEN_KEY and keep it secret; a new key means a new login.", file=sys.stderr)
        return 0
    settings = load_settings()
    if args.command == "login":
        from assistant.services.login import login

        login(settings, clock=lambda: dt.datetime.now(dt.UTC))
        return 0
    if args.command == "serve":
        return _serve(args, settings)
    if args.command == "teams-app":
        return _teams_app(args, settings)
    if args.command in ("tasks", "meetings"):
        return _project_view(args, settings)
    if args.command == "status":
        return _status(args, settings)
    if args.command == "minutes":
        return _minutes(args, settings)
    if args.command == "agenda":
        return _agenda(args, settings)
    now = args.as_of if getattr(args, "as_of", None) else dt.datetime.now(dt.UTC)
    if args.command == "demo":
        from assistant.services.demo import run_demo

        run_demo(args.out, settings.data_dir, now)
        return 0
    if args.command == "sandbox":
        if args.sandbox_action == "say":
            from assistant.sandbox.cli import run_say

            return run_say(args, settings.authority, settings.ca_bundle)
        from assistant.sandbox.cli import run_sandbox

        return run_sandbox(args, settings.data_dir, now, _sandbox_projects(settings.data_dir))
    if args.command == "db":
        from assistant.storage.db import safe_url
        from assistant.storage.migrate import upgrade

        head = upgrade(settings.database)
        print(f"database {safe_url(settings.database)} is at revision {head}")
        return 0
    if args.command == "config":
        return _show_config(settings)
    raise AssertionError(args.command)


def _sandbox_projects(data_dir: Path) -> Callable[[dict[str, Any]], Path]:
    """Write the demo tenant's projects file next to the sandbox's TLS files (what `coordinator demo` writes too)."""

    def write(tenant: dict[str, Any]) -> Path:
        from assistant.projects import render_projects_toml
        from assistant.sandbox.demo_tenant import demo_projects

        path = data_dir / "sandbox-projects.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_projects_toml(demo_projects(tenant)), encoding="utf-8")
        return path

    return write


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app import drain, make_server

    if not args.verbose:
        logging.getLogger().setLevel(settings.log_level)
    server = make_server(settings, args.host, args.port, freeze=True)
    try:  # bound, its worker threads (not daemons) already run: stop them whatever happens next
        print(
            f"Coordinator bot on http://{args.host}:{server.bind_addr[1]} (/api/messages, /api/teams/outgoing-webhook)"
        )
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        drain(server.wsgi_app)
    return 0


def _teams_app(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.services.teams_app import build_package, default_source

    if not settings.bot_app_id:
        raise ConfigError("environment", "COORDINATOR_BOT_APP_ID", "not set: the Teams app is the bot's app")
    package = build_package(
        default_source(), app_id=settings.bot_app_id, version=__version__, commands=bot_menu(), domains=args.domain
    )
    args.out.write_bytes(package)
    print(f"wrote {args.out}: upload it in Teams (Apps → Manage your apps → Upload an app)")
    return 0


def bot_menu() -> list[Any]:
    """The bot's commands as Teams' command menu: the router's own list, so the menu never drifts from it."""
    from assistant.bot import texts
    from assistant.bot.commands import Deps, register
    from assistant.bot.router import Router
    from assistant.services.teams_app import MenuCommand

    def unused() -> Any:  # registering reaches neither Graph nor the database: handlers would, when run
        raise AssertionError("the command menu is built without running a command")

    router = Router(lambda: {})
    register(router, Deps(graph=unused, clock=lambda: dt.datetime.now(dt.UTC), database=unused))
    return [
        MenuCommand(c.name, c.summary if c.usage == c.name else texts.usage_line(c.usage, c.summary))
        for c in router.commands
    ]


def _project_view(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.projects import load_projects
    from assistant.render.listings_text import meetings_text, tasks_text
    from assistant.services.connect import connect
    from assistant.services.listings import find_project, plan_tasks, project_meetings

    project = find_project(load_projects(settings.projects), args.project, str(settings.projects))
    as_of = args.as_of or dt.datetime.now(project.zone).date()
    graph = connect(settings)
    if args.command == "tasks":
        snapshot, tasks = plan_tasks(graph, project, as_of, args.late)
        print(tasks_text(project, snapshot, tasks, as_of, args.late))
    else:
        print(meetings_text(project, project_meetings(graph, project, as_of, args.days), as_of, args.days))
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from assistant.projects import load_projects
    from assistant.render.status_json import status_json
    from assistant.render.status_text import status_text
    from assistant.services.connect import connect
    from assistant.services.listings import find_project
    from assistant.services.status import status_report

    if args.format == "docx" and args.out is None:
        raise ConfigError("command line", "--format docx", "writes a Word file: add --out FILE.docx")
    if args.force and not args.post:
        raise ConfigError("command line", "--force", "only means something with --post")
    project = find_project(load_projects(settings.projects), args.project, str(settings.projects))
    as_of = args.as_of or dt.datetime.now(project.zone).date()
    graph = connect(settings)
    report = status_report(graph, project, as_of, args.period)
    task_url, tenant = settings.planner_task_url, settings.tenant_id or ""
    if args.format == "docx":
        from assistant.services.publish import report_document

        args.out.write_bytes(report_document(report, settings))
        print(f"wrote {args.out}")
    else:
        if args.format == "json":
            text = json.dumps(status_json(report, task_url, tenant), indent=2, ensure_ascii=False)
        elif args.format == "card":
            from assistant.render.status_card import status_card

            text = json.dumps(status_card(report, task_url=task_url, tenant=tenant), indent=2, ensure_ascii=False)
        else:
            text = status_text(report)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
            print(f"wrote {args.out}")
        elif not args.post:
            print(text)
    if args.post:
        from assistant.services.publish import publish_status

        result = publish_status(settings, graph, report, clock=lambda: dt.datetime.now(dt.UTC), force=args.force)
        print(result.summary)
    return 0


def _agenda(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.domain.meeting_types import MeetingType
    from assistant.projects import load_projects
    from assistant.render.agenda_text import agenda_text
    from assistant.services.agenda import agenda_for, meeting_id, next_meeting
    from assistant.services.connect import connect
    from assistant.services.listings import find_project
    from assistant.services.minutes import find_meeting
    from assistant.storage.db import Database
    from assistant.storage.meeting_records import MeetingRecords
    from assistant.storage.migrate import upgrade

    if (args.meeting_id is None) == (args.next is None):
        raise ConfigError("command line", "MEETING_ID", "give a meeting id or --next PROJECT (one of them)")
    projects = load_projects(settings.projects)
    graph = connect(settings)
    kind = MeetingType(args.type) if args.type else None
    if args.next:
        project = find_project(projects, args.next, str(settings.projects))
        start = dt.datetime.combine(args.as_of, dt.time(), project.zone) if args.as_of else dt.datetime.now(dt.UTC)
        meeting = next_meeting(graph, project, kind, start)
    else:
        project, meeting = find_meeting(graph, projects, meeting_id(args.meeting_id), args.project)
        start = dt.datetime.combine(args.as_of, dt.time(), project.zone) if args.as_of else dt.datetime.now(dt.UTC)
    upgrade(settings.database)
    database = Database.from_url(settings.database)
    try:
        actions = MeetingRecords(database).actions(project.key, open_only=True)
    finally:
        database.dispose()
    agenda = agenda_for(graph, project, meeting, start, actions, kind=kind)
    document = None
    if (args.out is not None and args.out.suffix.lower() == ".docx") or args.post or args.attach:
        from assistant.render.agenda_docx import agenda_docx

        document = agenda_docx(agenda)
    if args.out is not None:
        if args.out.suffix.lower() == ".docx" and document is not None:
            args.out.write_bytes(document)
        else:
            args.out.write_text(agenda_text(agenda) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    elif not (args.post or args.attach):
        print(agenda_text(agenda))
    if args.post and document is not None:
        from assistant.services.agenda import post_agenda

        print(post_agenda(settings, graph, agenda, document, lambda: dt.datetime.now(dt.UTC)).summary)
    if args.attach and document is not None:
        from assistant.services.agenda import attach_agenda

        print(attach_agenda(graph, agenda, document).summary)
    return 0


def _minutes(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.projects import load_projects
    from assistant.render.minutes_text import minutes_text
    from assistant.services.connect import connect
    from assistant.services.minutes import (
        find_meeting,
        minutes_document,
        minutes_for,
        publish_minutes,
        read_notes,
        stored_notes,
    )
    from assistant.storage.db import Database
    from assistant.storage.meeting_records import MeetingRecords
    from assistant.storage.migrate import upgrade

    notes_source = None
    if args.notes is not None:
        try:
            notes_source = (str(args.notes), args.notes.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(str(args.notes), "", f"cannot read the notes: {exc.__class__.__name__}") from None
    graph = connect(settings)
    project, meeting = find_meeting(graph, load_projects(settings.projects), args.meeting_id, args.project)
    upgrade(settings.database)
    database = Database.from_url(settings.database)

    def clock() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    try:
        notes = read_notes(
            stored_notes(MeetingRecords(database), meeting.id, notes_source, clock()),
            meeting.local_start(project.zone).date(),
        )
    except CoordinatorError:
        database.dispose()
        raise

    published = None
    try:
        if args.post:
            published = publish_minutes(
                settings,
                graph,
                MeetingRecords(database),
                project,
                meeting,
                notes,
                clock,
                create_tasks=args.create_tasks,
            )
            run = published.run
        else:
            run = minutes_for(
                graph, MeetingRecords(database), project, meeting, notes, clock, create_tasks=args.create_tasks
            )
    finally:
        database.dispose()
    if args.out is not None and args.out.suffix.lower() == ".docx":
        args.out.write_bytes(published.document if published else minutes_document(settings, run.minutes))
        print(f"wrote {args.out}")
    elif args.out is not None:
        args.out.write_text(minutes_text(run.minutes) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    elif not (args.post or args.attach):
        print(minutes_text(run.minutes))
    if run.tasks is not None:
        print(run.tasks.summary())
    if published is not None and published.posted is not None:
        print(published.posted.summary)
    if args.attach:  # the document as filed, when --post filed one (a card not posted is reported after this)
        from assistant.services.minutes import attach_minutes

        document = published.document if published else minutes_document(settings, run.minutes)
        print(attach_minutes(graph, run.minutes, document).summary)
    if published is not None and published.failure is not None:
        raise published.failure
    return 0


def _show_config(settings: object) -> int:
    from assistant.projects import load_projects
    from assistant.settings import Settings, describe

    assert isinstance(settings, Settings)
    for name, value in describe(settings):
        print(f"{name}={value}")
    projects = load_projects(settings.projects)
    print(f"\n{settings.projects}: {len(projects)} project(s): {', '.join(projects)}")
    return 0
