"""Reading a request body as an Activity: raw bytes first (the HMAC covers them), size capped, JSON checked
(syntax, nesting, valid Unicode in every string), then the Activity's shape."""

from __future__ import annotations

import json

from flask import request
from pydantic import ValidationError
from werkzeug.exceptions import BadRequest

from assistant.bot.activity import Activity

MAX_BODY_BYTES = 256 * 1024  # Teams messages are at most 28 KB; Flask answers 413 above this (MAX_CONTENT_LENGTH)


def raw_body() -> bytes:
    """The body exactly as received; werkzeug raises 413 past MAX_CONTENT_LENGTH, chunked bodies included."""
    return request.get_data(cache=True)


def activity_from(body: bytes) -> Activity:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # nested deeper than Python recurses
        raise BadRequest("malformed JSON") from None
    try:
        # `"\ud800"` is valid JSON text but no Unicode string (RFC 8259 §8.2): the database, the log and the Bot
        # Connector would each fail on it later, so it stops here (found by tests/web/test_fuzz.py).
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest("a JSON string holds a lone surrogate: not valid Unicode") from None
    try:
        return Activity.model_validate(data)
    except ValidationError:
        raise BadRequest("not a Bot Framework activity") from None
