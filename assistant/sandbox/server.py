"""Serve the sandbox over HTTPS with cheroot, in a background thread or in the foreground.

cheroot is a production-grade, pure-Python threaded WSGI server with built-in TLS, which lets tests and
`coordinator demo` run the sandbox in-process on an ephemeral port (port 0).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter

from assistant.sandbox.app import create_sandbox_app
from assistant.sandbox.botframework import metadata_url
from assistant.sandbox.channel_tokens import ChannelTokenIssuer
from assistant.sandbox.clock import SandboxClock
from assistant.sandbox.context import Sandbox
from assistant.sandbox.faults import FaultInjector, FaultSettings
from assistant.sandbox.notifier import Notifier
from assistant.sandbox.state import SandboxState
from assistant.sandbox.tls import ensure_tls_files
from assistant.sandbox.tokens import TokenIssuer

log = logging.getLogger(__name__)


class SandboxServer:
    """A running sandbox tenant. Use as a context manager, or `start()` / `stop()`."""

    def __init__(
        self,
        tenant: dict[str, Any],
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultSettings | None = None,
        clock: SandboxClock | None = None,
        threads: int = 16,
    ) -> None:
        self.tls = ensure_tls_files(data_dir / "sandbox-tls")
        self.state = SandboxState(tenant)
        self.clock = clock or SandboxClock()
        self.sandbox = Sandbox(
            state=self.state,
            clock=self.clock,
            issuer=TokenIssuer(self.state.tenant_id),
            faults=FaultInjector(faults),
            ca_bundle=str(self.tls.ca_cert),
            notifier=Notifier(verify=str(self.tls.ca_cert)),
            channel_issuer=ChannelTokenIssuer(self.clock.now()),
        )
        self.app = create_sandbox_app(self.sandbox)
        self._server = wsgi.Server((host, port), self.app, numthreads=threads, server_name="coordinator-sandbox")
        self._server.ssl_adapter = BuiltinSSLAdapter(str(self.tls.server_cert), str(self.tls.server_key))
        self._server.error_log = _quiet_error_log(self._server.error_log)  # type: ignore[method-assign]
        self._thread: threading.Thread | None = None
        self._bound = False
        self.host = host

    @property
    def port(self) -> int:
        return int(self._server.bind_addr[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}"

    @property
    def connector_url(self) -> str:
        """The Bot Connector's base URL: the `serviceUrl` of the activities the sandbox sends to bots."""
        return f"{self.url}/botconnector/"

    @property
    def bot_openid_metadata_url(self) -> str:
        """Where a bot finds the keys of the channel tokens the sandbox signs."""
        return metadata_url(self.url)

    @property
    def ca_bundle(self) -> Path:
        return self.tls.ca_cert

    def bind(self) -> SandboxServer:
        """Listen now, so `url` and `port` are known before requests are served."""
        if not self._bound:
            self._server.prepare()
            self._bound = True
        return self

    def start(self) -> SandboxServer:
        self.bind()
        self._thread = threading.Thread(target=self._server.serve, name="sandbox-server", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.bind()
        try:
            self._server.serve()
        finally:
            self._server.stop()

    def stop(self) -> None:
        self._server.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def environment(self, app_id: str, secret: str) -> dict[str, str]:
        """The `COORDINATOR_*` settings that point Coordinator at this sandbox."""
        return {
            "COORDINATOR_AUTHORITY": self.url,
            "COORDINATOR_GRAPH_URL": f"{self.url}/v1.0",
            "COORDINATOR_CA_BUNDLE": str(self.tls.ca_cert),
            "COORDINATOR_TENANT_ID": self.state.tenant_id,
            "COORDINATOR_CLIENT_ID": app_id,
            "COORDINATOR_CLIENT_SECRET": secret,
        }

    def bot_environment(self, app_id: str, secret: str) -> dict[str, str]:
        """The settings that point Coordinator's Teams bot at this sandbox's channel tokens and identity."""
        return {
            "COORDINATOR_BOT_APP_ID": app_id,
            "COORDINATOR_BOT_APP_SECRET": secret,
            "COORDINATOR_BOT_OPENID_METADATA": self.bot_openid_metadata_url,
        }

    def now(self) -> dt.datetime:
        return self.clock.now()


def _quiet_error_log(original: Callable[..., None]) -> Callable[..., None]:
    """Route cheroot's messages to logging, leaving out the deliberate dropped-connection faults."""
    del original  # cheroot's default writes tracebacks to stderr

    def error_log(msg: str = "", level: int = 20, traceback: bool = False) -> None:
        failure = sys.exc_info()[1]
        if "sandbox fault" in msg or (traceback and "sandbox fault" in str(failure or "")):
            return
        log.log(level, "cheroot: %s", msg, exc_info=traceback)

    return error_log
