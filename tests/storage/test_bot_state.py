"""The bot's state in the database: conversation references, and the replay guard whose second insert loses."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.bot.conversations import ConversationReference
from assistant.storage.bot_state import BotConversations, SeenActivities
from assistant.storage.db import Database

NOW = dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
TEAM = "0f1e2d3c-aaaa-bbbb-cccc-000000000001"
GENERAL = "19:general@thread.tacv2"
ATLAS = "19:atlas@thread.tacv2"


def ref(conversation: str, *, channel: str | None = None, group: str | None = None, url: str = "https://smba/emea/"):
    return ConversationReference(
        service_url=url, conversation_id=conversation, channel_id="msteams", tenant_id="tenant", bot_id="28:bot",
        teams_channel=channel or conversation, team_thread=GENERAL, team_group=group,
    )  # fmt: skip


def test_a_reference_is_saved_and_refreshed(database: Database) -> None:
    store = BotConversations(database)
    store.save(ref(GENERAL, group=TEAM), now=NOW)
    store.save(ref(GENERAL, url="https://smba/amer/"), now=NOW + HOUR)  # a later message, without the group
    [found] = store.all()
    assert found.service_url == "https://smba/amer/" and found.team_group == TEAM  # the team is not forgotten
    assert found.updated_at == NOW + HOUR and store.get(GENERAL) == found


def test_a_channel_is_reached_by_its_own_reference_or_its_teams_install(database: Database) -> None:
    store = BotConversations(database)
    assert store.for_channel(TEAM, ATLAS) is None
    store.save(ref(GENERAL, group=TEAM), now=NOW)  # the install event names the team
    found = store.for_channel(TEAM, ATLAS)
    assert found is not None and found.conversation_id == GENERAL
    store.save(ref(ATLAS, url="https://smba/atlas/"), now=NOW - HOUR)  # spoken to in the channel itself
    found = store.for_channel(TEAM, ATLAS)
    assert found is not None and found.conversation_id == ATLAS
    assert store.for_channel("another-team", "19:other@thread.tacv2") is None


def test_a_channel_of_the_same_team_is_found_through_the_team_thread(database: Database) -> None:
    store = BotConversations(database)
    store.save(ref("19:other@thread.tacv2"), now=NOW)  # no group id on messages, but the team's thread
    store.save(ref(GENERAL, group=TEAM), now=NOW - HOUR)
    found = store.for_channel(TEAM, ATLAS)
    assert found is not None and found.conversation_id == "19:other@thread.tacv2"  # the newest of the team's


def test_an_activity_is_seen_once_until_it_expires(database: Database) -> None:
    seen = SeenActivities(database)
    assert seen.first_sighting("bf|c|1", until=NOW + HOUR, now=NOW)
    assert not seen.first_sighting("bf|c|1", until=NOW + 2 * HOUR, now=NOW + dt.timedelta(minutes=30))
    assert seen.first_sighting("bf|c|2", until=NOW + HOUR, now=NOW)
    assert seen.first_sighting("bf|c|1", until=NOW + 3 * HOUR, now=NOW + 2 * HOUR)  # expired, then gone


def test_very_long_keys_are_kept_by_their_digest(database: Database) -> None:
    seen = SeenActivities(database)
    key = "bf|" + "x" * 2000
    assert seen.first_sighting(key, until=NOW + HOUR, now=NOW)
    assert not seen.first_sighting(key, until=NOW + HOUR, now=NOW)


def test_naive_times_are_refused(database: Database) -> None:
    with pytest.raises(ValueError, match="aware"):
        SeenActivities(database).first_sighting("k", until=NOW + HOUR, now=NOW.replace(tzinfo=None))


def test_of_concurrent_requests_with_one_activity_exactly_one_wins(database: Database) -> None:
    """The same activity replayed at the same moment (two threads, own connections): the second insert loses."""
    workers = 8
    start = threading.Barrier(workers)
    seen = SeenActivities(database)

    def attempt() -> bool:
        start.wait()
        return seen.first_sighting("bf|19:c|1772607600000", until=NOW + HOUR, now=NOW)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = [f.result(timeout=60) for f in [pool.submit(attempt) for _ in range(workers)]]
    assert sorted(results) == [False] * (workers - 1) + [True]


def test_a_team_the_bot_left_is_forgotten_with_all_its_channels(database: Database) -> None:
    store = BotConversations(database)
    store.save(ref(GENERAL, group=TEAM), now=NOW)  # the install
    store.save(ref(ATLAS), now=NOW)  # a channel of the same team (by its team thread)
    other = ConversationReference(
        service_url="https://smba/emea/", conversation_id="19:other@thread.tacv2", channel_id="msteams",
        tenant_id="tenant", bot_id="28:bot", teams_channel="19:other@thread.tacv2",
        team_thread="19:other-general@thread.tacv2", team_group="another-team",
    )  # fmt: skip
    store.save(other, now=NOW)
    assert store.forget_team(GENERAL, TEAM) == 2
    assert [r.conversation_id for r in store.all()] == ["19:other@thread.tacv2"]
    assert store.for_channel(TEAM, ATLAS) is None
    assert store.forget_team(None, None) == 0
