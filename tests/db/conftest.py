"""Fixtures of the database tests: the real servers (tests/servers.py) and a few sources."""

from __future__ import annotations

import pytest

from tests.servers import (
    demo_duckdb_path,
    demo_mariadb_url,
    demo_postgres_url,
    demo_sqlite_path,
    fresh_mariadb_url,
    fresh_postgres_url,
    mariadb_server,
    mariadb_url,
    postgres_server,
    postgres_url,
)

__all__ = [
    "demo_duckdb_path",
    "demo_mariadb_url",
    "demo_postgres_url",
    "demo_sqlite_path",
    "fresh_mariadb_url",
    "fresh_postgres_url",
    "mariadb_server",
    "mariadb_url",
    "postgres_server",
    "postgres_url",
]


ENGINES = ("sqlite", "postgres", "mariadb", "duckdb")


def demo_url_for(request: pytest.FixtureRequest, engine: str) -> str:
    """The URL of the demo sales data on `engine` (a session fixture, loaded once)."""
    if engine == "sqlite":
        return f"sqlite:///{request.getfixturevalue('demo_sqlite_path')}"
    if engine == "duckdb":
        return f"duckdb:///{request.getfixturevalue('demo_duckdb_path')}"
    return request.getfixturevalue(f"demo_{engine}_url")


@pytest.fixture(params=ENGINES)
def demo_url(request: pytest.FixtureRequest) -> str:
    """The demo sales data, once on each engine."""
    return demo_url_for(request, request.param)
