"""Each engine's dialect reaches the prompt, the guard and the row cap."""

from __future__ import annotations

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
