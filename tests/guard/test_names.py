"""Names resolve one way, the engine's, for the guard and the policies alike.

A reference binds to a CTE only when the engine's own rule makes the names equal; a name
equal to a CTE's only under another case rule is taken for the real table, which the guard
then checks and the policies filter. Allowed tables are matched the same way.
"""

from __future__ import annotations

import pytest
import sqlglot

from data_assistant import engines
from data_assistant.errors import GuardRejection
from data_assistant.guard import check_sql, column_policy, names, row_policy, sql_guard
from data_assistant.guard.column_policy import ColumnRules, check_columns
from data_assistant.guard.row_policy import apply_row_policies

TABLES = {"orders", "customers"}


def case(id_: str, dialect: str, sql: str, expected: set[str] | None):
    """`expected`: the real tables read, or None when the guard must refuse the query."""
    return pytest.param(dialect, sql, expected, id=id_)


# fmt: off
CASES = [
    # issue #9, section 1: PostgreSQL keeps a quoted name's case, so "Secrets" is not secrets
    case("postgres-quoted-cte-does-not-hide-the-table", "postgres",
         'WITH "Secrets" AS (SELECT 1) SELECT * FROM secrets', None),
    case("postgres-cte-does-not-hide-a-quoted-table", "postgres",
         'WITH secrets AS (SELECT 1) SELECT * FROM "Secrets"', None),
    case("postgres-quoted-lower-case-cte-is-the-cte", "postgres",
         'WITH "secrets" AS (SELECT 1) SELECT * FROM secrets', set()),
    case("postgres-unquoted-names-fold-alike", "postgres",
         "WITH SECRETS AS (SELECT 1) SELECT * FROM Secrets", set()),
    case("postgres-inner-lookalike-fails-closed", "postgres",
         'WITH secrets AS (SELECT 1 AS a) SELECT * FROM '
         '(WITH "Secrets" AS (SELECT 2) SELECT * FROM secrets) AS x', None),
    case("postgres-exact-and-lookalike-in-one-with", "postgres",
         'WITH "Secrets" AS (SELECT 1), secrets AS (SELECT 2) SELECT * FROM secrets', set()),
    case("postgres-cte-out-of-scope", "postgres",
         "SELECT * FROM (WITH secrets AS (SELECT 1) SELECT 1) AS x, secrets", None),
    case("postgres-non-recursive-cte-reads-the-table", "postgres",
         "WITH secrets AS (SELECT * FROM secrets) SELECT * FROM secrets", None),
    case("postgres-recursive-forward-reference-fails-closed", "postgres",
         "WITH RECURSIVE a AS (SELECT * FROM secrets), secrets AS (SELECT 1) SELECT * FROM a",
         None),
    case("postgres-cte-in-a-set-operation", "postgres",
         "WITH secrets AS (SELECT id FROM orders) SELECT id FROM secrets UNION SELECT id FROM "
         "secrets", {"orders"}),
    case("postgres-cte-does-not-cover-a-schema-name", "postgres",
         "WITH orders AS (SELECT 1) SELECT * FROM public.secrets", None),
    case("postgres-quoted-mixed-case-table-is-another-table", "postgres",
         'SELECT * FROM "Orders"', None),
    case("postgres-non-ascii-letters-do-not-fold", "postgres",
         "SELECT * FROM ÖRDERS", None),
    # MySQL compares table (and CTE) names exactly
    case("mysql-lookalike-cte-fails-closed", "mysql",
         "WITH Secrets AS (SELECT 1) SELECT * FROM secrets", None),
    case("mysql-exact-cte", "mysql", "WITH secrets AS (SELECT 1) SELECT * FROM secrets", set()),
    case("mysql-other-case-table", "mysql", "SELECT * FROM ORDERS", None),
    # SQLite, DuckDB and SQL Server compare names without case
    case("sqlite-quoted-cte-is-the-cte", "sqlite",
         'WITH "Secrets" AS (SELECT 1) SELECT * FROM secrets', set()),
    case("sqlite-upper-case-table", "sqlite", "SELECT * FROM ORDERS", {"orders"}),
    case("sqlite-non-ascii-letters-do-not-fold", "sqlite", 'SELECT * FROM "ÖRDERS"', None),
    case("duckdb-quoted-cte-is-the-cte", "duckdb",
         'WITH "Secrets" AS (SELECT 1) SELECT * FROM secrets', set()),
    case("tsql-bracketed-cte-is-the-cte", "tsql",
         "WITH [Secrets] AS (SELECT 1 AS a) SELECT * FROM secrets", set()),
    case("tsql-recursive-without-keyword", "tsql",
         "WITH r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r",
         set()),
]
# fmt: on


@pytest.mark.parametrize(("dialect", "sql", "expected"), CASES)
def test_names_resolve_by_the_engines_rule(dialect, sql, expected) -> None:
    if expected is None:
        with pytest.raises(GuardRejection, match="is not available"):
            check_sql(sql, dialect=dialect, tables=TABLES)
    else:
        assert check_sql(sql, dialect=dialect, tables=TABLES).tables == frozenset(expected)


@pytest.mark.parametrize(("dialect", "sql", "expected"), CASES)
def test_the_policies_find_every_table_the_guard_would_check(dialect, sql, expected) -> None:
    tree = sqlglot.parse_one(sql, read=engines.get(dialect).dialect)
    found = {t.name.casefold() for t in names.real_table_refs(tree, dialect=dialect)}
    guarded = set(check_sql(sql, dialect=dialect).tables)
    assert found == {name.rpartition(".")[2].casefold() for name in guarded}


def test_a_lookalike_cte_is_filtered_as_the_table_it_hides() -> None:
    tree = sqlglot.parse_one(
        'WITH "Secrets" AS (SELECT 1 AS tenant) SELECT * FROM secrets', read="postgres"
    )
    out, params = apply_row_policies(
        tree, dialect="postgres", policies={"secrets": "tenant = :claims.t"}, claims={"t": "a"}
    )
    sql = out.sql(dialect="postgres")
    assert "FROM secrets AS _rp WHERE _rp.tenant = :p_0" in sql and params == {"p_0": "a"}


def test_a_lookalike_cte_cannot_name_a_denied_column() -> None:
    tree = sqlglot.parse_one(
        'WITH "Customers" AS (SELECT 1 AS ssn) SELECT ssn FROM customers', read="postgres"
    )
    with pytest.raises(GuardRejection, match="Column 'ssn'"):
        check_columns(tree, dialect="postgres", rules={"customers": ColumnRules.of(["ssn"])})


def test_a_reference_matches_policies_whatever_its_quoting_or_schema() -> None:
    tree = sqlglot.parse_one('SELECT * FROM "public"."ORDERS" JOIN Orders ON 1 = 1', "postgres")
    out, _ = apply_row_policies(
        tree, dialect="postgres", policies={"orders": "region = :claims.r"}, claims={"r": "x"}
    )
    assert out.sql(dialect="postgres").count("WHERE _rp.region = :p_0") == 2


def test_the_guard_and_the_policies_share_one_resolver() -> None:
    assert row_policy.real_table_refs is names.real_table_refs
    assert column_policy.real_table_refs is names.real_table_refs
    assert sql_guard.resolve is names.resolve


@pytest.mark.parametrize(
    ("dialect", "stored", "written", "same"),
    [
        ("postgres", "orders", "ORDERS", True),
        ("postgres", "orders", '"ORDERS"', False),
        ("postgres", "Orders", '"Orders"', True),
        ("postgres", "Örders", "ÖRDERS", True),  # PostgreSQL folds ASCII letters only
        ("sqlite", "Orders", "ORDERS", True),
        ("sqlite", "Orders", '"ORDERS"', True),
        ("sqlite", "örders", '"ÖRDERS"', False),
        ("mysql", "orders", "`Orders`", False),
        ("duckdb", "Orders", '"orders"', True),
        ("tsql", "Orders", "[ORDERS]", True),
    ],
)
def test_a_written_name_resolves_to_a_stored_one_by_the_engines_rule(
    dialect, stored, written, same
) -> None:
    engine = engines.get(dialect)
    identifier = sqlglot.parse_one(f"SELECT * FROM {written}", read=engine.dialect).find(
        sqlglot.exp.Table
    )
    assert (engine.key(identifier.this) == engine.stored_key(stored)) is same
