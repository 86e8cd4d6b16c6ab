"""Settings of the translator: which provider writes the queries, and its limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from data_assistant.settings.base import Frozen


class TranslatorSettings(Frozen):
    """How questions become queries."""

    provider: Literal["auto", "openai", "azure", "offline", "none"] = "auto"
    model: str | None = None
    api_key: str | None = None
    base_url: str | None = None
    azure_endpoint: str | None = None
    azure_deployment: str | None = None
    api_version: str | None = None
    azure_ad: bool = Field(
        default=False, description="Authenticate to Azure OpenAI with Entra ID instead of a key."
    )
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    max_corrections: int = Field(default=2, ge=0, le=10)
    schema_token_budget: int = Field(default=4000, ge=200)
    temperature: float = Field(default=0.0, ge=0, le=2)
