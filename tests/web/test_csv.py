"""CSV answers: the rendering rules, and `Accept: text/csv` on both query operations."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
from fastapi.testclient import TestClient

from data_assistant.answers import DocumentsResult
from data_assistant.app import create_app
from data_assistant.cli import DEMO_CONTAINER_QUESTION, DEMO_QUESTIONS
from data_assistant.present.csv import attachment_name, cell, to_csv, wants_csv
from data_assistant.settings import load_settings
from tests.conftest import LOCAL
from tests.web.conftest import demo_config


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (-5, "-5"),
        (2.5, "2.5"),
        ("plain", "plain"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (" =1", " =1"),
        ("a=b", "a=b"),
        ({"a": [1, "x"]}, '{"a":[1,"x"]}'),
        (["é"], '["é"]'),
    ],
)
def test_a_cell_is_written_so_a_spreadsheet_never_runs_it(value, text):
    assert cell(value) == text


def test_the_header_row_is_made_safe_too_and_lines_end_in_crlf():
    assert to_csv(["=cmd", "ok"], [[1, "a,b"]]) == '\'=cmd,ok\r\n1,"a,b"\r\n'


def documents_csv(documents: list) -> str:
    result = DocumentsResult(
        query="", parameters={}, documents=documents, count=None, truncated=False
    )
    return to_csv(*result.table())


def test_documents_become_their_top_level_fields_and_nested_values_json():
    documents = [{"id": "1", "customer": {"name": "Ada"}}, {"id": "2", "tags": ["x"]}]
    assert documents_csv(documents) == (
        'id,customer,tags\r\n1,"{""name"":""Ada""}",\r\n2,,"[""x""]"\r\n'
    )


def test_results_that_are_not_all_objects_go_whole_in_a_value_column():
    assert documents_csv([{"a": 1}, 7, None]) == 'value\r\n"{""a"":1}"\r\n7\r\n""\r\n'


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("text/csv", True),
        ("text/csv; charset=utf-8", True),
        ("TEXT/CSV", True),
        ("text/csv, */*;q=0.1", True),
        ("text/csv, */*", True),
        ("application/json, text/csv", False),
        ("text/csv, application/json", False),
        ("application/json;q=0.5, text/csv", True),
        ("text/csv;q=0", False),
        ("text/csv;q=bad", False),
        ("text/*", False),
    ],
)
def test_csv_is_chosen_only_when_asked_for_and_json_wins_ties(accept, expected):
    assert wants_csv(accept) is expected


@pytest.mark.parametrize(
    ("source", "name"), [("sales", "sales.csv"), ("../../etc", "etc.csv"), ('a"b', "a_b.csv")]
)
def test_the_file_name_is_safe_in_a_header(source, name):
    assert attachment_name(source) == name


@pytest.fixture(scope="module")
def client(demo_dir):
    settings = load_settings(demo_config(demo_dir, "auth: {mode: none}"), environ={})
    with TestClient(
        create_app(settings), base_url=LOCAL, raise_server_exceptions=False
    ) as test_client:
        yield test_client


CSV = {"accept": "text/csv"}


def test_a_sql_question_answers_csv_with_the_rows_of_the_json_answer(client, demo_dir):
    body = {"database": "sales", "question": DEMO_QUESTIONS[0]}
    response = client.post("/api/v1/query/sql", json=body, headers=CSV)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="sales.csv"'
    assert response.headers["x-truncated"] == "false"
    rows = list(csv.reader(io.StringIO(response.text)))
    expected = sqlite3.connect(demo_dir / "sales.db").execute(
        "SELECT status, COUNT(*) FROM orders GROUP BY status"
    )
    assert rows[0] == ["status", "count"]
    assert sorted(rows[1:]) == sorted([s, str(n)] for s, n in expected)
    assert response.headers["x-row-count"] == str(len(rows) - 1)
    as_json = client.post("/api/v1/query/sql", json=body).json()
    assert response.text == to_csv(
        as_json["columns"], [list(r.values()) for r in as_json["results"]]
    )


def test_a_capped_answer_says_truncated_and_the_true_count_in_headers(client):
    body = {"database": "sales", "question": "list customers", "max_rows": 3}
    response = client.post("/api/v1/query/sql", json=body, headers=CSV)
    assert response.status_code == 200, response.text
    assert len(response.text.splitlines()) == 4
    assert response.headers["x-truncated"] == "true"
    assert int(response.headers["x-row-count"]) > 3


def test_a_container_question_answers_csv_of_its_documents(client):
    body = {"container": "tickets", "question": DEMO_CONTAINER_QUESTION}
    response = client.post("/api/v1/query/cosmos", json=body, headers=CSV)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    documents = client.post("/api/v1/query/cosmos", json=body).json()["documents"]
    assert response.text == documents_csv(documents)
    assert response.text.startswith("status,count\r\n")


def test_errors_stay_problem_json_when_csv_is_asked_for(client):
    body = {"database": "sales", "question": "what is the weather"}
    response = client.post("/api/v1/query/sql", json=body, headers=CSV)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_without_accept_csv_the_answer_is_json_as_before(client):
    body = {"database": "sales", "question": DEMO_QUESTIONS[0]}
    response = client.post("/api/v1/query/sql", json=body, headers={"accept": "*/*"})
    assert response.headers["content-type"] == "application/json"


def test_the_openapi_document_declares_csv_on_both_query_operations(client):
    from openapi_spec_validator import validate

    spec = client.get("/openapi.json").json()
    validate(spec)
    for path in ("/api/v1/query/sql", "/api/v1/query/cosmos"):
        content = spec["paths"][path]["post"]["responses"]["200"]["content"]
        assert content["text/csv"] == {"schema": {"type": "string"}}
        assert "application/json" in content
