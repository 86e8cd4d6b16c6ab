"""The COUNT(*) over a guarded query counts what the query yields, in every dialect."""

from __future__ import annotations

import sqlite3

import pytest

from data_assistant.guard import validate_sql
from data_assistant.guard.count import count_query

CASES = [
    ("sqlite", "SELECT * FROM t", "SELECT COUNT(*) AS row_count FROM (SELECT * FROM t) AS _q"),
    (
        "sqlite",
        "SELECT id FROM t ORDER BY id",
        "SELECT COUNT(*) AS row_count FROM (SELECT id FROM t) AS _q",
    ),
    (
        "sqlite",
        "SELECT id FROM t ORDER BY id LIMIT 3",
        "SELECT COUNT(*) AS row_count FROM (SELECT id FROM t ORDER BY id LIMIT 3) AS _q",
    ),
    (
        "postgres",
        "WITH x AS (SELECT id FROM t) SELECT * FROM x ORDER BY id",
        "WITH x AS (SELECT id FROM t) SELECT COUNT(*) AS row_count FROM (SELECT * FROM x) AS _q",
    ),
    (
        "tsql",
        "SELECT TOP 5 id FROM t ORDER BY id",
        "SELECT COUNT(*) AS row_count FROM (SELECT TOP 5 id AS id FROM t ORDER BY id) AS _q",
    ),
    (
        "tsql",
        "WITH x AS (SELECT id FROM t) SELECT id FROM x ORDER BY id",
        "WITH x AS (SELECT id AS id FROM t) "
        "SELECT COUNT(*) AS row_count FROM (SELECT id AS id FROM x) AS _q",
    ),
]


@pytest.mark.parametrize(("dialect", "sql", "expected"), CASES)
def test_the_count_wraps_the_query_and_drops_a_needless_order(dialect, sql, expected):
    assert count_query(validate_sql(sql, dialect=dialect), dialect=dialect) == expected


@pytest.mark.parametrize(
    ("sql", "count"),
    [
        ("SELECT * FROM t", 10),
        ("SELECT * FROM t WHERE id > 7", 3),
        ("SELECT * FROM t ORDER BY id LIMIT 4", 4),
        ("SELECT id FROM t UNION SELECT id + 100 FROM t", 20),
        ("WITH big AS (SELECT id FROM t WHERE id > 5) SELECT * FROM big ORDER BY id", 5),
        ("SELECT id % 3, COUNT(*) FROM t GROUP BY id % 3", 3),
    ],
)
def test_the_count_agrees_with_the_rows_sqlite_returns(sql, count):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1, 11)])
    counted = conn.execute(count_query(validate_sql(sql, dialect="sqlite"), dialect="sqlite"))
    assert counted.fetchone()[0] == count == len(conn.execute(sql).fetchall())
