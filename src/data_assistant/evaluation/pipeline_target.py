"""Evaluate through the real pipeline: the configured translator, guard and source."""

from __future__ import annotations

from typing import Any

from data_assistant.answers import DocumentsResult, RowsResult
from data_assistant.evaluation.harness import Prediction
from data_assistant.pipeline import Assistant, Caller
from data_assistant.settings import Settings

# Gold answers may hold thousands of rows; comparing them needs them all.
EVAL_MAX_ROWS = 100_000
EVAL = Caller(surface="eval")


class PipelineTarget:
    """Answers with `Assistant.ask`, runs gold queries with `Assistant.run_query`.

    Works for SQL sources (rows as tuples) and document containers (JSON results).
    """

    def __init__(self, assistant: Assistant, source: str) -> None:
        self.assistant = assistant
        self.source = source

    @staticmethod
    def settings_for(settings: Settings) -> Settings:
        """`settings` with every source's row cap raised, so gold answers come whole."""
        sources = {name: s.with_cap(EVAL_MAX_ROWS) for name, s in settings.sources.items()}
        return settings.model_copy(update={"sources": sources})

    def answer(self, question: str) -> Prediction:
        # No suggestions on a refusal: nobody reads them here, and they would time in.
        answer = self.assistant.ask(
            self.source, question, max_rows=EVAL_MAX_ROWS, caller=EVAL, suggest=False
        )
        result = answer.result
        return Prediction(
            sql=answer.query,
            rows=_rows(result),
            explanation=answer.explanation,
            translate_ms=answer.translate_ms,
            documents=result.documents if isinstance(result, DocumentsResult) else None,
        )

    def run_gold(self, query: str) -> list[Any]:
        # Gold queries run as their authors wrote them, through the source's own execution.
        answer = self.assistant.run_query(self.source, query, max_rows=EVAL_MAX_ROWS, caller=EVAL)
        result = answer.result
        if isinstance(result, DocumentsResult):
            return result.documents
        return _rows(result)

    def close(self) -> None:
        self.assistant.close()


def _rows(result: RowsResult | DocumentsResult) -> list[tuple]:
    if isinstance(result, RowsResult):
        return [tuple(row.values()) for row in result.rows]
    return []
