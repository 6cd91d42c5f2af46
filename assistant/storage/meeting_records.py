"""What meetings produced: documents (numbered), decisions and action items, kept between runs.

Action items are keyed by an id derived from the meeting and the notes line (`domain.minutes.action_id`):
saving the same minutes twice changes nothing, and a Planner task id or a closed status already recorded is
never overwritten by a re-run. The next agenda of the series reads the open ones back.

Each project's items are also numbered 1, 2, … as they are first recorded, and a number is never reused or
shifted: `done 4` means the same item whoever closed others in between. Two writers numbering at once collide
on the (project, number) unique constraint; the loser's transaction is rolled back and run again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from assistant.domain.actions import ActionItem, ActionStatus
from assistant.domain.meetings import Meeting
from assistant.domain.people import Person
from assistant.storage.db import Database
from assistant.storage.models import ActionRow, Decision, MeetingDocument, MeetingNotes, MeetingSeen

NUMBERING_ATTEMPTS = 10  # each collision has one winner; the losers read the new maximum and go again
T = TypeVar("T")


class MeetingRecords:
    def __init__(self, database: Database) -> None:
        self._db = database

    def remember(self, meeting: Meeting, project: str, kind: str, now: datetime) -> None:
        with self._db.session() as session:
            row = session.get(MeetingSeen, meeting.id)
            if row is None:
                row = MeetingSeen(id=meeting.id, project=project, seen_at=now)
                session.add(row)
            row.series_id, row.subject, row.start, row.kind = meeting.series_id, meeting.subject, meeting.start, kind

    def add_document(self, meeting_id: str, kind: str, name: str, web_url: str | None, now: datetime) -> int:
        """Record a generated document; returns its version (1, 2, …) for this meeting and kind. Two writers
        taking the same version collide on the unique (meeting, kind, version); the loser takes the next one."""
        return _numbered(lambda: self._add_document(meeting_id, kind, name, web_url, now))

    def _add_document(self, meeting_id: str, kind: str, name: str, web_url: str | None, now: datetime) -> int:
        with self._db.session() as session:
            last = session.scalar(
                select(func.max(MeetingDocument.version)).where(
                    MeetingDocument.meeting_id == meeting_id, MeetingDocument.kind == kind
                )
            )
            version = int(last or 0) + 1
            session.add(
                MeetingDocument(
                    meeting_id=meeting_id, kind=kind, version=version, name=name, web_url=web_url, created_at=now
                )
            )
        return version

    def replace_decisions(self, meeting_id: str, decisions: Sequence[str], now: datetime) -> None:
        with self._db.session() as session:
            session.execute(delete(Decision).where(Decision.meeting_id == meeting_id))
            session.add_all(
                Decision(meeting_id=meeting_id, position=n, text=text, created_at=now)
                for n, text in enumerate(decisions)
            )

    def save_notes(self, meeting_id: str, text: str, now: datetime) -> None:
        with self._db.session() as session:
            row = session.get(MeetingNotes, meeting_id)
            if row is None:
                session.add(MeetingNotes(meeting_id=meeting_id, text=text, updated_at=now))
            else:
                row.text, row.updated_at = text, now

    def notes(self, meeting_id: str) -> str | None:
        with self._db.session() as session:
            row = session.get(MeetingNotes, meeting_id)
            return row.text if row is not None else None

    def decisions(self, meeting_id: str) -> list[str]:
        with self._db.session() as session:
            query = select(Decision.text).where(Decision.meeting_id == meeting_id).order_by(Decision.position)
            return list(session.scalars(query))

    def save_actions(self, project: str, actions: Iterable[ActionItem], now: datetime) -> list[ActionItem]:
        """Insert new actions (numbered after the project's last), refresh the wording of known ones; returns them
        as stored (numbers, task ids, status)."""
        wanted = list(actions)
        return _numbered(lambda: self._save_actions(project, wanted, now))

    def _save_actions(self, project: str, actions: Sequence[ActionItem], now: datetime) -> list[ActionItem]:
        stored = []
        with self._db.session() as session:
            for action in actions:
                row = session.get(ActionRow, action.id)
                if row is None:
                    last = session.scalar(select(func.max(ActionRow.number)).where(ActionRow.project == project))
                    row = ActionRow(
                        id=action.id,
                        project=project,
                        number=(last or 0) + 1,
                        status=ActionStatus.OPEN.value,
                        planner_task_id=None,
                        created_at=now,
                    )
                    session.add(row)
                row.meeting_id, row.series_id = action.meeting_id, action.series_id
                row.meeting_subject, row.meeting_day = action.meeting_subject, action.meeting_day
                row.text, row.owner_text, row.due = action.text, action.owner_text, action.due
                owner = action.owner
                row.owner_id = owner.id if owner else None
                row.owner_name = owner.name if owner else None
                row.owner_email = owner.email if owner else None
                row.updated_at = now
                session.flush()
                stored.append(_action(row))
        return stored

    def actions(self, project: str, *, open_only: bool = False) -> list[ActionItem]:
        """The project's action items by number, the order they were recorded in (what `actions` lists)."""
        with self._db.session() as session:
            query = select(ActionRow).where(ActionRow.project == project)
            if open_only:
                query = query.where(ActionRow.status == ActionStatus.OPEN.value)
            rows = session.scalars(query.order_by(ActionRow.number, ActionRow.id))
            return [_action(row) for row in rows]

    def set_planner_task(self, action_id: str, task_id: str, now: datetime) -> None:
        with self._db.session() as session:
            row = session.get(ActionRow, action_id)
            if row is not None and row.planner_task_id is None:
                row.planner_task_id, row.updated_at = task_id, now

    def close(self, action_ids: Iterable[str], now: datetime) -> int:
        """Mark actions done (their Planner task was completed); returns how many changed."""
        changed = 0
        with self._db.session() as session:
            for action_id in action_ids:
                row = session.get(ActionRow, action_id)
                if row is not None and row.status != ActionStatus.DONE.value:
                    row.status, row.updated_at = ActionStatus.DONE.value, now
                    changed += 1
        return changed


def _numbered(write: Callable[[], T]) -> T:
    """Run a write that numbers rows (max + 1) again when a concurrent writer took the same number first: its
    transaction was rolled back, and the next attempt reads the new maximum."""
    for attempt in range(1, NUMBERING_ATTEMPTS + 1):
        try:
            return write()
        except IntegrityError:
            if attempt == NUMBERING_ATTEMPTS:
                raise
            time.sleep(random.uniform(0, 0.005 * attempt))  # so the same writers do not collide in step again
    raise AssertionError("unreachable")


def _action(row: ActionRow) -> ActionItem:
    owner = Person(row.owner_name or "", row.owner_email or "", row.owner_id) if row.owner_name else None
    return ActionItem(
        id=row.id,
        text=row.text,
        owner_text=row.owner_text,
        owner=owner,
        due=row.due,
        meeting_id=row.meeting_id,
        series_id=row.series_id,
        meeting_subject=row.meeting_subject,
        meeting_day=row.meeting_day,
        status=ActionStatus(row.status),
        planner_task_id=row.planner_task_id,
        number=row.number,
    )
