"""The sandbox's Flask application: Graph routes, identity, controls, and Graph's error handling."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from assistant.sandbox import odata
from assistant.sandbox.api.attachments import attachments
from assistant.sandbox.api.batch import batch
from assistant.sandbox.api.botconnector import botconnector
from assistant.sandbox.api.calendar import calendar
from assistant.sandbox.api.files import files
from assistant.sandbox.api.meetings import meetings
from assistant.sandbox.api.planner import planner
from assistant.sandbox.api.subscriptions import subscriptions
from assistant.sandbox.api.teams import teams
from assistant.sandbox.api.users import users
from assistant.sandbox.botframework import botframework
from assistant.sandbox.context import Sandbox, graph_response
from assistant.sandbox.control import control
from assistant.sandbox.errors import GraphHTTPError, error_body
from assistant.sandbox.faults import FaultMiddleware
from assistant.sandbox.identity import identity

log = logging.getLogger(__name__)


def create_sandbox_app(sandbox: Sandbox) -> Flask:
    app = Flask("assistant.sandbox")
    app.extensions["sandbox"] = sandbox
    app.json.sort_keys = False  # type: ignore[attr-defined]
    # Graph answers every documented spelling of a resource itself: `/me/calendarView` and
    # `/me/calendar/calendarView` are both request lines of one operation
    # (https://learn.microsoft.com/graph/api/user-list-calendarview), as are `/calendarView/delta` and the SDK's
    # `/calendarView/delta()` (https://learn.microsoft.com/graph/api/event-delta). Werkzeug would instead 308 a
    # URL to whichever rule of the same view it builds by default (every `/me` alias registered with
    # `defaults={"user_key": "me"}`, and `/users/me/...` too), so that canonicalisation is switched off.
    app.url_map.redirect_defaults = False
    blueprints = (
        identity,
        users,
        calendar,
        attachments,
        meetings,
        planner,
        teams,
        files,
        subscriptions,
        batch,
        botframework,
        botconnector,
        control,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.before_request(_before)
    app.after_request(_after)
    app.register_error_handler(GraphHTTPError, _graph_error)
    app.register_error_handler(odata.ODataError, _odata_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.wsgi_app = FaultMiddleware(app.wsgi_app, sandbox.faults)  # type: ignore[method-assign]
    return app


def _before() -> None:
    g.request_id = str(uuid.uuid4())
    sandbox = _sandbox()
    if not request.path.startswith("/_sandbox"):
        rule = request.url_rule.rule if request.url_rule else "<unmatched>"
        with sandbox.state.lock:
            sandbox.state.request_counts[f"{request.method} {rule}"] += 1
    fault = request.environ.get("sandbox.fault")
    if fault is not None:
        raise _fault_error(fault.status, fault.retry_after)


def _sandbox() -> Sandbox:
    from assistant.sandbox.context import current

    return current()


def _fault_error(status: int, retry_after: int | None) -> GraphHTTPError:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    if status == 429:
        # Body as on https://learn.microsoft.com/graph/throttling (refdata/graph/errors/throttled-429*).
        return GraphHTTPError(
            429, "TooManyRequests", "Please retry again later.", headers, {"code": "429", "status": "429"}
        )
    if status == 503:
        return GraphHTTPError(503, "serviceNotAvailable", "The service is temporarily unavailable.", headers)
    if status == 504:
        return GraphHTTPError(504, "gatewayTimeout", "The gateway did not receive a timely response.", headers)
    return GraphHTTPError(status, "generalException", "Sandbox fault.", headers)


def _after(response: Response) -> Response:
    request_id = g.get("request_id", str(uuid.uuid4()))
    response.headers["request-id"] = request_id
    response.headers["client-request-id"] = request.headers.get("client-request-id", request_id)
    return response


def _graph_error(error: GraphHTTPError) -> Response:
    now = _sandbox().clock.now()
    body = error_body(
        error,
        date=now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        request_id=g.get("request_id", ""),
        client_request_id=request.headers.get("client-request-id", ""),
    )
    return graph_response(body, error.status, error.headers)


def _odata_error(error: Any) -> Response:
    return _graph_error(GraphHTTPError(error.status, error.code, error.message))


def _http_error(error: HTTPException) -> Response:
    if request.path.startswith("/v1.0") and error.code == 404:
        segment = request.path.rstrip("/").rsplit("/", 1)[-1]
        return _graph_error(GraphHTTPError(400, "BadRequest", f"Resource not found for the segment '{segment}'."))
    if request.path.startswith("/v1.0") and error.code == 405:
        return _graph_error(
            GraphHTTPError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
        )
    return error.get_response()  # type: ignore[return-value]


def _unexpected(error: Exception) -> Response:
    log.exception("sandbox: unexpected error on %s %s", request.method, request.path)
    return _graph_error(GraphHTTPError(500, "generalException", "An unexpected error occurred in the sandbox."))
