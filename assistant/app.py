"""`create_app(settings)`: the web composition root — the Flask app with the Teams bot endpoints.

Builds every object once (Graph connection, router and commands, Bot Framework authenticator, Bot Connector,
outgoing-webhook worker pool, the database with the bot's conversation references and replay guard) and hands
them to the blueprints; nothing is created at import time. The database is migrated here, at start-up.

Run it with `coordinator serve` (cheroot), or any WSGI server, e.g.
`gunicorn --bind 127.0.0.1:3978 --workers 1 --threads 8 'assistant.app:create_app()'`
(the replay guard and the conversation references are in the database, so several processes may share it;
use PostgreSQL for more than one host).
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import gc
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from cheroot import wsgi
from flask import Flask

from assistant.bot.auth import BotAuthenticator, Clock, JwksCache
from assistant.bot.bot import Bot
from assistant.bot.commands import Deps, register
from assistant.bot.connector import BotConnector, BotTokenProvider
from assistant.bot.limits import RateLimiter, TenantAllowList
from assistant.bot.router import Router
from assistant.errors import ConfigError
from assistant.graph.http import PinnedSession
from assistant.projects import load_projects
from assistant.services.connect import Connection, connect
from assistant.settings import Settings, load_settings
from assistant.storage.bot_state import BotConversations, SeenActivities
from assistant.storage.db import Database
from assistant.storage.migrate import upgrade
from assistant.web import errors, health, messages, outgoing_webhook
from assistant.web.body import MAX_BODY_BYTES

T = TypeVar("T")
LOOPBACK_BINDS = ("127.0.0.1", "::1")
SERVER_THREADS = 16


class Lazy(Generic[T]):
    """Build on first use: the app starts (and /healthz answers) before Graph or the bot's authority is reached."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def __call__(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._build()
            return self._value


def create_app(
    settings: Settings | None = None,
    *,
    bound_host: str | None = None,
    clock: Clock | None = None,
    bot_token: Callable[[], str] | None = None,
) -> Flask:
    """The app. `bound_host` is the address the server listens on, when known (`coordinator serve` passes it):
    the dangerous unauthenticated switch is refused unless it is a loopback address. `clock` and `bot_token`
    replace the wall clock and the MSAL token for the Bot Connector, for tests."""
    settings = settings or load_settings()
    if settings.dangerously_allow_unauthenticated_bot and bound_host not in LOOPBACK_BINDS:
        raise ConfigError(
            "environment",
            "COORDINATOR_DANGEROUSLY_ALLOW_UNAUTHENTICATED_BOT",
            f"refused: the server must be bound to 127.0.0.1 or ::1 (it is {bound_host or 'unknown'})",
        )
    now: Clock = clock or (lambda: dt.datetime.now(dt.UTC))
    session = PinnedSession(settings.ca_bundle)
    graph: Callable[[], Connection] = Lazy(lambda: connect(settings))
    router = Router(lambda: load_projects(settings.projects))
    database: Callable[[], Database] = Lazy(lambda: _database(settings))
    register(router, Deps(graph, now, database, settings.planner_task_url, settings.tenant_id or ""))
    provider = Lazy(lambda: BotTokenProvider(settings, session))
    token = bot_token or (lambda: provider().token())
    # The bot's conversation references and replay guard: migrated now, so a broken database stops start-up
    # instead of every request.
    bot_state = database()
    seen = SeenActivities(bot_state)
    # Drafting documents answers "on it" first (bot/bot.py); two workers, as each mostly waits on Graph.
    documents = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="documents")
    bot = Bot(router, BotConnector(session, token), BotConversations(bot_state), now, defer=documents.submit)
    keys = JwksCache(settings.bot_openid_metadata, session, now)
    auth = BotAuthenticator(settings.bot_app_id, keys, now, seen=seen)
    secret = settings.outgoing_webhook_secret.get_secret_value() if settings.outgoing_webhook_secret else None
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="webhook")

    app = Flask("assistant")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.extensions["coordinator.bot"] = bot  # for tests and, later, proactive jobs
    app.extensions["coordinator.database"] = bot_state
    app.extensions["coordinator.workers"] = (documents,)
    app.register_blueprint(health.blueprint())
    # One allow-list and one limiter for both endpoints: a conversation's budget is shared (bot/limits.py).
    tenants = TenantAllowList(settings.bot_tenants())
    limiter = RateLimiter(*settings.bot_rate, now)
    app.register_blueprint(
        messages.blueprint(
            bot,
            auth,
            allow_unauthenticated=settings.dangerously_allow_unauthenticated_bot,
            tenants=tenants,
            limiter=limiter,
        )
    )
    app.register_blueprint(outgoing_webhook.blueprint(bot, secret, pool, now, seen, tenants=tenants, limiter=limiter))
    errors.register(app)
    return app


def _database(settings: Settings) -> Database:
    """The database the bot's commands share (meeting records, app state), migrated on first use."""
    upgrade(settings.database)
    return Database.from_url(settings.database)


def drain(app: Flask) -> None:
    """Wait for the deferred work (documents being drafted) to post its results: the server's last act."""
    for workers in app.extensions.get("coordinator.workers", ()):
        workers.shutdown(wait=True)


def make_server(
    settings: Settings, host: str, port: int, *, clock: Clock | None = None, freeze: bool = False
) -> wsgi.Server:
    """`coordinator serve`'s WSGI server: cheroot (pure Python, threaded, already the sandbox's), bound but not
    yet serving, so `bind_addr` holds the port when `port` was 0. gunicorn works too (module docstring).
    `clock` replaces the wall clock, for tests against a sandbox whose clock is pinned; `freeze` exempts what
    start-up built from garbage collection (below)."""
    app = create_app(settings, bound_host=host, clock=clock)
    # What start-up built (the imports: SQLAlchemy, pydantic, docxtpl… some 200,000 objects) lives as long as the
    # process; frozen, the collector stops scanning it, and a full collection that landed on a command took
    # 80–100 ms instead of under 1 ms (bench/bot_latency.py, docs/benchmarks.md). gc.freeze:
    # https://docs.python.org/3/library/gc.html#gc.freeze
    # `freeze`: what `coordinator serve` and the bench ask for; tests do not (they would keep their garbage).
    if freeze:
        gc.collect()
        gc.freeze()
    server = wsgi.Server((host, port), app, numthreads=SERVER_THREADS)
    server.prepare()
    return server
