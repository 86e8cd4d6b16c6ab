"""Fixtures of the knowledge tests: a knowledge folder for the shop database, apps over it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from data_assistant.settings import Settings, load_settings
from tests.conftest import LOCAL
from tests.servers import servers_required

SHOP_KNOWLEDGE = """
golden:
  - question: revenue in 2024
    query: >
      SELECT SUM(total) AS revenue FROM orders
      WHERE ordered_at >= '2024-01-01' AND ordered_at < '2025-01-01'
  - questions: [orders from Germany, German orders]
    query: >
      SELECT o.id, o.total FROM orders o JOIN customers c ON c.id = o.customer_id
      WHERE c.country = 'Germany' ORDER BY o.id
glossary:
  big spender:
    filter: customers.id IN (SELECT customer_id FROM orders WHERE total > 100)
    description: bought for more than 100 in one order
    synonyms: [vip]
tables:
  customers:
    description: People who buy from the shop.
    columns:
      country: {note: (where the customer lives)}
hidden_columns: [customers.update_count]
"""

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A knowledge folder with the shop's YAML file and one .sql golden query."""
    folder = tmp_path / "knowledge"
    (folder / "shop").mkdir(parents=True)
    (folder / "shop.yaml").write_text(SHOP_KNOWLEDGE)
    (folder / "shop" / "shipped.sql").write_text(
        "-- question: shipped orders\n-- question: orders that were shipped\n"
        "SELECT id, total FROM orders WHERE status = 'shipped' ORDER BY id;\n"
    )
    return folder


def with_knowledge(settings: Settings, folder: Path, tmp_path: Path, **more: Any) -> Settings:
    """`settings` reading `folder`, keeping their files under `tmp_path`."""
    return settings.merged(
        {"knowledge": {"path": str(folder)}, "data_dir": str(tmp_path / "data"), **more}
    )


@pytest.fixture
def llm_settings(shop_settings: Settings, knowledge_dir: Path, tmp_path: Path) -> Settings:
    """The shop with the loopback LLM and the knowledge folder."""
    return with_knowledge(shop_settings, knowledge_dir, tmp_path)


@pytest.fixture
def offline_settings(shop_db: Path, knowledge_dir: Path, tmp_path: Path) -> Settings:
    """The shop with the offline translator and the knowledge folder."""
    settings = load_settings(None, dbs=[f"sqlite:///{shop_db}"], environ={})
    settings = settings.merged(
        {"translator": {"provider": "offline"}, "sources": {"shop": {"denied_tables": ["secrets"]}}}
    )
    return with_knowledge(settings, knowledge_dir, tmp_path)


def app_client(settings: Settings) -> Iterator[TestClient]:
    from data_assistant.app import create_app

    app = create_app(settings)
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as client:
        yield client
    app.state.assistant.close()


@pytest.fixture
def llm_client(llm_settings: Settings) -> Iterator[TestClient]:
    yield from app_client(llm_settings)


@pytest.fixture
def offline_client(offline_settings: Settings) -> Iterator[TestClient]:
    yield from app_client(offline_settings)


def ask(client: TestClient, question: str, database: str = "shop", **headers: str) -> Any:
    return client.post(
        "/api/v1/query/sql", json={"database": database, "question": question}, headers=headers
    )


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of its own on the test Redis, its keys deleted afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        message = f"Redis at 127.0.0.1:6379 is not reachable ({type(exc).__name__})"
        if servers_required():
            pytest.fail(message + " and DATA_ASSISTANT_REQUIRE_SERVERS=1")
        pytest.skip(message)
    prefix = f"da-test-{secrets.token_hex(4)}:"
    yield prefix
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()
