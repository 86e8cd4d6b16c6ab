"""SQL engines: one class per engine holding every fact about it, and the one registry.

`get("postgres")` is the engine a dialect name means (the guard's `--dialect`);
`engine_for_url(url, ...)` builds a source's own engine from its database URL. A new engine
is one module with one Engine subclass, listed in ENGINES below.
"""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from data_assistant.engines.base import Engine
from data_assistant.engines.duckdb import DuckDB
from data_assistant.engines.mssql import SQLServer
from data_assistant.engines.mysql import MariaDB, MySQL
from data_assistant.engines.postgres import PostgreSQL
from data_assistant.engines.sqlite import SQLite

ENGINES: dict[str, type[Engine]] = {
    cls.name: cls for cls in (SQLite, PostgreSQL, MySQL, MariaDB, SQLServer, DuckDB)
}
# SQLAlchemy backend name ("postgresql", "mssql") -> engine class.
BY_URL_NAME: dict[str, type[Engine]] = {
    url_name: cls for cls in ENGINES.values() for url_name in cls.url_names
}
_COMMON_OPTIONS = ("schema", "timeout_s", "pool_size")


_DEFAULTS: dict[str, Engine] = {}


def _default(cls: type[Engine]) -> Engine:
    # One shared instance per engine for callers that need only its facts.
    found = _DEFAULTS.get(cls.name)
    if found is None:
        found = _DEFAULTS.setdefault(cls.name, cls())
    return found


def get(name: str | Engine) -> Engine:
    """The engine called `name` (sqlite, postgres, mysql, mariadb, tsql, duckdb), or `name`
    itself when it is already an Engine; an unknown name raises ValueError with close ones."""
    if isinstance(name, Engine):
        return name
    cls = ENGINES.get(name.lower().strip()) if isinstance(name, str) else None
    if cls is None:
        close = difflib.get_close_matches(str(name).lower(), ENGINES, n=3, cutoff=0.5)
        hint = f"did you mean {' or '.join(close)}?" if close else f"use {', '.join(ENGINES)}."
        raise ValueError(f"Unknown SQL dialect {name!r}; {hint}")
    return _default(cls)


def for_sqlalchemy(name: str) -> Engine | None:
    """The engine of a SQLAlchemy dialect or backend name ("postgresql"), or None."""
    cls = BY_URL_NAME.get(name) or ENGINES.get(name)
    return _default(cls) if cls is not None else None


def engine_for_url(url: str, **options: Any) -> tuple[Engine, URL]:
    """A source's engine for a database URL and the URL to connect with; an unknown kind
    raises ValueError naming the close ones.

    `options` go to the engine: schema, timeout_s, pool_size, and its own extras.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"{url!r} is not a database URL") from None
    backend = parsed.get_backend_name()
    cls = BY_URL_NAME.get(backend)
    if cls is None:
        known = list(BY_URL_NAME)
        close = difflib.get_close_matches(backend, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(known)}"
        raise ValueError(f"unknown database kind {backend!r}{hint}")
    extras = {k: options.pop(k) for k in list(options) if k not in _COMMON_OPTIONS}
    engine = cls(**options, options=extras)
    return engine, engine.url(parsed)


__all__ = [
    "ENGINES",
    "DuckDB",
    "Engine",
    "MariaDB",
    "MySQL",
    "PostgreSQL",
    "SQLServer",
    "SQLite",
    "engine_for_url",
    "for_sqlalchemy",
    "get",
]
