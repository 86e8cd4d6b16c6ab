"""A real server process through a database outage under load, and through a SIGTERM with
an answer in flight.

The outage is a TCP proxy between the server and PostgreSQL taken down and brought back
(tests/servers.py): every connection dies as in a server restart, without restarting the
PostgreSQL that other test sessions share.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.llm_stub import ChatStub, Reply
from tests.ops.live import ServerProcess, llm_config
from tests.servers import Server, TcpProxy, url_with_port

LOOKUPS = [
    "SELECT id, name, country FROM customers WHERE id = 42",
    "SELECT COUNT(*) AS n FROM orders WHERE customer_id = 42",
    "SELECT id, status FROM orders WHERE id = 1234",
]


def pg_config(folder: Path, url: str, llm: ChatStub, **changes: Any) -> dict[str, Any]:
    return {
        "data_dir": str(folder / "data"),
        "sources": {"sales": {"url": url, "timeout_s": 5, "pool_size": 4}},
        "translator": llm_config(llm.url, max_corrections=0),
        **changes,
    }


def ask(url: str, timeout: float = 30) -> int:
    try:
        answer = httpx.post(
            url + "/api/v1/query/sql",
            json={"database": "sales", "question": "look it up"},
            timeout=timeout,
        )
    except httpx.HTTPError:  # a dropped connection is a failure of ours: counted as -1
        return -1
    return answer.status_code


def test_a_database_outage_under_load_is_503_and_answers_resume_within_5_s(
    tmp_path, llm, demo_postgres_url, postgres_server: Server
):
    llm.default = Reply(content=f"```sql\n{LOOKUPS[0]}\n```")
    proxy = TcpProxy("127.0.0.1", 5432).start()
    url = url_with_port(demo_postgres_url, proxy.port)
    statuses: Counter[int] = Counter()
    stop = threading.Event()
    try:
        with ServerProcess(tmp_path, pg_config(tmp_path, url, llm)) as server:
            assert ask(server.url) == 200

            def load() -> None:
                while not stop.is_set():
                    statuses[ask(server.url)] += 1

            workers = [threading.Thread(target=load) for _ in range(8)]
            for worker in workers:
                worker.start()
            _wait_for(lambda: statuses[200] >= 20, "answers before the outage")
            proxy.stop()  # every pooled connection and every query in flight dies
            during = sum(statuses.values())
            _wait_for(lambda: statuses[503] >= 5, "503s during the outage")
            time.sleep(0.5)
            proxy.start()
            back = time.monotonic()
            answered = statuses[200]
            _wait_for(lambda: statuses[200] > answered + 10, "answers after the outage", 5)
            recovered_in = time.monotonic() - back
            stop.set()
            for worker in workers:
                worker.join(timeout=30)
            assert ask(server.url) == 200
        assert set(statuses) <= {200, 503}, statuses  # never a 500, never a dropped connection
        assert sum(statuses.values()) > during
        assert recovered_in < 5
    finally:
        stop.set()
        proxy.stop()


def test_sigterm_lets_the_answer_in_flight_finish_then_closes_the_connections(
    tmp_path, llm, fresh_postgres_url, postgres_server: Server
):
    # A database of its own, so that no other test's connections are counted.
    engine = create_engine(fresh_postgres_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INT PRIMARY KEY, name TEXT, country TEXT)"))
        conn.execute(text("INSERT INTO customers VALUES (42, 'Ada', 'DE')"))
    engine.dispose()
    llm.default = Reply(content=f"```sql\n{LOOKUPS[0]}\n```", delay_s=2)
    database = make_url(fresh_postgres_url).database
    audit = tmp_path / "audit.jsonl"
    config = pg_config(
        tmp_path,
        fresh_postgres_url,
        llm,
        audit={"path": str(audit)},
        logs={"format": "json"},
    )
    answers: list[httpx.Response] = []
    server = ServerProcess(tmp_path, config).start()
    try:
        thread = threading.Thread(
            target=lambda: answers.append(
                httpx.post(
                    server.url + "/api/v1/query/sql",
                    json={"database": "sales", "question": "customer 42"},
                    headers={"x-request-id": "in-flight-1"},
                    timeout=30,
                )
            )
        )
        thread.start()
        _wait_for(lambda: len(llm.requests) == 1, "the question to reach the model")
        assert _connections(postgres_server, database) >= 1  # the warm-up's, at least
        exit_code = server.stop(signal.SIGTERM)
        thread.join(timeout=30)
    finally:
        if server.process and server.process.poll() is None:
            server.stop(signal.SIGKILL)
    # uvicorn raises the signal again once it has shut down cleanly, as a service manager
    # expects of a process stopped by SIGTERM.
    assert exit_code in (0, -signal.SIGTERM), server.log()
    assert [a.status_code for a in answers] == [200], server.log()
    assert answers[0].headers["x-request-id"] == "in-flight-1"
    records = server.log_records()
    assert any(r["message"] == "connections closed" for r in records), server.log()
    assert any(r.get("request_id") == "in-flight-1" for r in records)  # the access line
    assert [line for line in audit.read_text().splitlines() if '"in-flight-1"' in line]
    assert _connections(postgres_server, database) == 0


def _connections(server: Server, database: str) -> int:
    # Backends of a client that exits without closing linger until PostgreSQL notices.
    rows = server.admin_execute(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid()",
        {"db": database},
    )
    return int(rows[0][0])


def _wait_for(condition: Any, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
