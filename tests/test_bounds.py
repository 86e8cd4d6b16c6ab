"""Bounds every answer keeps: a byte cap, and a fair share of a source's connections."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.settings import load_settings
from data_assistant.sources.gate import FairGate
from tests.conftest import LOCAL, llm_env

BIG = 100_000  # bytes of text in each big value


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    path = tmp_path / "big.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany("INSERT INTO blobs VALUES (?, ?)", [(i, "x" * BIG) for i in range(12)])
    conn.close()
    return path


@pytest.fixture
def big_container(tmp_path: Path) -> Path:
    path = tmp_path / "big.jsonl"
    path.write_text(
        "".join(json.dumps({"id": str(i), "body": "y" * BIG}) + "\n" for i in range(12))
    )
    return path


def client_for(tmp_path: Path, llm, body: str) -> TestClient:
    config = tmp_path / "data-assistant.yaml"
    config.write_text(body)
    settings = load_settings(config, environ=llm_env(llm)).merged(
        {"translator": {"max_retries": 0}}
    )
    return TestClient(create_app(settings), base_url=LOCAL, raise_server_exceptions=False)


def test_sql_rows_past_the_byte_cap_are_cut_and_the_answer_says_so(tmp_path, big_db, llm):
    llm.sql("SELECT * FROM blobs")
    config = f"sources:\n  big:\n    url: sqlite:///{big_db}\n    max_answer_bytes: 250000\n"
    with client_for(tmp_path, llm, config) as client:
        response = client.post("/api/v1/query/sql", json={"database": "big", "question": "all"})
    body = response.json()
    assert response.status_code == 200
    assert len(body["results"]) == 2
    assert body["truncated"] is True and body["row_count"] == 12
    assert len(response.content) < 250_000 + 10_000


def test_a_single_value_past_the_byte_cap_gives_no_rows_not_a_huge_body(tmp_path, big_db, llm):
    llm.sql("SELECT body FROM blobs WHERE id = 1")
    config = f"sources:\n  big:\n    url: sqlite:///{big_db}\n    max_answer_bytes: 50000\n"
    with client_for(tmp_path, llm, config) as client:
        body = client.post("/api/v1/query/sql", json={"database": "big", "question": "x"}).json()
    assert body["results"] == [] and body["truncated"] is True and body["row_count"] == 1


def test_documents_past_the_byte_cap_are_cut_and_the_answer_says_so(tmp_path, big_container, llm):
    llm.sql("SELECT * FROM c")
    config = (
        f"sources:\n  big:\n    kind: documents\n    path: {big_container}\n"
        f"    max_answer_bytes: 250000\n"
    )
    with client_for(tmp_path, llm, config) as client:
        response = client.post("/api/v1/query/cosmos", json={"container": "big", "question": "x"})
    body = response.json()
    assert response.status_code == 200
    assert len(body["documents"]) == 2 and body["truncated"] is True
    assert len(response.content) < 250_000 + 10_000


def test_a_freed_connection_goes_to_a_principal_within_its_share_first():
    gate = FairGate(4, share=0.5)  # a principal may hold 2 of 4 while others wait
    for _ in range(4):
        assert gate.acquire(1, "greedy")  # nobody else waits: the whole pool is used
    order: list[str] = []

    def wait(key: str, ready: threading.Event) -> None:
        ready.set()
        if gate.acquire(5, key):
            order.append(key)

    threads = []
    for key in ("greedy", "greedy", "polite"):
        ready = threading.Event()
        thread = threading.Thread(target=wait, args=(key, ready))
        thread.start()
        ready.wait()
        threads.append(thread)
        # Let the thread take its place in the queue before the next one arrives.
        while len(gate._waiters) < len(threads):
            time.sleep(0.01)
    gate.release("greedy")
    threads[2].join(2)
    assert order == ["polite"]  # it came last, but greedy holds more than its share
    for _ in range(2):
        gate.release("greedy")
    for thread in threads:
        thread.join(2)
    assert sorted(order) == ["greedy", "greedy", "polite"]


def test_with_nobody_else_waiting_one_principal_uses_every_connection():
    gate = FairGate(3, share=0.34)
    assert all(gate.acquire(0.1, "solo") for _ in range(3))
    assert not gate.acquire(0.05, "solo")
    gate.release("solo")
    assert gate.acquire(0.1, "solo")
