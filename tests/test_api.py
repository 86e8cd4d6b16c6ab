"""The HTTP API end to end on SQLite, with the loopback chat-completions server."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LOCAL
from tests.llm_stub import ChatStub, Reply

ASK = "/api/v1/query/sql"


def ask(client: TestClient, question: str = "how many orders?", **extra) -> dict:
    response = client.post(ASK, json={"database": "shop", "question": question, **extra})
    return {"status": response.status_code, "body": response.json(), "headers": response.headers}


def test_a_question_returns_the_sql_that_ran_and_its_rows(client: TestClient, llm: ChatStub):
    llm.sql("SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status")
    result = ask(client, "how many orders per status?")
    assert result["status"] == 200
    body = result["body"]
    assert body["results"] == [
        {"status": "cancelled", "n": 1},
        {"status": "pending", "n": 1},
        {"status": "shipped", "n": 2},
    ]
    assert body["columns"] == ["status", "n"]
    assert body["row_count"] == 3
    assert body["truncated"] is False
    assert "LIMIT 101" in body["sql"]
    assert "attempts" not in body


def test_the_prompt_names_the_dialect_and_holds_the_schema(client: TestClient, llm: ChatStub):
    llm.sql("SELECT COUNT(*) FROM orders")
    ask(client, "how many orders?")
    request = llm.requests[0]
    assert request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert body["model"] == "stub"
    system, user = body["messages"][0]["content"], body["messages"][1]["content"]
    assert "SQLite" in system
    assert "CREATE TABLE orders" in user and "how many orders?" in user
    # Denied tables never reach the model.
    assert "secrets" not in user and "hunter2" not in user
    assert request["headers"]["authorization"] == "Bearer test-key"


def test_rows_beyond_max_rows_are_truncated_and_counted_by_the_database(client, llm):
    llm.sql("SELECT * FROM orders ORDER BY id")
    body = ask(client, "all orders", max_rows=2)["body"]
    assert [r["id"] for r in body["results"]] == [1, 2]
    assert body["truncated"] is True
    assert body["row_count"] == 4
    assert "LIMIT 3" in body["sql"]


def test_an_authors_own_limit_is_kept_for_the_count(client, llm):
    llm.sql("SELECT * FROM orders ORDER BY id LIMIT 3")
    body = ask(client, "three orders", max_rows=1)["body"]
    assert body["truncated"] is True
    assert body["row_count"] == 3


def test_a_rejected_query_is_fed_back_and_the_corrected_one_runs(client, llm):
    llm.sql("DELETE FROM orders", "SELECT COUNT(*) AS n FROM orders")
    body = ask(client)["body"]
    assert body["results"] == [{"n": 4}]
    feedback = llm.requests[1]["body"]["messages"]
    assert feedback[-2]["content"].startswith("```sql\nDELETE FROM orders")
    assert "failed" in feedback[-1]["content"]


def test_a_database_error_is_fed_back_and_corrected(client, llm):
    llm.sql("SELECT nope FROM orders", "SELECT COUNT(*) AS n FROM orders")
    body = ask(client)["body"]
    assert body["results"] == [{"n": 4}]
    assert "no such column: nope" in llm.requests[1]["body"]["messages"][-1]["content"]


def test_corrections_stop_after_the_configured_number_and_say_why(client, llm):
    llm.sql("DROP TABLE orders", "DELETE FROM orders", "UPDATE orders SET total = 0")
    result = ask(client)
    assert result["status"] == 400
    problem = result["body"]
    assert problem["title"] == "Query rejected"
    assert "\n" not in problem["detail"]
    assert problem["status"] == 400
    assert result["headers"]["content-type"].startswith("application/problem+json")
    assert len(llm.requests) == 3


def test_a_denied_table_is_rejected_even_when_the_model_asks_for_it(client, llm):
    llm.sql(*["SELECT token FROM secrets"] * 3)
    result = ask(client, "show the secrets")
    assert result["status"] == 400
    assert "secrets" in result["body"]["detail"]


def test_benign_columns_that_look_like_keywords_are_allowed(client, llm):
    llm.sql("SELECT name, created_at, is_deleted, update_count FROM customers WHERE name <> ';--'")
    body = ask(client, "customers")["body"]
    assert len(body["results"]) == 3


def test_an_unknown_database_is_404_with_close_matches(client):
    response = client.post(ASK, json={"database": "shopp", "question": "x"})
    assert response.status_code == 404
    assert "'shop'" in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (ASK, {"question": "how many"}),
        (ASK, {"database": "shop"}),
        (ASK, {"database": "shop", "question": ""}),
        (ASK, {"database": "shop", "question": "x", "max_rows": 0}),
        (ASK, {"database": "shop", "question": "x", "extra": 1}),
        (ASK, {"database": "shop", "question": "x", "max_rows": "2"}),
        (ASK, {"database": "shop", "question": "x", "max_rows": True}),
        (ASK, {"database": "shop", "question": "x", "max_rows": 2.5}),
        (ASK, {"database": 7, "question": "x"}),
        (ASK, {"database": "shop", "question": ["x"]}),
        (ASK, ["database", "shop"]),
        ("/api/v1/query/cosmos", {"container": "shop", "question": "x", "max_items": True}),
        ("/api/v1/query/cosmos", {"container": "shop", "question": "x", "max_items": "3"}),
    ],
    ids=[
        "no database",
        "no question",
        "empty question",
        "zero max_rows",
        "unknown field",
        "max_rows as text",
        "max_rows as a boolean",
        "max_rows as a fraction",
        "database as a number",
        "question as a list",
        "a list for a body",
        "max_items as a boolean",
        "max_items as text",
    ],
)
def test_a_body_that_breaks_the_schema_is_a_400_invalid_request(client, path, body):
    response = client.post(path, json=body)
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400 and problem["detail"].endswith(".")
    assert problem["type"].endswith("/invalid-request")
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe{not utf-8", b'{"database": "shop", "question": ', b"", b"\x00\x01"],
    ids=["not utf-8", "truncated json", "empty body", "binary"],
)
def test_a_body_that_is_not_json_is_a_400_invalid_request(client, content):
    response = client.post(ASK, content=content, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-request")


def test_a_wrong_method_is_405_with_an_allow_header(client):
    response = client.get(ASK)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_model_answer_without_sql_is_502_after_retries(client, llm):
    llm.reply("I think you should look at the orders.", "Sorry.", "No idea.")
    result = ask(client)
    assert result["status"] == 502
    assert result["body"]["title"] == "No usable query"


def test_an_llm_endpoint_failing_is_502_and_names_no_internals(client, llm):
    llm.default = Reply(status=500)
    result = ask(client)
    assert result["status"] == 502
    assert "500" in result["body"]["detail"]
    assert "127.0.0.1" not in result["body"]["detail"]


def test_an_llm_that_answers_429_is_retried_with_backoff(shop_settings, llm):
    from data_assistant.app import create_app

    settings = shop_settings.merged({"translator": {"max_retries": 2}})
    llm.replies.append(Reply(status=429))
    llm.sql("SELECT COUNT(*) AS n FROM orders")
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        result = ask(client)
    assert result["status"] == 200
    assert len(llm.requests) == 2


def test_an_llm_timeout_is_504_and_not_retried(shop_settings, llm):
    from data_assistant.app import create_app

    settings = shop_settings.merged({"translator": {"timeout_s": 0.3}})
    llm.replies.append(Reply(content="```sql\nSELECT 1\n```", delay_s=1.5))
    with TestClient(create_app(settings), base_url=LOCAL, raise_server_exceptions=False) as client:
        result = ask(client)
    assert result["status"] == 504
    assert len(llm.requests) == 1


def test_a_slow_query_is_stopped_at_the_timeout_with_504(shop_settings, llm):
    from data_assistant.app import create_app

    settings = shop_settings.merged({"sources": {"shop": {"timeout_s": 0.3}}})
    heavy = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
        "SELECT COUNT(*) FROM n"
    )
    llm.sql(heavy)
    with TestClient(create_app(settings), base_url=LOCAL, raise_server_exceptions=False) as client:
        result = ask(client)
        assert result["status"] == 504
        assert len(llm.requests) == 1
        llm.sql("SELECT COUNT(*) AS n FROM orders")
        assert ask(client)["body"]["results"] == [{"n": 4}]


def test_debug_mode_shows_every_attempt(shop_settings, llm):
    from data_assistant.app import create_app

    settings = shop_settings.merged({"debug": True})
    llm.sql("SELECT nope FROM orders", "SELECT COUNT(*) AS n FROM orders")
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        attempts = ask(client)["body"]["attempts"]
    assert [a["error"] is None for a in attempts] == [False, True]
    assert "nope" in attempts[0]["error"]


def test_a_missing_database_file_is_503(shop_settings, shop_db, llm):
    from data_assistant.app import create_app

    shop_db.unlink()
    llm.sql("SELECT 1")
    with TestClient(
        create_app(shop_settings), base_url=LOCAL, raise_server_exceptions=False
    ) as client:
        result = ask(client)
        ready = client.get("/readyz")
    assert result["status"] == 503
    assert str(shop_db.parent) not in result["body"]["detail"]
    assert ready.status_code == 503


def test_sources_are_listed_with_their_dialect(client):
    assert client.get("/api/v1/sources").json() == {
        "sources": [
            {
                "name": "shop",
                "kind": "sql",
                "language": "sql",
                "dialect": "sqlite",
                "description": None,
            }
        ]
    }


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "sources_ready": 1,
        "sources_total": 1,
        "sources": {"shop": "ok"},
    }


def test_an_unknown_path_is_problem_json(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_schema_refresh_picks_up_a_new_table(client, shop_db, llm):
    import sqlite3

    llm.sql("SELECT COUNT(*) AS n FROM orders")
    ask(client)
    with sqlite3.connect(shop_db) as conn:
        conn.execute("CREATE TABLE refunds (id INTEGER PRIMARY KEY)")
    llm.sql(*["SELECT COUNT(*) AS n FROM refunds"] * 3)
    assert ask(client, "how many refunds?")["status"] == 400
    assert client.post("/api/v1/sources/shop/refresh").json() == {"source": "shop", "tables": 5}
    llm.replies.clear()
    llm.sql("SELECT COUNT(*) AS n FROM refunds")
    assert ask(client, "how many refunds?")["body"]["results"] == [{"n": 0}]
