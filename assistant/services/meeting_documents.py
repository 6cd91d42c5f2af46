"""Meeting documents in the project's channel, agendas and minutes alike: where they are filed, under which name,
and the short card that announces one.

A meeting's documents are filed in the channel's Files folder under `Meeting documents/<series>/`, named
`<meeting day> <series> <kind>.docx` (`2026-03-05 Atlas stand-up agenda.docx`, `… minutes.docx`; characters
SharePoint refuses become `-`). The name holds nothing that changes between runs, so filing a document again for
the same meeting replaces its file instead of adding a second one. The card is posted by the project's delivery
methods in order until one delivers; there is no delivery record: every post posts a new card (a changed
document is worth announcing again), and a post that may or may not have landed is not retried.

Attaching (`--attach`, off by default) puts the same Word document on the meeting's Outlook invitation in the
project's calendar mailbox, replacing an earlier attachment of the same name. It needs the application permission
Calendars.ReadWrite (write access to every mailbox unless an application access policy narrows it), which the
channel filing does not; and it changes only that mailbox's copy: Graph sends attendees nothing until the organizer
updates the event (https://learn.microsoft.com/graph/api/event-post-attachments).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from assistant.domain.meetings import Meeting
from assistant.domain.project import Project
from assistant.errors import DeliveryError
from assistant.graph.calendar_attachments import EventAttachment, attach_to_event
from assistant.graph.errors import Forbidden, GraphError
from assistant.graph.teams import FiledDocument, file_in_channel, safe_name
from assistant.services.connect import Connection
from assistant.services.delivery_methods import (
    DeliveryMethod,
    Receipt,
    bot_poster,
    delegated_graph_client,
    delivery_methods,
    method_names,
)
from assistant.settings import Settings
from assistant.storage.db import Database
from assistant.storage.migrate import upgrade

log = logging.getLogger(__name__)

MEETING_DOCUMENTS = "Meeting documents"  # inside the channel's Files folder
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class PostedDocument:
    document: FiledDocument
    receipt: Receipt
    summary: str  # one line for the person who ran it
    version: int | None = None  # the document's number for this meeting and kind, when it is recorded


@dataclass(frozen=True)
class AttachedDocument:
    attachment: EventAttachment
    summary: str  # one line for the person who ran it


def series_name(meeting: Meeting) -> str:
    """The name a series' documents are filed under: the meeting's subject, spaces made single."""
    return " ".join(meeting.subject.split())


def document_name(project: Project, series: str, day: dt.date, kind: str) -> str:
    """`2026-03-05 Atlas stand-up agenda.docx`: dated and readable, a name SharePoint accepts, the same for every
    run for one meeting."""
    title = safe_name(series) or safe_name(project.name) or project.key
    return f"{day.isoformat()} {title} {kind}.docx"


def series_folder(project: Project, series: str) -> str:
    """`Meeting documents/Atlas stand-up`: one folder per series, in the channel's Files folder."""
    return f"{MEETING_DOCUMENTS}/{safe_name(series) or project.key}"


def file_document(graph: Connection, project: Project, series: str, name: str, content: bytes) -> FiledDocument:
    """Upload the document to its series' folder, replacing a file of the same name."""
    folder = series_folder(project, series)
    return file_in_channel(graph.client, project.team_id, project.channel_id, name, content, subfolder=folder)


def attach_document(
    graph: Connection, project: Project, meeting: Meeting, noun: str, name: str, content: bytes
) -> AttachedDocument:
    """Attach the Word document to the meeting's invitation in the project's calendar (see the module docstring).

    `noun` names the document in messages (`agenda`, `minutes`). A 403 becomes one line naming the permission.
    """
    try:
        attached = attach_to_event(graph.client, project.calendar, meeting.id, name, content, DOCX)
    except Forbidden:
        raise GraphError(
            f"{project.key}: --attach: Graph refused to attach the {noun} to the invitation in {project.calendar} "
            "(403): the app registration lacks the application permission Calendars.ReadWrite, which Coordinator "
            "does not need without --attach (off by default; see docs/agenda.md)"
        ) from None
    verb = "replaced on" if attached.replaced else "attached to"
    summary = (
        f"{project.key}: {noun} {verb} the invitation in {project.calendar} ({attached.name}); attendees get it "
        "only when the organizer sends an update"
    )
    return AttachedDocument(attached, summary)


@contextmanager
def project_database(settings: Settings) -> Iterator[Database]:
    """The database (migrated first): the delegated token for channel posts and the meeting records live there."""
    upgrade(settings.database)
    database = Database.from_url(settings.database)
    try:
        yield database
    finally:
        database.dispose()


def methods_for(
    settings: Settings, graph: Connection, project: Project, database: Database, clock: Callable[[], dt.datetime]
) -> list[DeliveryMethod]:
    graph_client = delegated_graph_client(settings, graph.session, database, clock)
    bot = bot_poster(settings, graph.session, database)
    return delivery_methods(project, session=graph.session, graph_client=graph_client, bot=bot)


def announce(
    key: str, noun: str, filed: FiledDocument, card: Mapping[str, Any], methods: Sequence[DeliveryMethod]
) -> PostedDocument:
    """Post `card` by the first of `methods` that delivers; one that may have posted ends the tries.

    `noun` names the document in messages (`agenda`, `minutes`). Raises DeliveryError when the card was not
    posted (`partial`: the document is filed) or may have been (`unknown`).
    """
    receipts: list[Receipt] = []
    log.info("posting %s by %s", key, method_names(methods))
    for method in methods:
        receipt = method.deliver(card)
        receipts.append(receipt)
        if receipt.outcome == "delivered":
            summary = (
                f"{key}: {noun} {filed.verb} ({filed.web_url}); card posted by {receipt.method} ({receipt.detail})"
            )
            return PostedDocument(filed, receipt, summary)
        log.warning("%s card %s by %s: %s", noun, key, receipt.method, receipt.outcome)
        if receipt.outcome == "unknown":
            raise DeliveryError(
                f"{key}: the card MAY OR MAY NOT have been posted ({_tried(receipts)}); not sent again, to avoid a "
                f"duplicate. {noun.capitalize()} filed in the channel: {filed.web_url}. Look in the channel",
                key=key,
                status="unknown",
            )
    tried = _tried(receipts) if receipts else "no delivery method configured"
    raise DeliveryError(
        f"{key}: card NOT posted ({tried}). {noun.capitalize()} filed in the channel: {filed.web_url}",
        key=key,
        status="partial",
    )


def _tried(receipts: Sequence[Receipt]) -> str:
    return "; ".join(f"{r.method}: {r.detail}" for r in receipts)
