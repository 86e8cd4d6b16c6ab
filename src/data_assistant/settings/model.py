"""The whole configuration: every section, frozen once loaded."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from data_assistant.errors import ConfigError
from data_assistant.settings.auth import (
    AuditSettings,
    AuthSettings,
    RateLimitSettings,
)
from data_assistant.settings.base import Frozen, first_error
from data_assistant.settings.knowledge import (
    CacheSettings,
    KnowledgeSettings,
    SchemaCacheSettings,
)
from data_assistant.settings.ops import (
    LogSettings,
    MetricsSettings,
    TracingSettings,
    valid_key_prefix,
)
from data_assistant.settings.server import ManifestSettings, McpSettings, ServerSettings
from data_assistant.settings.sources import AnySourceSettings
from data_assistant.settings.translator import TranslatorSettings


class Settings(Frozen):
    """The whole configuration; `load_settings` reads it from a file and the environment."""

    base_url: str | None = None
    debug: bool = False
    data_dir: Path = Path("data")
    sources: dict[str, AnySourceSettings] = Field(default_factory=dict)
    translator: TranslatorSettings = Field(default_factory=TranslatorSettings)
    manifest: ManifestSettings = Field(default_factory=ManifestSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    mcp: McpSettings = Field(default_factory=McpSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    rate_limit: RateLimitSettings = Field(default_factory=RateLimitSettings)
    knowledge: KnowledgeSettings = Field(default_factory=KnowledgeSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    schemas: SchemaCacheSettings = Field(default_factory=SchemaCacheSettings)
    redis_url: str | None = Field(
        default=None,
        description="Redis shared by every server process: rate limits, OAuth state, the "
        "translation cache and schema-refresh notices use it unless they set their own.",
    )
    redis_key_prefix: str = Field(
        default="data-assistant:",
        description="Start of every Redis key; each part adds its own (rate:, oauth: ...).",
    )
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    tracing: TracingSettings = Field(default_factory=TracingSettings)
    logs: LogSettings = Field(default_factory=LogSettings)
    # Where the settings came from, for messages; not a setting.
    config_file: Path | None = Field(default=None, exclude=True)

    @property
    def public_url(self) -> str:
        """The URL clients reach this server at: `base_url`, else the listening address."""
        if self.base_url:
            return self.base_url.rstrip("/")
        return f"http://{self.server.host}:{self.server.port}"

    def shared_redis(
        self, part: str, url: str | None = None, prefix: str | None = None
    ) -> tuple[str | None, str]:
        """The Redis URL and key prefix of one Redis-backed `part` (rate, oauth, cache,
        schema): its own when set, else the top-level `redis_url` and
        `<redis_key_prefix><part>:`. The URL is None when there is no Redis."""
        return url or self.redis_url, prefix or f"{self.redis_key_prefix}{part}:"

    def where(self, key: str) -> str:
        """`file: key: ` (or `key: `), the prefix of a message about one setting."""
        return f"{self.config_file}: {key}: " if self.config_file else f"{key}: "

    def merged(self, changes: Mapping[str, Any], *, origin: str | None = None) -> Settings:
        """New settings with `changes` (nested mappings of keys) merged in and validated;
        a bad value raises ConfigError naming the key and `origin` (else the file)."""
        data = _deep_merge(self.model_dump(by_alias=True), changes)
        try:
            return type(self).model_validate({**data, "config_file": self.config_file})
        except ValidationError as exc:
            loc, message = first_error(exc)
            key = ".".join(loc) or "(top level)"
            where = f"{key} ({origin}): " if origin else self.where(key)
            raise ConfigError(f"{where}{message}") from None

    @field_validator("redis_key_prefix")
    @classmethod
    def _printable_prefix(cls, value: str) -> str:
        return valid_key_prefix(value)

    @field_validator("sources")
    @classmethod
    def _names_are_simple(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name in value:
            if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}", name):
                raise ValueError(f"source name {name!r} must be letters, digits, _ . or -")
        return value


def _deep_merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        current = out.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            out[key] = _deep_merge(current, value)
        else:
            out[key] = value
    return out
