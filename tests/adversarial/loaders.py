"""Create the shop twins on each engine: tables, views, children, functions, comments."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tests.adversarial.shop import PRODUCTS, Twin

Execute = Callable[[str, Sequence[Any] | None], None]


def common_ddl(
    twin: Twin, *, text: str = "VARCHAR(200)", money: str = "DECIMAL(12,2)"
) -> list[str]:
    """Tables and views every engine has, in SQL all four accept."""
    hidden = twin.hidden_column
    return [
        f"CREATE TABLE customers (id INTEGER PRIMARY KEY, name {text}, tenant {text}, "
        f"tier {text}, email {text}, ssn {text}, {hidden} {text})",
        f"CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, tenant {text}, "
        f"amount {money}, status {text}, note {text})",
        f"CREATE TABLE products (id INTEGER PRIMARY KEY, name {text}, price {money})",
        f"CREATE TABLE secrets (id INTEGER PRIMARY KEY, token {text}, "
        f"CHECK (token <> '{twin.check_value}'))",
        f"CREATE TABLE {twin.hidden_table} (id INTEGER PRIMARY KEY, v {text})",
        "CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 100",
        "CREATE VIEW product_list AS SELECT id, name FROM products",
        "CREATE VIEW customer_emails AS SELECT id, name, email, ssn FROM customers",
    ]


def insert_rows(execute: Execute, twin: Twin, placeholder: str) -> None:
    """Insert the twin's rows with bound parameters (`?` or `%s`)."""

    def insert(table: str, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            marks = ", ".join([placeholder] * len(row))
            execute(f"INSERT INTO {table} VALUES ({marks})", row)

    insert("customers", twin.customers)
    insert("orders", twin.orders)
    insert("products", PRODUCTS)
    insert("secrets", twin.secrets)
    insert(twin.hidden_table, twin.hidden_table_rows)


def payments_rows(twin: Twin) -> list[tuple[Any, ...]]:
    return twin.payments


def postgres_extras(twin: Twin, database: str) -> list[str]:
    """PostgreSQL: partitions, inheritance, a materialized view, a vault schema, functions,
    a sequence, comments and a custom setting."""
    return [
        "CREATE TABLE payments (id INTEGER, tenant VARCHAR(200), amount DECIMAL(12,2), "
        "paid_on DATE, memo VARCHAR(200)) PARTITION BY RANGE (paid_on)",
        "CREATE TABLE payments_2024 PARTITION OF payments "
        "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        "CREATE TABLE payments_2025 PARTITION OF payments "
        "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "CREATE TABLE orders_archive (archived_on DATE) INHERITS (orders)",
        "CREATE MATERIALIZED VIEW order_summary AS "
        "SELECT tenant, count(*) AS n, sum(amount) AS total FROM orders GROUP BY tenant",
        "CREATE SCHEMA vault",
        "CREATE TABLE vault.customers (id INTEGER PRIMARY KEY, name VARCHAR(200), "
        "tenant VARCHAR(200), tier VARCHAR(200))",
        "CREATE SEQUENCE order_seq",
        "CREATE FUNCTION order_note(i INTEGER) RETURNS TEXT LANGUAGE sql STABLE "
        "SECURITY DEFINER AS $$ SELECT note FROM orders WHERE id = i $$",
        "CREATE FUNCTION secret_token() RETURNS TEXT LANGUAGE sql STABLE "
        "AS $$ SELECT token FROM secrets ORDER BY id LIMIT 1 $$",
        "CREATE FUNCTION purge_orders(n INTEGER) RETURNS INTEGER LANGUAGE plpgsql "
        "SECURITY DEFINER AS $$ BEGIN DELETE FROM orders WHERE id > n; RETURN 1; END $$",
        "CREATE FUNCTION all_customers() RETURNS SETOF customers LANGUAGE sql STABLE "
        "AS $$ SELECT * FROM customers $$",
        f"COMMENT ON TABLE secrets IS '{twin.comment}'",
        f"COMMENT ON COLUMN customers.ssn IS '{twin.comment}'",
        f"ALTER DATABASE {database} SET app.marker = '{twin.comment}'",
    ]


def mariadb_extras(twin: Twin) -> list[str]:
    """MariaDB: a partitioned table, stored functions, a sequence, comments."""
    return [
        "CREATE TABLE payments (id INTEGER, tenant VARCHAR(200), amount DECIMAL(12,2), "
        "paid_on DATE, memo VARCHAR(200)) PARTITION BY RANGE (YEAR(paid_on)) "
        "(PARTITION p2024 VALUES LESS THAN (2025), PARTITION p2025 VALUES LESS THAN (2026))",
        "CREATE SEQUENCE order_seq",
        "CREATE FUNCTION order_note(i INTEGER) RETURNS TEXT READS SQL DATA SQL SECURITY DEFINER "
        "RETURN (SELECT note FROM orders WHERE id = i)",
        "CREATE FUNCTION secret_token() RETURNS TEXT READS SQL DATA "
        "RETURN (SELECT token FROM secrets ORDER BY id LIMIT 1)",
        "CREATE FUNCTION purge_orders(n INTEGER) RETURNS INTEGER MODIFIES SQL DATA "
        "BEGIN DELETE FROM orders WHERE id > n; RETURN 1; END",
        f"ALTER TABLE secrets COMMENT = '{twin.comment}'",
        f"ALTER TABLE customers MODIFY ssn VARCHAR(200) COMMENT '{twin.comment}'",
    ]


def duckdb_extras(twin: Twin) -> list[str]:
    """DuckDB: a vault schema, macros, a sequence, comments."""
    return [
        "CREATE TABLE payments (id INTEGER, tenant VARCHAR, amount DECIMAL(12,2), "
        "paid_on DATE, memo VARCHAR)",
        "CREATE SCHEMA vault",
        "CREATE TABLE vault.customers (id INTEGER PRIMARY KEY, name VARCHAR, tenant VARCHAR, "
        "tier VARCHAR)",
        "CREATE SEQUENCE order_seq",
        "CREATE MACRO order_note(i) AS (SELECT note FROM orders WHERE id = i)",
        "CREATE MACRO secret_token() AS (SELECT token FROM secrets ORDER BY id LIMIT 1)",
        "CREATE MACRO all_secrets() AS TABLE SELECT * FROM secrets",
        f"COMMENT ON TABLE secrets IS '{twin.comment}'",
        f"COMMENT ON COLUMN customers.ssn IS '{twin.comment}'",
    ]


def sqlite_extras(twin: Twin) -> list[str]:
    """SQLite: a plain payments table, a trigger whose text holds a marker, statistics."""
    return [
        "CREATE TABLE payments (id INTEGER, tenant TEXT, amount NUMERIC, paid_on TEXT, memo TEXT)",
        "CREATE TABLE audit_trail (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT)",
        f"CREATE TRIGGER secrets_guard BEFORE DELETE ON secrets BEGIN "
        f"SELECT RAISE(ABORT, '{twin.comment}'); END",
    ]
