"""The tenant allow-list and the per-conversation rate limit, on their own (the endpoints: tests/web/test_admission.py)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest

from assistant.bot.activity import Activity
from assistant.bot.limits import RateLimiter, TenantAllowList, conversation_key, tenant_of
from tests.conftest import SettableClock

OURS = "0fd2c1be-9acb-5747-84a3-7bb460b10e62"
THEIRS = "2432b57b-0abd-43db-aa7b-16eadd115d34"


def activity(conversation: dict[str, Any] | None = None, **fields: Any) -> Activity:
    return Activity.model_validate(
        {"type": "message", "conversation": {"id": "19:abc@thread.tacv2;messageid=1", **(conversation or {})}, **fields}
    )


@pytest.mark.parametrize(
    ("conversation", "channel_data", "tenant"),
    [
        ({"tenantId": OURS}, {"tenant": {"id": THEIRS}}, OURS),  # the conversation's wins
        ({}, {"tenant": {"id": THEIRS.upper()}}, THEIRS),  # else channelData's, compared lower-case
        ({}, {"tenant": THEIRS}, None),  # not the shape Teams sends: no tenant
        ({}, {"tenant": {"id": 42}}, None),
        ({}, {}, None),
    ],
)
def test_the_tenant_of_an_activity(conversation, channel_data, tenant):
    assert tenant_of(activity(conversation, channelData=channel_data)) == tenant


def test_a_list_refuses_other_tenants_and_activities_naming_none():
    ours = TenantAllowList(frozenset({OURS}))
    assert ours.allows(OURS) and ours.allows(OURS.upper())
    assert not ours.allows(THEIRS) and not ours.allows(None)
    anyone = TenantAllowList(None)
    assert anyone.allows(THEIRS) and anyone.allows(None)


def test_a_channels_threads_are_one_conversation():
    first = activity({"id": "19:abc@thread.tacv2;messageid=1"})
    second = activity({"id": "19:abc@thread.tacv2;messageid=2"})
    assert conversation_key(first) == conversation_key(second) == "19:abc@thread.tacv2"
    assert conversation_key(activity({"id": "a:personal-chat"})) == "a:personal-chat"


def test_the_window_slides_and_the_wait_is_until_the_oldest_command_leaves_it():
    clock = SettableClock()
    limiter = RateLimiter(2, dt.timedelta(seconds=60), clock)
    assert limiter.take("c").allowed
    clock.advance(10)
    assert limiter.take("c").allowed
    clock.advance(10)
    refused = limiter.take("c")
    assert not refused.allowed and refused.wait == dt.timedelta(seconds=40)
    clock.advance(40)  # the first command leaves the window; the second (at 10 s) still counts
    assert limiter.take("c").allowed
    assert limiter.take("c").wait == dt.timedelta(seconds=10)


def test_only_the_first_refusal_of_a_wait_is_told():
    clock = SettableClock()
    limiter = RateLimiter(1, dt.timedelta(seconds=60), clock)
    assert limiter.take("c").allowed
    assert limiter.take("c").tell
    clock.advance(30)
    assert not limiter.take("c").tell  # still the same wait
    clock.advance(30)
    assert limiter.take("c").allowed
    assert limiter.take("c").tell  # a new wait: told again


def test_refusals_do_not_extend_the_wait():
    clock = SettableClock()
    limiter = RateLimiter(1, dt.timedelta(seconds=60), clock)
    limiter.take("c")
    for _ in range(50):
        clock.advance(1)
        limiter.take("c")
    clock.advance(10)
    assert limiter.take("c").allowed  # 60 s after the one admitted command, whatever came in between


def test_conversations_have_their_own_budgets():
    limiter = RateLimiter(1, dt.timedelta(seconds=60), SettableClock())
    assert limiter.take("a").allowed and limiter.take("b").allowed
    assert not limiter.take("a").allowed


def test_a_clock_set_back_never_asks_for_more_than_one_window():
    clock = SettableClock()
    limiter = RateLimiter(1, dt.timedelta(seconds=60), clock)
    limiter.take("c")
    clock.advance(-3600)
    assert limiter.take("c").wait == dt.timedelta(seconds=60)


def test_idle_conversations_are_forgotten_but_recent_ones_are_not():
    clock = SettableClock()
    limiter = RateLimiter(1, dt.timedelta(seconds=60), clock)
    for n in range(2000):
        limiter.take(f"old-{n}")
    clock.advance(61)
    limiter.take("recent")
    for n in range(2000):  # a sweep runs among these: the 2000 old ones are past their window
        limiter.take(f"new-{n}")
    assert len(limiter) <= 2001
    assert not limiter.take("recent").allowed  # its count survived the sweep


def test_concurrent_commands_admit_exactly_the_limit():
    limiter = RateLimiter(20, dt.timedelta(seconds=60), SettableClock())
    admitted: list[bool] = []
    lock = threading.Lock()

    def burst() -> None:
        for _ in range(25):
            allowed = limiter.take("c").allowed
            with lock:
                admitted.append(allowed)

    threads = [threading.Thread(target=burst) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert admitted.count(True) == 20 and len(admitted) == 200


def test_a_limit_needs_room_for_one_command():
    with pytest.raises(ValueError, match="at least one command"):
        RateLimiter(0, dt.timedelta(seconds=60), SettableClock())
