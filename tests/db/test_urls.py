"""Plain database URLs work with the drivers the project installs."""

from __future__ import annotations

import importlib.util

import pytest
from sqlalchemy.engine import make_url

from data_assistant.engines import engine_for_url
from data_assistant.errors import SourceUnavailable
from data_assistant.settings import SourceSettings
from data_assistant.sources.sql import SqlSource


@pytest.mark.parametrize(
    "url, drivername, dialect",
    [
        ("postgresql://u@h/db", "postgresql+psycopg", "postgres"),
        ("postgres://u@h/db", "postgresql+psycopg", "postgres"),
        ("postgres+psycopg2://u@h/db", "postgresql+psycopg2", "postgres"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg", "postgres"),
        ("mysql://u@h/db", "mysql+pymysql", "mysql"),
        ("mariadb://u@h/db", "mariadb+pymysql", "mysql"),
        ("mysql+pymysql://u@h/db", "mysql+pymysql", "mysql"),
        ("mssql://u:p@h/db", "mssql+pyodbc", "tsql"),
        ("mssql+pymssql://u:p@h/db", "mssql+pymssql", "tsql"),
        ("duckdb:///data.duckdb", "duckdb", "duckdb"),
        ("sqlite:///data.db", "sqlite", "sqlite"),
    ],
)
def test_a_url_picks_its_backend_and_the_installed_driver(url, drivername, dialect):
    engine, connect_url = engine_for_url(url)
    assert connect_url.drivername == drivername
    assert engine.sqlglot_dialect == dialect


def test_an_unknown_kind_names_the_close_ones():
    with pytest.raises(ValueError, match="did you mean postgres"):
        engine_for_url("postgress://u@h/db")


def _plain(url: str, scheme: str) -> str:
    """`url` with its scheme replaced by a plain one, naming no driver."""
    return make_url(url).set(drivername=scheme).render_as_string(hide_password=False)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgres_urls_connect(postgres_url: str, scheme: str):
    source = SqlSource("pg", SourceSettings(url=_plain(postgres_url, scheme)))
    try:
        source.ping()
        assert source.dialect == "postgres"
    finally:
        source.close()


@pytest.mark.parametrize("scheme", ["mysql", "mariadb"])
def test_plain_mysql_and_mariadb_urls_connect(mariadb_url: str, scheme: str):
    source = SqlSource("maria", SourceSettings(url=_plain(mariadb_url, scheme)))
    try:
        source.ping()
        assert source.engine.dialect.is_mariadb
        assert source.execute("SELECT @@session.tx_read_only", max_rows=1).rows == [[1]]
    finally:
        source.close()


def test_a_driver_that_is_not_installed_is_named():
    if importlib.util.find_spec("pg8000") is not None:
        pytest.skip("pg8000 is installed here")
    source = SqlSource("pg", SourceSettings(url="postgresql+pg8000://u@127.0.0.1/db"))
    with pytest.raises(SourceUnavailable, match="driver pg8000, which is not installed"):
        source.ping()
