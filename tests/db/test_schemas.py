"""Schemas other than the default, views, and names with capitals and spaces, on the servers.

A source's `schema` is introspected (tables, views, materialized views, keys, comments),
its tables are offered schema-qualified, and on PostgreSQL and MySQL/MariaDB the schema
is made the session's default so that a bare name means the table in it, never a table of
the same name elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data_assistant.errors import GuardRejection
from data_assistant.guard.sql_guard import check_sql
from data_assistant.settings import SourceSettings
from data_assistant.sources.sql import SqlSource
from tests.db.helpers import ScriptedTranslator, assistant_for, settings_with
from tests.servers import Server

PG_SETUP = [
    'CREATE SCHEMA "Sales"',
    'CREATE TABLE "Sales"."Customers" (id INTEGER PRIMARY KEY, "Full Name" TEXT NOT NULL)',
    'CREATE TABLE "Sales"."Order Lines" (id INTEGER PRIMARY KEY, '
    '"Customer" INTEGER REFERENCES "Sales"."Customers" (id), '
    '"Product Name" TEXT, "Unit Price" NUMERIC(10, 2) NOT NULL, "Qty" INTEGER NOT NULL)',
    'COMMENT ON TABLE "Sales"."Order Lines" IS \'One row per product on an order\'',
    "INSERT INTO \"Sales\".\"Customers\" VALUES (1, 'Ada Lovelace'), (2, 'Alan Turing')",
    'INSERT INTO "Sales"."Order Lines" VALUES (1, 1, \'Lamp\', 20.50, 2), '
    "(2, 1, 'Desk', 300, 1), (3, 2, 'Lamp', 20.50, 7)",
    'CREATE VIEW "Sales"."Big Lines" AS SELECT * FROM "Sales"."Order Lines" WHERE "Qty" > 5',
    'CREATE MATERIALIZED VIEW "Sales"."Totals" AS '
    'SELECT SUM("Qty") AS qty FROM "Sales"."Order Lines"',
    # Decoys of the same name in the default schema, and a table outside the source.
    'CREATE TABLE public."Order Lines" (id INTEGER, "Qty" INTEGER)',
    'INSERT INTO public."Order Lines" VALUES (1, 1000)',
    "CREATE TABLE public.secrets (token TEXT)",
]


def _run(url: str, statements: list[str]) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def pg_sales(request: pytest.FixtureRequest) -> Iterator[SqlSource]:
    server: Server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    request.addfinalizer(lambda: server.drop_database(url))
    _run(url, PG_SETUP)
    source = SqlSource("sales", SourceSettings(url=url, schema="Sales"))
    yield source
    source.close()


def test_a_postgres_schema_is_introspected_with_its_views_keys_and_comments(pg_sales):
    snapshot = pg_sales.schema()
    assert {t.qualified_name: t.kind for t in snapshot.tables} == {
        "Sales.Big Lines": "view",
        "Sales.Customers": "table",
        "Sales.Order Lines": "table",
        "Sales.Totals": "view",
    }
    lines = snapshot.table("Sales.Order Lines")
    assert lines.comment == "One row per product on an order"
    assert [c.name for c in lines.columns] == [
        "id",
        "Customer",
        "Product Name",
        "Unit Price",
        "Qty",
    ]
    assert lines.column("Unit Price").type == "NUMERIC(10, 2)"
    assert lines.column("Product Name").samples == ("Desk", "Lamp")
    assert lines.column("id").primary_key
    (fk,) = lines.foreign_keys
    assert (fk.columns, fk.ref_table, fk.ref_columns, fk.ref_schema) == (
        ("Customer",),
        "Customers",
        ("id",),
        None,
    )
    assert snapshot.table("Sales.Big Lines").column("Qty") is not None


def test_the_guard_takes_the_schemas_tables_by_their_qualified_names_only(pg_sales):
    tables = pg_sales.table_names()
    # As the catalog spells them: PostgreSQL tells "Sales" from sales.
    assert tables == {"Sales.Order Lines", "Sales.Customers", "Sales.Big Lines", "Sales.Totals"}
    for sql in ('SELECT "Unit Price" FROM "Sales"."Order Lines"', 'SELECT * FROM "Sales"."Totals"'):
        check_sql(sql, dialect="postgres", tables=tables, row_cap=10)
    for sql in (
        'SELECT * FROM public."Order Lines"',  # the decoy of the same name
        'SELECT * FROM "Order Lines"',  # bare: the guard cannot know what it resolves to
        'SELECT * FROM sales."Totals"',  # unquoted, sales is not the schema "Sales"
        "SELECT * FROM secrets",
    ):
        with pytest.raises(GuardRejection, match="not available"):
            check_sql(sql, dialect="postgres", tables=tables, row_cap=10)


def test_a_bare_name_means_the_table_in_the_configured_schema(pg_sales):
    assert pg_sales.default_schema == "Sales"
    result = pg_sales.execute('SELECT SUM("Qty") AS qty FROM "Order Lines"', max_rows=1)
    assert result.rows == [[10]]  # not the decoy's 1000 in public


def test_a_question_over_names_with_capitals_and_spaces_runs_through_the_pipeline(pg_sales):
    settings = settings_with(sales={"url": pg_sales.settings.url, "schema": "Sales"})
    sql = (
        'SELECT c."Full Name", SUM(l."Unit Price" * l."Qty") AS spent '
        'FROM "Sales"."Order Lines" l JOIN "Sales"."Customers" c ON c.id = l."Customer" '
        'GROUP BY c."Full Name" ORDER BY spent DESC'
    )
    translator = ScriptedTranslator(lambda question: sql)
    with assistant_for(settings, translator) as assistant:
        answer = assistant.ask("sales", "who spent the most?")
    assert answer.result.rows == [
        {"Full Name": "Ada Lovelace", "spent": 341},
        {"Full Name": "Alan Turing", "spent": 143.5},
    ]
    request = translator.requests[0]
    assert request.dialect == "postgres"
    assert "Sales.Order Lines" in {t.qualified_name for t in request.schema.tables}


def test_allowed_tables_may_name_tables_with_or_without_their_schema(pg_sales):
    url = pg_sales.settings.url
    source = SqlSource(
        "s",
        SourceSettings(url=url, schema="Sales", allowed_tables=["order lines", "Sales.Customers"]),
    )
    try:
        assert source.schema().table_names() == {"Sales.Order Lines", "Sales.Customers"}
    finally:
        source.close()


# --- MariaDB: a schema is a database ------------------------------------------------------


@pytest.fixture(scope="module")
def maria_sales(request: pytest.FixtureRequest) -> Iterator[SqlSource]:
    server: Server = request.getfixturevalue("mariadb_server")
    home = server.create_database()
    other = server.create_database()
    request.addfinalizer(lambda: server.drop_database(home))
    request.addfinalizer(lambda: server.drop_database(other))
    schema = make_url(other).database
    _run(
        home,
        [
            "CREATE TABLE `Order Lines` (id INTEGER, `Qty` INTEGER)",
            "INSERT INTO `Order Lines` VALUES (1, 1000)",
        ],
    )
    _run(
        other,
        [
            "CREATE TABLE `Order Lines` (id INTEGER PRIMARY KEY, `Product Name` VARCHAR(40), "
            "`Qty` INTEGER NOT NULL) COMMENT 'One row per product'",
            "INSERT INTO `Order Lines` VALUES (1, 'Lamp', 2), (2, 'Desk', 8)",
            "CREATE VIEW `Big Lines` AS SELECT * FROM `Order Lines` WHERE `Qty` > 5",
        ],
    )
    source = SqlSource("sales", SourceSettings(url=home, schema=schema))
    yield source
    source.close()


def test_a_mariadb_schema_is_introspected_and_becomes_the_default(maria_sales):
    schema = maria_sales.settings.db_schema
    snapshot = maria_sales.schema()
    assert {t.qualified_name: t.kind for t in snapshot.tables} == {
        f"{schema}.Big Lines": "view",
        f"{schema}.Order Lines": "table",
    }
    lines = snapshot.table(f"{schema}.Order Lines")
    assert lines.comment == "One row per product"
    assert lines.column("Product Name").samples == ("Desk", "Lamp")
    assert maria_sales.execute("SELECT SUM(`Qty`) FROM `Order Lines`", max_rows=1).rows == [[10]]
    assert maria_sales.execute(f"SELECT COUNT(*) FROM `{schema}`.`Big Lines`", max_rows=1).rows == [
        [1]
    ]


def test_mariadb_names_with_spaces_pass_the_guard_and_run(maria_sales):
    schema = maria_sales.settings.db_schema
    guarded = check_sql(
        f"SELECT `Product Name`, `Qty` FROM `{schema}`.`Order Lines` ORDER BY id",
        dialect=maria_sales.dialect,
        tables=maria_sales.table_names(),
        row_cap=10,
    )
    assert maria_sales.execute(guarded.sql, max_rows=10).rows == [["Lamp", 2], ["Desk", 8]]
