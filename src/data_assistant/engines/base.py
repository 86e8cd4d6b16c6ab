"""The Engine base class: every fact about one SQL engine, declared as class attributes.

A subclass reads like a sqlglot dialect: a short list of flags and names (its dialect, its
catalog schemas, its function allow-list, its row-cap style...) and the few methods that
differ (the read-only session, the policy fence, the cost estimate, how to read an error).
The guard, the policies, the prompts, the offline builder, introspection and the sources
all take an Engine; none of them tests a dialect's name.

An instance is one source's connection to its engine (schema, timeout, pool size); the
facts are the class's, so `engines.get("postgres")` serves callers that only need those.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar, Literal

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect, NormalizationStrategy

from data_assistant.engines.functions import FunctionAllowList


class Engine:
    """One SQL engine's facts and its read-only session; subclasses set the class attributes."""

    # --- identity ---------------------------------------------------------------------------
    name: ClassVar[str]  # the registry's name: the guard's `--dialect`
    display_name: ClassVar[str]  # what prompts and messages call it
    sqlglot_dialect: ClassVar[str]  # the sqlglot dialect that parses and renders it
    # SQLAlchemy backend names of its URLs; the first is the one URLs are written with.
    url_names: ClassVar[tuple[str, ...]]
    default_driver: ClassVar[str | None] = None  # when the URL names none
    install_hint: ClassVar[str] = ""  # packages to install when the driver is missing

    # --- names ------------------------------------------------------------------------------
    # The schema bare table names resolve in, unless the source configures another.
    default_schema: ClassVar[str | None] = None
    # Whether a configured schema becomes the session's default (search_path, database).
    sets_default_schema: ClassVar[bool] = False
    # System schemas, catalogs and bare table names (exact or by prefix), lower case: never
    # available unless a source lists them in allowed_tables.
    catalog_schemas: ClassVar[frozenset[str]] = frozenset()
    catalog_schema_prefixes: ClassVar[tuple[str, ...]] = ()
    catalog_tables: ClassVar[frozenset[str]] = frozenset()
    catalog_table_prefixes: ClassVar[tuple[str, ...]] = ()
    # Bare names that are syntax rather than tables (MySQL's DUAL).
    dummy_tables: ClassVar[frozenset[str]] = frozenset()
    # A table name that looks like a path reads that file (DuckDB).
    file_table_names: ClassVar[bool] = False
    # `U&"..."` spells an identifier or string with escapes, which sqlglot misreads.
    unicode_escapes: ClassVar[bool] = False

    # --- query shape ------------------------------------------------------------------------
    row_cap: ClassVar[Literal["limit", "top"]] = "limit"  # TOP / OFFSET FETCH, or LIMIT
    implicit_recursive_ctes: ClassVar[bool] = False  # a CTE may name itself without RECURSIVE
    lock_hints: ClassVar[frozenset[str]] = frozenset()  # table hints that take locks
    native_booleans: ClassVar[bool] = False  # TRUE / FALSE are values of a boolean type
    # Function names (or sample calls) known to be pure: the allow-list's source.
    pure_functions: ClassVar[tuple[str, ...]] = ()
    # sqlglot function classes the dialect reaches by syntax rather than by name.
    syntax_functions: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *,
        schema: str | None = None,
        timeout_s: float = 15.0,
        pool_size: int = 5,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.timeout_s = timeout_s
        self.pool_size = pool_size
        # Engine-specific extras (files for DuckDB, the credential for Entra ID...).
        self.options = dict(options or {})

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    # --- sqlglot ----------------------------------------------------------------------------

    @property
    def dialect(self) -> Dialect:
        """The sqlglot Dialect object, one per engine class."""
        return _dialect(self.sqlglot_dialect)

    def portable(self, tree: exp.Expression) -> exp.Expression:
        """The guarded query as sent to the server; an engine whose servers lack something
        sqlglot writes rewrites it here (in place)."""
        return tree

    @property
    def functions(self) -> FunctionAllowList:
        """The functions a query may call, built once per engine class from `pure_functions`."""
        cls = type(self)
        found = _ALLOW_LISTS.get(cls.name)
        if found is None:
            built = FunctionAllowList.build(self.dialect, cls.pure_functions, cls.syntax_functions)
            found = _ALLOW_LISTS.setdefault(cls.name, built)
        return found

    # --- identifiers ------------------------------------------------------------------------

    def key(self, identifier: exp.Identifier) -> str:
        """The name `identifier` resolves to, compared exactly with `stored_key` of a name.

        sqlglot's normalisation decides whether the engine folds the name's case; the fold
        itself is of ASCII letters only, as PostgreSQL and SQLite do: a fold wider than
        the engine's could take two of its tables for one.
        """
        name = identifier.name
        quoted = bool(identifier.args.get("quoted"))
        cache = _KEYS.get(self.name)
        if cache is None:
            cache = _KEYS.setdefault(self.name, {})
        found = cache.get((name, quoted))
        if found is None:
            found = self._key(name, quoted)
            if len(cache) < _MAX_CACHED_KEYS:
                cache[(name, quoted)] = found
        return found

    def _key(self, name: str, quoted: bool) -> str:
        strategy = self.dialect.normalization_strategy
        if strategy is NormalizationStrategy.CASE_SENSITIVE:
            return name
        probe = self.dialect.normalize_identifier(exp.Identifier(this=name, quoted=quoted))
        if probe.name == name:
            return name
        if strategy in _UPPER_CASE_STRATEGIES:
            return name.translate(_ASCII_UPPER)
        return name.translate(_ASCII_LOWER)

    def stored_key(self, name: str) -> str:
        """The key of a name as the catalog stores it (a real table's, a configured one's)."""
        return self.key(exp.Identifier(this=name, quoted=True))

    def default_schema_for(self, configured: str | None) -> str | None:
        """The schema bare names resolve in: the configured one where the session uses it."""
        return configured if configured is not None else self.default_schema

    def is_catalog_schema(self, schema: str) -> bool:
        """Whether `schema` (or a database / catalog name) is a system catalog's."""
        lowered = schema.lower()
        return lowered in self.catalog_schemas or lowered.startswith(self.catalog_schema_prefixes)

    def is_catalog_table(self, name: str) -> bool:
        """Whether the bare table name `name` resolves to a system catalog table."""
        lowered = name.lower()
        return lowered in self.catalog_tables or lowered.startswith(self.catalog_table_prefixes)

    def is_catalog_name(self, qualified: str) -> bool:
        """Whether a configured name such as `pg_catalog.pg_stats` names a catalog object."""
        *schemas, table = qualified.split(".")
        if any(self.is_catalog_schema(part) for part in schemas):
            return True
        return not schemas and self.is_catalog_table(table)

    def quote(self, name: str) -> str:
        """`name` as the engine writes it: bare when it is a plain lower-case word."""
        if _PLAIN_WORD.fullmatch(name) and name.upper() not in _RESERVED:
            return name
        return exp.Identifier(this=name, quoted=True).sql(dialect=self.dialect)

    def quote_path(self, qualified: str) -> str:
        """A catalog name (`Sales.Order Lines`) written so that the engine resolves it to
        exactly that table: each part bare where that folds to itself, else quoted."""
        parts = []
        for part in qualified.split("."):
            bare = exp.Identifier(this=part, quoted=False)
            if _SAFE_BARE.fullmatch(part) and self.key(bare) == self.stored_key(part):
                parts.append(part)
            else:
                parts.append(exp.Identifier(this=part, quoted=True).sql(dialect=self.dialect))
        return ".".join(parts)

    # --- policies ---------------------------------------------------------------------------

    def fence(self, select: exp.Select) -> None:
        """Make the derived table `select` an optimisation fence: the engine then applies its
        filter before any condition of the query around it sees a row."""
        raise NotImplementedError(f"{self.display_name} has no policy fence")

    # --- policies ---------------------------------------------------------------------------

    def claim_parameter(self, value: Any) -> Any:
        """A claim's value as bound to a row policy's parameter; as it is by default."""
        return value

    # --- errors -----------------------------------------------------------------------------

    def error_class(self, error: BaseException | None) -> str | None:
        """The driver error's class as the engine names it (SQLSTATE, errno), or None."""
        return None

    def is_timeout(self, error: BaseException | None) -> bool:
        """Whether a driver error means the statement ran out of time."""
        return False

    # --- cost -------------------------------------------------------------------------------

    def estimate_rows(
        self, conn: sa.Connection, sql: str, params: Mapping[str, Any]
    ) -> float | None:
        """The planner's estimate of the most rows any step of `sql` produces; None where
        the engine gives none. Runs inside the question's read-only transaction."""
        return None

    # --- introspection ----------------------------------------------------------------------

    def catalog(self, engine: sa.Engine, schema: str | None) -> Any:
        """The reader of this engine's catalog (schema/introspect.py): SQLAlchemy's inspector."""
        from data_assistant.schema.introspect import InspectorCatalog

        return InspectorCatalog(engine, schema)

    def parents(self, engine: sa.Engine, schema: str | None) -> dict[str, tuple[str, ...]]:
        """Table -> the tables it is a partition or inheritance child of; none by default."""
        return {}

    # --- session ----------------------------------------------------------------------------

    def url(self, url: URL) -> URL:
        """The URL to connect with, the project's driver filled in when none is named."""
        backend, _, driver = url.drivername.partition("+")
        url_name = self.url_names[0]
        if backend != url_name or (not driver and self.default_driver):
            driver = driver or self.default_driver or ""
            return url.set(drivername=f"{url_name}+{driver}" if driver else url_name)
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

    def create_engine(self, url: URL) -> sa.Engine:
        """The pooled SQLAlchemy engine for `url`, with this engine's pool events installed."""
        engine = sa.create_engine(url, **self.engine_kwargs(url))
        self.install_events(engine)
        return engine

    def install_events(self, engine: sa.Engine) -> None:
        """Attach pool and connect events (session reset, limits, tokens); none by default."""

    @contextmanager
    def read_only(self, conn: sa.Connection, timeout_s: float) -> Iterator[None]:
        """Run the block in a read-only transaction bounded by `timeout_s`, then roll back."""
        raise NotImplementedError
        yield  # pragma: no cover

    def close(self) -> None:
        """Release what the engine made besides the SQLAlchemy engine (temporary files)."""

    def sa_quote(self, engine: sa.Engine, name: str) -> str:
        """`name` quoted by SQLAlchemy's preparer for the connected dialect."""
        return engine.dialect.identifier_preparer.quote(name)


# Seconds to wait for a TCP connection; a server that is down should fail a question fast.
CONNECT_TIMEOUT_S = 10


def connect_timeout(timeout_s: float) -> int:
    """Whole seconds allowed for connecting: the source's timeout, between 2 and 10."""
    return max(2, min(CONNECT_TIMEOUT_S, math.ceil(timeout_s)))


@functools.cache
def _dialect(name: str) -> Dialect:
    # Looking a dialect up by name costs more than parsing a clause: one object per name.
    return Dialect.get_or_raise(name)


# Engine name -> its allow-list, built on first use (a few dozen milliseconds).
_ALLOW_LISTS: dict[str, FunctionAllowList] = {}


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


# Engine name -> (name, quoted) -> key: names repeat from question to question.
_KEYS: dict[str, dict[tuple[str, bool], str]] = {}
_MAX_CACHED_KEYS = 50_000
_UPPER_CASE_STRATEGIES = frozenset(
    {NormalizationStrategy.UPPERCASE, NormalizationStrategy.CASE_INSENSITIVE_UPPERCASE}
)
_PLAIN_WORD = re.compile(r"[a-z_][a-z0-9_]*")
_SAFE_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# Words a schema prompt quotes even where the dialect's generator would not: they read as
# keywords to people and models alike.
_RESERVED = frozenset(
    {
        "SELECT",
        "FROM",
        "WHERE",
        "GROUP",
        "ORDER",
        "BY",
        "TABLE",
        "USER",
        "KEY",
        "INDEX",
        "LIMIT",
        "OFFSET",
        "JOIN",
        "CHECK",
        "DEFAULT",
        "DESC",
        "ASC",
        "COLUMN",
        "VALUES",
        "TO",
    }
)
