"""With no LLM configured, the offline translator answers everyday questions everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from data_assistant.answers import Attempt
from data_assistant.app import create_app
from data_assistant.cli import DEMO_QUESTIONS
from data_assistant.pipeline import Assistant
from data_assistant.settings import load_settings
from tests.conftest import LOCAL
from tests.test_cli import run


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from data_assistant.sample_data.sales import generate_sales_db

    return generate_sales_db(tmp_path_factory.mktemp("demo") / "sales.db")


@pytest.fixture(scope="module")
def offline(demo_db: Path) -> Assistant:
    settings = load_settings(None, dbs=[str(demo_db)], environ={})
    assert settings.translator.provider == "offline"
    return Assistant(settings)


@pytest.mark.parametrize("question", DEMO_QUESTIONS)
def test_the_demos_example_questions_are_answered_offline(offline, question):
    answer = offline.ask("sales", question)
    assert answer.result.rows and answer.explanation
    assert answer.attempts == (Attempt(answer.query, None),)


def test_orders_per_status_match_the_database(offline, demo_db):
    import sqlite3

    answer = offline.ask("sales", "how many orders per status")
    expected = dict(
        sqlite3.connect(demo_db).execute("SELECT status, COUNT(*) FROM orders GROUP BY status")
    )
    assert {row["status"]: row["count"] for row in answer.result.rows} == expected


def test_relative_dates_count_back_from_the_latest_date_in_the_data(offline):
    answer = offline.ask("sales", "how many orders in the last 30 days")
    assert "latest date in the data (2025-12-31)" in answer.explanation
    assert answer.result.rows[0]["count"] > 0


def test_an_unreadable_question_is_a_422_refusal_over_http(demo_db):
    settings = load_settings(None, dbs=[str(demo_db)], environ={})
    with TestClient(create_app(settings), base_url=LOCAL, raise_server_exceptions=False) as client:
        response = client.post(
            "/api/v1/query/sql", json={"database": "sales", "question": "what is the weather"}
        )
        answered = client.post(
            "/api/v1/query/sql", json={"database": "sales", "question": "how many customers"}
        )
    assert response.status_code == 422
    assert "LLM" in response.json()["detail"]
    assert answered.json()["explanation"] == "count of customers"


def test_ask_refuses_on_stderr_with_exit_code_4(demo_db):
    result = run("ask", "--db", str(demo_db), "what is the meaning of life")
    assert result.exit_code == 4
    assert "configure an LLM" in result.stderr


def test_eval_reports_answered_accuracy_and_precision(demo_db, tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps(c)
            for c in [
                {"question": "how many customers", "sql": "SELECT COUNT(*) FROM customers"},
                {"question": "how many orders", "rows": [[29982]]},
                {"question": "how many orders", "rows": [[1]]},
                {"question": "what is the weather", "sql": "SELECT 1"},
            ]
        )
    )
    report = tmp_path / "report.jsonl"
    result = run("eval", str(cases), "--db", str(demo_db), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "4 cases  answered 75.0%  accuracy 50.0%  precision 66.7%" in result.stdout
    outcomes = [json.loads(line)["outcome"] for line in report.read_text().splitlines()]
    assert outcomes == ["correct", "correct", "wrong", "refused"]
