"""Directory names for the user ids Planner hands out, 15 ids per request and 20 requests per `$batch`,
each looked up once per directory.

Planner's `assignments` are keyed by user id only. One `GET /users/{id}` per assignee would cost a request
each; `GET /users?$filter=id in ('…', …)` answers up to 15 ids at once (the `in` operator's default limit,
https://learn.microsoft.com/graph/filter-query-parameter; `id` supports `in` on users,
https://learn.microsoft.com/graph/api/resources/user), and a `$batch` carries 20 requests
(https://learn.microsoft.com/graph/json-batching). Other keys (a mail address or user principal name: the
minutes look invitees up by address) keep one `GET /users/{key}` each, which accepts either; a filter would
have to guess which property the key is. A user the app cannot see (deleted, or outside its permissions)
becomes `Person.unknown` instead of failing the whole load: a 404 for a single read, absence from a filtered
list.

`lookups` and `learn` let a caller send the requests in its own `$batch`es (the plan loader sends them with
the task details); `resolve` sends them itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from assistant.domain.ids import is_guid
from assistant.domain.people import Person
from assistant.graph.batch import BatchItem, BatchResult, run_batch
from assistant.graph.client import GraphClient

USER_FIELDS = "id,displayName,mail,userPrincipalName"
IDS_PER_FILTER = 15  # Graph's default limit of values for `in` in one `$filter`


@dataclass(frozen=True)
class Lookup:
    """One request of a name lookup and the keys it answers for."""

    item: BatchItem
    keys: tuple[str, ...]
    filtered: bool  # a `$filter=id in (…)` list, else a single `GET /users/{key}`


class PeopleDirectory:
    def __init__(self, client: GraphClient) -> None:
        self._client = client
        self._known: dict[str, Person] = {}

    def resolve(self, user_ids: Iterable[str]) -> dict[str, Person]:
        """A person for every id asked for; only ids not seen before cost a lookup."""
        wanted = list(dict.fromkeys(user_ids))
        asked = self.lookups(wanted, prefix="")
        if asked:
            results = run_batch(self._client, [lookup.item for lookup in asked])
            for lookup in asked:
                self.learn(lookup, results[lookup.item.id])
        return {uid: self._known[uid] for uid in wanted}

    def lookups(self, keys: Iterable[str], prefix: str) -> list[Lookup]:
        """The requests that name the keys not known yet, with ids `{prefix}u{n}` (the caller sends them)."""
        missing = [key for key in dict.fromkeys(keys) if key not in self._known]
        ids = [key for key in missing if is_guid(key)]
        others = [key for key in missing if not is_guid(key)]
        found: list[Lookup] = []
        for n in range(0, len(ids), IDS_PER_FILTER):
            group = tuple(ids[n : n + IDS_PER_FILTER])
            listed = ",".join(f"'{key}'" for key in group)  # GUIDs: nothing to escape
            condition = quote(f"id in ({listed})", safe="(),'")
            url = f"/users?$filter={condition}&$select={USER_FIELDS}"
            found.append(Lookup(BatchItem(id=f"{prefix}u{len(found)}", url=url), group, filtered=True))
        for key in others:
            url = f"/users/{quote(key, safe='@')}?$select={USER_FIELDS}"
            found.append(Lookup(BatchItem(id=f"{prefix}u{len(found)}", url=url), (key,), filtered=False))
        return found

    def learn(self, lookup: Lookup, result: BatchResult) -> None:
        """Take in the answer to one of `lookups`; an error other than a single read's 404 raises."""
        if not lookup.filtered:
            (key,) = lookup.keys
            self._known[key] = Person.unknown(key) if result.status == 404 else to_person(result.json())
            return
        by_id = {str(u.get("id", "")).casefold(): u for u in result.json().get("value", [])}
        for key in lookup.keys:
            user = by_id.get(key.casefold())
            self._known[key] = to_person(user) if user is not None else Person.unknown(key)


def to_person(user: dict[str, Any]) -> Person:
    return Person(
        name=user.get("displayName") or "",
        email=user.get("mail") or user.get("userPrincipalName") or "",
        id=user.get("id"),
    )
