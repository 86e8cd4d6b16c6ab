"""Audit records: one per question, to a file or a table, never holding a credential."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient

from data_assistant.answers import Answer, Attempt, RowsResult
from data_assistant.api.problems import install_problem_handlers
from data_assistant.audit import (
    AuditRecord,
    DatabaseAuditLog,
    JsonLinesAuditLog,
    audited,
    make_audit_log,
)
from data_assistant.auth import (
    Principal,
    current_principal,
    install_auth,
    mint_token,
)
from data_assistant.errors import AuditUnavailable, GuardRejection, Refusal, SourceUnavailable
from data_assistant.settings import AuditSettings, AuthSettings
from tests.auth.conftest import SECRET
from tests.conftest import LOCAL


def audited_app(log: Any) -> FastAPI:
    """A route that audits like the real one will: principal, question, client, outcome."""
    app = FastAPI()
    install_problem_handlers(app)
    install_auth(app, AuthSettings(mode="jwt", jwt={"secret": SECRET}))

    @app.post("/ask/{source}")
    def ask(
        source: str, body: dict, request: Request, principal: Principal = Depends(current_principal)
    ) -> dict:
        with audited(
            log,
            subject=principal.subject,
            source=source,
            question=body["question"],
            client_address=request.client.host if request.client else None,
            user_agent=request.headers.get("user-agent"),
        ) as entry:
            if body["question"] == "drop it":
                raise GuardRejection("Only SELECT queries are allowed.", sql="DROP TABLE t")
            if body["question"] == "???":
                raise Refusal("The question is not clear.")
            if body["question"] == "down":
                raise SourceUnavailable("Source 'sales' cannot be reached right now.")
            answer = Answer(
                source=source,
                result=RowsResult("SELECT 1 AS n", ["n"], [{"n": 1}], 1, False),
                attempts=(Attempt("x", "no such column"), Attempt("SELECT 1 AS n", None)),
            )
            entry.answered(answer)
            return {"ok": True}

    return app


def test_file_log_records_each_question_without_the_token(tmp_path: Path) -> None:
    path = tmp_path / "audit" / "log.jsonl"
    log = make_audit_log(AuditSettings(path=path))
    client = TestClient(audited_app(log), base_url=LOCAL, raise_server_exceptions=False)
    token = mint_token(SECRET, sub="alice", databases=["sales"], claims={"region": "EMEA"})
    headers = {"Authorization": f"Bearer {token}", "User-Agent": "pytest-agent"}
    for question, status in [("total sales", 200), ("drop it", 400), ("???", 422), ("down", 503)]:
        response = client.post("/ask/sales", json={"question": question}, headers=headers)
        assert response.status_code == status
    text = path.read_text()
    assert token not in text and token.split(".")[1] not in text and "Bearer" not in text
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["outcome"] for r in records] == ["ok", "rejected", "refused", "error"]
    assert [r["status"] for r in records] == [200, 400, 422, 503]
    first = records[0]
    assert first["subject"] == "alice" and first["source"] == "sales"
    assert first["question"] == "total sales" and first["sql"] == "SELECT 1 AS n"
    assert first["attempts"] == 2 and first["row_count"] == 1
    assert first["client_address"] == "testclient" and first["user_agent"] == "pytest-agent"
    assert first["duration_ms"] >= 0 and first["time"].endswith("+00:00")
    assert records[1]["sql"] == "DROP TABLE t"
    assert records[1]["error"] == "Only SELECT queries are allowed."
    assert path.stat().st_mode & 0o077 == 0  # readable by the server's user only


def test_file_log_lines_never_interleave(tmp_path: Path) -> None:
    log = JsonLinesAuditLog(tmp_path / "log.jsonl")
    big = "x" * 20_000  # longer than an atomic pipe write; the lock keeps lines whole

    def write(n: int) -> None:
        for i in range(50):
            log.record(AuditRecord(subject=f"s{n}", source="db", question=f"{i} {big}"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (tmp_path / "log.jsonl").read_text().splitlines()
    assert len(lines) == 200
    assert all(json.loads(line)["source"] == "db" for line in lines)


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_database_log(backend: str, tmp_path: Path, request) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'audit.db'}"
    else:
        url = request.getfixturevalue("pg_databases")[0]
    log = make_audit_log(AuditSettings(url=url, table="da_audit"))
    assert isinstance(log, DatabaseAuditLog)
    client = TestClient(audited_app(log), base_url=LOCAL, raise_server_exceptions=False)
    token = mint_token(SECRET, sub="bob'); DROP TABLE da_audit; --", databases=["sales"])
    headers = {"Authorization": f"Bearer {token}", "User-Agent": "u" * 2000}
    client.post("/ask/sales", json={"question": "it's a question"}, headers=headers)
    client.post("/ask/sales", json={"question": "drop it"}, headers=headers)
    # A second log on the same table finds it and appends.
    again = DatabaseAuditLog(url, "da_audit")
    again.record(AuditRecord(subject="carol", source="hr", question=None))
    with again.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT subject, question, outcome, status, user_agent FROM da_audit ORDER BY id"
            )
        ).all()
    assert [r.outcome for r in rows] == ["ok", "rejected", "ok"]
    assert rows[0].subject == "bob'); DROP TABLE da_audit; --"
    assert rows[0].question == "it's a question"
    assert len(rows[0].user_agent) == 512
    with again.engine.connect() as conn:
        everything = " ".join(
            str(v) for row in conn.execute(sa.text("SELECT * FROM da_audit")) for v in row
        )
    assert token not in everything
    log.close()
    again.close()


def test_an_unwritable_file_is_logged_and_raised_for_the_caller_to_decide(
    tmp_path: Path, caplog
) -> None:
    log = JsonLinesAuditLog(tmp_path / "log.jsonl")
    log.path = tmp_path / "gone" / "log.jsonl"  # its folder removed under the server
    with pytest.raises(AuditUnavailable):
        log.record(AuditRecord(subject="s", source="d", question="q"))
    assert "could not write the audit record" in caplog.text


def test_no_audit_when_not_configured() -> None:
    assert make_audit_log(AuditSettings()) is None
    assert make_audit_log(object()) is None
    with pytest.raises(ValueError, match="path or url"):
        AuditSettings(path="a.jsonl", url="sqlite://")
