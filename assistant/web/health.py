"""`GET /healthz`: the process answers. It calls nothing else, so a Graph outage does not restart the bot."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from assistant import __version__


def blueprint() -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz() -> ResponseReturnValue:
        return jsonify(status="ok", version=__version__)

    return bp
