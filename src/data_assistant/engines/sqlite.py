"""SQLite: a file opened read-only by the library itself, with small per-value limits.

The file is opened `mode=ro` with `query_only` on, no database may be attached, and the
connection's limits keep one value (zeroblob, randomblob, printf, replace...) to a few
megabytes, so a query cannot allocate gigabytes. SQLite has no statement timeout: a
progress handler aborts past the deadline (as datasette does) and no cost estimate, so
the guard's cartesian-product check and that deadline bound the work.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL
from sqlglot import exp

from data_assistant.engines.base import Engine

# sqlite3.Connection.setlimit category -> value. A value larger than the length limit
# fails with "string or blob too big" instead of being built.
LIMITS = {
    sqlite3.SQLITE_LIMIT_LENGTH: 10_000_000,  # bytes in one string or blob
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: 1_000_000,  # bytes of SQL text
    sqlite3.SQLITE_LIMIT_EXPR_DEPTH: 500,
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: 500,
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 10_000,
    sqlite3.SQLITE_LIMIT_FUNCTION_ARG: 127,
    sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER: 1_000,
    sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH: 10,
    sqlite3.SQLITE_LIMIT_WORKER_THREADS: 0,
    # ATTACH would create a file and open it read-write, and stay attached to the pooled
    # connection: no database may be attached at all.
    sqlite3.SQLITE_LIMIT_ATTACHED: 0,
}


class SQLite(Engine):
    name = "sqlite"
    display_name = "SQLite"
    sqlglot_dialect = "sqlite"
    url_names = ("sqlite",)
    default_schema = "main"
    catalog_schemas = frozenset({"temp"})
    # sqlite_master, sqlite_schema, sqlite_temp_master, sqlite_sequence, sqlite_stat1...:
    # SQLite reserves the prefix for itself.
    catalog_table_prefixes = ("sqlite_", "pragma_")
    implicit_recursive_ctes = True
    syntax_functions = ("If", "JSONExtract", "JSONExtractScalar")
    pure_functions = (
        # core
        "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull",
        "iif", "instr", "length", "like", "likelihood", "likely", "lower", "ltrim", "max",
        "min", "nullif", "octet_length", "printf", "quote", "random", "randomblob", "replace",
        "round", "rtrim", "sign", "soundex", "substr", "substring", "trim", "typeof", "unhex",
        "unicode", "unistr", "unlikely", "upper", "zeroblob",
        # dates
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
        # aggregates and windows
        "avg", "count", "group_concat", "string_agg", "sum", "total", "row_number", "rank",
        "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
        "last_value", "nth_value",
        # math
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos",
        "cosh", "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow",
        "power", "radians", "sin", "sinh", "sqrt", "tan", "tanh", "trunc",
        # JSON, including the table-valued json_each and json_tree
        "json", "jsonb", "json_array", "jsonb_array", "json_array_length",
        "json_error_position", "json_extract", "jsonb_extract", "json_insert", "jsonb_insert",
        "json_object", "jsonb_object", "json_patch", "jsonb_patch", "json_pretty",
        "json_remove", "jsonb_remove", "json_replace", "jsonb_replace", "json_set",
        "jsonb_set", "json_type", "json_valid", "json_quote", "json_group_array",
        "jsonb_group_array", "json_group_object", "jsonb_group_object", "json_each",
        "json_tree",
    )  # fmt: skip

    def fence(self, select: exp.Select) -> None:
        # SQLite neither flattens nor pushes conditions into a subquery with a LIMIT.
        select.set("limit", exp.Limit(expression=exp.Neg(this=exp.Literal.number(1))))
        select.set("offset", exp.Offset(expression=exp.Literal.number(0)))

    def error_class(self, error: BaseException | None) -> str | None:
        return getattr(error, "sqlite_errorname", None)

    def is_timeout(self, error: BaseException | None) -> bool:
        return isinstance(error, sqlite3.OperationalError) and "interrupted" in str(error)

    def url(self, url: URL) -> URL:
        return url

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        path = sqlite_file(url)
        if path is None:
            return {}

        # Opened read-only by the SQLite library itself: writes fail whatever the SQL says.
        def connect() -> sqlite3.Connection:
            if not path.exists():
                raise sqlite3.OperationalError(f"unable to open database file {path.name}")
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
            return conn

        return {**super().engine_kwargs(url), "creator": connect, "pool_reset_on_return": None}

    def install_events(self, engine: sa.Engine) -> None:
        event.listen(engine, "connect", _set_limits)
        if sqlite_file(engine.url) is not None:
            event.listen(engine, "reset", _reset_sqlite_session)

    @contextmanager
    def read_only(self, conn: sa.Connection, timeout_s: float) -> Iterator[None]:
        raw: Any = conn.connection.driver_connection
        deadline = time.monotonic() + timeout_s

        # SQLite has no statement timeout; a progress handler that aborts past the deadline
        # is how datasette bounds queries too.
        def check() -> int:
            return 1 if time.monotonic() > deadline else 0

        raw.set_progress_handler(check, 1000)
        try:
            with conn.begin() as tx:
                try:
                    yield
                finally:
                    tx.rollback()
        finally:
            raw.set_progress_handler(None, 0)

    def estimate_rows(
        self, conn: sa.Connection, sql: str, params: Mapping[str, Any]
    ) -> float | None:
        return None  # EXPLAIN QUERY PLAN carries no estimates


def set_limits(conn: sqlite3.Connection) -> None:
    """Apply LIMITS to a raw sqlite3 connection."""
    for category, value in LIMITS.items():
        conn.setlimit(category, value)


def _set_limits(dbapi_conn: Any, record: Any) -> None:
    set_limits(dbapi_conn)


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL; None for in-memory and `file:` URI databases."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def _reset_sqlite_session(dbapi_conn: Any, record: Any, reset_state: Any) -> None:
    """Pool reset for SQLite: roll back and switch query_only back on, should a query
    have switched it off (the file stays opened read-only either way)."""
    dbapi_conn.rollback()
    if not reset_state.terminate_only:
        dbapi_conn.execute("PRAGMA query_only = ON")
