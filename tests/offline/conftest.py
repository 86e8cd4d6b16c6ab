"""Fixtures: a small shop in SQLite, an unseen camelCase schema, and a fixed 'today'."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date

import pytest

from data_assistant.evaluation.sqlite_target import snapshot
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.translate.base import Translation, TranslationRequest
from data_assistant.translate.offline import OfflineTranslator

TODAY = date(2025, 6, 30)

SHOP_SQL = """
CREATE TABLE regions (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, country TEXT NOT NULL, city TEXT,
    region_id INTEGER NOT NULL REFERENCES regions(id), segment TEXT NOT NULL,
    created_at DATE NOT NULL
);
CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT);
CREATE TABLE products (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    unit_price NUMERIC NOT NULL, cost NUMERIC NOT NULL,
    is_discontinued INTEGER NOT NULL DEFAULT 0, launched_at DATE
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
    order_date DATE NOT NULL, status TEXT NOT NULL, shipped_date DATE,
    shipping_cost NUMERIC NOT NULL, channel TEXT NOT NULL
);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    quantity INTEGER NOT NULL, unit_price NUMERIC NOT NULL, discount REAL NOT NULL DEFAULT 0
);
INSERT INTO regions VALUES (1, 'Europe'), (2, 'North America'), (3, 'Asia Pacific');
INSERT INTO customers VALUES
  (1, 'Ada Lovelace', 'ada@example.com', 'UK', 'London', 1, 'Consumer', '2023-02-01'),
  (2, 'Brandt GmbH', 'info@brandt.de', 'Germany', 'Berlin', 1, 'Corporate', '2023-05-10'),
  (3, 'Chen Wei', NULL, 'Japan', 'Tokyo', 3, 'Consumer', '2024-01-15'),
  (4, 'Delta Corp', 'sales@delta.com', 'USA', 'Boston', 2, 'Corporate', '2024-03-20'),
  (5, 'Emil Berg', 'emil@berg.se', 'Sweden', 'Stockholm', 1, 'Small Business', '2024-11-02'),
  (6, 'Fiona Hart', NULL, 'USA', 'Seattle', 2, 'Consumer', '2025-04-12');
INSERT INTO categories VALUES (1, 'Laptops', 'Portable computers'), (2, 'Audio', 'Sound'),
  (3, 'Phones', 'Mobile phones');
INSERT INTO products VALUES
  (1, 'AirBook 13', 1, 999.0, 700.0, 0, '2023-01-10'),
  (2, 'ProBook 16', 1, 1899.0, 1400.0, 0, '2024-02-01'),
  (3, 'Buds', 2, 49.0, 20.0, 0, '2023-06-01'),
  (4, 'Boom Speaker', 2, 129.0, 60.0, 1, '2022-09-15'),
  (5, 'Phone X', 3, 799.0, 500.0, 0, '2024-09-01');
INSERT INTO orders VALUES
  (1, 1, '2024-01-05', 'delivered', '2024-01-07', 10.0, 'web'),
  (2, 2, '2024-02-11', 'delivered', '2024-02-13', 0.0, 'store'),
  (3, 2, '2024-03-03', 'returned', '2024-03-05', 15.0, 'web'),
  (4, 3, '2024-07-19', 'cancelled', NULL, 12.0, 'web'),
  (5, 4, '2024-12-24', 'delivered', '2024-12-27', 25.0, 'partner'),
  (6, 1, '2025-01-15', 'delivered', '2025-01-18', 10.0, 'web'),
  (7, 4, '2025-03-02', 'shipped', '2025-03-04', 30.0, 'partner'),
  (8, 5, '2025-06-10', 'pending', NULL, 8.0, 'web'),
  (9, 2, '2025-06-20', 'pending', NULL, 0.0, 'store');
INSERT INTO order_items VALUES
  (1, 1, 1, 1, 999.0, 0.0), (2, 1, 3, 2, 49.0, 0.0),
  (3, 2, 2, 3, 1850.0, 0.1), (4, 3, 3, 5, 45.0, 0.0),
  (5, 4, 5, 1, 799.0, 0.0), (6, 5, 2, 10, 1800.0, 0.15),
  (7, 5, 3, 10, 45.0, 0.0), (8, 6, 5, 2, 799.0, 0.05),
  (9, 7, 1, 4, 950.0, 0.1), (10, 8, 3, 1, 49.0, 0.0),
  (11, 9, 5, 3, 780.0, 0.0), (12, 9, 1, 1, 999.0, 0.0);
"""

# An unseen schema: PascalCase and camelCase names, synonyms (client, qty), no samples
# in some text columns.
CAMEL_SQL = """
CREATE TABLE "Client" (
    "ClientId" INTEGER PRIMARY KEY, "fullName" TEXT, "homeCountry" TEXT, "signupDate" DATE
);
CREATE TABLE "SalesOrder" (
    "SalesOrderId" INTEGER PRIMARY KEY, "ClientId" INTEGER REFERENCES "Client"("ClientId"),
    "OrderDate" DATE, "OrderStatus" TEXT
);
CREATE TABLE "SalesOrderLine" (
    "LineId" INTEGER PRIMARY KEY,
    "SalesOrderId" INTEGER REFERENCES "SalesOrder"("SalesOrderId"),
    "Sku" TEXT, "Qty" INTEGER, "UnitPrice" REAL
);
INSERT INTO "Client" VALUES (1, 'Ann Ames', 'Germany', '2024-01-01'),
  (2, 'Bo Berg', 'Sweden', '2024-06-01'), (3, 'Cy Cole', 'Germany', '2025-02-01');
INSERT INTO "SalesOrder" VALUES (10, 1, '2024-02-01', 'Open'), (11, 1, '2024-03-01', 'Closed'),
  (12, 2, '2025-01-10', 'Closed'), (13, 3, '2025-03-03', 'Open');
INSERT INTO "SalesOrderLine" VALUES (100, 10, 'A-1', 2, 10.0), (101, 10, 'B-2', 1, 5.5),
  (102, 11, 'A-1', 3, 10.0), (103, 12, 'C-3', 7, 2.0), (104, 13, 'A-1', 1, 11.0);
"""


class Shop:
    """A database, its snapshot, and helpers to translate and run questions."""

    def __init__(self, sql: str) -> None:
        self.conn = sqlite3.connect(":memory:")
        self.conn.executescript(sql)
        self.schema: SchemaSnapshot = snapshot(self.conn, "shop")
        self.translator = OfflineTranslator(today=TODAY)

    def translate(self, question: str, dialect: str = "sqlite") -> Translation:
        return self.translator.translate(TranslationRequest(question, "shop", dialect, self.schema))

    def rows(self, sql: str) -> list[tuple]:
        return [tuple(r) for r in self.conn.execute(sql).fetchall()]

    def answer(self, question: str) -> list[tuple]:
        return self.rows(self.translate(question).query)


@pytest.fixture(scope="session")
def shop() -> Iterator[Shop]:
    db = Shop(SHOP_SQL)
    yield db
    db.conn.close()


@pytest.fixture(scope="session")
def camel() -> Iterator[Shop]:
    db = Shop(CAMEL_SQL)
    yield db
    db.conn.close()


@pytest.fixture
def same_rows() -> Callable[[list[tuple], list[tuple]], bool]:
    from data_assistant.evaluation import results_match

    return lambda a, b: results_match(a, b, ordered=False)
