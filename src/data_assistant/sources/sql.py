"""A SQL source: one pooled engine, a cached schema, and bounded read-only execution."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from data_assistant.config import SourceSettings, normalise_db_url
from data_assistant.errors import QueryFailed, QueryTimeout, SourceUnavailable
from data_assistant.schema.introspect import introspect
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.serialize import json_value
from data_assistant.sources.backends import Backend, backend_for


@dataclass(frozen=True)
class QueryResult:
    """Rows of one query: at most `max_rows`, with the database's count of all of them."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    row_count: int | None


class SqlSource:
    """A named SQL database, queried read-only through a pooled SQLAlchemy engine."""

    kind = "sql"

    def __init__(self, name: str, settings: SourceSettings) -> None:
        self.name = name
        self.settings = settings
        try:
            self.backend: Backend
            self.backend, url = backend_for(normalise_db_url(settings.url))
        except ValueError as exc:
            raise ValueError(f"sources.{name}.url: {exc}") from None
        self.dialect = self.backend.sqlglot_dialect
        self._url = url
        self._engine: Engine | None = None
        self._schema: SchemaSnapshot | None = None
        self._lock = threading.RLock()

    @property
    def description(self) -> str | None:
        return self.settings.description

    @property
    def engine(self) -> Engine:
        """The pooled engine, created on first use so that start-up never blocks on a server."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = create_engine(self._url, **self.backend.engine_kwargs(self._url))
        return self._engine

    def schema(self, *, refresh: bool = False) -> SchemaSnapshot:
        """The cached snapshot of allowed tables; introspected once, or again on refresh."""
        if self._schema is not None and not refresh:
            return self._schema
        with self._lock:
            if self._schema is None or refresh:
                try:
                    snapshot = introspect(
                        self.engine,
                        source=self.name,
                        dialect=self.dialect,
                        sample_values=self.settings.sample_values,
                    )
                except SQLAlchemyError as exc:
                    raise self._unavailable(exc) from exc
                allowed = self.allowed_tables(snapshot)
                self._schema = SchemaSnapshot(
                    source=snapshot.source,
                    dialect=snapshot.dialect,
                    tables=tuple(t for t in snapshot.tables if t.qualified_name.lower() in allowed),
                )
        return self._schema

    def allowed_tables(self, snapshot: SchemaSnapshot) -> set[str]:
        """Lower-cased names of tables that exist and that the configuration allows."""
        names = snapshot.table_names()
        if self.settings.allowed_tables is not None:
            names &= {t.lower() for t in self.settings.allowed_tables}
        return names - {t.lower() for t in self.settings.denied_tables}

    def execute(
        self,
        sql: str,
        *,
        max_rows: int,
        count_sql: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> QueryResult:
        """Run guarded SQL read-only within the source's timeout; fetch at most max_rows + 1.

        `count_sql`, a COUNT over the uncapped query, is run only when the rows were capped,
        in the time left; it gives `row_count`, or None when it does not finish.
        """
        timeout = self.settings.timeout_s
        started = time.monotonic()
        try:
            with self.engine.connect() as conn:
                with self.backend.read_only(conn, timeout):
                    result = conn.execute(text(sql), dict(params or {}))
                    columns = list(result.keys())
                    fetched = result.fetchmany(max_rows + 1)
                    result.close()
                truncated = len(fetched) > max_rows
                rows = [[json_value(v) for v in row] for row in fetched[:max_rows]]
                row_count: int | None = len(rows)
                if truncated:
                    row_count = None
                    left = timeout - (time.monotonic() - started)
                    if count_sql and left > 0.05:
                        row_count = self._count(conn, count_sql, params, left)
        except DBAPIError as exc:
            raise self._translate(exc, sql) from exc
        except SQLAlchemyError as exc:
            raise self._unavailable(exc) from exc
        return QueryResult(columns=columns, rows=rows, truncated=truncated, row_count=row_count)

    def _count(self, conn, count_sql: str, params, timeout: float) -> int | None:
        try:
            with self.backend.read_only(conn, timeout):
                value = conn.execute(text(count_sql), dict(params or {})).scalar()
        except DBAPIError as exc:
            if self.backend.is_timeout(exc.orig):
                return None
            raise
        return int(value) if value is not None else None

    def ping(self) -> None:
        """Raise SourceUnavailable unless the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise self._unavailable(exc) from exc

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def _translate(self, exc: DBAPIError, sql: str) -> Exception:
        if self.backend.is_timeout(exc.orig):
            return QueryTimeout(
                f"The query ran longer than the {self.settings.timeout_s:g} s limit of source "
                f"'{self.name}'."
            )
        if exc.connection_invalidated or (
            isinstance(exc, OperationalError) and _looks_like_connection_error(exc)
        ):
            return self._unavailable(exc)
        return QueryFailed(f"The database rejected the query: {_driver_message(exc)}", sql=sql)

    def _unavailable(self, exc: Exception) -> SourceUnavailable:
        return SourceUnavailable(f"Source '{self.name}' cannot be reached right now.")


def _driver_message(exc: DBAPIError) -> str:
    """The first line of the driver's own message, without context that could leak secrets."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if primary:
        return _one_sentence(primary)
    args = getattr(orig, "args", ())
    # PyMySQL: (code, message).
    message = (
        args[1] if len(args) >= 2 and isinstance(args[0], int) else (args[0] if args else orig)
    )
    return _one_sentence(str(message))


def _one_sentence(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return line.rstrip(".") + "."


def _looks_like_connection_error(exc: OperationalError) -> bool:
    orig = exc.orig
    if getattr(orig, "sqlstate", None) and str(orig.sqlstate).startswith("08"):
        return True
    args = getattr(orig, "args", ())
    # PyMySQL 2002/2003/2006/2013: cannot connect / server gone away.
    if args and args[0] in (2002, 2003, 2006, 2013):
        return True
    text_ = str(orig).lower()
    return "unable to open database file" in text_ or ("connection" in text_ and "refused" in text_)
