"""The one `requests.Session` shared by MSAL and the Graph client.

requests lets `REQUESTS_CA_BUNDLE` / `CURL_CA_BUNDLE` from the environment silently replace
`Session.verify` (it merges environment settings whenever the per-call `verify` is True or None). Debian
and many containers set those variables, which would make the sandbox's CA — or a corporate proxy's —
be ignored. Passing `verify` explicitly on every call is the documented way around it; proxies from the
environment keep working.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from assistant import __version__

USER_AGENT = f"Coordinator/{__version__}"


class PinnedSession(requests.Session):
    """A session whose CA bundle cannot be overridden by environment variables."""

    def __init__(self, ca_bundle: Path | None = None) -> None:
        super().__init__()
        self.pinned_verify: str | bool = str(ca_bundle) if ca_bundle else True
        self.headers["User-Agent"] = USER_AGENT

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        if kwargs.get("verify") in (None, True):
            kwargs["verify"] = self.pinned_verify
        return super().request(method, url, *args, **kwargs)
