"""The one error tree of Coordinator.

    CoordinatorError            anything Coordinator reports to a user on purpose
    ├── ConfigError             bad settings or projects file; the CLI prints one line and exits 2
    ├── StorageError            database problems (see assistant.storage.errors)
    ├── GraphError              Microsoft 365 could not be reached or said no (see assistant.graph.errors)
    ├── TemplateError           a Word template is missing, not a .docx, or its tags are wrong
    ├── CommandError            a chat command cannot be run as typed; the bot answers with its usage
    ├── VerificationError       an inbound request is not provably from Teams/Bot Framework (web: 401)
    └── DeliveryError           a report was not (or not entirely) delivered to its channel; the delivery
                                record says what was and was not delivered (assistant.services.delivery)

Catch broadly in three places only: the web error handler, the command router, the job runner; the CLI's
`main` is the fourth, for one-line messages instead of tracebacks.
"""


class CoordinatorError(Exception):
    """An error whose message is written for the person running Coordinator."""


class ConfigError(CoordinatorError):
    """Settings or the projects file are wrong; the message names the file, the key and the problem."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {problem}")


class TemplateError(CoordinatorError):
    """A report template cannot be rendered; the message names the template file and the problem.

    Templates are user-owned (edited in Word), so this is a user's error to fix, not a crash.
    """

    def __init__(self, template: str, problem: str) -> None:
        self.template = template
        self.problem = problem
        super().__init__(f"template {template}: {problem}")


class DeliveryError(CoordinatorError):
    """A report delivery did not complete, or was refused because another run holds or may have done it.

    `status` is the delivery record's status afterwards: `failed` (nothing delivered), `partial` (the document
    was filed, the card not posted), `unknown` (the card may have been posted: no answer came back) or
    `pending` (another run is delivering it now).
    """

    def __init__(self, message: str, *, key: str, status: str) -> None:
        super().__init__(message)
        self.key = key
        self.status = status


class CommandError(CoordinatorError):
    """A bot command was malformed or names something unknown; the message is the answer shown in the chat."""


class VerificationError(CoordinatorError):
    """An inbound request failed authentication (bad, expired or replayed token, wrong HMAC).

    The message says why, for the log; the HTTP answer is a bare 401 so callers learn nothing from it.
    """
