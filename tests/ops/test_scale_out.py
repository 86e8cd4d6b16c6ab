"""Two real server processes on one Redis behave as one server: rate limits, OAuth codes and
refresh tokens, and schema refreshes hold across them."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from data_assistant.settings import load_settings
from tests.llm_stub import ChatStub, Reply
from tests.oauth.conftest import CALLBACK, Flow, bearer, users
from tests.ops.conftest import REDIS_URL
from tests.ops.live import ServerProcess, free_port, llm_config


def shared_config(base: str, folder: Path, shop_db: Path, llm: ChatStub, prefix: str) -> dict:
    """One deployment's configuration: both processes answer for `base`, behind a balancer."""
    return {
        "base_url": base,
        "data_dir": str(folder / "data"),
        "redis_url": REDIS_URL,
        "redis_key_prefix": prefix,
        "sources": {"shop": {"url": f"sqlite:///{shop_db}", "denied_tables": ["secrets"]}},
        "translator": llm_config(llm.url),
        "rate_limit": {"per_minute": 1, "burst": 4},
        "auth": {"mode": "oauth", "oauth": {"builtin": {"users": users()}}},
    }


@pytest.fixture
def pair(tmp_path: Path, shop_db: Path, llm: ChatStub, redis_prefix: str):
    """Processes A and B of one deployment on one Redis."""
    port_a = free_port()
    base = f"http://127.0.0.1:{port_a}"
    config = shared_config(base, tmp_path, shop_db, llm, redis_prefix)
    a = ServerProcess(tmp_path, config, name="a", port=port_a)
    b = ServerProcess(tmp_path, config, name="b")
    with a, b:
        yield a, b


def register(http: httpx.Client) -> str:
    answer = http.post(
        "/oauth/register",
        json={"redirect_uris": [CALLBACK], "token_endpoint_auth_method": "none"},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["client_id"]


def ask(http: httpx.Client, token: str, question: str = "how many regions") -> httpx.Response:
    return http.post(
        "/api/v1/query/sql",
        json={"database": "shop", "question": question},
        headers=bearer(token),
    )


def test_the_top_level_redis_url_is_what_every_part_uses_unless_it_sets_its_own() -> None:
    settings = load_settings(None, environ={}).merged(
        {"redis_url": "redis://cache:6379/1", "redis_key_prefix": "prod:"}
    )
    assert settings.shared_redis("rate") == ("redis://cache:6379/1", "prod:rate:")
    assert settings.shared_redis("oauth", None, "mine:") == ("redis://cache:6379/1", "mine:")
    assert settings.shared_redis("cache", "redis://other/0") == ("redis://other/0", "prod:cache:")
    alone = load_settings(None, environ={})
    assert alone.shared_redis("schema") == (None, "data-assistant:schema:")


def test_codes_refresh_tokens_and_rate_limits_hold_across_two_processes(
    pair: tuple[ServerProcess, ServerProcess], llm: ChatStub
) -> None:
    a, b = pair
    llm.default = Reply(content="```sql\nSELECT COUNT(*) AS n FROM regions\n```")
    with httpx.Client(base_url=a.url) as at_a, httpx.Client(base_url=b.url) as at_b:
        client_id = register(at_b)  # registered at B, used at A
        flow = Flow(at_a, client_id, verifier="v" * 50)
        code = flow.code()
        flow.http = at_b  # the code is exchanged at the other process
        first = flow.exchange(code)
        assert first.status_code == 200, first.text
        tokens = first.json()

        flow.http = at_a
        second = flow.refresh(tokens["refresh_token"])
        assert second.status_code == 200, second.text
        flow.http = at_b  # the refresh token was used once, at A: reuse at B revokes
        assert flow.refresh(tokens["refresh_token"]).json()["error"] == "invalid_grant"
        revoked = at_a.get("/api/v1/sources", headers=bearer(second.json()["access_token"]))
        assert revoked.status_code == 401
        flow.http = at_a  # the code, spent at B, is spent for A too
        assert flow.exchange(code).json()["error"] == "invalid_grant"

        # A new grant, then a burst of 4 questions shared between the two processes.
        flow.http = at_a
        token = flow.exchange(flow.code()).json()["access_token"]
        statuses = [ask(http, token).status_code for http in (at_a, at_b) * 3]
        assert statuses == [200, 200, 200, 200, 429, 429]
        limited = ask(at_b, token)
        assert limited.headers["retry-after"].isdigit()


def test_a_schema_refresh_in_one_process_reaches_the_other(
    pair: tuple[ServerProcess, ServerProcess], llm: ChatStub, shop_db: Path
) -> None:
    a, b = pair
    llm.default = Reply(content="```sql\nSELECT COUNT(*) AS n FROM returns\n```")
    with httpx.Client(base_url=a.url) as at_a, httpx.Client(base_url=b.url) as at_b:
        flow = Flow(at_a, register(at_a), verifier="w" * 50)
        token = flow.exchange(flow.code()).json()["access_token"]
        before = ask(at_b, token, "how many returns")
        assert before.status_code == 400, before.text  # no such table, as B knows it
        with sqlite3.connect(shop_db) as conn:  # a migration
            conn.execute("CREATE TABLE returns (id INTEGER PRIMARY KEY, order_id INTEGER)")
            conn.execute("INSERT INTO returns VALUES (1, 2), (2, 3)")
        conn.close()
        refreshed = at_a.post("/api/v1/sources/shop/refresh", headers=bearer(token))
        assert refreshed.status_code == 200, refreshed.text
        answer = _eventually_answered(at_b, token, "how many returns")
        assert answer.json()["results"] == [{"n": 2}]
        assert 'origin="notice",source="shop"' in at_b.get("/metrics").text


def _eventually_answered(http: httpx.Client, token: str, question: str) -> Any:
    # The notice travels through Redis; B reads its schema again when it arrives.
    deadline = time.monotonic() + 10
    while True:
        answer = ask(http, token, question)
        if answer.status_code == 200 or time.monotonic() > deadline:
            assert answer.status_code == 200, answer.text
            return answer
        time.sleep(0.1)
