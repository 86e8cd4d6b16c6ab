"""Settings of identity, policies, audit and rate limits.

`Settings` holds them as `auth: AuthSettings`, `audit: AuditSettings` and
`rate_limit: RateLimitSettings`; each source holds `policies: SourcePolicies`.
Every model forbids unknown keys, so a typo fails at start instead of opening a hole.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from data_assistant.settings.base import Frozen

# Re-exported: the URL rules live with the OAuth settings, one copy for both.
from data_assistant.settings.oauth import OAuthSettings
from data_assistant.settings.oauth import is_loopback as is_loopback
from data_assistant.settings.oauth import (
    require_https_or_loopback as require_https_or_loopback,
)

AuthMode = Literal["none", "jwt", "api-key", "oauth"]
ManifestAuthType = Literal["auto", "none", "service_http", "user_http", "oauth"]

# Algorithms accepted per key kind; a mode never mixes them, which rules out HS/RS confusion.
HMAC_ALGORITHMS = ("HS256", "HS384", "HS512")
PUBLIC_KEY_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)
DEFAULT_SCOPE = "read:data"
_HASH_PREFIXES = ("sha256:", "pbkdf2_sha256:", "scrypt:")
MIN_SECRET_LENGTH = 32


class JwtSettings(Frozen):
    """How bearer JWTs are verified: one shared secret, or public keys from a JWKS.

    Exactly one of `secret`, `jwks_url` and `oidc_discovery_url` is set.
    """

    secret: SecretStr | None = Field(
        default=None, description="Shared HMAC secret (HS256), at least 32 characters."
    )
    jwks_url: str | None = Field(default=None, description="URL of the issuer's JSON Web Key Set.")
    oidc_discovery_url: str | None = Field(
        default=None,
        description="OpenID Connect discovery document, e.g. "
        "https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration.",
    )
    issuer: str | None = Field(
        default=None, description="Expected `iss`; taken from the discovery document when unset."
    )
    audience: list[str] | None = Field(default=None, description="Accepted `aud` values.")
    algorithms: list[str] | None = Field(
        default=None,
        description="Accepted `alg` values; HS256 for a secret, RS256/ES256/EdDSA for keys.",
    )
    leeway_s: float = Field(default=30.0, ge=0, le=300, description="Clock skew allowed.")
    require_claims: list[str] = Field(
        default_factory=lambda: ["exp"], description="Claims every token must carry."
    )
    jwks_refresh_min_interval_s: float = Field(
        default=30.0, ge=0, description="At most one key refresh per interval on an unknown kid."
    )
    jwks_max_age_s: float = Field(default=3600.0, gt=0, description="Refetch keys this old.")
    http_timeout_s: float = Field(default=5.0, gt=0, le=60)

    @field_validator("audience", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("jwks_url", "oidc_discovery_url")
    @classmethod
    def _https_unless_loopback(cls, value: str | None) -> str | None:
        if value is not None:
            require_https_or_loopback(value)
        return value

    @model_validator(mode="after")
    def _one_key_source(self) -> JwtSettings:
        given = [
            name
            for name in ("secret", "jwks_url", "oidc_discovery_url")
            if getattr(self, name) is not None
        ]
        if len(given) != 1:
            raise ValueError("set exactly one of secret, jwks_url or oidc_discovery_url")
        if self.secret is not None:
            if len(self.secret.get_secret_value()) < MIN_SECRET_LENGTH:
                raise ValueError(f"secret must be at least {MIN_SECRET_LENGTH} characters")
            allowed: tuple[str, ...] = HMAC_ALGORITHMS
            default = ["HS256"]
        else:
            allowed = PUBLIC_KEY_ALGORITHMS
            default = ["RS256", "ES256", "EdDSA"]
            if not self.audience:
                raise ValueError("audience is required with public keys")
            if self.jwks_url is not None and not self.issuer:
                raise ValueError("issuer is required with jwks_url")
        if self.algorithms is None:
            # The model is frozen; filling a default is part of validating it.
            object.__setattr__(self, "algorithms", default)
        algorithms = self.algorithms or []
        wrong = [a for a in algorithms if a not in allowed]
        if wrong or not algorithms:
            raise ValueError(
                f"algorithms {wrong or '[]'} do not fit this key source; use {', '.join(allowed)}"
            )
        return self


class ApiKeyEntry(Frozen):
    """One API key, stored only as a hash, with what its holder may do."""

    hash: str = Field(
        description="`sha256:<hex>`, `pbkdf2_sha256:<iterations>:<salt hex>:<hex>` or "
        "`scrypt:<n>:<r>:<p>:<salt hex>:<hex>`; see `data-assistant hash-key`."
    )
    subject: str = Field(min_length=1)
    scopes: list[str] = Field(default_factory=lambda: [DEFAULT_SCOPE])
    databases: list[str] = Field(
        default_factory=list, description="Sources this key may query; `*` for every source."
    )
    claims: dict[str, Any] = Field(default_factory=dict, description="Claims for row policies.")

    @field_validator("hash")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(_HASH_PREFIXES):
            raise ValueError(f"must start with one of {', '.join(_HASH_PREFIXES)}")
        return value


class AuthSettings(Frozen):
    """Who may ask: `none` (loopback or --insecure only), `jwt`, `api-key` or `oauth`."""

    mode: AuthMode = "none"
    insecure: bool = Field(
        default=False, description="Allow mode none on a non-loopback address (logs a warning)."
    )
    realm: str = "data-assistant"
    required_scope: str = Field(default=DEFAULT_SCOPE, description="Scope every query needs.")
    subject_claim: str = "sub"
    sources_claim: str = Field(
        default="databases", description="Claim listing the sources a token grants."
    )
    scope_claims: list[str] = Field(
        default_factory=lambda: ["scope", "scp"],
        description="Claims whose values are scopes (a list or a space-separated string).",
    )
    jwt: JwtSettings | None = None
    api_keys: list[ApiKeyEntry] = Field(default_factory=list)
    manifest: ManifestAuthType = Field(
        default="auto", description="The plugin manifest's auth type; auto follows the mode."
    )
    verification_tokens: dict[str, str] = Field(
        default_factory=dict, description="service_http tokens, e.g. {openai: ...}."
    )
    oauth: OAuthSettings | None = Field(
        default=None, description="Mode oauth: the built-in authorization server or an issuer."
    )

    @field_validator("realm")
    @classmethod
    def _plain_realm(cls, value: str) -> str:
        # The realm is written inside a quoted header parameter.
        if not re.fullmatch(r"[A-Za-z0-9 ._:/-]{1,64}", value):
            raise ValueError("must be letters, digits, spaces and . _ : / -")
        return value

    @model_validator(mode="after")
    def _mode_is_configured(self) -> AuthSettings:
        if self.mode == "jwt" and self.jwt is None:
            raise ValueError(
                "mode jwt needs a jwt section (secret, jwks_url or oidc_discovery_url)"
            )
        if self.mode == "api-key" and not self.api_keys:
            raise ValueError("mode api-key needs at least one entry in api_keys")
        if (self.mode == "oauth") != (self.oauth is not None):
            raise ValueError("mode oauth and the oauth section go together")
        if self.oauth is not None:
            for name, user in self.oauth.builtin.users.items():
                clash = {self.sources_claim, self.subject_claim, *self.scope_claims} & set(
                    user.claims
                )
                if clash:
                    raise ValueError(f"user {name}: claims {sorted(clash)} are set by the token")
        manifest = self.manifest
        if manifest == "none" and self.mode != "none":
            raise ValueError("manifest none would hide that the server requires a token")
        if manifest in ("service_http", "user_http") and self.mode == "none":
            raise ValueError(f"manifest {manifest} needs mode jwt, api-key or oauth")
        if manifest == "service_http" and "openai" not in self.verification_tokens:
            raise ValueError("manifest service_http needs verification_tokens.openai")
        if manifest == "oauth" and self.mode != "oauth":
            raise ValueError("manifest oauth needs mode oauth")
        return self


class TablePolicy(Frozen):
    """What one table shows: a row filter, and columns denied or masked."""

    rows: str | None = Field(
        default=None,
        description="SQL condition over the table's columns with claim placeholders, "
        "e.g. `region = :claims.region`; a missing claim denies.",
    )
    deny_columns: list[str] = Field(default_factory=list)
    mask_columns: list[str] = Field(default_factory=list)
    mask: str = Field(default="***", description="What a masked value reads as.")

    @model_validator(mode="after")
    def _disjoint(self) -> TablePolicy:
        both = {c.lower() for c in self.deny_columns} & {c.lower() for c in self.mask_columns}
        if both:
            raise ValueError(f"columns {sorted(both)} are both denied and masked")
        return self


class SourcePolicies(Frozen):
    """Per-source rules: scopes the source needs, and per-table policies."""

    require_scopes: list[str] = Field(default_factory=list)
    tables: dict[str, TablePolicy] = Field(default_factory=dict)
    unfiltered_views: list[str] = Field(
        default_factory=list,
        description="Views that may be read under these policies without a policy of their "
        "own; list a view only when its definition shows nothing the policies hide. Every "
        "other view is closed, since the database expands it beyond the rewrite's reach.",
    )
    barrier: bool = Field(
        default=True,
        description="Apply row filters before the query's own conditions (every engine), so "
        "that an error in those conditions cannot reveal a hidden row; `false` lets the "
        "planner push conditions into the filtered scan, faster for selective queries on "
        "large tables but open to that channel.",
    )


class AuditSettings(Frozen):
    """Where one JSON record per question goes: a JSON-lines file or a database table."""

    path: Path | None = Field(default=None, description="JSON-lines file, appended to.")
    url: str | None = Field(default=None, description="SQLAlchemy URL of the audit database.")
    table: str = "audit_log"
    on_failure: Literal["refuse", "continue"] = Field(
        default="refuse",
        description="When a record cannot be written: refuse the question (503), or answer "
        "and alert (an error log line and the audit_failures metric).",
    )

    @field_validator("table")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", value):
            raise ValueError("must be letters, digits and underscores")
        return value

    @model_validator(mode="after")
    def _one_sink(self) -> AuditSettings:
        if self.path is not None and self.url is not None:
            raise ValueError("set path or url, not both")
        return self

    @property
    def enabled(self) -> bool:
        return self.path is not None or self.url is not None


class RateLimitSettings(Frozen):
    """A token bucket per subject; shared through Redis when `redis_url` is set."""

    per_minute: float | None = Field(
        default=None, gt=0, description="Sustained questions per minute; unset turns limits off."
    )
    burst: int = Field(default=10, ge=1, description="Questions allowed at once.")
    redis_url: str | None = Field(
        default=None, description="Own Redis; default the top-level redis_url."
    )
    key_prefix: str | None = Field(
        default=None, description="Redis key prefix; default `<redis_key_prefix>rate:`."
    )
    on_redis_error: Literal["local", "open", "closed"] = Field(
        default="local",
        description="While Redis cannot be reached: limit per process (local), not at all "
        "(open), or refuse questions with 503 (closed).",
    )
    redis_retry_s: float = Field(
        default=5.0, ge=0, le=300, description="Redis is tried again after this long."
    )
