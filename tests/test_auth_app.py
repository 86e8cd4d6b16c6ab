"""Identity and policies through the real app: tokens, grants, row filters, audit, limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from data_assistant.app import create_app
from data_assistant.cli import app as cli
from data_assistant.settings import load_settings
from tests.conftest import LOCAL, llm_env
from tests.llm_stub import ChatStub

SECRET = "s" * 40
ASK = "/api/v1/query/sql"


@pytest.fixture
def config(tmp_path: Path, shop_db: Path) -> Path:
    path = tmp_path / "data-assistant.yaml"
    path.write_text(
        f"""
auth:
  mode: jwt
  jwt: {{secret: "{SECRET}"}}
audit: {{path: {tmp_path / "audit.jsonl"}}}
rate_limit: {{per_minute: 60, burst: 3}}
sources:
  shop:
    url: sqlite:///{shop_db}
    denied_tables: [secrets]
    policies:
      tables:
        customers:
          rows: "region_id = :claims.region"
          deny_columns: [update_count]
  other:
    url: sqlite:///{shop_db}
"""
    )
    return path


def mint(config: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["token", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


@pytest.fixture
def client(config: Path, llm: ChatStub):
    settings = load_settings(config, environ=llm_env(llm))
    settings = settings.merged({"translator": {"max_retries": 0}})
    with TestClient(
        create_app(settings), base_url=LOCAL, raise_server_exceptions=False
    ) as test_client:
        yield test_client


def ask(client, token: str | None, question: str = "customers", database: str = "shop"):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.post(ASK, json={"database": database, "question": question}, headers=headers)


def test_no_token_is_401_with_a_bearer_challenge(client):
    response = ask(client, None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_token_for_another_database_is_403(client, config):
    token = mint(config, "--sub", "bob", "--databases", "other", "--claim", "region=1")
    assert ask(client, token).status_code == 403


def test_a_token_without_the_read_scope_is_403(client, config):
    token = mint(config, "--sub", "bob", "--databases", "shop", "--scope", "write:nothing")
    response = ask(client, token)
    assert response.status_code == 403
    assert "insufficient_scope" in response.headers["www-authenticate"]


def test_rows_are_filtered_by_the_tokens_claim_with_a_bound_parameter(client, config, llm):
    token = mint(config, "--sub", "alice", "--databases", "shop", "--claim", "region=1")
    llm.sql("SELECT c.name FROM customers AS c ORDER BY c.name")
    body = ask(client, token).json()
    assert [r["name"] for r in body["results"]] == ["Ada", "Cy"]
    assert ":p_0" in body["sql"] and "'1'" not in body["sql"]


def test_a_missing_claim_denies_rather_than_widens(client, config, llm):
    token = mint(config, "--sub", "carol", "--databases", "shop")
    llm.sql("SELECT name FROM customers")
    assert ask(client, token).status_code == 403


def test_a_denied_column_is_rejected_and_hidden_from_the_model(client, config, llm):
    token = mint(config, "--sub", "alice", "--databases", "shop", "--claim", "region=1")
    llm.sql(*["SELECT update_count FROM customers"] * 3)
    response = ask(client, token)
    assert response.status_code == 400
    assert "update_count" in response.json()["detail"]
    assert "update_count" not in llm.requests[0]["body"]["messages"][1]["content"]


def test_sources_are_listed_only_when_granted(client, config):
    token = mint(config, "--sub", "bob", "--databases", "other")
    listed = client.get("/api/v1/sources", headers={"authorization": f"Bearer {token}"})
    assert [s["name"] for s in listed.json()["sources"]] == ["other"]


def test_every_question_is_audited_without_the_token(client, config, llm, tmp_path):
    token = mint(config, "--sub", "alice", "--databases", "shop", "--claim", "region=1")
    llm.sql("SELECT COUNT(*) AS n FROM customers")
    ask(client, token, "how many customers")
    ask(client, mint(config, "--sub", "bob", "--databases", "other"))
    records = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [(r["subject"], r["outcome"]) for r in records][:1] == [("alice", "ok")]
    assert records[0]["question"] == "how many customers" and records[0]["row_count"] == 1
    assert records[1]["subject"] == "bob" and records[1]["outcome"] != "ok"
    assert token not in (tmp_path / "audit.jsonl").read_text()


def test_too_many_questions_get_429_with_retry_after(client, config, llm):
    token = mint(config, "--sub", "eve", "--databases", "shop", "--claim", "region=1")
    llm.sql(*["SELECT 1 AS one"] * 5)
    statuses = [ask(client, token).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    limited = ask(client, token)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1


def test_the_manifest_and_spec_tell_the_truth_about_auth(client):
    manifest = client.get("/.well-known/ai-plugin.json").json()
    assert manifest["auth"]["type"] == "user_http"
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]
    assert spec["paths"]["/api/v1/query/sql"]["post"]["security"]


def test_serve_refuses_auth_none_on_a_public_address(shop_db):
    result = CliRunner().invoke(cli, ["serve", "--db", str(shop_db), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--insecure" in result.stderr
