"""A plain sqlite3 target for evaluations: a read-only connection and its schema snapshot.

Used by `bench/offline_eval.py` and the tests while no pipeline is wired in; it fills the
same snapshot fields as the project's introspection (columns, keys, samples of text
columns with at most 20 distinct values).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from data_assistant.evaluation.harness import Prediction
from data_assistant.schema.introspect import iso_dates
from data_assistant.schema.model import Column, ForeignKey, SchemaSnapshot, Table
from data_assistant.translate.base import TranslationRequest, Translator

MAX_SAMPLES = 20
_TEXT_TYPES = ("CHAR", "TEXT", "CLOB", "STRING", "BOOL")  # SQLite's BOOL may hold 'T'/'F'


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to a SQLite file (it may live on a read-only disk)."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _samples(
    conn: sqlite3.Connection, table: str, column: str, ctype: str
) -> tuple[tuple[str, ...], bool | None]:
    dated = any(t in ctype.upper() for t in ("DATE", "TIME"))
    if ctype and not dated and not any(t in ctype.upper() for t in _TEXT_TYPES):
        return (), None  # an untyped column may hold text: sampled (only strings are kept)
    rows = conn.execute(
        f"SELECT DISTINCT {_quote(column)} FROM {_quote(table)} "
        f"WHERE {_quote(column)} IS NOT NULL LIMIT {MAX_SAMPLES + 1}"
    ).fetchall()
    iso = iso_dates([r[0] for r in rows])
    if len(rows) > MAX_SAMPLES or dated:
        return (), iso  # a date column's values are not samples to match words against
    texts = sorted(r[0] for r in rows if isinstance(r[0], str) and 0 < len(r[0]) <= 80)
    return tuple(texts), iso


def snapshot(conn: sqlite3.Connection, source: str = "sqlite") -> SchemaSnapshot:
    """The schema snapshot of a SQLite database."""
    tables: list[Table] = []
    names = conn.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    for name, kind in names:
        info = conn.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
        columns = tuple(
            Column(
                name=col[1],
                type=col[2] or "",
                nullable=not col[3],
                primary_key=bool(col[5]),
                samples=samples,
                iso_dates=iso,
            )
            for col in info
            for samples, iso in [_samples(conn, name, col[1], col[2] or "")]
        )
        fks: dict[int, list[tuple]] = {}
        for fk in conn.execute(f"PRAGMA foreign_key_list({_quote(name)})").fetchall():
            fks.setdefault(fk[0], []).append(fk)
        foreign_keys = tuple(
            ForeignKey(
                columns=tuple(r[3] for r in rows),
                ref_table=rows[0][2],
                ref_columns=tuple(r[4] for r in rows),
            )
            for _, rows in sorted(fks.items())
            if all(r[4] for r in rows)
        )
        tables.append(Table(name=name, columns=columns, kind=kind, foreign_keys=foreign_keys))
    return SchemaSnapshot(source=source, dialect="sqlite", tables=tuple(tables))


class SqliteTarget:
    """A SQLite database to evaluate against: its snapshot, gold runner and answerer."""

    def __init__(self, path: str | Path, source: str | None = None) -> None:
        self.path = Path(path)
        self.conn = connect_readonly(self.path)
        self.schema = snapshot(self.conn, source or self.path.stem)

    def run(self, sql: str) -> list[tuple]:
        """Every row of a query."""
        return [tuple(r) for r in self.conn.execute(sql).fetchall()]

    def answerer(self, translator: Translator) -> Callable[[str], Prediction]:
        """question -> Prediction: translate, time it, run the query."""

        def answer(question: str) -> Prediction:
            request = TranslationRequest(question, self.schema.source, "sqlite", self.schema)
            started = time.perf_counter()
            translation = translator.translate(request)
            ms = (time.perf_counter() - started) * 1000
            rows = self.run(translation.query)
            return Prediction(translation.query, rows, translation.explanation, ms)

        return answer

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
