"""Which permissions Graph accepts on each route, and the 403 each service answers without them.

Least privilege first in each set; higher privileges Graph also accepts follow. Sources: the permission
tables of the Graph reference pages named in GRAPH-FACTS.md ("Endpoints and least-privilege permissions").
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.sandbox.errors import GraphHTTPError
from assistant.sandbox.tokens import Caller


@dataclass(frozen=True)
class Permission:
    application: frozenset[str]
    delegated: frozenset[str]
    service: str  # decides the shape of the 403

    def allows(self, caller: Caller) -> bool:
        granted = caller.scopes if caller.delegated else caller.roles
        return bool(granted & (self.delegated if caller.delegated else self.application))


def _p(service: str, application: set[str], delegated: set[str]) -> Permission:
    return Permission(frozenset(application), frozenset(delegated), service)


USERS_READ = _p(
    "directory",
    {"User.Read.All", "User.ReadWrite.All", "Directory.Read.All"},
    {"User.Read", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All"},
)
# https://learn.microsoft.com/graph/api/user-list-calendarview#permissions
CALENDARS_READ = _p("outlook", {"Calendars.Read", "Calendars.ReadWrite"}, {"Calendars.Read", "Calendars.ReadWrite"})
# https://learn.microsoft.com/graph/api/event-post-attachments#permissions and attachment-delete: Calendars.ReadWrite
# is the only permission, delegated and application alike.
CALENDARS_WRITE = _p("outlook", {"Calendars.ReadWrite"}, {"Calendars.ReadWrite"})
# https://learn.microsoft.com/graph/api/plannertaskdetails-get#permissions
TASKS_READ = _p(
    "planner",
    {"Tasks.Read.All", "Tasks.ReadWrite.All"},
    {"Tasks.Read", "Tasks.ReadWrite", "Group.Read.All", "Group.ReadWrite.All"},
)
# https://learn.microsoft.com/graph/api/planner-post-tasks#permissions
TASKS_WRITE = _p("planner", {"Tasks.ReadWrite.All"}, {"Tasks.ReadWrite", "Group.ReadWrite.All"})
TEAMS_READ = _p(
    "teams",
    {"Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "Group.Read.All"},
    {"Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "Group.Read.All"},
)
CHANNELS_READ = _p(
    "teams",
    {"Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All", "Group.Read.All"},
    {"Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All", "Group.Read.All"},
)
# https://learn.microsoft.com/graph/api/channel-post-messages#permissions — no application permission
# except Teamwork.Migrate.All, which is for importing history only.
CHANNEL_MESSAGE_SEND = _p("teams", set(), {"ChannelMessage.Send", "Group.ReadWrite.All"})
CHANNEL_MESSAGE_READ = _p("teams", {"ChannelMessage.Read.All"}, {"ChannelMessage.Read.All"})
# https://learn.microsoft.com/graph/api/channel-get-filesfolder#permissions
FILES_READ = _p(
    "files",
    {"Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"},
    {"Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"},
)
FILES_WRITE = _p(
    "files",
    {"Files.ReadWrite.All", "Sites.ReadWrite.All"},
    {"Files.ReadWrite.All", "Sites.ReadWrite.All"},
)

# Online meetings and what Teams keeps after them. Application permissions also need an application access policy
# granted to the user in the path (checked by api/meetings.py, not here).
# https://learn.microsoft.com/graph/api/onlinemeeting-get#permissions
ONLINE_MEETINGS_READ = _p(
    "meetings",
    {"OnlineMeetings.Read.All", "OnlineMeetings.ReadWrite.All"},
    {"OnlineMeetings.Read", "OnlineMeetings.ReadWrite"},
)
# https://learn.microsoft.com/graph/api/meetingattendancereport-list#permissions and attendancerecord-list
MEETING_ARTIFACTS_READ = _p("meetings", {"OnlineMeetingArtifact.Read.All"}, {"OnlineMeetingArtifact.Read.All"})
# https://learn.microsoft.com/graph/api/onlinemeeting-list-transcripts#permissions and calltranscript-get. The
# application permission OnlineMeetingTranscript.Read.Chat is resource-specific consent, granted per chat, which
# the sandbox's tenant-wide roles cannot express; it is left out.
TRANSCRIPTS_READ = _p("meetings", {"OnlineMeetingTranscript.Read.All"}, {"OnlineMeetingTranscript.Read.All"})

APP_ONLY_CHANNEL_POST = (
    "Message POST is allowed in application-only context only for import purposes. Refer to "
    "https://docs.microsoft.com/microsoftteams/platform/graph-api/import-messages/"
    "import-external-messages-to-teams for more details."
)


def forbidden(permission: Permission, caller: Caller) -> GraphHTTPError:
    """The 403 the owning service sends; texts as seen in Graph's docs and public error reports."""
    if permission is CHANNEL_MESSAGE_SEND and not caller.delegated:
        # Text quoted in MicrosoftDocs/msteams-docs#12992.
        return GraphHTTPError(403, "Forbidden", APP_ONLY_CHANNEL_POST)
    if permission.service == "planner":
        return GraphHTTPError(403, "", "You do not have the required permissions to access this item.")
    if permission.service == "outlook":
        return GraphHTTPError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
    if permission.service == "files":
        return GraphHTTPError(403, "accessDenied", "Access denied")
    if permission.service == "meetings":
        # The online-meetings service answers a token without the permission with an empty message [S]
        # (microsoftgraph/microsoft-graph-docs-contrib#6320).
        return GraphHTTPError(403, "Forbidden", "")
    if permission.service == "teams":
        needed = ", ".join(sorted(permission.delegated if caller.delegated else permission.application))
        held = ", ".join(sorted(caller.scopes if caller.delegated else caller.roles))
        return GraphHTTPError(
            403,
            "Forbidden",
            f"Missing role permissions on the request. API requires one of '{needed}'. Roles on the request '{held}'.",
        )
    return GraphHTTPError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
