"""The same questions over the demo sales data give the same rows on every engine.

Each case is a question and its SQL, written once in a neutral dialect (DuckDB's) and
transpiled with sqlglot to each source's, then asked through the pipeline (guard, read-only
execution, row cap) with a translator stand-in that answers with the case's SQL. SQLite's
rows are the reference; numbers are compared as floats within a small tolerance, since
SQLite computes in floating point where the servers use exact decimals.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from data_assistant.pipeline import Assistant
from tests.db.conftest import ENGINES, demo_url_for
from tests.db.helpers import ScriptedTranslator, settings_with


@dataclass(frozen=True)
class Case:
    question: str
    sql: str
    # Whether the order of the rows is part of the answer (ORDER BY with a total order).
    ordered: bool = False


REVENUE = "oi.quantity * oi.unit_price * (1 - oi.discount)"
YEAR = "CAST(STRFTIME(o.order_date, '%Y') AS INT)"
MONTH = "CAST(STRFTIME(o.order_date, '%m') AS INT)"

CASES = [
    Case("How many customers are there?", "SELECT COUNT(*) AS n FROM customers"),
    Case(
        "How many orders were delivered?",
        "SELECT COUNT(*) AS n FROM orders WHERE status = 'delivered'",
    ),
    Case("Customers per segment", "SELECT segment, COUNT(*) AS n FROM customers GROUP BY segment"),
    Case(
        "Customers per region",
        "SELECT r.name AS region, COUNT(*) AS n FROM customers c "
        "JOIN regions r ON r.id = c.region_id GROUP BY r.name",
    ),
    Case(
        "Countries with more than 50 customers",
        "SELECT country, COUNT(*) AS n FROM customers GROUP BY country HAVING COUNT(*) > 50",
    ),
    Case("Orders per status", "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"),
    Case(
        "Orders and shipping cost per channel",
        "SELECT channel, COUNT(*) AS n, SUM(shipping_cost) AS shipping FROM orders "
        "GROUP BY channel",
    ),
    Case("Total revenue", f"SELECT SUM({REVENUE}) AS revenue FROM order_items oi"),
    Case(
        "Revenue per year",
        f"SELECT {YEAR} AS yr, SUM({REVENUE}) AS revenue FROM orders o "
        f"JOIN order_items oi ON oi.order_id = o.id GROUP BY {YEAR} ORDER BY yr",
        ordered=True,
    ),
    Case(
        "Orders per month in 2025",
        f"SELECT {MONTH} AS m, COUNT(*) AS n FROM orders o "
        "WHERE o.order_date >= DATE '2025-01-01' AND o.order_date < DATE '2026-01-01' "
        f"GROUP BY {MONTH} ORDER BY m",
        ordered=True,
    ),
    Case(
        "Revenue per category",
        f"SELECT c.name AS category, SUM({REVENUE}) AS revenue FROM order_items oi "
        "JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id "
        "GROUP BY c.name",
    ),
    Case(
        "Top 5 products by units sold",
        "SELECT p.id, p.name, SUM(oi.quantity) AS units FROM order_items oi "
        "JOIN products p ON p.id = oi.product_id GROUP BY p.id, p.name "
        "ORDER BY units DESC, p.id LIMIT 5",
        ordered=True,
    ),
    Case(
        "Average order value per channel",
        f"SELECT o.channel, AVG(t.total) AS avg_total FROM orders o JOIN "
        f"(SELECT oi.order_id, SUM({REVENUE}) AS total FROM order_items oi GROUP BY oi.order_id) t "
        "ON t.order_id = o.id GROUP BY o.channel",
    ),
    Case(
        "How many customers have ordered?",
        "SELECT COUNT(DISTINCT customer_id) AS n FROM orders",
    ),
    Case(
        "How many customers never ordered?",
        "SELECT COUNT(*) AS n FROM customers c "
        "WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)",
    ),
    Case(
        "How many products are discontinued?",
        "SELECT COUNT(*) AS n FROM products WHERE is_discontinued = TRUE",
    ),
    Case(
        "Products priced over 1000",
        "SELECT COUNT(*) AS n FROM products WHERE unit_price > 1000",
    ),
    Case(
        "Average list price per category",
        "SELECT c.name, ROUND(AVG(p.unit_price), 2) AS avg_price FROM products p "
        "JOIN categories c ON c.id = p.category_id GROUP BY c.name",
    ),
    Case(
        "Orders per month in 2024",
        f"SELECT {MONTH} AS m, COUNT(*) AS n FROM orders o "
        "WHERE o.order_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31' "
        f"GROUP BY {MONTH} ORDER BY m",
        ordered=True,
    ),
    Case(
        "Average days from order to shipping",
        "SELECT AVG(DATE_DIFF('day', order_date, shipped_date)) AS days FROM orders "
        "WHERE shipped_date IS NOT NULL",
    ),
    Case(
        "Orders in the last quarter of 2025",
        "SELECT COUNT(*) AS n FROM orders "
        "WHERE order_date BETWEEN DATE '2025-10-01' AND DATE '2025-12-31'",
    ),
    Case(
        "Customers who signed up in 2024",
        "SELECT COUNT(*) AS n FROM customers "
        "WHERE created_at >= DATE '2024-01-01' AND created_at < DATE '2025-01-01'",
    ),
    Case("When was the last order?", "SELECT MAX(order_date) AS last_order FROM orders"),
    Case("When did the first customer sign up?", "SELECT MIN(created_at) AS first FROM customers"),
    Case(
        "Customers without an email address",
        "SELECT COUNT(*) AS n FROM customers WHERE email IS NULL",
    ),
    Case(
        "Customers per city, unknown when missing",
        "SELECT COALESCE(city, 'unknown') AS city, COUNT(*) AS n FROM customers "
        "GROUP BY COALESCE(city, 'unknown')",
    ),
    Case(
        "Orders by size",
        "SELECT CASE WHEN t.total < 100 THEN 'small' WHEN t.total < 1000 THEN 'medium' "
        "ELSE 'large' END AS size, COUNT(*) AS n FROM "
        f"(SELECT oi.order_id, SUM({REVENUE}) AS total FROM order_items oi GROUP BY oi.order_id) t "
        "GROUP BY CASE WHEN t.total < 100 THEN 'small' WHEN t.total < 1000 THEN 'medium' "
        "ELSE 'large' END",
    ),
    Case(
        "Best-selling product of each category",
        "SELECT category_id, product_id, units FROM ("
        "SELECT p.category_id, p.id AS product_id, SUM(oi.quantity) AS units, "
        "ROW_NUMBER() OVER (PARTITION BY p.category_id ORDER BY SUM(oi.quantity) DESC, p.id) AS rn "
        "FROM order_items oi JOIN products p ON p.id = oi.product_id "
        "GROUP BY p.category_id, p.id) ranked WHERE rn = 1 ORDER BY category_id",
        ordered=True,
    ),
    Case(
        "Running total of orders per month of 2025",
        f"SELECT m, n, SUM(n) OVER (ORDER BY m ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
        f"AS running FROM (SELECT {MONTH} AS m, COUNT(*) AS n FROM orders o "
        "WHERE o.order_date >= DATE '2025-01-01' GROUP BY 1) monthly ORDER BY m",
        ordered=True,
    ),
    Case(
        "How many orders are over 1000?",
        f"WITH totals AS (SELECT oi.order_id, SUM({REVENUE}) AS total FROM order_items oi "
        "GROUP BY oi.order_id) SELECT COUNT(*) AS n FROM totals WHERE total > 1000",
    ),
    Case(
        "How many customers and orders are there?",
        "SELECT 'customers' AS what, COUNT(*) AS n FROM customers "
        "UNION ALL SELECT 'orders', COUNT(*) FROM orders",
    ),
    Case(
        "Customers in Europe",
        "SELECT COUNT(*) AS n FROM customers WHERE region_id IN "
        "(SELECT id FROM regions WHERE name = 'Europe')",
    ),
    Case(
        "Products with 'pro' in the name",
        "SELECT COUNT(*) AS n FROM products WHERE LOWER(name) LIKE '%pro%'",
    ),
    Case(
        "Customers per segment and region",
        "SELECT segment, region_id, COUNT(*) AS n FROM customers GROUP BY segment, region_id",
    ),
    Case(
        "Orders per year and status",
        f"SELECT {YEAR} AS yr, o.status, COUNT(*) AS n FROM orders o GROUP BY {YEAR}, o.status",
    ),
    Case(
        "Products never ordered",
        "SELECT COUNT(*) AS n FROM products WHERE id NOT IN (SELECT product_id FROM order_items)",
    ),
    Case(
        "Average quantity per order line",
        "SELECT AVG(quantity) AS avg_qty FROM order_items",
    ),
    Case(
        "Largest discount per segment",
        "SELECT c.segment, MAX(oi.discount) AS max_discount FROM order_items oi "
        "JOIN orders o ON o.id = oi.order_id JOIN customers c ON c.id = o.customer_id "
        "GROUP BY c.segment",
    ),
    Case(
        "Shipping cost statistics",
        "SELECT MIN(shipping_cost) AS lo, MAX(shipping_cost) AS hi, AVG(shipping_cost) AS mean "
        "FROM orders",
    ),
    Case(
        "How many customers spent more than 10000?",
        f"SELECT COUNT(*) AS n FROM (SELECT o.customer_id FROM orders o JOIN order_items oi "
        f"ON oi.order_id = o.id GROUP BY o.customer_id HAVING SUM({REVENUE}) > 10000) big",
    ),
    Case(
        "Cancelled and returned orders per channel",
        "SELECT channel, SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, "
        "SUM(CASE WHEN status = 'returned' THEN 1 ELSE 0 END) AS returned FROM orders "
        "GROUP BY channel",
    ),
    Case(
        "How many customers placed how many orders?",
        "SELECT orders_placed, COUNT(*) AS customers FROM (SELECT customer_id, COUNT(*) AS "
        "orders_placed FROM orders GROUP BY customer_id) per_customer GROUP BY orders_placed",
    ),
    Case(
        "Top 3 customers by number of orders",
        "SELECT c.id, c.name || ' (' || c.country || ')' AS customer, COUNT(*) AS n "
        "FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name, c.country "
        "ORDER BY n DESC, c.id LIMIT 3",
        ordered=True,
    ),
    Case(
        "How many countries are in Europe?",
        "SELECT COUNT(DISTINCT country) AS n FROM customers c JOIN regions r "
        "ON r.id = c.region_id WHERE r.name = 'Europe'",
    ),
    Case(
        "Products whose cost is over 70% of the price",
        "SELECT COUNT(*) AS n FROM products WHERE cost > unit_price * 0.7",
    ),
    Case(
        "Share of web orders",
        "SELECT CAST(SUM(CASE WHEN channel = 'web' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) "
        "AS share FROM orders",
    ),
    Case(
        "Ten biggest orders",
        f"SELECT oi.order_id, SUM({REVENUE}) AS total FROM order_items oi "
        "GROUP BY oi.order_id ORDER BY total DESC, oi.order_id LIMIT 10",
        ordered=True,
    ),
    Case(
        "Latest 5 orders",
        "SELECT id, order_date, status FROM orders ORDER BY order_date DESC, id DESC LIMIT 5",
        ordered=True,
    ),
]

SERVERS = [engine for engine in ENGINES if engine != "sqlite"]


@pytest.fixture(scope="module")
def assistants(request: pytest.FixtureRequest) -> Iterator[dict[str, Assistant]]:
    """One Assistant per engine over its demo data, answering with the cases' SQL."""
    by_question = {case.question: case.sql for case in CASES}
    made: dict[str, Assistant] = {}
    try:
        for engine in ENGINES:
            try:
                url = demo_url_for(request, engine)
            except pytest.skip.Exception:
                continue
            settings = settings_with(demo={"url": url, "max_rows": 1000, "timeout_s": 30})
            made[engine] = Assistant(
                settings, translator=ScriptedTranslator(by_question.__getitem__)
            )
        yield made
    finally:
        for assistant in made.values():
            assistant.close()


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40
    assert len({case.question for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.question for case in CASES])
def test_every_engine_gives_the_same_rows(case: Case, assistants: dict[str, Assistant]):
    reference = rows(assistants["sqlite"], case)
    assert reference, "the case should find something in the demo data"
    compared = [engine for engine in SERVERS if engine in assistants]
    assert compared, "no database server to compare with"
    for engine in compared:
        got = rows(assistants[engine], case)
        assert same_rows(got, reference), f"{engine} differs:\n{got[:5]}\nSQLite:\n{reference[:5]}"


def rows(assistant: Assistant, case: Case) -> list[tuple[Any, ...]]:
    answer = assistant.ask("demo", case.question)
    assert not answer.truncated
    found = [tuple(normalise(v) for v in row.values()) for row in answer.result.rows]
    return found if case.ordered else sorted(found, key=sort_key)


def normalise(value: Any) -> Any:
    """Booleans and whole numbers as ints, other numbers as floats; dates stay ISO text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def sort_key(row: tuple[Any, ...]) -> tuple:
    return tuple(
        (0, round(v, 2), "") if isinstance(v, (int, float)) else (1, 0, str(v)) for v in row
    )


def same_rows(got: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]) -> bool:
    if len(got) != len(expected):
        return False
    for row_got, row_expected in zip(got, expected, strict=True):
        if len(row_got) != len(row_expected):
            return False
        for a, b in zip(row_got, row_expected, strict=True):
            if isinstance(a, (int, float)) and isinstance(b, (int, float)):
                # MariaDB gives AVG and division four decimals; SQLite uses floats.
                if not math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-3):
                    return False
            elif a != b:
                return False
    return True
