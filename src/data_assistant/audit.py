"""The audit log: one JSON record per question, to a JSON-lines file or a database table.

A record says who asked what of which source, the query that ran, how it ended, from
where, and the request id the client was given; it never holds a token, a key or a header.
A record that cannot be written is an error log line and a count in the
`data_assistant_audit_failures` metric, and then, as `audit.on_failure` says, either the
question is refused (503, the default: an audit trail is a security control, and answers
it cannot see should not go out) or the answer goes out all the same.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from data_assistant.errors import AuditUnavailable, DataAssistantError
from data_assistant.observe import metrics
from data_assistant.observe.requests import current_request_id

if TYPE_CHECKING:
    from data_assistant.answers import Answer

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the thread lock alone serialises writes
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("data_assistant.audit")

MAX_TEXT = 10_000


@dataclass
class AuditRecord:
    """What one question (or query, or schema refresh) came to."""

    subject: str
    source: str
    question: str | None
    # ask (a question), query (a query written by the caller) or refresh (a schema).
    action: str = "ask"
    # The surface it came through: api, mcp, cli, web or eval.
    surface: str = "api"
    outcome: str = "ok"  # ok, rejected, refused, denied, rate_limited or error
    status: int = 200
    sql: str | None = None
    attempts: int = 0
    row_count: int | None = None
    duration_ms: float = 0.0
    error: str | None = None
    client_address: str | None = None
    user_agent: str | None = None
    # The id returned to the client in X-Request-Id (None outside an HTTP request).
    request_id: str | None = field(default_factory=current_request_id)
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for key in ("question", "sql", "error", "user_agent"):
            if isinstance(data[key], str):
                data[key] = data[key][:MAX_TEXT]
        return data

    def fail(self, exc: BaseException) -> None:
        """Fill the outcome, status and reason from the error that ended the question."""
        self.outcome, self.status = outcome_of(exc)
        self.error = exc.reason if isinstance(exc, DataAssistantError) else "internal error"
        if sql := getattr(exc, "sql", None):
            self.sql = sql

    def answered(self, answer: Answer) -> None:
        """Fill the query, attempts and row count from a pipeline Answer."""
        self.sql = answer.query
        self.attempts = len(answer.attempts) or 1
        self.row_count = answer.row_count


def outcome_of(exc: BaseException) -> tuple[str, int]:
    """The audit outcome and HTTP status for an error."""
    if isinstance(exc, DataAssistantError):
        return exc.audit_outcome, exc.status
    return "error", 500


class AuditLog(Protocol):
    """Somewhere records go; `record` raises AuditUnavailable when it cannot write."""

    # What `audited` does when a record cannot be written: refuse the question, or not.
    refuse_on_failure: bool

    def record(self, entry: AuditRecord) -> None: ...

    def close(self) -> None: ...


class JsonLinesAuditLog:
    """Appends one line per record; safe across threads and worker processes."""

    sink = "file"

    def __init__(self, path: str | Path, *, refuse_on_failure: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.refuse_on_failure = refuse_on_failure
        self._lock = threading.Lock()

    def record(self, entry: AuditRecord) -> None:
        line = (json.dumps(entry.to_dict(), ensure_ascii=False, default=str) + "\n").encode()
        try:
            with self._lock:
                # Opened per record so that a rotated file is picked up; one write() per
                # record under an exclusive lock, so lines from several workers never mix.
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    if fcntl is not None:
                        fcntl.flock(fd, fcntl.LOCK_EX)
                    os.write(fd, line)
                finally:
                    os.close(fd)
        except OSError as exc:
            log.error("could not write the audit record to %s: %s", self.path, exc.strerror)
            raise AuditUnavailable("The audit log cannot be written right now.") from exc

    def close(self) -> None:
        pass


class DatabaseAuditLog:
    """Inserts records into a table, created if missing, with bound parameters."""

    sink = "database"

    def __init__(
        self, url: str, table: str = "audit_log", *, refuse_on_failure: bool = True
    ) -> None:
        from sqlalchemy import (
            Column,
            Float,
            Integer,
            MetaData,
            String,
            Table,
            Text,
            create_engine,
            inspect,
        )

        from data_assistant.settings import normalise_db_url

        self.refuse_on_failure = refuse_on_failure
        self.engine = create_engine(normalise_db_url(url), pool_pre_ping=True)
        self.table = Table(
            table,
            MetaData(),
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("time", String(40), nullable=False),
            Column("subject", String(255), nullable=False),
            Column("source", String(128), nullable=False),
            Column("question", Text),
            Column("action", String(16)),
            Column("surface", String(16)),
            Column("outcome", String(32), nullable=False),
            Column("status", Integer, nullable=False),
            Column("sql", Text),
            Column("attempts", Integer, nullable=False),
            Column("row_count", Integer),
            Column("duration_ms", Float, nullable=False),
            Column("error", Text),
            Column("client_address", String(64)),
            Column("user_agent", String(512)),
            Column("request_id", String(128)),
        )
        self.table.create(self.engine, checkfirst=True)
        # A table made by an older release lacks the newer columns; its records are
        # still written, without them.
        self.columns = {c["name"] for c in inspect(self.engine).get_columns(table)}

    def record(self, entry: AuditRecord) -> None:
        values = {k: v for k, v in _clip(entry.to_dict()).items() if k in self.columns}
        try:
            with self.engine.begin() as conn:
                conn.execute(self.table.insert().values(**values))
        except Exception as exc:
            log.error("could not write the audit record to the audit database: %s", type(exc))
            raise AuditUnavailable("The audit log cannot be written right now.") from exc

    def close(self) -> None:
        self.engine.dispose()


def make_audit_log(settings: Any) -> AuditLog | None:
    """The audit log `settings.audit` asks for (or of an AuditSettings), None when off."""
    from data_assistant.settings import AuditSettings

    audit = settings if isinstance(settings, AuditSettings) else getattr(settings, "audit", None)
    if not isinstance(audit, AuditSettings) or not audit.enabled:
        return None
    refuse = audit.on_failure == "refuse"
    if audit.path is not None:
        return JsonLinesAuditLog(audit.path, refuse_on_failure=refuse)
    assert audit.url is not None
    return DatabaseAuditLog(audit.url, audit.table, refuse_on_failure=refuse)


@contextmanager
def audited(
    audit: AuditLog | None,
    *,
    subject: str,
    source: str,
    question: str | None,
    action: str = "ask",
    surface: str = "api",
    client_address: str | None = None,
    user_agent: str | None = None,
) -> Iterator[AuditRecord]:
    """Record the block as one question: call `entry.answered(answer)` inside it; an error
    raised by the block is recorded with its outcome and raised again. A record that cannot
    be written raises AuditUnavailable if the log refuses on failure (unless the block
    already raised), and is only counted and logged otherwise."""
    started = time.perf_counter()
    entry = AuditRecord(
        subject=subject,
        source=source,
        question=question,
        action=action,
        surface=surface,
        client_address=client_address,
        user_agent=user_agent,
    )
    try:
        yield entry
    except Exception as exc:
        entry.fail(exc)
        _write(audit, entry, started, raising=False)
        raise
    _write(audit, entry, started, raising=True)


def _write(audit: AuditLog | None, entry: AuditRecord, started: float, *, raising: bool) -> None:
    entry.duration_ms = round((time.perf_counter() - started) * 1000, 3)
    if audit is None:
        return
    try:
        audit.record(entry)
    except AuditUnavailable:
        metrics.audit_failure(getattr(audit, "sink", "other"))
        if raising and getattr(audit, "refuse_on_failure", True):
            log.error("question refused: its audit record could not be written")
            raise


def _clip(row: dict[str, Any]) -> dict[str, Any]:
    # Fit the bounded columns; an over-long user agent must not lose the whole record.
    for key, size in (
        ("subject", 255),
        ("source", 128),
        ("client_address", 64),
        ("user_agent", 512),
    ):
        if isinstance(row.get(key), str):
            row[key] = row[key][:size]
    return row
