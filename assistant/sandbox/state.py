"""The sandbox's data: the tenant's Graph resources plus what clients have written since start.

One lock guards everything: the sandbox serves a handful of clients and correctness under concurrent
requests matters more than throughput. Resources are kept as Graph JSON dictionaries, so what a client
reads back is exactly what the tenant file (or an earlier write) said.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CalendarChange:
    """One change to a stored event, for calendarView delta and change notifications."""

    seq: int
    mailbox: str  # user id
    event_id: str
    change_type: str  # created | updated | deleted


@dataclass
class DriveItem:
    id: str
    drive_id: str
    name: str
    parent_id: str | None
    folder: bool
    created: str
    modified: str
    content: bytes = b""
    created_by: dict[str, Any] = field(default_factory=dict)
    etag_version: int = 1


class SandboxState:
    def __init__(self, tenant: dict[str, Any]) -> None:
        self.lock = threading.RLock()
        # Notified whenever the Bot Connector records an activity, for whoever waits for a bot's reply.
        self.bot_activity_arrived = threading.Condition(self.lock)
        self._original = copy.deepcopy(tenant)
        self.reset()

    def reset(self) -> None:
        with self.lock:
            tenant = copy.deepcopy(self._original)
            self.tenant = tenant
            self.tenant_id: str = tenant["tenant"]["id"]
            self.users: list[dict[str, Any]] = tenant["users"]
            self.users_by_key: dict[str, dict[str, Any]] = {}
            for user in self.users:
                self.users_by_key[user["id"].lower()] = user
                self.users_by_key[user["userPrincipalName"].lower()] = user
            self.applications = {a["appId"]: a for a in tenant["applications"]}
            self.teams = {t["id"]: t for t in tenant.get("teams", [])}
            self.channels = {(t["id"], c["id"]): c for t in tenant.get("teams", []) for c in t.get("channels", [])}
            self.plans = {p["id"]: p for p in tenant.get("plans", [])}
            self.tasks: dict[str, dict[str, Any]] = {}
            self.task_details: dict[str, dict[str, Any]] = {}
            for plan in self.plans.values():
                for task in plan.get("tasks", []):
                    self.task_details[task["id"]] = task.pop("details", None) or {}
                    self.tasks[task["id"]] = task
                plan["tasks"] = [t["id"] for t in plan.get("tasks", [])]
            self.buckets = {b["id"]: b for p in self.plans.values() for b in p.get("buckets", [])}
            self.calendars: dict[str, list[dict[str, Any]]] = {}
            for mailbox, events in tenant.get("calendars", {}).items():
                owner = self.users_by_key[mailbox.lower()]["id"]
                self.calendars.setdefault(owner, []).extend(events)
            # Online meetings by id, with their attendance reports and transcripts nested as in the tenant file.
            self.online_meetings: dict[str, dict[str, Any]] = {m["id"]: m for m in tenant.get("onlineMeetings", [])}
            # Teams application access policies: the one granted to each user (by user id), and the global one
            # that applies to users without a policy of their own.
            self.access_policies: dict[str, dict[str, Any]] = {}
            self.global_access_policy: dict[str, Any] | None = None
            for policy in tenant.get("applicationAccessPolicies", []):
                for key in policy.get("grantedTo", []):
                    self.access_policies[self.users_by_key[key.lower()]["id"]] = policy
                if policy.get("global"):
                    self.global_access_policy = policy
            self.etag_versions: Counter[str] = Counter()
            self.calendar_changes: list[CalendarChange] = []
            self.change_seq = itertools.count(1)
            self.messages: dict[tuple[str, str], list[dict[str, Any]]] = {}
            self.drive_items: dict[str, DriveItem] = {}
            # Outlook event attachments by (mailbox user id, event or occurrence id), as Graph returns them.
            self.event_attachments: dict[tuple[str, str], list[dict[str, Any]]] = {}
            self.downloads: dict[str, str] = {}  # pre-authenticated download token -> drive item id
            self.links: dict[str, dict[str, Any]] = {}  # sharing links by item, type and scope
            self.subscriptions: dict[str, dict[str, Any]] = {}
            self.notifications: list[dict[str, Any]] = []
            self.delta_states: dict[str, dict[str, Any]] = {}
            self.device_codes: dict[str, dict[str, Any]] = {}
            self.refresh_tokens: dict[str, dict[str, Any]] = {}
            self.request_counts: Counter[str] = Counter()
            # Azure Bot registrations by app id, and what bots sent through the Bot Connector, in arrival order.
            self.bots: dict[str, dict[str, Any]] = {b["appId"]: b for b in tenant.get("bots", [])}
            self.bot_activities: list[dict[str, Any]] = []
            self.bot_last_message_id = 0

    def next_message_id(self, now_ms: int) -> str:
        """A Teams message id: epoch milliseconds, distinct even when the sandbox clock stands still."""
        with self.lock:
            self.bot_last_message_id = max(now_ms, self.bot_last_message_id + 1)
            return str(self.bot_last_message_id)

    def user(self, key: str) -> dict[str, Any] | None:
        return self.users_by_key.get(key.lower())

    def app_may_act_for(self, app_id: str, user_id: str) -> bool:
        """Whether an application access policy lets `app_id` reach `user_id`'s online meetings and artifacts."""
        policy = self.access_policies.get(user_id, self.global_access_policy)
        return policy is not None and app_id in policy.get("appIds", [])

    def record_calendar_change(self, mailbox: str, event_id: str, change_type: str) -> CalendarChange:
        change = CalendarChange(next(self.change_seq), mailbox, event_id, change_type)
        self.calendar_changes.append(change)
        return change

    def last_change_seq(self) -> int:
        return self.calendar_changes[-1].seq if self.calendar_changes else 0
