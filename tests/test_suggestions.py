"""A refused question comes back with up to three questions the offline translator answers on
the same data, close to the one asked: in the 422 problem, on the CLI and over MCP."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.errors import Refusal
from data_assistant.pipeline import Assistant
from data_assistant.settings import load_settings
from tests.conftest import LOCAL
from tests.test_cli import run

LIBRARY = """
CREATE TABLE authors (author_id INTEGER PRIMARY KEY, full_name TEXT, country TEXT);
CREATE TABLE books (
    book_id INTEGER PRIMARY KEY, title TEXT, genre TEXT, price REAL, pages INTEGER,
    author_id INTEGER REFERENCES authors(author_id));
CREATE TABLE loans (
    loan_id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES books(book_id),
    loaned_on DATE, returned INTEGER);
"""

STATIONS = """
CREATE TABLE WeatherStations (StationId INTEGER PRIMARY KEY, StationName TEXT, Region TEXT);
CREATE TABLE Readings (
    ReadingId INTEGER PRIMARY KEY, StationId INTEGER REFERENCES WeatherStations(StationId),
    ReadingDate DATE, TempC REAL, RainMm REAL);
"""


def _library(conn: sqlite3.Connection) -> None:
    conn.executescript(LIBRARY)
    countries = ["Kenya", "Chile", "Norway"]
    genres = ["poetry", "history", "crime", "travel"]
    conn.executemany(
        "INSERT INTO authors VALUES (?, ?, ?)",
        [(i, f"Author {i}", countries[i % 3]) for i in range(1, 13)],
    )
    conn.executemany(
        "INSERT INTO books VALUES (?, ?, ?, ?, ?, ?)",
        [
            (i, f"Book {i}", genres[i % 4], 5.0 + i % 17, 90 + 7 * i, 1 + i % 12)
            for i in range(1, 61)
        ],
    )
    conn.executemany(
        "INSERT INTO loans VALUES (?, ?, ?, ?)",
        [(i, 1 + i % 60, f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", i % 2) for i in range(1, 201)],
    )


def _stations(conn: sqlite3.Connection) -> None:
    conn.executescript(STATIONS)
    regions = ["North", "Coast", "Highlands"]
    conn.executemany(
        "INSERT INTO WeatherStations VALUES (?, ?, ?)",
        [(i, f"Station {i}", regions[i % 3]) for i in range(1, 10)],
    )
    conn.executemany(
        "INSERT INTO Readings VALUES (?, ?, ?, ?, ?)",
        [
            (i, 1 + i % 9, f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", i % 30 - 5.0, i % 7 * 1.5)
            for i in range(1, 301)
        ],
    )


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("suggest")
    paths = {}
    for name, fill in (("library", _library), ("stations", _stations)):
        path = folder / f"{name}.sqlite"
        with sqlite3.connect(path) as conn:
            fill(conn)
        paths[name] = path
    return paths


@pytest.fixture(scope="module")
def voyages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A container of our own: voyages with a nested ship and an array of ports."""
    path = tmp_path_factory.mktemp("suggest") / "voyages.jsonl"
    lines = [
        {
            "id": f"v{i}",
            "status": ["planned", "sailing", "docked"][i % 3],
            "days": 3 + i % 9,
            "ship": {"name": f"Ship {i % 5}", "tonnage": 1000 + 250 * (i % 4)},
            "ports": [["Oslo", "Bergen", "Tromso"][i % 3], "Kiel"],
        }
        for i in range(40)
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return path


@pytest.fixture(scope="module")
def client(databases: dict[str, Path], voyages: Path):
    container = {"voyages": {"kind": "documents", "path": str(voyages)}}
    settings = load_settings(
        None, dbs=[str(p) for p in databases.values()], sources=container, environ={}
    )
    assert settings.translator.provider == "offline"
    with TestClient(create_app(settings), base_url=LOCAL, raise_server_exceptions=False) as c:
        yield c


def _ask(client: TestClient, database: str, question: str):
    return client.post("/api/v1/query/sql", json={"database": database, "question": question})


# (database, a question the offline translator refuses, a word the closest suggestion shares)
REFUSED = [
    ("library", "which books would a teenager enjoy reading on holiday", "books"),
    ("library", "average, lowest and highest price of books", "price"),
    ("library", "what is the meaning of life", None),
    ("stations", "how much rain fell and why was it so cold", "rain"),
    ("stations", "tell me a joke about the weather stations", "stations"),
]


@pytest.mark.parametrize(("database", "question", "shared"), REFUSED)
def test_a_refusal_over_http_suggests_questions_that_are_each_answered(
    client, database, question, shared
):
    response = _ask(client, database, question)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("question-not-understood")
    suggestions = problem["suggestions"]
    assert 1 <= len(suggestions) <= 3
    assert len(set(suggestions)) == len(suggestions)
    for suggestion in suggestions:
        answered = _ask(client, database, suggestion)
        assert answered.status_code == 200, (suggestion, answered.text)
    if shared is not None:
        assert shared in suggestions[0].lower()


@pytest.mark.parametrize(
    "question",
    ["which voyages were the most fun for the crew", "how long and how heavy were the ships"],
)
def test_a_refused_container_question_suggests_questions_that_are_each_answered(client, question):
    ask = {"container": "voyages", "question": question}
    response = client.post("/api/v1/query/cosmos", json=ask)
    assert response.status_code == 422, response.text
    suggestions = response.json()["suggestions"]
    assert 1 <= len(suggestions) <= 3
    for suggestion in suggestions:
        answered = client.post("/api/v1/query/cosmos", json={**ask, "question": suggestion})
        assert answered.status_code == 200, (suggestion, answered.text)


def test_the_problem_schema_documents_suggestions_for_generated_clients(client):
    spec = client.get("/openapi.json").json()
    member = spec["components"]["schemas"]["Problem"]["properties"]["suggestions"]
    assert "array" in json.dumps(member)


def test_an_answered_question_carries_no_suggestions(client):
    response = _ask(client, "library", "how many books")
    assert response.status_code == 200
    assert "suggestions" not in response.json()


def test_the_cli_prints_the_suggestions_after_the_refusal_and_keeps_exit_code_4(databases):
    db = str(databases["library"])
    result = run("ask", "--db", db, "which books would a teenager enjoy reading on holiday")
    assert result.exit_code == 4
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ")
    assert lines[1] == "Try:"
    suggestions = [line.strip() for line in lines[2:]]
    assert 1 <= len(suggestions) <= 3
    for suggestion in suggestions:
        answered = run("ask", "--db", db, suggestion)
        assert answered.exit_code == 0, (suggestion, answered.stderr)


def test_the_evaluation_does_not_spend_time_on_suggestions(databases):
    settings = load_settings(None, dbs=[str(databases["library"])], environ={})
    assistant = Assistant(settings)
    question = "what is the meaning of life"
    with pytest.raises(Refusal) as without:
        assistant.ask("library", question, suggest=False)
    with pytest.raises(Refusal) as with_them:
        assistant.ask("library", question)
    assistant.close()
    assert without.value.suggestions == []
    assert with_them.value.suggestions


def test_a_model_s_refusal_carries_no_suggestions_and_the_model_is_asked_once(databases, llm):
    from tests.conftest import llm_env

    settings = load_settings(None, dbs=[str(databases["library"])], environ=llm_env(llm))
    assistant = Assistant(settings.merged({"translator": {"max_retries": 0}}))
    llm.reply("CANNOT_ANSWER: nothing about holidays here")
    with pytest.raises(Refusal) as refused:
        assistant.ask("library", "which books would a teenager enjoy reading on holiday")
    assistant.close()
    assert refused.value.suggestions == []
    assert len(llm.requests) == 1


def test_suggestions_never_name_a_table_the_policies_hide(databases):
    settings = load_settings(None, dbs=[str(databases["library"])], environ={})
    hidden = settings.merged({"sources": {"library": {"denied_tables": ["loans"]}}})
    assistant = Assistant(hidden)
    with pytest.raises(Refusal) as refused:
        assistant.ask("library", "which loans of which books were late and why")
    assistant.close()
    assert refused.value.suggestions
    assert not any("loan" in s.lower() for s in refused.value.suggestions)
