"""How long a Teams user waits for each bot command's answer, with Graph at 50 ms per round trip.

    python bench/bot_latency.py [--repeat 5] [--meeting-under-way] [--docs]
                                                                  (needs the test extra: pip install -e '.[test]')

Issue 6: "Fast commands answer within 1 s at 50 ms Graph latency; anything slower (a document) answers 'on it' at
once and posts the result when ready." Two tenants, each served by a sandbox in its own process at
`FaultSettings(latency_ms=50)` (bench/sandbox_process.py): the demo tenant (project Atlas, its channel), and the
status bench's plan (bench/status_report.py: 2,000 tasks, 25 people, `project_for`: the team's General channel).

The app is the real one, as tests/scenarios/test_bot_in_channel.py runs it: `make_server` (cheroot, HTTP on
loopback) in a thread of this process, its clock pinned to the sandbox's, pointed at the sandbox for Graph, for
its Bot Connector token (MSAL) and for the channel's signing keys. Each command is the activity Teams sends for
a channel post that @mentions the bot (`channel_message` of assistant/sandbox/teams_channel.py, a new thread
each time), with a channel token the sandbox signs (`POST /_sandbox/bot/token`), POSTed to /api/messages. The
time counts from just before that POST until the sandbox's Bot Connector has recorded the reply: a watcher in
its own process (so its polling takes no GIL from the app) polls `GET /_sandbox/bot/activities?conversationId=`
every `--poll-ms` (5 ms) and notes when each reply first shows. A reply "On it…" without a card is an interim
answer: the watcher then waits for the result too (first reply, final reply).

Where the time goes is measured inside the app, by wrapping public methods of this process's classes (nothing
in assistant/ is changed): `Router.handle` (the command's immediate work), the deferred work a `Reply` carries
(`later`), `BotConnector.reply` (each post to the Bot Connector) and every `GraphClient` round trip (a request
hook; a round trip's interval is [end - seconds, end], and "Graph busy" is the union of those intervals, so
round trips in flight together count once); and this process's CPU time (the app's threads; the client only
POSTs). Each command runs once to warm up (imports, tokens, keys, caches: the figures are a warm server's),
then `--repeat` times, round robin over the commands; then `--repeat` times more with the sandbox's latency
set to `--baseline-latency-ms` (0; `PUT /_sandbox/faults`): the difference is what the latency costs.

The rate limit is lifted (COORDINATOR_BOT_RATE_LIMIT=999999/1): the app's clock stands still with the sandbox's,
so a 20/60 window would never reopen. The sandbox adds its latency to Graph (/v1.0) only; the token endpoint and
the Bot Connector answer at loopback speed, where Teams' Bot Connector is itself a round trip away.

`note` and `decision` need a meeting under way (or one that ended today). At the benchmarks' instant
(Wed 4 Mar 2026, 07:00 UTC) neither tenant has one, so they are skipped with the reason printed, unless
`--meeting-under-way` adds one to the project's calendar through `POST /_sandbox/calendars/…/events`, just
before `note` first runs: from 15 minutes before that instant to 45 after, so it is neither the next meeting
(`agenda` skips one under way) nor the last that ended (`minutes`). `--docs` appends the section
"## Bot command latency" to docs/benchmarks.md when it is not there yet; otherwise the markdown is printed only.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import json
import multiprocessing
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests` (settings helper) sits beside bench/


from assistant.app import drain, make_server
from assistant.bot.activity import Reply
from assistant.bot.bot import Bot
from assistant.bot.connector import BotConnector
from assistant.bot.router import Router
from assistant.graph.client import Exchange, GraphClient
from assistant.graph.http import PinnedSession
from assistant.projects import parse_projects, render_projects_toml
from assistant.sandbox.botframework import metadata_url
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.context import Sandbox
from assistant.sandbox.demo_tenant import DEMO_APP_SECRET, DEMO_BOT_APP_ID, build_demo_tenant, demo_projects
from assistant.sandbox.state import SandboxState
from assistant.sandbox.teams_channel import channel_message
from assistant.services.meeting_notes import meeting_for_notes
from bench.docs_section import DOCS
from bench.plan_load import LATENCY_MS, NOW, big_plan_tenant, machine
from bench.sandbox_process import Endpoint, sandbox
from bench.status_report import project_for
from tests.graph.conftest import settings_from

SECTION = "## Bot command latency"
TARGET_SECONDS = 1.0
REPLY_TIMEOUT = 60.0  # seconds to wait for a command's final reply before calling it missing
INTERIM = re.compile(r"\s*on it\b", re.IGNORECASE)  # texts.ON_IT_*: "On it: drafting the agenda for …"
NOTE_COMMANDS = ("note", "decision")
COMMANDS = (
    "help",
    "projects",
    "status",
    "late",
    "due",
    "due 14",
    "workload",
    "risks",
    "actions",
    "agenda",
    "minutes",
    "note the docks flicker after sleep",
    "decision roll back to firmware 1.0.14",
    "schedule status 0 9 * * MON",
)
FAILURE = re.compile(r"(Sorry|I answer at most|I don't know the command)")  # texts.FAILED*, RATE_LIMITED, UNKNOWN


# ------------------------------------------------------------------------------------------------ the tenants
@dataclass(frozen=True)
class Scenario:
    label: str  # the table's "plan" column
    tenant: dict[str, Any]
    projects: dict[str, dict[str, Any]]  # the projects file's tables
    key: str  # the project the commands are asked in (by its channel)


def demo_scenario() -> Scenario:
    tenant = build_demo_tenant(NOW)
    projects = demo_projects(tenant)
    atlas = next(p for p in tenant["plans"] if p["id"] == projects["atlas"]["plan_id"])
    return Scenario(f"demo: Atlas, {len(atlas['tasks'])} tasks", tenant, projects, "atlas")


def big_scenario() -> Scenario:
    """The status bench's plan and project (bench/status_report.py), as a projects-file table."""
    tenant, plan = big_plan_tenant()
    project = project_for(tenant, plan)
    table = {"name": project.name, "plan_id": project.plan_id, "team_id": project.team_id,
             "channel_id": project.channel_id, "calendar": project.calendar, "meetings": list(project.meetings),
             "timezone": project.timezone}  # fmt: skip
    assert parse_projects({"projects": {project.key: table}}, source="bench")[project.key] == project
    people = len({uid for task in tenant["plans"][0]["tasks"] for uid in task["assignments"]})
    label = f"{len(tenant['plans'][0]['tasks']):,} tasks, {people} people"
    return Scenario(label, tenant, {project.key: table}, project.key)


def channel_side(tenant: dict[str, Any]) -> Sandbox:
    """What `channel_message` reads to build Teams' activity (users, teams, bots), without the tenant's plans and
    calendars: this process runs the app, whose heap should hold no tenant."""
    slim = {name: tenant[name] for name in ("tenant", "users", "applications", "teams", "bots")}
    return cast(Sandbox, SimpleNamespace(state=SandboxState(slim), clock=SandboxClock.frozen_at(NOW)))


def meeting_under_way(tenant: dict[str, Any], project: dict[str, Any]) -> dict[str, Any]:
    """A one-off meeting of the project, from 15 minutes before NOW to 45 after, with its series' attendees."""
    keyword = project["meetings"][0]
    series = next(e for e in tenant["calendars"][project["calendar"]] if e["subject"].startswith(keyword))
    start = NOW - dt.timedelta(minutes=15)

    def when(moment: dt.datetime) -> dict[str, str]:
        return {"dateTime": moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}

    return {"subject": f"{keyword} working session", "categories": [keyword], "type": "singleInstance",
            "start": when(start), "end": when(start + dt.timedelta(hours=1)), "isAllDay": False,
            "isCancelled": False, "isOnlineMeeting": False, "showAs": "busy",
            "organizer": series["organizer"], "attendees": series["attendees"]}  # fmt: skip


# ------------------------------------------------------------------------------------------------ the watcher
def _watch(url: str, ca_bundle: str, poll_seconds: float, pipe: Pipe) -> None:
    """Child process: for each conversation asked about, poll the Bot Connector's record until a final reply
    shows (or REPLY_TIMEOUT), and answer [(monotonic time first seen, activity), ...]."""
    http = PinnedSession(Path(ca_bundle))
    while True:
        try:
            conversation = pipe.recv()
        except EOFError:
            return
        if conversation is None:
            return
        seen: dict[str, tuple[float, dict[str, Any]]] = {}
        deadline = time.monotonic() + REPLY_TIMEOUT
        pipe.send("watching")
        while time.monotonic() < deadline:
            asked = time.monotonic()
            response = http.get(f"{url}/_sandbox/bot/activities", params={"conversationId": conversation})
            arrived = time.monotonic()
            for activity in response.json()["value"]:
                seen.setdefault(activity["id"], (arrived, activity))
            if any(not interim(a) for _, a in seen.values()):
                break
            time.sleep(max(0.0, poll_seconds - (time.monotonic() - asked)))
        pipe.send(sorted(seen.values(), key=lambda pair: pair[0]))


def interim(activity: dict[str, Any]) -> bool:
    """An "on it" answer: the result follows in the same thread."""
    return not activity.get("attachments") and bool(INTERIM.match(activity.get("text") or ""))


@contextlib.contextmanager
def watcher(endpoint: Endpoint, poll_seconds: float) -> Iterator[Pipe]:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_watch, args=(endpoint.url, endpoint.ca_bundle, poll_seconds, theirs), daemon=True)
    process.start()
    theirs.close()
    try:
        yield ours
    finally:
        with contextlib.suppress(OSError):
            ours.send(None)
        process.join(timeout=10)


# ------------------------------------------------------------------------------------------------ instrumentation
@dataclass(frozen=True)
class Span:
    kind: str  # activity | handle | later | post | graph | gc
    start: float  # time.monotonic()
    end: float
    what: str = ""  # a round trip's method and route: "GET /planner/plans/{id}/tasks"


SPANS: list[Span] = []  # appended from the app's threads (list.append is atomic)


def instrument() -> None:
    """Wrap, in this process only, the methods whose time the diagnosis splits: see the module docstring."""

    def timed(kind: str, work: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.monotonic()
            try:
                return work(*args, **kwargs)
            finally:
                SPANS.append(Span(kind, start, time.monotonic()))

        return run

    handle = timed("handle", Router.handle)

    def handle_and_time_later(router: Router, request: Any) -> Reply:
        reply: Reply = handle(router, request)
        return dataclasses.replace(reply, later=timed("later", reply.later)) if reply.later is not None else reply

    setattr(Router, "handle", handle_and_time_later)  # noqa: B010 - mypy refuses assigning to a method
    setattr(Bot, "on_activity", timed("activity", Bot.on_activity))  # noqa: B010
    setattr(BotConnector, "reply", timed("post", BotConnector.reply))  # noqa: B010
    made = GraphClient.__init__

    def hooked(client: GraphClient, *args: Any, **kwargs: Any) -> None:
        made(client, *args, **kwargs)
        client.hooks.append(lambda exchange: _graph_span(exchange))

    setattr(GraphClient, "__init__", hooked)  # noqa: B010
    started: list[float] = []

    def collecting(phase: str, info: dict[str, int]) -> None:  # the cyclic collector's pauses, any thread's
        if phase == "start":
            started.append(time.monotonic())
        elif started:
            SPANS.append(Span("gc", started.pop(), time.monotonic(), f"generation {info['generation']}"))

    gc.callbacks.append(collecting)


def _graph_span(exchange: Exchange) -> None:
    end = time.monotonic()
    SPANS.append(Span("graph", end - exchange.seconds, end, f"{exchange.method} {route(exchange.url)}"))


def route(url: str) -> str:
    """The path after /v1.0 with ids, mailboxes and other long segments as {id}."""
    path = re.sub(r"^https?://[^/]+(/v1\.0)?", "", url.split("?", 1)[0])
    return "/".join("{id}" if len(part) > 15 else part for part in path.split("/"))


def busy(spans: Sequence[Span], within: Span) -> float:
    """The length of the union of the spans' intervals, clipped to `within`'s: round trips in flight together
    count once."""
    total, reach = 0.0, within.start
    for span in sorted(spans, key=lambda s: s.start):
        end = min(span.end, within.end)
        if span.start < within.end and end > reach:
            total += end - max(span.start, reach)
            reach = end
    return total


# ------------------------------------------------------------------------------------------------ one command
@dataclass(frozen=True)
class Sample:
    first: float  # seconds from the POST until the first reply showed
    final: float  # … until the final one (== first for a single reply)
    replies: int
    status: int  # what /api/messages answered
    before: float  # POST until the handler starts: HTTP, token, replay guard, conversation reference
    handler: float  # Router.handle: the immediate work
    later: float  # the deferred work (a document), 0 without
    graph_in_handler: float  # Graph busy while the handler ran (`busy`)
    graph_in_later: float  # … while the deferred work ran
    cpu: float  # CPU time of this process (the app; the client's share is a POST), POST to final reply
    gc: float  # time in the cyclic garbage collector, POST to final reply
    round_trips: int
    calls: tuple[str, ...]  # the round trips' "METHOD route", in order
    posts: float  # time in BotConnector.reply (every reply)
    text: str  # the final reply's first line


class Client:
    """Teams' side: builds and signs each activity, POSTs it, asks the watcher when its replies showed."""

    def __init__(self, endpoint: Endpoint, channel: Sandbox, channel_id: str, app_url: str, watching: Pipe) -> None:
        self.connector = f"{endpoint.url}/botconnector/"
        self.channel, self.channel_id, self.app_url, self.watching = channel, channel_id, app_url, watching
        bot = next(iter(channel.state.bots.values()))
        self.http = PinnedSession(Path(endpoint.ca_bundle))
        answer = self.http.post(
            f"{endpoint.url}/_sandbox/bot/token", json={"appId": bot["appId"], "serviceUrl": self.connector}
        )
        answer.raise_for_status()
        self.token = answer.json()["token"]  # valid an hour of the sandbox's clock, which stands still
        self.app = PinnedSession(None)
        self.message_id = int(NOW.timestamp() * 1000) - 3_600_000  # below the ids the sandbox gives its replies

    def say(self, text: str) -> Sample:
        self.message_id += 1
        activity, _ = channel_message(
            self.channel, channel_id=self.channel_id, user_key=None, text=text, service_url=self.connector,
            message_id=str(self.message_id),
        )  # fmt: skip
        conversation = activity["conversation"]["id"]
        self.watching.send(conversation)
        assert self.watching.recv() == "watching"
        mark = len(SPANS)
        cpu = time.process_time()
        sent = time.monotonic()
        status = self.app.post(
            self.app_url, json=activity, headers={"Authorization": f"Bearer {self.token}"}, timeout=60
        ).status_code
        seen: list[tuple[float, dict[str, Any]]] = self.watching.recv()
        if not seen:
            raise RuntimeError(f"{text!r}: no reply within {REPLY_TIMEOUT:.0f} s (HTTP {status})")
        if interim(seen[-1][1]):
            raise RuntimeError(f"{text!r}: only the interim reply within {REPLY_TIMEOUT:.0f} s")
        spans = self._spans(mark, len(seen))
        handle = next(s for s in spans if s.kind == "handle")
        later = next((s for s in spans if s.kind == "later"), None)
        graph = [s for s in spans if s.kind == "graph"]
        return Sample(
            first=seen[0][0] - sent,
            final=seen[-1][0] - sent,
            replies=len(seen),
            status=status,
            before=handle.start - sent,
            handler=handle.end - handle.start,
            later=later.end - later.start if later is not None else 0.0,
            graph_in_handler=busy(graph, handle),
            graph_in_later=busy(graph, later) if later is not None else 0.0,
            cpu=time.process_time() - cpu,
            gc=sum(s.end - s.start for s in spans if s.kind == "gc"),
            round_trips=len(graph),
            calls=tuple(s.what for s in graph),
            posts=sum(s.end - s.start for s in spans if s.kind == "post"),
            text=(seen[-1][1].get("text") or "(a card only)").splitlines()[0],
        )

    @staticmethod
    def _spans(mark: int, replies: int) -> list[Span]:
        """This command's spans, once its last post to the Bot Connector has returned (it is recorded first)."""
        deadline = time.monotonic() + 5
        while sum(1 for s in SPANS[mark:] if s.kind == "post") < replies and time.monotonic() < deadline:
            time.sleep(0.001)
        return SPANS[mark:]


# ------------------------------------------------------------------------------------------------ one tenant
@dataclass
class Result:
    command: str
    plan: str
    cold: Sample | None = None
    samples: list[Sample] = field(default_factory=list)
    skipped: str | None = None
    baseline: list[Sample] = field(default_factory=list)  # the same, at the baseline latency


def run_scenario(
    scenario: Scenario, repeat: int, poll_seconds: float, latency_ms: int, baseline_ms: int | None, add_meeting: bool
) -> list[Result]:
    project = scenario.projects[scenario.key]
    event = meeting_under_way(scenario.tenant, project) if add_meeting else None
    channel = channel_side(scenario.tenant)
    with (
        sandbox(scenario.tenant, now=NOW, latency_ms=latency_ms) as endpoint,
        tempfile.TemporaryDirectory() as tmp,
        watcher(endpoint, poll_seconds) as watching,
        served_app(endpoint, scenario.projects, Path(tmp)) as app_url,
    ):
        # The child has its own copy. This one would stay referenced (by `sandbox`'s frame and its Process) while
        # the app runs here, and a heap holding the 2,000-task tenant makes every full collection ~30 ms longer
        # (62 → 94 ms in a check): the app's process holds no tenant in production.
        scenario.tenant.clear()
        gc.collect()
        client = Client(endpoint, channel, project["channel_id"], app_url, watching)
        parsed = parse_projects({"projects": scenario.projects}, source="bench")[scenario.key]
        graph = GraphClient(f"{endpoint.url}/v1.0", lambda: endpoint.token, PinnedSession(Path(endpoint.ca_bundle)))
        results = {text: Result(command_name(text), scenario.label) for text in COMMANDS}
        for text in COMMANDS:
            if text.split()[0] in NOTE_COMMANDS and event is not None:
                added = client.http.post(f"{endpoint.url}/_sandbox/calendars/{parsed.calendar}/events", json=event)
                added.raise_for_status()
                event = None
            if text.split()[0] in NOTE_COMMANDS and meeting_for_notes(graph, parsed, NOW) is None:
                results[text].skipped = (
                    f"no meeting of {parsed.name} under way at {NOW:%a %d %b %Y %H:%M} UTC and none ended that day "
                    "(run with --meeting-under-way to add one)"
                )
                print(f"  {results[text].command}: skipped, {results[text].skipped}", flush=True)
                continue
            results[text].cold = sample = client.say(text)
            print(f"  warm-up {results[text].command}: {sample.first:.3f} s → {sample.text[:100]}", flush=True)
            if sample.status >= 400 or FAILURE.match(sample.text):
                raise RuntimeError(f"{text!r} failed: HTTP {sample.status}, {sample.text!r}")
        timed(client, results, repeat, lambda result: result.samples)
        if baseline_ms is not None:
            print(f"  again at {baseline_ms} ms latency", flush=True)
            faults = client.http.put(f"{endpoint.url}/_sandbox/faults", json={"latency_ms": baseline_ms})
            faults.raise_for_status()
            timed(client, results, repeat, lambda result: result.baseline)
        stray = extra_replies(client, results)
        if stray:
            print(f"  NOTE: replies arrived after the final one was seen: {stray}", flush=True)
    return list(results.values())


def timed(client: Client, results: dict[str, Result], repeat: int, into: Callable[[Result], list[Sample]]) -> None:
    """`repeat` rounds over the commands (round robin), each answer checked."""
    for _ in range(repeat):
        for text, result in results.items():
            if result.skipped is None:
                into(result).append(sample := client.say(text))
                if sample.status >= 400 or FAILURE.match(sample.text):
                    raise RuntimeError(f"{text!r} failed: HTTP {sample.status}, {sample.text!r}")


@contextlib.contextmanager
def served_app(endpoint: Endpoint, projects: dict[str, dict[str, Any]], folder: Path) -> Iterator[str]:
    """The app as the scenario tests serve it: `make_server` on loopback, in a thread, the clock pinned."""
    path = folder / "coordinator.toml"
    path.write_text(render_projects_toml(projects), encoding="utf-8")
    env = {
        **endpoint.env,
        "COORDINATOR_BOT_APP_ID": DEMO_BOT_APP_ID,
        "COORDINATOR_BOT_APP_SECRET": DEMO_APP_SECRET,
        "COORDINATOR_BOT_OPENID_METADATA": metadata_url(endpoint.url),
        "COORDINATOR_PROJECTS": str(path),
        "COORDINATOR_BOT_RATE_LIMIT": "999999/1",  # the bench sends far more than a person types
    }
    settings = settings_from(env, data_dir=folder / "data")
    server = make_server(settings, "127.0.0.1", 0, clock=lambda: NOW, freeze=True)  # as `coordinator serve` does
    thread = threading.Thread(target=server.serve, name="coordinator-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.bind_addr[1]}/api/messages"
    finally:
        server.stop()
        drain(server.wsgi_app)
        thread.join(timeout=5)


def extra_replies(client: Client, results: dict[str, Result]) -> str:
    """Replies the Bot Connector recorded beyond those seen when each command's final reply showed: a command
    that answers more than "on it" and a result would show here, its extra replies untimed."""
    recorded = client.http.get(f"{client.connector.removesuffix('botconnector/')}_sandbox/bot/activities")
    total = len(recorded.json()["value"])
    seen = sum(s.replies for r in results.values() for s in ([r.cold] if r.cold else []) + r.samples + r.baseline)
    return "" if total == seen else f"{total} recorded, {seen} seen"


def command_name(text: str) -> str:
    words = text.split()
    return words[0] if words[0] in NOTE_COMMANDS else text


# ------------------------------------------------------------------------------------------------ output
def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def median_of(samples: Sequence[Sample], pick: Callable[[Sample], float]) -> float:
    return statistics.median(pick(s) for s in samples)


def summary_rows(results: Sequence[Result]) -> list[str]:
    rows = [
        "| command | plan | first reply: median (min–max) | final reply: median (min–max) | Graph round trips | "
        "over 1 s? |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.skipped is not None:
            rows.append(f"| `{r.command}` | {r.plan} | skipped: {r.skipped} | | | |")
            continue
        first, final = [s.first for s in r.samples], [s.final for s in r.samples]
        two = any(s.replies > 1 for s in r.samples)
        final_text = f"{statistics.median(final):.2f} s ({min(final):.2f}–{max(final):.2f})" if two else "same"
        trips = sorted({s.round_trips for s in r.samples})
        if statistics.median(first) > TARGET_SECONDS:
            flag = "**OVER** (median)"
        elif max(first) > TARGET_SECONDS:
            flag = f"max {max(first):.2f} s"
        elif two and statistics.median(final) > TARGET_SECONDS:
            flag = "final reply only (a document)"
        else:
            flag = ""
        rows.append(
            f"| `{r.command}` | {r.plan} | **{statistics.median(first):.2f} s** ({min(first):.2f}–{max(first):.2f}) "
            f"| {final_text} | {_spread(trips)} | {flag} |"
        )
    return rows


def diagnosis_rows(results: Sequence[Result], baseline_ms: int | None) -> list[str]:
    rows = [
        "| command | plan | POST → handler | handler: Graph busy + the rest | deferred work (a document): Graph "
        "busy + the rest | posts to the Bot Connector | CPU of the app (in the garbage collector) | "
        + (f"at {baseline_ms} ms latency: first (final) reply |" if baseline_ms is not None else "– |"),
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.skipped is not None:
            continue
        s = r.samples
        handler = _split(s, lambda x: x.handler, lambda x: x.graph_in_handler)
        deferred = _split(s, lambda x: x.later, lambda x: x.graph_in_later) if any(x.later for x in s) else "–"
        rows.append(
            f"| `{r.command}` | {r.plan} | {ms(median_of(s, lambda x: x.before))} ms | {handler} | {deferred} "
            f"| {ms(median_of(s, lambda x: x.posts))} ms | {ms(median_of(s, lambda x: x.cpu))} ms "
            f"({ms(median_of(s, lambda x: x.gc))} ms) "
            f"| {_baseline(r.baseline)} |"
        )
    return rows


def _split(samples: Sequence[Sample], total: Callable[[Sample], float], graph: Callable[[Sample], float]) -> str:
    whole, waiting = median_of(samples, total), median_of(samples, graph)
    return f"**{ms(whole)} ms**: {ms(waiting)} + {ms(median_of(samples, lambda x: total(x) - graph(x)))}"


def _baseline(samples: Sequence[Sample]) -> str:
    if not samples:
        return "not run"
    first, final = median_of(samples, lambda x: x.first), median_of(samples, lambda x: x.final)
    return f"{ms(first)} ms" + (f" ({ms(final)} ms)" if any(x.replies > 1 for x in samples) else "")


def _spread(values: list[int]) -> str:
    return f"{values[0]}" if len(values) == 1 else f"{values[0]}–{values[-1]}"


def markdown(
    results: Sequence[Result], argv: str, latency_ms: int, baseline_ms: int | None, poll_ms: float, loads: Sequence[str]
) -> list[str]:
    def over(pick: Callable[[list[float]], float]) -> str:
        found = [f"`{r.command}` ({r.plan})" for r in results if r.samples and pick([x.first for x in r.samples]) > 1]
        return ", ".join(found) or "none"

    return [
        SECTION,
        "",
        f"{dt.date.today().isoformat()}, `{argv}`, {revision()}. Machine: {machine()}; 1-minute load "
        f"average {', '.join(loads)} (at the start, then after each tenant, this bench's own processes included).",
        "",
        f"The real app (`make_server`, in a thread) answering signed channel activities, the sandbox in its own "
        f"process at {latency_ms} ms per Graph round trip; time from the POST to /api/messages until the sandbox's "
        f"Bot Connector has recorded the reply (polled every {poll_ms:g} ms from a third process). Warm server: "
        "each command ran once before the timed runs. Issue 6's target: a fast command answers within 1 s; a "
        "document answers “on it” at once and posts the result when ready (final reply).",
        "",
        *summary_rows(results),
        "",
        f"First reply over 1 s, median: {over(statistics.median)}; in a single run: {over(max)}.",
        "",
        "Where the time goes, medians, measured in the app: POST → handler (HTTP, token check, replay guard, "
        "conversation reference); the command's handler (`Router.handle`) and a document's deferred work, each "
        "split into Graph busy (the union of its Graph round trips' intervals: round trips in flight together "
        "count once) and the rest (the app's own work between round trips: parsing, analysis, rendering, "
        "database); the posts to the Bot Connector (all replies); the app's CPU time (all its threads, so work "
        "done while other round trips are in flight counts too) and, of it, the cyclic garbage collector's "
        "pauses (`gc.callbacks`); and the same commands with the sandbox's "
        + (
            f"latency set to {baseline_ms} (`PUT /_sandbox/faults`, same server, after the timed runs): the "
            f"difference from the first table is what the {latency_ms - baseline_ms} ms per round trip costs."
            if baseline_ms is not None
            else "latency not varied (--baseline-latency-ms -1)."
        ),
        "",
        *diagnosis_rows(results, baseline_ms),
    ]


def write_docs(lines: list[str]) -> None:
    """Append the section when docs/benchmarks.md has none; never rewrite the file (others append to it too)."""
    if f"\n{SECTION}\n" in DOCS.read_text(encoding="utf-8"):
        print(f"docs/benchmarks.md already has “{SECTION}”: replace it by hand with the markdown above")
        return
    with DOCS.open("a", encoding="utf-8") as docs:
        docs.write("\n" + "\n".join(lines) + "\n")
    print(f"appended “{SECTION}” to docs/benchmarks.md")


def revision() -> str:
    """The commit measured, and whether assistant/ differs from it (figures of a working tree in flux say so)."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "assistant"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    names = [line[3:] for line in dirty]
    changed = ", ".join(names) if len(names) <= 3 else f"{len(names)} files in assistant/"
    return f"commit {head}" + (f" with uncommitted changes to {changed}" if dirty else "")


def calls_text(calls: Sequence[str]) -> str:
    counted = Counter(calls)
    return ", ".join(f"{n} × {what}" for what, n in counted.items())


def load_average() -> str:
    """The 1-minute load average, to tell a quiet machine's figures from a busy one's."""
    path = Path("/proc/loadavg")
    return path.read_text().split()[0] if path.exists() else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--poll-ms", type=float, default=5.0, help="how often the watcher polls (≤ 10, default 5)")
    parser.add_argument("--latency-ms", type=int, default=LATENCY_MS, help="per Graph round trip (default 50)")
    parser.add_argument(
        "--baseline-latency-ms", type=int, default=0, help="then again at this latency (default 0; -1: not)"
    )
    parser.add_argument("--meeting-under-way", action="store_true", help="add a meeting so note/decision run")
    parser.add_argument("--only", choices=("demo", "big"), help="one tenant only")
    parser.add_argument("--docs", action="store_true", help="append the section to docs/benchmarks.md")
    args = parser.parse_args()
    assert 0 < args.poll_ms <= 10, "poll at 10 ms or faster"
    baseline = args.baseline_latency_ms if args.baseline_latency_ms >= 0 else None
    instrument()
    results: list[Result] = []
    code = revision()
    loads = [load_average()]
    print(f"machine: {machine()}; load average {loads[0]}", flush=True)
    builders = {"demo": demo_scenario, "big": big_scenario}
    for name, build in builders.items():
        if args.only not in (None, name):
            continue
        scenario = build()
        print(f"{scenario.label}: {args.repeat} runs per command after a warm-up", flush=True)
        results += run_scenario(
            scenario, args.repeat, args.poll_ms / 1000, args.latency_ms, baseline, args.meeting_under_way
        )
        del scenario
        gc.collect()
        loads.append(load_average())
    if revision() != code:
        print(f"WARNING: the code changed during the run: {code} at the start, {revision()} at the end")
    results.sort(key=lambda r: COMMANDS.index(next(t for t in COMMANDS if command_name(t) == r.command)))
    argv = "python bench/bot_latency.py" + "".join(f" {a}" for a in sys.argv[1:] if a != "--docs")
    lines = markdown(results, argv, args.latency_ms, baseline, args.poll_ms, loads)
    print()
    print("\n".join(lines))
    print("\ncold (first call after start-up), first reply:")
    for r in results:
        if r.cold is not None:
            print(f"  {r.command:<30} {r.plan:<28} {r.cold.first:.3f} s  final {r.cold.final:.3f} s")
    print("\nGraph round trips of the last timed run:")
    for r in results:
        if r.samples and r.samples[-1].calls:
            print(f"  {r.command:<30} {r.plan:<28} {calls_text(r.samples[-1].calls)}")
    print(json.dumps({"machine": machine(), "code": revision()}))
    if args.docs:
        write_docs(lines)


if __name__ == "__main__":
    main()
