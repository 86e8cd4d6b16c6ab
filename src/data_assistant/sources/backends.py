"""One class per SQL backend (SQLite, PostgreSQL, MySQL/MariaDB; DuckDB and SQL Server in
their own modules), and the registry that maps a URL to its backend.

No code elsewhere asks `if kind == "postgres"`: what differs is declared here.

Every backend is read-only at the database as well as behind the guard: SQLite opens the
file read-only, PostgreSQL and MySQL/MariaDB run each question in a READ ONLY transaction on
a session that is read-only by default, and a pooled connection is reset when it is handed
back (PostgreSQL `DISCARD ALL`, MariaDB/MySQL `COM_RESET_CONNECTION`), so that nothing a
question did (a lock, a variable, a prepared statement) is seen by the next one.
"""

from __future__ import annotations

import difflib
import math
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from data_assistant.sources.base import Backend
from data_assistant.sources.duckdb import DuckDBBackend
from data_assistant.sources.mssql import MSSQLBackend

# Seconds to wait for a TCP connection; a server that is down should fail a question fast.
CONNECT_TIMEOUT_S = 10


def connect_timeout(timeout_s: float) -> int:
    """Whole seconds allowed for connecting: the source's timeout, between 2 and 10."""
    return max(2, min(CONNECT_TIMEOUT_S, math.ceil(timeout_s)))


class SqliteBackend(Backend):
    backend_name = "sqlite"
    sqlglot_dialect = "sqlite"

    def url(self, url: URL) -> URL:
        return url

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        path = _sqlite_file(url)
        if path is None:
            return {}

        # Opened read-only by the SQLite library itself: writes fail whatever the SQL says.
        def connect() -> sqlite3.Connection:
            if not path.exists():
                raise sqlite3.OperationalError(f"unable to open database file {path.name}")
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
            # ATTACH would create a file and open it read-write, and stay attached to the
            # pooled connection; no database may be attached at all.
            conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
            return conn

        return {**super().engine_kwargs(url), "creator": connect, "pool_reset_on_return": None}

    def install_events(self, engine: Engine) -> None:
        if _sqlite_file(engine.url) is not None:
            event.listen(engine, "reset", _reset_sqlite_session)

    @contextmanager
    def read_only(self, conn: Connection, timeout_s: float) -> Iterator[None]:
        raw = conn.connection.driver_connection
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

    def is_timeout(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc)


def _sqlite_file(url: URL) -> Path | None:
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


class PostgresBackend(Backend):
    backend_name = "postgresql"
    sqlglot_dialect = "postgres"
    default_driver = "psycopg"
    aliases = ("postgres",)
    sets_default_schema = True
    install_hint = "psycopg[binary]"

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        # Read-only by default for the whole session, set at connection start: DISCARD ALL
        # on return resets to these start-up values, never to read-write.
        options = " ".join(
            part
            for part in (
                str(url.query.get("options") or ""),
                "-c default_transaction_read_only=on",
                f"-c statement_timeout={max(1, int(self.timeout_s * 1000))}",
            )
            if part
        )
        connect_args = {
            "options": options,
            "connect_timeout": connect_timeout(self.timeout_s),
            "application_name": str(url.query.get("application_name") or "data-assistant"),
        }
        return {
            **super().engine_kwargs(url),
            "connect_args": connect_args,
            # The reset event rolls back and discards the session itself.
            "pool_reset_on_return": None,
        }

    def install_events(self, engine: Engine) -> None:
        event.listen(engine, "reset", _discard_all)

    @contextmanager
    def read_only(self, conn: Connection, timeout_s: float) -> Iterator[None]:
        # One round trip: read-only (as SET TRANSACTION READ ONLY, should the session's
        # default not be in force, as behind PgBouncer), the time limit and the schema.
        # is_local=true: they end with the transaction, so nothing is left on the pooled
        # connection for the next question.
        settings = ["set_config('transaction_read_only', 'on', true)"]
        settings.append("set_config('statement_timeout', :ms, true)")
        params = {"ms": str(max(1, int(timeout_s * 1000)))}
        if self.schema:
            settings.append("set_config('search_path', :path, true)")
            params["path"] = self.quote(conn.engine, self.schema)
        with conn.begin() as tx:
            try:
                conn.execute(text(f"SELECT {', '.join(settings)}"), params)
                yield
            finally:
                tx.rollback()

    def is_timeout(self, exc: BaseException) -> bool:
        return getattr(exc, "sqlstate", None) == "57014"


def _discard_all(dbapi_conn: Any, record: Any, reset_state: Any) -> None:
    """Pool reset for PostgreSQL: roll back, then drop all session state."""
    dbapi_conn.rollback()
    if reset_state.terminate_only:
        return
    # DISCARD ALL releases advisory locks, drops temporary tables, prepared statements and
    # LISTENs, and resets settings; it cannot run inside a transaction block.
    dbapi_conn.autocommit = True
    try:
        dbapi_conn.execute("DISCARD ALL")
    finally:
        dbapi_conn.autocommit = False


class MySQLBackend(Backend):
    backend_name = "mysql"
    sqlglot_dialect = "mysql"
    default_driver = "pymysql"
    sets_default_schema = True
    install_hint = "pymysql"

    def url(self, url: URL) -> URL:
        url = super().url(url)
        # In MySQL a schema is a database: connecting to it makes it the default one.
        return url.set(database=self.schema) if self.schema else url

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        connect_args = {
            "connect_timeout": connect_timeout(self.timeout_s),
            # A backstop should the server's own statement limit not fire.
            "read_timeout": math.ceil(self.timeout_s) + 30,
            "init_command": "SET SESSION TRANSACTION READ ONLY",
        }
        return {
            **super().engine_kwargs(url),
            "pool_recycle": 3600,
            "connect_args": connect_args,
            "pool_reset_on_return": None,
        }

    def install_events(self, engine: Engine) -> None:
        event.listen(engine, "reset", _reset_mysql_session)

    @contextmanager
    def read_only(self, conn: Connection, timeout_s: float) -> Iterator[None]:
        with conn.begin() as tx:
            try:
                if getattr(conn.dialect, "is_mariadb", False):
                    conn.exec_driver_sql(
                        "SET SESSION max_statement_time = %s", (round(timeout_s, 3),)
                    )
                else:
                    conn.exec_driver_sql(
                        "SET SESSION max_execution_time = %s", (max(1, int(timeout_s * 1000)),)
                    )
                # The session is read-only too (init_command): a DDL statement commits the
                # transaction it is in and would otherwise run outside it.
                conn.exec_driver_sql("START TRANSACTION READ ONLY")
                yield
            finally:
                tx.rollback()

    def is_timeout(self, exc: BaseException) -> bool:
        args = getattr(exc, "args", ())
        # 3024: MySQL max_execution_time; 1969: MariaDB max_statement_time.
        return bool(args) and args[0] in (3024, 1969)


# The protocol command that resets a session (MySQL 5.7.3+, MariaDB 10.2.4+); PyMySQL has
# no method for it and names the value COM_END.
COM_RESET_CONNECTION = 0x1F


def _reset_mysql_session(dbapi_conn: Any, record: Any, reset_state: Any) -> None:
    """Pool reset for MySQL/MariaDB: roll back, reset the session, make it read-only again.

    COM_RESET_CONNECTION drops user variables, temporary tables, GET_LOCK locks and
    prepared statements, and resets session variables to the server's globals. A failure
    here makes the pool throw the connection away, which is also safe.
    """
    dbapi_conn.rollback()
    if reset_state.terminate_only:
        return
    dbapi_conn._execute_command(COM_RESET_CONNECTION, b"")
    dbapi_conn._read_ok_packet()
    dbapi_conn.set_character_set(dbapi_conn.charset, dbapi_conn.collation)
    dbapi_conn.autocommit(False)
    with dbapi_conn.cursor() as cursor:
        cursor.execute("SET SESSION TRANSACTION READ ONLY")


class MariaDBBackend(MySQLBackend):
    backend_name = "mariadb"


BACKENDS: dict[str, type[Backend]] = {
    cls.backend_name: cls
    for cls in (
        SqliteBackend,
        PostgresBackend,
        MySQLBackend,
        MariaDBBackend,
        MSSQLBackend,
        DuckDBBackend,
    )
}
ALIASES: dict[str, str] = {
    alias: cls.backend_name for cls in BACKENDS.values() for alias in cls.aliases
}


def backend_for(url: str, **options: Any) -> tuple[Backend, URL]:
    """The backend for a database URL and the URL to connect with; unknown kinds name close ones.

    `options` go to the backend: schema, timeout_s, pool_size, and its own extras.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"{url!r} is not a database URL") from None
    name = parsed.get_backend_name()
    name = ALIASES.get(name, name)
    if name not in BACKENDS:
        known = [*BACKENDS, *ALIASES]
        close = difflib.get_close_matches(name, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(known)}"
        raise ValueError(f"unknown database kind {name!r}{hint}")
    extras = {k: options.pop(k) for k in list(options) if k not in _COMMON_OPTIONS}
    backend = BACKENDS[name](**options, options=extras)
    return backend, backend.url(parsed)


_COMMON_OPTIONS = ("schema", "timeout_s", "pool_size")
