"""`coordinator demo`: the sandbox tenant in-process, and Coordinator against it on the production path.

The only difference from a real tenant is configuration: the sandbox prints authority, Graph URL, CA
bundle and the demo app's credentials, and Coordinator uses them through MSAL and HTTPS like anywhere else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from assistant.projects import parse_projects, render_projects_toml
from assistant.render.overview_text import as_of_line, overview_json, overview_text
from assistant.services.connect import connect
from assistant.services.overview import project_overview
from assistant.settings import Settings


def run_demo(out_dir: Path, data_dir: Path, now: dt.datetime, echo: Callable[[str], None] = print) -> Path:
    """Run the demo; returns the report path. Writes `coordinator.toml`, `overview.txt` and `overview.json`."""
    from assistant.sandbox.clock import SandboxClock
    from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET, build_demo_tenant, demo_projects
    from assistant.sandbox.server import SandboxServer

    tenant = build_demo_tenant(now)
    project_tables = demo_projects(tenant)
    projects = parse_projects({"projects": project_tables}, source="demo tenant")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "coordinator.toml").write_text(render_projects_toml(project_tables), encoding="utf-8")
    with SandboxServer(tenant, data_dir, clock=SandboxClock.frozen_at(now)) as sandbox:
        env = sandbox.environment(DEMO_APP_ID, DEMO_APP_SECRET)
        settings = Settings(**{k.removeprefix("COORDINATOR_").lower(): v for k, v in env.items()})  # type: ignore[arg-type]
        graph = connect(settings)
        echo(f'Coordinator demo: sandbox tenant "{tenant["tenant"]["displayName"]}" at {sandbox.url}')
        echo(f"as of {as_of_line(now)}\n")
        overviews = [project_overview(graph, project, now) for project in projects.values()]
        text = "\n\n".join(overview_text(o) for o in overviews)
        echo(text)
        echo(f"\n{graph.client.round_trips} Graph requests; output in {out_dir}/")
    report = out_dir / "overview.txt"
    report.write_text(text + "\n", encoding="utf-8")
    payload = {"as_of": now.isoformat(), "projects": [overview_json(o) for o in overviews]}
    (out_dir / "overview.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return report
