"""JSON batching: many Graph requests in few round trips.

https://learn.microsoft.com/graph/json-batching: at most 20 requests per `$batch`; `url` relative to the
version; `headers` with `Content-Type` whenever there is a body; `dependsOn` orders requests and a failed
dependency answers 424; the outer status is 200 even when inner requests fail; answers come in any order;
each inner request is throttled on its own, so an inner 429 is retried here with the same policy as a
direct call (only the throttled items, and the 424s that waited on them, go again).

Longer lists are sent 20 at a time, in order. A dependency that landed in an earlier chunk is already
answered: if it failed the dependant gets a 424 here without a round trip, else it goes without `dependsOn`.

`BatchPipeline` is for requests that become known while others are still loading (the details of the tasks
on a Planner page while the next page loads): they wait for a full `$batch`, or ride along with the one
request that must go now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from requests.structures import CaseInsensitiveDict

from assistant.graph.client import GraphClient, error_from_parts, json_of
from assistant.graph.errors import TransportError
from assistant.graph.retry import RETRY_STATUSES, may_retry

MAX_PER_BATCH = 20
FAILED_DEPENDENCY = 424


@dataclass(frozen=True)
class BatchItem:
    id: str
    url: str  # relative to the version: "/planner/plans/{id}/details"
    method: str = "GET"
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchResult:
    item: BatchItem
    status: int
    headers: Mapping[str, str]
    body: Any

    @property
    def ok(self) -> bool:
        return self.status < 400

    def json(self) -> Any:
        """The body of a successful answer, or the typed error a direct call would have raised."""
        if self.ok:
            return self.body if self.body is not None else {}
        error = self.body.get("error", {}) if isinstance(self.body, dict) else {}
        raise error_from_parts(self.item.method, self.item.url, self.status, error, self.headers)


def run_batch(client: GraphClient, items: Sequence[BatchItem], concurrency: int = 1) -> dict[str, BatchResult]:
    """Answers by item id, for every item; failures are results too (call `.json()` to raise them).

    With `concurrency` > 1 and no `dependsOn`, that many chunks are in flight at once: the round trips are
    the same, the wall time shorter. (Outlook allows 4 concurrent requests per mailbox: stay at 4 or below.)
    """
    _check(items)
    chunks = [list(items[n : n + MAX_PER_BATCH]) for n in range(0, len(items), MAX_PER_BATCH)]
    results: dict[str, BatchResult] = {}
    if concurrency > 1 and len(chunks) > 1 and not any(item.depends_on for item in items):
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="graph-batch") as pool:
            for answered in pool.map(lambda chunk: _run_chunk(client, chunk, {}), chunks):
                results.update(answered)
        return results
    for chunk in chunks:
        results.update(_run_chunk(client, chunk, results))
    return results


class BatchPipeline:
    """Independent reads sent as they become known, in as few `$batch`es as Graph allows.

    `lead(items)` sends its items at once (a chain like Planner's pages, where each request is known only
    from the answer before it) and fills that `$batch` up to 20 with waiting requests; `lead_answer()` waits
    for it. Requests `add`ed otherwise wait for a full `$batch` of 20 while a lead may still take them along;
    `finish()` sends the rest and answers every request by id. At most `concurrency` `$batch`es are in flight,
    one of them kept for the lead, so a lead never waits behind the others. Each `$batch` retries its
    throttled items like `run_batch`; requests must not use `dependsOn`.

        with BatchPipeline(client) as pipe:
            pipe.lead([first_page]); page = pipe.lead_answer()["first"].json()
            pipe.add(details_of(page)); pipe.lead([next_page]); ...
            answers = pipe.finish()
    """

    def __init__(self, client: GraphClient, concurrency: int = 4) -> None:
        if concurrency < 2:
            raise ValueError("a pipeline needs a $batch in flight for the lead and at least one for the rest")
        self._client = client
        self._concurrency = concurrency
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="graph-pipeline")
        self._waiting: list[BatchItem] = []
        self._running: set[Future[dict[str, BatchResult]]] = set()
        self._lead: tuple[list[str], Future[dict[str, BatchResult]]] | None = None
        self._leading = False  # from the first lead until finish(): one slot stays free for the next lead
        self._ids: set[str] = set()
        self._answers: dict[str, BatchResult] = {}

    def __enter__(self) -> BatchPipeline:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def add(self, items: Iterable[BatchItem]) -> None:
        """Queue requests: the next lead takes them along first, full `$batch`es take the rest as slots free up."""
        self._waiting.extend(self._checked(items))

    def lead(self, items: Sequence[BatchItem]) -> None:
        """Send `items` now, with waiting requests filling the `$batch` up to 20."""
        if self._lead is not None:
            raise RuntimeError("one lead at a time: wait for lead_answer() first")
        mine = self._checked(items)
        if not 0 < len(mine) <= MAX_PER_BATCH:
            raise ValueError(f"a lead has 1 to {MAX_PER_BATCH} requests, not {len(mine)}")
        room = MAX_PER_BATCH - len(mine)
        riders, self._waiting = self._waiting[:room], self._waiting[room:]
        self._leading = True
        self._lead = ([i.id for i in mine], self._pool.submit(_run_chunk, self._client, mine + riders, {}))
        self._dispatch(final=False)

    def lead_answer(self) -> dict[str, BatchResult]:
        """The answers to the lead's own requests, once they are in (other `$batch`es keep going meanwhile)."""
        if self._lead is None:
            raise RuntimeError("no lead was sent")
        ids, future = self._lead
        while not future.done():
            done, _ = wait({future, *self._running}, return_when=FIRST_COMPLETED)
            self._collect(done - {future})
            self._dispatch(final=False)
        self._lead = None
        self._answers.update(future.result())
        return {i: self._answers[i] for i in ids}

    def finish(self) -> dict[str, BatchResult]:
        """Send every waiting request (the last `$batch` may be partial) and answer all of them by id."""
        if self._lead is not None:
            self.lead_answer()
        self._leading = False
        self._dispatch(final=True)
        while self._running:
            done, _ = wait(self._running, return_when=FIRST_COMPLETED)
            self._collect(done)
            self._dispatch(final=True)
        return dict(self._answers)

    def _checked(self, items: Iterable[BatchItem]) -> list[BatchItem]:
        checked = list(items)
        for item in checked:
            key = item.id.casefold()
            if key in self._ids:
                raise ValueError(f"batch item id {item.id!r} is used twice (ids are compared ignoring case)")
            if item.depends_on:
                raise ValueError(f"batch item {item.id!r}: a pipeline sends requests without dependsOn")
            self._ids.add(key)
        return checked

    def _dispatch(self, final: bool) -> None:
        """Start full `$batch`es (any size when `final`) while slots are free; one stays free for a lead."""
        self._collect({future for future in self._running if future.done()})
        slots = self._concurrency - (1 if self._leading else 0)
        while self._waiting and len(self._running) < slots and (final or len(self._waiting) >= MAX_PER_BATCH):
            chunk, self._waiting = self._waiting[:MAX_PER_BATCH], self._waiting[MAX_PER_BATCH:]
            self._running.add(self._pool.submit(_run_chunk, self._client, chunk, {}))

    def _collect(self, done: set[Future[dict[str, BatchResult]]]) -> None:
        for future in done:
            self._running.discard(future)
            self._answers.update(future.result())  # a transport failure or an exhausted retry raises here


def _check(items: Sequence[BatchItem]) -> None:
    seen: set[str] = set()
    for item in items:
        key = item.id.casefold()
        if key in seen:
            raise ValueError(f"batch item id {item.id!r} is used twice (ids are compared ignoring case)")
        missing = [d for d in item.depends_on if d.casefold() not in seen]
        if missing:
            raise ValueError(f"batch item {item.id!r} depends on {missing}, which must come before it")
        if item.body is not None and not item.url.startswith("/"):
            raise ValueError(f"batch item {item.id!r}: url must be relative to the version, like /me/events")
        seen.add(key)


def _run_chunk(client: GraphClient, chunk: list[BatchItem], earlier: dict[str, BatchResult]) -> dict[str, BatchResult]:
    """One chunk, with rounds of retries for the items Graph throttled."""
    done: dict[str, BatchResult] = {}
    pending = chunk
    policy = client.policy
    started = policy.monotonic()
    attempt = 0
    while pending:
        attempt += 1
        answers = _send(client, pending, {**earlier, **done})
        again = _retriable(pending, answers)
        done.update({i.id: answers[i.id] for i in pending if i.id not in again})
        if not again:
            break
        wait = max(policy.delay(attempt, answers[i].headers) for i in again)
        if not policy.allows(attempt, started, wait):
            done.update({i: answers[i] for i in again})
            break
        policy.sleep(wait)
        pending = [i for i in pending if i.id in again]
    return done


def _retriable(items: list[BatchItem], answers: dict[str, BatchResult]) -> set[str]:
    """Throttled items that may go again, and the 424s that failed only because of them (they never ran)."""
    again: set[str] = set()
    for item in items:  # dependencies come first, so `again` already holds them
        result = answers[item.id]
        if result.status in RETRY_STATUSES and may_retry(item.method, result.status, item.headers):
            again.add(item.id)
        elif result.status == FAILED_DEPENDENCY:
            causes = [d for d in item.depends_on if d in answers and not answers[d].ok]
            if causes and all(d in again for d in causes):
                again.add(item.id)
    return again


def _send(client: GraphClient, items: list[BatchItem], answered: dict[str, BatchResult]) -> dict[str, BatchResult]:
    results: dict[str, BatchResult] = {}
    wire = []
    for item in items:
        known = {**answered, **results}
        failed = [d for d in item.depends_on if d in known and not known[d].ok]
        if failed:
            results[item.id] = _failed_dependency(item, failed)
        else:
            wire.append(_wire(item, waiting=[d for d in item.depends_on if d not in known]))
    if wire:
        reads_only = all(r["method"] == "GET" for r in wire)
        answer = json_of(client.request("POST", "/$batch", json_body={"requests": wire}, idempotent=reads_only))
        results.update(_parse(answer, items, [r["id"] for r in wire]))
    return results


def _wire(item: BatchItem, waiting: list[str]) -> dict[str, Any]:
    request: dict[str, Any] = {"id": item.id, "method": item.method, "url": item.url}
    headers = dict(item.headers)
    if item.body is not None:
        headers.setdefault("Content-Type", "application/json")
        request["body"] = item.body
    if headers:
        request["headers"] = headers
    if waiting:
        request["dependsOn"] = waiting
    return request


def _parse(answer: dict[str, Any], items: list[BatchItem], sent: list[str]) -> dict[str, BatchResult]:
    by_id = {item.id: item for item in items}
    responses = [r for r in answer.get("responses", []) if str(r.get("id")) in sent]
    missing = sorted(set(sent) - {str(r["id"]) for r in responses})
    if missing:
        raise TransportError(f"Graph $batch answered without responses for {', '.join(missing)}")
    results = {}
    for raw in responses:
        item = by_id[str(raw["id"])]
        headers: Mapping[str, str] = CaseInsensitiveDict(raw.get("headers") or {})
        results[item.id] = BatchResult(item, int(raw["status"]), headers, raw.get("body"))
    return results


def _failed_dependency(item: BatchItem, failed: list[str]) -> BatchResult:
    message = f"Dependent request {', '.join(failed)} failed"
    return BatchResult(item, FAILED_DEPENDENCY, {}, {"error": {"code": "FailedDependency", "message": message}})
