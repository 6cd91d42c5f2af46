"""Deliver a report to its project's channel: file the Word document, then post the card that links it.

One delivery per idempotency key `project/report/period`, recorded in the `deliveries` table
(`storage/deliveries.py`). The key is claimed before anything is sent, so running twice — or two
schedulers at once — posts once. What a run finds decides what it does:

    no row, or `failed`/`partial` (nothing posted yet)   claim it and deliver
    `delivered`                                          nothing; says when and how (force: deliver again)
    `pending` (another run is at it, or one crashed)     nothing; DeliveryError (force: take it over)
    `unknown` (a post got no answer: maybe posted)       nothing; DeliveryError (check the channel; force)

A run files the document first (its link goes in the card), then tries the project's delivery methods in
order (`services/delivery_methods.py`); a method that certainly did not post lets the next one try, one
that may have posted ends the run as `unknown` — a duplicate card is worse than asking a person to look.
Each step is appended to the record as it happens, and a run that stops half-way (an error, Ctrl-C) still
finishes its record before the exception goes on, so the table always says what was and was not delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from assistant.domain.project import Project
from assistant.domain.status import StatusReport
from assistant.errors import DeliveryError
from assistant.graph.client import GraphClient
from assistant.graph.errors import GraphError
from assistant.graph.teams import FiledDocument, file_in_channel
from assistant.services.delivery_methods import DeliveryMethod, Receipt, method_names
from assistant.storage.deliveries import DeliveryRecord, DeliveryStore
from assistant.storage.models import DELIVERY_STATUSES

log = logging.getLogger(__name__)

STATUS_REPORT = "status"
REPORTS_FOLDER = "Status reports"  # inside the channel's Files folder
RETAKE_AFTER_FAILURE = ("failed", "partial")  # nothing was posted: a plain re-run may try again
_UNSAFE_IN_NAMES = re.compile(r'["*:<>?/\\|]+')
# A run stopped by an exception: the record's status, and what the run was doing, by phase.
_INTERRUPTED = {
    "filing": ("failed", "filing the document; card not posted"),
    "filed": ("partial", "preparing the card; document filed, card not posted"),
    "posting": ("unknown", "posting the card; it may have been posted"),
    "posted": ("delivered", "finishing the record; the card was posted"),
}


@dataclass(frozen=True)
class ReportDocument:
    name: str  # file name in the channel folder, e.g. "Apollo status 2026-03-04.docx"
    content: bytes


@dataclass(frozen=True)
class DeliveryResult:
    record: DeliveryRecord
    posted: bool  # False: this run sent nothing (the report was already delivered)
    summary: str  # one line for the person who ran it


def delivery_key(project: str, report: str, period: str) -> str:
    return f"{project}/{report}/{period}"


def status_period(report: StatusReport) -> str:
    """The period part of a status report's key: its first and last day."""
    return f"{report.period_start.isoformat()}..{report.period_end.isoformat()}"


def status_document_name(report: StatusReport) -> str:
    """A file name SharePoint accepts, the same for every run of one period (so a re-run replaces the file)."""
    name = _UNSAFE_IN_NAMES.sub("-", f"{report.project.name} status {report.period_end.isoformat()}")
    return f"{name.strip(' .-') or report.project.key}.docx"


def channel_filer(
    client: GraphClient, project: Project, subfolder: str | None = REPORTS_FOLDER
) -> Callable[[ReportDocument], FiledDocument]:
    """Files documents in the project channel's Files folder with `client` (app-only: Files.ReadWrite.All)."""

    def file(document: ReportDocument) -> FiledDocument:
        return file_in_channel(
            client, project.team_id, project.channel_id, document.name, document.content, subfolder=subfolder
        )

    return file


def deliver_status(
    store: DeliveryStore,
    project: Project,
    *,
    period: str,
    document: ReportDocument,
    make_card: Callable[[str], Mapping[str, Any]],
    file_document: Callable[[ReportDocument], FiledDocument],
    methods: Sequence[DeliveryMethod],
    clock: Callable[[], dt.datetime],
    force: bool = False,
    report: str = STATUS_REPORT,
) -> DeliveryResult:
    """File `document`, post `make_card(document_url)` by the first of `methods` that can; once per period.

    Raises DeliveryError when the card was not posted (the record says what was), or when another run holds
    or may already have done this delivery. `force` posts again whatever the record says.
    """
    key = delivery_key(project.key, report, period)
    if not methods:
        raise DeliveryError(f"{key}: no delivery method configured; nothing sent", key=key, status="failed")
    retake = DELIVERY_STATUSES if force else RETAKE_AFTER_FAILURE
    claim = store.claim(key, project=project.key, report=report, period=period, now=clock(), retake=retake)
    if not claim.won:
        return _not_claimed(claim.record)
    run = _Run(store, key, claim.record.run, clock)
    log.info("delivering %s (run %d) by %s", key, run.number, method_names(methods), extra=run.fields)
    with run:
        filed = run.file(document, file_document)
        if filed is None:
            run.fail("failed", f"the document was not filed in the channel ({run.last_detail}); card not posted")
        card = make_card(filed.web_url)
        receipts = []
        for method in methods:
            run.phase = "posting"
            receipt = method.deliver(card)
            # "posting" stays for an unknown outcome: if recording it fails, the record must still say "maybe".
            run.phase = {"delivered": "posted", "failed": "filed"}.get(receipt.outcome, "posting")
            receipts.append(receipt)
            run.note(receipt)
            if receipt.outcome == "delivered":
                return run.delivered(receipt, filed)
            if receipt.outcome == "unknown":
                run.fail("unknown", _unknown_message(filed, receipts))
        run.fail("partial", _partial_message(filed, receipts))


class _Run:
    """One claimed run of a delivery: appends each step to the record and always finishes it."""

    def __init__(self, store: DeliveryStore, key: str, number: int, clock: Callable[[], dt.datetime]) -> None:
        self.store, self.key, self.number, self.clock = store, key, number, clock
        self.phase = "filing"  # filing -> filed -> posting -> posted
        self.last_detail = ""
        self.finished = False
        self.fields = {"delivery_key": key, "delivery_run": number}

    def __enter__(self) -> _Run:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _tb: Any) -> None:
        if error is None or self.finished:
            return
        # Not swallowed (the exception goes on); the record must not stay `pending` for ever.
        status, doing = _INTERRUPTED[self.phase]
        detail = f"interrupted by {type(error).__name__} while {doing}"
        log.warning("delivery %s run %d %s", self.key, self.number, detail, extra=self.fields)
        self.store.finish(self.key, self.number, status, now=self.clock(), error=detail)
        self.finished = True

    def file(
        self, document: ReportDocument, file_document: Callable[[ReportDocument], FiledDocument]
    ) -> FiledDocument | None:
        try:
            filed = file_document(document)
        except GraphError as exc:
            self.last_detail = str(exc)
            self.store.record_attempt(
                self.key, self.number, self._attempt("document", None, "failed", str(exc)), now=self.clock()
            )
            return None
        self.phase = "filed"
        attempt = self._attempt("document", None, "filed", f"{filed.verb} {filed.name} in the channel's Files folder")
        self.store.record_document(self.key, self.number, filed.web_url, now=self.clock(), attempt=attempt)
        return filed

    def note(self, receipt: Receipt) -> None:
        attempt = self._attempt("card", receipt.method, receipt.outcome, receipt.detail, receipt.message_id)
        self.store.record_attempt(self.key, self.number, attempt, now=self.clock())
        level = logging.INFO if receipt.outcome == "delivered" else logging.WARNING
        log.log(level, "delivery %s by %s: %s", self.key, receipt.method, receipt.outcome, extra=self.fields)

    def delivered(self, receipt: Receipt, filed: FiledDocument) -> DeliveryResult:
        record = self._finish("delivered", method=receipt.method, message_id=receipt.message_id)
        summary = f"{self.key}: posted by {receipt.method} ({receipt.detail}); report: {filed.web_url}"
        return DeliveryResult(record, posted=True, summary=summary)

    def fail(self, status: str, message: str) -> NoReturn:
        self._finish(status, error=message)
        raise DeliveryError(f"{self.key}: {message}", key=self.key, status=status)

    def _finish(self, status: str, **fields: str | None) -> DeliveryRecord:
        record = self.store.finish(self.key, self.number, status, now=self.clock(), **fields)
        self.finished = True
        return record

    def _attempt(
        self, step: str, method: str | None, outcome: str, detail: str, message_id: str | None = None
    ) -> dict[str, Any]:
        attempt = {"run": self.number, "step": step, "method": method, "outcome": outcome,
                   "at": self.clock().astimezone(dt.UTC).isoformat(), "detail": detail}  # fmt: skip
        if message_id:
            attempt["message_id"] = message_id
        return attempt


def _not_claimed(record: DeliveryRecord) -> DeliveryResult:
    when = record.updated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if record.status == "delivered":
        message = f", message {record.message_id}" if record.message_id else ""
        summary = f"{record.key}: already delivered on {when} by {record.method}{message}; nothing posted (--force posts it again)"
        return DeliveryResult(record, posted=False, summary=summary)
    if record.status == "pending":
        raise DeliveryError(
            f"{record.key}: another run (run {record.run}) has been delivering it since {when}; nothing posted. "
            "If no other Coordinator is running (a crash leaves this behind), use --force",
            key=record.key,
            status="pending",
        )
    raise DeliveryError(
        f"{record.key}: run {record.run} on {when} may have posted the card ({record.error}); nothing posted. "
        "Look in the channel, and use --force to post it again if it is missing",
        key=record.key,
        status=record.status,
    )


def _tried(receipts: Sequence[Receipt]) -> str:
    return "; ".join(f"{r.method}: {r.detail}" for r in receipts)


def _partial_message(filed: FiledDocument, receipts: Sequence[Receipt]) -> str:
    return (
        f"card NOT posted ({_tried(receipts)}). The document was filed in the channel: {filed.web_url}. "
        "Run again to retry the post"
    )


def _unknown_message(filed: FiledDocument, receipts: Sequence[Receipt]) -> str:
    return (
        f"card MAY OR MAY NOT have been posted ({_tried(receipts)}); not sent again, to avoid a duplicate. "
        f"The document was filed: {filed.web_url}. Look in the channel, and use --force if the card is missing"
    )
