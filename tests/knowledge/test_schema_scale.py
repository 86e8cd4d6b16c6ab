"""Schemas at scale: 2,000 tables introspected with progress, kept on disk, and read again
only where a table changed (SQLite here; PostgreSQL and MariaDB catalog digests too)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from data_assistant.schema.disk_cache import SchemaDiskCache, SchemaRead
from data_assistant.schema.progress import reporting
from data_assistant.schema.signatures import table_signatures
from data_assistant.settings import load_settings
from data_assistant.sources.registry import SourceRegistry
from tests.servers import fresh_database, mariadb_server, postgres_server

TABLES = 2000
# Fixtures of the real servers, used by name below.
__all__ = ["mariadb_server", "postgres_server"]


@pytest.fixture(scope="module")
def wide_db(tmp_path_factory) -> Path:
    """A SQLite database of 2,000 small tables, each keyed to the one before."""
    path = tmp_path_factory.mktemp("wide") / "wide.db"
    statements = ["CREATE TABLE t0000 (id INTEGER PRIMARY KEY, name TEXT)"]
    for i in range(1, TABLES):
        statements.append(
            f"CREATE TABLE t{i:04d} (id INTEGER PRIMARY KEY, name TEXT, "
            f"amount NUMERIC, parent_id INTEGER REFERENCES t{i - 1:04d}(id))"
        )
    with sqlite3.connect(path) as conn:
        conn.executescript("BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;")
    conn.close()
    return path


def registry(db: Path, data_dir: Path) -> SourceRegistry:
    settings = load_settings(None, dbs=[f"sqlite:///{db}"], environ={})
    # Sample values are read as for any table; left out here to keep the test quick.
    name = db.stem
    settings = settings.merged(
        {"data_dir": str(data_dir), "sources": {name: {"sample_values": db.stem != "wide"}}}
    )
    return SourceRegistry(settings)


def test_two_thousand_tables_are_read_cached_and_read_again_only_where_changed(wide_db, tmp_path):
    seen: list[tuple[str, int, int]] = []
    cold = registry(wide_db, tmp_path)
    source = cold.get("wide")
    with reporting(lambda name, done, total: seen.append((name, done, total))):
        snapshot = source.schema()
    cold.close()
    assert len(snapshot.tables) == TABLES
    assert len(seen) == TABLES and seen[-1] == ("wide", TABLES, TABLES)
    assert snapshot.table("t0005").foreign_keys[0].ref_table == "t0004"
    (cache_file,) = (tmp_path / "schemas").glob("wide-*.json")
    assert cache_file.stat().st_mode & 0o077 == 0

    warm = registry(wide_db, tmp_path)
    assert warm.get("wide").schema() == snapshot
    assert warm.get("wide")._schema_cache.last["wide"] == SchemaRead(0, TABLES, 0)
    warm.close()

    with sqlite3.connect(wide_db) as conn:
        conn.execute("ALTER TABLE t1234 ADD COLUMN note TEXT")
        conn.execute("DROP TABLE t1999")
        conn.execute("CREATE TABLE extra (id INTEGER PRIMARY KEY)")
    conn.close()
    seen.clear()
    again = registry(wide_db, tmp_path)
    with reporting(lambda name, done, total: seen.append((name, done, total))):
        changed = again.get("wide").schema()
    assert again.get("wide")._schema_cache.last["wide"] == SchemaRead(2, TABLES - 2, 1)
    again.close()
    assert seen[-1] == ("wide", 2, 2)
    assert [c.name for c in changed.table("t1234").columns][-1] == "note"
    assert changed.table("t1999") is None and changed.table("extra") is not None
    assert len(changed.tables) == TABLES


def test_a_refresh_reads_again_only_the_changed_table(tmp_path):
    db = tmp_path / "small.db"
    with sqlite3.connect(db) as conn:
        conn.executescript("CREATE TABLE a (id INTEGER); CREATE TABLE b (id INTEGER);")
    conn.close()
    sources = registry(db, tmp_path)
    source = sources.get("small")
    source.schema()
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE b ADD COLUMN label TEXT")
    conn.close()
    refreshed = source.schema(refresh=True)
    assert source._schema_cache.last["small"] == SchemaRead(1, 1, 0)
    assert refreshed.table("b").column("label") is not None
    sources.close()


def test_a_corrupt_cache_file_is_read_past(tmp_path):
    db = tmp_path / "small.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE a (id INTEGER)")
    conn.close()
    registry(db, tmp_path).get("small").schema()
    for path in (tmp_path / "schemas").glob("*.json"):
        path.write_text("{not json")
    again = registry(db, tmp_path)
    assert again.get("small").schema().table("a") is not None
    again.close()


def test_the_disk_cache_can_be_turned_off(tmp_path):
    db = tmp_path / "small.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE a (id INTEGER)")
    conn.close()
    settings = load_settings(None, dbs=[f"sqlite:///{db}"], environ={}).merged(
        {"data_dir": str(tmp_path), "schemas": {"disk_cache": False}}
    )
    sources = SourceRegistry(settings)
    sources.get("small").schema()
    sources.close()
    assert not (tmp_path / "schemas").exists()


CHANGES = {
    "postgres": (
        "CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY, "
        "a_id INTEGER REFERENCES a(id)); CREATE VIEW v AS SELECT id FROM a",
        [
            "ALTER TABLE b ADD COLUMN label TEXT",
            "COMMENT ON TABLE b IS 'the b things'",
            "ALTER TABLE b ALTER COLUMN label SET NOT NULL",
        ],
    ),
    "mariadb": (
        "CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY, "
        "a_id INTEGER, FOREIGN KEY (a_id) REFERENCES a(id)); CREATE VIEW v AS SELECT id FROM a",
        [
            "ALTER TABLE b ADD COLUMN label TEXT",
            "ALTER TABLE b COMMENT = 'the b things'",
            "ALTER TABLE b MODIFY label VARCHAR(20)",
        ],
    ),
}


@pytest.mark.parametrize("server_name", ["postgres", "mariadb"])
def test_the_catalog_digest_changes_for_the_altered_table_only(server_name, request):
    server = request.getfixturevalue(f"{server_name}_server")
    setup, changes = CHANGES[server_name]
    with fresh_database(server) as url:
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                for statement in setup.split("; "):
                    conn.execute(text(statement))
            before = table_signatures(engine, None)
            assert set(before) == {"a", "b", "v"}
            for change in changes:
                with engine.begin() as conn:
                    conn.execute(text(change))
                after = table_signatures(engine, None)
                assert after["b"] != before["b"], change
                assert after["a"] == before["a"] and after["v"] == before["v"], change
                before = after
        finally:
            engine.dispose()


def test_schema_disk_cache_files_are_named_by_source_and_url(tmp_path):
    cache = SchemaDiskCache(tmp_path)
    one = cache.path("sales", "sqlite:///a.db")
    assert one != cache.path("sales", "sqlite:///b.db")
    assert one.name.startswith("sales-") and "a.db" not in one.name
