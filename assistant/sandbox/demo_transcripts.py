"""What was said in the demo tenant's transcribed meetings, and which sessions left an attendance report.

Only data lives here; `demo_meetings.py` turns it into attendance reports and WebVTT transcripts. Speakers are
aliases of `demo_tenant_data.PEOPLE`, or `VENDOR` for the project's vendor contact joining as an external guest.
The lines talk about the projects' real tasks (titles in `demo_tenant_data.py`) and contain the action items and
decisions a minutes writer should find.
"""

# Hand-aligned data tables: the formatter leaves this module alone.
# fmt: off
from __future__ import annotations

VENDOR = "@vendor"

# How many of a series' most recent ended sessions have an attendance report; single meetings have one session.
REPORTED_SESSIONS = {"standup": 3, "review": 2, "planning": 1, "retro": 1, "steering": 2}

# Meetings whose latest ended session has an external guest in its attendance report (meeting key -> project key).
GUESTS = {"apollo/review": "apollo"}

APOLLO_REVIEW: tuple[tuple[str, str], ...] = (
    ("megan", "Good afternoon everyone, let's get started. Rafael from Litware is joining us for the migration "
              "numbers, so we'll take wave 1 first."),
    ("lars", "Quick recap: the pilot wave is complete and the calendar delegation issues we found in the pilot are "
             "fixed."),
    ("aiko", "Wave 1 pre-stage for Finance and HR is at about seventy percent. We still have large-item failures on "
             "eleven mailboxes."),
    (VENDOR, "We can raise the large item limit for those eleven mailboxes tonight and rerun the batch tomorrow "
             "morning."),
    ("megan", "Aiko, can you resolve the large-item failures in the wave 1 pre-stage by Wednesday?"),
    ("aiko", "Yes, I'll have them done by Wednesday."),
    ("grace", "The real blocker is still the TLS certificate for the hybrid endpoint. The new certificate is ordered, "
              "but installing it needs a CAB-approved change on both hybrid servers."),
    ("megan", "Grace, please raise the CAB change for the certificate renewal this week. Wave 1 cannot finish "
              "without it."),
    ("grace", "I'll submit the change request tomorrow morning."),
    ("omar", "On communications: the Outlook on the web quick-start video is published. I'll send the wave 1 "
             "reminder e-mail to Finance and HR on Monday."),
    ("lars", "One more thing. Full Access and Send As permissions are not migrated for cross-premises shared "
             "mailboxes, so re-permissioning the shared mailboxes is overdue."),
    ("megan", "Lars, can you take that with Aiko and re-apply the permissions from the exported CSV by Friday?"),
    ("lars", "Agreed, we'll do it together on Thursday."),
    ("megan", "We agreed to keep the cutover weekend as planned, with a dry run in the test tenant first. Thanks, "
              "everyone."),
)

APOLLO_STEERING: tuple[tuple[str, str], ...] = (
    ("megan", "Welcome to the Apollo steering committee. Overall status is amber: the pilot is done, but wave 1 is "
              "slipping by about three days."),
    ("johanna", "What is behind the slip?"),
    ("lars", "The TLS certificate on the hybrid endpoint expires before wave 1 completes, and renewing it needs a "
             "change window on both hybrid servers."),
    ("hannah", "Then we prioritise that change. I'll approve an emergency CAB slot for Thursday."),
    ("megan", "Next is a decision we need from you: the archive mailbox retention period. Legal prefers seven "
              "years, aligned with the records policy."),
    ("johanna", "Seven years is fine with me. We agreed on seven years for archive mailboxes, to be confirmed before "
                "wave 2 starts."),
    ("megan", "Thank you. I'll send the decision log to everyone tomorrow and ask Grace to add it to the retention "
              "baseline."),
    ("hannah", "How does the budget look?"),
    ("megan", "Budget is green. The only open cost is the legacy anti-spam appliance contract, which Sofia cancels "
              "once the old servers are decommissioned."),
    ("johanna", "Good. For the go/no-go on the cutover weekend I want the dry-run results on the table first."),
    ("lars", "The dry run in the test tenant is planned for the week before. I'll share the results before the "
             "go/no-go meeting."),
    ("megan", "To sum up the actions: Hannah approves the CAB slot, I circulate the decision log, Lars shares the "
              "dry-run results. Thanks, all."),
)

ATLAS_STANDUP: tuple[tuple[str, str], ...] = (
    ("megan", "Morning all, let's go round quickly. Tomasz, you first."),
    ("tomasz", "Hardware hashes for the pilot batch are registered in Autopilot; the other 420 devices still come as "
               "CSV files. And the docking stations still drop external displays after sleep."),
    ("megan", "That one is holding up the pilot. Tomasz, can you fix the docking firmware by Friday?"),
    ("tomasz", "Yes. Firmware 1.0.16 fixes it, I'll push it to the pilot docks by Friday."),
    ("sofia", "The docking stations and USB-C chargers are ordered, but delivery is two days late. Also, two pallets "
              "arrived with twelve serial numbers that are not on the purchase order."),
    ("megan", "Sofia, please reconcile the serial numbers with Northwind before our delivery call."),
    ("isabella", "Asset labels are printed. I still need the courier booking to ship the pilot devices to Munich."),
    ("grace", "One update from security: we agreed to keep local admin rights for developers until wave 3, and then "
              "move them to Endpoint Privilege Management."),
    ("omar", "I'll send the rollout schedule tomorrow, once Megan has confirmed the waves."),
    ("megan", "Thanks. I'll finish planning the rollout waves by department today. That's all, have a good day."),
)

# Meeting key (demo_calendar) -> the lines of the transcript of its most recent ended session.
TRANSCRIPTS: dict[str, tuple[tuple[str, str], ...]] = {
    "apollo/review": APOLLO_REVIEW,
    "apollo/steering": APOLLO_STEERING,
    "atlas/standup": ATLAS_STANDUP,
}
