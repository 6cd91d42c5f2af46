"""StateStore: JSON round trips and compare-and-set that holds under real concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest

from assistant.storage.db import Database
from assistant.storage.errors import StaleState, StorageError
from assistant.storage.state import Json, StateEntry, StateStore

# A fixed instant with microseconds, so round trips prove nothing is truncated.
NOW = datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


@pytest.fixture
def store(database: Database) -> StateStore:
    return StateStore(database)


def _stored(store: StateStore, namespace: str, key: str) -> StateEntry:
    entry = store.get(namespace, key)
    assert entry is not None, f"{namespace}/{key} missing"
    return entry


@pytest.mark.parametrize(
    "value",
    [
        {"deltaLink": "https://graph.microsoft.com/v1.0/me/events/delta?$deltatoken=abc", "n": 3},
        {"名前": "Jürgen Ødegård 🚀", "nested": {"list": [1, 2.5, True, None, {"deep": ["x"]}]}},
        ["a", 1, [], {}],
        "NUL \x00 and a lone surrogate \ud800 survive",
        42,
        None,
    ],
)
def test_put_then_get_returns_the_same_json(store: StateStore, value: Json) -> None:
    written = store.put("graph.delta", "project-1", value, now=NOW)
    assert written == StateEntry(value=value, version=1, updated_at=NOW)
    assert store.get("graph.delta", "project-1") == written


def test_get_of_a_missing_key_is_none(store: StateStore) -> None:
    assert store.get("graph.delta", "nothing-here") is None


def test_namespaces_keep_equal_keys_apart(store: StateStore) -> None:
    store.put("a", "k", 1, now=NOW)
    store.put("b", "k", 2, now=NOW)
    assert [_stored(store, ns, "k").value for ns in ("a", "b")] == [1, 2]


def test_updated_at_comes_back_as_the_same_instant_in_utc(store: StateStore) -> None:
    in_paris = NOW.astimezone(timezone(timedelta(hours=1)))
    entry = store.put("schedule", "cursor", "x", now=in_paris)
    stored = _stored(store, "schedule", "cursor")
    assert entry.updated_at == stored.updated_at == NOW
    assert stored.updated_at.tzinfo is UTC


def test_create_only_refuses_an_existing_key(store: StateStore) -> None:
    store.put("msal", "cache", {"v": 1}, now=NOW)
    with pytest.raises(StaleState) as caught:
        store.put("msal", "cache", {"v": 2}, now=LATER)
    assert (caught.value.expected_version, caught.value.current_version) == (None, 1)
    assert isinstance(caught.value, StorageError)
    assert store.get("msal", "cache") == StateEntry({"v": 1}, 1, NOW)


def test_update_with_the_current_version_bumps_it(store: StateStore) -> None:
    store.put("msal", "cache", {"v": 1}, now=NOW)
    written = store.put("msal", "cache", {"v": 2}, now=LATER, expected_version=1)
    assert written == StateEntry({"v": 2}, 2, LATER)
    assert store.get("msal", "cache") == written


def test_update_with_a_stale_version_raises_and_changes_nothing(store: StateStore) -> None:
    store.put("msal", "cache", {"v": 1}, now=NOW)
    store.put("msal", "cache", {"v": 2}, now=LATER, expected_version=1)
    with pytest.raises(StaleState) as caught:
        store.put("msal", "cache", {"v": "lost"}, now=LATER, expected_version=1)
    assert (caught.value.expected_version, caught.value.current_version) == (1, 2)
    assert store.get("msal", "cache") == StateEntry({"v": 2}, 2, LATER)


def test_update_of_a_missing_key_is_stale(store: StateStore) -> None:
    with pytest.raises(StaleState) as caught:
        store.put("msal", "cache", 1, now=NOW, expected_version=1)
    assert caught.value.current_version is None


def test_delete_removes_and_reports_whether_there_was_an_entry(store: StateStore) -> None:
    store.put("schedule", "cursor", 1, now=NOW)
    assert store.delete("schedule", "cursor") is True
    assert store.get("schedule", "cursor") is None
    assert store.delete("schedule", "cursor") is False
    assert store.put("schedule", "cursor", 2, now=LATER).version == 1  # a new life starts at 1 again


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.put("ns", "k", 1, now=datetime(2025, 1, 1)), "aware"),
        (lambda s: s.put("n" * 65, "k", 1, now=NOW), "namespace"),
        (lambda s: s.put("ns", "", 1, now=NOW), "key"),
        (lambda s: s.put("ns", "k", float("nan"), now=NOW), "JSON"),
        (lambda s: s.put("ns", "k", 1, now=NOW, expected_version=0), "expected_version"),
    ],
)
def test_bad_arguments_are_refused_before_touching_the_database(
    store: StateStore, call: Callable[[StateStore], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call(store)


def _race(store: StateStore, writers: int, write: Callable[[int], StateEntry]) -> list[int]:
    """Start `writers` threads at the same instant; return the ids of those whose write succeeded."""
    start = threading.Barrier(writers)

    def attempt(writer: int) -> int | None:
        start.wait()
        try:
            write(writer)
        except StaleState:
            return None
        return writer

    with ThreadPoolExecutor(max_workers=writers) as pool:
        outcomes = list(pool.map(attempt, range(writers)))
    return [writer for writer in outcomes if writer is not None]


def test_exactly_one_of_many_concurrent_updates_wins(store: StateStore) -> None:
    store.put("graph.delta", "project-1", {"writer": None}, now=NOW)
    read = store.get("graph.delta", "project-1")
    assert read is not None and read.version == 1  # every writer decides from this same read

    winners = _race(
        store,
        8,
        lambda w: store.put("graph.delta", "project-1", {"writer": w}, now=LATER, expected_version=1),
    )

    assert len(winners) == 1
    assert store.get("graph.delta", "project-1") == StateEntry({"writer": winners[0]}, 2, LATER)


def test_exactly_one_of_many_concurrent_creates_wins(store: StateStore) -> None:
    winners = _race(store, 8, lambda w: store.put("graph.delta", "new", {"writer": w}, now=NOW))
    assert len(winners) == 1
    assert store.get("graph.delta", "new") == StateEntry({"writer": winners[0]}, 1, NOW)
