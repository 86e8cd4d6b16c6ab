"""Partitions and inheritance children of a protected table are protected too (PostgreSQL).

A partition (`payments_2024` of `payments`) or an inheritance child (`orders_archive
INHERITS orders`) is a table a query can name: it takes the parent's row and column rules.
A parent whose child has rules of its own, and none itself, is closed: reading it reads the
child's rows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from data_assistant.auth.principal import Principal
from data_assistant.errors import GuardRejection
from data_assistant.pipeline import Assistant
from tests.db.tenants import assistant, rows

SETUP = [
    "CREATE TABLE payments (id INTEGER, tenant TEXT NOT NULL, amount INTEGER, card TEXT, "
    "year INTEGER NOT NULL) PARTITION BY LIST (year)",
    "CREATE TABLE payments_2024 PARTITION OF payments FOR VALUES IN (2024)",
    "CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES IN (2025)",
    "INSERT INTO payments VALUES (1, 't1', 10, '4111', 2024), (2, 't2', 20, '4222', 2024), "
    "(3, 't1', 30, '4333', 2025), (4, 't2', 40, '4444', 2025)",
    "CREATE TABLE orders (id INTEGER, tenant TEXT NOT NULL)",
    "CREATE TABLE orders_archive (archived_on DATE) INHERITS (orders)",
    "INSERT INTO orders VALUES (1, 't1'), (2, 't2')",
    "INSERT INTO orders_archive VALUES (3, 't1', '2020-01-01'), (4, 't2', '2020-01-01')",
    "CREATE TABLE ledger (id INTEGER, tenant TEXT NOT NULL)",
    "CREATE TABLE ledger_2024 () INHERITS (ledger)",
    "INSERT INTO ledger VALUES (1, 't1')",
    "INSERT INTO ledger_2024 VALUES (2, 't1'), (3, 't2')",
]
POLICIES = {
    "tables": {
        "payments": {"rows": "tenant = :claims.tenant", "deny_columns": ["card"]},
        "orders": {"rows": "tenant = :claims.tenant"},
        "ledger_2024": {"rows": "tenant = :claims.tenant"},
    }
}
T1 = Principal(subject="alice", scopes=None, sources=None, claims={"tenant": "t1"})


@pytest.fixture(scope="module")
def helper(request: pytest.FixtureRequest) -> Iterator[Assistant]:
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    request.addfinalizer(lambda: server.drop_database(url))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in SETUP:
            conn.execute(sa.text(statement))
    engine.dispose()
    with assistant(url, policies=POLICIES) as found:
        yield found


def _ids(helper: Assistant, sql: str) -> list[int]:
    return [row["id"] for row in rows(helper, sql, T1)]


def test_introspection_knows_partitions_and_inheritance_children(helper: Assistant) -> None:
    snapshot = helper.sources.get("notes").schema()
    assert snapshot.table("payments_2024").parents == ("payments",)
    assert snapshot.table("orders_archive").parents == ("orders",)
    assert snapshot.table("payments").parents == ()


@pytest.mark.parametrize(
    ("sql", "ids"),
    [
        ("SELECT id FROM payments_2024 ORDER BY id", [1]),
        ("SELECT id FROM payments_2025 ORDER BY id", [3]),
        ("SELECT id FROM payments ORDER BY id", [1, 3]),
        ("SELECT id FROM public.payments_2024 ORDER BY id", [1]),
        ('SELECT id FROM "payments_2025" p ORDER BY id', [3]),
        ("SELECT id FROM orders_archive ORDER BY id", [3]),
        ("SELECT id FROM orders ORDER BY id", [1, 3]),
        ("SELECT id FROM ledger_2024 ORDER BY id", [2]),
    ],
)
def test_a_child_of_a_filtered_table_is_filtered_too(helper: Assistant, sql, ids) -> None:
    assert _ids(helper, sql) == ids


def test_a_child_takes_the_parents_column_rules(helper: Assistant) -> None:
    with pytest.raises(GuardRejection, match="Column 'card'"):
        rows(helper, "SELECT card FROM payments_2024", T1)
    row = rows(helper, "SELECT * FROM payments_2025", T1)[0]
    assert "card" not in row and row["amount"] == 30


def test_the_parent_of_a_filtered_child_is_closed(helper: Assistant) -> None:
    with pytest.raises(GuardRejection, match="Table 'ledger' is not available"):
        rows(helper, "SELECT id FROM ledger", T1)
    assert "ledger" not in {t.name for t in helper.schema_for("notes", T1).tables}
