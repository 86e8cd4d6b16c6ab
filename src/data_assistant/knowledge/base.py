"""The knowledge base: what the knowledge folder and the golden store say about each source,
applied to the schema a translator sees."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import threading
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot.errors import SqlglotError

from data_assistant.errors import ConfigError, Conflict, NotFound, SourceUnavailable
from data_assistant.knowledge.dates import reference_date, resolve_relative_dates
from data_assistant.knowledge.files import knowledge_sources, load_source_knowledge
from data_assistant.knowledge.golden import GoldenTemplate
from data_assistant.knowledge.model import GoldenQuery, SourceKnowledge
from data_assistant.knowledge.store import GoldenStore, RedisGoldenStore, SqliteGoldenStore
from data_assistant.schema.model import GlossaryTerm, SchemaSnapshot, Table
from data_assistant.settings import Settings

log = logging.getLogger("data_assistant.knowledge")
DEFAULT_FOLDER = Path("knowledge")


def knowledge_folder(settings: Settings) -> Path | None:
    """The knowledge folder: the configured one (which must exist), else `knowledge` when
    present, else None."""
    configured = settings.knowledge.path
    if configured is None:
        return DEFAULT_FOLDER if DEFAULT_FOLDER.is_dir() else None
    if not configured.is_dir():
        raise ConfigError(f"{settings.where('knowledge.path')}no folder {configured}")
    return configured


def load_knowledge(settings: Settings) -> dict[str, SourceKnowledge]:
    """The knowledge files of every configured source; a bad file raises ConfigError naming
    it, and so does a file for an unknown source in a configured folder (the default
    folder may describe sources that this run, with its `--db`, does not have)."""
    folder = knowledge_folder(settings)
    if folder is None:
        return {}
    found: dict[str, SourceKnowledge] = {}
    for name in sorted(knowledge_sources(folder)):
        if name not in settings.sources:
            if settings.knowledge.path is None:
                log.info("%s: no source named '%s'; not read", folder / name, name)
                continue
            raise ConfigError(f"{folder / name}: there is no source named '{name}' to describe")
        found[name] = load_source_knowledge(folder, name)
    return found


def with_hidden_columns(settings: Settings, knowledge: dict[str, SourceKnowledge]) -> Settings:
    """The settings with each source's hidden columns added to its denied columns, so that
    the one column-deny policy hides them from the translator and refuses them in queries."""
    changes: dict[str, Any] = {}
    for name, known in knowledge.items():
        if not known.hidden:
            continue
        source = settings.sources[name]
        where = known.files[0] if known.files else name
        if source.kind != "sql":
            raise ConfigError(f"{where}: hidden_columns: only SQL sources have columns to hide")
        existing = {t.lower(): t for t in source.policies.tables}
        tables: dict[str, Any] = {}
        for table, columns in known.hidden.items():
            key = existing.get(table, table)
            policy = source.policies.tables.get(key)
            denied = list(policy.deny_columns) if policy else []
            denied += sorted(c for c in columns if c not in {d.lower() for d in denied})
            tables[key] = {"deny_columns": denied}
        changes[name] = {"policies": {"tables": tables}}
    if not changes:
        return settings
    return settings.merged({"sources": changes}, origin="hidden_columns of the knowledge files")


def make_store(settings: Settings) -> GoldenStore:
    """The golden store the settings ask for: Redis, else SQLite under data_dir."""
    config = settings.knowledge
    url, prefix = settings.shared_redis("knowledge", config.redis_url, config.key_prefix)
    if url:
        return RedisGoldenStore(url, prefix=prefix)
    return SqliteGoldenStore(settings.data_dir / "knowledge.db")


# Applied schemas kept: one per source and view (a filtered container has one per principal).
APPLIED_KEPT = 512


@dataclasses.dataclass(frozen=True)
class AppliedSchema:
    """A source's visible schema with its knowledge applied, and the schema's fingerprint."""

    snapshot: SchemaSnapshot
    fingerprint: str


class KnowledgeBase:
    """Golden queries, glossary and descriptions of every source."""

    def __init__(
        self,
        files: dict[str, SourceKnowledge],
        store: GoldenStore,
        *,
        today: date | None = None,
    ) -> None:
        self.files = files
        self.store = store
        self._today = today
        self._lock = threading.Lock()
        self._store_down = False
        self._golden: dict[str, tuple[int, list[GoldenQuery]]] = {}
        self._templates: dict[str, tuple[int, list[GoldenTemplate]]] = {}
        # (source, id of the visible snapshot, reference date) -> (that snapshot, applied);
        # the snapshot is kept so that its id cannot be reused while the entry lives.
        self._applied: dict[tuple[str, int, date], tuple[SchemaSnapshot, AppliedSchema]] = {}

    # ------------------------------------------------------------ golden queries

    def golden(self, source: str, *, strict: bool = True) -> list[GoldenQuery]:
        """The source's golden queries: from its files, then those added since (read from
        the store again only when its version changed). Not `strict` (answering questions),
        an unreachable store gives the last list read, or the files' alone."""
        try:
            version = self.version(source)
        except SourceUnavailable:
            if strict:
                raise
            return self._last_golden(source)
        self._store_down = False
        with self._lock:
            cached = self._golden.get(source)
            if cached is not None and cached[0] == version:
                return cached[1]
        known = self.files.get(source)
        try:
            stored = self.store.list(source)
        except SourceUnavailable:
            if strict:
                raise
            return self._last_golden(source)
        found = [*(known.golden if known else ()), *stored]
        with self._lock:
            self._golden[source] = (version, found)
        return found

    def _last_golden(self, source: str) -> list[GoldenQuery]:
        # Questions go on while the store is down: a golden query only shortcuts them.
        if not self._store_down:
            self._store_down = True
            log.warning("golden-query store cannot be reached; answering without it until back")
        with self._lock:
            cached = self._golden.get(source)
        if cached is not None:
            return cached[1]
        known = self.files.get(source)
        return list(known.golden) if known else []

    def version(self, source: str) -> int:
        """Changes whenever the source's stored golden queries change."""
        return self.store.version(source)

    def templates(self, source: str, dialect: str) -> list[GoldenTemplate]:
        """The golden queries ready for matching, rebuilt when they change; for answering,
        so an unreachable store falls back as `golden(strict=False)` does."""
        try:
            version = self.version(source)
        except SourceUnavailable:
            return [GoldenTemplate(g, dialect) for g in self._last_golden(source)]
        with self._lock:
            cached = self._templates.get(source)
            if cached is not None and cached[0] == version:
                return cached[1]
        templates = [GoldenTemplate(g, dialect) for g in self.golden(source, strict=False)]
        with self._lock:
            self._templates[source] = (version, templates)
        return templates

    def find(self, source: str, golden_id_: str) -> GoldenQuery:
        """The golden query with this id, or NotFound."""
        for golden in self.golden(source):
            if golden.id == golden_id_:
                return golden
        raise NotFound(f"Source '{source}' has no golden query with id '{golden_id_}'.")

    def add(self, golden: GoldenQuery) -> GoldenQuery:
        """Keep a golden query; a question that a knowledge file answers is refused."""
        if any(g.id == golden.id and g.origin == "file" for g in self.golden(golden.source)):
            raise Conflict(
                f"The question is answered in the knowledge files of '{golden.source}'; "
                "edit it there."
            )
        return self.store.add(golden)

    def remove(self, source: str, golden_id_: str) -> GoldenQuery:
        """Forget a stored golden query; one from a knowledge file is edited there."""
        golden = self.find(source, golden_id_)
        if golden.origin == "file":
            raise Conflict("That golden query is in a knowledge file; remove it there.")
        self.store.remove(source, golden_id_)
        return golden

    # ------------------------------------------------------------ schema

    def schema_for(self, source: Any, principal: Any = None) -> AppliedSchema:
        """The schema `principal` may see of the source, with descriptions and glossary
        terms; computed once per visible snapshot (a source returns the same object for the
        same view) and reference date."""
        raw = source.schema()
        # Before the policies read the hidden columns, so that a typo names its file.
        self._check_hidden(source.name, raw)
        visible = source.visible_schema(principal)
        reference = reference_date(raw, self._today)
        key = (source.name, id(visible), reference)
        with self._lock:
            cached = self._applied.get(key)
            if cached is not None and cached[0] is visible:
                return cached[1]
        snapshot = self.apply(source.name, visible, reference)
        applied = AppliedSchema(snapshot, fingerprint(snapshot))
        with self._lock:
            if len(self._applied) >= APPLIED_KEPT:
                self._applied.pop(next(iter(self._applied)))
            self._applied[key] = (visible, applied)
        return applied

    def _check_hidden(self, source: str, raw: SchemaSnapshot) -> None:
        """Raise ConfigError, naming the knowledge file, for a hidden column that the
        source does not have (a typo would otherwise hide nothing)."""
        known = self.files.get(source)
        if known is None or not known.hidden:
            return
        where = known.files[0] if known.files else source
        for table, columns in known.hidden.items():
            found = raw.table(table)
            if found is None:
                raise ConfigError(f"{where}: hidden_columns: no table {table} in '{source}'")
            missing = sorted(c for c in columns if found.column(c) is None)
            if missing:
                raise ConfigError(
                    f"{where}: hidden_columns: {table} has no column {', '.join(missing)}"
                )

    def forget_schema(self, source: str) -> None:
        """Drop the applied schema kept for a source (after a refresh)."""
        with self._lock:
            for key in [k for k in self._applied if k[0] == source]:
                del self._applied[key]

    def apply(self, source: str, snapshot: SchemaSnapshot, reference: date) -> SchemaSnapshot:
        """`snapshot` with the source's descriptions and glossary terms."""
        known = self.files.get(source)
        if known is None:
            return snapshot
        tables = tuple(_described(t, known) for t in snapshot.tables)
        terms = tuple(_terms(known, snapshot, reference))
        return dataclasses.replace(snapshot, tables=tables, terms=terms)

    def check(self, sources: Iterable[Any]) -> None:
        """Raise ConfigError, naming the file, for a golden query or glossary term that is
        not valid in its source's language."""
        by_name = {s.name: s for s in sources}
        for name, known in self.files.items():
            source = by_name[name]
            where = known.files[0] if known.files else name
            if source.dialect == "cosmos":
                from data_assistant.cosmosql import parse

                if known.terms:
                    raise ConfigError(f"{where}: glossary: terms are SQL; '{name}' is a container")
                for golden in known.golden:
                    try:
                        parse(golden.query)
                    except Exception as exc:
                        reason = getattr(exc, "reason", str(exc))
                        raise ConfigError(
                            f"{where}: golden '{golden.question}': {reason}"
                        ) from None
                continue
            for golden in known.golden:
                try:
                    sqlglot.parse_one(golden.query, read=source.dialect)
                except SqlglotError as exc:
                    first = str(exc).splitlines()[0]
                    raise ConfigError(f"{where}: golden '{golden.question}': {first}") from None
            for term in known.terms:
                try:
                    sqlglot.parse_one(term.sql, read=source.dialect)
                except SqlglotError as exc:
                    first = str(exc).splitlines()[0]
                    raise ConfigError(f"{where}: glossary.{term.name}: {first}") from None

    def close(self) -> None:
        self.store.close()


def fingerprint(snapshot: SchemaSnapshot) -> str:
    """A digest of everything a translator is shown of a schema."""
    text = json.dumps(snapshot.to_dict(), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _joined(comment: str | None, description: str | None, note: str | None) -> str | None:
    base = description if description is not None else comment
    if note:
        return f"{base} {note}".strip() if base else note
    return base


def _described(table: Table, known: SourceKnowledge) -> Table:
    notes = known.tables.get(table.qualified_name.lower()) or known.tables.get(table.name.lower())
    if notes is None:
        return table
    columns = []
    for column in table.columns:
        said = notes.columns.get(column.name.lower())
        if said is None:
            columns.append(column)
            continue
        comment = _joined(column.comment, said.description, said.note)
        columns.append(dataclasses.replace(column, comment=comment))
    return dataclasses.replace(
        table,
        comment=_joined(table.comment, notes.description, notes.note),
        columns=tuple(columns),
    )


def _terms(known: SourceKnowledge, snapshot: SchemaSnapshot, reference: date) -> list[GlossaryTerm]:
    """The terms whose table the schema shows, relative dates resolved, in its dialect."""
    terms = []
    for term in known.terms:
        table = snapshot.table(term.table)
        if table is None:
            log.info(
                "glossary term %r of %s: table %s not visible", term.name, known.source, term.table
            )
            continue
        try:
            tree = sqlglot.parse_one(term.sql, read=snapshot.dialect)
        except SqlglotError:
            continue
        sql = resolve_relative_dates(tree, reference).sql(dialect=snapshot.dialect)
        if _reads_hidden(sql, snapshot):
            continue
        terms.append(
            GlossaryTerm(
                name=term.name,
                kind=term.kind,
                sql=sql,
                table=table.qualified_name,
                description=term.description,
                synonyms=term.synonyms,
            )
        )
    return terms


def _reads_hidden(sql: str, snapshot: SchemaSnapshot) -> bool:
    """Whether a definition names a table the schema does not show (a denied one)."""
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read=snapshot.dialect)
    return any(snapshot.table(t.name) is None for t in tree.find_all(exp.Table))
