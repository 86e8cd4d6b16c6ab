"""Golden queries through the API and the CLI: the admin scope, problem JSON, verify."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from data_assistant.app import create_app
from data_assistant.cli import app as cli
from data_assistant.settings import load_settings
from tests.conftest import LOCAL
from tests.knowledge.conftest import ask

SECRET = "k" * 40
GOLDEN = "/api/v1/sources/shop/golden"


@pytest.fixture
def config(tmp_path: Path, shop_db: Path, knowledge_dir: Path) -> Path:
    path = tmp_path / "data-assistant.yaml"
    path.write_text(
        f"""
data_dir: {tmp_path / "data"}
translator: {{provider: offline}}
auth:
  mode: jwt
  jwt: {{secret: "{SECRET}"}}
knowledge:
  path: {knowledge_dir}
  admin_scope: shop:curate
sources:
  shop:
    url: sqlite:///{shop_db}
    denied_tables: [secrets]
    policies:
      tables:
        orders:
          rows: "customer_id = :claims.customer"
"""
    )
    return path


def mint(config: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["token", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


@pytest.fixture
def client(config: Path):
    app = create_app(load_settings(config, environ={}))
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.assistant.close()


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture
def admin(config: Path) -> dict[str, str]:
    return bearer(
        mint(
            config,
            "--sub", "curator", "--databases", "shop", "--scope", "read:data",
            "--scope", "shop:curate", "--claim", "customer=1",
        )
    )  # fmt: skip


@pytest.fixture
def reader(config: Path) -> dict[str, str]:
    return bearer(mint(config, "--sub", "ada", "--databases", "shop", "--claim", "customer=1"))


def test_golden_queries_are_added_listed_and_removed_with_the_admin_scope(client, admin):
    body = {
        "question": "orders per status",
        "query": "SELECT status, COUNT(*) AS n FROM orders GROUP BY status",
    }
    added = client.post(GOLDEN, json=body, headers=admin)
    assert added.status_code == 201, added.text
    golden_id = added.json()["id"]
    assert added.json()["origin"] == "store" and added.json()["added_by"] == "curator"
    listed = client.get(GOLDEN, headers=admin).json()["golden"]
    assert [g["question"] for g in listed][-1] == "orders per status"
    assert [g["origin"] for g in listed].count("file") == 5
    assert client.delete(f"{GOLDEN}/{golden_id}", headers=admin).status_code == 204
    listed = client.get(GOLDEN, headers=admin).json()["golden"]
    assert "orders per status" not in [g["question"] for g in listed]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", GOLDEN, None),
        ("post", GOLDEN, {"question": "q", "query": "SELECT 1"}),
        ("delete", f"{GOLDEN}/abc", None),
        ("post", f"{GOLDEN}/verify", None),
    ],
)
def test_without_the_admin_scope_golden_queries_are_forbidden(client, reader, method, path, body):
    response = client.request(method, path, json=body, headers=reader)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "shop:curate" in response.json()["detail"]
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert client.request(method, path, json=body).status_code == 401


def test_the_admin_scope_does_not_open_a_source_the_token_does_not_grant(client, config):
    other = bearer(mint(config, "--sub", "x", "--databases", "other", "--scope", "shop:curate"))
    assert client.get(GOLDEN, headers=other).status_code == 403


@pytest.mark.parametrize(
    ("request_", "status", "detail"),
    [
        (("delete", f"{GOLDEN}/000000000000", None), 404, "no golden query with id"),
        (
            ("post", GOLDEN, {"question": "shipped orders", "query": "SELECT 1"}),
            409,
            "knowledge files",
        ),
        (("post", GOLDEN, {"question": "wipe", "query": "DELETE FROM orders"}), 400, ""),
        (("post", GOLDEN, {"question": "secret", "query": "SELECT token FROM secrets"}), 400, ""),
        (("post", GOLDEN, {"question": "bad", "query": "SELECT nope FROM orders"}), 400, "nope"),
        (("post", GOLDEN, {"question": "", "query": "SELECT 1"}), 400, ""),
        (("post", GOLDEN, {"question": "q", "query": "SELECT 1", "extra": 1}), 400, ""),
        (("get", "/api/v1/sources/nope/golden", None), 403, ""),
    ],
)
def test_golden_errors_are_problem_json(client, admin, request_, status, detail):
    method, path, body = request_
    response = client.request(method, path, json=body, headers=admin)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert detail in response.json()["detail"]


def test_a_file_golden_query_cannot_be_removed_through_the_api(client, admin):
    listed = client.get(GOLDEN, headers=admin).json()["golden"]
    response = client.delete(f"{GOLDEN}/{listed[0]['id']}", headers=admin)
    assert response.status_code == 409


def test_the_openapi_document_describes_the_golden_operations(client):
    spec = client.get("/openapi.json").json()
    ops = {
        op["operationId"]: (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
    }
    assert ops["listGoldenQueries"][:2] == ("/api/v1/sources/{name}/golden", "get")
    assert ops["addGoldenQuery"][:2] == ("/api/v1/sources/{name}/golden", "post")
    assert ops["removeGoldenQuery"][:2] == ("/api/v1/sources/{name}/golden/{golden_id}", "delete")
    assert ops["verifyGoldenQueries"][:2] == ("/api/v1/sources/{name}/golden/verify", "post")
    add = ops["addGoldenQuery"][2]
    for status in ("400", "401", "403", "409"):
        assert "application/problem+json" in add["responses"][status]["content"]
    assert add["security"]
    answer = spec["components"]["schemas"]["SqlQueryResponse"]["properties"]
    assert {"verified", "cached", "translated_at"} <= answer.keys()


def test_a_golden_query_runs_under_the_askers_row_policy(client, config, admin):
    ada = bearer(mint(config, "--sub", "ada", "--databases", "shop", "--claim", "customer=1"))
    bob = bearer(mint(config, "--sub", "bob", "--databases", "shop", "--claim", "customer=2"))
    body = {"question": "all my orders", "query": "SELECT id, total FROM orders ORDER BY id"}
    assert client.post(GOLDEN, json=body, headers=admin).status_code == 201
    for headers, ids in ((ada, [1, 2]), (bob, [3])):
        answer = ask(client, "all my orders", **headers).json()
        assert answer["verified"] is True
        assert [row["id"] for row in answer["results"]] == ids
    # A paraphrase reaches the same golden query, still filtered.
    answer = ask(client, "show me all my orders", **bob).json()
    assert answer["verified"] is True and [r["id"] for r in answer["results"]] == [3]


def test_verify_reports_the_golden_queries_a_schema_change_broke(client, admin, shop_db):
    assert client.post(f"{GOLDEN}/verify", headers=admin).json()["broken"] == 0
    with sqlite3.connect(shop_db) as conn:
        conn.execute("ALTER TABLE orders RENAME COLUMN total TO amount")
    conn.close()
    report = client.post(f"{GOLDEN}/verify", headers=admin).json()
    broken = {r["question"]: r["reason"] for r in report["results"] if not r["ok"]}
    assert set(broken) == {
        "revenue in 2024",
        "orders from Germany",
        "German orders",
        "shipped orders",
        "orders that were shipped",
    }
    assert all("total" in reason for reason in broken.values())
    assert report["checked"] == 5 and report["broken"] == 5


def test_the_cli_adds_lists_verifies_and_removes_golden_queries(shop_db, knowledge_dir, tmp_path):
    config = tmp_path / "cli.yaml"
    config.write_text(
        f"data_dir: {tmp_path / 'data'}\nknowledge: {{path: {knowledge_dir}}}\n"
        f"sources: {{shop: {{url: 'sqlite:///{shop_db}', denied_tables: [secrets]}}}}\n"
    )
    run = CliRunner().invoke
    added = run(cli, ["golden", "add", "-c", str(config), "customers per country",
                      "SELECT country, COUNT(*) AS n FROM customers GROUP BY country"])  # fmt: skip
    assert added.exit_code == 0, added.output
    golden_id = added.stdout.strip()
    listed = run(cli, ["golden", "list", "-c", str(config)])
    assert f"{golden_id}  store  customers per country" in listed.stdout
    assert run(cli, ["golden", "verify", "-c", str(config)]).exit_code == 0
    with sqlite3.connect(shop_db) as conn:
        conn.execute("ALTER TABLE customers RENAME COLUMN country TO nation")
    conn.close()
    verified = run(cli, ["golden", "verify", "-c", str(config)])
    assert verified.exit_code == 1
    assert f"BROKEN {golden_id}  customers per country" in verified.stdout
    assert "6 checked, 3 broken" in verified.stderr
    rejected = run(cli, ["golden", "add", "-c", str(config), "drop", "DROP TABLE orders"])
    assert rejected.exit_code == 3
    assert run(cli, ["golden", "remove", "-c", str(config), golden_id]).exit_code == 0
    assert golden_id not in run(cli, ["golden", "list", "-c", str(config)]).stdout
    assert run(cli, ["golden", "remove", "-c", str(config), golden_id]).exit_code == 2


def test_golden_queries_are_shared_by_processes_through_the_store(offline_settings):
    from data_assistant.pipeline import Assistant

    first, second = Assistant(offline_settings), Assistant(offline_settings)
    try:
        first.golden_add(
            "shop", "orders per status", "SELECT status, COUNT(*) FROM orders GROUP BY status"
        )
        assert "orders per status" in [g.question for g in second.golden_list("shop")]
        answer = second.ask("shop", "orders per status")
        assert answer.verified
    finally:
        first.close()
        second.close()


def test_golden_queries_kept_in_redis_are_shared(offline_settings, redis_prefix):
    from data_assistant.pipeline import Assistant

    settings = offline_settings.merged(
        {"knowledge": {"redis_url": "redis://127.0.0.1:6379/0", "key_prefix": redis_prefix}}
    )
    first, second = Assistant(settings), Assistant(settings)
    try:
        added = first.golden_add("shop", "orders per status", "SELECT status FROM orders")
        assert [g.id for g in second.golden_list("shop") if g.origin == "store"] == [added.id]
        second.golden_remove("shop", added.id)
        assert [g for g in first.golden_list("shop") if g.origin == "store"] == []
    finally:
        first.close()
        second.close()
