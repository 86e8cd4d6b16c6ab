"""Settings of running in production: metrics, tracing and logs."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from data_assistant.settings.base import Frozen

MIN_METRICS_TOKEN_LENGTH = 16


class MetricsSettings(Frozen):
    """Prometheus metrics at /metrics, and who may read them.

    With neither `token` nor `scope`, /metrics is open only while the server listens on a
    loopback address; on any other address it needs one of them.
    """

    enabled: bool = Field(default=True, description="Serve /metrics and count.")
    token: SecretStr | None = Field(
        default=None,
        description="A bearer token Prometheus sends (its `authorization.credentials`).",
    )
    scope: str | None = Field(
        default=None,
        description="Or: a scope that the caller's own credentials (auth.mode) must hold.",
    )

    @field_validator("token")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_METRICS_TOKEN_LENGTH:
            raise ValueError(f"must be at least {MIN_METRICS_TOKEN_LENGTH} characters")
        return value


class TracingSettings(Frozen):
    """OpenTelemetry traces: a span per request and per pipeline step.

    The exporter and its endpoint come from the standard OTEL_* variables
    (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME ...); needs the
    `tracing` extra (opentelemetry-sdk and the OTLP exporter).
    """

    enabled: bool = Field(default=False, description="Off: no tracing code runs at all.")


class LogSettings(Frozen):
    """How the server logs: plain text for people, or one JSON object per line."""

    format: Literal["text", "json"] = "text"
    level: Literal["debug", "info", "warning", "error"] = "info"


def valid_key_prefix(value: str) -> str:
    """A Redis key prefix: printable, no spaces, at most 100 characters."""
    if not re.fullmatch(r"[!-~]{1,100}", value):
        raise ValueError("must be 1-100 printable characters without spaces")
    return value
