"""Faults of the parts around the server: the language model slow, failing or talking
nonsense; Redis gone; the audit log unwritable. Each answer is a clear problem with the
right status, and the server goes on answering."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.llm_stub import Reply
from tests.ops.live import ServerProcess, llm_config
from tests.servers import closed_port

QUESTION = {"database": "shop", "question": "how many regions"}
REGIONS = "```sql\nSELECT COUNT(*) AS n FROM regions\n```"


def metric(client: TestClient, name: str, **labels: str) -> float:
    """The value of one sample on /metrics (0 when absent)."""
    wanted = {f'{k}="{v}"' for k, v in labels.items()}
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = set(line[line.find("{") + 1 : line.find("}")].split(","))
            if wanted <= found:
                return float(line.rsplit(" ", 1)[1])
    return 0.0


# --- the language model ---------------------------------------------------------------------


def test_a_model_slower_than_its_timeout_is_504_after_bounded_retries(make_client, llm):
    client = make_client(translator={"timeout_s": 0.5, "max_retries": 1})
    llm.default = Reply(content=REGIONS, delay_s=2)
    answer = client.post("/api/v1/query/sql", json=QUESTION)
    assert answer.status_code == 504
    assert answer.json()["detail"] == "The language model did not answer within 0.5 s."
    assert len(llm.requests) == 2  # the first try and one retry, no more


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_failing_model_is_502_naming_its_status_after_bounded_retries(make_client, llm, status):
    client = make_client(translator={"max_retries": 2})
    llm.default = Reply(status=status)
    answer = client.post("/api/v1/query/sql", json=QUESTION)
    assert answer.status_code == 502
    assert answer.json()["detail"] == (f"The language model endpoint answered with HTTP {status}.")
    assert len(llm.requests) == 3
    assert (
        metric(
            client,
            "data_assistant_translator_errors_total",
            translator="llm",
            error="translator-unavailable",
        )
        >= 1
    )


GARBAGE = [
    Reply(raw=b"<html><body>Bad gateway</body></html>", content_type="text/html"),
    Reply(raw=b"{this is not json"),
    Reply(raw=b"\xff\xfe\x00garbage"),
    Reply(raw=b"[1, 2, 3]"),
    Reply(raw=b"{}"),
    Reply(raw=b'{"choices": [{"message": {"content": 42}}]}'),
    Reply(content="I think you should look at the orders table."),
]


@pytest.mark.parametrize("reply", GARBAGE, ids=range(len(GARBAGE)))
def test_a_model_answering_garbage_is_502_with_a_clear_reason(make_client, llm, reply):
    client = make_client(translator={"max_corrections": 0})
    llm.replies.append(reply)
    answer = client.post("/api/v1/query/sql", json=QUESTION)
    assert answer.status_code == 502, answer.text
    problem = answer.json()
    assert problem["title"] == "No usable query"
    assert problem["detail"] in (
        "The language model endpoint's answer is not a chat completion.",
        "The language model's answer held no query.",
    )


def test_a_slow_model_holds_no_worker_that_health_checks_need(tmp_path, shop_db, llm):
    """More questions wait on the model than the server has threads; /healthz answers."""
    llm.default = Reply(content=REGIONS, delay_s=3)
    config = {
        "data_dir": str(tmp_path / "data"),
        "sources": {"shop": {"url": f"sqlite:///{shop_db}"}},
        "translator": llm_config(llm.url, timeout_s=20),
    }
    statuses: list[int] = []
    with ServerProcess(tmp_path, config) as server:

        def question() -> None:
            answer = httpx.post(server.url + "/api/v1/query/sql", json=QUESTION, timeout=60)
            statuses.append(answer.status_code)

        # anyio gives synchronous endpoints 40 threads; 48 questions take them all.
        threads = [threading.Thread(target=question) for _ in range(48)]
        for thread in threads:
            thread.start()
        _wait_for(lambda: len(llm.requests) >= 40, "the questions to reach the model")
        assert httpx.get(server.url + "/healthz", timeout=2).status_code == 200
        for thread in threads:
            thread.join(timeout=60)
    assert statuses == [200] * 48


# --- Redis ----------------------------------------------------------------------------------


def test_with_redis_down_rate_limits_fall_back_to_the_process_and_answers_go_on(make_client, llm):
    llm.default = Reply(content=REGIONS)
    client = make_client(
        redis_url=f"redis://127.0.0.1:{closed_port()}/0",
        rate_limit={"per_minute": 1, "burst": 2, "on_redis_error": "local"},
    )
    statuses = [client.post("/api/v1/query/sql", json=QUESTION).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert metric(client, "data_assistant_redis_errors_total", part="rate") >= 1


def test_with_redis_down_and_limits_open_every_question_is_answered(make_client, llm):
    llm.default = Reply(content=REGIONS)
    client = make_client(
        redis_url=f"redis://127.0.0.1:{closed_port()}/0",
        rate_limit={"per_minute": 1, "burst": 1, "on_redis_error": "open"},
    )
    statuses = [client.post("/api/v1/query/sql", json=QUESTION).status_code for _ in range(4)]
    assert statuses == [200] * 4


def test_with_the_golden_query_store_down_questions_are_answered_and_its_admin_is_503(
    make_client, llm
):
    llm.default = Reply(content=REGIONS)
    down = f"redis://127.0.0.1:{closed_port()}/0"
    client = make_client(knowledge={"redis_url": down}, cache={"redis_url": down})
    statuses = [client.post("/api/v1/query/sql", json=QUESTION).status_code for _ in range(2)]
    assert statuses == [200, 200]
    listed = client.get("/api/v1/sources/shop/golden")
    assert listed.status_code == 503
    assert listed.json()["detail"] == "The golden-query store (Redis) cannot be reached."


def test_with_redis_down_and_limits_closed_questions_are_refused_with_503(make_client, llm):
    llm.default = Reply(content=REGIONS)
    client = make_client(
        redis_url=f"redis://127.0.0.1:{closed_port()}/0",
        rate_limit={"per_minute": 60, "on_redis_error": "closed", "redis_retry_s": 7},
    )
    answer = client.post("/api/v1/query/sql", json=QUESTION)
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "7"
    assert answer.json()["title"] == "Rate limits unavailable"
    assert llm.requests == []  # refused before any work
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/sources").status_code == 200


# --- the audit log --------------------------------------------------------------------------


@pytest.fixture
def broken_audit(tmp_path: Path) -> Iterator[Any]:
    """`(path, break_it)`: an audit file, and a function that makes it unwritable (its path
    becomes a folder; root ignores permissions, so a mode change would prove nothing)."""
    path = tmp_path / "audit" / "audit.jsonl"

    def break_it() -> None:
        shutil.rmtree(path.parent)
        path.mkdir(parents=True)

    yield path, break_it


def test_an_unwritable_audit_log_refuses_questions_by_default(make_client, llm, broken_audit):
    path, break_it = broken_audit
    llm.default = Reply(content=REGIONS)
    client = make_client(audit={"path": str(path)})
    assert client.post("/api/v1/query/sql", json=QUESTION).status_code == 200
    break_it()
    answer = client.post("/api/v1/query/sql", json=QUESTION)
    assert answer.status_code == 503
    problem = answer.json()
    assert problem["title"] == "Audit log unavailable"
    assert "results" not in problem and "sql" not in problem
    assert metric(client, "data_assistant_audit_failures_total", sink="file") >= 1


def test_an_unwritable_audit_log_can_be_set_to_answer_and_alert(
    make_client, llm, broken_audit, caplog
):
    path, break_it = broken_audit
    llm.default = Reply(content=REGIONS)
    client = make_client(audit={"path": str(path), "on_failure": "continue"})
    break_it()
    with caplog.at_level(logging.ERROR, logger="data_assistant.audit"):
        answer = client.post("/api/v1/query/sql", json=QUESTION)
    assert answer.status_code == 200
    assert "could not write the audit record" in caplog.text
    assert metric(client, "data_assistant_audit_failures_total", sink="file") >= 1


def test_an_audit_database_that_goes_away_refuses_questions_until_it_is_back(
    make_client, llm, postgres_url
):
    from tests.servers import TcpProxy

    proxy = TcpProxy("127.0.0.1", 5432).start()
    url = postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    assert str(proxy.port) in url
    llm.default = Reply(content=REGIONS)
    client = make_client(audit={"url": url, "table": "ops_audit"})
    try:
        assert client.post("/api/v1/query/sql", json=QUESTION).status_code == 200
        proxy.stop()
        assert client.post("/api/v1/query/sql", json=QUESTION).status_code == 503
        proxy.start()
        assert client.post("/api/v1/query/sql", json=QUESTION).status_code == 200
    finally:
        proxy.stop()


def _wait_for(condition: Any, what: str, timeout: float = 30) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def audit_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]
