"""The same intent rendered per dialect, and run on real PostgreSQL and MariaDB servers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlglot

from data_assistant.evaluation import results_match
from data_assistant.evaluation.compare import is_ordered
from tests.offline.conftest import SHOP_SQL, Shop
from tests.offline.test_translate import CASES

QUESTIONS = [
    "customers in Germany",
    "revenue by region",
    "orders per month in 2024",
    "top 2 customers by revenue",
    "customers with more than 2 orders",
    "products that were never ordered",
    "discontinued products",
    "how many different countries",
]


@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "mysql", "tsql", "duckdb"])
@pytest.mark.parametrize("question", QUESTIONS)
def test_renders_valid_sql_in_each_dialect(shop: Shop, dialect: str, question: str) -> None:
    sql = shop.translate(question, dialect=dialect).query
    tree = sqlglot.parse_one(sql, read=dialect)
    assert tree.find(sqlglot.exp.Select) is not None


def test_dialect_specific_forms(shop: Shop) -> None:
    assert shop.translate("most expensive product", "tsql").query.startswith("SELECT TOP 1 ")
    month = shop.translate("orders per month in 2024", "postgres").query
    assert "TO_CHAR(orders.order_date, 'YYYY-MM')" in month
    assert (
        "DATE_FORMAT(orders.order_date, '%Y-%m')"
        in shop.translate("orders per month in 2024", "mysql").query
    )


def test_reserved_and_spaced_names_are_quoted() -> None:
    import sqlite3

    from data_assistant.evaluation.sqlite_target import snapshot
    from data_assistant.translate.base import TranslationRequest
    from data_assistant.translate.offline import OfflineTranslator

    conn = sqlite3.connect(":memory:")
    conn.executescript(
        'CREATE TABLE "order" (id INTEGER PRIMARY KEY, "group" TEXT, "Unit Price" REAL);'
        "INSERT INTO \"order\" VALUES (1, 'a', 2.5), (2, 'b', 4.0);"
    )
    schema = snapshot(conn)
    for dialect, quoted in [("sqlite", '"order"'), ("mysql", "`order`"), ("tsql", "[order]")]:
        sql = (
            OfflineTranslator()
            .translate(TranslationRequest("average unit price per group", "s", dialect, schema))
            .query
        )
        assert quoted in sql, sql
    sql = (
        OfflineTranslator()
        .translate(TranslationRequest("average unit price per group", "s", "sqlite", schema))
        .query
    )
    assert sorted(conn.execute(sql).fetchall()) == [("a", 2.5), ("b", 4.0)]


# -- real servers ----------------------------------------------------------------------------
SERVER_CASES = [c for c in CASES if "strftime" not in c[1] and "last 30 days" not in c[0]]
SERVER_CASES += [("orders per month in 2024", None), ("revenue per year", None)]
# Letters in any case: LIKE is case-sensitive on PostgreSQL, not on SQLite or MariaDB.
SERVER_CASES += [("customers whose name starts with A", None), ("emails ending in .com", None)]
# A scalar subquery over the table the outer query reads.
SERVER_CASES += [("products with a unit price above the average", None)]
SERVER_CASES += [("the products with the highest unit price", None)]


@pytest.fixture(scope="module")
def postgres_shop() -> Iterator[object]:
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3
        )
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    schema = f"offline_{uuid.uuid4().hex[:10]}"
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute(f"CREATE SCHEMA {schema}")
    cur.execute(f"SET search_path TO {schema}")
    for statement in SHOP_SQL.split(";"):
        if statement.strip():
            cur.execute(statement)
    try:
        yield cur
    finally:
        cur.execute(f"DROP SCHEMA {schema} CASCADE")
        conn.close()


@pytest.fixture(scope="module")
def mariadb_shop() -> Iterator[object]:
    pymysql = pytest.importorskip("pymysql")
    try:
        conn = pymysql.connect(
            host="127.0.0.1", port=3306, user="root", password="", connect_timeout=3
        )
    except pymysql.err.OperationalError as exc:
        pytest.skip(f"MariaDB is not reachable: {exc}")
    name = f"offline_{uuid.uuid4().hex[:10]}"
    cur = conn.cursor()
    cur.execute(f"CREATE DATABASE {name}")
    cur.execute(f"USE {name}")
    for statement in SHOP_SQL.split(";"):
        if statement.strip():
            cur.execute(statement)
    conn.commit()
    try:
        yield cur
    finally:
        cur.execute(f"DROP DATABASE {name}")
        conn.close()


def _same_answer(shop: Shop, cursor: object, dialect: str, question: str) -> None:
    expected_sql = shop.translate(question).query  # checked against gold in test_translate
    sql = shop.translate(question, dialect=dialect).query
    cursor.execute(sql)  # type: ignore[attr-defined]
    got = [tuple(r) for r in cursor.fetchall()]  # type: ignore[attr-defined]
    expected = shop.rows(expected_sql)
    assert results_match(got, expected, ordered=is_ordered(expected_sql)), sql


@pytest.mark.postgres
@pytest.mark.parametrize("question", [c[0] for c in SERVER_CASES])
def test_same_answers_on_postgres(shop: Shop, postgres_shop: object, question: str) -> None:
    _same_answer(shop, postgres_shop, "postgres", question)


@pytest.mark.mariadb
@pytest.mark.parametrize("question", [c[0] for c in SERVER_CASES])
def test_same_answers_on_mariadb(shop: Shop, mariadb_shop: object, question: str) -> None:
    _same_answer(shop, mariadb_shop, "mysql", question)
