"""ask(): question -> source -> schema context -> translate -> guard -> execute -> answer.

Every surface (HTTP, MCP, CLI) calls this one pipeline; nothing about a question is
decided twice. A guard rejection or database error is fed back to the translator, at most
`translator.max_corrections` more times; a timeout is never retried.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from data_assistant.config import Settings
from data_assistant.errors import (
    DataAssistantError,
    GuardRejection,
    NoUsableQuery,
    QueryFailed,
    TranslatorUnavailable,
)
from data_assistant.guard.count import count_query
from data_assistant.guard.sql_guard import check_sql
from data_assistant.sources import Source, SourceRegistry
from data_assistant.translate.base import Attempt, TranslationRequest, Translator
from data_assistant.translate.factory import build_translator

# Errors the translator may be able to fix when told about them.
CORRECTABLE = (GuardRejection, QueryFailed, NoUsableQuery)


@dataclass
class Answer:
    """What a question got: the query that ran and its rows."""

    source: str
    sql: str
    columns: list[str]
    results: list[dict[str, Any]]
    row_count: int | None
    truncated: bool
    question: str | None = None
    explanation: str | None = None
    attempts: list[dict[str, str | None]] = field(default_factory=list)
    duration_ms: float = 0.0
    translate_ms: float | None = None


class Assistant:
    """The configured sources and translator, and the one way to ask them."""

    def __init__(
        self,
        settings: Settings,
        *,
        translator: Translator | None = None,
        sources: SourceRegistry | None = None,
    ) -> None:
        self.settings = settings
        self.sources = sources or SourceRegistry(settings)
        self.translator = translator if translator is not None else build_translator(settings)

    def source(self, name: str) -> Source:
        """The source called `name`, or UnknownSource."""
        return self.sources.get(name)

    def ask(self, source_name: str, question: str, *, max_rows: int | None = None) -> Answer:
        """Answer a question: translate, guard and run, correcting from errors when allowed."""
        started = time.perf_counter()
        source = self.source(source_name)
        if self.translator is None:
            raise TranslatorUnavailable(
                "Translation is turned off (translator.provider: none); set a provider."
            )
        schema = source.schema()
        limit = self._row_limit(source, max_rows)
        tries = 1 + self.settings.translator.max_corrections
        if not getattr(self.translator, "self_corrects", True):
            tries = 1
        attempts: list[Attempt] = []
        last_error: DataAssistantError | None = None
        for _ in range(tries):
            request = TranslationRequest(
                question=question,
                source_name=source.name,
                dialect=source.dialect,
                schema=schema,
                description=source.description,
                attempts=tuple(attempts),
            )
            query = ""
            try:
                translate_started = time.perf_counter()
                translation = self.translator.translate(request)
                translate_ms = (time.perf_counter() - translate_started) * 1000
                query = translation.query
                answer = self._run(source, query, limit)
            except CORRECTABLE as exc:
                attempts.append(Attempt(query=query, error=exc.reason))
                last_error = exc
                continue
            answer.question = question
            answer.explanation = translation.explanation
            answer.attempts = [{"sql": a.query, "error": a.error} for a in attempts]
            answer.attempts.append({"sql": answer.sql, "error": None})
            answer.duration_ms = (time.perf_counter() - started) * 1000
            answer.translate_ms = translate_ms
            return answer
        assert last_error is not None
        raise last_error

    def run_sql(self, source_name: str, sql: str, *, max_rows: int | None = None) -> Answer:
        """Guard and run a query written by hand (no translation)."""
        started = time.perf_counter()
        source = self.source(source_name)
        answer = self._run(source, sql, self._row_limit(source, max_rows))
        answer.duration_ms = (time.perf_counter() - started) * 1000
        return answer

    def close(self) -> None:
        self.sources.close()

    def _row_limit(self, source: Source, requested: int | None) -> int:
        cap = source.settings.max_rows
        return cap if requested is None else max(1, min(requested, cap))

    def _run(self, source: Source, sql: str, max_rows: int) -> Answer:
        tables = source.schema().table_names()
        guarded = check_sql(sql, dialect=source.dialect, tables=tables, row_cap=max_rows + 1)
        result = source.execute(
            guarded.sql,
            max_rows=max_rows,
            count_sql=count_query(guarded.expression, dialect=source.dialect),
        )
        columns = unique_names(result.columns)
        return Answer(
            source=source.name,
            sql=guarded.sql,
            columns=columns,
            results=[dict(zip(columns, row, strict=True)) for row in result.rows],
            row_count=result.row_count,
            truncated=result.truncated,
        )


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique (`name`, `name_2`) so that rows can be objects."""
    taken: set[str] = set()
    out = []
    for name in names:
        base = candidate = name or "column"
        n = 1
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate)
        out.append(candidate)
    return out
