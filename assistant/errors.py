"""The one error tree of Coordinator.

    CoordinatorError            anything Coordinator reports to a user on purpose
    ├── ConfigError             bad settings or projects file; the CLI prints one line and exits 2
    ├── StorageError            database problems (see assistant.storage.errors)
    └── GraphError              Microsoft 365 could not be reached or said no (see assistant.graph.errors)

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
