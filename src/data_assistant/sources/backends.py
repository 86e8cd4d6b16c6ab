"""One class per SQL backend: driver URL, dialect, read-only session and time limit.

The registry maps SQLAlchemy backend names to these classes, so no code elsewhere asks
`if kind == "postgres"`.
"""

from __future__ import annotations

import difflib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError


class Backend:
    """What differs between SQL engines; subclasses set the class attributes."""

    backend_name: ClassVar[str]
    sqlglot_dialect: ClassVar[str]
    # The SQLAlchemy driver used when the URL names none ("postgresql://").
    default_driver: ClassVar[str | None] = None

    def url(self, url: URL) -> URL:
        """The URL to connect with, the project's driver filled in when none is named."""
        if self.default_driver and "+" not in url.drivername:
            return url.set(drivername=f"{self.backend_name}+{self.default_driver}")
        return url

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        """Extra `create_engine` arguments (pool, connect args)."""
        return {"pool_pre_ping": True}

    @contextmanager
    def read_only(self, conn: Connection, timeout_s: float) -> Iterator[None]:
        """Run the block in a read-only transaction bounded by `timeout_s`, then roll back."""
        raise NotImplementedError

    def is_timeout(self, exc: BaseException) -> bool:
        """Whether a driver error means the statement ran out of time."""
        return False


class SqliteBackend(Backend):
    backend_name = "sqlite"
    sqlglot_dialect = "sqlite"

    def url(self, url: URL) -> URL:
        return url

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return {}
        path = Path(database).expanduser().resolve()

        # Opened read-only by the SQLite library itself: writes fail whatever the SQL says.
        def connect() -> sqlite3.Connection:
            if not path.exists():
                raise sqlite3.OperationalError(f"unable to open database file {path.name}")
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
            return conn

        return {"creator": connect, "pool_pre_ping": True}

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


class PostgresBackend(Backend):
    backend_name = "postgresql"
    sqlglot_dialect = "postgres"
    default_driver = "psycopg"

    @contextmanager
    def read_only(self, conn: Connection, timeout_s: float) -> Iterator[None]:
        with conn.begin() as tx:
            try:
                conn.execute(text("SET TRANSACTION READ ONLY"))
                # is_local=true: the limit ends with the transaction, so nothing is left on
                # the pooled connection for the next question.
                conn.execute(
                    text("SELECT set_config('statement_timeout', :ms, true)"),
                    {"ms": str(max(1, int(timeout_s * 1000)))},
                )
                yield
            finally:
                tx.rollback()

    def is_timeout(self, exc: BaseException) -> bool:
        return getattr(exc, "sqlstate", None) == "57014"


class MySQLBackend(Backend):
    backend_name = "mysql"
    sqlglot_dialect = "mysql"
    default_driver = "pymysql"

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        return {"pool_pre_ping": True, "pool_recycle": 3600}

    @contextmanager
    def read_only(self, conn: Connection, timeout_s: float) -> Iterator[None]:
        mariadb = bool(getattr(conn.dialect, "is_mariadb", False))
        if mariadb:
            conn.exec_driver_sql(f"SET SESSION max_statement_time = {float(timeout_s):.3f}")
        else:
            conn.exec_driver_sql(f"SET SESSION max_execution_time = {int(timeout_s * 1000)}")
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        with conn.begin() as tx:
            try:
                yield
            finally:
                tx.rollback()

    def is_timeout(self, exc: BaseException) -> bool:
        args = getattr(exc, "args", ())
        # 3024: MySQL max_execution_time; 1969: MariaDB max_statement_time.
        return bool(args) and args[0] in (3024, 1969)


class MariaDBBackend(MySQLBackend):
    backend_name = "mariadb"
    default_driver = "pymysql"


class MSSQLBackend(Backend):
    backend_name = "mssql"
    sqlglot_dialect = "tsql"
    default_driver = "pyodbc"

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if url.get_driver_name() == "pyodbc":
            kwargs["connect_args"] = {"ApplicationIntent": "ReadOnly"}
        return kwargs

    @contextmanager
    def read_only(self, conn: Connection, timeout_s: float) -> Iterator[None]:
        raw = conn.connection.driver_connection
        if hasattr(raw, "timeout"):
            raw.timeout = max(1, int(timeout_s))
        with conn.begin() as tx:
            try:
                yield
            finally:
                tx.rollback()

    def is_timeout(self, exc: BaseException) -> bool:
        return "HYT00" in str(getattr(exc, "args", ""))


BACKENDS: dict[str, type[Backend]] = {
    cls.backend_name: cls
    for cls in (SqliteBackend, PostgresBackend, MySQLBackend, MariaDBBackend, MSSQLBackend)
}


def backend_for(url: str) -> tuple[Backend, URL]:
    """The backend for a database URL and the URL to connect with; unknown kinds name close ones."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"{url!r} is not a database URL") from None
    name = parsed.get_backend_name()
    if name not in BACKENDS:
        close = difflib.get_close_matches(name, list(BACKENDS), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(BACKENDS)}"
        raise ValueError(f"unknown database kind {name!r}{hint}")
    backend = BACKENDS[name]()
    return backend, backend.url(parsed)
