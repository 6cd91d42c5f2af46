"""Bot Framework authentication of inbound requests: the JWT in `Authorization: Bearer …`, checked on every request.

Spec: "Authenticate requests from the Bot Connector service to your bot"
(https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot),
and ../shared/refdata/GRAPH-FACTS.md 4.3. The checks, in the spec's order:

1. the header is `Bearer <JWT>`;
2. the token is signed with RS256 (the only algorithm accepted: `alg: none` and HMAC tokens fail) by a key from
   the JWKS that the OpenID metadata's `jwks_uri` names (`COORDINATOR_BOT_OPENID_METADATA`);
3. `iss` is https://api.botframework.com;
4. `aud` is the bot's Microsoft App ID (`COORDINATOR_BOT_APP_ID`);
5. `exp` (and `nbf` when present) hold with 5 minutes of clock skew;
6. the `serviceurl` claim equals the activity's `serviceUrl`, so a token cannot send our replies elsewhere;
7. when the signing key lists `endorsements`, the activity's `channelId` is one of them.

On top of the spec, a replay guard: an activity id is accepted once while the token that carried it is valid.
Keys are cached; an unknown `kid` refetches the JWKS (at most once a minute), since keys roll over.
The guard remembers ids through the `SeenStore` protocol: the composition root passes the database store
(`storage/bot_state.py`), shared by every process; `MemorySeen` is the in-process default.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import jwt
import requests

from assistant.errors import VerificationError
from assistant.graph.http import PinnedSession

log = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
ALGORITHMS = ["RS256"]
LEEWAY = dt.timedelta(minutes=5)
KEYS_TTL = dt.timedelta(hours=24)  # the spec: "cache the keys … refresh at least once a day"
REFETCH_AFTER = dt.timedelta(minutes=1)  # an unknown kid refetches, but not on every forged token
Clock = Callable[[], dt.datetime]
LAST_STAMP = 253370764800  # 9999-01-01T00:00:00Z: later, datetime cannot hold a token's exp plus the leeway


@dataclass(frozen=True)
class SigningKey:
    key: Any  # a cryptography public key
    endorsements: tuple[str, ...] | None


class JwksCache:
    """The signing keys named by the OpenID metadata, fetched through the pinned session (the sandbox's CA)."""

    def __init__(self, metadata_url: str, session: PinnedSession, clock: Clock) -> None:
        self._metadata_url = metadata_url
        self._session = session
        self._clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._fetched: dt.datetime | None = None
        self._lock = threading.Lock()

    def key(self, kid: str) -> SigningKey:
        with self._lock:
            now = self._clock()
            stale = self._fetched is None or now - self._fetched > KEYS_TTL
            unknown = kid not in self._keys and (self._fetched is None or now - self._fetched > REFETCH_AFTER)
            if stale or unknown:
                self._refresh(now)
            found = self._keys.get(kid)
        if found is None:
            raise VerificationError(f"bot token signed with an unknown key {kid!r}")
        return found

    def _refresh(self, now: dt.datetime) -> None:
        try:
            metadata = self._get_json(self._metadata_url)
            jwks = self._get_json(str(metadata["jwks_uri"]))
            keys: dict[str, SigningKey] = {}
            for entry in jwks.get("keys", []):
                if entry.get("kty") != "RSA" or not entry.get("kid"):
                    continue
                endorsements = entry.get("endorsements")
                keys[str(entry["kid"])] = SigningKey(
                    jwt.PyJWK(entry, algorithm="RS256").key,
                    tuple(endorsements) if isinstance(endorsements, list) else None,
                )
        except (requests.RequestException, ValueError, KeyError, TypeError, jwt.PyJWKError) as exc:
            if self._keys:  # keep serving the keys we have: the metadata host may be down for a moment
                log.warning("cannot refresh the Bot Framework keys: %s", type(exc).__name__)
                self._fetched = now
                return
            raise VerificationError(f"cannot load the Bot Framework keys: {type(exc).__name__}") from None
        self._keys, self._fetched = keys, now

    def _get_json(self, url: str) -> dict[str, Any]:
        response = self._session.get(url, timeout=10)
        response.raise_for_status()
        data = response.json()
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return data


class SeenStore(Protocol):
    def first_sighting(self, key: str, *, until: dt.datetime, now: dt.datetime) -> bool:
        """Remember `key` until `until`; False if it is remembered already (atomically: one caller wins)."""
        ...


class MemorySeen:
    """Activity keys seen, in this process only (tests, the offline emulator)."""

    def __init__(self) -> None:
        self._seen: dict[str, dt.datetime] = {}
        self._lock = threading.Lock()

    def first_sighting(self, key: str, *, until: dt.datetime, now: dt.datetime) -> bool:
        with self._lock:
            self._seen = {k: t for k, t in self._seen.items() if t > now}
            if key in self._seen:
                return False
            self._seen[key] = until
            return True


class ReplayGuard:
    """Activity ids seen while their token was valid: the same id again is a replay."""

    def __init__(self, clock: Clock, seen: SeenStore | None = None) -> None:
        self._clock = clock
        self._seen = seen or MemorySeen()

    def check(self, key: str, until: dt.datetime) -> None:
        if not self._seen.first_sighting(key, until=until, now=self._clock()):
            raise VerificationError("bot activity replayed")


@dataclass(frozen=True)
class Claims:
    """A verified token: check the activity against it with `BotAuthenticator.check_activity`."""

    service_url: str
    expires: dt.datetime
    endorsements: tuple[str, ...] | None


class BotAuthenticator:
    def __init__(
        self,
        app_id: str | None,
        keys: JwksCache,
        clock: Clock,
        issuer: str = BOT_FRAMEWORK_ISSUER,
        seen: SeenStore | None = None,
    ) -> None:
        self._app_id = app_id
        self._keys = keys
        self._clock = clock
        self._issuer = issuer
        self._replays = ReplayGuard(clock, seen)

    def verify_token(self, authorization: str | None) -> Claims:
        """Checks 1–5 (header, signature, issuer, audience, lifetime): before the body is even parsed."""
        if not self._app_id:
            raise VerificationError("COORDINATOR_BOT_APP_ID is not set: no bot token can be valid")
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise VerificationError("no Bearer token")
        try:
            header = jwt.get_unverified_header(token.strip())
        except jwt.PyJWTError:
            raise VerificationError("bot token is not a JWT") from None
        if header.get("alg") not in ALGORITHMS or not isinstance(header.get("kid"), str):
            raise VerificationError(f"bot token algorithm {header.get('alg')!r} or key id not accepted")
        signing = self._keys.key(header["kid"])
        try:
            claims = _decode(token.strip(), signing.key, self._app_id, self._issuer, self._clock())
        except jwt.PyJWTError as exc:
            raise VerificationError(f"bot token rejected: {type(exc).__name__}: {exc}") from None
        service_url = claims.get("serviceurl") or claims.get("serviceUrl")
        if not isinstance(service_url, str) or not service_url:
            raise VerificationError("bot token has no serviceurl claim")
        expires = dt.datetime.fromtimestamp(int(claims["exp"]), dt.UTC) + LEEWAY
        return Claims(service_url, expires, signing.endorsements)

    def check_activity(self, claims: Claims, service_url: str, channel_id: str, activity_key: str | None) -> None:
        """Checks 6–7 and the replay guard, once the body is parsed."""
        if claims.service_url.rstrip("/") != service_url.rstrip("/"):
            raise VerificationError("the token's serviceurl claim does not match the activity's serviceUrl")
        if claims.endorsements is not None and channel_id not in claims.endorsements:
            raise VerificationError(f"the signing key is not endorsed for channel {channel_id!r}")
        if activity_key is not None:
            self._replays.check(activity_key, claims.expires)


def _decode(token: str, key: Any, audience: str, issuer: str, now: dt.datetime) -> dict[str, Any]:
    # PyJWT reads the wall clock for exp/nbf; the injected clock is applied through the leeway arithmetic:
    # decode without PyJWT's time checks, then check exp/nbf against `now` ourselves.
    claims: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=ALGORITHMS,
        audience=audience,
        issuer=issuer,
        options={"require": ["exp", "iss", "aud"], "verify_exp": False, "verify_nbf": False, "verify_iat": False},
    )
    stamp = now.timestamp()
    leeway = LEEWAY.total_seconds()
    # NumericDate (RFC 7519 §2): a JSON number, here one a datetime can hold; a string, NaN or the year 10^9 from
    # a validly signed token was a 500 later (found by tests/web/test_fuzz.py).
    times = (claims["exp"], claims.get("nbf", 0))
    if not all(isinstance(t, int | float) and not isinstance(t, bool) and 0 <= t < LAST_STAMP for t in times):
        raise jwt.DecodeError("exp/nbf must be numbers of seconds since 1970, before the year 9999")
    expires, not_before = float(times[0]), float(times[1])
    if expires + leeway < stamp:
        raise jwt.ExpiredSignatureError("the token has expired")
    if not_before - leeway > stamp:
        raise jwt.ImmatureSignatureError("the token is not yet valid")
    return claims
