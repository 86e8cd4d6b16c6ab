"""The demo sales data loaded into each engine: the same rows, with types and keys."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Boolean, Date, Integer, Numeric, create_engine, inspect

from data_assistant.sample_data.load import DEMO_TABLES, load_demo_into
from tests.db.conftest import demo_url_for

LOADED = ("postgres", "mariadb", "duckdb")


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        counts = {
            name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in DEMO_TABLES.tables
        }
    conn.close()
    return counts


@pytest.mark.parametrize("engine", LOADED)
def test_the_demo_data_has_its_types_and_keys_on_every_engine(request, engine: str):
    url = demo_url_for(request, engine)
    db = create_engine(url)
    try:
        if engine == "duckdb":
            # duckdb-engine's reflection does not work with SQLAlchemy 2.1: the source's
            # own catalog reader is what the project uses.
            from data_assistant.settings import SourceSettings
            from data_assistant.sources.sql import SqlSource

            db.dispose()
            source = SqlSource("demo", SourceSettings(url=url))
            try:
                items = source.schema().table("order_items")
                assert items.column("id").primary_key
                assert items.column("unit_price").type == "DECIMAL(10,2)"
                refs = {(fk.columns, fk.ref_table) for fk in items.foreign_keys}
                assert refs == {(("order_id",), "orders"), (("product_id",), "products")}
            finally:
                source.close()
            return
        found = inspect(db)
        assert set(found.get_table_names()) == set(DEMO_TABLES.tables)
        for table in DEMO_TABLES.sorted_tables:
            assert found.get_pk_constraint(table.name)["constrained_columns"] == ["id"]
            expected = {
                (tuple(fk.parent.name for fk in c.elements), c.referred_table.name)
                for c in table.foreign_key_constraints
            }
            got = {
                (tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in found.get_foreign_keys(table.name)
            }
            assert got == expected, table.name
        columns = {c["name"]: c["type"] for c in found.get_columns("products")}
        assert isinstance(columns["unit_price"], Numeric) and columns["unit_price"].scale == 2
        assert isinstance(columns["launched_at"], Date)
        # MariaDB's BOOLEAN is TINYINT(1).
        assert isinstance(columns["is_discontinued"], (Boolean, Integer))
    finally:
        db.dispose()


@pytest.mark.parametrize("engine", LOADED)
def test_every_engine_holds_the_rows_of_the_generated_file(request, engine, demo_sqlite_path):
    url = demo_url_for(request, engine)
    expected = sqlite_counts(demo_sqlite_path)
    from data_assistant.settings import SourceSettings
    from data_assistant.sources.sql import SqlSource

    source = SqlSource("demo", SourceSettings(url=url))
    try:
        for name, count in expected.items():
            assert source.execute(f"SELECT COUNT(*) FROM {name}", max_rows=1).rows == [[count]]
        # Spot-check values that types could change: a price, a date, a NULL, a boolean.
        row = source.execute(
            "SELECT unit_price, launched_at, is_discontinued FROM products WHERE id = 1",
            max_rows=1,
        ).rows[0]
    finally:
        source.close()
    with sqlite3.connect(demo_sqlite_path) as conn:
        want = conn.execute(
            "SELECT unit_price, launched_at, is_discontinued FROM products WHERE id = 1"
        ).fetchone()
    conn.close()
    assert row[0] == pytest.approx(want[0])
    assert row[1] == want[1]
    assert int(row[2]) == want[2]


def test_loading_twice_needs_replace(tmp_path: Path, demo_sqlite_path: Path):
    url = f"duckdb:///{tmp_path / 'demo.duckdb'}"
    counts = load_demo_into(url, generated=demo_sqlite_path)
    assert counts == sqlite_counts(demo_sqlite_path)
    with pytest.raises(ValueError, match="replace=True"):
        load_demo_into(url, generated=demo_sqlite_path)
    assert load_demo_into(url, generated=demo_sqlite_path, replace=True) == counts


def test_a_sqlite_file_is_the_generated_file(tmp_path: Path):
    counts = load_demo_into(str(tmp_path / "demo.db"), seed=7)
    assert counts["orders"] > 20_000 and counts["regions"] == 5


def test_an_unsupported_engine_is_refused():
    with pytest.raises(ValueError, match="mssql"):
        load_demo_into("mssql://u:p@h/db")
