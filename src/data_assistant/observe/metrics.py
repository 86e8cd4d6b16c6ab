"""Prometheus metrics: the instruments, the calls that feed them, and the page that shows them.

Every instrument is made once per process on prometheus-client's default registry. With
several worker processes (`serve --workers N`) `serve` points PROMETHEUS_MULTIPROC_DIR at a
fresh folder before the workers start, each worker writes its values there, and whichever
worker answers /metrics adds them all up. Gauges of the pools are summed over live workers.

Label values come only from bounded sets: configured source names (an unknown name is
counted as `(unknown)`), surfaces, steps, statuses, error slugs and rejection classes —
never from what a client sent, which would let it grow the page without limit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

MULTIPROC_ENV_VAR = "PROMETHEUS_MULTIPROC_DIR"
UNKNOWN = "(unknown)"
# From 1 ms (a lookup's guard) to 60 s (a slow model).
STEP_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class _State:
    """Whether counting is on (metrics.enabled); off, every call below returns at once."""

    enabled = True


state = _State()

QUESTIONS = Counter(
    "data_assistant_questions",
    "Questions, queries and schema refreshes through the pipeline, by how they ended.",
    ["surface", "source", "action", "status"],
)
STEP_SECONDS = Histogram(
    "data_assistant_step_seconds",
    "Time in one pipeline step: translate, prepare (guard and policies), execute, count.",
    ["step", "source"],
    buckets=STEP_BUCKETS,
)
HTTP_REQUESTS = Counter(
    "data_assistant_http_requests",
    "HTTP requests by route template, method and status.",
    ["route", "method", "status"],
)
HTTP_SECONDS = Histogram(
    "data_assistant_http_request_seconds",
    "HTTP request time by route template.",
    ["route"],
    buckets=STEP_BUCKETS,
)
TRANSLATOR_CALLS = Counter(
    "data_assistant_translator_calls",
    "Calls to the translator, by translator and outcome (ok or the error's type).",
    ["translator", "outcome"],
)
TRANSLATOR_ERRORS = Counter(
    "data_assistant_translator_errors",
    "Translator calls that failed, by translator and error type.",
    ["translator", "error"],
)
TRANSLATOR_TOKENS = Counter(
    "data_assistant_translator_tokens",
    "Tokens the language model reported using, by model and kind (prompt, completion).",
    ["model", "kind"],
)
GUARD_REJECTIONS = Counter(
    "data_assistant_guard_rejections",
    "Queries the guard refused, by source and class of reason.",
    ["source", "reason"],
)
POOL_IN_USE = Gauge(
    "data_assistant_pool_in_use",
    "Database connections held by questions, by source.",
    ["source"],
    multiprocess_mode="livesum",
)
POOL_WAITING = Gauge(
    "data_assistant_pool_waiting",
    "Questions waiting for a database connection, by source.",
    ["source"],
    multiprocess_mode="livesum",
)
CACHE_LOOKUPS = Counter(
    "data_assistant_cache_lookups",
    "Cache look-ups by cache and result (hit or miss).",
    ["cache", "result"],
)
AUDIT_FAILURES = Counter(
    "data_assistant_audit_failures",
    "Audit records that could not be written.",
    ["sink"],
)
REDIS_ERRORS = Counter(
    "data_assistant_redis_errors",
    "Redis calls that failed, by the part that made them.",
    ["part"],
)
SCHEMA_REFRESHES = Counter(
    "data_assistant_schema_refreshes",
    "Schemas read again, by source and origin (here, or a notice from another process).",
    ["source", "origin"],
)


def question(surface: str, source: str, action: str, status: int) -> None:
    """Count one pipeline call (`source` already bounded: see `source_label`)."""
    if state.enabled:
        QUESTIONS.labels(surface, source, action, str(status)).inc()


def step_time(step: str, source: str, seconds: float) -> None:
    if state.enabled:
        STEP_SECONDS.labels(step, source).observe(seconds)


def http_request(route: str, method: str, status: int, seconds: float) -> None:
    if state.enabled:
        HTTP_REQUESTS.labels(route, method, str(status)).inc()
        HTTP_SECONDS.labels(route).observe(seconds)


def translator_call(translator: str, error: BaseException | None) -> None:
    """Count a translator call; `error` is what it raised, if anything."""
    if not state.enabled:
        return
    if error is None:
        TRANSLATOR_CALLS.labels(translator, "ok").inc()
        return
    slug = getattr(error, "type_slug", "internal-error")
    TRANSLATOR_CALLS.labels(translator, slug).inc()
    TRANSLATOR_ERRORS.labels(translator, slug).inc()


def translator_tokens(model: str, prompt: int | None, completion: int | None) -> None:
    """Add the usage a model reported (the SDK's `response.usage`)."""
    if not state.enabled:
        return
    # What an endpoint reports is not trusted to be a count.
    if isinstance(prompt, int) and prompt > 0:
        TRANSLATOR_TOKENS.labels(model, "prompt").inc(prompt)
    if isinstance(completion, int) and completion > 0:
        TRANSLATOR_TOKENS.labels(model, "completion").inc(completion)


def guard_rejection(source: str, error: BaseException) -> None:
    if state.enabled:
        GUARD_REJECTIONS.labels(source, rejection_class(error)).inc()


def cache_lookup(cache: str, hit: bool) -> None:
    """The hook a cache calls on each look-up (`cache` is the cache's fixed name)."""
    if state.enabled:
        CACHE_LOOKUPS.labels(cache, "hit" if hit else "miss").inc()


def audit_failure(sink: str) -> None:
    AUDIT_FAILURES.labels(sink).inc()


def redis_error(part: str) -> None:
    REDIS_ERRORS.labels(part).inc()


def schema_refresh(source: str, origin: str) -> None:
    if state.enabled:
        SCHEMA_REFRESHES.labels(source, origin).inc()


def pool_listener(source: str) -> Callable[[int, int], None]:
    """A callback for a source's pool gate: (connections in use, questions waiting)."""
    in_use, waiting = POOL_IN_USE.labels(source), POOL_WAITING.labels(source)

    def changed(held: int, queued: int) -> None:
        if state.enabled:
            in_use.set(held)
            waiting.set(queued)

    return changed


# Classes of guard rejection, by what the reason says first; the guard's own `kind` on the
# error, when it carries one, wins. Only the label depends on this, never a decision.
_REJECTION_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("parse", re.compile(r"could not be parsed|is empty|must be text|syntax", re.I)),
    ("statement", re.compile(r"only select|one statement|single statement|not a query", re.I)),
    ("function", re.compile(r"function", re.I)),
    ("table", re.compile(r"table|view|catalog|schema|container", re.I)),
    ("column", re.compile(r"column|field|propert", re.I)),
    ("nesting", re.compile(r"nested|too deep|too long|too many|too large", re.I)),
)


def rejection_class(error: BaseException) -> str:
    """A short, bounded class for a guard rejection, for the metric's label."""
    kind = getattr(error, "kind", None)
    if isinstance(kind, str) and re.fullmatch(r"[a-z_]{1,32}", kind):
        return kind
    reason = str(getattr(error, "reason", "") or "")
    return next((name for name, pattern in _REJECTION_CLASSES if pattern.search(reason)), "other")


def render() -> tuple[bytes, str]:
    """The metrics page and its content type, added up over worker processes if several."""
    if os.environ.get(MULTIPROC_ENV_VAR):
        from prometheus_client import multiprocess

        registry: Any = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def forget_this_process() -> None:
    """At a worker's exit: drop its live gauges from the shared folder."""
    if os.environ.get(MULTIPROC_ENV_VAR):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())
