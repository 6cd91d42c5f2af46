"""`POST /api/messages`: the Bot Framework messaging endpoint.

Order of checks, so that nothing is processed for a request that fails one: the size (413, by Flask), the
token's signature, issuer, audience and lifetime (401), the JSON (400), then the token against the activity
(serviceUrl, endorsements) and the replay guard (401). Only then is the activity handed to the bot.

The answer is 200 once the bot has replied through the Bot Connector. The work goes through `run`, which
runs it now; when commands get slow, `run` becomes a queue and the answer a 202 without other changes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from assistant.bot.auth import BotAuthenticator, Claims
from assistant.bot.bot import Bot
from assistant.errors import VerificationError
from assistant.settings import LOOPBACK_HOSTS
from assistant.web.body import activity_from, raw_body

log = logging.getLogger(__name__)

Run = Callable[[Callable[[], None]], None]


def run_now(job: Callable[[], None]) -> None:
    job()


def blueprint(bot: Bot, auth: BotAuthenticator, *, allow_unauthenticated: bool, run: Run = run_now) -> Blueprint:
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
        signed = claims is not None
        run(lambda: bot.on_activity(activity, signed=signed))
        return Response(status=200)

    return bp
