"""The Backend base class: what differs between SQL engines, declared per engine class.

A backend is made for one source: it turns the configured URL into the URL to connect
with, builds the pooled engine (driver options, pool events), runs a block read-only within
a time limit, and tells a timeout from other driver errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import URL


class Backend:
    """What differs between SQL engines; subclasses set the class attributes."""

    backend_name: ClassVar[str]
    sqlglot_dialect: ClassVar[str]
    # The SQLAlchemy driver used when the URL names none ("postgresql://").
    default_driver: ClassVar[str | None] = None
    # Other names a URL may use for this backend ("postgres://").
    aliases: ClassVar[tuple[str, ...]] = ()
    # Whether a configured schema becomes the session's default, so that bare table names
    # resolve in it (PostgreSQL search_path, MySQL current database).
    sets_default_schema: ClassVar[bool] = False
    # Python packages to install when the driver is missing, for the error message.
    install_hint: ClassVar[str] = ""

    def __init__(
        self,
        *,
        schema: str | None = None,
        timeout_s: float = 15.0,
        pool_size: int = 5,
        options: dict[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.timeout_s = timeout_s
        self.pool_size = pool_size
        # Backend-specific extras (files for DuckDB, the credential for Entra ID...).
        self.options = dict(options or {})

    def url(self, url: URL) -> URL:
        """The URL to connect with, the project's driver filled in when none is named."""
        backend, _, driver = url.drivername.partition("+")
        if backend != self.backend_name or (not driver and self.default_driver):
            driver = driver or self.default_driver or ""
            name = f"{self.backend_name}+{driver}" if driver else self.backend_name
            return url.set(drivername=name)
        return url

    def engine_kwargs(self, url: URL) -> dict[str, Any]:
        """Extra `create_engine` arguments (pool, connect args)."""
        return {
            "pool_pre_ping": True,
            "pool_size": self.pool_size,
            # No overflow: `pool_size` is the real bound on connections, and a question
            # waits for a free one at most as long as it may run.
            "max_overflow": 0,
            "pool_timeout": self.timeout_s,
        }

    def create_engine(self, url: URL) -> Engine:
        """The pooled engine for `url`, with this backend's pool events installed."""
        engine = create_engine(url, **self.engine_kwargs(url))
        self.install_events(engine)
        return engine

    def install_events(self, engine: Engine) -> None:
        """Attach pool and connect events (session reset, tokens); none by default."""

    @contextmanager
    def read_only(self, conn: Connection, timeout_s: float) -> Iterator[None]:
        """Run the block in a read-only transaction bounded by `timeout_s`, then roll back."""
        raise NotImplementedError
        yield  # pragma: no cover

    def is_timeout(self, exc: BaseException) -> bool:
        """Whether a driver error means the statement ran out of time."""
        return False

    def close(self) -> None:
        """Release what the backend made besides the engine (temporary files)."""

    def quote(self, engine: Engine, name: str) -> str:
        """`name` as an identifier in the engine's dialect, quoted when it needs to be."""
        return engine.dialect.identifier_preparer.quote(name)
