"""Minutes in a terminal: the same sections as the Word minutes, as plain text; and the minutes' words that the
Word document and the card share (when, owners, counts)."""

from __future__ import annotations

from assistant.domain.actions import ActionItem
from assistant.domain.minutes import Minutes


def owner_label(action: ActionItem) -> str:
    """The owner's name, or `@Zed — not resolved` when the name matched nobody (it is never guessed)."""
    if action.owner is None:
        return f"@{action.owner_text} — not resolved"
    return action.owner.name or action.owner.email


def counts_text(minutes: Minutes) -> str:
    """`2 decisions · 3 action items, 1 owner not resolved · 2 suggested from the transcript`."""

    def many(n: int, word: str) -> str:
        return f"{n or 'no'} {word}{'s' if n != 1 else ''}"

    actions = many(len(minutes.actions), "action item")
    if minutes.unresolved:
        actions += f", {many(len(minutes.unresolved), 'owner')} not resolved"
    parts = [many(len(minutes.decisions), "decision"), actions]
    if minutes.suggestions:
        parts.append(f"{len(minutes.suggestions)} suggested from the transcript")
    return " · ".join(parts)


def minutes_text(minutes: Minutes) -> str:
    zone = minutes.project.zone
    meeting = minutes.meeting
    start, end = meeting.local_start(zone), meeting.local_end(zone)
    lines = [
        f"Minutes: {meeting.subject}",
        f"{start:%a %d %b %Y}, {start:%H:%M}–{end:%H:%M} ({minutes.project.timezone}); organizer {meeting.organizer}",
        "",
        f"Attendance (from {minutes.attendance.source}):",
        "  present: " + (", ".join(p.name for p in minutes.attendance.present) or "nobody recorded"),
        "  absent: " + (", ".join(p.name for p in minutes.attendance.absent) or "nobody"),
    ]
    if minutes.attendance.unknown:
        lines.append("  no answer: " + ", ".join(p.name for p in minutes.attendance.unknown))
    if minutes.attendance.note:
        lines.append(f"  ({minutes.attendance.note})")
    lines += ["", "Decisions:", *([f"  - {d}" for d in minutes.decisions] or ["  none recorded"])]
    for item, notes in minutes.discussion.items():
        if notes:
            lines += ["", f"{item or 'Discussion'}:", *[f"  {line}" for line in notes]]
    lines += ["", "Action items:"]
    if not minutes.actions:
        lines.append("  none")
    for action in minutes.actions:
        owner = action.owner.name if action.owner else f"@{action.owner_text} (NOT RESOLVED: nobody of that name)"
        due = f", due {action.due:%a %d %b}" if action.due else ""
        task = f" [Planner task {action.planner_task_id}]" if action.planner_task_id else ""
        lines.append(f"  - {action.text} — {owner}{due}{task}")
    if minutes.suggestions:
        lines += ["", "Suggested from the transcript (not created; confirm to add):"]
        lines += [f"  - [{s.at}] {s.speaker}: {s.text}" for s in minutes.suggestions]
    if minutes.next_meeting:
        upcoming = minutes.next_meeting.local_start(zone)
        lines += ["", f"Next meeting: {upcoming:%a %d %b %Y, %H:%M}"]
    return "\n".join(lines)
