"""Settings of the OAuth 2.1 side: the built-in authorization server or a delegated issuer.

Plain frozen models hung under `auth.oauth`; they import nothing from the project, so
any layer may read them. URLs derived from the server's own address (issuer, resource)
are not settings: they come from `base_url` when the server starts.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from data_assistant.settings.base import Frozen

SCOPE_DEFAULT = "read:data"
# Claims every issued token sets itself; a user's policy claims may not replace them.
TOKEN_CLAIMS = frozenset(
    {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "scope", "scp", "client_id", "sid"}
)
_SCOPE_TOKEN = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")
_USER_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,128}")


class ClientDocumentSettings(Frozen):
    """Client ID Metadata Documents: a client named by an https URL serving its metadata."""

    enabled: bool = Field(default=True, description="Accept https URLs as client ids.")
    allow_private_networks: bool = Field(
        default=False,
        description="Fetch documents from loopback and private addresses (and plain http on "
        "loopback); for development only.",
    )
    timeout_s: float = Field(default=5.0, gt=0, le=30, description="Time allowed per fetch.")
    max_bytes: int = Field(
        default=5120, ge=512, le=262_144, description="Largest document accepted."
    )
    cache_s: float = Field(default=300.0, ge=0, le=86_400, description="How long one is reused.")


class StoreSettings(Frozen):
    """Where codes, refresh tokens, clients and signing keys live: SQLite, or Redis."""

    path: Path | None = Field(
        default=None, description="SQLite file; `<data_dir>/oauth.sqlite3` when unset."
    )
    redis_url: str | None = Field(
        default=None, description="Share the state between servers through Redis."
    )
    key_prefix: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Redis key prefix; default `<redis_key_prefix>oauth:`.",
    )

    @model_validator(mode="after")
    def _one_backend(self) -> StoreSettings:
        if self.path is not None and self.redis_url is not None:
            raise ValueError("set path or redis_url, not both")
        return self


class OAuthUser(Frozen):
    """A person who may sign in on the built-in server, and what their tokens grant."""

    password_hash: str = Field(description="An argon2 hash from `data-assistant oauth user add`.")
    databases: list[str] = Field(
        default_factory=list, description="Sources granted; `*` for every source."
    )
    scopes: list[str] | None = Field(
        default=None, description="Scopes this user may grant; every offered scope when unset."
    )
    claims: dict[str, Any] = Field(default_factory=dict, description="Claims for row policies.")

    @field_validator("password_hash")
    @classmethod
    def _argon2(cls, value: str) -> str:
        if not value.startswith(("$argon2id$", "$argon2i$", "$argon2d$")):
            raise ValueError("must be an argon2 hash ($argon2id$...)")
        return value

    @field_validator("claims")
    @classmethod
    def _not_token_claims(cls, value: dict[str, Any]) -> dict[str, Any]:
        clash = sorted(TOKEN_CLAIMS.intersection(value))
        if clash:
            raise ValueError(f"claims {clash} are set by the token itself")
        return value


class BuiltinServerSettings(Frozen):
    """The authorization server this process runs: users, lifetimes, keys, registration."""

    users: dict[str, OAuthUser] = Field(default_factory=dict)
    access_token_ttl_s: int = Field(default=3600, ge=60, le=86_400)
    refresh_token_ttl_s: int = Field(default=30 * 86_400, ge=300, le=366 * 86_400)
    code_ttl_s: int = Field(default=60, ge=10, le=600, description="Codes are single-use.")
    signing_algorithm: Literal["RS256", "ES256"] = "RS256"
    key_rotation_days: float = Field(
        default=30.0, gt=0, le=3650, description="A new signing key after this many days."
    )
    dynamic_registration: bool = Field(
        default=True, description="Let clients register themselves (RFC 7591)."
    )
    client_metadata_documents: ClientDocumentSettings = Field(
        default_factory=ClientDocumentSettings
    )
    store: StoreSettings = Field(default_factory=StoreSettings)
    max_failed_sign_ins: int = Field(
        default=10, ge=1, le=1000, description="Per user per 15 minutes, then sign-in waits."
    )

    @field_validator("users")
    @classmethod
    def _user_names(cls, value: dict[str, OAuthUser]) -> dict[str, OAuthUser]:
        for name in value:
            if not _USER_NAME.fullmatch(name):
                raise ValueError(f"user name {name!r} must be letters, digits, _ . @ or -")
        return value


class OAuthSettings(Frozen):
    """OAuth 2.1 (`auth.mode: oauth`): the built-in server, or an external issuer."""

    server: Literal["builtin", "delegated"] = "builtin"
    scope: str = Field(
        default=SCOPE_DEFAULT,
        description="Scopes offered, space-separated: what clients ask for and the manifest "
        "and OpenAPI document name.",
    )
    issuer: str | None = Field(
        default=None, description="Delegated: the external issuer (its OpenID discovery)."
    )
    audience: list[str] | None = Field(
        default=None, description="Delegated: accepted `aud` values; this server's URL if unset."
    )
    jwks_url: str | None = Field(
        default=None, description="Delegated: the issuer's keys, when not from discovery."
    )
    client_url: str | None = Field(
        default=None,
        description="The sign-in page clients send users to; the built-in one when unset.",
    )
    authorization_url: str | None = Field(
        default=None, description="The token endpoint; the built-in one when unset."
    )
    authorization_content_type: str = Field(
        default="application/x-www-form-urlencoded",
        description="How ChatGPT posts to the token endpoint (the manifest's field).",
    )
    verification_tokens: dict[str, str] = Field(
        default_factory=dict, description="The manifest's oauth verification tokens."
    )
    builtin: BuiltinServerSettings = Field(default_factory=BuiltinServerSettings)

    @property
    def scopes(self) -> list[str]:
        """The offered scopes as a list."""
        return self.scope.split()

    @field_validator("scope")
    @classmethod
    def _scope_tokens(cls, value: str) -> str:
        parts = value.split()
        if not parts or not all(_SCOPE_TOKEN.fullmatch(p) for p in parts):
            raise ValueError("must be one or more scope names separated by spaces")
        return " ".join(parts)

    @field_validator("audience", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("issuer", "jwks_url", "client_url", "authorization_url")
    @classmethod
    def _secure_url(cls, value: str | None) -> str | None:
        if value is not None:
            require_https_or_loopback(value)
        return value

    @model_validator(mode="after")
    def _fits_the_server(self) -> OAuthSettings:
        if self.server == "delegated":
            missing = [
                key
                for key in ("issuer", "client_url", "authorization_url")
                if getattr(self, key) is None
            ]
            if missing:
                raise ValueError(f"server delegated needs {', '.join(missing)}")
            if self.builtin != BuiltinServerSettings():
                raise ValueError("builtin settings apply to server builtin only")
        else:
            given = [k for k in ("issuer", "audience", "jwks_url") if getattr(self, k) is not None]
            if given:
                raise ValueError(
                    f"{', '.join(given)} apply to server delegated only; the built-in server's "
                    "issuer is base_url"
                )
        return self


def require_https_or_loopback(url: str) -> None:
    """Raise ValueError unless `url` is https, or plain http to a loopback address."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and is_loopback(parts.hostname or ""):
        return
    raise ValueError("must be an https:// URL (plain http only to a loopback address)")


def is_loopback(host: str) -> bool:
    """Whether `host` names only this machine."""
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
