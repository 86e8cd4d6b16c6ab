"""Settings of the HTTP server, the ChatGPT plugin manifest it publishes, and the MCP surface."""

from __future__ import annotations

import re

from pydantic import Field, SecretStr, field_validator

from data_assistant.settings.base import Frozen


class ManifestSettings(Frozen):
    """The fields of `/.well-known/ai-plugin.json`."""

    name_for_human: str = "Data Assistant"
    name_for_model: str = "data_assistant"
    description_for_human: str = "Ask your databases questions in plain language."
    description_for_model: str = (
        "Answers questions about the user's SQL databases and document containers. "
        "Send the user's question in plain language with the database name; the plugin "
        "writes a safe read-only query, runs it and returns the query and the rows. "
        "Call listSources first when the database name is not known."
    )
    logo_url: str | None = None
    contact_email: str = "admin@example.com"
    legal_info_url: str | None = None

    @field_validator("name_for_model")
    @classmethod
    def _model_name_is_identifier(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", value):
            raise ValueError("must be letters, digits and underscores, at most 64 characters")
        return value


class ServerSettings(Frozen):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    shutdown_timeout_s: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="On SIGTERM, answers in flight get this long to finish.",
    )
    allowed_hosts: list[str] | None = Field(
        default=None,
        description="Host names the server answers to (`*.example.com` patterns allowed). "
        "Unset: with auth off only loopback names (and base_url's host); with auth on any.",
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Web origins (https://app.example.com) besides the server's own whose "
        "pages may call it from a browser.",
    )


class McpSettings(Frozen):
    """The MCP tools: the scope that opens `run_query`, and the stdio command's credentials."""

    raw_query_scope: str = Field(
        default="query:raw",
        min_length=1,
        description="Scope a principal needs to see and call run_query (queries written by "
        "the client's own model, guarded as generated ones).",
    )
    token: SecretStr | None = Field(
        default=None,
        description="Bearer token (JWT) or API key that `data-assistant mcp` (stdio) acts "
        "with when auth is on; `--token` overrides it.",
    )
