"""A SQL source: one pooled engine, a cached schema, and bounded read-only execution.

Driver errors are translated here, where they enter: a server that cannot be reached (or
all of whose pooled connections are busy) is SourceUnavailable, a statement that ran out
of time QueryTimeout, anything else the database rejected QueryFailed.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from data_assistant.answers import RowsResult
from data_assistant.auth.policies import SourcePolicy
from data_assistant.auth.principal import Principal
from data_assistant.engines import Engine as DbEngine
from data_assistant.engines import engine_for_url
from data_assistant.engines.cost import check_cost
from data_assistant.engines.errors import describe_error
from data_assistant.errors import QueryFailed, QueryTimeout, SourceUnavailable
from data_assistant.guard.count import count_query
from data_assistant.guard.sql_guard import cap_rows, validate_sql
from data_assistant.observe.metrics import pool_listener
from data_assistant.observe.steps import step
from data_assistant.schema.disk_cache import SchemaDiskCache
from data_assistant.schema.introspect import introspect, latest_date
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.schema.progress import reporter_for
from data_assistant.serialize import json_size, json_value
from data_assistant.settings import SourceSettings, normalise_db_url
from data_assistant.sources.entra import EntraTokenError, TokenCredential
from data_assistant.sources.gate import FairGate
from data_assistant.sources.source import SQL, Language, Prepared

log = logging.getLogger("data_assistant.sources")

# Rows fetched from the driver at a time, so that a byte cap stops the fetch early.
FETCH_CHUNK = 50


@dataclass(frozen=True)
class PreparedSql:
    """A guarded query with the policies applied and the cap in place, ready to run."""

    text: str
    # Claim values bound to the policies' parameters; never shown to the client.
    params: dict[str, Any]
    limit: int
    # Writes the COUNT over the uncapped query, should the rows be cut.
    count: Callable[[], str]
    # Whose question it is: the pool is shared fairly between holders.
    holder: str = ""


@dataclass(frozen=True)
class QueryResult:
    """Rows of one query: at most `max_rows`, with the database's count of all of them."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    row_count: int | None
    notes: tuple[str, ...] = ()


class SqlSource:
    """A named SQL database, queried read-only through a pooled SQLAlchemy engine."""

    kind = "sql"
    language: Language = SQL

    def __init__(
        self,
        name: str,
        settings: SourceSettings,
        *,
        credential: TokenCredential | None = None,
        schema_cache: SchemaDiskCache | None = None,
    ) -> None:
        """`credential` replaces DefaultAzureCredential for `azure_ad` sources; with
        `schema_cache` the schema is kept on disk and read again only where it changed."""
        self.name = name
        self.settings = settings
        options: dict[str, Any] = {
            "schema": settings.db_schema,
            "timeout_s": settings.timeout_s,
            "pool_size": settings.pool_size,
        }
        if settings.files:
            options["files"] = settings.files
        if settings.azure_ad:
            options["azure_ad"] = True
            options["credential"] = credential
        try:
            # The engine (engines/): every fact about the database kind, and its session.
            self.backend: DbEngine
            self.backend, url = engine_for_url(normalise_db_url(settings.url), **options)
        except ValueError as exc:
            raise ValueError(f"sources.{name}.url: {exc}") from None
        self.dialect = self.backend.sqlglot_dialect
        self._url = url
        self._engine: Engine | None = None
        self._schema: SchemaSnapshot | None = None
        self._lock = threading.RLock()
        # Questions take the pool's connections in turn (see gate.py).
        self._gate = FairGate(
            settings.pool_size, share=settings.pool_share, listener=pool_listener(name)
        )
        self._schema_cache = schema_cache
        self.policy: SourcePolicy | None = None
        self._visible: tuple[SchemaSnapshot, SchemaSnapshot] | None = None
        if settings.policies.tables:
            self.policy = SourcePolicy(name, settings.policies, dialect=self.backend)

    @property
    def description(self) -> str | None:
        return self.settings.description

    @property
    def max_rows(self) -> int:
        return self.settings.max_rows

    @property
    def required_scopes(self) -> Sequence[str]:
        return self.settings.policies.require_scopes

    @property
    def problems(self) -> list[str]:
        return []

    def visible_schema(self, principal: Principal | None = None) -> SchemaSnapshot:
        """The schema with what the policies hide left out (denied columns, closed views,
        samples of filtered tables); the same for every principal."""
        snapshot = self.schema()
        if self.policy is None:
            return snapshot
        # The same object for the same snapshot, so that what is computed from it (a
        # fingerprint, the knowledge applied) is computed once.
        kept = self._visible
        if kept is None or kept[0] is not snapshot:
            kept = self._visible = (snapshot, self.policy.schema_for(snapshot))
        return kept[1]

    def prepare(self, query: str, limit: int, principal: Principal) -> PreparedSql:
        """Guard `query`, apply the policies for `principal`, cap it at `limit` rows."""
        snapshot = self.schema()
        expression = validate_sql(
            query,
            dialect=self.backend,
            tables=self.table_names(),
            default_schema=self.default_schema,
            allowed_functions=self.settings.allowed_functions,
        )
        params: dict[str, Any] = {}
        if self.policy is not None:
            enforced = self.policy.enforce(
                expression, principal=principal, snapshot=snapshot, copy=False
            )
            expression, params = enforced.expression, enforced.params
        expression = self.backend.portable(expression)
        # The query as shown and run: the row cap applied, claim values left as binds.
        capped = cap_rows(expression, dialect=self.dialect, row_cap=limit + 1)
        text = capped.sql(dialect=self.dialect, comments=False, copy=False)
        dialect = self.dialect
        return PreparedSql(
            text=text,
            params=params,
            limit=limit,
            count=lambda: count_query(expression, dialect=dialect),
            holder=principal.subject,
        )

    def run(self, prepared: Prepared) -> RowsResult:
        """Run a prepared query: its rows as objects, counted when they were cut."""
        if not isinstance(prepared, PreparedSql):
            raise TypeError("a SQL source runs only the queries it prepared")
        result = self.execute(
            prepared.text,
            max_rows=prepared.limit,
            count_sql=prepared.count,
            params=prepared.params,
            holder=prepared.holder,
        )
        columns = unique_names(result.columns)
        return RowsResult(
            query=prepared.text,
            columns=columns,
            rows=[dict(zip(columns, row, strict=True)) for row in result.rows],
            row_count=result.row_count,
            truncated=result.truncated,
            notes=result.notes,
        )

    @property
    def engine(self) -> Engine:
        """The pooled engine, created on first use so that start-up never blocks on a server."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    try:
                        self._engine = self.backend.create_engine(self._url)
                    except (ImportError, NoSuchModuleError) as exc:
                        missing = getattr(exc, "name", None) or self._url.drivername
                        hint = self.backend.install_hint
                        raise SourceUnavailable(
                            f"Source '{self.name}' needs the database driver {missing}, which "
                            "is not installed" + (f" (the project uses {hint})." if hint else ".")
                        ) from exc
                    except SQLAlchemyError:
                        raise
                    except Exception as exc:
                        # Building DuckDB's file views reads the files; their paths and
                        # DuckDB's words are for the operator's log, not the client.
                        log.warning("source %s could not be opened: %s", self.name, exc)
                        raise SourceUnavailable(
                            f"Source '{self.name}' could not be opened: its files could not "
                            "be read as tables."
                        ) from exc
        return self._engine

    def schema(self, *, refresh: bool = False) -> SchemaSnapshot:
        """The cached snapshot of allowed tables; introspected once, or again on refresh."""
        if self._schema is not None and not refresh:
            return self._schema
        with self._lock:
            if self._schema is None or refresh:
                try:
                    snapshot = self._introspect()
                except SQLAlchemyError as exc:
                    raise self._unavailable(exc) from exc
                allowed = self.allowed_tables(snapshot)
                tables = tuple(t for t in snapshot.tables if t.qualified_name in allowed)
                # Computed over allowed tables only: a denied table's dates stay unseen.
                self._schema = SchemaSnapshot(
                    source=snapshot.source,
                    dialect=snapshot.dialect,
                    tables=tables,
                    latest_date=latest_date(self.engine, tables),
                )
        return self._schema

    def _introspect(self) -> SchemaSnapshot:
        """Read the schema: through the disk cache when there is one, with progress shown
        to whoever watches (schema/progress.py)."""
        progress = reporter_for(self.name)
        if self._schema_cache is not None:
            return self._schema_cache.read(
                self.engine,
                source=self.name,
                key=self._url.render_as_string(hide_password=False),
                dialect=self.dialect,
                schema=self.backend.schema,
                sample_values=self.settings.sample_values,
                progress=progress,
            )
        return introspect(
            self.engine,
            source=self.name,
            dialect=self.dialect,
            schema=self.backend.schema,
            sample_values=self.settings.sample_values,
            progress=progress,
        )

    def allowed_tables(self, snapshot: SchemaSnapshot) -> set[str]:
        """Qualified names (as the catalog has them) of tables that exist and that the
        configuration allows.

        A configured name matches a table by its qualified name or by its bare name:
        exactly where one does, else without case; a denied name matches without case.
        """

        def matches(entries: list[str], *, exact_first: bool) -> set[str]:
            found = set()
            for entry in entries:
                exact = {
                    t.qualified_name for t in snapshot.tables if entry in (t.qualified_name, t.name)
                }
                folded = entry.casefold()
                loose = {
                    t.qualified_name
                    for t in snapshot.tables
                    if folded in (t.qualified_name.casefold(), t.name.casefold())
                }
                found |= exact if exact and exact_first else loose
            return found

        names = snapshot.table_names()
        if self.settings.allowed_tables is not None:
            names &= matches(self.settings.allowed_tables, exact_first=True)
        return names - matches(self.settings.denied_tables, exact_first=False)

    @property
    def default_schema(self) -> str | None:
        """The schema a bare table name resolves in, when the source sets one.

        PostgreSQL and MySQL/MariaDB sources with a `schema` make it the session's default
        (search_path, current database); elsewhere None, the server's own default.
        """
        return self.backend.schema if self.backend.sets_default_schema else None

    def table_names(self) -> set[str]:
        """Qualified names of the allowed tables as the catalog has them: the guard's list,
        with any system catalog table that `allowed_tables` names.

        Bare names of a configured schema are left out: the guard takes a bare name to
        allow `<its default schema>.name` as well (`public.x` in PostgreSQL), which with
        another schema configured is a different table.
        """
        listed = self.settings.allowed_tables or ()
        return self.schema().table_names() | {
            name for name in listed if self.backend.is_catalog_name(name)
        }

    def execute(
        self,
        sql: str,
        *,
        max_rows: int,
        count_sql: str | Callable[[], str] | None = None,
        params: Mapping[str, Any] | None = None,
        holder: str = "",
    ) -> QueryResult:
        """Run guarded SQL read-only within the source's timeout; fetch at most max_rows + 1
        rows and at most the source's `max_answer_bytes`.

        `count_sql`, a COUNT over the uncapped query (or a function writing it, so that it
        is written only when needed), is run only when the rows were capped, in the time
        left; it gives `row_count`, or None when it does not finish. `holder` names whose
        question it is, for the pool's fair shares.
        """
        timeout = self.settings.timeout_s
        started = time.monotonic()
        with self._connect(holder) as conn:
            try:
                with self.backend.read_only(conn, timeout):
                    check_cost(
                        self.backend, conn, sql, params or {}, self.settings.max_estimated_rows
                    )
                    result = conn.execute(text(sql), dict(params or {}))
                    if not result.returns_rows:
                        raise QueryFailed(
                            "The statement returned no rows; only queries can run here.",
                            sql=sql,
                        )
                    columns = list(result.keys())
                    rows, truncated, notes = self._fetch(result, max_rows)
                    result.close()
                row_count: int | None = len(rows)
                if truncated:
                    row_count = None
                    left = timeout - (time.monotonic() - started)
                    if count_sql and left > 0.05:
                        with step("count", self.name):
                            counting = count_sql() if callable(count_sql) else count_sql
                            row_count = self._count(conn, counting, params, left)
            except DBAPIError as exc:
                raise self._translate(exc, sql) from exc
            except SQLAlchemyError as exc:
                raise self._unavailable(exc) from exc
        return QueryResult(
            columns=columns, rows=rows, truncated=truncated, row_count=row_count, notes=notes
        )

    def _fetch(self, result: Any, max_rows: int) -> tuple[list[list[Any]], bool, tuple[str, ...]]:
        """At most `max_rows` JSON-safe rows, in chunks, stopping once the answer would pass
        `max_answer_bytes`: whether rows were left out, and a note when bytes cut them."""
        budget = self.settings.max_answer_bytes
        rows: list[list[Any]] = []
        size = 0
        while len(rows) <= max_rows:
            chunk = result.fetchmany(min(FETCH_CHUNK, max_rows + 1 - len(rows)))
            if not chunk:
                return rows, False, ()
            for raw in chunk:
                if len(rows) == max_rows:
                    return rows, True, ()
                row = [json_value(v) for v in raw]
                size += json_size(row)
                if size > budget:
                    return rows, True, (f"Cut at {budget:,} bytes (max_answer_bytes).",)
                rows.append(row)
        return rows, True, ()

    @contextmanager
    def _connect(self, holder: str = "") -> Iterator[Connection]:
        """A pooled connection, had in turn, or SourceUnavailable: nothing said by the
        server yet is the query's fault, so every failure to connect is the source's."""
        if not self._gate.acquire(self.settings.timeout_s, holder):
            raise self._busy()
        try:
            try:
                conn = self.engine.connect()
            except (SQLAlchemyError, EntraTokenError) as exc:
                raise self._unavailable(exc) from exc
            with conn:
                yield conn
        finally:
            self._gate.release(holder)

    def _count(
        self,
        conn: Connection,
        count_sql: str,
        params: Mapping[str, Any] | None,
        timeout: float,
    ) -> int | None:
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
        with self._connect() as conn:
            try:
                conn.execute(text("SELECT 1"))
            except SQLAlchemyError as exc:
                raise self._unavailable(exc) from exc

    def close(self) -> None:
        """Close the pooled connections and what the backend made (DuckDB's view file)."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
            self.backend.close()

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
        return QueryFailed(
            describe_error(
                self.backend,
                exc.orig,
                sql,
                names=(self._url.database or "", self.backend.schema or ""),
            ),
            sql=sql,
        )

    def _busy(self) -> SourceUnavailable:
        return SourceUnavailable(
            f"Source '{self.name}' is busy: all {self.settings.pool_size} of its "
            "connections are in use; try again shortly."
        )

    def _unavailable(self, exc: BaseException) -> SourceUnavailable:
        if isinstance(exc, PoolTimeout):
            return self._busy()
        reason = unavailable_reason(exc)
        return SourceUnavailable(
            f"Source '{self.name}' cannot be reached right now"
            + (f": {reason}." if reason else ".")
        )


# (pattern in the driver's message, driver error codes, what to tell the user); first match
# wins. The user sees only the last part: driver messages name hosts and users.
_UNAVAILABLE_REASONS: tuple[tuple[re.Pattern[str], frozenset[str], str], ...] = (
    (re.compile(r"refused"), frozenset({"2003"}), "the connection was refused"),
    (
        re.compile(r"password authentication failed|access denied|login failed|role .* does not"),
        frozenset({"1045", "28p01", "28000"}),
        "the database refused the login",
    ),
    (
        re.compile(r"database .* does not exist|unknown database|unable to open database file"),
        frozenset({"1049", "3d000"}),
        "the database does not exist",
    ),
    (
        re.compile(r"terminating connection|server closed the connection|gone away|lost conn"),
        frozenset({"2006", "2013", "57p01"}),
        "the connection to the database was lost",
    ),
    (re.compile(r"timeout expired|timed out"), frozenset({"hyt01"}), "connecting timed out"),
    (
        re.compile(r"can't open lib|data source name not found"),
        frozenset({"im002"}),
        "the ODBC driver named in the URL is not installed",
    ),
)


def unavailable_reason(exc: BaseException) -> str:
    """A short, secret-free reason why a database cannot be reached, or ""."""
    if isinstance(exc, EntraTokenError):
        return f"no Entra ID token could be obtained ({exc})"
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).lower()
    codes = {str(getattr(orig, "sqlstate", "") or "").lower()}
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], (int, str)):
        codes.add(str(args[0]).lower())
    for pattern, known, reason in _UNAVAILABLE_REASONS:
        if codes & known or pattern.search(message):
            return reason
    return ""


def _looks_like_connection_error(exc: OperationalError) -> bool:
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate and str(sqlstate).startswith("08"):
        return True
    args = getattr(orig, "args", ())
    # PyMySQL 2002/2003/2006/2013: cannot connect / server gone away.
    if args and args[0] in (2002, 2003, 2006, 2013):
        return True
    # pyodbc: the SQLSTATE comes first; class 08 is a connection exception.
    if args and isinstance(args[0], str) and args[0].startswith("08"):
        return True
    text_ = str(orig).lower()
    return "unable to open database file" in text_ or ("connection" in text_ and "refused" in text_)


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique (`name`, `name_2`) so that rows can be objects."""
    taken: set[str] = set()
    out = []
    for name in names:
        base = candidate = name or "column"
        n = 1
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate)
        out.append(candidate)
    return out
