"""A small multi-tenant database, in full and as only the rows one principal may see.

Row-policy tests run the rewritten query on the full database and the original query on
the filtered copy: whatever the query's shape, both must return the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from data_assistant.guard.count import count_query
from data_assistant.guard.sql_guard import cap_rows, validate_sql

SCHEMA_SQL = [
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, tenant TEXT NOT NULL,"
    " email TEXT, ssn TEXT)",
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, region TEXT NOT NULL, customer_id INTEGER,"
    " amount NUMERIC(10, 2))",
    "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT)",
    # A view over a protected table: the database expands it where no rewrite can reach.
    "CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 25",
]
CUSTOMERS = [
    (1, "Ada", "acme", "ada@acme.test", "111-11-1111"),
    (2, "Bob", "globex", "bob@globex.test", "222-22-2222"),
    (3, "Cy", "acme", "cy@acme.test", "333-33-3333"),
    (4, "Di", "initech", "di@initech.test", "444-44-4444"),
]
ORDERS = [
    (1, "EMEA", 1, 10),
    (2, "APAC", 1, 20),
    (3, "EMEA", 2, 30),
    (4, "AMER", 3, 40),
    (5, "EMEA", 3, 150),
    (6, "APAC", 4, 60),
]
CONTACTS = [(1, "x@contacts.test"), (2, "y@contacts.test")]

CLAIMS = {"region": "EMEA", "tenants": ["acme"], "sub": "alice"}
POLICIES = {"orders": "region = :claims.region", "customers": "tenant IN (:claims.tenants)"}


def visible_orders() -> list[tuple]:
    return [o for o in ORDERS if o[1] == CLAIMS["region"]]


def visible_customers() -> list[tuple]:
    return [c for c in CUSTOMERS if c[2] in CLAIMS["tenants"]]


def load(engine: sa.Engine, *, filtered: bool) -> None:
    """Create the tables and insert every row, or only the visible ones."""
    rows = {
        "customers": visible_customers() if filtered else CUSTOMERS,
        "orders": visible_orders() if filtered else ORDERS,
        "contacts": CONTACTS,
    }
    with engine.begin() as conn:
        for statement in SCHEMA_SQL:
            conn.execute(sa.text(statement))
        for table, values in rows.items():
            names = [c.name for c in sa.Table(table, sa.MetaData(), autoload_with=conn).columns]
            insert = sa.text(
                f"INSERT INTO {table} ({', '.join(names)}) "
                f"VALUES ({', '.join(':' + n for n in names)})"
            )
            conn.execute(insert, [dict(zip(names, row, strict=True)) for row in values])


@dataclass
class Database:
    """One server's pair of databases and its dialect."""

    dialect: str
    schema: str  # the default schema's name: main or public
    full: sa.Engine
    only: sa.Engine

    def run(self, engine: sa.Engine, sql: str, params: Mapping[str, Any] | None = None) -> list:
        with engine.connect() as conn:
            result = conn.execute(sa.text(sql), dict(params or {}))
            return sorted((tuple(row) for row in result), key=repr)

    def columns(self, sql: str, params: Mapping[str, Any] | None = None) -> list[str]:
        with self.full.connect() as conn:
            return list(conn.execute(sa.text(sql), dict(params or {})).keys())

    def dispose(self) -> None:
        self.full.dispose()
        self.only.dispose()


def guarded(
    sql: str, dialect: str, rewrite: Any, *, row_cap: int = 1000
) -> tuple[str, dict[str, Any], str]:
    """The pipeline's steps: guard, rewrite (a callable on the tree), cap, render; and the
    count query over the rewritten tree."""
    tree = validate_sql(sql, dialect=dialect, tables=None)
    rewritten, params = rewrite(tree)
    capped = cap_rows(rewritten, dialect=dialect, row_cap=row_cap)
    return (
        capped.sql(dialect=dialect, comments=False),
        params,
        count_query(rewritten, dialect=dialect),
    )


def sorted_rows(rows: Sequence[Sequence[Any]]) -> list[tuple]:
    return sorted((tuple(r) for r in rows), key=repr)
