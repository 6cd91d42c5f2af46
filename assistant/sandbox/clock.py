"""The sandbox's clock: real time by default, frozen or shifted through `/_sandbox/clock`.

Token lifetimes, subscription expiry and `createdDateTime` of new resources all read this clock, so a test
can expire a token by moving the clock instead of waiting.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable


class SandboxClock:
    def __init__(self, source: Callable[[], dt.datetime] | None = None) -> None:
        self._source = source or (lambda: dt.datetime.now(dt.UTC))
        self._offset = dt.timedelta(0)
        self._frozen: dt.datetime | None = None
        self._initial: dt.datetime | None = None
        self._lock = threading.Lock()

    @classmethod
    def frozen_at(cls, at: dt.datetime) -> SandboxClock:
        """A clock stopped at `at`; `restore()` returns to this moment (tests pin the sandbox's time)."""
        clock = cls()
        clock.freeze(at)
        clock._initial = clock._frozen
        return clock

    def now(self) -> dt.datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return self._source() + self._offset

    def freeze(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("the sandbox clock needs an aware datetime")
        with self._lock:
            self._frozen = at.astimezone(dt.UTC)

    def advance(self, delta: dt.timedelta) -> None:
        with self._lock:
            if self._frozen is not None:
                self._frozen += delta
            else:
                self._offset += delta

    def unfreeze(self) -> None:
        with self._lock:
            self._frozen = None
            self._offset = dt.timedelta(0)

    def restore(self) -> None:
        """Back to how the clock was made: real time, or the moment it was frozen at."""
        with self._lock:
            self._frozen = self._initial
            self._offset = dt.timedelta(0)
