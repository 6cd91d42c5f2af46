"""A stand-up agenda for 12 people on a 1,000-task plan at 50 ms sandbox latency, end to end; and each kind's
Word document rendered alone.

    python bench/agenda.py [--runs 5] [--no-docs]      (needs the test extra: pip install -e '.[test]')

The tenant is the demo tenant with Atlas's plan grown to 1,000 tasks (scale 20, cut), its assigned work spread
over 12 people, and those 12 invited to the Atlas stand-up. The sandbox runs in a child process at
`FaultSettings(latency_ms=50)`. End to end is what `coordinator agenda --next atlas --type standup --out FILE`
does after start-up: connect (app token), find the next stand-up, load the plan, the descriptions of the
attendees' open tasks and the series' previous occurrences, build the agenda and render the .docx. Each run uses
a fresh connection. Rendering alone: the median of 20 renders per kind of meeting, on the same plan.
Targets: under 1.5 s end to end, under 100 ms per document. Figures go to docs/benchmarks.md ("## Agenda").
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests` (settings helper) sits beside bench/

from assistant.domain.meeting_types import MeetingType
from assistant.domain.project import Project
from assistant.projects import parse_projects
from assistant.render.agenda_docx import agenda_docx
from assistant.sandbox.demo_tenant import build_demo_tenant, demo_projects
from assistant.services.agenda import agenda_for, next_meeting
from assistant.services.connect import connect
from bench.docs_section import write_section
from bench.sandbox_process import Endpoint, sandbox
from tests.graph.conftest import settings_from

NOW = dt.datetime(2026, 3, 4, 7, tzinfo=dt.UTC)
TASKS = 1000
PEOPLE = 12
LATENCY_MS = 50
TARGET_SECONDS = 1.5
TARGET_RENDER_MS = 100
SECTION = "## Agenda"


def tenant() -> dict[str, Any]:
    """The demo tenant with a 1,000-task Atlas plan whose work 12 people share, all 12 at the Atlas stand-up."""
    data = build_demo_tenant(NOW, scale=20)
    projects = demo_projects(data)
    plan = next(p for p in data["plans"] if p["id"] == projects["atlas"]["plan_id"])
    plan["tasks"] = plan["tasks"][:TASKS]
    organizer = projects["atlas"]["calendar"]
    people = [u for u in data["users"] if u["mail"] != organizer and not u["mail"].startswith("coordinator.")]
    people = people[:PEOPLE]
    assigned = [t for t in plan["tasks"] if t.get("assignments")]
    for n, task in enumerate(assigned):
        template = next(iter(task["assignments"].values()))
        task["assignments"] = {people[n % PEOPLE]["id"]: template}
    [standup] = [e for e in data["calendars"][organizer] if e["subject"] == "Atlas stand-up"]
    answer = {"response": "accepted", "time": "2026-01-20T07:20:00Z"}
    standup["attendees"] = [
        {"type": "required", "status": answer, "emailAddress": {"name": u["displayName"], "address": u["mail"]}}
        for u in people
    ]
    return data


@dataclass(frozen=True)
class Run:
    seconds: float
    round_trips: int
    people: int
    document_bytes: int


def end_to_end(endpoint: Endpoint, atlas: Project, folder: Path) -> Run:
    settings = settings_from(endpoint.env, data_dir=folder)
    started = time.perf_counter()
    graph = connect(settings)
    meeting = next_meeting(graph, atlas, MeetingType.STANDUP, NOW)
    agenda = agenda_for(graph, atlas, meeting, NOW)
    document = agenda_docx(agenda)
    seconds = time.perf_counter() - started
    people = len(agenda.required) + len(agenda.optional)
    return Run(seconds, graph.client.round_trips, people, len(document))


def render_times(endpoint: Endpoint, atlas: Project, folder: Path) -> dict[str, float]:
    """Median milliseconds of 20 renders of each kind's agenda on the big plan (after one warm-up)."""
    graph = connect(settings_from(endpoint.env, data_dir=folder))
    standup = next_meeting(graph, atlas, MeetingType.STANDUP, NOW)
    base = agenda_for(graph, atlas, standup, NOW)
    times = {}
    for kind in MeetingType:
        agenda = base if kind is MeetingType.STANDUP else agenda_for(graph, atlas, standup, NOW, kind=kind)
        agenda_docx(agenda)
        samples = []
        for _ in range(20):
            started = time.perf_counter()
            agenda_docx(agenda)
            samples.append(time.perf_counter() - started)
        times[kind.value] = statistics.median(samples) * 1000
    return times


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M) if cpuinfo.exists() else []
    cpu = models[0].strip() if models else (platform.processor() or "unknown CPU")
    return f"{platform.platform()}, {cpu} ({os.cpu_count()} cores), Python {platform.python_version()}"


def write_docs(runs: list[Run], renders: dict[str, float]) -> None:
    """Replace the "Agenda" section of docs/benchmarks.md (or append it), leaving the others alone."""
    wall = [r.seconds for r in runs]
    median = statistics.median(wall)
    worst = max(renders.values())
    section = [
        SECTION,
        "",
        f"{dt.date.today().isoformat()}, `python bench/agenda.py --runs {len(runs)}`. Machine: {machine()}.",
        "",
        f"A stand-up of {runs[0].people} people on a {TASKS:,}-task plan, the sandbox in its own process at "
        f"{LATENCY_MS} ms per HTTP round trip: connect, find the next stand-up, load plan, descriptions and the "
        "series' previous occurrences, build and render the Word agenda.",
        "",
        "| measure | figure | target |",
        "|---|---|---|",
        f"| end to end, median (min–max) of {len(runs)} | **{median:.2f} s** ({min(wall):.2f}–{max(wall):.2f}) | "
        f"< {TARGET_SECONDS} s |",
        f"| Graph round trips (the token's not counted) | {runs[0].round_trips} | |",
        f"| rendering alone, median of 20, worst kind | **{worst:.0f} ms** ({_renders(renders)}) | "
        f"< {TARGET_RENDER_MS} ms |",
        "",
    ]
    write_section(SECTION, section)


def _renders(renders: dict[str, float]) -> str:
    return ", ".join(f"{kind} {ms:.0f}" for kind, ms in renders.items())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    data = tenant()
    atlas = parse_projects({"projects": demo_projects(data)}, source="bench")["atlas"]
    with sandbox(data, now=NOW, latency_ms=LATENCY_MS) as endpoint, tempfile.TemporaryDirectory() as tmp:
        del data  # the child serves it; a CLI process holds no tenant, and a big heap slows the collector
        gc.collect()
        end_to_end(endpoint, atlas, Path(tmp))  # warm-up: imports, TLS, first template parse
        runs = [end_to_end(endpoint, atlas, Path(tmp)) for _ in range(args.runs)]
        renders = render_times(endpoint, atlas, Path(tmp))
    wall = [r.seconds for r in runs]
    print(f"machine: {machine()}")
    print(f"stand-up of {runs[0].people} people, {TASKS:,} tasks, {LATENCY_MS} ms latency: "
          f"median {statistics.median(wall):.2f} s (min {min(wall):.2f}, max {max(wall):.2f}), "
          f"{runs[0].round_trips} round trips, {runs[0].document_bytes:,} bytes")  # fmt: skip
    print(f"rendering alone (median of 20, ms): {_renders(renders)}")
    met = statistics.median(wall) < TARGET_SECONDS and max(renders.values()) < TARGET_RENDER_MS
    print(
        f"targets (< {TARGET_SECONDS} s end to end, < {TARGET_RENDER_MS} ms per document): {'met' if met else 'NOT met'}"
    )
    if not args.no_docs:
        write_docs(runs, renders)


if __name__ == "__main__":
    main()
