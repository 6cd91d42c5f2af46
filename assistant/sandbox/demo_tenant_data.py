"""The content of the demo tenant "Contoso IT": people, projects, task titles and meeting cadences.

Only data lives here; `demo_tenant.py` (and `demo_calendar.py` for the meetings) turn it into Graph-shaped JSON.
Task dates are day offsets from the generation moment so the demo always looks current: a task row with
`("open", -3)` is three days late, one with `("done", -2)` was completed two days ago. Companies and people are
fictitious (Microsoft samples).
"""

# Hand-aligned data tables: the formatter leaves this module alone.
# fmt: off
from __future__ import annotations

from typing import NamedTuple


class Person(NamedTuple):
    alias: str
    given: str
    surname: str
    job_title: str
    department: str
    office: str | None
    phone: str | None
    mobile: str | None
    language: str


class TaskRow(NamedTuple):
    """One Planner task. `state`: "done" (day = completion), "wip" (50 %, day = due) or "open" (day = due)."""

    bucket: int
    title: str
    state: str
    day: int | None
    who: str = ""  # space-separated aliases; empty = unassigned
    labels: str = ""  # comma-separated label names from CATEGORY_NAMES
    priority: int = 5  # Planner writes 1 urgent, 3 important, 5 medium, 9 low


class Cadence(NamedTuple):
    """A project's recurring meetings: local start "HH:MM" and length in minutes."""

    standup: tuple[str, int]
    review: tuple[str, str, int]  # weekday, start, minutes (every two weeks)
    planning: tuple[str, str, int]
    retro: tuple[str, str, int]
    steering: tuple[str, str, str, int]  # week index, weekday, start, minutes (monthly)


class Project(NamedTuple):
    key: str
    code: str  # the keyword in meeting subjects and the meeting category
    name: str  # plan title and project name
    channel: str
    channel_description: str
    timezone: str  # IANA, for the coordinator's configuration and Planner due dates
    windows_zone: str  # what Outlook stores on the project's meetings
    status_schedule: str
    unit: str  # what a repeated batch of tasks is called when the tenant is scaled up
    lead: str
    team: str  # aliases of the people in the project's meetings
    steering: str
    room: tuple[str, str]  # display name, room mailbox
    vendor: tuple[str, str, str]  # contact name, address, company
    cadence: Cadence
    buckets: tuple[str, ...]
    extra_label: str  # category6 of the plan
    tasks: tuple[TaskRow, ...]
    descriptions: dict[str, str]
    checklists: dict[str, tuple[tuple[str, bool], ...]]
    references: dict[str, tuple[tuple[str, str, str], ...]]  # url, alias, type
    blocked_by: dict[str, str]  # blocked task title -> blocker task title
    midnight_due: frozenset[str]  # tasks due at project-local midnight


DOMAIN = "contoso.com"
COORDINATOR = "megan"
SERVICE_ACCOUNT = "bot"
TEAM_NAME = "Contoso IT Projects"
TEAM_DESCRIPTION = "IT project portfolio: Exchange Online migration, laptop refresh and SD-WAN rollout."
# Mailboxes stored in the tenant. Each holds its own copy of every meeting its owner organizes or attends.
MAILBOXES = ("megan", "diego", "hannah")

PEOPLE: tuple[Person, ...] = (
    Person("megan", "Megan", "Bowen", "IT Project Coordinator", "IT Project Office", "Berlin HQ / 4.12",
           "+49 30 5550 1401", "+49 151 5550 1401", "en-US"),
    Person("aiko", "Aiko", "Tanaka", "Messaging Engineer", "IT Infrastructure", "Berlin HQ / 3.07",
           "+49 30 5550 1322", None, "ja-JP"),
    Person("lars", "Lars", "Eriksson", "Microsoft 365 Architect", "IT Infrastructure", "Berlin HQ / 3.09",
           "+49 30 5550 1318", "+46 70 555 0142", "sv-SE"),
    Person("priya", "Priya", "Raman", "Service Desk Lead", "IT Service Desk", "Berlin HQ / 1.02",
           "+49 30 5550 1105", None, "en-GB"),
    Person("diego", "Diego", "Siciliani", "Network Engineering Lead", "IT Infrastructure",
           "New York / 12F-210", "+1 212 555 0147", "+1 917 555 0183", "en-US"),
    Person("chinedu", "Chinedu", "Okafor", "Network Engineer", "IT Infrastructure", "New York / 12F-214",
           "+1 212 555 0162", None, "en-US"),
    Person("sofia", "Sofia", "Moreno", "IT Procurement Specialist", "Procurement", "Berlin HQ / 2.15",
           "+49 30 5550 1227", None, "es-ES"),
    Person("tomasz", "Tomasz", "Nowak", "Endpoint Engineer", "IT Workplace Services", "Berlin HQ / 3.21",
           "+49 30 5550 1349", "+48 601 555 014", "pl-PL"),
    Person("grace", "Grace", "Liu", "Security Architect", "IT Security", "Berlin HQ / 3.30",
           "+49 30 5550 1390", None, "en-US"),
    Person("omar", "Omar", "Haddad", "Change & Communications Manager", "IT Project Office",
           "Berlin HQ / 4.14", "+49 30 5550 1408", None, "en-GB"),
    Person("hannah", "Hannah", "Weber", "Head of IT Infrastructure", "IT Infrastructure", "Berlin HQ / 3.01",
           "+49 30 5550 1300", "+49 160 5550 1300", "de-DE"),
    Person("johanna", "Johanna", "Lorenz", "Chief Information Officer", "Executive Office",
           "Berlin HQ / 5.01", "+49 30 5550 1500", "+49 171 5550 1500", "de-DE"),
    Person("isabella", "Isabella", "Rossi", "Service Desk Analyst", "IT Service Desk", "Munich / 0.11",
           "+49 89 5550 2211", None, "it-IT"),
    Person("kwame", "Kwame", "Mensah", "Field Services Technician", "IT Workplace Services",
           "New York / 12F-230", "+1 212 555 0175", "+1 646 555 0119", "en-US"),
    Person("bot", "Coordinator", "Service", "Service account", "IT Project Office", None, None, None,
           "en-US"),
)
UPN_OVERRIDES = {"bot": "coordinator.bot"}

# categoryN -> label name; category6 is per project (Project.extra_label); the rest of 1..25 are null.
CATEGORY_NAMES = ("Milestone", "Decision", "Blocked", "Customer-facing", "Security")

WINDOWS_TO_IANA = {"W. Europe Standard Time": "Europe/Berlin", "Eastern Standard Time": "America/New_York"}

TEAMS_ROOM = ("Microsoft Teams Meeting", "")

AGENDAS = {
    "standup": "Daily sync for the {code} team: what moved since yesterday, today's plan, blockers.",
    "review": "Sprint review: demo of completed work, milestone status and open risks for {code}.",
    "planning": "Sprint planning: agree the scope for the next two weeks of {code} and confirm owners.",
    "retro": "Retrospective: what went well, what did not, and one improvement we commit to.",
    "steering": "Steering committee for {code}: RAG status, budget, decisions needed, escalations.",
}

# ------------------------------------------------------------------------------------------------------------
# Apollo: Exchange Online migration
# ------------------------------------------------------------------------------------------------------------
APOLLO_TASKS = (
    TaskRow(0, "Inventory mailboxes, shared mailboxes and resource calendars", "done", -48, "lars"),
    TaskRow(0, "Confirm journaling requirements with Legal", "done", -40, "grace", "Security"),
    TaskRow(0, "Assess public folder usage", "done", -45, "aiko"),
    TaskRow(0, "Decision: choose hybrid vs. cutover migration approach", "done", -42, "lars megan",
            "Decision", 3),
    TaskRow(0, "Design target mail flow and MX cut-over", "done", -38, "lars"),
    TaskRow(0, "Size licences for E3/E5 mailboxes", "done", -36, "sofia"),
    TaskRow(0, "Document Exchange Online retention baseline", "done", -33, "grace", "Security"),
    TaskRow(0, "Milestone: Migration design signed off", "done", -30, "megan", "Milestone", 3),
    TaskRow(0, "Decide on archive mailbox retention period", "open", 4, "johanna grace", "Decision", 3),
    TaskRow(0, "Review DLP policies for Exchange Online", "wip", 9, "grace", "Security"),
    TaskRow(1, "Configure Hybrid Configuration Wizard in test", "done", -28, "aiko"),
    TaskRow(1, "Set up migration endpoint and batch for pilot", "done", -26, "aiko"),
    TaskRow(1, "Select 25 pilot users across departments", "done", -25, "megan"),
    TaskRow(1, "Migrate IT pilot mailboxes", "done", -20, "aiko"),
    TaskRow(1, "Collect pilot feedback survey", "done", -12, "omar", "Customer-facing"),
    TaskRow(1, "Fix calendar delegation issues found in pilot", "done", -5, "lars", "", 3),
    TaskRow(1, "Milestone: Pilot wave complete", "done", -4, "megan", "Milestone", 3),
    TaskRow(1, "Verify Teams calendar integration for pilot users", "done", -2, "priya"),
    TaskRow(1, "Write pilot lessons-learned report", "wip", 2, "megan"),
    TaskRow(2, "Prepare wave 1 batch: Finance and HR (420 mailboxes)", "done", -3, "aiko"),
    TaskRow(2, "Pre-stage wave 1 mailboxes (initial sync)", "wip", 1, "aiko", "", 3),
    TaskRow(2, "Milestone: Wave 1 mailboxes migrated", "wip", 5, "megan aiko", "Milestone,Blocked", 1),
    TaskRow(2, "Renew TLS certificate for hybrid endpoint", "open", 9, "grace", "Security", 1),
    TaskRow(2, "Resolve large-item failures in wave 1 pre-stage", "wip", 3, "aiko"),
    TaskRow(2, "Migrate shared mailboxes for Finance", "open", 6, ""),
    TaskRow(2, "Re-permission shared mailboxes after move", "open", -3, "aiko", "", 3),
    TaskRow(2, "Update Outlook profiles on shared workstations", "open", -6, "tomasz"),
    TaskRow(2, "Prepare wave 2 batch: Sales and Marketing (610 mailboxes)", "open", 8, "aiko"),
    TaskRow(2, "Migrate room and equipment mailboxes", "open", 12, "lars"),
    TaskRow(2, "Migrate wave 3: Operations and Logistics", "open", 26, "aiko"),
    TaskRow(3, "Draft cutover runbook", "wip", 7, "lars"),
    TaskRow(3, "Book weekend support rota for cutover", "open", 10, "priya"),
    TaskRow(3, "Dry-run cutover in test tenant", "open", 13, "aiko lars"),
    TaskRow(3, "Lower MX record TTL to 5 minutes", "open", 15, "lars"),
    TaskRow(3, "Freeze mailbox permission changes before cutover", "open", 18, "megan"),
    TaskRow(3, "Go/no-go decision for cutover weekend", "open", 19, "johanna megan", "Decision", 3),
    TaskRow(3, "Milestone: MX cut-over complete", "open", 22, "lars", "Milestone", 3),
    TaskRow(3, "Test mobile device re-enrolment (Outlook for iOS/Android)", "open", None, ""),
    TaskRow(4, "Staff hypercare desk for two weeks after cutover", "open", 24, "priya"),
    TaskRow(4, "Monitor mail flow and NDRs after cutover", "open", 25, "aiko"),
    TaskRow(4, "Disable legacy SMTP relay", "open", 40, "", "Security"),
    TaskRow(4, "Remove on-premises Exchange servers from load balancer", "open", 45, "lars"),
    TaskRow(4, "Milestone: Legacy Exchange decommissioned", "open", 60, "lars", "Milestone", 3),
    TaskRow(4, "Cancel legacy anti-spam appliance contract", "open", None, "sofia", "", 9),
    TaskRow(4, "Archive migration logs for audit", "open", None, "", "", 9),
    TaskRow(5, "Announce migration timeline on intranet", "done", -35, "omar", "Customer-facing"),
    TaskRow(5, "Publish 'What changes for me' FAQ", "done", -18, "omar", "Customer-facing"),
    TaskRow(5, "Record Outlook on the web quick-start video", "done", -6, "omar", "Customer-facing"),
    TaskRow(5, "Send wave 1 reminder e-mail to Finance and HR", "open", 2, "omar", "Customer-facing"),
    TaskRow(5, "Brief service desk on common migration tickets", "wip", 4, "priya isabella"),
    TaskRow(5, "Update shared mailbox how-to in knowledge base", "open", -1, "isabella"),
    TaskRow(5, "Translate FAQ into German and Polish", "open", -4, "", "Customer-facing"),
    TaskRow(5, "Schedule drop-in clinics for wave 2", "open", 11, "omar", "Customer-facing"),
    TaskRow(5, "Collect wave 1 satisfaction scores", "open", 20, "omar"),
)

APOLLO = Project(
    key="apollo",
    code="Apollo",
    name="Apollo – Exchange Online migration",
    channel="Apollo – Exchange Online",
    channel_description="Exchange Online migration: wave status, cutover planning, hypercare.",
    timezone="Europe/Berlin",
    windows_zone="W. Europe Standard Time",
    status_schedule="0 9 * * MON",
    unit="wave",
    lead="lars",
    team="aiko lars grace priya omar isabella",
    steering="hannah johanna lars grace",
    room=("Berlin HQ – Spree (4.20)", "spree@contoso.com"),
    vendor=("Rafael Costa", "rafael.costa@litwareinc.com", "Litware Migration Services"),
    cadence=Cadence(
        standup=("09:15", 15),
        review=("thursday", "14:00", 60),
        planning=("monday", "10:00", 90),
        retro=("friday", "13:00", 60),
        steering=("first", "tuesday", "15:00", 60),
    ),
    buckets=("Planning & design", "Pilot", "Migration waves", "Cutover", "Hypercare & decommission",
             "Communications & training"),
    extra_label="Vendor: Litware",
    tasks=APOLLO_TASKS,
    descriptions={
        "Milestone: Wave 1 mailboxes migrated": (
            "All 420 Finance and HR mailboxes switched to Exchange Online and verified.\n"
            "Exit criteria: no open P1/P2 migration incidents; shared mailbox permissions re-applied."
        ),
        "Renew TLS certificate for hybrid endpoint": (
            "The certificate on mail.contoso.com expires before wave 1 completes. The new certificate is"
            " ordered; installing it needs a CAB-approved change on both hybrid servers."
        ),
        "Decide on archive mailbox retention period": (
            "Options: (a) keep 10 years as today, (b) 7 years aligned with the records policy, (c) unlimited"
            " with auto-expanding archives. Legal prefers (b). Needs the CIO's sign-off before wave 2 starts."
        ),
        "Draft cutover runbook": "Step-by-step runbook for the cutover weekend including the rollback plan.",
        "Re-permission shared mailboxes after move": (
            "Full Access and Send As permissions are not migrated for cross-premises shared mailboxes."
            " Re-apply them from the exported CSV and spot-check with the mailbox owners."
        ),
        "Translate FAQ into German and Polish": (
            "The works council asked for the FAQ in the local languages of the Berlin and Wrocław sites."
        ),
        "Go/no-go decision for cutover weekend": (
            "Criteria: waves 1 and 2 complete, runbook dry-run passed, hypercare rota staffed, no open"
            " Sev A incident."
        ),
        "Decision: choose hybrid vs. cutover migration approach": (
            "Decided: full hybrid with staged waves; a cutover migration is too risky for 2,100 mailboxes."
        ),
        "Update Outlook profiles on shared workstations": (
            "Reception and warehouse PCs use shared profiles that do not pick up Autodiscover changes."
        ),
    },
    checklists={
        "Draft cutover runbook": (("DNS and MX change steps", True), ("Connector and mail flow changes",
                                                                      True),
                                  ("Rollback procedure", False), ("Communication templates", False),
                                  ("Sign-off by architecture and security", False)),
        "Prepare wave 1 batch: Finance and HR (420 mailboxes)": (
            ("Export mailbox list from HR system", True), ("Check licences are assigned", True),
            ("Create migration batch CSV", True)),
        "Brief service desk on common migration tickets": (("Write top-10 ticket guide", True),
                                                           ("Run briefing session", False),
                                                           ("Add macros to the ticket tool", False)),
        "Migrate IT pilot mailboxes": (("Start batch", True), ("Complete batch", True),
                                       ("Send welcome mail", True)),
        "Milestone: Wave 1 mailboxes migrated": (("Finance mailboxes switched", False),
                                                 ("HR mailboxes switched", False),
                                                 ("Shared mailboxes re-permissioned", False)),
    },
    references={
        "Draft cutover runbook": (
            ("https://contoso.sharepoint.com/sites/ITProjects/Shared%20Documents/Apollo/Cutover%20runbook.docx",
             "Cutover runbook", "Word"),),
        "Decide on archive mailbox retention period": (
            ("https://learn.microsoft.com/purview/retention", "Microsoft Purview retention", "Other"),),
    },
    blocked_by={"Milestone: Wave 1 mailboxes migrated": "Renew TLS certificate for hybrid endpoint"},
    midnight_due=frozenset({"Freeze mailbox permission changes before cutover",
                            "Send wave 1 reminder e-mail to Finance and HR"}),
)

# ------------------------------------------------------------------------------------------------------------
# Atlas: laptop refresh (450 laptops)
# ------------------------------------------------------------------------------------------------------------
ATLAS_TASKS = (
    TaskRow(0, "Define standard laptop specification", "done", -55, "tomasz"),
    TaskRow(0, "Collect quotes from three resellers", "done", -47, "sofia"),
    TaskRow(0, "Decision: select hardware vendor", "done", -40, "hannah sofia", "Decision", 3),
    TaskRow(0, "Check budget for accessories", "done", -29, "hannah"),
    TaskRow(0, "Approve purchase order for 450 laptops", "done", -33, "hannah"),
    TaskRow(0, "Milestone: Purchase order placed", "done", -32, "sofia", "Milestone", 3),
    TaskRow(0, "Confirm delivery schedule with Northwind Traders", "done", -10, "sofia", "Procurement"),
    TaskRow(0, "Order docking stations and USB-C chargers", "wip", -2, "sofia", "Procurement"),
    TaskRow(0, "Reconcile delivered serial numbers with PO", "open", -5, "tomasz", "Procurement"),
    TaskRow(0, "Order replacement batteries for field team", "open", 13, "", "Procurement", 9),
    TaskRow(0, "Negotiate extended warranty (4 years)", "open", None, "sofia", "Procurement"),
    TaskRow(1, "Create Autopilot deployment profile", "done", -21, "tomasz"),
    TaskRow(1, "Configure BitLocker and Windows Hello policies", "done", -6, "grace", "Security"),
    TaskRow(1, "Register hardware hashes in Autopilot", "wip", -3, "tomasz", "", 3),
    TaskRow(1, "Package line-of-business apps for Intune", "wip", -6, "tomasz"),
    TaskRow(1, "Configure Intune compliance policies", "wip", 4, "tomasz grace", "Security"),
    TaskRow(1, "Test printer drivers on the new model", "open", -8, "tomasz"),
    TaskRow(1, "Migrate user data with OneDrive Known Folder Move", "open", -1, "tomasz"),
    TaskRow(1, "Create self-service Company Portal catalogue", "open", -7, "tomasz"),
    TaskRow(1, "Decision: keep or drop local admin rights for developers", "open", -2, "hannah grace",
            "Decision,Security", 3),
    TaskRow(1, "Validate VPN client on Windows 11", "open", 5, "chinedu"),
    TaskRow(1, "Update Windows 11 feature update ring", "open", 7, "tomasz"),
    TaskRow(1, "Sign off Autopilot deployment profile", "open", 8, "grace hannah", "Security", 3),
    TaskRow(1, "Document imaging fallback with USB media", "open", None, "tomasz", "", 9),
    TaskRow(2, "Select 30 pilot users", "done", -14, "megan"),
    TaskRow(2, "Test Teams Rooms pairing with new laptops", "done", -3, "chinedu"),
    TaskRow(2, "Prepare pilot user guide", "done", -1, "omar", "Customer-facing"),
    TaskRow(2, "Run pilot deployment for IT department", "wip", 2, "tomasz", "", 3),
    TaskRow(2, "Ship pilot devices to Munich office", "open", 3, "isabella", "Blocked", 3),
    TaskRow(2, "Fix docking station firmware issue", "open", -4, "tomasz", "", 1),
    TaskRow(2, "Review pilot incident tickets", "open", 6, "isabella priya"),
    TaskRow(2, "Collect pilot feedback", "open", 10, "omar", "Customer-facing"),
    TaskRow(2, "Milestone: Pilot sign-off", "open", 12, "megan", "Milestone", 3),
    TaskRow(3, "Print asset labels for new laptops", "done", -4, "isabella"),
    TaskRow(3, "Set up deployment bench in Berlin office", "open", -3, "tomasz"),
    TaskRow(3, "Communicate rollout schedule to staff", "open", 4, "omar", "Customer-facing"),
    TaskRow(3, "Plan rollout waves by department", "wip", 5, "megan"),
    TaskRow(3, "Book deployment slots with department heads", "open", 9, "megan omar", "Customer-facing"),
    TaskRow(3, "Arrange rooms for hand-over days", "open", 14, "isabella"),
    TaskRow(3, "Wave 1: Finance (80 laptops)", "open", 16, "tomasz"),
    TaskRow(3, "Wave 2: Sales (120 laptops)", "open", 30, "tomasz"),
    TaskRow(3, "Wave 3: Engineering (150 laptops)", "open", 44, "tomasz"),
    TaskRow(3, "Wave 4: Remaining staff (100 laptops)", "open", 58, ""),
    TaskRow(3, "Milestone: All laptops deployed", "open", 60, "megan", "Milestone", 3),
    TaskRow(4, "Select certified disposal partner", "done", -20, "sofia", "Procurement"),
    TaskRow(4, "Define data-wipe procedure (NIST 800-88)", "done", -16, "grace", "Security"),
    TaskRow(4, "Wipe and grade returned pilot devices", "open", -1, "tomasz", "Security"),
    TaskRow(4, "Collect old laptops after wave 1", "open", 20, "isabella"),
    TaskRow(4, "Issue data-destruction certificates", "open", 50, "sofia", "Security"),
    TaskRow(4, "Recycle old docking stations", "open", 52, "", "", 9),
    TaskRow(4, "Update CMDB asset records", "open", None, ""),
    TaskRow(4, "Offer staff buy-back of old devices", "open", None, "omar", "Decision,Customer-facing", 9),
)

ATLAS = Project(
    key="atlas",
    code="Atlas",
    name="Atlas – Laptop refresh 2026",
    channel="Atlas – Laptop refresh",
    channel_description="Replacement of 450 laptops: procurement, Autopilot, pilot and rollout waves.",
    timezone="Europe/Berlin",
    windows_zone="W. Europe Standard Time",
    status_schedule="30 8 * * MON",
    unit="site",
    lead="tomasz",
    team="tomasz sofia isabella omar grace priya",
    steering="hannah johanna sofia",
    room=("Berlin HQ – Havel (3.05)", "havel@contoso.com"),
    vendor=("Emma Schultz", "emma.schultz@northwindtraders.com", "Northwind Traders"),
    cadence=Cadence(
        standup=("09:45", 15),
        review=("wednesday", "11:00", 60),
        planning=("tuesday", "10:00", 60),
        retro=("thursday", "15:00", 45),
        steering=("second", "wednesday", "14:00", 60),
    ),
    buckets=("Procurement", "Imaging & Autopilot", "Pilot", "Rollout waves", "Asset return & disposal"),
    extra_label="Procurement",
    tasks=ATLAS_TASKS,
    descriptions={
        "Ship pilot devices to Munich office": (
            "30 pilot laptops, pre-enrolled in Autopilot. The courier is booked through Northwind Traders."
        ),
        "Decision: keep or drop local admin rights for developers": (
            "Security proposes Endpoint Privilege Management instead of local admin rights. Engineering leads"
            " object; the decision is needed before wave 3."
        ),
        "Fix docking station firmware issue": (
            "USB-C docks drop external displays after sleep. Firmware 1.0.16 fixes it and must be rolled out"
            " before the pilot continues."
        ),
        "Milestone: Pilot sign-off": "Pilot users confirm the laptop works for their daily work.",
        "Register hardware hashes in Autopilot": (
            "The reseller uploaded hashes for the pilot batch; the remaining 420 devices come as CSV files."
        ),
        "Reconcile delivered serial numbers with PO": "Two pallets arrived with 12 serials not on the PO.",
        "Define data-wipe procedure (NIST 800-88)": "Purge for SSDs, a certificate per device, 5 % audited.",
    },
    checklists={
        "Run pilot deployment for IT department": (("Hand out 30 laptops", True), ("Migrate user data", True),
                                                   ("Collect old devices", False), ("Close pilot tickets",
                                                                                    False)),
        "Define standard laptop specification": (("Performance profile", True), ("Battery and weight", True),
                                                 ("Dock compatibility", True)),
        "Configure Intune compliance policies": (("BitLocker required", True), ("Minimum OS version", False),
                                                 ("Defender for Endpoint risk level", False)),
        "Plan rollout waves by department": (("Headcount per department", True),
                                             ("Blackout periods from Finance", False),
                                             ("Deployment bench capacity", False)),
    },
    references={
        "Define standard laptop specification": (
            ("https://contoso.sharepoint.com/sites/ITProjects/Shared%20Documents/Atlas/Laptop%20spec.xlsx",
             "Laptop specification", "Excel"),),
    },
    blocked_by={"Ship pilot devices to Munich office": "Sign off Autopilot deployment profile"},
    midnight_due=frozenset({"Reconcile delivered serial numbers with PO"}),
)

# ------------------------------------------------------------------------------------------------------------
# Meridian: SD-WAN rollout (US branches, meetings in Eastern time)
# ------------------------------------------------------------------------------------------------------------
MERIDIAN_TASKS = (
    TaskRow(0, "Document current WAN topology and circuits", "done", -50, "chinedu"),
    TaskRow(0, "Define application performance SLAs", "done", -44, "diego"),
    TaskRow(0, "Decision: single vs. dual hub design", "done", -39, "diego hannah", "Decision", 3),
    TaskRow(0, "Design segmentation and firewall zones", "done", -31, "grace chinedu", "Security"),
    TaskRow(0, "High-level design review", "done", -27, "diego"),
    TaskRow(0, "Milestone: Design approved", "done", -26, "megan", "Milestone", 3),
    TaskRow(0, "Security review of orchestrator cloud tenant", "wip", -1, "grace", "Security", 3),
    TaskRow(0, "Define QoS policy for Teams voice and video", "wip", 3, "chinedu"),
    TaskRow(0, "Decide on direct internet breakout for Microsoft 365", "open", 6, "diego grace", "Decision",
            3),
    TaskRow(0, "Update IP address plan for branches", "open", -3, "chinedu"),
    TaskRow(1, "Issue RFP to SD-WAN vendors", "done", -58, "sofia", "Carrier & vendor"),
    TaskRow(1, "Score vendor proposals", "done", -46, "sofia diego", "Carrier & vendor"),
    TaskRow(1, "Sign master services agreement with Fabrikam", "done", -34, "johanna", "Carrier & vendor"),
    TaskRow(1, "Order edge appliances for 12 branches", "done", -24, "sofia"),
    TaskRow(1, "Order secondary broadband circuits", "done", -21, "sofia", "Carrier & vendor"),
    TaskRow(1, "Review Fabrikam support SLA and escalation matrix", "open", 9, "sofia", "Carrier & vendor"),
    TaskRow(1, "Carrier to deliver secondary broadband circuit – Chicago", "open", 14, "sofia",
            "Carrier & vendor", 3),
    TaskRow(1, "Cancel MPLS contract for migrated branches", "open", 55, "sofia"),
    TaskRow(1, "Negotiate hardware maintenance renewal", "open", None, "", "", 9),
    TaskRow(2, "Site survey: New York HQ", "done", -30, "kwame"),
    TaskRow(2, "Site survey: Boston", "done", -25, "kwame"),
    TaskRow(2, "Site survey: Chicago", "done", -19, "kwame"),
    TaskRow(2, "Install edge appliance in New York lab", "done", -15, "chinedu"),
    TaskRow(2, "Site survey: Atlanta", "done", -5, "kwame"),
    TaskRow(2, "Confirm rack space and power at Chicago", "open", -2, "kwame"),
    TaskRow(2, "Order cabling for Atlanta comms room", "open", -4, ""),
    TaskRow(2, "Site survey: Philadelphia", "open", 5, "kwame"),
    TaskRow(2, "Schedule branch maintenance windows", "wip", 7, "megan diego"),
    TaskRow(2, "Collect site contact list for all branches", "open", None, ""),
    TaskRow(3, "Build zero-touch provisioning templates", "done", -12, "chinedu"),
    TaskRow(3, "Configure BGP peering with data-centre firewalls", "done", -11, "chinedu"),
    TaskRow(3, "Configure orchestrator single sign-on with Entra ID", "done", -9, "chinedu grace",
            "Security"),
    TaskRow(3, "Deploy edge appliance: Boston", "done", -2, "kwame"),
    TaskRow(3, "Update network monitoring dashboards", "open", -6, "chinedu"),
    TaskRow(3, "Deploy edge appliance: Chicago", "open", 4, "kwame"),
    TaskRow(3, "Cut over Chicago branch to SD-WAN", "open", 6, "chinedu", "Blocked", 3),
    TaskRow(3, "Deploy edge appliance: Atlanta", "open", 11, "kwame"),
    TaskRow(3, "Milestone: First three branches live", "open", 16, "diego", "Milestone", 3),
    TaskRow(3, "Deploy edge appliance: Philadelphia", "open", 18, "kwame"),
    TaskRow(3, "Integrate SD-WAN logs with Microsoft Sentinel", "open", 20, "grace", "Security"),
    TaskRow(3, "Deploy edge appliances: West region (4 sites)", "open", 25, ""),
    TaskRow(4, "Write branch cutover checklist", "done", -8, "diego"),
    TaskRow(4, "Cut over Boston branch", "done", -1, "chinedu"),
    TaskRow(4, "Validate Teams call quality in Boston", "open", 1, "diego", "Customer-facing"),
    TaskRow(4, "Run failover test: pull primary circuit", "open", 8, "chinedu"),
    TaskRow(4, "Validate VoIP trunks after each cutover", "open", 13, "chinedu"),
    TaskRow(4, "Decommission MPLS router in Boston", "open", 30, ""),
    TaskRow(4, "Update business continuity plan for WAN outages", "open", 35, "diego"),
    TaskRow(4, "Milestone: All branches migrated", "open", 70, "diego", "Milestone", 3),
    TaskRow(4, "Hand over runbooks to network operations", "open", None, "diego"),
    TaskRow(4, "Close out project and lessons learned", "open", None, "megan", "", 9),
)

MERIDIAN = Project(
    key="meridian",
    code="Meridian",
    name="Meridian – SD-WAN rollout",
    channel="Meridian – SD-WAN",
    channel_description="SD-WAN rollout to the US branches: design, carriers, site readiness, cutovers.",
    timezone="America/New_York",
    windows_zone="Eastern Standard Time",
    status_schedule="0 9 * * MON",
    unit="branch",
    lead="diego",
    team="diego chinedu kwame sofia grace",
    steering="hannah johanna diego",
    room=("New York – Hudson (12F)", "hudson@contoso.com"),
    vendor=("Kenji Watanabe", "kenji.watanabe@fabrikam.com", "Fabrikam Networks"),
    cadence=Cadence(
        standup=("09:00", 15),
        review=("thursday", "11:00", 60),
        planning=("monday", "10:00", 60),
        retro=("friday", "11:00", 45),
        steering=("first", "thursday", "10:00", 60),
    ),
    buckets=("Design", "Vendor & contracts", "Site readiness", "Deployment", "Cutover & validation"),
    extra_label="Carrier & vendor",
    tasks=MERIDIAN_TASKS,
    descriptions={
        "Cut over Chicago branch to SD-WAN": (
            "Maintenance window Saturday 06:00–10:00 CT. Both circuits must be live to test failover."
        ),
        "Decide on direct internet breakout for Microsoft 365": (
            "Local breakout for Microsoft 365 'Optimize' endpoints cuts latency for Teams. Security wants the"
            " traffic inspected; the options paper is in the channel files."
        ),
        "Milestone: First three branches live": "New York, Boston and Chicago on SD-WAN with failover.",
        "Update IP address plan for branches": "Overlapping 10.20.0.0/16 ranges in Atlanta and Philadelphia.",
        "Carrier to deliver secondary broadband circuit – Chicago": (
            "Order CHI-44817. The carrier moved the install date twice; escalated through the account"
            " manager."
        ),
        "Security review of orchestrator cloud tenant": "Conditional Access, admin roles and log retention.",
    },
    checklists={
        "Define QoS policy for Teams voice and video": (("Mark DSCP 46 for audio", True),
                                                        ("Mark DSCP 34 for video", True),
                                                        ("Validate with the Call Quality Dashboard", False)),
        "Write branch cutover checklist": (("Pre-checks", True), ("Cutover steps", True), ("Rollback", True)),
        "Run failover test: pull primary circuit": (("Announce maintenance window", False),
                                                    ("Pull primary circuit", False),
                                                    ("Measure failover time", False),
                                                    ("Restore and document", False)),
        "Schedule branch maintenance windows": (("New York", True), ("Boston", True), ("Chicago", False),
                                                ("Atlanta", False), ("Philadelphia", False)),
    },
    references={
        "High-level design review": (
            ("https://contoso.sharepoint.com/sites/ITProjects/Shared%20Documents/Meridian/HLD%20v1.2.pdf",
             "High-level design v1.2", "Pdf"),),
        "Carrier to deliver secondary broadband circuit – Chicago": (
            ("https://orders.adatum.net/circuits/CHI-44817", "Adatum order CHI-44817", "Other"),),
    },
    blocked_by={
        "Cut over Chicago branch to SD-WAN": "Carrier to deliver secondary broadband circuit – Chicago",
    },
    midnight_due=frozenset({"Deploy edge appliance: Chicago"}),
)

PROJECTS: tuple[Project, ...] = (APOLLO, ATLAS, MERIDIAN)

# Changes to series in the coming days, so that calendarView has something to apply: (project, meeting kind).
CANCELLED_OCCURRENCES = frozenset({("apollo", "standup")})
MOVED_OCCURRENCES = frozenset({("apollo", "review"), ("meridian", "standup")})


class OneOff(NamedTuple):
    """A single meeting (or all-day event). `day` is an offset from today; `align` moves it forward to that
    weekday. `project` None means the meeting belongs to no project and must not carry a project keyword."""

    key: str
    subject: str
    project: str | None
    organizer: str
    attendees: str  # aliases
    day: int
    start: str  # "HH:MM"; ignored for all-day
    minutes: int  # for all-day: number of days * 1440
    zone: str
    agenda: str
    align: str | None = None
    all_day: bool = False
    vendor: bool = False
    online: bool = True
    room: bool = False
    categories: tuple[str, ...] = ()
    show_as: str = "busy"
    sensitivity: str = "normal"
    channel: bool = False  # scheduled in the project's Teams channel (no attendance reports or transcripts)


ONE_OFFS: tuple[OneOff, ...] = (
    OneOff("apollo/kickoff", "Apollo kick-off", "apollo", "megan", "aiko lars grace priya omar hannah", -56,
           "10:00",
           90, "W. Europe Standard Time",
           "Project kick-off: scope, timeline, roles and the migration approach.",
           room=True),
    OneOff("apollo/wave1-readiness", "Apollo wave 1 readiness check", "apollo", "megan", "aiko lars priya", -6,
           "15:30", 30, "W. Europe Standard Time",
           "Channel meeting: pre-stage status, open blockers and the go/no-go for the wave 1 switch-over.",
           channel=True),
    OneOff("apollo/vendor", "Apollo: Litware migration status", "apollo", "megan", "aiko lars", 2, "11:00",
           45,
           "W. Europe Standard Time",
           "Weekly status with Litware: batch throughput, failed items, next waves.",
           vendor=True),
    OneOff("apollo/cutover", "Apollo cutover weekend", "apollo", "megan", "aiko lars priya", 19, "00:00",
           2 * 1440,
           "W. Europe Standard Time",
           "MX and Autodiscover switch to Exchange Online. Support rota in the runbook.",
           align="saturday", all_day=True, online=False, show_as="workingElsewhere"),
    OneOff("atlas/vendor", "Atlas delivery call with Northwind Traders", "atlas", "megan", "sofia tomasz", 1,
           "15:00", 30, "W. Europe Standard Time",
           "Delivery dates for wave 1 and 2, dock firmware, DOA process.",
           vendor=True),
    OneOff("atlas/handover", "Atlas pilot hand-over day (Munich)", "atlas", "megan", "isabella tomasz", 3,
           "00:00", 1440, "W. Europe Standard Time",
           "Pilot users collect their new laptops in Munich, room 0.11.",
           all_day=True, online=False, show_as="free"),
    OneOff("meridian/design-review", "Meridian design review", "meridian", "megan",
           "diego chinedu grace hannah",
           -27, "09:00", 90, "Eastern Standard Time", "High-level design review and approval.", room=True),
    OneOff("meridian/vendor", "Meridian: Fabrikam SD-WAN design clinic", "meridian", "diego",
           "megan chinedu", 3,
           "10:00", 60, "Eastern Standard Time", "QoS templates, Microsoft 365 breakout and failover timers.",
           vendor=True),
    OneOff("other/lunch-learn", "Lunch & learn: Power Automate basics", None, "omar",
           "megan priya isabella tomasz", 2, "12:00", 60, "W. Europe Standard Time",
           "Bring your lunch: building your first approval flow.", categories=("Training",)),
    OneOff("other/all-hands", "IT all-hands", None, "johanna", "megan hannah diego lars grace", 6, "16:00",
           60,
           "W. Europe Standard Time", "Quarterly update from the CIO, Q&A.", room=True),
    OneOff("other/focus", "Focus time", None, "megan", "", 1, "08:00", 60, "W. Europe Standard Time",
           "No meetings please.", online=False),
    OneOff("other/dentist", "Dentist", None, "megan", "", 4, "07:30", 60, "W. Europe Standard Time", "",
           online=False, show_as="oof", sensitivity="private", categories=("Personal",)),
    OneOff("other/diego-chinedu", "Diego / Chinedu 1:1", None, "diego", "chinedu", 2, "14:00", 30,
           "Eastern Standard Time", "Weekly one-to-one."),
)


class Series(NamedTuple):
    """A recurring meeting that belongs to no project (weekly on one weekday)."""

    key: str
    subject: str
    organizer: str
    attendees: str
    weekday: str
    start: str
    minutes: int
    zone: str
    agenda: str


OTHER_SERIES: tuple[Series, ...] = (
    Series("other/hannah-megan", "Hannah / Megan 1:1", "hannah", "megan", "wednesday", "11:00", 30,
           "W. Europe Standard Time", "Weekly one-to-one: priorities, escalations, development."),
    Series("other/infra-leads", "Infrastructure leadership sync", "hannah", "lars diego grace tomasz",
           "tuesday",
           "16:00", 45, "W. Europe Standard Time", "Team leads: capacity, incidents, change calendar."),
)

# The block Outlook appends to the body of a Teams meeting invitation (simplified styling).
_RULE = "_" * 80
TEAMS_BLOCK_HTML = (
    f'<br><div style="width:100%"><span style="white-space:nowrap;color:#5F5F5F;opacity:.36">{_RULE}</span>'
    '</div><div class="me-email-text" lang="en-US" style="color:#252424;font-family:\'Segoe UI\','
    "'Helvetica Neue',Helvetica,Arial,sans-serif\"><div style=\"margin-top:24px;margin-bottom:20px\">"
    '<span style="font-size:24px;color:#252424">Microsoft Teams meeting</span></div>'
    '<div style="margin-bottom:20px"><div style="margin-top:0px;margin-bottom:0px;font-weight:bold">'
    '<span style="font-size:14px;color:#252424">Join on your computer, mobile app or room device</span></div>'
    '<a href="{join_url}" class="me-email-headline" style="font-size:14px;text-decoration:underline;'
    'color:#6264a7">Click here to join the meeting</a></div><div style="margin-bottom:20px">'
    '<span style="font-size:14px;color:#252424">Meeting ID: {conference}<br>Passcode: {passcode}</span></div>'
    "</div>"
)
TEAMS_BLOCK_TEXT = (
    f"\r\n\r\n{_RULE}\r\nMicrosoft Teams meeting\r\nJoin on your computer, mobile app or room device\r\n"
    "Click here to join the meeting\r\nMeeting ID: {conference}\r\nPasscode: {passcode}"
)
