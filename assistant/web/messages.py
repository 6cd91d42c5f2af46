"""`POST /api/messages`: the Bot Framework messaging endpoint.

Order of checks, so that nothing is processed for a request that fails one: the size (413, by Flask), the
token's signature, issuer, audience and lifetime (401), the JSON (400), then the token against the activity
(serviceUrl, endorsements) and the replay guard (401), then the tenant allow-list (403; the activity id is
already recorded by the replay guard then, so its replay is a 401). Only then is the activity handed to the bot.
The tenant is checked after authentication, so a stranger learns nothing from a 403 that a 401 would hide.

Without a token (`COORDINATOR_DANGEROUSLY_ALLOW_UNAUTHENTICATED_BOT`, loopback only) the allow-list is not
applied: the body is whatever the local emulator wrote, so its tenant proves nothing either way.

A command over its conversation's rate (web/admission.py) is not run; the first refusal is told in the thread,
later ones are dropped, and the answer is still 200 (below).

The answer is 200 once the bot has replied through the Bot Connector. A command with slow work (a document)
has replied "on it" by then and posts its result from a worker (bot/bot.py).
"""

from __future__ import annotations

import hashlib
import logging

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from assistant.bot.auth import BotAuthenticator, Claims
from assistant.bot.bot import Bot
from assistant.bot.limits import RateLimiter, TenantAllowList
from assistant.errors import VerificationError
from assistant.settings import LOOPBACK_HOSTS
from assistant.web.admission import over_limit, refusal, require_tenant
from assistant.web.body import activity_from, raw_body

log = logging.getLogger(__name__)


def blueprint(
    bot: Bot,
    auth: BotAuthenticator,
    *,
    allow_unauthenticated: bool,
    tenants: TenantAllowList,
    limiter: RateLimiter,
) -> Blueprint:
    bp = Blueprint("bot_messages", __name__)

    @bp.post("/api/messages")
    def messages() -> ResponseReturnValue:
        body = raw_body()
        header = request.headers.get("Authorization")
        claims: Claims | None = None
        if header is None and allow_unauthenticated:
            if request.remote_addr not in LOOPBACK_HOSTS:
                raise VerificationError("unauthenticated bot requests are accepted from loopback only")
            log.warning("COORDINATOR_DANGEROUSLY_ALLOW_UNAUTHENTICATED_BOT: accepting a request without a token")
        else:
            claims = auth.verify_token(header)
        activity = activity_from(body)
        if claims is not None:
            replay_key = f"bf|{activity.conversation.id}|{activity.id or hashlib.sha256(body).hexdigest()}"
            auth.check_activity(claims, activity.service_url, activity.channel_id, replay_key)
            require_tenant(tenants, activity)
        signed = claims is not None
        refused = over_limit(limiter, activity)
        if refused is not None:
            # Still 200: Teams shows the user no HTTP status (a 429 would only reach the Bot Connector, which may
            # retry it), so the refusal is said in the thread, once per wait, and the rest dropped in silence.
            if refused.tell:
                bot.tell(activity, refusal(limiter, refused), signed=signed)
            return Response(status=200)
        bot.on_activity(activity, signed=signed)
        return Response(status=200)

    return bp
