"""People as the coordinator names them: a display name, a mail address, and a directory id when known."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""
    id: str | None = None  # directory object id; None for guests and external attendees

    @classmethod
    def unknown(cls, user_id: str) -> Person:
        """Someone the directory no longer knows (deleted, or hidden from the app): named by their id."""
        return cls(name=f"unknown user {user_id[:8]}", id=user_id)

    def __str__(self) -> str:
        return self.name or self.email or (self.id or "")
