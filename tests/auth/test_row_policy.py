"""Row policies hold against every query shape, on real SQLite and PostgreSQL.

Each case runs the rewritten query on the full database and the original query on a copy
holding only the rows the principal may see; the two must agree. Each case must also read
other rows when run unfiltered, so that a case that could not catch a leak fails loudly.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import sqlglot
from sqlalchemy.dialects import mssql, mysql, postgresql, sqlite

from data_assistant.errors import Forbidden, GuardRejection
from data_assistant.guard.row_policy import (
    TableRule,
    apply_row_policies,
    apply_table_rules,
    compile_predicate,
)
from tests.auth.policy_db import CLAIMS, POLICIES, Database, guarded


def case(id_: str, sql: str, *, only: str | None = None, discriminates: bool = True):
    return pytest.param(sql, only, discriminates, id=id_)


CASES = [
    case("select-star", "SELECT * FROM orders"),
    case("alias", "SELECT o.id, o.region FROM orders AS o"),
    case("implicit-alias", "SELECT o.id FROM orders o"),
    case("table-name-as-qualifier", "SELECT orders.id, orders.amount FROM orders"),
    case(
        "self-join",
        "SELECT a.id AS a_id, b.id AS b_id FROM orders a JOIN orders b "
        "ON a.customer_id = b.customer_id",
    ),
    case("comma-self-join", "SELECT a.id, b.region FROM orders a, orders b WHERE a.id <= b.id"),
    case(
        "left-join-protected-on-the-right",
        "SELECT c.name, o.id AS order_id FROM customers c "
        "LEFT JOIN orders o ON o.customer_id = c.id",
    ),
    case(
        "join-select-star-two-protected",
        "SELECT * FROM orders JOIN customers ON customers.id = orders.customer_id",
    ),
    case(
        "parenthesised-join",
        "SELECT o.id, c.name FROM (orders o JOIN customers c ON c.id = o.customer_id)",
    ),
    case("subquery-in-select", "SELECT (SELECT COUNT(*) FROM orders) AS n"),
    case(
        "correlated-subquery-in-select",
        "SELECT c.name, (SELECT SUM(o.amount) FROM orders o WHERE o.customer_id = c.id) AS total "
        "FROM customers c",
    ),
    case(
        "subquery-in-from",
        "SELECT x.region, COUNT(*) AS n FROM (SELECT * FROM orders) AS x GROUP BY x.region",
    ),
    case("subquery-in-where", "SELECT id FROM contacts WHERE id IN (SELECT id FROM orders)"),
    case(
        "exists-in-where",
        "SELECT k.id FROM contacts k WHERE EXISTS (SELECT 1 FROM orders o WHERE o.id = k.id + 1)",
    ),
    case("union-all", "SELECT id, region FROM orders UNION ALL SELECT id, region FROM orders"),
    case("union-with-unprotected", "SELECT id FROM contacts UNION SELECT id FROM orders"),
    case("except", "SELECT id FROM orders EXCEPT SELECT id FROM orders WHERE amount > 100"),
    case("intersect", "SELECT customer_id FROM orders INTERSECT SELECT id FROM customers"),
    case("cte", "WITH x AS (SELECT * FROM orders) SELECT * FROM x"),
    case(
        "cte-chain",
        "WITH a AS (SELECT * FROM orders), b AS (SELECT region, amount FROM a) "
        "SELECT region, SUM(amount) AS total FROM b GROUP BY region",
    ),
    case(
        "cte-named-like-the-table-literal-rows",
        "WITH orders AS (SELECT 99 AS id, 'APAC' AS region) SELECT * FROM orders",
        discriminates=False,
    ),
    case(
        "cte-named-like-the-table-reading-it-qualified",
        "WITH orders AS (SELECT * FROM {schema}.orders) SELECT * FROM orders",
    ),
    case(
        # PostgreSQL: a non-recursive CTE that names itself reads the real table.
        "cte-named-like-the-table-reading-it",
        "WITH orders AS (SELECT * FROM orders) SELECT * FROM orders",
        only="postgres",
    ),
    case(
        "cte-shadowing-in-a-subquery-only",
        "SELECT id FROM orders WHERE id IN "
        "(WITH orders AS (SELECT 2 AS id UNION ALL SELECT 3) SELECT id FROM orders)",
    ),
    case(
        "recursive-cte-join",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) "
        "SELECT o.id FROM orders o JOIN r ON o.id = r.n",
    ),
    case("schema-qualified", "SELECT * FROM {schema}.orders"),
    case("schema-qualified-column", "SELECT {schema}.orders.id FROM {schema}.orders"),
    case("schema-qualified-alias", "SELECT o.id FROM {schema}.orders AS o"),
    case("quoted", 'SELECT * FROM "orders"'),
    case("quoted-schema-and-alias", 'SELECT "o"."id" FROM "{schema}"."orders" AS "o"'),
    case("upper-case", "SELECT * FROM ORDERS"),
    case("mixed-case-alias", "SELECT O.id FROM Orders O"),
    case("or-true-in-where", "SELECT * FROM orders WHERE region <> 'EMEA' OR 1 = 1"),
    case(
        "aggregate",
        "SELECT region, COUNT(*) AS n, SUM(amount) AS total FROM orders GROUP BY region",
    ),
    case("having", "SELECT region FROM orders GROUP BY region HAVING COUNT(*) > 0"),
    case("order-limit", "SELECT id FROM orders ORDER BY amount DESC LIMIT 2"),
    case("distinct", "SELECT DISTINCT region FROM orders"),
    case(
        "window",
        "SELECT id, SUM(amount) OVER (PARTITION BY region) AS regional FROM orders",
    ),
    case(
        "lateral",
        "SELECT c.id, x.id AS order_id FROM customers c, "
        "LATERAL (SELECT id FROM orders o WHERE o.customer_id = c.id) x",
        only="postgres",
    ),
    case("whole-row-reference", "SELECT o::text FROM orders o", only="postgres"),
    case("sqlite-bracket-quoting", "SELECT * FROM [orders]", only="sqlite"),
    case("sqlite-backtick-quoting", "SELECT * FROM `orders`", only="sqlite"),
]


def rewrite(dialect: str, claims=CLAIMS):
    return lambda tree: apply_row_policies(tree, dialect=dialect, policies=POLICIES, claims=claims)


@pytest.mark.parametrize(("sql", "only", "discriminates"), CASES)
def test_policy_holds(policy_db: Database, sql: str, only, discriminates) -> None:
    if only and only != policy_db.dialect:
        pytest.skip(f"{only} syntax")
    sql = sql.format(schema=policy_db.schema)
    final, params, count_sql = guarded(sql, policy_db.dialect, rewrite(policy_db.dialect))
    for value in ("EMEA", "acme"):
        assert final.count(value) == sql.count(value), "claim values must be bound"
    got = policy_db.run(policy_db.full, final, params)
    expected = policy_db.run(policy_db.only, sql)
    assert got == expected, final
    counted = policy_db.run(policy_db.full, count_sql, params)
    assert counted == [(len(expected),)]
    if discriminates:
        assert policy_db.run(policy_db.full, sql) != expected, "the case shows no leak to catch"


def test_hostile_claim_value_is_only_a_value(policy_db: Database) -> None:
    claims = {**CLAIMS, "region": "EMEA' OR '1'='1"}
    final, params, _ = guarded(
        "SELECT * FROM orders", policy_db.dialect, rewrite(policy_db.dialect, claims)
    )
    assert policy_db.run(policy_db.full, final, params) == []


def test_claim_list_feeds_in(policy_db: Database) -> None:
    claims = {**CLAIMS, "tenants": ["acme", "globex"]}
    final, params, _ = guarded(
        "SELECT id FROM customers", policy_db.dialect, rewrite(policy_db.dialect, claims)
    )
    assert policy_db.run(policy_db.full, final, params) == [(1,), (2,), (3,)]
    assert params == {"p_0": "acme", "p_1": "globex"}


def test_nested_claim_path(policy_db: Database) -> None:
    tree = sqlglot.parse_one("SELECT id FROM orders", read=policy_db.dialect)
    out, params = apply_row_policies(
        tree,
        dialect=policy_db.dialect,
        policies={"orders": "region = :claims.org.region"},
        claims={"org": {"region": "APAC"}},
    )
    assert policy_db.run(policy_db.full, out.sql(dialect=policy_db.dialect), params) == [(2,), (6,)]


@pytest.mark.parametrize(
    "claims",
    [{}, {"region": None}, {"region": []}, {"region": {"x": 1}}, {"tenants": ["acme"]}],
    ids=["no-claims", "null", "empty-list", "object", "other-claim-only"],
)
def test_missing_or_unusable_claim_denies(claims) -> None:
    tree = sqlglot.parse_one("SELECT * FROM contacts JOIN orders ON 1 = 1")
    with pytest.raises(Forbidden, match="claim 'region'"):
        apply_row_policies(tree, dialect="sqlite", policies=POLICIES, claims=claims)


def test_list_claim_outside_in_denies() -> None:
    tree = sqlglot.parse_one("SELECT * FROM orders")
    with pytest.raises(Forbidden, match="IN"):
        apply_row_policies(tree, dialect="sqlite", policies=POLICIES, claims={"region": ["a", "b"]})


def test_untouched_query_needs_no_claims() -> None:
    tree = sqlglot.parse_one("SELECT * FROM contacts")
    out, params = apply_row_policies(tree, dialect="sqlite", policies=POLICIES, claims={})
    assert out.sql() == "SELECT * FROM contacts" and params == {}


def test_query_parameters_are_refused_when_policies_bind() -> None:
    tree = sqlglot.parse_one("SELECT * FROM orders WHERE region = :p_0", read="sqlite")
    with pytest.raises(GuardRejection, match="parameters"):
        apply_row_policies(tree, dialect="sqlite", policies=POLICIES, claims=CLAIMS)


def test_the_input_tree_is_not_changed() -> None:
    tree = sqlglot.parse_one("SELECT * FROM orders")
    apply_row_policies(tree, dialect="sqlite", policies=POLICIES, claims=CLAIMS)
    assert tree.sql() == "SELECT * FROM orders"


def test_schema_qualified_policy_key_matches_unqualified_references() -> None:
    tree = sqlglot.parse_one(
        "SELECT * FROM orders JOIN other.orders AS x ON 1 = 1", read="postgres"
    )
    out, _ = apply_row_policies(
        tree,
        dialect="postgres",
        policies={"sales.orders": "region = :claims.region"},
        claims=CLAIMS,
    )
    sql = out.sql(dialect="postgres")
    # `orders` may resolve to sales.orders through the search path; other.orders cannot.
    assert sql.count("WHERE _rp.region") == 1 and "JOIN other.orders AS x" in sql


@pytest.mark.parametrize(
    ("dialect", "sa_dialect", "marker"),
    [
        # Each driver's own parameter style, as SQLAlchemy compiles text() for it.
        ("sqlite", sqlite.dialect(paramstyle="qmark"), "?"),
        ("postgres", postgresql.psycopg.dialect(paramstyle="pyformat"), "%(p_0)s"),
        ("mysql", mysql.pymysql.dialect(paramstyle="format"), "%s"),
        ("tsql", mssql.pyodbc.dialect(paramstyle="qmark"), "?"),
        ("duckdb", sqlite.dialect(paramstyle="qmark"), "?"),
    ],
)
def test_binds_render_as_sqlalchemy_named_parameters(dialect, sa_dialect, marker) -> None:
    tree = sqlglot.parse_one(
        "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id", read=dialect
    )
    out, params = apply_row_policies(tree, dialect=dialect, policies=POLICIES, claims=CLAIMS)
    sql = out.sql(dialect=dialect)
    assert ":p_0" in sql and ":p_1" in sql
    compiled = sa.text(sql).bindparams(**params).compile(dialect=sa_dialect)
    assert set(compiled.params) == {"p_0", "p_1"}
    assert marker in str(compiled) and ":p_0" not in str(compiled)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("region = :claims.region; DROP TABLE orders", "cannot parse|one condition"),
        ("region IN (SELECT 1); DELETE FROM orders", "cannot parse|one condition"),
        ("region = :region", ":claims.<name>"),
        ("region = ?", ":claims.<name>"),
        ("orders.region = :claims.region", "without a prefix"),
        ("region = ", "cannot parse"),
        ("region = :claims.region GROUP BY 1", "cannot parse|one condition"),
    ],
)
def test_bad_predicates_fail_at_start(text, message) -> None:
    with pytest.raises(ValueError, match=message):
        compile_predicate(text, "postgres")


def test_predicate_subquery_keeps_its_own_columns() -> None:
    predicate = "customer_id IN (SELECT id FROM customers WHERE tenant = :claims.tenant)"
    tree = sqlglot.parse_one("SELECT id FROM orders")
    out, params = apply_row_policies(
        tree, dialect="sqlite", policies={"orders": predicate}, claims={"tenant": "acme"}
    )
    assert "_rp.customer_id IN (SELECT id FROM customers WHERE tenant = :p_0)" in out.sql()
    assert params == {"p_0": "acme"}


@pytest.mark.parametrize(("sql", "only", "discriminates"), CASES)
def test_policy_holds_behind_a_barrier(policy_db: Database, sql: str, only, discriminates) -> None:
    if only and only != policy_db.dialect:
        pytest.skip(f"{only} syntax")
    sql = sql.format(schema=policy_db.schema)

    def fenced(tree):
        rules = {
            t: TableRule(predicate=compile_predicate(p, policy_db.dialect))
            for t, p in POLICIES.items()
        }
        return apply_table_rules(
            tree, dialect=policy_db.dialect, rules=rules, claims=CLAIMS, barrier=True
        )

    final, params, _ = guarded(sql, policy_db.dialect, fenced)
    assert policy_db.run(policy_db.full, final, params) == policy_db.run(policy_db.only, sql)


@pytest.mark.parametrize(
    ("dialect", "fence"),
    [
        ("postgres", "OFFSET 0)"),
        ("sqlite", "LIMIT -1 OFFSET 0)"),
        ("mysql", "LIMIT 18446744073709551615)"),
    ],
)
def test_barrier_renders_a_fence(dialect, fence) -> None:
    rules = {"orders": TableRule(predicate=compile_predicate("region = :claims.region", dialect))}
    tree = sqlglot.parse_one("SELECT id FROM orders WHERE id = 1", read=dialect)
    out, _ = apply_table_rules(tree, dialect=dialect, rules=rules, claims=CLAIMS, barrier=True)
    assert f"WHERE _rp.region = :p_0 {fence} AS orders WHERE id = 1" in out.sql(dialect=dialect)


def test_barrier_keeps_data_errors_away_from_hidden_rows(policy_db: Database) -> None:
    # An error raised only by a hidden row would tell that the row exists: behind the
    # barrier the query's own condition never sees one.
    boom = {
        "postgres": "1 / (CASE WHEN region = 'APAC' THEN 0 ELSE 1 END + id - id) = 1",
        "sqlite": "json(CASE WHEN region = 'APAC' THEN 'not json' ELSE '1' END) = '1'",
    }[policy_db.dialect]
    sql = f"SELECT COUNT(*) FROM orders WHERE {boom}"
    with pytest.raises(sa.exc.DBAPIError):
        policy_db.run(policy_db.full, sql)  # unfiltered, a hidden row does raise

    def fenced(tree):
        rules = {
            "orders": TableRule(predicate=compile_predicate(POLICIES["orders"], policy_db.dialect))
        }
        return apply_table_rules(
            tree, dialect=policy_db.dialect, rules=rules, claims=CLAIMS, barrier=True
        )

    final, params, _ = guarded(sql, policy_db.dialect, fenced)
    assert policy_db.run(policy_db.full, final, params) == [(3,)]
