"""`coordinator status --post`: the Word report filed in the channel, the card linking it posted, once per period.

Composition only: the card, the document, the delivery methods and the record of deliveries are built
elsewhere (render/, services/delivery*.py, storage/deliveries.py); this wires them for one project.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from assistant.domain.status import StatusReport
from assistant.render.status_card import status_card
from assistant.render.status_docx import status_docx
from assistant.services.connect import Connection
from assistant.services.delivery import (
    DeliveryResult,
    ReportDocument,
    channel_filer,
    deliver_status,
    status_document_name,
    status_period,
)
from assistant.services.delivery_methods import bot_poster, delegated_graph_client, delivery_methods
from assistant.settings import Settings
from assistant.storage.db import Database
from assistant.storage.deliveries import DeliveryStore
from assistant.storage.migrate import upgrade


def report_document(report: StatusReport, settings: Settings) -> bytes:
    return status_docx(report, task_url=settings.planner_task_url, tenant=settings.tenant_id or "")


def publish_status(
    settings: Settings,
    graph: Connection,
    report: StatusReport,
    *,
    clock: Callable[[], dt.datetime],
    force: bool = False,
) -> DeliveryResult:
    project = report.project
    task_url, tenant = settings.planner_task_url, settings.tenant_id or ""
    upgrade(settings.database)
    database = Database.from_url(settings.database)
    try:
        methods = delivery_methods(
            project,
            session=graph.session,
            graph_client=delegated_graph_client(settings, graph.session, database, clock),
            bot=bot_poster(settings, graph.session, database),
        )
        return deliver_status(
            DeliveryStore(database),
            project,
            period=status_period(report),
            document=ReportDocument(status_document_name(report), report_document(report, settings)),
            make_card=lambda url: status_card(report, report_url=url, task_url=task_url, tenant=tenant),
            file_document=channel_filer(graph.client, project),
            methods=methods,
            clock=clock,
            force=force,
        )
    finally:
        database.dispose()
