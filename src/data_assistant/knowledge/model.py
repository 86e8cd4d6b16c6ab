"""What is known about one source: golden queries, glossary terms, descriptions, hidden columns."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from data_assistant.knowledge.text import normalise


@dataclass(frozen=True)
class GoldenQuery:
    """A question with the query verified to answer it."""

    source: str
    question: str
    query: str
    # "file" (knowledge/ folder, edited there) or "store" (added through the API or CLI).
    origin: str = "store"
    # Who added it and when (seconds since the epoch), for queries from the store.
    added_by: str | None = None
    added_at: float | None = None

    @property
    def id(self) -> str:
        """A short stable id: the same question on the same source has the same id."""
        return golden_id(self.source, self.question)


def golden_id(source: str, question: str) -> str:
    """The id of a golden question on a source."""
    key = f"{source}\n{' '.join(normalise(question))}".encode()
    return hashlib.sha256(key).hexdigest()[:12]


@dataclass(frozen=True)
class TermDefinition:
    """A glossary entry as written: SQL that may hold relative dates (`DAYS_AGO(90)`)."""

    name: str
    kind: str  # "filter" or "expression"
    sql: str
    table: str
    description: str | None = None
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnNotes:
    """What the knowledge file says about a column: a description that replaces the
    database comment, or a note added to it."""

    description: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class TableNotes:
    """What the knowledge file says about a table and its columns."""

    description: str | None = None
    note: str | None = None
    columns: dict[str, ColumnNotes] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceKnowledge:
    """Everything the knowledge folder holds about one source, and where it came from."""

    source: str
    golden: tuple[GoldenQuery, ...] = ()
    terms: tuple[TermDefinition, ...] = ()
    tables: dict[str, TableNotes] = field(default_factory=dict)
    # Lower-cased table name -> lower-cased hidden column names.
    hidden: dict[str, frozenset[str]] = field(default_factory=dict)
    # The files read, for messages.
    files: tuple[str, ...] = ()
