"""Each engine's dialect reaches the prompt, the guard and the row cap."""

from __future__ import annotations

import pytest

from tests.db.helpers import ask, client_for, settings_with
from tests.llm_stub import ChatStub

DIALECT_IN_PROMPT = {
    "sqlite": "SQLite",
    "postgres": "PostgreSQL",
    "mariadb": "MySQL / MariaDB",
    "duckdb": "DuckDB",
}


def test_the_dialect_reaches_the_prompt_and_the_row_cap(request, demo_url: str, llm: ChatStub):
    engine = request.node.callspec.params["demo_url"]
    settings = settings_with(llm, demo={"url": demo_url, "max_rows": 3})
    with client_for(settings) as client:
        llm.sql("SELECT id FROM orders ORDER BY id")
        result = ask(client, "demo", "which orders are there?")
    assert result["status"] == 200
    body = result["body"]
    assert [r["id"] for r in body["results"]] == [1, 2, 3]
    assert body["truncated"] is True and body["row_count"] == 29982
    assert body["sql"].endswith("LIMIT 4")
    system = llm.requests[0]["body"]["messages"][0]["content"]
    assert DIALECT_IN_PROMPT[engine] in system


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT name FROM regions WHERE name REGEXP '^(Europe|Asia)'",
        "SELECT name FROM regions WHERE REGEXP_LIKE(name, '^(Europe|Asia)')",
        "SELECT name FROM regions WHERE name RLIKE '^(Europe|Asia)'",
        "SELECT name FROM regions WHERE NOT name NOT REGEXP '^(Europe|Asia)'",
    ],
)
def test_a_regular_expression_written_any_mysql_way_runs_on_mariadb(request, llm, sql):
    # sqlglot writes REGEXP_LIKE(), which MariaDB lacks; what is run must be MariaDB's.
    settings = settings_with(llm, demo={"url": request.getfixturevalue("demo_mariadb_url")})
    with client_for(settings) as client:
        llm.sql(sql)
        result = ask(client, "demo", "which regions start with Europe or Asia?")
    assert result["status"] == 200, result["body"]
    assert sorted(r["name"] for r in result["body"]["results"]) == ["Asia Pacific", "Europe"]
    assert "REGEXP_LIKE" not in result["body"]["sql"]
