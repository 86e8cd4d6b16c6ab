"""Read a SQL database's tables, views, columns, keys, comments and sample values.

The engine (engines/) says how its catalog is read: through SQLAlchemy's inspector, or a
reader of the engine's own catalog where the inspector does not work (DuckDB, whose
SQLAlchemy dialect borrows PostgreSQL's reflection queries); and which tables are
partitions or inheritance children of others (PostgreSQL's pg_inherits). Names keep their
case and spaces; queries built here quote them through SQLAlchemy.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Select, String, Text, column, func, inspect, select, table, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.expression import ColumnClause
from sqlalchemy.types import NullType

from data_assistant.schema.model import Column, ForeignKey, SchemaSnapshot, Table

if TYPE_CHECKING:
    from data_assistant.engines import Engine as DbEngine

MAX_SAMPLES = 20
MAX_SAMPLE_LENGTH = 80
_DATE_TYPE = re.compile(r"DATE|TIMESTAMP", re.IGNORECASE)


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: str
    nullable: bool = True
    comment: str | None = None
    is_text: bool = False


class InspectorCatalog:
    """The catalog as SQLAlchemy's inspector reads it."""

    def __init__(self, engine: Engine, schema: str | None) -> None:
        self.inspector = inspect(engine)
        self.schema = schema

    def names(self) -> list[tuple[str, str]]:
        """(name, "table" or "view") of every table and view in the schema."""
        schema = self.schema
        names = [(n, "table") for n in self.inspector.get_table_names(schema=schema)]
        names += [(n, "view") for n in self.inspector.get_view_names(schema=schema)]
        # PostgreSQL's materialized views are neither tables nor views to SQLAlchemy.
        with contextlib.suppress(NotImplementedError):
            matviews = self.inspector.get_materialized_view_names(schema=schema)
            names += [(n, "view") for n in matviews]
        return names

    def columns(self, name: str) -> list[ColumnInfo]:
        return [
            ColumnInfo(
                name=info["name"],
                type=_type_name(info["type"]),
                nullable=bool(info.get("nullable", True)),
                comment=info.get("comment"),
                # An untyped SQLite column (`rating` of Sakila's film) holds text as often.
                is_text=isinstance(info["type"], (String, Text, NullType)),
            )
            for info in self.inspector.get_columns(name, schema=self.schema)
        ]

    def primary_key(self, name: str) -> set[str]:
        pk = self.inspector.get_pk_constraint(name, schema=self.schema)
        return set(pk.get("constrained_columns") or [])

    def foreign_keys(self, name: str) -> list[ForeignKey]:
        return [
            ForeignKey(
                columns=tuple(fk["constrained_columns"]),
                ref_table=fk["referred_table"],
                ref_columns=tuple(fk["referred_columns"]),
                ref_schema=fk.get("referred_schema")
                if fk.get("referred_schema") != self.schema
                else None,
            )
            for fk in self.inspector.get_foreign_keys(name, schema=self.schema)
        ]

    def comment(self, name: str) -> str | None:
        try:
            return self.inspector.get_table_comment(name, schema=self.schema).get("text")
        except NotImplementedError:
            return None


class DuckDBCatalog:
    """DuckDB's catalog from its own `duckdb_*()` functions, in the current database."""

    TEXT_TYPES = ("VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR")

    def __init__(self, engine: Engine, schema: str | None) -> None:
        self.engine = engine
        self.schema = schema

    def _rows(self, sql: str, **params: Any) -> list[Any]:
        where = "database_name = current_database() AND schema_name = "
        where += ":schema" if self.schema else "current_schema()"
        with self.engine.connect() as conn:
            return list(
                conn.execute(text(sql.format(where=where)), {"schema": self.schema, **params})
            )

    def names(self) -> list[tuple[str, str]]:
        tables = self._rows("SELECT table_name FROM duckdb_tables() WHERE {where}")
        views = self._rows(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary AND {where}"
        )
        return [(r[0], "table") for r in tables] + [(r[0], "view") for r in views]

    def columns(self, name: str) -> list[ColumnInfo]:
        rows = self._rows(
            "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
            "WHERE table_name = :name AND {where} ORDER BY column_index",
            name=name,
        )
        return [
            ColumnInfo(
                name=r[0],
                type=r[1],
                nullable=bool(r[2]),
                comment=r[3],
                is_text=str(r[1]).upper().startswith(self.TEXT_TYPES),
            )
            for r in rows
        ]

    def _constraints(self, name: str, kind: str) -> list[Any]:
        return self._rows(
            "SELECT constraint_column_names, referenced_table, referenced_column_names "
            "FROM duckdb_constraints() WHERE table_name = :name AND constraint_type = :kind "
            "AND {where} ORDER BY constraint_index",
            name=name,
            kind=kind,
        )

    def primary_key(self, name: str) -> set[str]:
        return {c for row in self._constraints(name, "PRIMARY KEY") for c in row[0]}

    def foreign_keys(self, name: str) -> list[ForeignKey]:
        return [
            ForeignKey(columns=tuple(r[0]), ref_table=r[1], ref_columns=tuple(r[2]))
            for r in self._constraints(name, "FOREIGN KEY")
        ]

    def comment(self, name: str) -> str | None:
        rows = self._rows(
            "SELECT comment FROM duckdb_tables() WHERE table_name = :name AND {where} "
            "UNION ALL SELECT comment FROM duckdb_views() WHERE view_name = :name AND {where}",
            name=name,
        )
        return rows[0][0] if rows else None


def introspect(
    engine: Engine,
    *,
    source: str = "",
    dialect: str | DbEngine | None = None,
    schema: str | None = None,
    sample_values: bool = True,
    include: Collection[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SchemaSnapshot:
    """A snapshot of the database; `include` limits it to those lower-cased table names.

    `dialect` is the engine (or its name); by default the one of the SQLAlchemy dialect.
    `progress(done, total)` is called after each table is read.
    """
    from data_assistant import engines

    db = (
        engines.get(dialect) if dialect is not None else engines.for_sqlalchemy(engine.dialect.name)
    )
    catalog = db.catalog(engine, schema) if db is not None else InspectorCatalog(engine, schema)
    parents = db.parents(engine, schema) if db is not None else {}
    wanted = []
    for name, kind in sorted(catalog.names()):
        qualified = f"{schema}.{name}" if schema else name
        if include is not None and qualified.lower() not in include and name.lower() not in include:
            continue
        wanted.append((name, kind))
    tables: list[Table] = []
    for name, kind in wanted:
        table = _table(engine, catalog, name, kind, schema, sample_values)
        tables.append(dataclasses.replace(table, parents=parents.get(name, ())))
        if progress is not None:
            progress(len(tables), len(wanted))
    return SchemaSnapshot(
        source=source,
        dialect=db.sqlglot_dialect if db is not None else engine.dialect.name,
        tables=tuple(tables),
    )


def _table(
    engine: Engine,
    catalog: InspectorCatalog | DuckDBCatalog,
    name: str,
    kind: str,
    schema: str | None,
    samples: bool,
) -> Table:
    primary: set[str] = set()
    foreign: list[ForeignKey] = []
    if kind == "table":
        primary = catalog.primary_key(name)
        foreign = catalog.foreign_keys(name)
    columns = []
    for info in catalog.columns(name):
        values: tuple[str, ...] = ()
        iso: bool | None = None
        if samples and info.is_text:
            values, iso = _samples(engine, name, schema, info.name)
        elif samples and "BOOL" in info.type.upper() and engine.dialect.name == "sqlite":
            # SQLite keeps whatever a BOOL column is given: 'T' and 'F' are matched as written
            values = _samples(engine, name, schema, info.name)[0]
        elif samples and _DATE_TYPE.search(info.type) and engine.dialect.name == "sqlite":
            # SQLite keeps whatever text a DATETIME column is given (`1978-2-23`)
            iso = _samples(engine, name, schema, info.name)[1]
        columns.append(
            Column(
                name=info.name,
                type=info.type,
                nullable=info.nullable,
                primary_key=info.name in primary,
                comment=info.comment,
                samples=values,
                iso_dates=iso,
            )
        )
    return Table(
        name=name,
        schema=schema,
        kind=kind,
        comment=catalog.comment(name),
        columns=tuple(columns),
        foreign_keys=tuple(foreign),
    )


def _type_name(type_) -> str:
    try:
        return str(type_)
    except Exception:
        return type(type_).__name__.upper()


def _samples(
    engine: Engine, name: str, schema: str | None, col: str
) -> tuple[tuple[str, ...], bool | None]:
    """Up to 20 distinct values when the column has no more than 20, else none; and whether
    the values read are ISO dates (see `iso_dates`)."""
    c: ColumnClause[Any] = column(col)
    query: Select[Any] = (
        select(c)
        .select_from(table(name, schema=schema))
        .where(c.is_not(None))
        .distinct()
        .limit(MAX_SAMPLES + 1)
    )
    try:
        with engine.connect() as conn:
            values = [row[0] for row in conn.execute(query)]
    except SQLAlchemyError:
        return (), None
    iso = iso_dates(values)
    if len(values) > MAX_SAMPLES:
        return (), iso
    texts = [v for v in values if isinstance(v, str) and 0 < len(v) <= MAX_SAMPLE_LENGTH]
    return tuple(sorted(texts)), iso


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_dates(values: list[Any]) -> bool | None:
    """Whether the text values read are all ISO dates (`2001-09-09`, with a time or not);
    None when none is text. `September 9, 2001` or `1978-2-23` do not sort as dates."""
    texts = [v for v in values if isinstance(v, str)]
    if not texts:
        return None
    return all(_ISO_DAY.match(v) for v in texts)


def latest_date(engine: Engine, tables: Collection[Table]) -> str | None:
    """The latest date in any DATE / DATETIME / TIMESTAMP column, capped at today."""
    today = datetime.date.today()
    latest: datetime.date | None = None
    for t in tables:
        for col in t.columns:
            if not _DATE_TYPE.search(col.type):
                continue
            query: Select[Any] = select(func.max(column(col.name))).select_from(
                table(t.name, schema=t.schema)
            )
            try:
                with engine.connect() as conn:
                    day = _as_date(conn.execute(query).scalar())
            except SQLAlchemyError:
                continue
            if day is not None:
                day = min(day, today)
                latest = day if latest is None else max(latest, day)
    return latest.isoformat() if latest else None


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
