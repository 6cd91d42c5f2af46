"""The deliveries table on SQLite and PostgreSQL: claims that hold under concurrency, records of each step."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from assistant.storage.db import Database
from assistant.storage.deliveries import Claim, DeliveryStore
from assistant.storage.errors import StaleState

NOW = datetime(2026, 3, 4, 7, 0, 0, 123456, tzinfo=UTC)
LATER = NOW + timedelta(minutes=3)
KEY = "apollo/status/2026-02-26..2026-03-04"
WHERE = {"project": "apollo", "report": "status", "period": "2026-02-26..2026-03-04"}


@pytest.fixture
def store(database: Database) -> DeliveryStore:
    return DeliveryStore(database)


def test_the_table_has_the_documented_columns(database: Database) -> None:
    columns = {column["name"] for column in inspect(database.engine).get_columns("deliveries")}
    assert columns == {
        "id", "idempotency_key", "project", "report", "period", "status", "run", "method", "message_id",
        "document_url", "error", "attempts", "created_at", "updated_at",
    }  # fmt: skip
    unique = inspect(database.engine).get_unique_constraints("deliveries")
    assert [u["column_names"] for u in unique] == [["idempotency_key"]]


def test_a_first_claim_inserts_a_pending_run_1(store: DeliveryStore) -> None:
    claim = store.claim(KEY, now=NOW, **WHERE)
    assert claim.won
    record = claim.record
    assert (record.key, record.status, record.run, record.attempts) == (KEY, "pending", 1, ())
    assert record.created_at == NOW == record.updated_at  # microseconds and zone survive the round trip
    assert store.get(KEY) == record


def test_a_second_claim_finds_the_row_and_does_not_win(store: DeliveryStore) -> None:
    store.claim(KEY, now=NOW, **WHERE)
    again = store.claim(KEY, now=LATER, **WHERE, retake=("failed", "partial"))
    assert not again.won and again.record.status == "pending" and again.record.run == 1


def test_steps_are_appended_and_a_finish_records_the_outcome(store: DeliveryStore) -> None:
    store.claim(KEY, now=NOW, **WHERE)
    store.record_document(KEY, 1, "https://contoso/r.docx", now=NOW, attempt={"step": "document", "outcome": "filed"})
    store.record_attempt(
        KEY, 1, {"step": "card", "method": "workflows", "outcome": "failed", "detail": "é 500"}, now=NOW
    )
    store.record_attempt(KEY, 1, {"step": "card", "method": "graph", "outcome": "delivered"}, now=LATER)
    record = store.finish(KEY, 1, "delivered", now=LATER, method="graph", message_id="1772607600000")
    assert (record.status, record.method, record.message_id) == ("delivered", "graph", "1772607600000")
    assert record.document_url == "https://contoso/r.docx"
    assert [a["outcome"] for a in record.attempts] == ["filed", "failed", "delivered"]
    assert record.attempts[1]["detail"] == "é 500"
    assert record.updated_at == LATER and record.created_at == NOW


def test_a_failed_row_is_taken_over_as_the_next_run(store: DeliveryStore) -> None:
    store.claim(KEY, now=NOW, **WHERE)
    store.record_document(KEY, 1, "https://contoso/r.docx", now=NOW, attempt={"outcome": "filed"})
    store.finish(KEY, 1, "partial", now=NOW, error="card not posted")
    claim = store.claim(KEY, now=LATER, **WHERE, retake=("failed", "partial"))
    assert claim.won
    record = claim.record
    assert (record.status, record.run, record.error, record.document_url) == ("pending", 2, None, None)
    assert record.attempts == ({"outcome": "filed"},)  # the history of run 1 stays


def test_a_taken_over_run_cannot_write_any_more(store: DeliveryStore) -> None:
    store.claim(KEY, now=NOW, **WHERE)
    assert store.claim(KEY, now=LATER, **WHERE, retake=("pending",)).won  # a forced run takes it over
    with pytest.raises(StaleState, match="expected version 1, found version 2"):
        store.record_attempt(KEY, 1, {"outcome": "delivered"}, now=LATER)
    with pytest.raises(StaleState):
        store.finish(KEY, 1, "delivered", now=LATER)
    assert store.get(KEY).status == "pending"  # type: ignore[union-attr]


def test_for_project_lists_newest_first(store: DeliveryStore) -> None:
    store.claim("apollo/status/a", project="apollo", report="status", period="a", now=NOW)
    store.claim("apollo/status/b", project="apollo", report="status", period="b", now=LATER)
    store.claim("atlas/status/a", project="atlas", report="status", period="a", now=LATER)
    assert [r.key for r in store.for_project("apollo")] == ["apollo/status/b", "apollo/status/a"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.claim(KEY, now=NOW.replace(tzinfo=None), **WHERE), "aware"),
        (lambda s: s.claim(KEY, now=NOW, **WHERE, retake=("gone",)), "unknown delivery statuses"),
        (lambda s: s.finish(KEY, 1, "pending", now=NOW), "cannot be 'pending'"),
    ],
)
def test_bad_arguments_are_refused(store: DeliveryStore, call: Callable[[DeliveryStore], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call(store)


def test_the_database_refuses_unknown_statuses(database: Database) -> None:
    with pytest.raises(IntegrityError, match="(?i)check"), database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO deliveries (idempotency_key, project, report, period, status, run, attempts, created_at,"
                " updated_at) VALUES ('k', 'p', 'status', 'x', 'sent', 1, '[]', :at, :at)"
            ),
            {"at": "2026-03-04 07:00:00"},
        )


def _race(claims: int, claim: Callable[[], Claim]) -> list[Claim]:
    start = threading.Barrier(claims)

    def attempt(_: int) -> Claim:
        start.wait()
        return claim()

    with ThreadPoolExecutor(max_workers=claims) as pool:
        return list(pool.map(attempt, range(claims)))


def test_exactly_one_of_many_concurrent_first_claims_wins(store: DeliveryStore) -> None:
    results = _race(8, lambda: store.claim(KEY, now=NOW, **WHERE))
    assert sum(r.won for r in results) == 1
    assert {r.record.run for r in results} == {1}


def test_exactly_one_of_many_concurrent_retries_wins(store: DeliveryStore) -> None:
    store.claim(KEY, now=NOW, **WHERE)
    store.finish(KEY, 1, "failed", now=NOW, error="nothing filed")
    results = _race(8, lambda: store.claim(KEY, now=LATER, **WHERE, retake=("failed", "partial")))
    assert sum(r.won for r in results) == 1
    assert store.get(KEY).run == 2  # type: ignore[union-attr]
