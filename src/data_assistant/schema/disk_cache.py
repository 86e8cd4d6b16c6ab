"""Introspected schemas kept on disk between restarts, and read again only where they changed.

One JSON file per source under `<data_dir>/schemas/`, named by the source and a digest of
its URL (and of what shapes the read), holding the snapshot and each table's definition
digest (signatures.py). On start the digests are read again in one catalog query; tables
whose digest changed, and new tables, are introspected, the rest come from the file. An
engine whose catalog cannot tell (DuckDB, SQL Server) is read in full each time. The file
holds sample values, which are data: it is written readable by its owner only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from data_assistant.schema.introspect import introspect
from data_assistant.schema.model import Column, ForeignKey, SchemaSnapshot, Table
from data_assistant.schema.signatures import table_signatures

log = logging.getLogger("data_assistant.schema")
FORMAT = 5  # 3: untyped SQLite columns are sampled too; 4: iso_dates; 5: SQLite BOOL sampled


@dataclasses.dataclass(frozen=True)
class SchemaRead:
    """What a schema read did: tables read from the database and taken from the file."""

    read: int
    reused: int
    removed: int


class SchemaDiskCache:
    """Schema files in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.last: dict[str, SchemaRead] = {}

    def path(self, source: str, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in source)
        return self.folder / f"{safe}-{digest}.json"

    def load(self, path: Path) -> tuple[SchemaSnapshot, dict[str, str]] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return None
            return snapshot_from_dict(data["snapshot"]), dict(data["signatures"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("schema cache %s cannot be read (%s); reading the database", path, exc)
            return None

    def save(self, path: Path, snapshot: SchemaSnapshot, signatures: dict[str, str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "signatures": signatures, "snapshot": snapshot.to_dict()}
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, default=str)
        # Several workers may write at once: each writes its own file and renames it.
        os.replace(partial, path)

    def read(
        self,
        engine: Engine,
        *,
        source: str,
        key: str,
        dialect: str,
        schema: str | None,
        sample_values: bool,
        progress: Callable[[int, int], None] | None = None,
    ) -> SchemaSnapshot:
        """The schema, from the file where the tables did not change, read where they did."""
        signatures = table_signatures(engine, schema)
        path = self.path(source, f"{key}\n{schema}\n{sample_values}")
        cached = self.load(path) if signatures is not None else None
        if cached is None or signatures is None:
            snapshot = introspect(
                engine,
                source=source,
                dialect=dialect,
                schema=schema,
                sample_values=sample_values,
                progress=progress,
            )
            self.last[source] = SchemaRead(len(snapshot.tables), 0, 0)
        else:
            old, old_signatures = cached
            current = {name.lower(): sig for name, sig in signatures.items()}
            changed = {name for name, sig in current.items() if old_signatures.get(name) != sig}
            kept = [
                t for t in old.tables if t.name.lower() in current and t.name.lower() not in changed
            ]
            fresh: tuple[Table, ...] = ()
            if changed:
                fresh = introspect(
                    engine,
                    source=source,
                    dialect=dialect,
                    schema=schema,
                    sample_values=sample_values,
                    include=changed,
                    progress=progress,
                ).tables
            tables = sorted([*kept, *fresh], key=lambda t: t.name)
            snapshot = SchemaSnapshot(source=source, dialect=dialect, tables=tuple(tables))
            removed = sum(1 for t in old.tables if t.name.lower() not in current)
            self.last[source] = SchemaRead(len(fresh), len(kept), removed)
        if signatures is not None:
            try:
                self.save(path, snapshot, {n.lower(): s for n, s in signatures.items()})
            except OSError as exc:
                log.warning("schema cache %s cannot be written: %s", path, exc)
        return snapshot


def snapshot_from_dict(data: dict[str, Any]) -> SchemaSnapshot:
    """A snapshot from its `to_dict` form."""
    tables = tuple(
        Table(
            name=t["name"],
            schema=t.get("schema"),
            kind=t.get("kind", "table"),
            comment=t.get("comment"),
            parents=tuple(t.get("parents") or ()),
            columns=tuple(
                Column(
                    name=c["name"],
                    type=c["type"],
                    nullable=c.get("nullable", True),
                    primary_key=c.get("primary_key", False),
                    comment=c.get("comment"),
                    samples=tuple(c.get("samples") or ()),
                    iso_dates=c.get("iso_dates"),
                )
                for c in t["columns"]
            ),
            foreign_keys=tuple(
                ForeignKey(
                    columns=tuple(fk["columns"]),
                    ref_table=fk["ref_table"],
                    ref_columns=tuple(fk["ref_columns"]),
                    ref_schema=fk.get("ref_schema"),
                )
                for fk in t.get("foreign_keys") or ()
            ),
        )
        for t in data["tables"]
    )
    return SchemaSnapshot(
        source=data.get("source", ""),
        dialect=data["dialect"],
        tables=tables,
        latest_date=data.get("latest_date"),
    )
