"""Settings from `COORDINATOR_*` environment variables and an optional `.env` file.

These names are Coordinator's public interface (docs/configuration.md is tested against this class).
Secrets are `SecretStr`: never logged, never in `repr`, never in error messages.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.domain.ids import is_guid
from assistant.errors import ConfigError

ENV_PREFIX = "COORDINATOR_"
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
ANY_TENANT = "*"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", frozen=True)

    tenant_id: str | None = Field(
        None, description="Directory (tenant) id or verified domain of the Microsoft 365 tenant."
    )
    client_id: str | None = Field(None, description="Application (client) id of Coordinator's app registration.")
    client_secret: SecretStr | None = Field(
        None, description="Client secret of the app registration (or use a certificate)."
    )
    client_certificate: Path | None = Field(
        None, description="PEM file with the app's certificate and private key, instead of a client secret."
    )
    authority: str = Field(
        "https://login.microsoftonline.com", description="Identity platform base URL (the sandbox prints its own)."
    )
    graph_url: str = Field(
        "https://graph.microsoft.com/v1.0", description="Microsoft Graph base URL, with the version."
    )
    ca_bundle: Path | None = Field(
        None,
        description="CA certificates (PEM) to trust for the authority and Graph: the sandbox's CA or a TLS proxy's.",
    )
    database_url: SecretStr | None = Field(
        None,
        description="SQLAlchemy URL; default SQLite in the data directory. postgresql+psycopg://… for several instances.",
    )
    data_dir: Path = Field(
        Path(".coordinator"), description="Where Coordinator keeps its database, sandbox CA and files."
    )
    projects: Path = Field(Path("coordinator.toml"), description="The projects file: one table per project.")
    log_level: str = Field("INFO", description="Logging level: DEBUG, INFO, WARNING or ERROR.")
    planner_task_url: str = Field(
        "https://tasks.office.com/{tenant}/Home/Task/{task_id}",
        description="Link to a task in Planner's web app; {tenant}, {plan_id} and {task_id} are filled in.",
    )
    token_key: SecretStr | None = Field(
        None,
        description="Fernet key that encrypts the delegated sign-in's token cache in the database "
        "(`coordinator login --new-key` makes one).",
    )
    bot_app_id: str | None = Field(
        None, description="Microsoft App ID of the Teams bot (may differ from the Graph app): the tokens' audience."
    )
    bot_app_secret: SecretStr | None = Field(None, description="Client secret of the bot's app registration.")
    bot_openid_metadata: str = Field(
        "https://login.botframework.com/v1/.well-known/openidconfiguration",
        description="OpenID metadata whose JWKS signs Bot Framework tokens (the sandbox serves its own).",
    )
    outgoing_webhook_secret: SecretStr | None = Field(
        None, description="Security token (base64) shown when the Teams outgoing webhook was created."
    )
    bot_allowed_tenants: str = Field(
        "",
        description="Entra tenant ids (comma-separated) whose Teams messages the bot answers; `*`: any. "
        "Empty: COORDINATOR_TENANT_ID's only (any tenant when that is unset).",
    )
    bot_rate_limit: str = Field(
        "20/60", description="Commands the bot answers per conversation: COUNT/SECONDS, e.g. 20/60."
    )
    dangerously_allow_unauthenticated_bot: bool = Field(
        False,
        description="Accept /api/messages without a token (Bot Framework Emulator offline); loopback only.",
    )

    @field_validator("authority", "graph_url")
    @classmethod
    def _https(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("must be an https:// URL (MSAL and Graph accept nothing else)")
        return value.rstrip("/")

    @field_validator("bot_openid_metadata")
    @classmethod
    def _https_or_loopback(cls, value: str) -> str:
        parts = urlsplit(value)
        loopback_http = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if not parts.hostname or not (parts.scheme == "https" or loopback_http):
            raise ValueError("must be an https:// URL (http:// only on a loopback address, for tests)")
        return value

    @field_validator("outgoing_webhook_secret")
    @classmethod
    def _base64_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Teams shows the security token base64-encoded; the HMAC key is its decoded bytes (GRAPH-FACTS 4.2).
        if value is not None:
            try:
                key = base64.b64decode(value.get_secret_value(), validate=True)
            except ValueError:
                key = b""
            if not key:
                raise ValueError("must be the base64 security token Teams showed when the webhook was created")
        return value

    @field_validator("bot_allowed_tenants")
    @classmethod
    def _tenant_ids(cls, value: str) -> str:
        ids = [part.strip().lower() for part in value.split(",") if part.strip()]
        if ids == [ANY_TENANT]:
            return ANY_TENANT
        for tenant in ids:
            if not is_guid(tenant):
                raise ValueError(
                    f"must be Entra tenant ids (GUIDs, as Teams sends them) separated by commas, or * alone; "
                    f"not {tenant!r}"
                )
        return ",".join(ids)

    @field_validator("bot_rate_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        found = re.fullmatch(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*", value)
        if not found or int(found[1]) < 1 or int(found[2]) < 1:
            raise ValueError("must be COUNT/SECONDS with whole numbers of at least 1, e.g. 20/60")
        return f"{int(found[1])}/{int(found[2])}"

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("token_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        # Checked here, without importing cryptography, so a bad key stops Coordinator at start; the
        # message never contains the value.
        if value is not None and not _is_fernet_key(value.get_secret_value()):
            raise ValueError(
                "must be a Fernet key: 32 url-safe base64 bytes; make one with `coordinator login --new-key`"
            )
        return value

    @field_validator("client_certificate", "ca_bundle")
    @classmethod
    def _existing_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @model_validator(mode="after")
    def _one_credential(self) -> Settings:
        if self.client_secret is not None and self.client_certificate is not None:
            raise ValueError("set COORDINATOR_CLIENT_SECRET or COORDINATOR_CLIENT_CERTIFICATE, not both")
        return self

    @property
    def database(self) -> str:
        """The database URL to connect to (may hold a password: never log it)."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'coordinator.db').resolve()}"

    def bot_tenants(self) -> frozenset[str] | None:
        """The tenants the bot answers (lower-case ids), None for any: COORDINATOR_BOT_ALLOWED_TENANTS, else the
        Graph tenant, since a bot whose Graph app reads tenant X has no business answering tenant Y."""
        if self.bot_allowed_tenants == ANY_TENANT:
            return None
        if self.bot_allowed_tenants:
            return frozenset(self.bot_allowed_tenants.split(","))
        if self.tenant_id is None:
            return None
        if not is_guid(self.tenant_id.strip()):  # a domain: activities carry the id, it would never match
            raise ConfigError(
                "environment",
                f"{ENV_PREFIX}BOT_ALLOWED_TENANTS",
                f"not set, and {ENV_PREFIX}TENANT_ID ({self.tenant_id!r}) is not a tenant id: Teams names tenants "
                "by id, so set this to the tenant's id (a GUID), or * for any tenant",
            )
        return frozenset({self.tenant_id.strip().lower()})

    @property
    def bot_rate(self) -> tuple[int, dt.timedelta]:
        """COORDINATOR_BOT_RATE_LIMIT as (commands, window)."""
        count, seconds = self.bot_rate_limit.split("/")
        return int(count), dt.timedelta(seconds=int(seconds))

    def missing_for_login(self) -> list[str]:
        """Settings delegated sign-in needs that are not set (no client secret: it is a public client flow)."""
        names = ("tenant_id", "client_id", "token_key")
        return [f"{ENV_PREFIX}{name.upper()}" for name in names if getattr(self, name) is None]

    def missing_for_graph(self) -> list[str]:
        """Settings a Graph call needs that are not set, as environment variable names."""
        missing = [f"{ENV_PREFIX}{name.upper()}" for name in ("tenant_id", "client_id") if getattr(self, name) is None]
        if self.client_secret is None and self.client_certificate is None:
            missing.append(f"{ENV_PREFIX}CLIENT_SECRET (or {ENV_PREFIX}CLIENT_CERTIFICATE)")
        return missing


def _is_fernet_key(text: str) -> bool:
    """What `cryptography.fernet.Fernet` accepts: 32 bytes in url-safe base64 (44 characters)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{43}=", text):
        return False
    return len(base64.urlsafe_b64decode(text)) == 32


def load_settings(**overrides: Any) -> Settings:
    """Read settings, turning validation problems into one clear `ConfigError` line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        message = str(first["msg"]).removeprefix("Value error, ")
        key = f"{ENV_PREFIX}{field.upper()}" if field else ""
        raise ConfigError("environment", key, message) from None


def describe(settings: Settings) -> list[tuple[str, str]]:
    """(variable, value) pairs for `coordinator config`, secrets masked."""
    rows = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            shown = "********"
        else:
            shown = "" if value is None else str(value)
        rows.append((f"{ENV_PREFIX}{name.upper()}", shown))
    return rows
