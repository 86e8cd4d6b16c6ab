"""The demo sales database: deterministic, consistent and realistically skewed."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import data_assistant.sample_data as sample_data
from data_assistant.sample_data import (
    CATEGORY_NAMES,
    CHANNELS,
    COUNTRY_NAMES,
    DEMO_SEED,
    REGION_NAMES,
    SEGMENTS,
    STATUSES,
    ensure_demo_db,
    generate_sales_db,
)

TABLES = ("regions", "customers", "categories", "products", "orders", "order_items")

# Each query counts the rows that break a rule; all must count zero.
VIOLATIONS = {
    "order items without order or product": """
        SELECT count(*) FROM order_items oi
        LEFT JOIN orders o ON o.id = oi.order_id
        LEFT JOIN products p ON p.id = oi.product_id
        WHERE o.id IS NULL OR p.id IS NULL
    """,
    "orders without customer": """
        SELECT count(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id
        WHERE c.id IS NULL
    """,
    "orders without items": """
        SELECT count(*) FROM orders WHERE id NOT IN (SELECT order_id FROM order_items)
    """,
    "customers or products with unknown region or category": """
        SELECT (SELECT count(*) FROM customers WHERE region_id NOT IN (SELECT id FROM regions))
             + (SELECT count(*) FROM products WHERE category_id NOT IN (SELECT id FROM categories))
    """,
    "country in more than one region": """
        SELECT count(*) FROM (
            SELECT country FROM customers GROUP BY country HAVING count(DISTINCT region_id) > 1
        )
    """,
    "order dates out of range": """
        SELECT count(*) FROM orders
        WHERE order_date < '2023-01-01' OR order_date > '2025-12-31'
            OR date(order_date) IS NOT order_date
    """,
    "shipped before ordered or in the future": """
        SELECT count(*) FROM orders
        WHERE shipped_date < order_date OR shipped_date > '2025-12-31'
            OR date(shipped_date) IS NOT shipped_date
    """,
    "shipped date set unless pending or cancelled": """
        SELECT count(*) FROM orders
        WHERE (shipped_date IS NULL) != (status IN ('pending', 'cancelled'))
    """,
    "ordered before the customer signed up": """
        SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id
        WHERE o.order_date < c.created_at
    """,
    "sold before launch": """
        SELECT count(*) FROM order_items oi
        JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id
        WHERE o.order_date < p.launched_at
    """,
    "bad order lines": """
        SELECT count(*) FROM order_items
        WHERE discount < 0 OR discount > 0.3 OR quantity < 1 OR unit_price <= 0
            OR round(unit_price, 2) != unit_price
    """,
    "bad product prices": """
        SELECT count(*) FROM products
        WHERE cost <= 0 OR cost >= unit_price
            OR round(unit_price, 2) != unit_price OR round(cost, 2) != cost
    """,
    "bad shipping costs": """
        SELECT count(*) FROM orders
        WHERE shipping_cost < 0 OR round(shipping_cost, 2) != shipping_cost
    """,
}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_demo_db(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def db(db_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    yield conn
    conn.close()


def one(db: sqlite3.Connection, sql: str) -> object:
    return db.execute(sql).fetchone()[0]


def column(db: sqlite3.Connection, sql: str) -> list:
    return [row[0] for row in db.execute(sql)]


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    conn = sqlite3.connect(path)
    try:
        for table in TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def test_exports_match_all() -> None:
    public = {name for name in dir(sample_data) if not name.startswith("_")}
    assert set(sample_data.__all__) == public - {"sales", "tickets", "load"}


def test_same_seed_gives_identical_rows(db_path: Path, tmp_path: Path) -> None:
    again = generate_sales_db(tmp_path / "again.db", seed=DEMO_SEED)
    assert checksum(again) == checksum(db_path)


def test_build_leaves_a_plain_read_only_file(db_path: Path, db: sqlite3.Connection) -> None:
    assert one(db, "PRAGMA journal_mode") == "delete"
    assert one(db, "SELECT count(*) FROM sqlite_stat1") > 0  # ANALYZE ran
    assert [p.name for p in db_path.parent.iterdir()] == ["sales.db"]  # no temp file left
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("DELETE FROM regions")


def test_ensure_demo_db_keeps_an_existing_file(db_path: Path) -> None:
    before = db_path.stat().st_mtime_ns
    assert ensure_demo_db(db_path.parent) == db_path
    assert db_path.stat().st_mtime_ns == before


def test_schema_has_the_agreed_columns(db: sqlite3.Connection) -> None:
    columns = {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in TABLES}
    assert columns == {
        "regions": ["id", "name"],
        "customers": ["id", "name", "email", "country", "city", "region_id", "segment",
                      "created_at"],
        "categories": ["id", "name", "description"],
        "products": ["id", "name", "category_id", "unit_price", "cost", "is_discontinued",
                     "launched_at"],
        "orders": ["id", "customer_id", "order_date", "status", "shipped_date", "shipping_cost",
                   "channel"],
        "order_items": ["id", "order_id", "product_id", "quantity", "unit_price", "discount"],
    }  # fmt: skip
    indexes = column(db, "SELECT sql FROM sqlite_master WHERE type = 'index'")
    assert len(indexes) == 6
    assert any("orders(order_date)" in sql for sql in indexes)


@pytest.mark.parametrize(
    ("table", "low", "high"),
    [
        ("regions", 5, 5),
        ("customers", 2_000, 2_000),
        ("categories", 8, 8),
        ("products", 150, 150),
        ("orders", 25_000, 35_000),
        ("order_items", 50_000, 80_000),
    ],
)
def test_row_counts(db: sqlite3.Connection, table: str, low: int, high: int) -> None:
    assert low <= one(db, f"SELECT count(*) FROM {table}") <= high


def test_foreign_keys_hold(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("rule", VIOLATIONS)
def test_no_violations(db: sqlite3.Connection, rule: str) -> None:
    assert one(db, VIOLATIONS[rule]) == 0


def test_value_lists(db: sqlite3.Connection) -> None:
    assert column(db, "SELECT name FROM regions ORDER BY id") == list(REGION_NAMES)
    assert column(db, "SELECT name FROM categories ORDER BY id") == list(CATEGORY_NAMES)
    assert set(column(db, "SELECT DISTINCT status FROM orders")) == set(STATUSES)
    assert set(column(db, "SELECT DISTINCT channel FROM orders")) == set(CHANNELS)
    assert set(column(db, "SELECT DISTINCT segment FROM customers")) == set(SEGMENTS)
    assert set(column(db, "SELECT DISTINCT country FROM customers")) == set(COUNTRY_NAMES)
    assert 20 <= len(COUNTRY_NAMES) <= 30
    assert one(db, "SELECT count(DISTINCT name) FROM products") == 150


def test_recent_orders_are_still_open(db: sqlite3.Connection) -> None:
    open_share = "SELECT avg(status IN ('pending', 'shipped')) FROM orders WHERE order_date "
    assert one(db, open_share + ">= '2025-12-18'") > 0.3
    assert one(db, open_share + "< '2025-06-01'") == 0
    delivered = "SELECT avg(status = 'delivered') FROM orders WHERE order_date < '2025-01-01'"
    assert one(db, delivered) > 0.85


def test_customer_activity_is_skewed(db: sqlite3.Connection) -> None:
    counts = column(db, "SELECT count(*) FROM orders GROUP BY customer_id ORDER BY 1 DESC")
    top_tenth = counts[: one(db, "SELECT count(*) FROM customers") // 10]
    assert sum(top_tenth) > 0.3 * sum(counts)


def test_product_popularity_is_skewed(db: sqlite3.Connection) -> None:
    units = column(db, "SELECT sum(quantity) FROM order_items GROUP BY product_id ORDER BY 1 DESC")
    assert units[0] > 5 * units[len(units) // 2]


def test_most_orders_have_one_to_four_lines(db: sqlite3.Connection) -> None:
    lines = "SELECT count(*) AS n FROM order_items GROUP BY order_id"
    assert one(db, f"SELECT avg(n BETWEEN 1 AND 4) FROM ({lines})") > 0.85


def test_q4_months_are_busier_than_q1_months(db: sqlite3.Connection) -> None:
    per_month = dict(
        db.execute(
            "SELECT CAST(strftime('%m', order_date) AS INTEGER), count(*) FROM orders GROUP BY 1"
        )
    )
    q1 = sum(per_month[m] for m in (1, 2, 3)) / 3
    q4 = sum(per_month[m] for m in (10, 11, 12)) / 3
    assert q4 > 1.3 * q1


def test_every_year_has_orders_and_later_years_more(db: sqlite3.Connection) -> None:
    per_year = db.execute(
        "SELECT strftime('%Y', order_date), count(*) FROM orders GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [year for year, _ in per_year] == ["2023", "2024", "2025"]
    counts = [n for _, n in per_year]
    assert counts[0] < counts[1] < counts[2]
