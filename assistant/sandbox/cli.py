"""`coordinator sandbox`: serve a tenant in the foreground and say how to point Coordinator at it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
from pathlib import Path

from assistant.errors import ConfigError
from assistant.sandbox.demo_tenant import DEMO_APP_ID, DEMO_APP_SECRET, build_demo_tenant
from assistant.sandbox.faults import FaultSettings
from assistant.sandbox.server import SandboxServer
from assistant.sandbox.tenant import TenantFileError, load_tenant_file


def run_sandbox(args: argparse.Namespace, data_dir: Path, now: dt.datetime) -> int:
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
    print(f'Sandbox tenant "{tenant["tenant"]["displayName"]}" serving on {server.url}')
    print("Point Coordinator at it with:\n")
    for name, value in server.environment(app_id, secret).items():
        print(f"export {name}={shlex.quote(value)}")
    print("\nControl endpoints: " + f"{server.url}/_sandbox/requests, /_sandbox/faults, /_sandbox/clock, ...")
    print("Press Ctrl+C to stop.", flush=True)
    server.serve_forever()
    return 0
