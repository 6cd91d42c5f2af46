"""Microsoft's msgraph-sdk pointed at the sandbox, used as a test oracle for "does the sandbox speak Graph?".

The SDK is Kiota-generated from Graph's own OpenAPI description, so its URL templates are what real clients
send and its models are what Graph's JSON is supposed to look like. Two pieces:

* `SdkOracle`: a `GraphServiceClient` wired to the sandbox exactly as GRAPH-FACTS §8 says (explicit scopes,
  the SDK's default middleware, an `httpx.AsyncClient` trusting the sandbox CA), driven from synchronous
  tests through one `asyncio.Runner`; every HTTP exchange is recorded with its raw JSON.
* `parse_problems`: compares the raw JSON with the model the SDK built from it. Kiota's JSON parser never
  complains: a value of the wrong type silently becomes `None`, an unknown enum member becomes `None`, and an
  unknown property lands in `additional_data`. The walk turns each of those into a readable problem.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import json
import ssl
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import jwt
from azure.core.credentials import AccessToken
from kiota_abstractions.serialization import Parsable
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_serialization_json.json_parse_node import JsonParseNode
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.graph_request_adapter import options as graph_middleware_options
from msgraph_core import GraphClientFactory

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
T = TypeVar("T")
P = TypeVar("P", bound=Parsable)


class StaticTokenCredential:
    """An azure-core `TokenCredential` handing out one token obtained from the sandbox's identity endpoint."""

    def __init__(self, token: str) -> None:
        self._token = token
        self._expires_on = int(jwt.decode(token, options={"verify_signature": False})["exp"])
        self.requested: list[tuple[str, ...]] = []

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        self.requested.append(scopes)
        return AccessToken(self._token, self._expires_on)


@dataclass
class Exchange:
    """One HTTP round trip as it went over the wire (after the SDK's middleware)."""

    method: str
    url: httpx.URL
    request_headers: httpx.Headers
    request_content: bytes
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def raw_path(self) -> str:
        """The path exactly as sent, percent-encoding included."""
        return self.url.raw_path.decode("ascii").split("?", 1)[0]

    def json(self) -> Any:
        return json.loads(self.content) if self.content else None


class SdkOracle:
    """A `GraphServiceClient` against the sandbox; `run(coro)` drives it from synchronous code."""

    def __init__(self, base_url: str, ca_bundle: str, token: str) -> None:
        self.exchanges: list[Exchange] = []
        self.credential = StaticTokenCredential(token)
        self._runner = asyncio.Runner()
        tls = ssl.create_default_context(cafile=ca_bundle)
        http = httpx.AsyncClient(verify=tls, base_url=base_url, event_hooks={"response": [self._record]})
        self._http = GraphClientFactory.create_with_default_middleware(client=http, options=graph_middleware_options)
        # Explicit scopes, or kiota derives "https://127.0.0.1/.default" from the sandbox URL (GRAPH-FACTS §8).
        auth = AzureIdentityAuthenticationProvider(self.credential, scopes=[GRAPH_SCOPE])
        self.adapter = GraphRequestAdapter(auth, client=self._http)
        self.adapter.base_url = base_url
        self.client = GraphServiceClient(request_adapter=self.adapter)

    async def _record(self, response: httpx.Response) -> None:
        await response.aread()
        request = response.request
        self.exchanges.append(
            Exchange(request.method, request.url, request.headers, request.content, response.status_code,
                     response.headers, response.content)
        )  # fmt: skip

    def run(self, awaitable: Awaitable[T]) -> T:
        async def wrapped() -> T:
            return await awaitable

        return self._runner.run(wrapped())

    def call(self, fn: Callable[[GraphServiceClient], Awaitable[T]]) -> T:
        return self.run(fn(self.client))

    @property
    def last(self) -> Exchange:
        return self.exchanges[-1]

    def close(self) -> None:
        try:
            self._runner.run(self._http.aclose())
        finally:
            self._runner.close()

    def __enter__(self) -> SdkOracle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------------------- raw JSON vs SDK model

# Kiota models whose unknown keys are data by design: Planner's open types keyed by user id, GUID or URL.
OPEN_TYPES = {
    "PlannerAssignments",
    "PlannerChecklistItems",
    "PlannerExternalReferences",
    "PlannerAppliedCategories",
    "PlannerUserIds",
}


# DateTimeOffset properties Graph itself sends without an offset: innerError.date is "2025-02-13T10:17:05" in
# Microsoft's samples (refdata/graph/errors/*.json, batch/batch.response.json) although the SDK types it
# DateTimeOffset.
NAIVE_DATETIMES = {("InnerError", "date")}


def is_annotation(key: str) -> bool:
    """OData instance annotations (`@odata.etag`, `name@odata.navigationLink`, `@microsoft.graph.*`)."""
    return "@" in key


_SHAPES: dict[type, dict[str, tuple[str, str]]] = {}


def _field_shapes(model: Parsable) -> dict[str, tuple[str, str]]:
    """JSON name -> (attribute, ParseNode getter), read from the generated deserializers, which all look like
    `lambda n : setattr(self, 'attr', n.get_x_value(...))`. Cached per class: building the dict is slow.
    """
    shapes = _SHAPES.get(type(model))
    if shapes is None:
        shapes = {}
        for key, fn in model.get_field_deserializers().items():
            code = fn.__code__
            attribute = next(c for c in code.co_consts if isinstance(c, str))
            getter = next(name for name in code.co_names if name.startswith("get_"))
            shapes[key] = (attribute, getter)
        _SHAPES[type(model)] = shapes
    return shapes


def parse_problems(model: Any, raw: Any, path: str = "$", allow_extra: Iterable[str] = ()) -> list[str]:
    """Everything the SDK lost, could not type or did not know when it parsed `raw` into `model`.

    `allow_extra` names non-annotation keys the caller expects to be unknown to the SDK (none by default).
    """
    allowed = set(allow_extra)
    problems: list[str] = []
    if not isinstance(model, Parsable):
        return [f"{path}: expected an SDK model, got {type(model).__name__}"]
    if not isinstance(raw, dict):
        return [f"{path}: expected a JSON object for {type(model).__name__}, got {type(raw).__name__}"]
    name = type(model).__name__
    fields = _field_shapes(model)
    for key, value in raw.items():
        where = f"{path}.{key}"
        if key not in fields:
            if not (is_annotation(key) or name in OPEN_TYPES or key in allowed):
                problems.append(f"{where}: {name} has no property {key!r} (landed in additional_data)")
            continue
        if value is None:
            continue
        attribute, getter = fields[key]
        parsed = getattr(model, attribute)
        naive_ok = (name, key) in NAIVE_DATETIMES
        problems += _value_problems(parsed, value, getter, where, allowed, naive_ok)
    return problems


def _value_problems(
    parsed: Any, value: Any, getter: str, where: str, allowed: set[str], naive_ok: bool = False
) -> list[str]:
    if parsed is None:
        return [f"{where}: the SDK ({getter}) could not read {json.dumps(value)[:80]}"]
    if getter == "get_object_value":
        return parse_problems(parsed, value, where, allowed)
    if getter.startswith("get_collection_of_"):
        if not isinstance(value, list):
            return [f"{where}: expected a JSON array, got {type(value).__name__}"]
        if len(parsed) != len(value):
            return [f"{where}: {len(value)} items sent, the SDK read {len(parsed)}"]
        item_getter = {
            "get_collection_of_object_values": "get_object_value",
            "get_collection_of_enum_values": "get_enum_value",
        }.get(getter, "get_primitive")
        problems = []
        for index, (item, raw_item) in enumerate(zip(parsed, value, strict=True)):
            if raw_item is not None:
                problems += _value_problems(item, raw_item, item_getter, f"{where}[{index}]", allowed)
        return problems
    expected: dict[str, type | tuple[type, ...]] = {
        "get_enum_value": enum.Enum,
        "get_datetime_value": dt.datetime,
        "get_date_value": dt.date,
        "get_time_value": dt.time,
        "get_uuid_value": uuid.UUID,
        "get_bool_value": bool,
        "get_int_value": int,
        "get_float_value": float,
        "get_str_value": str,
        "get_bytes_value": bytes,
    }
    kind = expected.get(getter)
    if kind is not None and not isinstance(parsed, kind):
        return [f"{where}: {getter} gave {type(parsed).__name__}"]
    if getter == "get_int_value" and isinstance(value, bool):
        return [f"{where}: a boolean where Graph has an integer"]
    if getter == "get_datetime_value" and parsed.tzinfo is None and not naive_ok:
        return [f"{where}: DateTimeOffset {value!r} has no offset"]
    return []


def parse_as(factory: type[P], raw: Any) -> P:
    """Parse raw JSON with the SDK's own JSON parser (what the request adapter does with a response body)."""
    return JsonParseNode(raw).get_object_value(factory)
