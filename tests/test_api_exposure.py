"""What the server shows to whom: Host and Origin checks (DNS rebinding), readiness without
credentials, suggestions only among granted sources, a rate-limited and audited refresh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.auth.tokens import mint_token
from data_assistant.settings import Settings, load_settings
from tests.conftest import LOCAL, llm_env

SECRET = "s" * 40
ASK = "/api/v1/query/sql"


def app_client(settings: Settings, base_url: str = LOCAL) -> TestClient:
    return TestClient(create_app(settings), base_url=base_url, raise_server_exceptions=False)


def question(client: TestClient, **headers: str):
    return client.post(ASK, json={"database": "shop", "question": "x"}, headers=headers)


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1", 200),
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("LOCALHOST", 200),
        ("[::1]:8000", 200),
        ("attacker.example", 421),
        ("attacker.example:8000", 421),
        ("127.0.0.1.attacker.example", 421),
        ("localhost.attacker.example", 421),
        ("evil.localhost.example:8000", 421),
        ("", 421),
    ],
)
def test_with_auth_off_only_loopback_host_names_are_answered(shop_settings, llm, host, status):
    llm.sql(*["SELECT COUNT(*) AS n FROM orders"] * 2)
    with app_client(shop_settings) as client:
        response = question(client, host=host)
        assert response.status_code == status
        if status == 421:
            assert response.headers["content-type"].startswith("application/problem+json")
            assert "rows" not in response.text and "results" not in response.text
            # Not one endpoint answers a foreign host: not the health check, not the spec.
            assert client.get("/openapi.json", headers={"host": host}).status_code == 421
            assert client.get("/readyz", headers={"host": host}).status_code == 421


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        ("http://127.0.0.1", 200),
        ("http://attacker.example", 403),
        ("http://127.0.0.1:9999", 403),
        ("https://127.0.0.1", 403),
        ("null", 403),
        ("file://", 403),
    ],
)
def test_a_page_of_another_origin_cannot_call_the_api_from_a_browser(
    shop_settings, llm, origin, status
):
    llm.sql("SELECT COUNT(*) AS n FROM orders")
    with app_client(shop_settings) as client:
        response = question(client, origin=origin)
    assert response.status_code == status
    if status == 403:
        assert response.json()["type"].endswith("/forbidden-origin")


@pytest.mark.parametrize(
    ("fetch_site", "status"),
    [("same-origin", 200), ("cross-site", 403), ("same-site", 403), (None, 403)],
)
def test_origin_null_passes_only_when_the_browser_says_the_request_is_same_origin(
    shop_settings, llm, fetch_site, status
):
    # A page with Referrer-Policy: no-referrer posts to its own server with Origin: null.
    llm.sql("SELECT COUNT(*) AS n FROM orders")
    headers = {"origin": "null"} | ({"sec-fetch-site": fetch_site} if fetch_site else {})
    with app_client(shop_settings) as client:
        assert question(client, **headers).status_code == status


def test_a_read_from_another_origin_is_not_refused_by_the_origin_rule(shop_settings):
    # GETs change nothing, and without CORS headers a foreign page cannot read the answer.
    with app_client(shop_settings) as client:
        response = client.get("/api/v1/sources", headers={"origin": "http://attacker.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_configured_hosts_and_origins_are_answered(shop_settings, llm):
    settings = shop_settings.merged(
        {
            "server": {
                "allowed_hosts": ["data.example.com", "*.internal.example"],
                "allowed_origins": ["https://portal.example.com"],
            }
        }
    )
    llm.sql(*["SELECT COUNT(*) AS n FROM orders"] * 3)
    with app_client(settings) as client:
        assert question(client, host="data.example.com").status_code == 200
        assert question(client, host="a.internal.example:443").status_code == 200
        assert question(client, host="127.0.0.1").status_code == 421
        assert (
            question(
                client, host="data.example.com", origin="https://portal.example.com"
            ).status_code
            == 200
        )


def auth_settings(shop_db: Path, llm, tmp_path: Path, **extra) -> Settings:
    config = tmp_path / "data-assistant.yaml"
    config.write_text(
        f"sources:\n  shop:\n    url: sqlite:///{shop_db}\n"
        f"  shop_archive:\n    url: sqlite:///{shop_db}\n"
        f"auth:\n  mode: jwt\n  jwt:\n    secret: {SECRET}\n"
        f"audit:\n  path: {tmp_path / 'audit.jsonl'}\n"
    )
    settings = load_settings(config, environ=llm_env(llm))
    return settings.merged({"translator": {"max_retries": 0}, **extra})


def bearer(*databases: str) -> dict[str, str]:
    token = mint_token(SECRET, sub="alice", databases=list(databases), scopes=["read:data"])
    return {"authorization": f"Bearer {token}"}


def test_with_auth_on_any_host_is_answered_unless_listed(shop_db, llm, tmp_path):
    llm.sql("SELECT COUNT(*) AS n FROM orders")
    with app_client(auth_settings(shop_db, llm, tmp_path), base_url="http://data.example") as c:
        assert question(c, **bearer("shop")).status_code == 200


def test_readiness_without_credentials_says_only_the_status_and_counts(shop_db, llm, tmp_path):
    with app_client(auth_settings(shop_db, llm, tmp_path)) as client:
        anonymous = client.get("/readyz")
        granted = client.get("/readyz", headers=bearer("shop"))
    assert anonymous.status_code == 200
    assert anonymous.json() == {"status": "ready", "sources_ready": 2, "sources_total": 2}
    assert "shop" not in anonymous.text
    assert granted.json()["sources"] == {"shop": "ok"}


def test_a_misspelt_source_is_suggested_only_among_those_the_token_grants(shop_db, llm, tmp_path):
    # The token names a source that is not configured: its close matches must not include
    # a configured source it was never granted.
    with app_client(auth_settings(shop_db, llm, tmp_path)) as client:
        response = client.post(
            ASK, json={"database": "shop_archiv", "question": "x"}, headers=bearer("shop_archiv")
        )
    assert response.status_code == 404
    assert "shop_archive" not in response.json()["detail"]


def test_a_schema_refresh_is_audited_and_rate_limited(shop_db, llm, tmp_path):
    settings = auth_settings(shop_db, llm, tmp_path, rate_limit={"per_minute": 1, "burst": 2})
    with app_client(settings) as client:
        statuses = [
            client.post("/api/v1/sources/shop/refresh", headers=bearer("shop")).status_code
            for _ in range(3)
        ]
        denied = client.post("/api/v1/sources/shop_archive/refresh", headers=bearer("shop"))
    assert statuses == [200, 200, 429]
    assert denied.status_code in (403, 429)
    records = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    refreshes = [r for r in records if r["action"] == "refresh"]
    assert [r["outcome"] for r in refreshes[:3]] == ["ok", "ok", "rate_limited"]
    assert all(r["subject"] == "alice" and r["surface"] == "api" for r in refreshes)
