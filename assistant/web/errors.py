"""The one place that turns errors into HTTP answers (STYLE 5): JSON bodies, and nothing that helps an attacker.

- `VerificationError` → 401 `{"error": "unauthorized"}`; the reason goes to the log only.
- HTTP errors raised by Flask/werkzeug (413 over `MAX_CONTENT_LENGTH`, 400, 403 for a tenant not allowed,
  404, 405) → their status, as JSON `{"error": "<the status's name>"}`, plus `"message"` when the code raising
  it said why (web/body.py's 400s, web/admission.py's 403): those come after authentication, to Teams itself.
- Any other `CoordinatorError` (a reply that could not be posted, Graph down) → 502 with its message.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from assistant.errors import CoordinatorError, VerificationError

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    @app.errorhandler(VerificationError)
    def _unauthorized(exc: VerificationError) -> ResponseReturnValue:
        log.warning("refused %s %s from %s: %s", request.method, request.path, request.remote_addr, exc)
        return jsonify(error="unauthorized"), 401

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        body = {"error": (exc.name or "error").lower()}
        if exc.description and exc.description != type(exc).description:  # ours, not werkzeug's stock text
            body["message"] = exc.description
        return jsonify(body), exc.code or 500

    @app.errorhandler(CoordinatorError)
    def _coordinator(exc: CoordinatorError) -> ResponseReturnValue:
        log.error("%s %s failed: %s", request.method, request.path, exc)
        return jsonify(error=str(exc)), 502
