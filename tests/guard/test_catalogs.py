"""System catalogs and system variables are closed unless a source lists them.

Catalog schemas (pg_catalog, information_schema, mysql, performance_schema, sys...), catalog
tables reached by bare name (pg_stats, sqlite_master, duckdb_tables, sysobjects) and their
table functions are refused even without an allow-list; an `allowed_tables` entry opens one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from data_assistant.errors import GuardRejection
from data_assistant.guard import check_sql
from tests.db.tenants import assistant, rows


def case(id_: str, dialect: str, sql: str):
    return pytest.param(dialect, sql, id=id_)


# fmt: off
CATALOGS = [
    case("postgres-pg-stats", "postgres", "SELECT * FROM pg_stats"),
    case("postgres-pg-stats-qualified", "postgres", "SELECT * FROM pg_catalog.pg_stats"),
    case("postgres-upper-case", "postgres", "SELECT * FROM PG_CATALOG.PG_STATS"),
    case("postgres-quoted", "postgres", 'SELECT * FROM "pg_catalog"."pg_statistic"'),
    case("postgres-information-schema", "postgres", "SELECT * FROM information_schema.columns"),
    case("postgres-toast", "postgres", "SELECT * FROM pg_toast.pg_toast_2619"),
    case("postgres-temp-schema", "postgres", "SELECT * FROM pg_temp_3.t"),
    case("postgres-in-lateral", "postgres",
         "SELECT * FROM orders o, LATERAL (SELECT * FROM pg_class WHERE oid = o.id) x"),
    case("postgres-in-exists", "postgres",
         "SELECT 1 FROM orders WHERE EXISTS (SELECT 1 FROM pg_roles)"),
    case("postgres-table-shorthand", "postgres", "TABLE pg_shadow"),
    case("postgres-in-cte", "postgres", "WITH s AS (SELECT * FROM pg_settings) SELECT * FROM s"),
    case("mysql-user", "mysql", "SELECT * FROM mysql.user"),
    case("mysql-information-schema", "mysql", "SELECT * FROM INFORMATION_SCHEMA.TABLES"),
    case("mysql-performance-schema", "mysql", "SELECT * FROM performance_schema.threads"),
    case("mysql-sys", "mysql", "SELECT * FROM `sys`.`session`"),
    case("sqlite-master", "sqlite", "SELECT sql FROM sqlite_master"),
    case("sqlite-schema", "sqlite", "SELECT sql FROM sqlite_schema"),
    case("sqlite-temp-master", "sqlite", "SELECT * FROM sqlite_temp_master"),
    case("sqlite-main-qualified", "sqlite", "SELECT * FROM main.sqlite_master"),
    case("sqlite-temp-schema", "sqlite", "SELECT * FROM temp.sqlite_master"),
    case("sqlite-stat", "sqlite", "SELECT * FROM sqlite_stat1"),
    case("sqlite-pragma-as-table", "sqlite", "SELECT * FROM pragma_database_list"),
    case("duckdb-tables-bare", "duckdb", "SELECT * FROM duckdb_tables"),
    case("duckdb-pragma-bare", "duckdb", "SELECT * FROM pragma_database_list"),
    case("duckdb-information-schema", "duckdb", "SELECT * FROM information_schema.tables"),
    case("duckdb-pg-catalog", "duckdb", "SELECT * FROM pg_catalog.pg_class"),
    case("duckdb-pg-class-bare", "duckdb", "SELECT * FROM pg_class"),
    case("duckdb-sqlite-master", "duckdb", "SELECT * FROM sqlite_master"),
    case("duckdb-system-catalog", "duckdb", "SELECT * FROM system.main.t"),
    case("tsql-sys-tables", "tsql", "SELECT * FROM sys.tables"),
    case("tsql-sysobjects", "tsql", "SELECT * FROM sysobjects"),
    case("tsql-master", "tsql", "SELECT * FROM master..sysdatabases"),
    case("tsql-information-schema", "tsql", "SELECT * FROM INFORMATION_SCHEMA.COLUMNS"),
]
SYSTEM_VARIABLES = [
    case("mysql-datadir", "mysql", "SELECT @@datadir"),
    case("mysql-secure-file-priv", "mysql", "SELECT @@global.secure_file_priv"),
    case("mysql-session", "mysql", "SELECT @@session.sql_mode"),
    case("mysql-in-where", "mysql", "SELECT id FROM orders WHERE @@hostname = 'db1'"),
    case("tsql-version", "tsql", "SELECT @@VERSION"),
    case("tsql-servername", "tsql", "SELECT @@SERVERNAME"),
]
# fmt: on


@pytest.mark.parametrize(("dialect", "sql"), CATALOGS)
def test_a_system_catalog_is_refused_even_without_an_allow_list(dialect: str, sql: str) -> None:
    for tables in (None, {"orders"}):
        with pytest.raises(GuardRejection, match="system catalog"):
            check_sql(sql, dialect=dialect, tables=tables)


@pytest.mark.parametrize(("dialect", "sql"), SYSTEM_VARIABLES)
def test_a_system_variable_is_refused(dialect: str, sql: str) -> None:
    with pytest.raises(GuardRejection, match="System variables"):
        check_sql(sql, dialect=dialect)


@pytest.mark.parametrize(
    ("dialect", "sql", "listed"),
    [
        ("postgres", "SELECT * FROM pg_catalog.pg_stats", "pg_catalog.pg_stats"),
        ("postgres", "SELECT * FROM pg_stats", "pg_catalog.pg_stats"),
        ("mysql", "SELECT * FROM information_schema.tables", "information_schema.tables"),
        ("sqlite", "SELECT * FROM sqlite_master", "sqlite_master"),
    ],
)
def test_a_listed_catalog_table_is_allowed(dialect: str, sql: str, listed: str) -> None:
    assert check_sql(sql, dialect=dialect, tables={"orders", listed}).tables


def test_a_user_variable_is_only_a_value() -> None:
    assert check_sql("SELECT @x", dialect="mysql").sql == "SELECT @x LIMIT 100"


def test_a_source_opens_a_catalog_table_by_listing_it(shop_db: Path) -> None:
    with (
        assistant(f"sqlite:///{shop_db}") as closed,
        pytest.raises(GuardRejection, match="system catalog"),
    ):
        rows(closed, "SELECT name FROM sqlite_master")
    listed = {"allowed_tables": ["orders", "sqlite_master"]}
    with assistant(f"sqlite:///{shop_db}", **listed) as helper:
        names = {row["name"] for row in rows(helper, "SELECT name FROM sqlite_master")}
        assert "secrets" in names  # the operator chose to show the catalog
        with pytest.raises(GuardRejection, match="'secrets' is not available"):
            rows(helper, "SELECT * FROM secrets")
