"""Fixtures of the production tests: the real Redis and database servers, a key prefix."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.settings import Settings
from tests.auth.conftest import REDIS_URL, redis_client
from tests.conftest import LOCAL
from tests.servers import (
    demo_postgres_url,
    demo_sqlite_path,
    fresh_postgres_url,
    postgres_server,
    postgres_url,
)

__all__ = [
    "REDIS_URL",
    "demo_postgres_url",
    "demo_sqlite_path",
    "fresh_postgres_url",
    "postgres_server",
    "postgres_url",
    "redis_client",
]


@pytest.fixture
def redis_prefix(redis_client: Any) -> Iterator[str]:
    """A Redis key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"da-test-ops-{secrets.token_hex(6)}:"
    yield prefix
    for key in redis_client.scan_iter(match=prefix + "*"):
        redis_client.delete(key)


@pytest.fixture
def make_client(shop_settings: Settings) -> Iterator[Any]:
    """`make_client(base_url=LOCAL, **changes)`: a TestClient of the shop app, settings merged."""
    made: list[TestClient] = []

    def make(base_url: str = LOCAL, **changes: Any) -> TestClient:
        client = TestClient(
            create_app(shop_settings.merged(changes)),
            base_url=base_url,
            raise_server_exceptions=False,
        )
        client.__enter__()
        made.append(client)
        return client

    yield make
    for client in made:
        client.__exit__(None, None, None)
