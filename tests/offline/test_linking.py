"""Schema linking on a schema the translator was not written for (camelCase, synonyms)."""

from __future__ import annotations

import pytest

from data_assistant.errors import Refusal
from data_assistant.evaluation import results_match
from data_assistant.schema.model import Column, ForeignKey, SchemaSnapshot, Table
from data_assistant.translate.offline.joins import JoinGraph
from data_assistant.translate.offline.schema_index import SchemaIndex
from data_assistant.translate.offline.text import singular, split_identifier
from tests.offline.conftest import Shop

CAMEL_CASES = [
    ("how many customers", 'SELECT COUNT(*) FROM "Client"'),
    ("clients in Germany", """SELECT "fullName" FROM "Client" WHERE "homeCountry" = 'Germany'"""),
    (
        "orders in 2024",
        """SELECT * FROM "SalesOrder" WHERE "OrderDate" >= '2024-01-01'
        AND "OrderDate" < '2025-01-01'""",
    ),
    ("open orders", """SELECT * FROM "SalesOrder" WHERE "OrderStatus" = 'Open'"""),
    (
        "number of orders by order status",
        """SELECT "OrderStatus", COUNT(*) FROM "SalesOrder" GROUP BY "OrderStatus" """,
    ),
    (
        "total revenue per customer",
        """SELECT c."fullName", SUM(l."Qty" * l."UnitPrice")
        FROM "SalesOrderLine" l JOIN "SalesOrder" o ON o."SalesOrderId" = l."SalesOrderId"
        JOIN "Client" c ON c."ClientId" = o."ClientId" GROUP BY c."ClientId", c."fullName" """,
    ),
    (
        "total quantity sold in 2025",
        """SELECT SUM(l."Qty") FROM "SalesOrderLine" l JOIN
        "SalesOrder" o ON o."SalesOrderId" = l."SalesOrderId" WHERE o."OrderDate" >= '2025-01-01'
        AND o."OrderDate" < '2026-01-01'""",
    ),
    (
        "clients who signed up in 2024",
        """SELECT "fullName" FROM "Client" WHERE "signupDate" >=
        '2024-01-01' AND "signupDate" < '2025-01-01'""",
    ),
    (
        "customers with more than 1 order",
        """SELECT "fullName" FROM "Client" WHERE "ClientId" IN
        (SELECT "ClientId" FROM "SalesOrder" GROUP BY "ClientId" HAVING COUNT(*) > 1)""",
    ),
    ("average unit price", """SELECT AVG("UnitPrice") FROM "SalesOrderLine" """),
]


@pytest.mark.parametrize(("question", "gold"), CAMEL_CASES, ids=[c[0] for c in CAMEL_CASES])
def test_unseen_camel_case_schema(camel: Shop, question: str, gold: str) -> None:
    translation = camel.translate(question)
    assert results_match(camel.rows(translation.query), camel.rows(gold), ordered=False), (
        translation.query
    )


def test_mixed_case_identifiers_are_quoted(camel: Shop) -> None:
    sql = camel.translate("open orders", dialect="postgres").query
    assert '"SalesOrder"."OrderStatus"' in sql


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("InvoiceLine", ["invoice", "line"]),
        ("UnitPrice", ["unit", "price"]),
        ("unit_price", ["unit", "price"]),
        ("customerID", ["customer", "id"]),
        ("HTTPStatusCode", ["http", "status", "code"]),
        ("Order Details", ["order", "details"]),
        ("address2", ["address", "2"]),
    ],
)
def test_split_identifier(name: str, words: list[str]) -> None:
    assert split_identifier(name) == words


@pytest.mark.parametrize(
    ("plural", "one"),
    [("categories", "category"), ("statuses", "status"), ("boxes", "box"), ("orders", "order"),
     ("address", "address"), ("employees", "employee"), ("people", "person"), ("bus", "bus")],
)  # fmt: skip
def test_singular(plural: str, one: str) -> None:
    assert singular(plural) == one


def _table(name: str, *cols: str, fks: tuple[ForeignKey, ...] = ()) -> Table:
    columns = tuple(Column(c, "INTEGER", primary_key=(i == 0)) for i, c in enumerate(cols))
    return Table(name, columns, foreign_keys=fks)


def test_join_path_is_the_shortest_and_ambiguity_is_detected() -> None:
    schema = SchemaSnapshot(
        "s",
        "sqlite",
        (
            _table("a", "id"),
            _table("b", "id", "a_id", fks=(ForeignKey(("a_id",), "a", ("id",)),)),
            _table("c", "id", "b_id", fks=(ForeignKey(("b_id",), "b", ("id",)),)),
            _table(
                "d",
                "id",
                "a1",
                "a2",
                fks=(ForeignKey(("a1",), "a", ("id",)), ForeignKey(("a2",), "a", ("id",))),
            ),
        ),
    )
    graph = JoinGraph(schema)
    path = graph.path("c", "a")
    assert path is not None and [(e.src, e.dst) for e in path] == [("c", "b"), ("b", "a")]
    assert all(e.to_parent for e in path)
    assert graph.path("d", "a") is None  # two foreign keys: which one is meant?
    assert graph.distance("a", "c") == 2


def test_two_equally_good_columns_are_refused() -> None:
    schema = SchemaSnapshot(
        "s",
        "sqlite",
        (
            Table("staff", (Column("id", "INTEGER", primary_key=True), Column("country", "TEXT"))),
            Table(
                "vendors", (Column("id", "INTEGER", primary_key=True), Column("country", "TEXT"))
            ),
        ),
    )
    from data_assistant.translate.base import TranslationRequest
    from data_assistant.translate.offline import OfflineTranslator

    with pytest.raises(Refusal, match=r"staff\.country or vendors\.country"):
        OfflineTranslator().translate(
            TranslationRequest("list the countries", "s", "sqlite", schema)
        )


def test_labels_and_dates_are_found() -> None:
    index = SchemaIndex(
        SchemaSnapshot(
            "s",
            "sqlite",
            (
                Table(
                    "Employee",
                    (
                        Column("EmployeeId", "INTEGER", primary_key=True),
                        Column("FirstName", "TEXT"),
                        Column("LastName", "TEXT"),
                        Column("HireDate", "DATETIME"),
                        Column("BirthDate", "DATETIME"),
                    ),
                ),
                Table(
                    "Invoice",
                    (
                        Column("InvoiceId", "INTEGER", primary_key=True),
                        Column("InvoiceDate", "DATETIME"),
                        Column("Total", "NUMERIC"),
                    ),
                ),
            ),
        )
    )
    assert index.tables["Employee"].label == ("FirstName", "LastName")
    assert index.tables["Employee"].default_date is None  # two dates, neither named after it
    assert index.tables["Invoice"].default_date == "InvoiceDate"
    assert index.column(index.tables["Invoice"].columns["Total"].ref).kind == "number"
