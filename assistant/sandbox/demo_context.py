"""What every part of the demo tenant is built with: the build context (`now`, its UTC date, the users by alias),
ids derived from names, and the timestamp formats Graph writes. Pure: nothing here reads a clock.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from assistant.sandbox.demo_tenant_data import TEAM_NAME

Json = dict[str, Any]

DEMO_TENANT_ID = "0fd2c1be-9acb-5747-84a3-7bb460b10e62"

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "demo.contoso.com")


def guid(kind: str, name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))


def channel_thread_id(project_key: str) -> str:
    """The id of a project's channel (`General` for the team's first channel): a Teams thread id."""
    return f"19:{guid('channel', f'{TEAM_NAME}/{project_key}').replace('-', '')}@thread.tacv2"


def digest(key: str, size: int = 32) -> bytes:
    return hashlib.sha256(key.encode()).digest()[:size]


def stamp(moment: datetime, key: str = "") -> str:
    """A system timestamp as Graph writes it: UTC, 7 fractional digits, "Z"."""
    ticks = int.from_bytes(digest(key, 3), "big") % 10_000_000 if key else 0
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}.{ticks:07d}Z"


def utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"


@dataclass(frozen=True)
class Context:
    """The moment the tenant is built for, and its users, handed to every builder."""

    now: datetime
    today: date  # now's UTC date: day offsets in the data count from here
    users: dict[str, Json]  # alias -> Graph user

    def at(self, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
        return datetime.combine(self.today + timedelta(days=day), time(hour, minute, second), UTC)

    def uid(self, alias: str) -> str:
        return str(self.users[alias]["id"])

    def ident(self, alias: str) -> Json:
        return {"user": {"id": self.uid(alias)}}
