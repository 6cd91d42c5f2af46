"""The outgoing-webhook HMAC against the refdata test vector (../shared/refdata/teams-webhooks)."""

from __future__ import annotations

import json

import pytest

from assistant.bot.hmac import signature, verify
from assistant.errors import VerificationError
from tests.conftest import REFDATA

FOLDER = REFDATA / "teams-webhooks"
VECTOR = json.loads((FOLDER / "outgoing-webhook.hmac-test-vector.json").read_text())
BODY = (FOLDER / VECTOR["body_file"]).read_bytes()
SECRET = VECTOR["security_token_base64"]


def test_the_vector_verifies():
    assert len(BODY) == VECTOR["body_length_bytes"]
    assert signature(SECRET, BODY) == VECTOR["expected_authorization_header"]
    verify(SECRET, VECTOR["expected_authorization_header"], BODY)


@pytest.mark.parametrize("case", list(VECTOR["negative_cases"]))
def test_the_must_fail_variants_fail(case: str):
    with pytest.raises(VerificationError):
        verify(SECRET, VECTOR["negative_cases"][case], BODY)


def test_a_tampered_body_fails():
    with pytest.raises(VerificationError, match="does not match"):
        verify(SECRET, VECTOR["expected_authorization_header"], BODY[:-1] + b" ")


@pytest.mark.parametrize("header", [None, "", "HMAC", "Bearer abc", "HMAC ä"])
def test_missing_or_odd_headers_fail(header):
    with pytest.raises(VerificationError):
        verify(SECRET, header, BODY)


def test_no_secret_configured_fails_closed():
    with pytest.raises(VerificationError, match="OUTGOING_WEBHOOK_SECRET"):
        verify(None, VECTOR["expected_authorization_header"], BODY)
