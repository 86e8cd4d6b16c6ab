"""Read a SQL database's tables, views, columns, keys, comments and sample values."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Engine, String, Text, column, inspect, select, table
from sqlalchemy.exc import SQLAlchemyError

from data_assistant.schema.model import Column, ForeignKey, SchemaSnapshot, Table

MAX_SAMPLES = 20
MAX_SAMPLE_LENGTH = 80


def introspect(
    engine: Engine,
    *,
    source: str = "",
    dialect: str | None = None,
    schema: str | None = None,
    sample_values: bool = True,
    include: Collection[str] | None = None,
) -> SchemaSnapshot:
    """A snapshot of the database; `include` limits it to those lower-cased table names."""
    inspector = inspect(engine)
    names = [(n, "table") for n in inspector.get_table_names(schema=schema)]
    names += [(n, "view") for n in inspector.get_view_names(schema=schema)]
    tables: list[Table] = []
    for name, kind in sorted(names):
        qualified = f"{schema}.{name}" if schema else name
        if include is not None and qualified.lower() not in include and name.lower() not in include:
            continue
        tables.append(_table(engine, inspector, name, kind, schema, sample_values))
    return SchemaSnapshot(
        source=source, dialect=dialect or engine.dialect.name, tables=tuple(tables)
    )


def _table(engine, inspector, name: str, kind: str, schema: str | None, samples: bool) -> Table:
    primary = set()
    foreign: list[ForeignKey] = []
    if kind == "table":
        primary = set(
            inspector.get_pk_constraint(name, schema=schema).get("constrained_columns") or []
        )
        for fk in inspector.get_foreign_keys(name, schema=schema):
            foreign.append(
                ForeignKey(
                    columns=tuple(fk["constrained_columns"]),
                    ref_table=fk["referred_table"],
                    ref_columns=tuple(fk["referred_columns"]),
                    ref_schema=fk.get("referred_schema")
                    if fk.get("referred_schema") != schema
                    else None,
                )
            )
    comment = _comment(inspector, name, schema)
    columns = []
    for info in inspector.get_columns(name, schema=schema):
        values: tuple[str, ...] = ()
        if samples and isinstance(info["type"], (String, Text)):
            values = _samples(engine, name, schema, info["name"])
        columns.append(
            Column(
                name=info["name"],
                type=_type_name(info["type"]),
                nullable=bool(info.get("nullable", True)),
                primary_key=info["name"] in primary,
                comment=info.get("comment"),
                samples=values,
            )
        )
    return Table(
        name=name,
        schema=schema,
        kind=kind,
        comment=comment,
        columns=tuple(columns),
        foreign_keys=tuple(foreign),
    )


def _comment(inspector, name: str, schema: str | None) -> str | None:
    try:
        return inspector.get_table_comment(name, schema=schema).get("text")
    except NotImplementedError:
        return None


def _type_name(type_) -> str:
    try:
        return str(type_)
    except Exception:
        return type(type_).__name__.upper()


def _samples(engine: Engine, name: str, schema: str | None, col: str) -> tuple[str, ...]:
    """Up to 20 distinct values when the column has no more than 20; else none."""
    c = column(col)
    query = (
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
        return ()
    if len(values) > MAX_SAMPLES:
        return ()
    texts = [v for v in values if isinstance(v, str) and 0 < len(v) <= MAX_SAMPLE_LENGTH]
    return tuple(sorted(texts))
