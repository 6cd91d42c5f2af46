"""The JWKS cache behind the Bot Framework token check: keys roll over without a restart, forged key ids do not
make it fetch on every request, and the replay guard forgets ids once their token has expired."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from assistant.bot.auth import BotAuthenticator, JwksCache, ReplayGuard
from assistant.errors import VerificationError
from assistant.graph.http import PinnedSession
from tests.botframework import BOT_APP_ID, bot_framework_double
from tests.conftest import DEMO_NOW


def test_a_rolled_over_key_is_fetched_but_not_more_than_once_a_minute():
    now = [DEMO_NOW]
    with bot_framework_double() as bf:
        auth = BotAuthenticator(BOT_APP_ID, JwksCache(bf.metadata_url, PinnedSession(), lambda: now[0]), lambda: now[0])
        assert auth.verify_token(f"Bearer {bf.token(now[0])}").service_url == bf.service_url
        bf.key = rsa.generate_private_key(65537, 2048)  # the publisher rolls the key over, same kid here
        with pytest.raises(VerificationError):  # cached old key: signature fails, no refetch for a known kid
            auth.verify_token(f"Bearer {bf.token(now[0])}")
        now[0] += dt.timedelta(hours=25)  # the daily refresh picks the new key up
        assert auth.verify_token(f"Bearer {bf.token(now[0])}")


def test_the_replay_guard_forgets_after_expiry():
    now = [DEMO_NOW]
    guard = ReplayGuard(lambda: now[0])
    guard.check("a", DEMO_NOW + dt.timedelta(minutes=5))
    with pytest.raises(VerificationError, match="replayed"):
        guard.check("a", DEMO_NOW + dt.timedelta(minutes=5))
    now[0] += dt.timedelta(minutes=6)
    guard.check("a", now[0] + dt.timedelta(minutes=5))


def test_no_bot_app_id_means_no_token_is_valid():
    with bot_framework_double() as bf:
        auth = BotAuthenticator(None, JwksCache(bf.metadata_url, PinnedSession(), lambda: DEMO_NOW), lambda: DEMO_NOW)
        with pytest.raises(VerificationError, match="COORDINATOR_BOT_APP_ID"):
            auth.verify_token(f"Bearer {bf.token(DEMO_NOW)}")
