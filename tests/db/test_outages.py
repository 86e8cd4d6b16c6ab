"""Outages: a database that is down is a 503 that says so; when it is back, the server
recovers without a restart; /readyz reports each source."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data_assistant.errors import SourceUnavailable
from data_assistant.settings import SourceSettings
from data_assistant.sources.sql import SqlSource
from tests.db.conftest import demo_url_for
from tests.db.helpers import ask, client_for, settings_with
from tests.llm_stub import ChatStub
from tests.servers import Server, TcpProxy, closed_port, url_with_port

SERVERS = ("postgres", "mariadb")


def admin_url(request: pytest.FixtureRequest, engine: str) -> str:
    server: Server = request.getfixturevalue(f"{engine}_server")
    return server.admin_url


@pytest.mark.parametrize("engine", SERVERS)
def test_a_closed_port_is_source_unavailable_saying_why(request, engine):
    url = url_with_port(admin_url(request, engine), closed_port())
    source = SqlSource("down", SourceSettings(url=url, timeout_s=2))
    try:
        with pytest.raises(SourceUnavailable, match="connection was refused"):
            source.ping()
        with pytest.raises(SourceUnavailable):
            source.execute("SELECT 1", max_rows=1)
    finally:
        source.close()


@pytest.mark.parametrize("engine", SERVERS)
def test_a_question_to_a_database_that_is_down_is_503_without_internals(
    request, engine, llm: ChatStub
):
    port = closed_port()
    url = url_with_port(admin_url(request, engine), port)
    settings = settings_with(llm, down={"url": url, "timeout_s": 2})
    with client_for(settings) as client:
        result = ask(client, "down", "how many orders?")
    assert result["status"] == 503
    problem = result["body"]
    assert problem["title"] == "Source unavailable"
    assert problem["detail"] == (
        "Source 'down' cannot be reached right now: the connection was refused."
    )
    assert str(port) not in problem["detail"] and "127.0.0.1" not in problem["detail"]
    assert llm.requests == [], "nothing is asked of the model when the source is down"


def test_readyz_reports_every_engine_and_which_one_is_down(request, llm: ChatStub):
    sources = {
        engine: {"url": demo_url_for(request, engine)}
        for engine in ("sqlite", "postgres", "mariadb", "duckdb")
    }
    sources["down"] = {
        "url": url_with_port(admin_url(request, "postgres"), closed_port()),
        "timeout_s": 2,
    }
    settings = settings_with(llm, **sources)
    with client_for(settings) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["sources"] == {
        "sqlite": "ok",
        "postgres": "ok",
        "mariadb": "ok",
        "duckdb": "ok",
        "down": "Source 'down' cannot be reached right now: the connection was refused.",
    }


def test_readyz_is_ready_when_every_source_answers(request, llm: ChatStub):
    settings = settings_with(
        llm,
        pg={"url": demo_url_for(request, "postgres")},
        maria={"url": demo_url_for(request, "mariadb")},
    )
    with client_for(settings) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "sources_ready": 2,
        "sources_total": 2,
        "sources": {"pg": "ok", "maria": "ok"},
    }


# --- a server connection killed, a database dropped, a network path down ----------------


def _terminate_backends(server: Server, database: str) -> int:
    rows = server.admin_execute(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = :db AND pid <> pg_backend_pid()",
        {"db": database},
    )
    return int(rows[0][0])


@pytest.fixture
def items_db(request: pytest.FixtureRequest) -> Iterator[tuple[Server, str]]:
    """A fresh PostgreSQL database holding a table `items` of three rows."""
    server: Server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    _create_items(url)
    yield server, url
    server.drop_database(url)


def _create_items(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO items VALUES (1), (2), (3)"))
    engine.dispose()


def _count(source: SqlSource) -> int:
    return source.execute("SELECT COUNT(*) FROM items", max_rows=1).rows[0][0]


def test_killed_idle_connections_are_replaced_without_an_error(items_db):
    server, url = items_db
    source = SqlSource("items", SourceSettings(url=url, pool_size=2))
    try:
        assert _count(source) == 3
        assert _terminate_backends(server, make_url(url).database) >= 1
        assert _count(source) == 3  # pool_pre_ping found the dead one and reconnected
    finally:
        source.close()


def test_a_connection_killed_mid_query_is_unavailable_then_the_next_query_runs(items_db):
    server, url = items_db
    database = make_url(url).database
    source = SqlSource("items", SourceSettings(url=url, pool_size=1, timeout_s=30))
    try:
        assert _count(source) == 3

        def kill_soon() -> None:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                busy = server.admin_execute(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = :db "
                    "AND query LIKE 'SELECT pg_sleep%%' AND state = 'active'",
                    {"db": database},
                )
                if busy[0][0]:
                    _terminate_backends(server, database)
                    return
                time.sleep(0.05)

        killer = threading.Thread(target=kill_soon)
        killer.start()
        started = time.monotonic()
        # Sent past the guard (which denies pg_sleep) to hold the connection busy.
        with pytest.raises(SourceUnavailable, match="connection to the database was lost"):
            source.execute("SELECT pg_sleep(20)", max_rows=1)
        killer.join()
        assert time.monotonic() - started < 10
        assert _count(source) == 3
    finally:
        source.close()


def test_a_dropped_database_is_503_and_serves_again_once_recreated(items_db, llm: ChatStub):
    server, url = items_db
    database = make_url(url).database
    settings = settings_with(llm, items={"url": url, "timeout_s": 5})
    with client_for(settings) as client:
        llm.sql("SELECT COUNT(*) AS n FROM items")
        assert ask(client, "items")["body"]["results"] == [{"n": 3}]

        server.drop_database(url)
        llm.sql("SELECT COUNT(*) AS n FROM items")
        result = ask(client, "items")
        assert result["status"] == 503
        assert result["body"]["detail"] == (
            "Source 'items' cannot be reached right now: the database does not exist."
        )

        server.admin_execute(f"CREATE DATABASE {database}")
        _create_items(url)
        llm.sql("SELECT COUNT(*) AS n FROM items")
        result = ask(client, "items")
        assert result["status"] == 200, result
        assert result["body"]["results"] == [{"n": 3}]


@pytest.mark.parametrize("engine", SERVERS)
def test_a_server_that_goes_away_and_comes_back_is_served_again_without_a_restart(
    request, engine, llm: ChatStub
):
    url = demo_url_for(request, engine)
    parsed = make_url(url)
    assert parsed.port, "the test servers' URLs name their ports"
    proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port)
    proxy.start()
    try:
        settings = settings_with(
            llm, demo={"url": url_with_port(url, proxy.port), "timeout_s": 3, "pool_size": 2}
        )
        with client_for(settings) as client:
            llm.sql("SELECT COUNT(*) AS n FROM regions")
            assert ask(client, "demo")["body"]["results"] == [{"n": 5}]
            assert client.get("/readyz").status_code == 200

            proxy.stop()
            llm.sql("SELECT COUNT(*) AS n FROM regions")
            result = ask(client, "demo")
            assert result["status"] == 503
            assert "cannot be reached right now" in result["body"]["detail"]
            assert client.get("/readyz").status_code == 503

            proxy.start()
            llm.sql("SELECT COUNT(*) AS n FROM regions")
            result = ask(client, "demo")
            assert result["status"] == 200, result
            assert result["body"]["results"] == [{"n": 5}]
            assert client.get("/readyz").status_code == 200
    finally:
        proxy.stop()
