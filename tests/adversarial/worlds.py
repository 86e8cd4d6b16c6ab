"""One world per engine: twin databases, a marker file, the YAML config, the real server.

A world is what a case runs against: the base URL of a real server (uvicorn on a loopback
port), the principal's token, the markers of everything hidden, and a fingerprint of every
database it serves (so that a case can show that nothing changed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jwt

from tests.adversarial import loaders
from tests.adversarial.markers import Markers
from tests.adversarial.served import serve_in_thread
from tests.adversarial.shop import TENANT, Twin, make_twin, policies_yaml
from tests.llm_stub import ChatStub

SECRET = "adversarial-" + "k" * 40
SOURCES = ("shop_a", "shop_b")
LOCK_NAMES = ("da_lock", "x", "lock1")
# Each source's statement limit: long enough for every honest query here, short enough that
# the resource cases that rely on it stay quick.
TIMEOUT_S = 2
# Each source's byte cap (`max_answer_bytes`): the resource cases ask for five times more.
ANSWER_CAP = 2_000_000


@dataclass
class World:
    """A running server over twin sources, and what a case needs to attack it."""

    engine: str
    url: str
    stub: ChatStub
    markers: Markers
    fingerprint: Callable[[], Any]
    config: Path
    twins: dict[str, Twin] = field(default_factory=dict)
    ungranted: str = ""
    secret_file: Path | None = None
    facts: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = SOURCES

    def token(self, **claims: Any) -> str:
        """A token for tenant acme granting both twins; `claims` override (None drops)."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "sub": "alice",
            "tenant": TENANT,
            "databases": list(self.sources),
            "scope": "read:data",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, SECRET, algorithm="HS256")

    def headers(self, **claims: Any) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token(**claims)}"}


def translator_yaml(stub: ChatStub, *, corrections: int = 1) -> str:
    return (
        "translator:\n"
        "  provider: openai\n"
        f"  base_url: {stub.url}\n"
        "  api_key: test-key\n"
        "  model: stub\n"
        "  max_retries: 0\n"
        f"  max_corrections: {corrections}\n"
        "  timeout_s: 20\n"
    )


def auth_yaml() -> str:
    return f"auth:\n  mode: jwt\n  jwt:\n    secret: {json.dumps(SECRET)}\n"


def sql_source_yaml(name: str, url: str, twin: Twin, *, extra_tables: tuple[str, ...]) -> str:
    return (
        f"  {name}:\n"
        f"    url: {json.dumps(url)}\n"
        f"    denied_tables: [secrets, {twin.hidden_table}]\n"
        f"    timeout_s: {TIMEOUT_S}\n"
        "    pool_size: 1\n"
        "    max_rows: 50\n"
        f"    max_answer_bytes: {ANSWER_CAP}\n"
        + policies_yaml(extra_tables=extra_tables, hidden_column=twin.hidden_column)
        + "\n"
    )


@contextlib.contextmanager
def marker_folder(markers: Markers) -> Iterator[Path]:
    """A folder (readable by the database servers' own users) whose name and file hold
    markers: what file-reading functions must never return."""
    folder = Path(tempfile.mkdtemp(prefix=f"da_redteam_{markers.new('a folder name')}_"))
    try:
        folder.chmod(0o755)
        secret = folder / "secret.txt"
        secret.write_text(markers.new("a file's content") + "\n")
        secret.chmod(0o644)
        (folder / "secret.csv").write_text("k,v\n1," + markers.new("a CSV file's content") + "\n")
        (folder / "secret.csv").chmod(0o644)
        markers.add(str(folder), "a server path")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def ungranted_source(folder: Path, markers: Markers) -> tuple[str, str]:
    """A source the token does not grant, named with a marker; its YAML."""
    name = "payroll_" + markers.new("the name of a source the token does not grant")
    path = folder / "payroll.db"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE salaries (id INTEGER PRIMARY KEY, amount INTEGER)")
        conn.commit()
    return name, f"  {name}:\n    url: {json.dumps(f'sqlite:///{path}')}\n"


def write_config(folder: Path, stub: ChatStub, sources_yaml: str, *, extra: str = "") -> Path:
    config = folder / "data-assistant.yaml"
    config.write_text(
        # No translation cache: each case scripts the model's answer to the same question.
        "debug: true\ncache:\n  enabled: false\n"
        + translator_yaml(stub)
        + auth_yaml()
        + extra
        + "sources:\n"
        + sources_yaml
    )
    return config


def file_fingerprint(*paths: Path) -> dict[str, str]:
    """Hash of each file, and the names in each file's folder (a journal, a WAL)."""
    out = {}
    for path in paths:
        out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        out[str(path.parent) + "/*"] = ",".join(sorted(p.name for p in path.parent.iterdir()))
    return out


def _plain(value: Any) -> Any:
    """A Decimal as the float SQLite stores for NUMERIC."""
    return float(value) if isinstance(value, Decimal) else value


def _plain_row(row: tuple[Any, ...]) -> list[Any]:
    return [_plain(v) for v in row]


# --- SQLite ---------------------------------------------------------------------------------


@contextlib.contextmanager
def sqlite_world(stub: ChatStub, *, extra: str = "") -> Iterator[World]:
    """The SQLite twins; `extra` is more top-level YAML (rate limits, audit)."""
    markers = Markers()
    with marker_folder(markers) as folder:
        twins = {n: make_twin(n, markers) for n in ("a", "b")}
        paths = {}
        sources = ""
        for (name, twin), source in zip(twins.items(), SOURCES, strict=True):
            path = folder / f"shop_{name}.db"
            with contextlib.closing(sqlite3.connect(path)) as conn:
                for statement in loaders.common_ddl(twin, text="TEXT", money="NUMERIC"):
                    conn.execute(statement)
                for statement in loaders.sqlite_extras(twin):
                    conn.execute(statement)
                loaders.insert_rows(
                    lambda s, p, c=conn: c.execute(s, [_plain(v) for v in p or ()]), twin, "?"
                )
                for row in twin.payments:
                    conn.execute("INSERT INTO payments VALUES (?, ?, ?, ?, ?)", _plain_row(row))
                conn.execute("INSERT INTO audit_trail (what) VALUES ('seed')")
                conn.execute("ANALYZE")
                conn.commit()
            paths[name] = path
            sources += sql_source_yaml(
                source, f"sqlite:///{path}", twin, extra_tables=("payments",)
            )
        ungranted, ungranted_yaml = ungranted_source(folder, markers)
        config = write_config(
            folder, stub, sources + ungranted_yaml, extra=extra.replace("$DIR", str(folder))
        )
        with serve_in_thread(config) as url:
            yield World(
                engine="sqlite",
                url=url,
                stub=stub,
                markers=markers,
                fingerprint=lambda: file_fingerprint(*paths.values()),
                config=config,
                twins=twins,
                ungranted=ungranted,
                secret_file=folder / "secret.txt",
                facts={"path_a": str(paths["a"])},
            )


# --- DuckDB ---------------------------------------------------------------------------------


@contextlib.contextmanager
def duckdb_world(stub: ChatStub) -> Iterator[World]:
    import duckdb

    markers = Markers()
    with marker_folder(markers) as folder:
        twins = {n: make_twin(n, markers) for n in ("a", "b")}
        paths = {}
        sources = ""
        for (name, twin), source in zip(twins.items(), SOURCES, strict=True):
            path = folder / f"shop_{name}.duckdb"
            conn = duckdb.connect(str(path))
            try:
                for statement in loaders.common_ddl(twin, text="VARCHAR"):
                    conn.execute(statement)
                for statement in loaders.duckdb_extras(twin):
                    conn.execute(statement)
                loaders.insert_rows(lambda s, p, c=conn: c.execute(s, list(p or ())), twin, "?")
                for row in twin.payments:
                    conn.execute("INSERT INTO payments VALUES (?, ?, ?, ?, ?)", list(row))
                for row in twin.vault:
                    conn.execute("INSERT INTO vault.customers VALUES (?, ?, ?, ?)", list(row))
                conn.execute("CHECKPOINT")
            finally:
                conn.close()
            paths[name] = path
            sources += sql_source_yaml(
                source, f"duckdb:///{path}", twin, extra_tables=("payments",)
            )
        ungranted, ungranted_yaml = ungranted_source(folder, markers)
        config = write_config(folder, stub, sources + ungranted_yaml)
        with serve_in_thread(config) as url:
            yield World(
                engine="duckdb",
                url=url,
                stub=stub,
                markers=markers,
                fingerprint=lambda: file_fingerprint(*paths.values()),
                config=config,
                twins=twins,
                ungranted=ungranted,
                secret_file=folder / "secret.txt",
                facts={"path_a": str(paths["a"])},
            )


# --- PostgreSQL -----------------------------------------------------------------------------

PG_OBJECTS = """
SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || c.relpersistence::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY 1
"""
PG_TABLES = """
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relkind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 'S') AND c.relpersistence = 'p'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_%'
ORDER BY 1
"""
PG_STATE = """
SELECT
  (SELECT string_agg(p.proname || ':' || md5(p.prosrc), ',' ORDER BY 1)
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')),
  (SELECT count(*) FROM pg_locks l
    WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.pid <> pg_backend_pid()),
  (SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND state LIKE 'idle in transaction%'),
  (SELECT string_agg(array_to_string(setconfig, ','), ';') FROM pg_db_role_setting
    WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())),
  (SELECT count(*) FROM pg_prepared_xacts)
"""


def pg_fingerprint(conn: Any) -> dict[str, Any]:
    """Every object, every row's hash, sequence states, locks and open transactions."""
    out: dict[str, Any] = {}
    with conn.cursor() as cur:
        cur.execute(PG_OBJECTS)
        out["objects"] = [r[0] for r in cur.fetchall()]
        cur.execute(PG_TABLES)
        for name, kind in cur.fetchall():
            if kind == "S":
                cur.execute(f"SELECT last_value, is_called FROM {name}")
            else:
                cur.execute(
                    f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                    f"FROM ONLY {name} t"
                )
            out[name] = cur.fetchone()
        cur.execute(PG_STATE)
        out["state"] = cur.fetchone()
    return out


@contextlib.contextmanager
def postgres_world(stub: ChatStub, server: Any) -> Iterator[World]:
    import psycopg
    from sqlalchemy.engine import make_url

    markers = Markers()
    urls: dict[str, str] = {}
    conns: dict[str, Any] = {}
    try:
        with marker_folder(markers) as folder:
            twins = {n: make_twin(n, markers) for n in ("a", "b")}
            sources = ""
            for (name, twin), source in zip(twins.items(), SOURCES, strict=True):
                urls[name] = server.create_database()
                database = make_url(urls[name]).database
                markers.add(database, "a database's name")
                conninfo = _pg_conninfo(urls[name])
                conn = psycopg.connect(conninfo, autocommit=True)
                conns[name] = conn
                with conn.cursor() as cur:
                    for statement in loaders.common_ddl(twin):
                        cur.execute(statement)
                    for statement in loaders.postgres_extras(twin, database):
                        cur.execute(statement)
                    loaders.insert_rows(lambda s, p, c=cur: c.execute(s, p), twin, "%s")
                    for row in twin.payments:
                        cur.execute("INSERT INTO payments VALUES (%s, %s, %s, %s, %s)", row)
                    for row in twin.archive:
                        cur.execute(
                            "INSERT INTO orders_archive VALUES (%s, %s, %s, %s, %s, %s)", row
                        )
                    for row in twin.vault:
                        cur.execute("INSERT INTO vault.customers VALUES (%s, %s, %s, %s)", row)
                    cur.execute("REFRESH MATERIALIZED VIEW order_summary")
                    cur.execute("ANALYZE")
                sources += sql_source_yaml(source, urls[name], twin, extra_tables=("payments",))
            # Another session whose last statement holds a marker (pg_stat_activity.query).
            watcher = psycopg.connect(_pg_conninfo(urls["a"]), autocommit=True)
            conns["watcher"] = watcher
            session_marker = markers.new("another session's SQL text")
            with watcher.cursor() as cur:
                cur.execute(f"SELECT '{session_marker}' AS other_session")
                cur.execute("SHOW data_directory")
                markers.add(cur.fetchone()[0], "the server's data directory")
                cur.execute("SHOW hba_file")
                markers.add(cur.fetchone()[0], "the server's hba file")
                cur.execute("SELECT version()")
                markers.add(cur.fetchone()[0], "the server's version string")
                cur.execute(f"SELECT '{session_marker}' AS other_session")
            ungranted, ungranted_yaml = ungranted_source(folder, markers)
            config = write_config(folder, stub, sources + ungranted_yaml)
            with serve_in_thread(config) as url:
                yield World(
                    engine="postgres",
                    url=url,
                    stub=stub,
                    markers=markers,
                    fingerprint=lambda: {n: pg_fingerprint(conns[n]) for n in ("a", "b")},
                    config=config,
                    twins=twins,
                    ungranted=ungranted,
                    secret_file=folder / "secret.txt",
                    facts={"database_a": make_url(urls["a"]).database or ""},
                )
    finally:
        for conn in conns.values():
            conn.close()
        for url in urls.values():
            server.drop_database(url)


def _pg_conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return (
        f"host={parsed.host} port={parsed.port or 5432} dbname={parsed.database} "
        f"user={parsed.username}" + (f" password={parsed.password}" if parsed.password else "")
    )


# --- MariaDB --------------------------------------------------------------------------------


def maria_fingerprint(conn: Any, databases: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    marks = ", ".join(["%s"] * len(databases))
    with conn.cursor() as cur:
        cur.execute(
            "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
            f"WHERE TABLE_SCHEMA IN ({marks}) ORDER BY 1, 2",
            databases,
        )
        tables = cur.fetchall()
        out["objects"] = tables
        for schema, table, kind in tables:
            name = f"`{schema}`.`{table}`"
            if kind == "SEQUENCE":
                cur.execute(f"SELECT * FROM {name}")
                out[name] = cur.fetchall()
            elif kind == "BASE TABLE":
                cur.execute(f"CHECKSUM TABLE {name}")
                out[name] = cur.fetchall()
        cur.execute(
            "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, MD5(ROUTINE_DEFINITION) "
            f"FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN ({marks}) ORDER BY 1, 2",
            databases,
        )
        out["routines"] = cur.fetchall()
        for what in ("TRIGGERS", "EVENTS"):
            column = "TRIGGER_SCHEMA" if what == "TRIGGERS" else "EVENT_SCHEMA"
            cur.execute(
                f"SELECT COUNT(*) FROM information_schema.{what} WHERE {column} IN ({marks})",
                databases,
            )
            out[what] = cur.fetchone()
        locks = ", ".join(f"IS_USED_LOCK('{name}')" for name in LOCK_NAMES)
        cur.execute(f"SELECT {locks}")
        out["locks"] = cur.fetchone()
        cur.execute(
            "SELECT COUNT(*) FROM information_schema.INNODB_TRX t "
            "JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
            f"WHERE p.DB IN ({marks})",
            databases,
        )
        out["transactions"] = cur.fetchone()
    return out


@contextlib.contextmanager
def mariadb_world(stub: ChatStub, server: Any) -> Iterator[World]:
    import pymysql
    from sqlalchemy.engine import make_url

    markers = Markers()
    urls: dict[str, str] = {}
    admin = None
    sleeper: dict[str, Any] = {}
    try:
        with marker_folder(markers) as folder:
            twins = {n: make_twin(n, markers) for n in ("a", "b")}
            for name in ("a", "b", "vault"):
                urls[name] = server.create_database()
            databases = {n: make_url(u).database or "" for n, u in urls.items()}
            for name, database in databases.items():
                markers.add(database, f"database {name}'s name")
            parsed = make_url(server.admin_url)
            connect = dict(
                host=parsed.host,
                port=parsed.port or 3306,
                user=parsed.username,
                password=parsed.password or "",
                autocommit=True,
            )
            admin = pymysql.connect(**connect)
            sources = ""
            for (name, twin), source in zip(twins.items(), SOURCES, strict=True):
                with admin.cursor() as cur:
                    cur.execute(f"USE `{databases[name]}`")
                    for statement in loaders.common_ddl(twin):
                        cur.execute(statement)
                    for statement in loaders.mariadb_extras(twin):
                        cur.execute(statement)
                    loaders.insert_rows(lambda s, p, c=cur: c.execute(s, p), twin, "%s")
                    for row in twin.payments:
                        cur.execute("INSERT INTO payments VALUES (%s, %s, %s, %s, %s)", row)
                    if name == "a":
                        cur.execute(
                            f"CREATE TABLE `{databases['vault']}`.customers (id INTEGER "
                            "PRIMARY KEY, name VARCHAR(200), tenant VARCHAR(200), "
                            "tier VARCHAR(200))"
                        )
                        for row in twin.vault:
                            cur.execute(
                                f"INSERT INTO `{databases['vault']}`.customers "
                                "VALUES (%s, %s, %s, %s)",
                                row,
                            )
                    cur.execute("ANALYZE TABLE customers, orders")
                sources += sql_source_yaml(source, urls[name], twin, extra_tables=("payments",))
            with admin.cursor() as cur:
                for variable in ("datadir", "version", "socket", "pid_file"):
                    cur.execute(f"SELECT @@{variable}")
                    markers.add(str(cur.fetchone()[0]), f"the server's {variable}")
            # Another session running a statement that holds a marker (the process list).
            sleeper_conn = pymysql.connect(**connect)
            sleeper["conn"] = sleeper_conn
            sleeper["id"] = sleeper_conn.thread_id()
            session_marker = markers.new("another session's SQL text")

            def sleep() -> None:
                with contextlib.suppress(Exception), sleeper_conn.cursor() as cur:
                    cur.execute(f"SELECT SLEEP(600), '{session_marker}'")

            threading.Thread(target=sleep, daemon=True).start()
            ungranted, ungranted_yaml = ungranted_source(folder, markers)
            config = write_config(folder, stub, sources + ungranted_yaml)
            all_dbs = list(databases.values())
            with serve_in_thread(config) as url:
                yield World(
                    engine="mariadb",
                    url=url,
                    stub=stub,
                    markers=markers,
                    fingerprint=lambda: maria_fingerprint(admin, all_dbs),
                    config=config,
                    twins=twins,
                    ungranted=ungranted,
                    secret_file=folder / "secret.txt",
                    facts={"vault": databases["vault"], "database_b": databases["b"]},
                )
    finally:
        if admin is not None and "id" in sleeper:
            with contextlib.suppress(Exception), admin.cursor() as cur:
                cur.execute(f"KILL {int(sleeper['id'])}")
        if "conn" in sleeper:
            with contextlib.suppress(Exception):
                sleeper["conn"].close()
        if admin is not None:
            admin.close()
        for url in urls.values():
            server.drop_database(url)
