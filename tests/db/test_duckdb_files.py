"""CSV, Parquet and JSON files as a DuckDB source: one read-only view per file, and no
other file readable or writable, whatever the SQL says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import require_module

duckdb = require_module("duckdb", "duckdb duckdb-engine")
require_module("duckdb_engine", "duckdb duckdb-engine")

from data_assistant.engines.duckdb import file_views, view_name  # noqa: E402
from data_assistant.errors import ConfigError, GuardRejection, QueryFailed  # noqa: E402
from data_assistant.guard.sql_guard import check_sql  # noqa: E402
from data_assistant.settings import Settings, SourceSettings  # noqa: E402
from data_assistant.sources import SourceRegistry  # noqa: E402
from data_assistant.sources.sql import SqlSource  # noqa: E402
from tests.db.helpers import ScriptedTranslator, assistant_for, settings_with  # noqa: E402


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "Sales Data.csv").write_text(
        "id,region,amount\n1,North,10.5\n2,South,20\n3,North,4.5\n", encoding="utf-8"
    )
    (data / "events.jsonl").write_text(
        '{"kind": "view", "n": 3}\n{"kind": "click", "n": 1}\n', encoding="utf-8"
    )
    con = duckdb.connect()
    target = str(data / "products.parquet").replace("'", "''")
    con.execute(
        f"COPY (SELECT * FROM (VALUES (1, 'Lamp', 20.5), (2, 'Desk', 300.0)) "
        f"t(id, name, price)) TO '{target}' (FORMAT parquet)"
    )
    con.close()
    (data / "notes.txt").write_text("not data", encoding="utf-8")
    (tmp_path / "secret.csv").write_text("token\nhunter2\n", encoding="utf-8")
    return data


@pytest.fixture
def files_source(folder: Path) -> Iterator[SqlSource]:
    source = SqlSource("files", SourceSettings(files=[str(folder)], pool_size=2, timeout_s=5))
    yield source
    source.close()


def test_files_alone_make_an_in_memory_duckdb_source():
    settings = SourceSettings(files=["x.csv"])
    assert settings.url == "duckdb:///:memory:"


def test_each_file_of_a_folder_is_a_view_named_after_it(files_source: SqlSource):
    assert files_source.dialect == "duckdb"
    snapshot = files_source.schema()
    assert {t.name: t.kind for t in snapshot.tables} == {
        "Sales Data": "view",
        "events": "view",
        "products": "view",
    }
    sales = snapshot.table("Sales Data")
    assert [(c.name, c.type) for c in sales.columns] == [
        ("id", "BIGINT"),
        ("region", "VARCHAR"),
        ("amount", "DOUBLE"),
    ]
    assert sales.column("region").samples == ("North", "South")


def test_the_views_answer_questions_through_the_pipeline(folder: Path):
    settings = settings_with(files={"files": [str(folder)]})
    answers = {
        "sales per region": 'SELECT region, SUM(amount) AS total FROM "Sales Data" '
        "GROUP BY region ORDER BY region",
        "priciest product": "SELECT name FROM products ORDER BY price DESC LIMIT 1",
        "clicks": "SELECT SUM(n) AS n FROM events WHERE kind = 'click'",
    }
    with assistant_for(settings, ScriptedTranslator(answers.__getitem__)) as assistant:
        assert assistant.ask("files", "sales per region").result.rows == [
            {"region": "North", "total": 15},
            {"region": "South", "total": 20},
        ]
        assert assistant.ask("files", "priciest product").result.rows == [{"name": "Desk"}]
        assert assistant.ask("files", "clicks").result.rows == [{"n": 1}]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('{secret}')",
        "SELECT * FROM '{secret}'",
        "COPY (SELECT 1) TO '{out}'",
        "CREATE TABLE copied AS SELECT * FROM products",
        "DROP VIEW products",
        "INSTALL httpfs",
        "ATTACH '{out}' AS other",
    ],
)
def test_no_other_file_can_be_read_or_written_even_past_the_guard(
    files_source: SqlSource, folder: Path, sql: str
):
    secret = folder.parent / "secret.csv"
    out = folder.parent / "out.db"
    with pytest.raises(QueryFailed):
        files_source.execute(sql.format(secret=secret, out=out), max_rows=5)
    assert not out.exists()
    assert files_source.execute("SELECT COUNT(*) FROM products", max_rows=1).rows == [[2]]


def test_the_guard_rejects_file_reads_by_name(files_source: SqlSource, folder: Path):
    tables = files_source.table_names()
    with pytest.raises(GuardRejection):
        check_sql(
            f"SELECT * FROM '{folder / 'notes.txt'}'", dialect="duckdb", tables=tables, row_cap=5
        )
    with pytest.raises(GuardRejection):
        check_sql(
            "SELECT * FROM read_csv('/etc/passwd')", dialect="duckdb", tables=tables, row_cap=5
        )


def test_globs_and_single_files_pick_the_files_they_name(folder: Path):
    assert set(file_views([str(folder / "*.csv")])) == {"Sales Data"}
    assert file_views([str(folder / "events.jsonl"), str(folder / "*.parquet")]) == {
        "events": folder / "events.jsonl",
        "products": folder / "products.parquet",
    }


def test_view_names_drop_extensions_and_characters_the_guard_reads_as_paths():
    assert view_name(Path("sales.2024.csv.gz")) == "sales_2024"
    assert view_name(Path("Q1 report.parquet")) == "Q1 report"


@pytest.mark.parametrize(
    "files, message",
    [
        (["missing.csv"], "does not exist"),
        (["{folder}/notes.txt"], "is not a"),
        (["{folder}/*.xlsx"], "matches no"),
        (["{folder}/products.parquet", "{other}/products.csv"], "would both be the view"),
    ],
)
def test_a_wrong_file_list_is_a_configuration_error_naming_it(
    folder: Path, tmp_path: Path, files: list[str], message: str
):
    other = tmp_path / "other"
    other.mkdir()
    (other / "products.csv").write_text("id\n1\n", encoding="utf-8")
    listed = [f.format(folder=folder, other=other) for f in files]
    settings = Settings(sources={"files": SourceSettings(files=listed)})
    with pytest.raises(ConfigError, match=message):
        SourceRegistry(settings)


def test_files_need_an_in_memory_duckdb_url(folder: Path):
    with pytest.raises(ValueError, match="duckdb:///:memory:"):
        SqlSource("x", SourceSettings(url="duckdb:///x.duckdb", files=[str(folder)]))


def test_closing_the_source_removes_its_view_database(folder: Path):
    source = SqlSource("files", SourceSettings(files=[str(folder)]))
    source.ping()
    made = source.backend._folder
    assert made is not None and made.exists()
    source.close()
    assert not made.exists()
