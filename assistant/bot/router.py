"""The command router both endpoints feed: text in, a `Reply` out.

`parse` turns what a user typed in Teams into a command word and arguments: `<at>…</at>` mentions and other
HTML go, entities are decoded, the command word is lower-cased. `in PROJECT` anywhere picks the project; else
a first argument naming a project; else the project whose channel the message came from (the projects file's
`channel_id`, or its `team_id` when the team has only that project); else the only project there is.

The router is one of the three places that catch broadly (STYLE 5): a command's failure becomes a short
answer in the chat and a log line, never a 500 to Teams.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.bot import texts
from assistant.bot.activity import Reply
from assistant.domain.project import Project
from assistant.errors import CommandError, ConfigError, CoordinatorError

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Parsed:
    command: str
    args: tuple[str, ...]
    project: str | None  # from `in PROJECT`


def clean(text: str) -> str:
    """The words a user typed: mentions of the bot, HTML tags and entities, extra spaces removed."""
    text = _MENTION.sub(" ", text)
    text = _TAG.sub(" ", text)
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def parse(text: str) -> Parsed:
    words = clean(text).split()
    project = None
    for i in range(len(words) - 1):
        if words[i].lower() == "in":
            project = words[i + 1].lower()
            words = words[:i] + words[i + 2 :]
            break
    if not words:
        return Parsed("", (), project)
    return Parsed(words[0].lower(), tuple(words[1:]), project)


@dataclass(frozen=True)
class Request:
    """A command as the router sees it, whichever endpoint it came through."""

    text: str
    asked_by: str  # for the log: name and Entra object id
    channel: str | None = None  # Teams channel id, `19:…@thread.tacv2`
    group: str | None = None  # the team's Microsoft 365 group id
    data: Mapping[str, Any] | None = None  # a card button's Action.Submit data (render/card_actions.py)
    asker_name: str | None = None  # the display name Teams sends, for answers
    asker_id: str | None = None  # their Entra object id (`from.aadObjectId`): the owner of an `action` naming none


@dataclass(frozen=True)
class Context:
    """What a handler gets: its arguments, the resolved project (None for project-less commands)."""

    args: tuple[str, ...]
    project: Project | None
    projects: Mapping[str, Project]
    request: Request

    def the_project(self) -> Project:
        """The project of a command that needs one (the router resolves it before calling the handler)."""
        assert self.project is not None
        return self.project

    def no_args(self, name: str) -> None:
        if self.args:
            raise CommandError(texts.EXTRA_ARGS.format(command=name, extra=" ".join(self.args)))


Handler = Callable[[Context], Reply]
SubmitHandler = Callable[[Context, Mapping[str, Any]], Reply]  # gets the button's data


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    summary: str
    handler: Handler
    needs_project: bool = True


class Router:
    def __init__(self, projects: Callable[[], Mapping[str, Project]]) -> None:
        self._projects = projects  # read per command, so edits to the projects file apply at once
        self._commands: dict[str, Command] = {}
        self._actions: dict[str, tuple[Command, SubmitHandler]] = {}

    def add(self, command: Command) -> None:
        if command.name in self._commands:
            raise ValueError(f"command {command.name!r} registered twice")
        self._commands[command.name] = command

    def add_action(self, action: str, command: str, handler: SubmitHandler) -> None:
        """Answer card buttons whose data names `action`; `command` is the registered command they belong to
        (its usage follows an error, and the log names it)."""
        if action in self._actions:
            raise ValueError(f"card action {action!r} registered twice")
        self._actions[action] = (self._commands[command], handler)

    @property
    def commands(self) -> list[Command]:
        return list(self._commands.values())

    def help_lines(self) -> list[str]:
        return [texts.usage_line(c.usage, c.summary) for c in self._commands.values()]

    def handle(self, request: Request) -> Reply:
        action = request.data.get("action") if request.data else None
        if isinstance(action, str) and action in self._actions:
            return self._submit(action, request)
        parsed = parse(request.text)
        command = self._commands.get(parsed.command)
        self._log(parsed.command, request)
        if command is None:
            return self._unknown(parsed.command)

        def run() -> Reply:
            projects = self._projects()
            args, project = _resolve(parsed, projects, request, command.needs_project)
            return command.handler(Context(args, project, projects, request))

        return self._guarded(command, run)

    def _submit(self, action: str, request: Request) -> Reply:
        """A card button: the project is the one its data names (else the channel's), the arguments its data."""
        command, handler = self._actions[action]
        data = request.data or {}
        self._log(f"{command.name} ({action})", request)

        def run() -> Reply:
            projects = self._projects()
            key = data.get("project")
            parsed = Parsed(command.name, (), key.lower() if isinstance(key, str) and key else None)
            _, project = _resolve(parsed, projects, request, command.needs_project)
            return handler(Context((), project, projects, request), data)

        return self._guarded(command, run)

    @staticmethod
    def _log(command: str, request: Request) -> None:
        log.info(
            "bot command %r from %s",
            command,
            request.asked_by,
            extra={"command": command, "asked_by": request.asked_by, "channel": request.channel},
        )

    @classmethod
    def _guarded(cls, command: Command, run: Callable[[], Reply]) -> Reply:
        """`run`'s reply, and its deferred work guarded the same way (it runs later, on another thread)."""
        reply = cls._attempt(command, run)
        later = reply.later
        if later is None:
            return reply
        return dataclasses.replace(reply, later=lambda: cls._attempt(command, later))

    @staticmethod
    def _attempt(command: Command, run: Callable[[], Reply]) -> Reply:
        try:
            return run()
        except CommandError as exc:
            return Reply(text=f"{exc}\n{texts.usage_line(command.usage, command.summary)}")
        except ConfigError as exc:
            log.warning("bot command %r failed: %s", command.name, exc)
            return Reply(text=texts.FAILED.format(problem=exc))
        except CoordinatorError as exc:  # Graph and the rest: details in the log, not in the channel
            log.warning("bot command %r failed: %s", command.name, exc)
            return Reply(text=texts.FAILED_SERVICE)

    def _unknown(self, word: str) -> Reply:
        lines = [texts.UNKNOWN.format(word=word) if word else texts.EMPTY]
        closest = difflib.get_close_matches(word, list(self._commands), n=1, cutoff=0.5) if word else []
        if closest:
            command = self._commands[closest[0]]
            lines.append(texts.CLOSEST.format(closest=command.name))
            lines.append(texts.usage_line(command.usage, command.summary))
        else:
            lines += [texts.HELP_INTRO, *self.help_lines()]
        return Reply(text="\n".join(lines))


def _resolve(
    parsed: Parsed, projects: Mapping[str, Project], request: Request, needed: bool
) -> tuple[tuple[str, ...], Project | None]:
    args = parsed.args
    known = ", ".join(sorted(projects)) or "none"
    if parsed.project is not None:
        if parsed.project not in projects:
            raise CommandError(texts.UNKNOWN_PROJECT.format(key=parsed.project, known=known))
        return args, projects[parsed.project]
    if not needed:
        return args, channel_project(projects, request)
    if args and args[0].lower() in projects:
        return args[1:], projects[args[0].lower()]
    project = channel_project(projects, request)
    if project is None:
        raise CommandError(texts.NO_PROJECT.format(known=known))
    return args, project


def channel_project(projects: Mapping[str, Project], request: Request) -> Project | None:
    """The project a channel belongs to: by channel id, then by team when the team has one project only."""
    if request.channel:
        for project in projects.values():
            if project.channel_id == request.channel:
                return project
    if request.group:
        in_team = [p for p in projects.values() if p.team_id == request.group]
        if len(in_team) == 1:
            return in_team[0]
    if len(projects) == 1:
        return next(iter(projects.values()))
    return None
