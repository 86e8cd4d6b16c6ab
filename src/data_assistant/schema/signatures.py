"""What each table's definition looks like, as a digest per table, where the engine's catalog
tells in one query: SQLite's sqlite_master, PostgreSQL's pg_catalog, MySQL's
information_schema. A changed digest means the table must be read again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import Connection, Engine, text

_POSTGRES = """
SELECT c.relname,
       c.relkind::text
       || coalesce(string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || ' ' || a.attnotnull::text || ' '
                   || coalesce(col_description(c.oid, a.attnum), ''), ',' ORDER BY a.attnum), '')
       || coalesce(obj_description(c.oid, 'pg_class'), '')
       || coalesce((SELECT string_agg(pg_get_constraintdef(k.oid), ';' ORDER BY k.conname)
                    FROM pg_constraint k WHERE k.conrelid = c.oid), '')
       || coalesce(CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END, '')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = coalesce(:schema, current_schema()) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
GROUP BY c.oid, c.relname, c.relkind
"""

_MYSQL_COLUMNS = """
SELECT TABLE_NAME, GROUP_CONCAT(CONCAT_WS(' ', COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE,
       COLUMN_KEY, COLUMN_COMMENT) ORDER BY ORDINAL_POSITION SEPARATOR ',')
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = coalesce(:schema, DATABASE())
GROUP BY TABLE_NAME
"""
_MYSQL_TABLES = """
SELECT TABLE_NAME, CONCAT_WS(' ', TABLE_TYPE, TABLE_COMMENT)
FROM information_schema.TABLES WHERE TABLE_SCHEMA = coalesce(:schema, DATABASE())
"""
_MYSQL_KEYS = """
SELECT TABLE_NAME, GROUP_CONCAT(CONCAT_WS(' ', CONSTRAINT_NAME, COLUMN_NAME,
       REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME) ORDER BY CONSTRAINT_NAME,
       ORDINAL_POSITION SEPARATOR ',')
FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = coalesce(:schema, DATABASE())
GROUP BY TABLE_NAME
"""


def _digest(parts: dict[str, str]) -> dict[str, str]:
    return {name: hashlib.sha256(text_.encode()).hexdigest()[:20] for name, text_ in parts.items()}


def _sqlite(conn: Connection, schema: str | None) -> dict[str, str]:
    master = "sqlite_master"
    if schema:
        master = f"{conn.dialect.identifier_preparer.quote(schema)}.sqlite_master"
    rows = conn.execute(
        text(
            f"SELECT name, type || ' ' || coalesce(sql, '') FROM {master} "
            "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
        )
    )
    return _digest({row[0]: row[1] for row in rows})


def _postgres(conn: Connection, schema: str | None) -> dict[str, str]:
    rows = conn.execute(text(_POSTGRES), {"schema": schema})
    return _digest({row[0]: row[1] or "" for row in rows})


def _mysql(conn: Connection, schema: str | None) -> dict[str, str]:
    # GROUP_CONCAT stops at 1,024 bytes unless told otherwise: a long table would look
    # unchanged after a change past that point.
    conn.execute(text("SET SESSION group_concat_max_len = 16777216"))
    parts: dict[str, str] = {}
    for query in (_MYSQL_TABLES, _MYSQL_COLUMNS, _MYSQL_KEYS):
        for name, value in conn.execute(text(query), {"schema": schema}):
            parts[name] = parts.get(name, "") + "|" + (value or "")
    return _digest(parts)


READERS: dict[str, Callable[[Connection, str | None], dict[str, str]]] = {
    "sqlite": _sqlite,
    "postgresql": _postgres,
    "mysql": _mysql,
    "mariadb": _mysql,
}


def table_signatures(engine: Engine, schema: str | None) -> dict[str, str] | None:
    """Table name -> digest of its definition; None when the engine cannot tell cheaply
    (then every table is read again)."""
    reader = READERS.get(engine.dialect.name)
    if reader is None:
        return None
    with engine.connect() as conn:
        return reader(conn, schema)
