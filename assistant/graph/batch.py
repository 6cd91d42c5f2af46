"""JSON batching: many Graph requests in few round trips.

https://learn.microsoft.com/graph/json-batching: at most 20 requests per `$batch`; `url` relative to the
version; `headers` with `Content-Type` whenever there is a body; `dependsOn` orders requests and a failed
dependency answers 424; the outer status is 200 even when inner requests fail; answers come in any order;
each inner request is throttled on its own, so an inner 429 is retried here with the same policy as a
direct call (only the throttled items, and the 424s that waited on them, go again).

Longer lists are sent 20 at a time, in order. A dependency that landed in an earlier chunk is already
answered: if it failed the dependant gets a 424 here without a round trip, else it goes without `dependsOn`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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
