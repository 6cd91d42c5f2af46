"""The ways a card reaches a project's channel, behind one interface: `name` and `deliver(card) -> Receipt`.

A method never raises for a failed post: it answers with a Receipt whose `outcome` is `delivered`, `failed`
(certainly not posted: the next method may try) or `unknown` (the request went out and no answer came back,
so the card may be in the channel: nothing else is tried, to avoid posting it twice). The orchestration and
the record live in `services/delivery.py`.

- `workflows`: the project's Workflows webhook URL (a secret; GRAPH-FACTS §4.1). No sign-in involved.
- `graph`: a channel message sent with the delegated token of the service account (`coordinator login`);
  Graph refuses app-only tokens for channel posts (GRAPH-FACTS gotcha 1).
- `bot`: a proactive post by the Teams bot, as a new thread in the channel through the Bot Connector, with
  the bot's own app-only token; it needs the conversation reference kept when the bot was installed in the
  team (or last spoken to there), for the team's `serviceUrl`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from assistant.domain.project import Project
from assistant.errors import ConfigError
from assistant.graph.botconnector import BotTokenProvider, ConnectorPostError, create_channel_thread
from assistant.graph.client import Exchange, GraphClient
from assistant.graph.errors import AuthError, Forbidden, GraphError, NotFound
from assistant.graph.http import PinnedSession
from assistant.graph.retry import RetryPolicy
from assistant.graph.teams import post_card
from assistant.graph.workflows import WorkflowError, post_to_workflow
from assistant.services.login import delegated_tokens
from assistant.settings import Settings
from assistant.storage.bot_state import BotConversations
from assistant.storage.db import Database
from assistant.storage.errors import StorageError

log = logging.getLogger(__name__)

Outcome = Literal["delivered", "failed", "unknown"]
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
INSTALL_ADVICE = (
    "the bot has no conversation reference for this team: install the Coordinator app in the team (or @mention "
    "the bot once in the channel), then run again"
)
LOGIN_ADVICE = (
    "channel posts through Graph need the delegated token of the service account: run `coordinator login`, "
    "and make sure that account is a member of the channel"
)


@dataclass(frozen=True)
class Receipt:
    method: str
    outcome: Outcome
    detail: str  # one line for a person: what happened, never a secret
    message_id: str | None = None


class DeliveryMethod(Protocol):
    @property
    def name(self) -> str: ...

    def deliver(self, card: Mapping[str, Any]) -> Receipt: ...


class WorkflowsPost:
    """POST the card to the project's Workflows webhook. `repr` and messages never show the URL."""

    name = "workflows"

    def __init__(self, session: PinnedSession, url: str, policy: RetryPolicy | None = None) -> None:
        self._session = session
        self._url = url
        self._policy = policy

    def __repr__(self) -> str:
        return "WorkflowsPost(<url hidden>)"

    def deliver(self, card: Mapping[str, Any]) -> Receipt:
        try:
            answer = post_to_workflow(self._session, self._url, card, policy=self._policy)
        except WorkflowError as exc:
            return Receipt(self.name, "unknown" if exc.maybe_posted else "failed", str(exc))
        return Receipt(
            self.name,
            "delivered",
            f"accepted by the Workflows webhook at {answer.host} ({answer.status}); "
            "the flow posts the card on its own (its run history shows any later failure)",
        )


class GraphChannelPost:
    """POST the card as a channel message with a client that sends the service account's delegated token.

    The client is built on first use (`client()`), so a project that delivers through Workflows does not
    need a sign-in, and a missing one is a failed attempt with advice instead of a crash.
    """

    name = "graph"

    def __init__(self, client: Callable[[], GraphClient], team_id: str, channel_id: str) -> None:
        self._client = client
        self._team_id = team_id
        self._channel_id = channel_id

    def deliver(self, card: Mapping[str, Any]) -> Receipt:
        try:
            client = self._client()
        except (ConfigError, StorageError, AuthError) as exc:
            return self._failed(f"no delegated sign-in available ({exc}); {LOGIN_ADVICE}")
        posts: list[Exchange] = []

        def watch(exchange: Exchange) -> None:
            if exchange.method == "POST":
                posts.append(exchange)

        client.hooks.append(watch)
        try:
            message = post_card(client, self._team_id, self._channel_id, card)
        except Forbidden as exc:
            return self._failed(
                f"Graph refused the post (403 {exc.code or 'Forbidden'}: {exc.graph_message}); {LOGIN_ADVICE}"
            )
        except NotFound as exc:
            return self._failed(
                f"Graph does not know the team or channel (404: {exc.graph_message}); check team_id and channel_id"
            )
        except StorageError as exc:  # the token cache could not be read (wrong COORDINATOR_TOKEN_KEY)
            return self._failed(str(exc))
        except GraphError as exc:
            if any(post.status is None for post in posts):
                # The POST went out and nothing came back: it may have been posted. Not replayed (retry.py).
                return Receipt(
                    self.name, "unknown", f"no answer to the channel post, so it may have been posted ({exc})"
                )
            return self._failed(str(exc))
        finally:
            client.hooks.remove(watch)
        return Receipt(self.name, "delivered", f"posted as channel message {message.id}", message.id)

    def _failed(self, detail: str) -> Receipt:
        return Receipt(self.name, "failed", detail)


@dataclass(frozen=True)
class BotPoster:
    """What the bot needs to post without being asked: where it was installed, a session and its token."""

    conversations: BotConversations
    session: PinnedSession
    token: Callable[[], str]


class BotPost:
    """Start a new thread in the project's channel with the card, as the Teams bot (Bot Connector)."""

    name = "bot"

    def __init__(self, poster: BotPoster, team_id: str, channel_id: str) -> None:
        self._poster = poster
        self._team_id = team_id
        self._channel_id = channel_id

    def deliver(self, card: Mapping[str, Any]) -> Receipt:
        ref = self._poster.conversations.for_channel(self._team_id, self._channel_id)
        if ref is None:
            return Receipt(self.name, "failed", INSTALL_ADVICE)
        activity = {"type": "message", "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": dict(card)}]}
        try:
            thread = create_channel_thread(
                self._poster.session,
                ref.service_url,
                self._poster.token,
                channel_id=self._channel_id,
                activity=activity,
                tenant_id=ref.tenant_id,
                bot_id=ref.bot_id,
            )
        except ConnectorPostError as exc:
            return Receipt(self.name, "unknown" if exc.maybe_posted else "failed", str(exc))
        except (ConfigError, GraphError) as exc:  # no bot credentials, or no token from the identity platform
            return Receipt(self.name, "failed", f"the bot cannot post: {exc}")
        return Receipt(
            self.name,
            "delivered",
            f"posted by the bot as a new thread (activity {thread.activity_id})",
            thread.activity_id,
        )


def bot_poster(settings: Settings, session: PinnedSession, database: Database) -> BotPoster:
    """The bot's proactive side; its token provider is built on first use (a missing secret fails that post)."""
    built: list[BotTokenProvider] = []

    def token() -> str:
        if not built:
            built.append(BotTokenProvider(settings, session))
        return built[0].token()

    return BotPoster(BotConversations(database), session, token)


def delivery_methods(
    project: Project,
    *,
    session: PinnedSession,
    graph_client: Callable[[], GraphClient],
    policy: RetryPolicy | None = None,
    bot: BotPoster | None = None,
) -> list[DeliveryMethod]:
    """The project's methods in its configured order (`delivery = ["workflows", "graph", "bot"]`)."""
    methods: list[DeliveryMethod] = []
    for name in project.delivery:
        if name == "workflows":
            if project.workflows_url is None:
                raise ConfigError(
                    "projects file", f"projects.{project.key}.delivery", "'workflows' needs workflows_url"
                )
            methods.append(WorkflowsPost(session, project.workflows_url, policy))
        elif name == "graph":
            methods.append(GraphChannelPost(graph_client, project.team_id, project.channel_id))
        elif name == "bot":
            if bot is None:
                raise ConfigError("projects file", f"projects.{project.key}.delivery", "'bot' is not available here")
            methods.append(BotPost(bot, project.team_id, project.channel_id))
        else:
            raise ConfigError("projects file", f"projects.{project.key}.delivery", f"unknown delivery method {name!r}")
    return methods


def delegated_graph_client(
    settings: Settings, session: PinnedSession, database: Database, clock: Callable[[], dt.datetime]
) -> Callable[[], GraphClient]:
    """A factory for a GraphClient that sends the signed-in service account's token (built when first asked)."""
    built: list[GraphClient] = []

    def make() -> GraphClient:
        if not built:
            tokens = delegated_tokens(settings, session, database, clock)
            built.append(GraphClient(settings.graph_url, tokens.token, session))
        return built[0]

    return make


def method_names(methods: Sequence[DeliveryMethod]) -> str:
    return ", then ".join(method.name for method in methods) or "none"
