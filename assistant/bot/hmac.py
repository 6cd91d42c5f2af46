"""Teams outgoing webhooks: the `Authorization: HMAC <base64>` signature over the raw request body.

Spec: https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook
("Verify the outgoing webhook HMAC token"), and ../shared/refdata/GRAPH-FACTS.md 4.2 and gotcha 12:
key = base64-decode(the security token shown at creation); mac = HMAC-SHA256(key, the body bytes exactly as
received, never re-serialised JSON); header = "HMAC " + base64(mac); compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac as _hmac

from assistant.errors import VerificationError

PREFIX = "HMAC "


def signature(secret_b64: str, body: bytes) -> str:
    """The header value Teams sends for `body`."""
    mac = _hmac.new(base64.b64decode(secret_b64), body, hashlib.sha256).digest()
    return PREFIX + base64.b64encode(mac).decode("ascii")


def verify(secret_b64: str | None, authorization: str | None, body: bytes) -> None:
    """Raise VerificationError unless `authorization` is the HMAC of `body` under the shared secret."""
    if not secret_b64:
        raise VerificationError("outgoing webhook: COORDINATOR_OUTGOING_WEBHOOK_SECRET is not set")
    if not authorization or not authorization.startswith(PREFIX):
        raise VerificationError("outgoing webhook: no HMAC Authorization header")
    expected = signature(secret_b64, body)
    if not _hmac.compare_digest(expected.encode("ascii"), authorization.strip().encode("ascii", "replace")):
        raise VerificationError("outgoing webhook: HMAC does not match the body")
