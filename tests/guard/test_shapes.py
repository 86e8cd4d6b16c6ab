"""Unbounded shapes are refused with a reason a model can act on.

A SELECT multiplying three or more groups of sources that no condition links is refused;
two groups (a cross join with a small list) are common and pass, as do sources that hold
one row. A recursive CTE whose recursive part has nothing that could end it is refused.
"""

from __future__ import annotations

import pytest

from data_assistant.errors import GuardRejection
from data_assistant.guard import check_sql


def case(id_: str, dialect: str, sql: str):
    return pytest.param(dialect, sql, id=id_)


# fmt: off
PRODUCTS = [
    case("three-tables-no-condition", "postgres", "SELECT count(*) FROM a, b, c"),
    case("four-way-cross-join", "sqlite",
         "SELECT count(*) FROM a CROSS JOIN b CROSS JOIN c CROSS JOIN d"),
    case("join-without-on", "sqlite", "SELECT * FROM a JOIN b JOIN c"),
    case("one-link-leaves-three-groups", "mysql",
         "SELECT * FROM a, b, c, d WHERE a.x = b.x"),
    case("condition-on-one-table-only", "duckdb",
         "SELECT * FROM a, b, c WHERE a.x > 1 AND b.y > 2"),
    case("self-product", "postgres", "SELECT count(*) FROM t t1, t t2, t t3"),
    case("inside-a-subquery", "postgres",
         "SELECT (SELECT count(*) FROM a, b, c) AS n FROM d"),
    case("table-functions-count", "postgres",
         "SELECT count(*) FROM generate_series(1, 1000) a, generate_series(1, 1000) b, "
         "generate_series(1, 1000) c"),
]
LINKED = [
    case("two-tables", "postgres", "SELECT * FROM a, b"),
    case("joined-on", "postgres",
         "SELECT * FROM a JOIN b ON a.x = b.x JOIN c ON c.y = b.y"),
    case("joined-in-where", "sqlite", "SELECT * FROM a, b, c WHERE a.x = b.x AND b.y = c.y"),
    case("using", "mysql", "SELECT * FROM a JOIN b USING (id) JOIN c USING (id)"),
    case("natural", "postgres", "SELECT * FROM a NATURAL JOIN b NATURAL JOIN c"),
    case("lateral", "postgres",
         "SELECT * FROM a, LATERAL (SELECT * FROM b WHERE b.x = a.x) l, "
         "LATERAL (SELECT * FROM c WHERE c.y = l.y) m"),
    case("one-row-sources", "postgres",
         "SELECT * FROM a CROSS JOIN (SELECT max(x) AS m FROM b) s "
         "CROSS JOIN (SELECT min(y) AS n FROM c) t"),
    case("values-of-one-row", "postgres",
         "SELECT * FROM a, b, (VALUES (1)) AS v(x) WHERE a.x = b.x"),
    case("correlated-exists-links", "postgres",
         "SELECT * FROM a, b, c WHERE EXISTS "
         "(SELECT 1 FROM d WHERE d.x = a.x AND d.y = b.y AND d.z = c.z)"),
    case("or-of-links", "postgres",
         "SELECT * FROM a, b, c WHERE (a.x = b.x OR a.y = b.y) AND c.z = b.z"),
    case("bare-columns-may-link", "sqlite", "SELECT * FROM a, b, c WHERE x = y AND y = z"),
    case("spider-style-aliases", "sqlite",
         "SELECT T1.name FROM a AS T1 JOIN b AS T2 ON T1.id = T2.aid JOIN c AS T3 "
         "ON T2.id = T3.bid"),
]
RECURSIONS = [
    case("postgres-no-condition", "postgres",
         "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"),
    case("sqlite-implicit-recursion", "sqlite",
         "WITH r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"),
    case("mysql-no-condition", "mysql",
         "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n * 2 FROM r) SELECT n FROM r"),
    case("duckdb-no-condition", "duckdb",
         "WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n + 1 FROM r) SELECT max(n) FROM r"),
]
BOUNDED_RECURSIONS = [
    case("postgres-where", "postgres",
         "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) "
         "SELECT * FROM r"),
    case("postgres-tree-walk", "postgres",
         "WITH RECURSIVE t AS (SELECT id FROM c WHERE parent IS NULL UNION ALL "
         "SELECT c.id FROM c JOIN t ON c.parent = t.id) SELECT * FROM t"),
    case("postgres-not-recursive", "postgres",
         "WITH r AS (SELECT 1 AS n UNION ALL SELECT 2) SELECT * FROM r"),
]
# fmt: on


@pytest.mark.parametrize(("dialect", "sql"), PRODUCTS)
def test_a_product_of_three_unjoined_groups_is_refused(dialect: str, sql: str) -> None:
    with pytest.raises(GuardRejection, match="join them with ON conditions") as caught:
        check_sql(sql, dialect=dialect)
    assert "\n" not in caught.value.reason


@pytest.mark.parametrize(("dialect", "sql"), LINKED)
def test_linked_or_small_sources_pass(dialect: str, sql: str) -> None:
    assert check_sql(sql, dialect=dialect).sql


@pytest.mark.parametrize(("dialect", "sql"), RECURSIONS)
def test_a_recursion_nothing_ends_is_refused(dialect: str, sql: str) -> None:
    with pytest.raises(GuardRejection, match="never stops"):
        check_sql(sql, dialect=dialect)


@pytest.mark.parametrize(("dialect", "sql"), BOUNDED_RECURSIONS)
def test_a_recursion_with_an_end_passes(dialect: str, sql: str) -> None:
    assert check_sql(sql, dialect=dialect).sql
