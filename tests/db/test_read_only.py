"""Read-only at the database, proven: writes sent straight to the executor, past the guard,
fail on every engine and change nothing; what a read-only transaction still allows is
stopped by the guard; and a pooled connection carries nothing from one question to the next.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from data_assistant.errors import GuardRejection, QueryFailed
from data_assistant.guard.sql_guard import check_sql
from data_assistant.settings import SourceSettings
from data_assistant.sources.sql import SqlSource
from tests.db.conftest import ENGINES
from tests.db.helpers import assistant_for, settings_with

ITEMS = [(1, "apple"), (2, "pear"), (3, "plum")]
WRITES = {
    "insert": "INSERT INTO items (id, name) VALUES (9, 'fig')",
    "update": "UPDATE items SET name = 'gone'",
    "delete": "DELETE FROM items",
    "create": "CREATE TABLE extra (id INTEGER)",
    "drop": "DROP TABLE items",
    "insert returning": "INSERT INTO items (id, name) VALUES (8, 'kiwi') RETURNING id",
}
SETUP = [
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)",
    "INSERT INTO items (id, name) VALUES (1, 'apple'), (2, 'pear'), (3, 'plum')",
]


@dataclass
class Database:
    """A small writable database on one engine, and a way to look at it from outside."""

    engine: str
    url: str

    def state(self) -> tuple[list[tuple], list[str]]:
        """The rows of `items` and the names of all tables, read by an ordinary connection."""
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                query = text("SELECT id, name FROM items ORDER BY id")
                rows = [tuple(r) for r in conn.execute(query)]
                return rows, sorted(inspect(conn).get_table_names())
        finally:
            engine.dispose()


def _setup(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in SETUP:
                conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture(scope="module", params=ENGINES)
def database(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Database]:
    engine = request.param
    if engine in ("postgres", "mariadb"):
        server = request.getfixturevalue(f"{engine}_server")
        url = server.create_database()
        request.addfinalizer(lambda: server.drop_database(url))
    else:
        folder: Path = tmp_path_factory.mktemp(engine)
        url = f"{engine}:///{folder / 'items.db'}"
    _setup(url)
    yield Database(engine, url)


@pytest.fixture
def source(database: Database) -> Iterator[SqlSource]:
    source = SqlSource("items", SourceSettings(url=database.url, pool_size=1, timeout_s=5))
    yield source
    source.close()


@pytest.mark.parametrize("statement", WRITES.values(), ids=WRITES)
def test_a_write_sent_past_the_guard_fails_and_changes_nothing(
    database: Database, source: SqlSource, statement: str
):
    if "RETURNING" in statement and database.engine == "mariadb":
        statement = statement.replace(" RETURNING id", "")
    with pytest.raises(QueryFailed, match="database rejected"):
        source.execute(statement, max_rows=10)
    # DuckDB lets one process open a file with one configuration at a time.
    source.close()
    assert database.state() == (ITEMS, ["items"])


def test_the_next_question_on_the_same_connection_still_reads(database, source):
    with pytest.raises(QueryFailed):
        source.execute(WRITES["delete"], max_rows=10)
    assert source.execute("SELECT COUNT(*) FROM items", max_rows=1).rows == [[3]]


# --- PostgreSQL: what a read-only transaction allows, and what a session keeps -------------

# Each runs in a READ ONLY transaction (a superuser's COPY TO even writes a server file):
# the guard is the layer that stops them.
READ_ONLY_LOOPHOLES = {
    "lo_import": "SELECT lo_import('/etc/hostname')",
    "set_config": "SELECT set_config('da.leak', 'yes', false)",
    "advisory lock": "SELECT pg_advisory_lock(4242)",
    "copy to file": "COPY (SELECT * FROM items) TO '/tmp/items.csv'",
    "copy program": "COPY (SELECT 1) TO PROGRAM 'true'",
    "advisory xact lock": "SELECT pg_try_advisory_xact_lock(1)",
    "large object create": "SELECT lo_create(0)",
    "notify": "SELECT pg_notify('chan', 'x')",
}


@pytest.fixture
def pg_source(request: pytest.FixtureRequest) -> Iterator[SqlSource]:
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    _setup(url)
    source = SqlSource("items", SourceSettings(url=url, pool_size=1, timeout_s=5))
    yield source
    source.close()
    server.drop_database(url)


@pytest.mark.parametrize("sql", READ_ONLY_LOOPHOLES.values(), ids=READ_ONLY_LOOPHOLES)
def test_the_guard_stops_what_a_postgres_read_only_transaction_allows(sql: str):
    with pytest.raises(GuardRejection):
        check_sql(sql, dialect="postgres", tables={"items"}, row_cap=10)


@pytest.mark.parametrize(
    "sql", ["SELECT lo_import('/etc/hostname')", "SELECT set_config('da.x', '1', false)"]
)
def test_the_pipeline_rejects_them_before_the_database_sees_them(pg_source: SqlSource, sql):
    settings = settings_with(items={"url": pg_source.settings.url})
    with assistant_for(settings) as assistant, pytest.raises(GuardRejection):
        assistant.run_query("items", sql)


def test_these_do_run_in_a_read_only_transaction_so_the_guard_is_needed(pg_source):
    assert pg_source.execute("SELECT pg_advisory_lock(4242)", max_rows=1).rows == [[""]]
    assert pg_source.execute("SELECT set_config('da.leak', 'yes', false)", max_rows=1).rows == [
        ["yes"]
    ]
    oid = pg_source.execute("SELECT lo_import('/etc/hostname')", max_rows=1).rows[0][0]
    assert isinstance(oid, int)


def _one(source: SqlSource, sql: str):
    return source.execute(sql, max_rows=1).rows[0][0]


SESSION_STATE = {
    # question run through the executor -> query on the next checkout that should see nothing
    "advisory lock": (
        "SELECT pg_advisory_lock(4242)",
        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242",
        0,
    ),
    "session setting": (
        "SELECT set_config('da.leak', 'yes', false)",
        "SELECT COALESCE(current_setting('da.leak', true), '')",
        "",
    ),
    "large object": (
        "SELECT lo_import('/etc/hostname')",
        "SELECT COUNT(*) FROM pg_largeobject_metadata",
        0,
    ),
    "prepared statement": (
        "PREPARE da_leak AS SELECT 1",
        "SELECT COUNT(*) FROM pg_prepared_statements",
        0,
    ),
    "listen": ("LISTEN da_leak", "SELECT COUNT(*) FROM pg_listening_channels()", 0),
    "read-write default": (
        "SET SESSION default_transaction_read_only = off",
        "SELECT current_setting('default_transaction_read_only')",
        "on",
    ),
    "search path": (
        "SELECT set_config('search_path', 'pg_temp', false)",
        "SELECT current_setting('search_path')",
        '"$user", public',
    ),
}


@pytest.mark.parametrize("done, check, expected", SESSION_STATE.values(), ids=SESSION_STATE)
def test_a_postgres_connection_handed_back_keeps_nothing_from_the_last_question(
    pg_source: SqlSource, done: str, check: str, expected
):
    pid = _one(pg_source, "SELECT pg_backend_pid()")
    # Statements that return no rows are refused, but only after they ran.
    with contextlib.suppress(QueryFailed):
        pg_source.execute(done, max_rows=1)
    assert _one(pg_source, "SELECT pg_backend_pid()") == pid, "the pool of one was not reused"
    assert _one(pg_source, check) == expected
    assert _one(pg_source, "SELECT current_setting('transaction_read_only')") == "on"


# --- MariaDB: the same for user variables, locks and the session's read-only mode ---------


@pytest.fixture
def maria_source(request: pytest.FixtureRequest) -> Iterator[SqlSource]:
    server = request.getfixturevalue("mariadb_server")
    url = server.create_database()
    _setup(url)
    source = SqlSource("items", SourceSettings(url=url, pool_size=1, timeout_s=5))
    yield source
    source.close()
    server.drop_database(url)


MARIADB_STATE: dict[str, tuple[str, str, object]] = {
    "user variable": ("SELECT @leak := 5", "SELECT @leak", None),
    "named lock": (
        "SELECT GET_LOCK('da_leak', 0)",
        "SELECT IS_USED_LOCK('da_leak') IS NOT NULL",
        0,
    ),
    "read-write session": (
        "SET SESSION TRANSACTION READ WRITE",
        "SELECT @@session.tx_read_only",
        1,
    ),
    "statement limit": (
        "SET SESSION max_statement_time = 0",
        "SELECT @@session.max_statement_time > 0",
        1,
    ),
}


@pytest.mark.parametrize("done, check, expected", MARIADB_STATE.values(), ids=MARIADB_STATE)
def test_a_mariadb_connection_handed_back_keeps_nothing_from_the_last_question(
    maria_source: SqlSource, done: str, check: str, expected
):
    conn_id = _one(maria_source, "SELECT CONNECTION_ID()")
    with contextlib.suppress(QueryFailed):
        maria_source.execute(done, max_rows=1)
    assert _one(maria_source, "SELECT CONNECTION_ID()") == conn_id
    assert _one(maria_source, check) == expected


def test_a_mariadb_session_switched_to_read_write_still_cannot_create_tables(maria_source):
    with pytest.raises(QueryFailed):
        maria_source.execute("SET SESSION TRANSACTION READ WRITE", max_rows=1)
    with pytest.raises(QueryFailed, match="READ ONLY"):
        maria_source.execute("CREATE TABLE extra (id INTEGER)", max_rows=1)


# --- SQLite -------------------------------------------------------------------------------


@pytest.fixture
def sqlite_source(tmp_path: Path) -> Iterator[SqlSource]:
    path = tmp_path / "items.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(";".join(SETUP))
    conn.close()
    source = SqlSource("items", SourceSettings(url=f"sqlite:///{path}", pool_size=1))
    yield source
    source.close()


def test_sqlite_cannot_attach_a_database_file(sqlite_source: SqlSource, tmp_path: Path):
    target = tmp_path / "attached.db"
    with pytest.raises(QueryFailed, match="attached"):
        sqlite_source.execute(f"ATTACH DATABASE '{target}' AS other", max_rows=1)
    assert not target.exists()


def test_sqlite_query_only_comes_back_on_when_a_query_turned_it_off(sqlite_source: SqlSource):
    with pytest.raises(QueryFailed):
        sqlite_source.execute("PRAGMA query_only = OFF", max_rows=1)
    assert _one(sqlite_source, "PRAGMA query_only") == 1
    with pytest.raises(QueryFailed, match="readonly"):
        sqlite_source.execute(WRITES["insert"], max_rows=1)
