"""SQL Server / Azure SQL, as far as the driver call: no SQL Server runs here.

What is checked: the T-SQL dialect reaches the guard and the row cap; the connection asks
for a read-only replica; the Entra ID token from a credential (a stand-in object with
`get_token`, like azure-identity's) is handed to the ODBC driver as the
SQL_COPT_SS_ACCESS_TOKEN attribute, cached, and fetched again near its expiry; and the
driver's own failure to connect is a 503 that says why.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event

from data_assistant.errors import ConfigError, SourceUnavailable
from data_assistant.guard.sql_guard import check_sql
from data_assistant.settings import Settings, SourceSettings
from data_assistant.sources import SourceRegistry
from data_assistant.sources.entra import (
    AZURE_SQL_SCOPE,
    SQL_COPT_SS_ACCESS_TOKEN,
    AccessTokenCache,
    EntraTokenError,
    token_struct,
)
from data_assistant.sources.sql import SqlSource
from tests.servers import closed_port, require_module

AZURE_URL = (
    "mssql+pyodbc://sales-db.database.windows.net:1433/sales"
    "?driver=ODBC+Driver+18+for+SQL+Server&Encrypt=yes"
)


@dataclass
class Token:
    token: str
    expires_on: int


@dataclass
class StandInCredential:
    """Issues numbered tokens living `lifetime_s`; records the scopes asked for."""

    lifetime_s: float = 3600
    fail: bool = False
    clock: Callable[[], float] = time.time
    scopes: list[tuple[str, ...]] = field(default_factory=list)

    def get_token(self, *scopes: str, **kwargs: Any) -> Token:
        if self.fail:
            raise RuntimeError("DefaultAzureCredential failed to retrieve a token")
        self.scopes.append(scopes)
        return Token(f"token-{len(self.scopes)}", int(self.clock() + self.lifetime_s))


def test_sql_server_sources_speak_t_sql_and_cap_rows_with_top():
    source = SqlSource("sales", SourceSettings(url="mssql://user:pw@db.example.com/sales"))
    assert source.dialect == "tsql"
    assert source._url.drivername == "mssql+pyodbc"
    guarded = check_sql("SELECT name FROM customers", dialect=source.dialect, row_cap=11)
    assert guarded.sql == "SELECT TOP 11 name FROM customers"


def test_the_connection_asks_for_a_read_only_replica_with_the_default_driver():
    source = SqlSource("sales", SourceSettings(url="mssql://user:pw@db.example.com/sales"))
    assert dict(source._url.query) == {
        "driver": "ODBC Driver 18 for SQL Server",
        "ApplicationIntent": "ReadOnly",
    }
    raw = SqlSource(
        "raw",
        SourceSettings(url="mssql+pyodbc:///?odbc_connect=DRIVER%3Dx%3BServer%3Dh%3BUID%3Du"),
    )
    assert raw._url.query["odbc_connect"] == "DRIVER=x;Server=h;UID=u;ApplicationIntent=ReadOnly"


@pytest.fixture
def pyodbc():
    # Without the unixODBC library (a system package) pyodbc does not import: a fresh
    # machine skips with the reason, CI (which installs it) fails.
    return require_module("pyodbc", "pyodbc and the system package unixodbc")


def _connect_attempts(source: SqlSource) -> list[tuple[str, dict[str, Any]]]:
    """Record what reaches the driver: the connection string and keyword arguments."""
    seen: list[tuple[str, dict[str, Any]]] = []

    def record(dialect, record, cargs, cparams):
        seen.append((cargs[0] if cargs else "", dict(cparams)))

    event.listen(source.engine, "do_connect", record)
    return seen


def test_an_entra_id_token_is_handed_to_the_odbc_driver(pyodbc):
    credential = StandInCredential()
    source = SqlSource("azure", SourceSettings(url=AZURE_URL, azure_ad=True), credential=credential)
    seen = _connect_attempts(source)
    try:
        # No SQL Server ODBC driver is installed here: the driver call itself fails.
        with pytest.raises(SourceUnavailable, match="cannot be reached"):
            source.ping()
    finally:
        source.close()
    assert credential.scopes == [(AZURE_SQL_SCOPE,)]
    connection_string, kwargs = seen[0]
    parts = connection_string.split(";")
    assert "ApplicationIntent=ReadOnly" in parts and "Encrypt=yes" in parts
    assert not any(p.lower().startswith(("trusted_connection", "uid", "pwd")) for p in parts)
    attr = kwargs["attrs_before"][SQL_COPT_SS_ACCESS_TOKEN]
    (length,) = struct.unpack("<I", attr[:4])
    assert attr[4:].decode("utf-16-le") == "token-1" and length == len("token-1") * 2


def test_the_token_is_reused_until_five_minutes_before_it_expires(pyodbc):
    credential = StandInCredential(lifetime_s=3600)
    source = SqlSource("azure", SourceSettings(url=AZURE_URL, azure_ad=True), credential=credential)
    seen = _connect_attempts(source)
    try:
        for _ in range(3):
            with pytest.raises(SourceUnavailable):
                source.ping()
    finally:
        source.close()
    assert len(credential.scopes) == 1
    tokens = {kwargs["attrs_before"][SQL_COPT_SS_ACCESS_TOKEN] for _, kwargs in seen}
    assert tokens == {token_struct("token-1")}


def test_a_token_near_its_expiry_is_fetched_again():
    now = [1_000_000.0]
    credential = StandInCredential(lifetime_s=3600, clock=lambda: now[0])
    cache = AccessTokenCache(credential, clock=lambda: now[0])
    assert cache.token() == "token-1"
    now[0] += 3600 - 301  # 5 min 1 s left: still good
    assert cache.token() == "token-1"
    now[0] += 2  # 4 min 59 s left: fetched again
    assert cache.token() == "token-2"
    assert cache.attrs_before() == {SQL_COPT_SS_ACCESS_TOKEN: token_struct("token-2")}


def test_no_token_is_a_503_that_says_so(pyodbc):
    source = SqlSource(
        "azure",
        SourceSettings(url=AZURE_URL, azure_ad=True),
        credential=StandInCredential(fail=True),
    )
    try:
        with pytest.raises(SourceUnavailable, match="no Entra ID token could be obtained"):
            source.ping()
    finally:
        source.close()
    with pytest.raises(EntraTokenError):
        AccessTokenCache(StandInCredential(fail=True)).token()


def test_a_sql_login_goes_in_the_connection_string_without_a_token(pyodbc):
    source = SqlSource(
        "sales",
        SourceSettings(url="mssql+pyodbc://reader:s3cret@127.0.0.1:1433/sales?Encrypt=no"),
    )
    seen = _connect_attempts(source)
    try:
        with pytest.raises(SourceUnavailable) as info:
            source.ping()
    finally:
        source.close()
    connection_string, kwargs = seen[0]
    assert "UID=reader" in connection_string and "PWD=s3cret" in connection_string
    assert "attrs_before" not in kwargs
    assert kwargs["timeout"] >= 2  # the login timeout
    assert "s3cret" not in info.value.reason and "127.0.0.1" not in info.value.reason


def test_entra_id_needs_pyodbc_and_no_password():
    for url in (
        "mssql+pymssql://reader@db.example.com/sales",
        "mssql+pyodbc://reader:pw@db.example.com/sales",
    ):
        settings = Settings(sources={"azure": SourceSettings(url=url, azure_ad=True)})
        with pytest.raises(ConfigError, match="azure_ad"):
            SourceRegistry(settings)


def test_pymssql_connects_read_only_with_timeouts_and_fails_as_unavailable():
    pytest.importorskip("pymssql", reason="pymssql is needed for mssql+pymssql")
    url = f"mssql+pymssql://reader:pw@127.0.0.1:{closed_port()}/sales"
    source = SqlSource("sales", SourceSettings(url=url, timeout_s=3))
    seen = _connect_attempts(source)
    try:
        with pytest.raises(SourceUnavailable, match=r"refused|timed out"):
            source.ping()
    finally:
        source.close()
    _, kwargs = seen[0]
    assert kwargs["read_only"] is True
    assert kwargs["timeout"] == 3 and kwargs["login_timeout"] == 3


def test_the_odbc_query_timeout_is_recognised(pyodbc):
    source = SqlSource("sales", SourceSettings(url="mssql://u:p@h/db"))
    timeout = pyodbc.OperationalError("HYT00", "[HYT00] [Microsoft][ODBC Driver 18] Query timeout")
    assert source.backend.is_timeout(timeout)
    assert not source.backend.is_timeout(pyodbc.ProgrammingError("42S02", "Invalid object"))
