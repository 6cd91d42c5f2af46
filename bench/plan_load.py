"""Load a 2,000-task Planner plan with 25 assignees at 50 ms added latency: Coordinator beside msgraph-sdk.

    python bench/plan_load.py [--runs 5]      (needs the test extra: pip install -e '.[test]')

The tenant is the demo tenant reshaped to one plan of 2,000 tasks, each assigned to one or more of exactly 25
people. The sandbox runs in a child process, so the client's wall time and memory are not shared with the
server's threads. Each variant loads plan, details, buckets, every task page and the 25 assignees' names, and
the result is checked (2,000 tasks, the 25 expected names) before its figures count. Per variant: one warm-up
load, `--runs` timed loads (median, min–max), one load in a fresh process for the growth of peak RSS, and
(Coordinator only) one load under tracemalloc. msgraph-sdk cannot be traced in reasonable time: every entity it
deserialises runs the 2,388 function-level imports of `Entity.get_field_deserializers`
(msgraph/generated/models/entity.py); under tracemalloc 100 Planner tasks took 205 s instead of 0.6 s.
The latency is the sandbox's `FaultSettings(latency_ms=50)`: 50 ms per HTTP round trip, a `$batch` once.
Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import gc
import json
import multiprocessing
import os
import platform
import re
import ssl
import statistics
import sys
import textwrap
import time
import tracemalloc
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests` (token, SDK wiring) sits beside bench/

import httpx
from azure.core.credentials import AccessToken
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_abstractions.request_information import RequestInformation
from kiota_authentication_azure.azure_identity_authentication_provider import AzureIdentityAuthenticationProvider
from kiota_serialization_json.json_parse_node import JsonParseNode
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.planner_bucket_collection_response import PlannerBucketCollectionResponse
from msgraph.generated.models.planner_plan import PlannerPlan
from msgraph.generated.models.planner_plan_details import PlannerPlanDetails
from msgraph.generated.models.planner_task import PlannerTask
from msgraph.generated.models.planner_task_collection_response import PlannerTaskCollectionResponse
from msgraph.generated.models.user import User
from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder
from msgraph.graph_request_adapter import options as graph_middleware_options
from msgraph_core import GraphClientFactory
from msgraph_core.tasks.page_iterator import PageIterator

from assistant.graph.client import Exchange, GraphClient
from assistant.graph.http import PinnedSession
from assistant.graph.people import USER_FIELDS, PeopleDirectory
from assistant.graph.planner import load_plan_snapshot
from assistant.sandbox.demo_tenant import build_demo_tenant
from bench.docs_section import write_section
from bench.sandbox_process import Endpoint, sandbox
from tests.conftest import GRAPH_SCOPE

NOW = dt.datetime(2026, 3, 4, 7, tzinfo=dt.UTC)
TASKS = 2000
ASSIGNEES = 25
LATENCY_MS = 50
TARGET_ROUND_TRIPS = 8
TARGET_SECONDS = 1.0
SECTION = "## Plan load"

# Eleven more colleagues, shaped like the demo's people (Microsoft's fictitious sample names).
EXTRA_PEOPLE = (
    ("Adele", "Vance", "Business Analyst", "IT Project Office"),
    ("Alex", "Wilber", "Desktop Support Technician", "IT Service Desk"),
    ("Christie", "Cline", "Buyer", "Procurement"),
    ("Debra", "Berger", "Administrative Assistant", "Executive Office"),
    ("Enrico", "Cattaneo", "Systems Engineer", "IT Infrastructure"),
    ("Irvin", "Sayers", "Identity Engineer", "IT Security"),
    ("Lee", "Gu", "Network Engineer", "IT Infrastructure"),
    ("Lidia", "Holloway", "Product Manager", "IT Project Office"),
    ("Nestor", "Wilke", "Endpoint Engineer", "IT Workplace Services"),
    ("Patti", "Fernandez", "Change Analyst", "IT Project Office"),
    ("Pradeep", "Gupta", "Accountant", "Finance"),
)


# ------------------------------------------------------------------------------------------------- tenant
@dataclass(frozen=True)
class BigPlan:
    id: str
    title: str
    buckets: int
    names: dict[str, str]  # assignee id -> displayName


def big_plan_tenant() -> tuple[dict[str, Any], BigPlan]:
    """The demo tenant with one plan (the first demo project): 2,000 tasks, each assigned, across 25 people."""
    per_cycle = len(build_demo_tenant(NOW)["plans"][0]["tasks"])
    tenant = build_demo_tenant(NOW, scale=-(-TASKS // per_cycle))
    people = [u for u in tenant["users"] if u.get("jobTitle") != "Service account"]
    domain = tenant["tenant"]["domain"]
    for given, surname, job, department in EXTRA_PEOPLE[: ASSIGNEES - len(people)]:
        upn = f"{given}.{surname}@{domain}".lower()
        person = {**people[0], "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-user:{upn}")),
                  "displayName": f"{given} {surname}", "givenName": given, "surname": surname, "mail": upn,
                  "userPrincipalName": upn, "jobTitle": job, "department": department, "officeLocation": None,
                  "businessPhones": [], "mobilePhone": None}  # fmt: skip
        tenant["users"].append(person)
        people.append(person)
    people = people[:ASSIGNEES]
    plan = tenant["plans"][0]
    tenant["plans"] = [plan]
    plan["tasks"] = plan["tasks"][:TASKS]
    plan["details"]["sharedWith"] = {u["id"]: True for u in tenant["users"]}
    for index, task in enumerate(plan["tasks"]):
        count = max(1, len(task["assignments"]))
        chosen = [people[(index + 11 * k) % ASSIGNEES]["id"] for k in range(count)]  # 11 ⟂ 25: distinct
        task["assignments"] = {
            uid: {"@odata.type": "#microsoft.graph.plannerAssignment", "assignedBy": task["createdBy"],
                  "assignedDateTime": task["createdDateTime"], "orderHint": f"{task['orderHint'][:14]}{k}!"}
            for k, uid in enumerate(chosen)
        }  # fmt: skip
        task["assigneePriority"] = task["assigneePriority"] or task["orderHint"]
        if task.get("completedBy"):
            task["completedBy"] = {"user": {"id": chosen[0]}}
    assigned = {uid for task in plan["tasks"] for uid in task["assignments"]}
    assert len(plan["tasks"]) == TASKS and len(assigned) == ASSIGNEES
    names = {u["id"]: u["displayName"] for u in people}
    return tenant, BigPlan(plan["id"], plan["title"], len(plan["buckets"]), names)


# ------------------------------------------------------------------------------------------------ sandbox
class Counters:
    """The sandbox's own count of Graph requests served (a `$batch` and each request inside it)."""

    def __init__(self, endpoint: Endpoint) -> None:
        self._url = f"{endpoint.url}/_sandbox"
        self._http = PinnedSession(Path(endpoint.ca_bundle))

    def reset(self) -> None:
        self._http.post(f"{self._url}/reset", params={"what": "counters"}).raise_for_status()

    def served(self) -> int:
        response = self._http.get(f"{self._url}/requests")
        response.raise_for_status()
        return int(response.json()["total"])


# ------------------------------------------------------------------------------------------------ measuring
@dataclass
class Meter:
    trace: bool
    seconds: float = 0.0
    peak: int | None = None


@contextlib.contextmanager
def metered(trace: bool) -> Iterator[Meter]:
    """Wall time of the block, and with `trace` its tracemalloc peak (allocations made inside the block)."""
    meter = Meter(trace)
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        yield meter
    finally:
        meter.seconds = time.perf_counter() - start
        if trace:
            meter.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()


@dataclass(frozen=True)
class Sample:
    round_trips: int
    served: int
    seconds: float
    peak: int | None
    calls: tuple[str, ...]  # "GET /planner/plans/{plan}/tasks", one per round trip


def verify(variant: str, tasks: int, names: Iterable[str], plan: BigPlan) -> None:
    """Figures count only for a correct load."""
    got = set(names)
    if tasks != TASKS or got != set(plan.names.values()):
        missing, extra = sorted(set(plan.names.values()) - got), sorted(got - set(plan.names.values()))
        raise AssertionError(f"{variant}: {tasks} tasks; names missing {missing}, unexpected {extra}")


def route(url: str, plan: BigPlan) -> str:
    path = re.sub(r"^https://[^/]+/v1\.0", "", url.split("?", 1)[0]).replace(plan.id, "{plan}")
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}", path)


# ------------------------------------------------------------------------------------------------ Coordinator
def ours(endpoint: Endpoint, plan: BigPlan, trace: bool) -> tuple[Meter, int, list[str]]:
    client = GraphClient(f"{endpoint.url}/v1.0", lambda: endpoint.token, PinnedSession(Path(endpoint.ca_bundle)))
    calls: list[str] = []

    def record(exchange: Exchange) -> None:
        calls.append(f"{exchange.method} {route(exchange.url, plan)}")

    client.hooks.append(record)
    people = PeopleDirectory(client)
    with metered(trace) as meter:
        snapshot = load_plan_snapshot(client, plan.id, people)
    assert snapshot.plan.title == plan.title and len(snapshot.plan.buckets) == plan.buckets
    verify("coordinator", len(snapshot.tasks), (p.name for t in snapshot.tasks for p in t.assignees), plan)
    return meter, client.round_trips, calls


# ------------------------------------------------------------------------------------------------ msgraph-sdk
class StaticTokenCredential:
    """An azure-core `TokenCredential` handing out the one token fetched before the load."""

    def __init__(self, token: str) -> None:
        self._token = AccessToken(token, int(time.time()) + 3600)

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return self._token


class Sdk:
    """A `GraphServiceClient` on the sandbox, wired as tests/sandbox/sdk_oracle.py does, counting round trips
    with an httpx request hook."""

    def __init__(self, endpoint: Endpoint, plan: BigPlan) -> None:
        self.calls: list[str] = []
        self._plan = plan
        tls = ssl.create_default_context(cafile=endpoint.ca_bundle)
        self.http = httpx.AsyncClient(verify=tls, event_hooks={"request": [self._count]})
        transport = GraphClientFactory.create_with_default_middleware(
            client=self.http, options=graph_middleware_options
        )
        auth = AzureIdentityAuthenticationProvider(StaticTokenCredential(endpoint.token), scopes=[GRAPH_SCOPE])
        self.adapter = GraphRequestAdapter(auth, client=transport)
        self.adapter.base_url = f"{endpoint.url}/v1.0"
        self.client = GraphServiceClient(request_adapter=self.adapter)

    async def _count(self, request: httpx.Request) -> None:
        self.calls.append(f"{request.method} {route(str(request.url), self._plan)}")


@dataclass
class SdkPlan:
    plan: PlannerPlan | None
    details: PlannerPlanDetails | None
    buckets: list[Any] = field(default_factory=list)
    tasks: list[PlannerTask] = field(default_factory=list)
    users: list[User | None] = field(default_factory=list)


def user_config() -> RequestConfiguration[UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters]:
    query = UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(select=USER_FIELDS.split(","))
    return RequestConfiguration(query_parameters=query)


def assignee_ids(tasks: list[PlannerTask]) -> list[str]:
    return sorted({uid for t in tasks if t.assignments for uid in t.assignments.additional_data})


async def every(sdk: Sdk, first: Any) -> list[Any]:
    """All items of a collection from its first page on, with the SDK's PageIterator (its documented way)."""
    items: list[Any] = []

    def keep(item: Any) -> bool:
        items.append(item)
        return True

    await PageIterator(first, sdk.adapter).iterate(keep)
    return items


async def sdk_sequential(sdk: Sdk, plan_id: str) -> SdkPlan:
    """One awaited call after the other, as the SDK's samples are written."""
    builder = sdk.client.planner.plans.by_planner_plan_id(plan_id)
    loaded = SdkPlan(await builder.get(), await builder.details.get())
    loaded.buckets = await every(sdk, await builder.buckets.get())
    loaded.tasks = await every(sdk, await builder.tasks.get())
    config = user_config()
    loaded.users = [await sdk.client.users.by_user_id(uid).get(config) for uid in assignee_ids(loaded.tasks)]
    return loaded


async def sdk_batched(sdk: Sdk, plan_id: str) -> SdkPlan:
    """msgraph-core's batch content (20 per request), shaped like Coordinator's load."""
    builder = sdk.client.planner.plans.by_planner_plan_id(plan_id)
    first = await batch(sdk, {
        "plan": builder.to_get_request_information(),
        "details": builder.details.to_get_request_information(),
        "buckets": builder.buckets.to_get_request_information(),
        "tasks": builder.tasks.to_get_request_information(),
    })  # fmt: skip
    loaded = SdkPlan(parse(PlannerPlan, first["plan"]), parse(PlannerPlanDetails, first["details"]))
    loaded.buckets = await every(sdk, parse(PlannerBucketCollectionResponse, first["buckets"]))
    loaded.tasks = await every(sdk, parse(PlannerTaskCollectionResponse, first["tasks"]))
    config = user_config()
    ids = assignee_ids(loaded.tasks)
    users = await batch(sdk, {str(n): sdk.client.users.by_user_id(uid).to_get_request_information(config)
                              for n, uid in enumerate(ids)})  # fmt: skip
    loaded.users = [parse(User, users[str(n)]) for n in range(len(ids))]
    return loaded


async def batch(sdk: Sdk, requests: dict[str, RequestInformation]) -> dict[str, Any]:
    """Bodies by request id. `client.batch.post()` cannot be used as documented with msgraph-core 1.5.2: its
    `BatchResponseItem` reads a JSON body with `get_bytes_value()`, which gives None, and
    `BatchResponseContent.response_body()` fails on a BytesIO; so the SDK's batch builder makes the request,
    the adapter sends it, and each body goes through the SDK's JSON parser."""
    from msgraph_core.requests.batch_request_content_collection import BatchRequestContentCollection
    from msgraph_core.requests.batch_request_item import BatchRequestItem

    collection = BatchRequestContentCollection()
    for key, info in requests.items():
        collection.add_batch_request_item(BatchRequestItem(info, id=key))
    bodies: dict[str, Any] = {}
    for content in collection.get_batch_requests_for_execution():
        info = await sdk.client.batch.to_post_request_information(content)
        raw = await sdk.adapter.send_primitive_async(info, "bytes", {})
        for answer in json.loads(raw)["responses"]:
            if int(answer["status"]) >= 400:
                raise AssertionError(f"batch item {answer['id']}: {answer['status']} {answer.get('body')}")
            bodies[str(answer["id"])] = answer["body"]
    return bodies


def parse(model: Any, body: Any) -> Any:
    return JsonParseNode(body).get_object_value(model)


def sdk_variant(load: Callable[[Sdk, str], Any]) -> Callable[[Endpoint, BigPlan, bool], tuple[Meter, int, list[str]]]:
    def run(endpoint: Endpoint, plan: BigPlan, trace: bool) -> tuple[Meter, int, list[str]]:
        async def go() -> tuple[Meter, SdkPlan, list[str]]:
            sdk = Sdk(endpoint, plan)
            try:
                with metered(trace) as meter:
                    loaded = await load(sdk, plan.id)
            finally:
                await sdk.http.aclose()
            return meter, loaded, sdk.calls

        meter, loaded, calls = asyncio.run(go())
        assert loaded.plan and loaded.plan.title == plan.title and len(loaded.buckets) == plan.buckets
        assert loaded.details is not None
        verify(load.__name__, len(loaded.tasks), (u.display_name or "" for u in loaded.users if u), plan)
        return meter, len(calls), calls

    return run


# ------------------------------------------------------------------------------------------------ harness
@dataclass(frozen=True)
class Variant:
    name: str
    what: str
    run: Callable[[Endpoint, BigPlan, bool], tuple[Meter, int, list[str]]]
    traceable: bool = False  # a load under tracemalloc finishes in seconds


VARIANTS = (
    Variant("Coordinator", "`load_plan_snapshot`: plan, details, buckets and task page 1 in one `$batch`, "
            "each further task page leading a `$batch` that the names ride in (`PeopleDirectory`, 15 ids per "
            "`$filter=id in (…)`)", ours, True),
    Variant("msgraph-sdk, sequential", "awaited calls one after another: plan, details, buckets, task pages "
            "with `PageIterator`, then `users.by_user_id(id).get()` per assignee", sdk_variant(sdk_sequential)),
    Variant("msgraph-sdk, batched", "the same with msgraph-core's `BatchRequestContentCollection`: plan, details, "
            "buckets, task page 1 in one batch, `PageIterator`, users 20 per batch", sdk_variant(sdk_batched)),
)  # fmt: skip


@dataclass
class Result:
    variant: Variant
    samples: list[Sample] = field(default_factory=list)
    rss: int | None = None  # growth of peak RSS during one load in a fresh process, bytes
    traced: int | None = None  # tracemalloc peak during one load, bytes

    @property
    def seconds(self) -> list[float]:
        return [s.seconds for s in self.samples]

    def calls(self, quote: str = "") -> str:
        counts = Counter(self.samples[0].calls)
        return ", ".join(f"{n} × {quote}{call}{quote}" for call, n in counts.items())


def sample(variant: Variant, endpoint: Endpoint, plan: BigPlan, counters: Counters, trace: bool) -> Sample:
    counters.reset()
    meter, round_trips, calls = variant.run(endpoint, plan, trace)
    return Sample(round_trips, counters.served(), meter.seconds, meter.peak, tuple(calls))


def measure(tenant: dict[str, Any], plan: BigPlan, runs: int) -> list[Result]:
    results = [Result(v) for v in VARIANTS]
    with sandbox(tenant, now=NOW, latency_ms=LATENCY_MS) as endpoint:
        counters = Counters(endpoint)

        def one(result: Result, trace: bool, label: str) -> Sample:
            taken = sample(result.variant, endpoint, plan, counters, trace)
            print(f"  {result.variant.name}, {label}: {taken.seconds:.2f} s", file=sys.stderr, flush=True)
            return taken

        for result in results:  # imports and first-use set-up of each library
            one(result, False, "warm-up")
        for run in range(runs):  # interleaved, so drift on the machine hits every variant alike
            for result in results:
                result.samples.append(one(result, False, f"run {run + 1}/{runs}"))
        for index, result in enumerate(results):
            result.rss = peak_rss_growth(index, endpoint, plan)
            print(f"  {result.variant.name}, fresh process: peak RSS +{mib(result.rss)}", file=sys.stderr, flush=True)
            if result.variant.traceable:
                result.traced = one(result, True, "under tracemalloc").peak
    return results


def peak_rss_growth(index: int, endpoint: Endpoint, plan: BigPlan) -> int | None:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=memory_worker, args=(index, endpoint, plan, theirs), daemon=True)
    process.start()
    theirs.close()
    try:
        growth: int | None = ours.recv()
    finally:
        process.join(timeout=30)
    return growth


def memory_worker(index: int, endpoint: Endpoint, plan: BigPlan, conn: Connection) -> None:
    """Child process: one load in a fresh interpreter; how far its peak RSS rose above the RSS before it.

    msgraph's models import most of the model package on first use (2,388 modules); one small parse
    does that before the baseline, so the figure is the load's own data, not code being loaded."""
    parse(PlannerTask, {"id": "warm-up", "title": "warm-up", "createdBy": {"user": {"id": "warm-up"}}})
    gc.collect()
    status = Path("/proc/self/status")
    if not status.exists():
        conn.send(None)
        return
    before = _status_kib(status, "VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark to the current RSS (Linux ≥ 4.0)
    VARIANTS[index].run(endpoint, plan, False)
    conn.send((_status_kib(status, "VmHWM") - before) * 1024)


def _status_kib(status: Path, key: str) -> int:
    found = re.search(rf"^{key}:\s*(\d+) kB", status.read_text(), re.M)
    assert found, key
    return int(found.group(1))


def mib(size: int | None) -> str:
    return "n/a" if size is None else f"{size / 2**20:.1f} MiB"


# ------------------------------------------------------------------------------------------------ report
def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M) if cpuinfo.exists() else []
    cpu = models[0].strip() if models else (platform.processor() or "unknown CPU")
    meminfo = Path("/proc/meminfo")
    total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.M) if meminfo.exists() else None
    memory = f", {int(total.group(1)) / 2**20:.0f} GiB" if total else ""
    return (f"{platform.platform()}, {cpu} ({os.cpu_count()} cores{memory}), "
            f"Python {platform.python_version()}")  # fmt: skip


def spread(values: list[int]) -> str:
    low, high = min(values), max(values)
    return f"{low}" if low == high else f"{low}–{high}"


def rows(results: list[Result]) -> list[list[str]]:
    table = []
    for r in results:
        times = r.seconds
        table.append([
            r.variant.name,
            spread([s.round_trips for s in r.samples]),
            spread([s.served for s in r.samples]),
            f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})",
            mib(r.rss),
            mib(r.traced) if r.variant.traceable else "n/a (too slow)",
        ])  # fmt: skip
    return table


HEADER = [
    "variant",
    "round trips",
    "Graph requests served",
    "wall: median (min–max)",
    "peak RSS growth",
    "tracemalloc peak",
]


def markdown(results: list[Result]) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    return lines


def console(title: str, results: list[Result]) -> None:
    table = [HEADER, *rows(results)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    print(f"\n{title}")
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for r in results:
        print(f"  {r.variant.name}: {r.calls()}")


def verdict(results: list[Result]) -> str:
    ours = results[0]
    trips = max(s.round_trips for s in ours.samples)
    wall = statistics.median(ours.seconds)
    met = trips <= TARGET_ROUND_TRIPS and wall < TARGET_SECONDS
    return (f"Coordinator: {trips} round trips, {wall:.2f} s median: target (≤ {TARGET_ROUND_TRIPS} round trips, "
            f"< {TARGET_SECONDS:.0f} s) {'met' if met else 'NOT met'}.")  # fmt: skip


def write_docs(results: list[Result], runs: int) -> None:
    """Replace the "Plan load" section of docs/benchmarks.md (or append it), leaving the others alone."""
    about = (
        f"One Planner plan of {TASKS:,} tasks assigned across {ASSIGNEES} people (the demo tenant reshaped) "
        f"from the sandbox at `FaultSettings(latency_ms={LATENCY_MS})` ({LATENCY_MS} ms per HTTP round trip): "
        "plan, details, buckets, every task page and the assignees' names, each load checked "
        f"({TASKS:,} tasks, the {ASSIGNEES} names) before it counts. The sandbox runs in its own process. Wall "
        f"time: median (min–max) of {runs} loads after a warm-up, each with a fresh client and connection. Peak "
        "RSS growth: how far the high-water mark rose during one load in a fresh process (after msgraph's models "
        "were imported). tracemalloc peak: Coordinator only; msgraph-sdk runs 2,388 function-level imports per "
        "entity it deserialises and crawls under tracemalloc (100 tasks: 205 s instead of 0.6 s). "
        "Graph requests served: what the sandbox handled, "
        f"the requests inside each `$batch` included. Target: ≤ {TARGET_ROUND_TRIPS} round trips, under "
        f"{TARGET_SECONDS:.0f} s."
    )
    section = [
        SECTION,
        "",
        f"{dt.date.today().isoformat()}, `python bench/plan_load.py`. Machine: {machine()}.",
        "",
        textwrap.fill(about, width=110, break_on_hyphens=False),
        "",
        *markdown(results),
        "",
        verdict(results),
        "",
        *[
            textwrap.fill(
                f"- {r.variant.name}: {r.variant.what}; {r.calls('`')}.",
                width=110,
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
            for r in results
        ],
        "",
    ]
    write_section(SECTION, section)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    tenant, plan = big_plan_tenant()
    print(f"machine: {machine()}")
    print(f"plan {plan.title!r}: {TASKS:,} tasks, {ASSIGNEES} assignees, {LATENCY_MS} ms per round trip")
    print("loading (each msgraph-sdk load takes several seconds):", file=sys.stderr, flush=True)
    results = measure(tenant, plan, args.runs)
    console(f"wall: median (min–max) of {args.runs} loads after a warm-up; memory: one load each", results)
    print(verdict(results))
    if not args.no_docs:
        write_docs(results, args.runs)
        print(f"wrote the {SECTION.removeprefix('## ')!r} section of docs/benchmarks.md")


if __name__ == "__main__":
    main()
