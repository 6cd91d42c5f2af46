"""Directory names for the user ids Planner hands out, 20 per `$batch`, each looked up once per directory.

Planner's `assignments` are keyed by user id only. One `GET /users/{id}` per assignee would cost a round
trip each; a `$batch` carries 20 (https://learn.microsoft.com/graph/json-batching). A user the app cannot
see (deleted, or outside its permissions) becomes `Person.unknown` instead of failing the whole load.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.domain.people import Person
from assistant.graph.batch import BatchItem, run_batch
from assistant.graph.client import GraphClient

USER_FIELDS = "id,displayName,mail,userPrincipalName"


class PeopleDirectory:
    def __init__(self, client: GraphClient) -> None:
        self._client = client
        self._known: dict[str, Person] = {}

    def resolve(self, user_ids: Iterable[str]) -> dict[str, Person]:
        """A person for every id asked for; only ids not seen before cost a lookup."""
        wanted = list(dict.fromkeys(user_ids))
        missing = [uid for uid in wanted if uid not in self._known]
        if missing:
            items = [BatchItem(id=str(n), url=f"/users/{uid}?$select={USER_FIELDS}") for n, uid in enumerate(missing)]
            results = run_batch(self._client, items)
            for item, uid in zip(items, missing, strict=True):
                result = results[item.id]
                self._known[uid] = Person.unknown(uid) if result.status == 404 else to_person(result.json())
        return {uid: self._known[uid] for uid in wanted}


def to_person(user: dict[str, Any]) -> Person:
    return Person(
        name=user.get("displayName") or "",
        email=user.get("mail") or user.get("userPrincipalName") or "",
        id=user.get("id"),
    )
