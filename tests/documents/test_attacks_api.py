"""Hostile document queries through the real server: the model (the LLM stand-in) emits
the attack, the answer is a 200, a 400 with a reason, or a 504 at the source's time
limit, never a 500, and the server keeps answering others while one runs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.settings import load_settings
from tests.conftest import LOCAL, llm_env
from tests.documents.conftest import write_jsonl
from tests.llm_stub import ChatStub

DOCS = [
    {"id": str(i), "arr": list(range(40)), "s": "a" * 200, "x": "!", "tags": ["billing"]}
    for i in range(50)
]
TIMEOUT_S = 3


@pytest.fixture
def client(tmp_path: Path, llm: ChatStub):
    folder = tmp_path / "tickets"
    folder.mkdir()
    write_jsonl(folder / "t.jsonl", DOCS)
    config = tmp_path / "data-assistant.yaml"
    config.write_text(
        f"sources:\n  tickets:\n    kind: documents\n    path: {folder}\n"
        f"    timeout_s: {TIMEOUT_S}\n"
        "translator:\n  max_retries: 0\n  max_corrections: 0\n"
    )
    settings = load_settings(config, environ=llm_env(llm))
    with TestClient(
        create_app(settings), base_url=LOCAL, raise_server_exceptions=False
    ) as test_client:
        yield test_client


def ask(client: TestClient, question: str = "show tickets"):
    return client.post("/api/v1/query/cosmos", json={"container": "tickets", "question": question})


def doubling(step: str, start: str, levels: int) -> str:
    query = start
    for i in range(levels):
        query = f"SELECT VALUE {step.replace('v', f'v{i}')} FROM ({query}) v{i}"
    return query


JOINS = "FROM c JOIN a IN c.arr JOIN b IN c.arr JOIN d IN c.arr JOIN e IN c.arr"
ATTACKS = [
    ("catastrophic regex", "SELECT VALUE RegexMatch(REPLICATE('a', 28) || c.x, '^(a+)+$') FROM c",
     200, None),
    ("catastrophic LIKE", "SELECT VALUE c.id FROM c WHERE c.s LIKE '%a%a%a%a%a%a%a%a%a%b'",
     200, None),
    ("backreference", "SELECT * FROM c WHERE RegexMatch(c.s, '(a)\\\\1')", 400, "backreference"),
    ("lookbehind", "SELECT * FROM c WHERE RegexMatch(c.s, '(?<=a)b')", 400, "lookbehind"),
    ("3,000-term + chain", "SELECT VALUE " + " + ".join(["c.n"] * 3000) + " FROM c", 400,
     "levels deep"),
    ("deep parentheses", "SELECT VALUE " + "(" * 3000 + "1" + ")" * 3000, 400, "nests"),
    ("deep subqueries", "SELECT * FROM " + "(SELECT * FROM " * 60 + "c" + ")" * 60, 400, "nests"),
    ("huge IN list", "SELECT * FROM c WHERE c.id IN (" + ", ".join(f"'{i}'" for i in range(5000))
     + ")", 400, "IN list"),
    ("eleven JOINs", "SELECT VALUE 1 FROM c" + "".join(f" JOIN x{i} IN c.arr" for i in range(11)),
     400, "JOINs"),
    ("very long query", "SELECT * FROM c WHERE c.s = '" + "x" * 70_000 + "'", 400,
     "characters long"),
    ("JOIN explosion", f"SELECT VALUE COUNT(1) {JOINS}", 504, "limit of source 'tickets'"),
    ("value doubled by sharing", doubling("[v, v]", "SELECT VALUE c.arr FROM c", 20), 504,
     "limit of source 'tickets'"),
    ("nested REPLACE", "SELECT VALUE REPLACE(REPLACE(REPLACE(c.s, 'a', c.s), 'a', c.s), 'a', "
     "c.s) FROM c", 400, "REPLACE"),
    ("doubled string", doubling("v || v", "SELECT VALUE c.s FROM c", 20), 400, "||"),
    ("doubled array", doubling("ARRAY_CONCAT(v, v)", "SELECT VALUE c.arr FROM c", 20), 400,
     "ARRAY_CONCAT"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "query", "status", "detail"), ATTACKS, ids=[a[0] for a in ATTACKS]
)
def test_an_attack_query_gets_a_clear_answer_never_a_500(
    client: TestClient, llm: ChatStub, label: str, query: str, status: int, detail: str | None
) -> None:
    llm.sql(query)
    response = ask(client)
    assert response.status_code == status, response.text[:300]
    if detail is not None:
        problem = response.json()
        assert detail in problem["detail"]
        assert "Traceback" not in response.text


def test_the_server_answers_healthz_while_a_pathological_query_runs(
    client: TestClient, llm: ChatStub
) -> None:
    # Issue 9: a catastrophic regex held the interpreter and /healthz waited 14 s. Here
    # the same pattern runs on every row of a JOIN, for the source's whole time limit.
    llm.sql(f"SELECT VALUE COUNT(1) {JOINS} WHERE RegexMatch(REPLICATE('a', 28) || c.x, "
            "'^(a+)+$')")  # fmt: skip
    answer: dict[str, int] = {}
    worker = threading.Thread(target=lambda: answer.update(status=ask(client).status_code))
    worker.start()
    deadline = time.monotonic() + 10
    while not llm.requests and time.monotonic() < deadline:
        time.sleep(0.02)
    due = time.monotonic() + 0.3  # the query is running by then
    for _ in range(3):
        time.sleep(max(0.0, due - time.monotonic()))
        assert client.get("/healthz").status_code == 200
        # Counted from when the call was due: were the interpreter held by the query,
        # this thread would not even wake. The bound is generous for a loaded machine.
        assert time.monotonic() - due < 1.0
        assert worker.is_alive(), "the query should still be running"
        due += 0.3
    worker.join(timeout=30)
    assert answer == {"status": 504}
