"""Errors raised by the storage layer.

    StorageError                the database could not do what was asked (bad URL, unsupported backend)
    └── StaleState              a compare-and-set lost: someone else wrote the entry first

Part of `assistant.errors.CoordinatorError`, so the CLI reports them in one line.
"""

from assistant.errors import CoordinatorError


class StorageError(CoordinatorError):
    """A storage problem whose message is safe to show: it never contains a password or stored values."""


class StaleState(StorageError):
    """A conditional write found a different version than the caller expected.

    Callers re-read, re-decide and retry; carrying the versions lets them log why without another query.
    """

    def __init__(self, namespace: str, key: str, *, expected_version: int | None, current_version: int | None) -> None:
        self.namespace = namespace
        self.key = key
        self.expected_version = expected_version
        self.current_version = current_version
        expected = "absent" if expected_version is None else f"version {expected_version}"
        current = "absent" if current_version is None else f"version {current_version}"
        super().__init__(f"state {namespace}/{key}: expected {expected}, found {current}")
