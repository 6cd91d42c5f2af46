"""`POST /api/teams/outgoing-webhook`: a Teams outgoing webhook, answered synchronously within Teams' 5 s.

The HMAC is checked over the raw bytes before anything is parsed (bot/hmac.py). The command runs on a worker
thread with a deadline under 5 s; past it the user is told to retry, since an outgoing webhook cannot post
later. Replies keep only Action.OpenUrl buttons: nothing else works there (GRAPH-FACTS 4.2).
Activity ids are remembered for an hour, so a captured request cannot be sent again. Then, as on
/api/messages (web/admission.py): a tenant not allowed gets 403; a command over its conversation's rate is not
run and is answered with how long to wait, every time, since a webhook's only way to answer is its response.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
import time

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from assistant.bot import hmac, texts
from assistant.bot.activity import Activity, Reply
from assistant.bot.auth import Clock, ReplayGuard, SeenStore
from assistant.bot.bot import Bot
from assistant.bot.limits import RateLimiter, TenantAllowList
from assistant.web.admission import over_limit, refusal, require_tenant
from assistant.web.body import activity_from, raw_body

log = logging.getLogger(__name__)

DEADLINE_SECONDS = 4.0  # Teams gives 5 s for the whole round trip
REMEMBER = dt.timedelta(hours=1)


def blueprint(
    bot: Bot,
    secret: str | None,
    pool: concurrent.futures.Executor,
    clock: Clock,
    seen: SeenStore | None = None,
    *,
    tenants: TenantAllowList,
    limiter: RateLimiter,
) -> Blueprint:
    bp = Blueprint("outgoing_webhook", __name__)
    replays = ReplayGuard(clock, seen)

    @bp.post("/api/teams/outgoing-webhook")
    def outgoing_webhook() -> ResponseReturnValue:
        body = raw_body()
        hmac.verify(secret, request.headers.get("Authorization"), body)
        activity = activity_from(body)
        if activity.id:
            replays.check(f"webhook|{activity.conversation.id}|{activity.id}", clock() + REMEMBER)
        require_tenant(tenants, activity)
        refused = over_limit(limiter, activity)
        if refused is not None:
            return jsonify(Reply(text=refusal(limiter, refused)).activity())
        reply = _within_deadline(bot, activity, pool)
        return jsonify(reply.activity(open_url_only=True))

    return bp


def _within_deadline(bot: Bot, activity: Activity, pool: concurrent.futures.Executor) -> Reply:
    """The command's answer, its slow part (a document) included when it is done in time. A document that is
    not is still filed, and the answer says where, rather than inviting a retry that would draft it again."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        reply = pool.submit(bot.answer, activity).result(timeout=DEADLINE_SECONDS)
        if reply.later is None:
            return reply
    except concurrent.futures.TimeoutError:
        log.warning("outgoing webhook: a command from %s missed the deadline", activity.who)  # never the text
        return Reply(text=texts.TOO_SLOW)
    except Exception:  # the edge of a worker thread (STYLE 5): logged, answered, never a 500 to Teams
        log.exception("outgoing webhook: a command from %s failed", activity.who)
        return Reply(text=texts.FAILED_LATER)
    rest = pool.submit(reply.later)
    try:
        return rest.result(timeout=max(0.0, deadline - time.monotonic()))
    except concurrent.futures.TimeoutError:
        log.warning("outgoing webhook: a document for %s is still being drafted at the deadline", activity.who)
        rest.add_done_callback(_log_failure)
        return Reply(text=texts.WEBHOOK_STILL_FILING)
    except Exception:
        log.exception("outgoing webhook: a document for %s failed", activity.who)
        return Reply(text=texts.FAILED_LATER)


def _log_failure(future: concurrent.futures.Future[Reply]) -> None:
    """A document finished after the answer was sent: nobody waits on it, so a failure is logged here."""
    error = future.exception()
    if error is not None:
        log.error("outgoing webhook: a document finished after the deadline failed", exc_info=error)
