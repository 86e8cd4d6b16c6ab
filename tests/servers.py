"""Fixtures for the real database servers: fresh databases, the demo data, a TCP proxy.

PostgreSQL and MariaDB are expected on 127.0.0.1 (override with DATA_ASSISTANT_TEST_POSTGRES_URL
and DATA_ASSISTANT_TEST_MARIADB_URL, admin URLs to an existing database). A server that cannot
be reached skips its tests with a message saying how to start it, unless
DATA_ASSISTANT_REQUIRE_SERVERS=1 (as CI sets), when it fails them instead.

Each test session works in databases of its own, `da_test_<random>`, created from an admin
connection and dropped at the end.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

REQUIRE_SERVERS_ENV = "DATA_ASSISTANT_REQUIRE_SERVERS"


@dataclass(frozen=True)
class Server:
    """A database server the tests may create databases on."""

    name: str
    admin_url: str
    how_to_start: str

    def url_for(self, database: str) -> str:
        """The admin URL pointed at another database, as text with the password kept."""
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def check(self) -> None:
        """Fail or skip (see the module docstring) unless the server answers."""
        engine = create_engine(self.admin_url, connect_args=_CONNECT_FAST[self.name])
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            unreachable(self, exc)
        finally:
            engine.dispose()

    def create_database(self) -> str:
        """A new empty database; its URL."""
        database = f"da_test_{secrets.token_hex(4)}"
        self._admin(f"CREATE DATABASE {database}")
        return self.url_for(database)

    def drop_database(self, url: str) -> None:
        database = make_url(url).database
        assert database and database.startswith("da_test_"), database
        if self.name == "postgres":
            self._admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        else:
            self._admin(f"DROP DATABASE IF EXISTS {database}")

    def admin_execute(self, sql: str, params: dict | None = None) -> list[tuple]:
        """Run one statement as the admin, outside any transaction; the rows it returns."""
        return self._admin(sql, params)

    def _admin(self, sql: str, params: dict | None = None) -> list[tuple]:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                result = conn.execute(text(sql), params or {})
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            engine.dispose()


POSTGRES = Server(
    name="postgres",
    admin_url=os.environ.get(
        "DATA_ASSISTANT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    how_to_start=(
        "start PostgreSQL with `pg_ctlcluster --skip-systemctl-redirect "
        "$(ls /etc/postgresql) main start` or set DATA_ASSISTANT_TEST_POSTGRES_URL"
    ),
)
MARIADB = Server(
    name="mariadb",
    admin_url=os.environ.get(
        "DATA_ASSISTANT_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"
    ),
    how_to_start=(
        "start MariaDB with `start-stop-daemon --start --oknodo --background "
        "--exec /usr/sbin/mariadbd` or set DATA_ASSISTANT_TEST_MARIADB_URL"
    ),
)
_CONNECT_FAST = {"postgres": {"connect_timeout": 3}, "mariadb": {"connect_timeout": 3}}


def servers_required() -> bool:
    """Whether an unreachable server is a failure (CI) rather than a skip."""
    return os.environ.get(REQUIRE_SERVERS_ENV, "") == "1"


def unreachable(server: Server, exc: BaseException) -> NoReturn:
    message = (
        f"{server.name} at {make_url(server.admin_url).render_as_string()} is not reachable "
        f"({type(exc).__name__}); {server.how_to_start}"
    )
    if servers_required():
        pytest.fail(f"{message} ({REQUIRE_SERVERS_ENV}=1)", pytrace=False)
    pytest.skip(message)


def require_module(name: str, install: str) -> Any:
    """Import `name`; when it is missing, skip, or fail where servers are required (CI),
    since a missing package there is a missing install step."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        message = f"{name} cannot be imported ({exc}); install {install}"
        if servers_required():
            pytest.fail(f"{message} ({REQUIRE_SERVERS_ENV}=1)", pytrace=False)
        pytest.skip(message, allow_module_level=True)


@contextlib.contextmanager
def fresh_database(server: Server) -> Iterator[str]:
    """A database created for the block and dropped after it; yields its URL."""
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture(scope="session")
def postgres_server() -> Server:
    POSTGRES.check()
    return POSTGRES


@pytest.fixture(scope="session")
def mariadb_server() -> Server:
    MARIADB.check()
    return MARIADB


@pytest.fixture(scope="session")
def postgres_url(postgres_server: Server) -> Iterator[str]:
    """A PostgreSQL database for the whole session."""
    with fresh_database(postgres_server) as url:
        yield url


@pytest.fixture(scope="session")
def mariadb_url(mariadb_server: Server) -> Iterator[str]:
    """A MariaDB database for the whole session."""
    with fresh_database(mariadb_server) as url:
        yield url


@pytest.fixture
def fresh_postgres_url(postgres_server: Server) -> Iterator[str]:
    """A PostgreSQL database for one test."""
    with fresh_database(postgres_server) as url:
        yield url


@pytest.fixture
def fresh_mariadb_url(mariadb_server: Server) -> Iterator[str]:
    """A MariaDB database for one test."""
    with fresh_database(mariadb_server) as url:
        yield url


@pytest.fixture(scope="session")
def demo_postgres_url(postgres_url: str, demo_sqlite_path: Path) -> str:
    """The session's PostgreSQL database holding the demo sales data."""
    from data_assistant.sample_data.load import load_demo_into

    load_demo_into(postgres_url, generated=demo_sqlite_path)
    return postgres_url


@pytest.fixture(scope="session")
def demo_mariadb_url(mariadb_url: str, demo_sqlite_path: Path) -> str:
    """The session's MariaDB database holding the demo sales data."""
    from data_assistant.sample_data.load import load_demo_into

    load_demo_into(mariadb_url, generated=demo_sqlite_path)
    return mariadb_url


@pytest.fixture(scope="session")
def demo_sqlite_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo sales data in a SQLite file."""
    from data_assistant.sample_data.sales import generate_sales_db

    return generate_sales_db(tmp_path_factory.mktemp("demo") / "sales.db")


@pytest.fixture(scope="session")
def demo_duckdb_path(tmp_path_factory: pytest.TempPathFactory, demo_sqlite_path: Path) -> Path:
    """The demo sales data in a DuckDB file."""
    from data_assistant.sample_data.load import load_demo_into

    require_module("duckdb_engine", "duckdb duckdb-engine")
    path = tmp_path_factory.mktemp("demo-duckdb") / "sales.duckdb"
    load_demo_into(f"duckdb:///{path}", generated=demo_sqlite_path)
    return path


def url_with_port(url: str, port: int) -> str:
    """`url` with its port changed (to a closed port, or a proxy's)."""
    parsed: URL = make_url(url)
    return parsed.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TcpProxy:
    """A loopback TCP forwarder to a real server that can be taken down and brought back.

    It stands for the network path, not the database: stopping it closes the listener and
    every open connection, as a server restart or a network outage does.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = closed_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> TcpProxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        with self._lock:
            if self._listener is not None:
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._sockets |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)
