"""Random requests against both bot endpoints: whatever a caller sends, the app answers below 500, with JSON or
nothing, and keeps answering.

Hypothesis drives Flask's test client against one app per test (the examples share its database, replay guard and
rate limiter, as requests to a running server would). Requests are random bytes, random JSON, activities of the
right shape with fields of random types, and random Authorization headers, each signed validly where the fixtures
can sign (a Bot Framework token from the double's key, the refdata HMAC secret), so the random parts get past
authentication and reach the parser, the allow-list, the rate limit and the bot. `derandomize=True`: the same
examples on every run, so CI is reproducible; the counts are in EXAMPLES.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import flask
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.bot.commands import COMMAND_ACTION
from assistant.bot.hmac import signature
from assistant.sandbox.demo_context import DEMO_TENANT_ID
from tests.botframework import BOT_APP_ID, BotFrameworkDouble
from tests.conftest import DEMO_NOW
from tests.web.conftest import VECTOR, WEBHOOK_BODY

MESSAGES = "/api/messages"
WEBHOOK = "/api/teams/outgoing-webhook"
EXAMPLES = {"bytes": 800, "json": 600, "activities": 1200, "headers": 500}
BASE = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz(kind: str) -> settings:
    return settings(BASE, max_examples=EXAMPLES[kind])


# Header values travel as latin-1 on the wire: printable characters of that range.
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=60)
# Strings as JSON can carry them, lone surrogates included (`"\ud800"` is valid JSON text, not valid Unicode).
odd_text = st.lists(st.sampled_from(["\ud800", "\udfff", "\ud83d", "\x00", "\n", ";"]) | st.characters(), max_size=8)
any_text = st.integers(0, 7).flatmap(lambda n: odd_text.map("".join) if n == 5 else st.text(max_size=20))
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | any_text
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)


def maybe(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly (15 in 16) the right kind of value, else anything JSON can hold."""
    return st.integers(0, 15).flatmap(lambda n: json_values if n == 7 else good)


def optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


def activities(service_url: str) -> st.SearchStrategy[dict[str, Any]]:
    channels = st.integers(0, 39).map("19:fuzz{}@thread.tacv2".format) | st.sampled_from(["a:personal", ""]) | any_text
    conversation_ids = st.tuples(channels, st.sampled_from(["", ";messageid=1", ";messageid=2"])).map("".join)
    account = optional({"id": maybe(any_text), "name": maybe(any_text), "aadObjectId": maybe(any_text)})
    known = st.sampled_from([DEMO_TENANT_ID] * 4 + [DEMO_TENANT_ID.upper(), "72f988bf-86f1-41af-91ab-2d7cd011db47"])
    tenant = st.integers(0, 3).flatmap(lambda n: any_text if n == 1 else known)
    command = optional(
        {
            "action": st.sampled_from([COMMAND_ACTION, "coordinator.createTasks", "coordinator.markDone"]) | any_text,
            "command": maybe(st.sampled_from(["help", "projects", "risk", ""]) | any_text),
            "project": maybe(st.sampled_from(["nope", ""]) | any_text),
            "meeting": json_values,
            "item": json_values,
        }
    )
    channel_data = optional(
        {
            "tenant": maybe(optional({"id": maybe(tenant)})),
            "channel": maybe(optional({"id": maybe(channels)})),
            "teamsChannelId": maybe(channels),
            "team": maybe(optional({"id": maybe(any_text), "aadGroupId": maybe(any_text)})),
        }
    )
    return st.fixed_dictionaries(
        {
            "type": maybe(st.sampled_from(["message"] * 4 + ["conversationUpdate", "installationUpdate", "typing"])),
            "conversation": maybe(
                st.fixed_dictionaries(
                    {"id": maybe(conversation_ids), "tenantId": maybe(tenant)},
                    optional={"conversationType": maybe(any_text)},
                )
            ),
            "id": maybe(any_text),
            "serviceUrl": maybe(st.just(service_url)),
        },
        optional={
            "channelId": maybe(st.just("msteams")),
            "from": maybe(account),
            "recipient": maybe(account | st.just({"id": f"28:{BOT_APP_ID}"})),
            "text": maybe(st.sampled_from(["help", "projects", "<at>Coordinator</at> help", "stauts", ""]) | any_text),
            "value": maybe(command),
            "membersAdded": maybe(st.lists(account | st.just({"id": f"28:{BOT_APP_ID}"}), max_size=3)),
            "channelData": maybe(channel_data),
        },
    )


@dataclass
class Fuzzed:
    app: flask.Flask
    statuses: Counter[int] = field(default_factory=Counter)

    def send(self, path: str, body: bytes, headers: dict[str, str]) -> None:
        """One request, and what every answer must be: below 500, JSON or nothing."""
        answer = self.app.test_client().post(path, data=body, headers=headers)
        assert answer.status_code < 500, (answer.status_code, answer.data[:200])
        if answer.data:
            assert answer.mimetype == "application/json"
            json.loads(answer.data)
        self.statuses[answer.status_code] += 1


def signed_headers(path: str, body: bytes, bf: BotFrameworkDouble) -> dict[str, str]:
    if path == MESSAGES:
        return {"Content-Type": "application/json", "Authorization": f"Bearer {bf.token(DEMO_NOW)}"}
    return {"Content-Type": "application/json", "Authorization": signature(VECTOR["security_token_base64"], body)}


@pytest.fixture
def fuzzed(app: flask.Flask, bf: BotFrameworkDouble) -> Iterator[Fuzzed]:
    """The app under fuzz, then the proof that it still serves: /healthz, and a real command answered."""
    yield Fuzzed(app)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    body = json.loads(WEBHOOK_BODY)
    body.update(id="fuzz-afterwards", conversation={**body["conversation"], "id": "19:afterwards@thread.skype"})
    raw = json.dumps(body).encode()
    answer = client.post(WEBHOOK, data=raw, headers=signed_headers(WEBHOOK, raw, bf))
    assert answer.status_code == 200 and "in PROJECT" in answer.get_json()["text"]


paths = st.sampled_from([MESSAGES, WEBHOOK])


def test_random_bytes_with_random_headers(fuzzed: Fuzzed):
    @fuzz("bytes")
    @given(path=paths, body=st.binary(max_size=300), authorization=st.none() | header_text, content_type=header_text)
    def run(path: str, body: bytes, authorization: str | None, content_type: str) -> None:
        headers = {"Content-Type": content_type}
        if authorization is not None:
            headers["Authorization"] = authorization
        fuzzed.send(path, body, headers)

    run()
    assert set(fuzzed.statuses) == {401}  # nothing unsigned gets further


def test_random_json_signed_validly(fuzzed: Fuzzed, bf: BotFrameworkDouble):
    @fuzz("json")
    @given(path=paths, value=json_values)
    def run(path: str, value: Any) -> None:
        body = json.dumps(value).encode()
        fuzzed.send(path, body, signed_headers(path, body, bf))

    run()
    assert fuzzed.statuses[400] > 100, fuzzed.statuses  # signed, so they reached the parser


REGRESSIONS = {
    # Found by test_activities_with_random_field_types_signed_validly: a lone surrogate reached the replay guard's
    # INSERT (UnicodeEncodeError, 500). Now a 400 before anything is stored.
    "a lone surrogate as the activity id": '"id": "\\ud800", "conversation": {"id": "19:a@thread.tacv2"}',
    "a lone surrogate in the conversation id": '"id": "1", "conversation": {"id": "19:a\\udfff@thread.tacv2"}',
    "half an emoji in the text": '"id": "2", "conversation": {"id": "19:a@thread.tacv2"}, "text": "\\ud83d help"',
}


@pytest.mark.parametrize("path", [MESSAGES, WEBHOOK])
@pytest.mark.parametrize("case", sorted(REGRESSIONS))
def test_strings_that_are_not_unicode_are_a_400(fuzzed, bf, path, case):
    body = f'{{"type": "message", "serviceUrl": "{bf.service_url}", {REGRESSIONS[case]}}}'.encode()
    answer = fuzzed.app.test_client().post(path, data=body, headers=signed_headers(path, body, bf))
    assert answer.status_code == 400, case
    assert answer.get_json() == {
        "error": "bad request",
        "message": "a JSON string holds a lone surrogate: not valid Unicode",
    }
    assert bf.posted == []


def test_an_escaped_surrogate_pair_is_an_ordinary_character(fuzzed, bf):
    conversation = {"id": "19:a@thread.tacv2", "tenantId": DEMO_TENANT_ID}
    body = json.dumps(
        {"type": "message", "serviceUrl": bf.service_url, "id": "3", "conversation": conversation, "text": "help 😀"}
    ).encode()
    assert b"\\ud83d\\ude00" in body  # json.dumps escapes it as the pair
    answer = fuzzed.app.test_client().post(MESSAGES, data=body, headers=signed_headers(MESSAGES, body, bf))
    assert answer.status_code == 200 and len(bf.posted) == 1


@pytest.mark.parametrize("path", [MESSAGES, WEBHOOK])
def test_json_nested_past_the_parsers_limit_is_a_400(fuzzed, bf, path):
    body = b"[" * 100_000 + b"]" * 100_000  # was a RecursionError (500), found by reading body.py, not by the fuzz
    answer = fuzzed.app.test_client().post(path, data=body, headers=signed_headers(path, body, bf))
    assert answer.status_code == 400 and answer.get_json() == {"error": "bad request", "message": "malformed JSON"}


def test_activities_with_random_field_types_signed_validly(fuzzed: Fuzzed, bf: BotFrameworkDouble):
    @fuzz("activities")
    @given(data=st.data(), path=paths)
    def run(data: st.DataObject, path: str) -> None:
        activity = data.draw(activities(bf.service_url), label="activity")
        body = json.dumps(activity).encode()
        fuzzed.send(path, body, signed_headers(path, body, bf))

    run()
    # Past authentication into every branch: parsed and refused (400), replayed or vouched for another serviceUrl
    # (401), another tenant (403), and run by the bot, whose replies reached the Bot Connector (200).
    assert all(fuzzed.statuses[status] > 20 for status in (200, 400, 401, 403)), fuzzed.statuses
    assert len(bf.posted) > 20


claims = optional(
    {
        "aud": maybe(st.just(BOT_APP_ID)),
        "iss": st.just("https://api.botframework.com") | header_text,  # PyJWT itself refuses to sign a non-string
        "exp": st.integers() | st.floats() | json_values,
        "nbf": st.integers() | st.floats() | json_values,
        "serviceurl": json_values,
    }
)


KINDS = ["bearer-garbage", "jwt-random-claims", "hmac-garbage", "raw"]


# Found by test_random_authorization_headers: a validly signed token whose exp was the year 10^9 made a
# ValueError (500) in auth.verify_token. The others are its neighbours: the last second datetime holds (plus the
# leeway, past it), NaN, infinity, a string, before 1970.
@pytest.mark.parametrize("exp", [62_640_000_000_000_000, 253_402_300_799, float("nan"), float("inf"), "1e20", -1])
def test_a_signed_token_with_an_impossible_expiry_is_a_401(fuzzed: Fuzzed, bf: BotFrameworkDouble, exp: Any):
    body = json.dumps({"type": "message", "conversation": {"id": "19:h@thread.tacv2"}}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {bf.token(DEMO_NOW, exp=exp)}"}
    fuzzed.send(MESSAGES, body, headers)
    assert fuzzed.statuses == {401: 1}


def test_random_authorization_headers(fuzzed: Fuzzed, bf: BotFrameworkDouble):
    @fuzz("headers")
    @given(
        path=paths,
        kind=st.sampled_from(KINDS),
        text=header_text,
        token_claims=claims,
        mac=st.binary(min_size=0, max_size=40),
    )
    def run(path: str, kind: str, text: str, token_claims: dict[str, Any], mac: bytes) -> None:
        body = json.dumps(
            {"type": "message", "id": text, "conversation": {"id": "19:h@thread.tacv2"}, "serviceUrl": bf.service_url}
        ).encode()
        if kind == "bearer-garbage":
            authorization = f"Bearer {text}"
        elif kind == "jwt-random-claims":  # signed by the trusted key, so every claim check runs on random values
            authorization = f"Bearer {bf.token(DEMO_NOW, **token_claims)}"
        elif kind == "hmac-garbage":
            authorization = f"HMAC {base64.b64encode(mac).decode()}"
        else:
            authorization = text
        fuzzed.send(path, body, {"Content-Type": "application/json", "Authorization": authorization})

    run()
    # Some random claims make a valid token: that activity names no tenant, so it is refused after authentication.
    assert fuzzed.statuses[401] > 400 and fuzzed.statuses[403] > 0, fuzzed.statuses
