"""Who the bot answers, and how often: the tenant allow-list and a per-conversation rate limit.

Both are decided after a request is authenticated and before any command runs (web/messages.py,
web/outgoing_webhook.py); both are plain Python with an injected clock, so they are tested without a server.

Tenants. A bot registration may be multi-tenant: once its app is uploaded in another organisation, Teams
delivers that organisation's messages with valid tokens. The allow-list keeps the bot (and the Graph data it
reads) to the tenants named in `COORDINATOR_BOT_ALLOWED_TENANTS`; by default only `COORDINATOR_TENANT_ID`'s
(settings.py, `Settings.bot_tenants`). An activity's tenant is `conversation.tenantId`, else
`channelData.tenant.id`: Teams sends both (Activity schema, "Conversation": tenantId,
https://github.com/microsoft/botframework-sdk/blob/main/specs/botframework-activity/botframework-activity.md;
Teams' channelData.tenant, https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-basics).
An activity naming no tenant is refused whenever a list is in force: nothing proves it belongs to an allowed one.

Rate. A sliding window per conversation: at most `count` commands in any `window` (`COORDINATOR_BOT_RATE_LIMIT`,
"20/60"). A channel's threads are one conversation here (`;messageid=` is dropped), since every new post in a
channel starts a thread and would otherwise get a fresh budget. Refused commands do not count, so a flood does
not lock a channel out for longer than the window. The first refusal after a conversation was last admitted is
marked `tell`, so the user hears once how long to wait instead of once per message.

The counts live in this process only: several processes (gunicorn --workers N) each count separately, so the
effective limit is N times the setting. The background-work issue may move them to Redis or the database.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque
from dataclasses import dataclass, field

from assistant.bot.activity import Activity
from assistant.bot.auth import Clock

SWEEP_EVERY = 1024  # calls between sweeps of idle conversations, so memory follows the active ones


def tenant_of(activity: Activity) -> str | None:
    """The Entra tenant id the activity comes from, lower-cased (GUIDs compare case-insensitively)."""
    tenant = activity.conversation.tenant_id
    if not tenant:
        data = activity.channel_data.get("tenant")
        found = data.get("id") if isinstance(data, dict) else None
        tenant = found if isinstance(found, str) else None
    return tenant.strip().lower() if tenant else None


@dataclass(frozen=True)
class TenantAllowList:
    """`tenants` None: any tenant (and activities without one); else only these ids, lower-case."""

    tenants: frozenset[str] | None

    def allows(self, tenant: str | None) -> bool:
        if self.tenants is None:
            return True
        return tenant is not None and tenant.lower() in self.tenants


def conversation_key(activity: Activity) -> str:
    """The conversation a command counts against: a channel, group chat or personal chat, not one thread."""
    return activity.conversation.id.split(";", 1)[0]


@dataclass(frozen=True)
class Decision:
    """`allowed`, or refused with how long until a command would be admitted and whether to tell the user."""

    allowed: bool
    wait: dt.timedelta = dt.timedelta(0)
    tell: bool = False


@dataclass
class _Window:
    admitted: deque[dt.datetime] = field(default_factory=deque)
    quiet_until: dt.datetime | None = None  # refusals before this were already told


class RateLimiter:
    def __init__(self, count: int, window: dt.timedelta, clock: Clock) -> None:
        if count < 1 or window <= dt.timedelta(0):
            raise ValueError("a rate limit needs at least one command in a positive window")
        self.count = count
        self.window = window
        self._clock = clock
        self._windows: dict[str, _Window] = {}
        self._calls = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """Conversations held in memory: the active ones, plus those idle since the last sweep."""
        with self._lock:
            return len(self._windows)

    def take(self, key: str) -> Decision:
        """Count one command for `key` if the window has room; else say how long to wait."""
        with self._lock:
            now = self._clock()
            self._calls += 1
            if self._calls % SWEEP_EVERY == 0:
                self._sweep(now)
            state = self._windows.setdefault(key, _Window())
            while state.admitted and state.admitted[0] <= now - self.window:
                state.admitted.popleft()
            if len(state.admitted) < self.count:
                state.admitted.append(now)
                state.quiet_until = None
                return Decision(allowed=True)
            # A clock set back leaves stamps "in the future": never ask for more than one window.
            wait = min(max(state.admitted[0] + self.window - now, dt.timedelta(0)), self.window)
            tell = state.quiet_until is None or now >= state.quiet_until
            if tell:
                state.quiet_until = now + wait
            return Decision(allowed=False, wait=wait, tell=tell)

    def _sweep(self, now: dt.datetime) -> None:
        idle = [
            key
            for key, state in self._windows.items()
            if (not state.admitted or state.admitted[-1] <= now - self.window)
            and (state.quiet_until is None or state.quiet_until <= now)
        ]
        for key in idle:
            del self._windows[key]
