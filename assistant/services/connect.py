"""From settings to a connected Graph client: the one place production and sandbox wiring is built."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.graph.auth import AppTokenProvider
from assistant.graph.client import GraphClient
from assistant.graph.http import PinnedSession
from assistant.graph.people import PeopleDirectory
from assistant.settings import Settings


@dataclass(frozen=True)
class Connection:
    client: GraphClient
    people: PeopleDirectory
    session: PinnedSession  # shared with MSAL; delivery methods reuse it


def connect(settings: Settings) -> Connection:
    """App-only access with the configured credentials; nothing is sent until the first request."""
    session = PinnedSession(settings.ca_bundle)
    tokens = AppTokenProvider(settings, session)
    client = GraphClient(settings.graph_url, tokens.token, session)
    return Connection(client, PeopleDirectory(client), session)
