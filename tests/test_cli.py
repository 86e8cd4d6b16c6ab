"""The `data-assistant` command, run as a user runs it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from data_assistant.cli import app
from tests.conftest import llm_env

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    base = {"DATA_ASSISTANT_CONFIG": "", "OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}
    return runner.invoke(app, list(args), env={**base, **(env or {})})


@pytest.mark.parametrize(
    ("sql", "dialect", "allowed"),
    [
        ("SELECT created_at FROM orders", "sqlite", True),
        ("SELECT * FROM orders WHERE note = 'a;b -- c'", "postgres", True),
        ("DELETE FROM orders", "sqlite", False),
        ("SELECT 1; DROP TABLE orders", "mysql", False),
        ("SELECT TOP 5 * FROM orders", "tsql", True),
    ],
)
def test_check_sql_prints_the_verdict_as_json(sql, dialect, allowed):
    result = run("check-sql", "--dialect", dialect, "--tables", "orders", sql)
    verdict = json.loads(result.stdout)
    assert verdict["allowed"] is allowed
    assert result.exit_code == (0 if allowed else 3)
    if allowed:
        assert verdict["reason"] is None and verdict["sql"]
    else:
        assert verdict["reason"] and verdict["sql"] is None


def test_check_sql_rejects_a_table_not_in_the_list():
    result = run("check-sql", "--tables", "orders", "SELECT * FROM payroll")
    assert result.exit_code == 3
    assert "payroll" in json.loads(result.stdout)["reason"]


def test_ask_prints_the_api_object_with_json(shop_db, llm):
    llm.sql("SELECT COUNT(*) AS n FROM orders")
    result = run("ask", "--db", str(shop_db), "--json", "how many orders?", env=llm_env(llm))
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["results"] == [{"n": 4}]
    assert body["row_count"] == 1


def test_ask_prints_a_table_for_people(shop_db, llm):
    llm.sql("SELECT name FROM customers ORDER BY name")
    result = run("ask", "--db", f"sqlite:///{shop_db}", "customer names", env=llm_env(llm))
    assert result.exit_code == 0, result.output
    assert "Ada" in result.stdout and "3 rows" in result.stdout


def test_ask_fails_with_one_sentence_on_stderr(shop_db, llm):
    llm.sql(*["DROP TABLE orders"] * 3)
    result = run("ask", "--db", str(shop_db), "drop it", env=llm_env(llm))
    assert result.exit_code == 3
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1


def test_ask_with_an_unknown_source_names_the_choices(shop_db, llm):
    result = run("ask", "--db", str(shop_db), "--source", "shp", "x", env=llm_env(llm))
    assert result.exit_code == 2
    assert "'shop'" in result.stderr


def test_schema_prints_tables_columns_keys_and_samples(shop_db):
    result = run("schema", "--db", str(shop_db))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "CREATE TABLE orders" in out
    assert "FOREIGN KEY (customer_id) REFERENCES customers(id)" in out
    assert "'shipped'" in out
    assert "CREATE VIEW big_orders" in out


def test_schema_as_json(shop_db):
    result = run("schema", "--db", str(shop_db), "--json")
    snapshot = json.loads(result.stdout)
    orders = next(t for t in snapshot["tables"] if t["name"] == "orders")
    status = next(c for c in orders["columns"] if c["name"] == "status")
    assert status["samples"] == ["cancelled", "pending", "shipped"]


def test_a_bad_config_exits_2_with_the_key_and_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("sources:\n  a:\n    url: sqlite:///a.db\n    max_rows: many\n")
    result = run("ask", "--config", str(path), "x")
    assert result.exit_code == 2
    assert str(path) in result.stderr and "sources.a.max_rows" in result.stderr
    assert "Traceback" not in result.output
