"""Introspection, caching and the schema context given to translators."""

from __future__ import annotations

import sqlite3

from data_assistant.schema.context import rank_tables, render_context
from data_assistant.settings import SourceSettings
from data_assistant.sources.sql import SqlSource


def source_for(path, **options) -> SqlSource:
    return SqlSource("shop", SourceSettings(url=f"sqlite:///{path}", **options))


def test_introspection_reads_tables_views_keys_and_low_cardinality_values(shop_db):
    snapshot = source_for(shop_db).schema()
    orders = snapshot.table("orders")
    assert orders is not None and orders.kind == "table"
    assert [c.name for c in orders.columns] == [
        "id",
        "customer_id",
        "total",
        "status",
        "ordered_at",
    ]
    assert orders.column("id").primary_key
    assert orders.foreign_keys[0].ref_table == "customers"
    assert orders.column("status").samples == ("cancelled", "pending", "shipped")
    assert snapshot.table("big_orders").kind == "view"
    assert snapshot.table("regions").column("name").nullable is False


def test_high_cardinality_columns_have_no_samples(tmp_path):
    path = tmp_path / "many.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (code TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [(f"c{i}",) for i in range(21)])
    assert source_for(path).schema().table("t").column("code").samples == ()


def test_an_untyped_sqlite_column_holding_text_has_samples(tmp_path):
    # Sakila's film.rating is declared without a type: `films rated PG-13` needs its values.
    path = tmp_path / "untyped.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE film (id INTEGER PRIMARY KEY, rating, score)")
        conn.executemany("INSERT INTO film VALUES (?, ?, ?)", [(1, "PG-13", 1), (2, "G", 2)])
    film = source_for(path).schema().table("film")
    assert film.column("rating").samples == ("G", "PG-13")
    assert film.column("score").samples == ()  # numbers are not text values


def test_a_sqlite_bool_column_holding_letters_has_samples(tmp_path):
    # school_bus.If_full_time is declared bool and holds 'T' / 'F': a question says `full time`
    path = tmp_path / "bools.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE bus (id INTEGER PRIMARY KEY, full_time bool, spare bool)")
        conn.executemany("INSERT INTO bus VALUES (?, ?, ?)", [(1, "T", 1), (2, "F", 0)])
    bus = source_for(path).schema().table("bus")
    assert bus.column("full_time").samples == ("F", "T")
    assert bus.column("spare").samples == ()


def test_introspection_tells_whether_text_dates_are_iso_dates(tmp_path):
    # SQLite keeps any text in a DATETIME column: `1978-2-23` does not sort by date.
    path = tmp_path / "dates.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE emp (id INTEGER PRIMARY KEY, dob DATETIME, hired TEXT,"
                     " seen TEXT, note TEXT)")  # fmt: skip
        rows = [(i, f"1978-2-{i}", f"2001-01-{i:02d}", f"September {i}, 2001", None)
                for i in range(1, 25)]  # fmt: skip
        conn.executemany("INSERT INTO emp VALUES (?, ?, ?, ?, ?)", rows)
    emp = source_for(path).schema().table("emp")
    assert emp.column("dob").iso_dates is False
    assert emp.column("hired").iso_dates is True
    assert emp.column("seen").iso_dates is False
    assert emp.column("note").iso_dates is None  # nothing read
    assert emp.column("dob").samples == ()  # a date column's values are not samples


def test_denied_and_unlisted_tables_are_left_out(shop_db):
    source = source_for(
        shop_db, allowed_tables=["orders", "customers", "secrets"], denied_tables=["SECRETS"]
    )
    assert source.schema().table_names() == {"orders", "customers"}


def test_the_schema_is_cached_until_refreshed(shop_db):
    source = source_for(shop_db)
    first = source.schema()
    with sqlite3.connect(shop_db) as conn:
        conn.execute("CREATE TABLE added (id INTEGER)")
    assert source.schema() is first
    assert "added" in source.schema(refresh=True).table_names()


def test_tables_named_in_the_question_rank_first(shop_db):
    snapshot = source_for(shop_db).schema()
    assert rank_tables(snapshot, "which regions are there")[0].name == "regions"
    assert rank_tables(snapshot, "customers in Germany")[0].name == "customers"


def test_the_context_stays_within_its_token_budget(shop_db):
    snapshot = source_for(shop_db).schema()
    full = render_context(snapshot, "orders", token_budget=10_000)
    small = render_context(snapshot, "orders", token_budget=60)
    assert "CREATE TABLE orders" in small
    assert len(small) < len(full)
    assert "left out for space" in small
