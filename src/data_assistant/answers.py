"""What a question gets: the Answer, holding a typed result per query language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class RowsResult:
    """A SQL query that ran and its rows, as objects keyed by unique column names."""

    language: ClassVar[str] = "sql"

    query: str
    columns: list[str]
    rows: list[dict[str, Any]]
    # How many rows the query yields in all; None when it could not be counted in time.
    row_count: int | None
    truncated: bool
    notes: tuple[str, ...] = ()

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Column names and rows as lists, for tables and CSV."""
        return list(self.columns), [list(row.values()) for row in self.rows]


@dataclass(frozen=True)
class DocumentsResult:
    """A Cosmos DB query that ran, the values bound to its @parameters, and its results."""

    language: ClassVar[str] = "cosmos"

    query: str
    parameters: dict[str, Any]
    # Whatever the query selects: documents, or any JSON value per result.
    documents: list[Any]
    count: int | None
    truncated: bool
    notes: tuple[str, ...] = ()

    @property
    def row_count(self) -> int | None:
        return self.count

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Top-level fields as columns (in order of first appearance), or one `value`
        column when the results are not objects."""
        if not all(isinstance(d, dict) for d in self.documents):
            return ["value"], [[d] for d in self.documents]
        columns: dict[str, None] = {}
        for document in self.documents:
            columns.update(dict.fromkeys(document))
        names = list(columns)
        return names, [[d.get(name) for name in names] for d in self.documents]


Result = RowsResult | DocumentsResult


@dataclass(frozen=True)
class Attempt:
    """One query tried for a question and the error that sent it back, if any."""

    query: str | None
    error: str | None


@dataclass(frozen=True)
class Answer:
    """A question's answer: the result of the query that ran, and how it was reached."""

    source: str
    result: Result
    question: str | None = None
    explanation: str | None = None
    attempts: tuple[Attempt, ...] = ()
    duration_ms: float = 0.0
    translate_ms: float | None = None
    # The query is a golden query (knowledge/); reused from the translation cache, first
    # written at `translated_at` (seconds since the epoch).
    verified: bool = False
    cached: bool = False
    translated_at: float | None = None

    @property
    def query(self) -> str:
        """The query that ran, as shown to the user."""
        return self.result.query

    @property
    def truncated(self) -> bool:
        return self.result.truncated

    @property
    def row_count(self) -> int | None:
        return self.result.row_count
