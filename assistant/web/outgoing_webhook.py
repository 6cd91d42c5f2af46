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

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from assistant.bot import hmac, texts
from assistant.bot.activity import Reply
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
        future = pool.submit(bot.answer, activity)
        try:
            reply = future.result(timeout=DEADLINE_SECONDS)
        except concurrent.futures.TimeoutError:
            log.warning("outgoing webhook: a command from %s missed the deadline", activity.who)  # never the text
            reply = Reply(text=texts.TOO_SLOW)
        return jsonify(reply.activity(open_url_only=True))

    return bp
