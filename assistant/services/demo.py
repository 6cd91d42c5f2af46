"""`coordinator demo`: the sandbox tenant in-process, and Coordinator against it on the production path.

The only difference from a real tenant is configuration: the sandbox prints authority, Graph URL, CA
bundle and the demo app's credentials, and Coordinator uses them through MSAL and HTTPS like anywhere else.
The one shortcut: the demo service account's device-code sign-in is approved by the sandbox itself.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from pydantic import SecretStr

from assistant.domain.project import Project
from assistant.projects import parse_projects, render_projects_toml
from assistant.render.overview_text import as_of_line, overview_json, overview_text
from assistant.render.status_card import status_card
from assistant.render.status_json import status_json
from assistant.render.status_text import status_text
from assistant.services.connect import Connection, connect
from assistant.services.demo_meetings import meeting_documents
from assistant.services.login import login
from assistant.services.overview import project_overview
from assistant.services.publish import publish_status, report_document
from assistant.services.status import status_report
from assistant.settings import Settings


def run_demo(out_dir: Path, data_dir: Path, now: dt.datetime, echo: Callable[[str], None] = print) -> Path:
    """Run the demo; returns the overview's path. Writes the projects file, the overview, and per project a
    status report as text, JSON, Adaptive Card and Word, and posts each card into the sandbox channel; then two
    agendas and the latest stand-up's minutes, whose action items become Planner tasks (meetings/)."""
    from assistant.sandbox.clock import SandboxClock
    from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET, build_demo_tenant, demo_projects
    from assistant.sandbox.server import SandboxServer

    tenant = build_demo_tenant(now)
    project_tables = demo_projects(tenant)
    projects = parse_projects({"projects": project_tables}, source="demo tenant")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "coordinator.toml").write_text(render_projects_toml(project_tables), encoding="utf-8")
    database = out_dir / "coordinator-demo.db"
    database.unlink(missing_ok=True)  # the sandbox starts afresh, so must the record of what was posted
    with SandboxServer(tenant, data_dir, clock=SandboxClock.frozen_at(now)) as sandbox:
        env = sandbox.environment(DEMO_APP_ID, DEMO_APP_SECRET)
        settings = Settings(
            **{k.removeprefix("COORDINATOR_").lower(): v for k, v in env.items()},  # type: ignore[arg-type]
            data_dir=data_dir,
            database_url=SecretStr(f"sqlite:///{database.resolve()}"),
            token_key=SecretStr(Fernet.generate_key().decode()),
        )
        graph = connect(settings)
        echo(f'Coordinator demo: sandbox tenant "{tenant["tenant"]["displayName"]}" at {sandbox.url}')
        echo(f"as of {as_of_line(now)}\n")
        overviews = [project_overview(graph, project, now) for project in projects.values()]
        text = "\n\n".join(overview_text(o) for o in overviews)
        echo(text)
        echo("\nStatus reports:")
        account = _sign_in_service_account(settings, graph, sandbox.url, tenant, sandbox.now)
        for project in projects.values():
            echo("  " + _status(settings, graph, project, now, out_dir / "status", sandbox.now))
        echo(f"  (posted as {account}, the demo tenant's service account, signed in with coordinator login)")
        echo("\nMeeting documents (filed in the channels, cards posted):")
        for line in meeting_documents(settings, graph, projects, now, out_dir / "meetings", sandbox.now):
            echo(f"  {line}")
        echo(f"\n{graph.client.round_trips} Graph requests (app-only); output in {out_dir}/")
    overview = out_dir / "overview.txt"
    overview.write_text(text + "\n", encoding="utf-8")
    payload = {"as_of": now.isoformat(), "projects": [overview_json(o) for o in overviews]}
    (out_dir / "overview.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return overview


def _sign_in_service_account(
    settings: Settings, graph: Connection, url: str, tenant: dict[str, Any], clock: Callable[[], dt.datetime]
) -> str:
    """`coordinator login` as an operator would run it, the code approved for the demo's service account."""
    account = next(u["userPrincipalName"] for u in tenant["users"] if u["userPrincipalName"].startswith("coordinator."))

    def approve(code: str) -> None:
        graph.session.post(
            f"{url}/_sandbox/devicecode/approve", json={"user_code": code, "user": account}
        ).raise_for_status()

    return login(settings, clock, echo=lambda _: None, on_code=approve)


def _status(
    settings: Settings,
    graph: Connection,
    project: Project,
    now: dt.datetime,
    folder: Path,
    clock: Callable[[], dt.datetime],
) -> str:
    """Write one project's report in every format, post it, and say so in one line."""
    as_of = now.astimezone(project.zone).date()
    report = status_report(graph, project, as_of)
    task_url, tenant = settings.planner_task_url, settings.tenant_id or ""
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / project.key
    base.with_suffix(".txt").write_text(status_text(report) + "\n", encoding="utf-8")
    base.with_suffix(".json").write_text(
        json.dumps(status_json(report, task_url, tenant), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    card = status_card(report, task_url=task_url, tenant=tenant)
    (folder / f"{project.key}.card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", "utf-8")
    base.with_suffix(".docx").write_bytes(report_document(report, settings))
    result = publish_status(settings, graph, report, clock=clock)
    posted = f"card posted by {result.record.method}" if result.posted else "not posted"
    facts = f"{report.rag.value.upper()}, {report.percent_complete} % done, {report.counts.late} late"
    return f"{project.name}: {facts}; {posted}, report filed in the channel ({folder.name}/{project.key}.*)"
