"""After authentication, before the bot: may this tenant ask at all, and has this conversation asked too often?

Both endpoints (messages.py, outgoing_webhook.py) ask the same two questions; the rules are in bot/limits.py.

- A tenant not on the allow-list: 403 `{"error": "forbidden", "message": "tenant not allowed"}` (errors.py's
  shape), logged with the tenant and conversation ids; nothing runs and nothing is said in Teams, since that tenant's
  users are not ours to talk to.
- A conversation over its rate: the refusal, logged once per refused request (conversation id and wait only,
  never the text). What the user is told differs per endpoint, so the endpoint decides that.
"""

from __future__ import annotations

import logging

from werkzeug.exceptions import Forbidden

from assistant.bot import texts
from assistant.bot.activity import Activity
from assistant.bot.limits import Decision, RateLimiter, TenantAllowList, conversation_key, tenant_of

log = logging.getLogger(__name__)


def require_tenant(allowed: TenantAllowList, activity: Activity) -> None:
    tenant = tenant_of(activity)
    if not allowed.allows(tenant):
        log.warning(
            "refused an activity of tenant %r, which COORDINATOR_BOT_ALLOWED_TENANTS does not allow (conversation %r)",
            tenant,
            activity.conversation.id,
        )
        raise Forbidden("tenant not allowed")


def over_limit(limiter: RateLimiter, activity: Activity) -> Decision | None:
    """The refusal when the activity is a command over its conversation's rate; None when it may run.

    Only `message` activities are commands: installs, member changes and typing never count."""
    if activity.type != "message":
        return None
    key = conversation_key(activity)
    decision = limiter.take(key)
    if decision.allowed:
        return None
    log.log(
        logging.WARNING if decision.tell else logging.INFO,
        "refused a command in conversation %r: over %d per %s s; room again in %.0f s%s",
        key,
        limiter.count,
        f"{limiter.window.total_seconds():.0f}",
        decision.wait.total_seconds(),
        "" if decision.tell else " (a repeat within that wait)",
    )
    return decision


def refusal(limiter: RateLimiter, decision: Decision) -> str:
    return texts.rate_limited(limiter.count, limiter.window, decision.wait)
