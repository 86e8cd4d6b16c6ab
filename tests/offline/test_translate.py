"""The offline translator on a small shop: questions against hand-written gold SQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlglot

from data_assistant.errors import Refusal
from data_assistant.evaluation import results_match
from data_assistant.evaluation.compare import is_ordered
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.translate.base import TranslationRequest, Translator
from data_assistant.translate.offline import OfflineTranslator
from tests.offline.conftest import Shop

REVENUE = "SUM(oi.quantity * oi.unit_price * (1 - oi.discount))"
ITEMS = "order_items oi JOIN orders o ON o.id = oi.order_id"

CASES = [
    # listing with filters
    ("show all regions", "SELECT name FROM regions"),
    ("customers in Germany", "SELECT name FROM customers WHERE country = 'Germany'"),
    ("corporate customers", "SELECT name FROM customers WHERE segment = 'Corporate'"),
    (
        "customers from the USA or Japan",
        "SELECT name FROM customers WHERE country IN ('USA', 'Japan')",
    ),
    ("customers not in the USA", "SELECT name FROM customers WHERE country <> 'USA'"),
    (
        "customers in Europe",
        "SELECT c.name FROM customers c JOIN regions r ON r.id = c.region_id "
        "WHERE r.name = 'Europe'",
    ),
    ("customers without an email", "SELECT name FROM customers WHERE email IS NULL"),
    ("discontinued products", "SELECT name FROM products WHERE is_discontinued = 1"),
    ("products that are not discontinued", "SELECT name FROM products WHERE is_discontinued = 0"),
    ("products priced over 500", "SELECT name FROM products WHERE unit_price > 500"),
    ("products under $100", "SELECT name FROM products WHERE unit_price < 100"),
    (
        "products with a price between 100 and 1000",
        "SELECT name FROM products WHERE unit_price BETWEEN 100 AND 1000",
    ),
    (
        "products in the Laptops category",
        "SELECT p.name FROM products p JOIN categories c "
        "ON c.id = p.category_id WHERE c.name = 'Laptops'",
    ),
    ("orders that are not delivered", "SELECT * FROM orders WHERE status <> 'delivered'"),
    ("pending web orders", "SELECT * FROM orders WHERE status = 'pending' AND channel = 'web'"),
    (
        "orders shipped in March 2025",
        "SELECT * FROM orders WHERE shipped_date >= '2025-03-01' AND shipped_date < '2025-04-01'",
    ),
    (
        "orders from customers in Germany",
        "SELECT o.* FROM orders o JOIN customers c "
        "ON c.id = o.customer_id WHERE c.country = 'Germany'",
    ),
    (
        "orders with a shipping cost of at least 15",
        "SELECT * FROM orders WHERE shipping_cost >= 15",
    ),
    (
        "orders in 2024",
        "SELECT * FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01'",
    ),
    (
        "orders in the last 30 days",
        "SELECT * FROM orders WHERE order_date >= '2025-05-31' AND order_date < '2025-07-01'",
    ),
    ("orders since 2025-03-01", "SELECT * FROM orders WHERE order_date >= '2025-03-01'"),
    (
        "customers who signed up in 2024",
        "SELECT name FROM customers WHERE created_at >= '2024-01-01' AND created_at < '2025-01-01'",
    ),
    ("customers located in Berlin", "SELECT name FROM customers WHERE city = 'Berlin'"),
    # projections and distinct values
    (
        "names and emails of corporate customers",
        "SELECT name, email FROM customers WHERE segment = 'Corporate'",
    ),
    ("list the countries of our customers", "SELECT DISTINCT country FROM customers"),
    ("what order statuses are there", "SELECT DISTINCT status FROM orders"),
    ("list products sorted by price", "SELECT name FROM products ORDER BY unit_price"),
    # counts
    ("how many customers do we have", "SELECT COUNT(*) FROM customers"),
    ("how many orders were cancelled", "SELECT COUNT(*) FROM orders WHERE status = 'cancelled'"),
    ("number of orders per channel", "SELECT channel, COUNT(*) FROM orders GROUP BY channel"),
    (
        "how many products in each category",
        "SELECT c.name, COUNT(*) FROM products p "
        "JOIN categories c ON c.id = p.category_id GROUP BY c.id, c.name",
    ),
    (
        "orders per month in 2024",
        "SELECT strftime('%Y-%m', order_date), COUNT(*) FROM orders "
        "WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01' GROUP BY 1",
    ),
    ("how many different countries", "SELECT COUNT(DISTINCT country) FROM customers"),
    (
        "how many customers have never ordered",
        "SELECT COUNT(*) FROM customers c WHERE "
        "NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)",
    ),
    # sums, averages, extremes
    ("total revenue", f"SELECT {REVENUE} FROM order_items oi"),
    (
        "revenue in 2024",
        f"SELECT {REVENUE} FROM {ITEMS} WHERE o.order_date >= '2024-01-01' "
        "AND o.order_date < '2025-01-01'",
    ),
    (
        "revenue by region",
        f"SELECT r.name, {REVENUE} FROM {ITEMS} JOIN customers c "
        "ON c.id = o.customer_id JOIN regions r ON r.id = c.region_id GROUP BY r.id, r.name",
    ),
    (
        "sales per category",
        f"SELECT c.name, {REVENUE} FROM order_items oi JOIN products p "
        "ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id GROUP BY c.id, c.name",
    ),
    (
        "average shipping cost by channel",
        "SELECT channel, AVG(shipping_cost) FROM orders GROUP BY channel",
    ),
    ("total quantity sold", "SELECT SUM(quantity) FROM order_items"),
    ("highest product price", "SELECT MAX(unit_price) FROM products"),
    ("earliest order date", "SELECT MIN(order_date) FROM orders"),
    ("most expensive product", "SELECT name FROM products ORDER BY unit_price DESC LIMIT 1"),
    ("the 2 cheapest products", "SELECT name FROM products ORDER BY unit_price LIMIT 2"),
    # ranking groups
    (
        "top 2 customers by revenue",
        f"SELECT c.name FROM {ITEMS} JOIN customers "
        f"c ON c.id = o.customer_id GROUP BY c.id, c.name ORDER BY {REVENUE} DESC LIMIT 2",
    ),
    (
        "top 2 customers by revenue, with their revenue",
        f"SELECT c.name, {REVENUE} AS r FROM {ITEMS} JOIN customers "
        "c ON c.id = o.customer_id GROUP BY c.id, c.name ORDER BY r DESC LIMIT 2",
    ),
    (
        "which customer placed the most orders",
        "SELECT c.name FROM orders o JOIN customers c ON c.id = o.customer_id "
        "GROUP BY c.id, c.name ORDER BY COUNT(*) DESC LIMIT 1",
    ),
    (
        "best-selling product",
        "SELECT p.name FROM order_items oi JOIN products p ON p.id = oi.product_id "
        "GROUP BY p.id, p.name ORDER BY SUM(oi.quantity) DESC LIMIT 1",
    ),
    # linked rows
    (
        "customers with more than 2 orders",
        "SELECT name FROM customers WHERE id IN "
        "(SELECT customer_id FROM orders GROUP BY customer_id HAVING COUNT(*) > 2)",
    ),
    (
        "customers who ordered in 2025",
        "SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM "
        "orders o WHERE o.customer_id = c.id AND o.order_date >= '2025-01-01')",
    ),
    (
        "products that were never ordered",
        "SELECT name FROM products p WHERE NOT EXISTS "
        "(SELECT 1 FROM order_items oi WHERE oi.product_id = p.id)",
    ),
    # typos
    ("how many custmers in germany", "SELECT COUNT(*) FROM customers WHERE country = 'Germany'"),
    ("totla revenu in 2025", f"SELECT {REVENUE} FROM {ITEMS} WHERE o.order_date >= '2025-01-01'"),
]


@pytest.mark.parametrize(("question", "gold"), CASES, ids=[c[0] for c in CASES])
def test_question_gives_the_gold_rows(shop: Shop, question: str, gold: str) -> None:
    translation = shop.translate(question)
    expected = shop.rows(gold)
    got = shop.rows(translation.query)
    assert results_match(got, expected, ordered=is_ordered(gold)), translation.query


EXACT = [
    ("how many customers", "SELECT COUNT(*) AS count FROM customers"),
    (
        "customers in Germany",
        "SELECT customers.name FROM customers WHERE customers.country = 'Germany'",
    ),
    (
        "average shipping cost per channel",
        "SELECT orders.channel, AVG(orders.shipping_cost) AS "
        "avg_shipping_cost FROM orders GROUP BY orders.channel",
    ),
    (
        "top 3 categories by revenue, with their revenue",
        "SELECT categories.name, SUM(order_items.quantity * "
        "order_items.unit_price * (1 - order_items.discount)) AS revenue FROM order_items JOIN "
        "products ON products.id = order_items.product_id JOIN categories ON categories.id = "
        "products.category_id GROUP BY categories.id, categories.name "
        "ORDER BY revenue DESC LIMIT 3",
    ),
]


@pytest.mark.parametrize(("question", "sql"), EXACT, ids=[c[0] for c in EXACT])
def test_exact_sql(shop: Shop, question: str, sql: str) -> None:
    assert shop.translate(question).query == sql


REFUSED = [
    "what is the month over month revenue growth",
    "average order value",
    "what percentage of orders were cancelled",
    "second most expensive product",
    "customers in Germany or with more than 2 orders",
    "delete all cancelled orders",
    "orders in March",
    "what is the weather like",
    "",
    "top customers by",
    "customers in Springfield",
    "revenue per order per customer per month average",
    "orders not in 2024",
]


@pytest.mark.parametrize("question", REFUSED)
def test_refuses_what_it_cannot_read(shop: Shop, question: str) -> None:
    with pytest.raises(Refusal) as info:
        shop.translate(question)
    reason = info.value.reason
    assert reason.startswith("I could not ")
    assert "LLM translator" in reason
    assert reason.count(".") <= 2 and "\n" not in reason


def test_refuses_after_a_failed_attempt(shop: Shop) -> None:
    from data_assistant.translate.base import Attempt

    request = TranslationRequest(
        "how many customers", "shop", "sqlite", shop.schema, attempts=(Attempt("x", "bad"),)
    )
    with pytest.raises(Refusal):
        shop.translator.translate(request)


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("revenue by region", ["sum of", "order_items.quantity", "grouped by regions"]),
        ("customers in Germany", ["customers.country = 'Germany'"]),
        ("orders in the last 30 days", ["orders.order_date", "today (2025-06-30)"]),
        ("top 2 customers by revenue", ["highest first", "first 2"]),
        ("products that were never ordered", ["that have no orders"]),
    ],
)
def test_every_translation_explains_itself(shop: Shop, question: str, words: list[str]) -> None:
    explanation = shop.translate(question).explanation
    assert explanation and "\n" not in explanation
    for word in words:
        assert word in explanation


def test_is_a_translator_named_offline() -> None:
    translator = OfflineTranslator()
    assert isinstance(translator, Translator)
    assert translator.name == "offline"


def test_indexes_are_built_once_per_snapshot(shop: Shop) -> None:
    translator = OfflineTranslator()
    assert translator.reader(shop.schema) is translator.reader(shop.schema)


def _without_samples(shop: Shop) -> SchemaSnapshot:
    tables = tuple(
        replace(t, columns=tuple(replace(c, samples=()) for c in t.columns))
        for t in shop.schema.tables
    )
    return replace(shop.schema, tables=tables)


def test_values_are_literals_never_formatted_into_sql(shop: Shop) -> None:
    schema = _without_samples(shop)
    request = TranslationRequest(
        "customers named \"O'Brien'; DROP TABLE x --\"", "shop", "sqlite", schema
    )
    sql = OfflineTranslator().translate(request).query
    # one string literal, quotes doubled (compared in any case: the name is not sampled)
    assert "'o''brien''; drop table x --'" in sql
    assert sqlglot.parse_one(sql, read="sqlite").find(sqlglot.exp.Drop) is None
    assert shop.rows(sql) == []


def test_a_name_missing_from_a_complete_sample_list_is_refused(shop: Shop) -> None:
    with pytest.raises(Refusal, match="Springfield"):
        shop.translate("customers named 'Springfield'")
