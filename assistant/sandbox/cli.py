"""`coordinator sandbox`: serve a tenant in the foreground and say how to point Coordinator at it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET, build_demo_tenant
from assistant.sandbox.faults import FaultSettings
from assistant.sandbox.server import SandboxServer
from assistant.sandbox.tenant import TenantFileError, load_tenant_file

ProjectsWriter = Callable[[dict[str, Any]], Path]  # writes the demo tenant's projects file, returns its path


def run_sandbox(
    args: argparse.Namespace, data_dir: Path, now: dt.datetime, write_projects: ProjectsWriter | None = None
) -> int:
    """`write_projects` (from the client side, which owns the projects file's format) is called for the demo
    tenant, so `coordinator serve` in another terminal knows which channel is which project."""
    if args.tenant is not None:
        try:
            tenant = load_tenant_file(args.tenant)
        except TenantFileError as exc:
            raise ConfigError(str(exc), "", "fix the tenant file (format: docs/tenant-format.md)") from None
    else:
        tenant = build_demo_tenant(now, scale=args.scale)
    if args.export is not None:
        args.export.write_text(json.dumps(tenant, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.export}")
        return 0
    faults = FaultSettings(rate=args.fault_rate, seed=args.seed, latency_ms=args.latency_ms)
    server = SandboxServer(tenant, data_dir, host=args.host, port=args.port, faults=faults)
    app = tenant["applications"][0]
    app_id, secret = (DEMO_APP_ID, DEMO_APP_SECRET) if args.tenant is None else (app["appId"], app.get("secret") or "")
    server.bind()
    try:
        _print_how_to_use(server, tenant, app_id, secret, write_projects if args.tenant is None else None)
        server.serve_forever()
    finally:
        # A bound server's 16 worker threads are not daemons: left running they would keep the process alive.
        server.stop()
    return 0


def _print_how_to_use(
    server: SandboxServer, tenant: dict[str, Any], app_id: str, secret: str, write_projects: ProjectsWriter | None
) -> None:
    """The exports that point Coordinator (and its bot) at this sandbox, and the ids to talk to the bot."""
    print(f'Sandbox tenant "{tenant["tenant"]["displayName"]}" serving on {server.url}')
    print("Point Coordinator at it with:\n")
    for name, value in server.environment(app_id, secret).items():
        print(f"export {name}={shlex.quote(value)}")
    if tenant.get("bots"):
        bot = tenant["bots"][0]
        bot_app: dict[str, Any] = next((a for a in tenant["applications"] if a["appId"] == bot["appId"]), {})
        print(f"\nFor the Teams bot ({bot['name']}), whose replies go to {server.connector_url}:\n")
        for name, value in server.bot_environment(bot["appId"], bot_app.get("secret") or "").items():
            print(f"export {name}={shlex.quote(value)}")
    if write_projects is not None:
        print(f"export COORDINATOR_PROJECTS={shlex.quote(str(write_projects(tenant)))}  # the demo's projects")
    print("\nTeams and channels (for /_sandbox/bot/install and `coordinator sandbox say --channel`):")
    for team in tenant.get("teams", []):
        print(f"  team {team['displayName']}: {team['id']}")
        for channel in team.get("channels", []):
            print(f"    channel {channel['displayName']}: {channel['id']}")
    print("\nControl endpoints: " + f"{server.url}/_sandbox/requests, /_sandbox/faults, /_sandbox/clock, ...")
    print("Press Ctrl+C to stop.", flush=True)


def run_say(args: argparse.Namespace, authority: str, ca_bundle: Path | None) -> int:
    """`coordinator sandbox say`: through a running sandbox, post in a channel as a user and print the bot's reply.

    The sandbox does the channel's part (it signs the activity with its channel token and POSTs it to the bot),
    so the bot verifies what it would verify in Teams; the reply is whatever the bot sent to the Bot Connector.
    """
    import requests

    base = (args.sandbox or authority).rstrip("/")
    if args.sandbox is None and "login.microsoftonline.com" in base:
        raise ConfigError(
            "command line", "--sandbox", "give the running sandbox's URL (`coordinator sandbox` prints it)"
        )
    body = {"channel": args.channel, "appUrl": args.app_url, "text": args.text, "from": args.sender, "wait": args.wait}
    body |= {"replies": args.replies}
    try:
        response = requests.post(
            f"{base}/_sandbox/bot/say", json=body, verify=str(ca_bundle) if ca_bundle else True, timeout=args.wait + 30
        )
    except requests.RequestException as exc:
        raise ConfigError(base, "--sandbox", f"no sandbox answers there ({type(exc).__name__})") from None
    answer = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
    if not response.ok:
        print(f"coordinator: sandbox: {answer.get('error', response.status_code)}")
        return 1
    if not 200 <= answer["status"] < 300:
        print(f"the bot answered HTTP {answer['status']} (it did not accept the activity)")
        return 1
    if not answer["replies"]:
        print(f"no reply from the bot within {args.wait} s")
        return 1
    for reply in answer["replies"]:
        print(reply_summary(reply))
    return 0


def reply_summary(reply: dict[str, Any]) -> str:
    """The reply's text, then one line per card: its version, size and first words."""
    lines = [reply.get("text") or ""] if reply.get("text") else []
    for attachment in reply.get("attachments", []):
        content = attachment.get("content")
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive" and isinstance(content, dict):
            first = next((e.get("text") for e in content.get("body", []) if e.get("type") == "TextBlock"), None)
            lines.append(
                f"[Adaptive Card {content.get('version', '?')}: {len(content.get('body', []))} elements, "
                f"{len(content.get('actions', []))} actions" + (f' — "{first}"]' if first else "]")
            )
        else:
            lines.append(f"[attachment {attachment.get('contentType')}]")
    return "\n".join(lines) or "(an empty reply)"
