"""Settings of what the organisation teaches the assistant: knowledge files, golden queries,
the translation cache and the schema cache."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from data_assistant.settings.base import Frozen

DEFAULT_ADMIN_SCOPE = "admin:knowledge"


class KnowledgeSettings(Frozen):
    """Golden queries, glossary, descriptions and hidden columns per source."""

    path: Path | None = Field(
        default=None,
        description="Folder of `<source>.yaml` files and `<source>/*.sql` golden queries; "
        "`knowledge` in the working folder when unset and present.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Keep golden queries added through the API or CLI in this Redis; the "
        "top-level redis_url when unset, a SQLite file under data_dir without either.",
    )
    key_prefix: str | None = Field(
        default=None, description="Prefix of the Redis keys; `{redis_key_prefix}knowledge:`."
    )
    admin_scope: str = Field(
        default=DEFAULT_ADMIN_SCOPE,
        description="Scope needed to add, list, remove and verify golden queries.",
    )
    examples: int = Field(
        default=3,
        ge=0,
        le=20,
        description="Golden queries shown to the language model as examples, the most "
        "similar to the question first.",
    )

    @field_validator("admin_scope")
    @classmethod
    def _one_word(cls, value: str) -> str:
        if not value or any(ch.isspace() for ch in value):
            raise ValueError("must be one scope name without spaces")
        return value


class CacheSettings(Frozen):
    """The translation cache: a question asked again reuses its query (never its rows)."""

    enabled: bool = True
    redis_url: str | None = Field(
        default=None,
        description="Share translations between processes through this Redis; the top-level "
        "redis_url when unset, in this process without either.",
    )
    key_prefix: str | None = Field(
        default=None, description="Prefix of the Redis keys; `{redis_key_prefix}translations:`."
    )
    ttl_s: int = Field(
        default=7 * 24 * 3600, ge=1, description="How long a translation is kept, in seconds."
    )
    max_entries: int = Field(
        default=10_000, ge=1, description="Translations kept in this process (without Redis)."
    )
    share_llm_translations: bool = Field(
        default=False,
        description="Reuse an LLM's translation for other users' questions too (the offline "
        "translator's always are); off, since a question worded to steer the model would "
        "then choose the query others run.",
    )


class SchemaCacheSettings(Frozen):
    """Introspected schemas kept on disk under data_dir between restarts."""

    disk_cache: bool = Field(
        default=True,
        description="Keep each SQL source's schema under data_dir/schemas and re-read only "
        "the tables whose definition changed (PostgreSQL, MySQL/MariaDB, SQLite).",
    )
