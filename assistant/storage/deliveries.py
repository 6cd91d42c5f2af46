"""The deliveries table: claim a report delivery before sending it, then write down what happened.

A claim is an INSERT of the idempotency key (ON CONFLICT DO NOTHING) or, for a row that may be taken over
(a failed run being retried, or any row when the user forces a re-post), an UPDATE that names the run and
status it read. Both are judged by their row count inside the database, so of two runs that start together
exactly one gets the row; the other sees it and sends nothing. Later writes name the run that owns the row,
so a run taken over by a forced one cannot overwrite the newer run's record (StaleState instead).

The store never reads a clock: every write takes `now`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.storage.db import Database
from assistant.storage.errors import StaleState
from assistant.storage.models import DELIVERY_STATUSES, Delivery
from assistant.storage.writes import check_now, dialect_insert, rows_written

NAMESPACE = "deliveries"  # for StaleState messages


@dataclass(frozen=True)
class DeliveryRecord:
    id: int
    key: str
    project: str
    report: str
    period: str
    status: str  # pending | delivered | partial | failed | unknown
    run: int
    method: str | None
    message_id: str | None
    document_url: str | None
    error: str | None
    attempts: tuple[dict[str, Any], ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Claim:
    """`won`: the caller now owns `record.run` (status pending). Otherwise `record` is the row as found."""

    record: DeliveryRecord
    won: bool


def _record(row: Delivery) -> DeliveryRecord:
    return DeliveryRecord(
        id=row.id,
        key=row.idempotency_key,
        project=row.project,
        report=row.report,
        period=row.period,
        status=row.status,
        run=row.run,
        method=row.method,
        message_id=row.message_id,
        document_url=row.document_url,
        error=row.error,
        attempts=tuple(json.loads(row.attempts)),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class DeliveryStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def get(self, key: str) -> DeliveryRecord | None:
        with self._database.session() as session:
            row = session.scalar(select(Delivery).where(Delivery.idempotency_key == key))
            return _record(row) if row is not None else None

    def for_project(self, project: str) -> list[DeliveryRecord]:
        """A project's deliveries, newest first."""
        with self._database.session() as session:
            rows = session.scalars(
                select(Delivery)
                .where(Delivery.project == project)
                .order_by(Delivery.created_at.desc(), Delivery.id.desc())
            )
            return [_record(row) for row in rows]

    def claim(
        self,
        key: str,
        *,
        project: str,
        report: str,
        period: str,
        now: datetime,
        retake: Collection[str] = (),
    ) -> Claim:
        """Insert `key` as pending (run 1), or take over an existing row whose status is in `retake`."""
        check_now(now)
        unknown = set(retake) - set(DELIVERY_STATUSES)
        if unknown:
            raise ValueError(f"unknown delivery statuses {sorted(unknown)}")
        row = {
            "idempotency_key": key, "project": project, "report": report, "period": period, "status": "pending",
            "run": 1, "attempts": "[]", "created_at": now, "updated_at": now,
        }  # fmt: skip
        with self._database.session() as session:
            if rows_written(session, dialect_insert(session)(Delivery).values(row).on_conflict_do_nothing()) == 1:
                return Claim(self._read(session, key), won=True)
            found = self._read(session, key)
            if found.status not in retake:
                return Claim(found, won=False)
            statement = (
                update(Delivery)
                .where(Delivery.idempotency_key == key, Delivery.run == found.run, Delivery.status == found.status)
                .values(status="pending", run=found.run + 1, method=None, message_id=None, document_url=None,
                        error=None, updated_at=now)
                .execution_options(synchronize_session=False)
            )  # fmt: skip
            won = rows_written(session, statement) == 1
            session.expire_all()
            return Claim(self._read(session, key), won=won)

    def record_document(self, key: str, run: int, url: str, *, now: datetime, attempt: Mapping[str, Any]) -> None:
        self._write(key, run, now, {"document_url": url}, attempt)

    def record_attempt(self, key: str, run: int, attempt: Mapping[str, Any], *, now: datetime) -> None:
        self._write(key, run, now, {}, attempt)

    def finish(
        self,
        key: str,
        run: int,
        status: str,
        *,
        now: datetime,
        method: str | None = None,
        message_id: str | None = None,
        error: str | None = None,
    ) -> DeliveryRecord:
        if status not in DELIVERY_STATUSES or status == "pending":
            raise ValueError(f"a finished delivery cannot be {status!r}")
        changes = {"status": status, "method": method, "message_id": message_id, "error": error}
        self._write(key, run, now, changes, None)
        found = self.get(key)
        assert found is not None
        return found

    def _write(
        self, key: str, run: int, now: datetime, changes: Mapping[str, Any], attempt: Mapping[str, Any] | None
    ) -> None:
        """Apply `changes` (and append `attempt`) to the row if `run` still owns it."""
        check_now(now)
        with self._database.session() as session:
            current = session.execute(
                select(Delivery.run, Delivery.attempts).where(Delivery.idempotency_key == key)
            ).one_or_none()
            values = {**changes, "updated_at": now}
            if current is not None and attempt is not None:
                values["attempts"] = json.dumps([*json.loads(current.attempts), dict(attempt)], ensure_ascii=True)
            statement = (
                update(Delivery)
                .where(Delivery.idempotency_key == key, Delivery.run == run)
                # The attempts list read above must still be the one replaced (one writer per run, but a
                # forced run may have taken the row over in between).
                .where(Delivery.attempts == (current.attempts if current is not None else "[]"))
                .values(values)
                .execution_options(synchronize_session=False)
            )
            if current is None or rows_written(session, statement) != 1:
                now_run = session.scalar(select(Delivery.run).where(Delivery.idempotency_key == key))
                raise StaleState(NAMESPACE, key, expected_version=run, current_version=now_run)

    @staticmethod
    def _read(session: Session, key: str) -> DeliveryRecord:
        row = session.scalar(select(Delivery).where(Delivery.idempotency_key == key))
        assert row is not None
        return _record(row)
