"""OpenTelemetry tracing, off by default: set up from the standard OTEL_* variables.

Nothing here is imported while tracing is off, so the SDK is an optional extra
(`pip install 'data-assistant[tracing]'`) and a server without it pays nothing. The
exporter is the one OTEL_TRACES_EXPORTER names (default `otlp`; `otlp` picks HTTP or gRPC
by OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL, default
http/protobuf; `console`, `none`, or any exporter installed under the SDK's entry-point
group); the exporter itself reads its endpoint, headers and timeout from the usual
variables, and the service name comes from OTEL_SERVICE_NAME (default `data-assistant`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any

from data_assistant.errors import ConfigError

log = logging.getLogger("data_assistant.tracing")

ENTRY_POINT_GROUP = "opentelemetry_traces_exporter"
_OTLP_BY_PROTOCOL = {"http/protobuf": "otlp_proto_http", "grpc": "otlp_proto_grpc"}


class _Tracing:
    """The process's tracer while tracing is on, else None (the steps check only this)."""

    tracer: Any = None
    provider: Any = None


current = _Tracing()


def exporter_names(env: Mapping[str, str]) -> list[str]:
    """The entry-point names of the exporters the environment asks for."""
    names = [n.strip() for n in env.get("OTEL_TRACES_EXPORTER", "otlp").split(",") if n.strip()]
    protocol = (
        env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        or env.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    )
    out = []
    for name in names:
        if name == "none":
            continue
        out.append(_OTLP_BY_PROTOCOL.get(protocol, protocol) if name == "otlp" else name)
    return out


def start_tracing(env: Mapping[str, str] | None = None) -> None:
    """Make the tracer and its exporters; ConfigError when the SDK or an exporter is missing."""
    env = os.environ if env is None else env
    try:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        raise ConfigError(
            "tracing.enabled: needs OpenTelemetry; install data-assistant[tracing]"
        ) from None
    attributes = {} if env.get("OTEL_SERVICE_NAME") else {"service.name": "data-assistant"}
    provider = TracerProvider(resource=Resource.create(attributes))
    for name in exporter_names(env):
        found = list(entry_points(group=ENTRY_POINT_GROUP, name=name))
        if not found:
            raise ConfigError(
                f"OTEL_TRACES_EXPORTER (environment): no trace exporter {name!r} is installed"
            )
        provider.add_span_processor(BatchSpanProcessor(found[0].load()()))
    stop_tracing()
    current.provider = provider
    current.tracer = provider.get_tracer("data_assistant")
    log.info("tracing on: exporters %s", ", ".join(exporter_names(env)) or "none")


def stop_tracing() -> None:
    """Send the spans still queued and turn tracing off."""
    provider, current.provider, current.tracer = current.provider, None, None
    if provider is not None:
        provider.shutdown()


def extract_context(headers: Mapping[str, str]) -> Any:
    """The caller's trace context (W3C traceparent) to continue, if it sent one."""
    from opentelemetry.propagate import extract

    return extract(headers)


def server_kind() -> Any:
    from opentelemetry.trace import SpanKind

    return SpanKind.SERVER
