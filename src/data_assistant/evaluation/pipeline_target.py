"""Evaluate through the real pipeline: the configured translator, guard and source."""

from __future__ import annotations

from typing import Any

from data_assistant.evaluation.harness import Prediction
from data_assistant.pipeline import Assistant

# Gold answers may hold thousands of rows; comparing them needs them all.
EVAL_MAX_ROWS = 100_000


class PipelineTarget:
    """Answers with `Assistant.ask`; gold SQL through `run_sql`, gold Cosmos queries as written.

    Works for SQL sources (rows as tuples) and document containers (JSON results).
    """

    def __init__(self, assistant: Assistant, source: str) -> None:
        self.assistant = assistant
        self.source = source
        self._source = assistant.source(source)
        self.documents = self._source.dialect == "cosmos"
        cap = "max_items" if self.documents else "max_rows"
        setattr(self._source.settings, cap, EVAL_MAX_ROWS)

    def answer(self, question: str) -> Prediction:
        answer = self.assistant.ask(self.source, question, max_rows=EVAL_MAX_ROWS)
        if self.documents:
            return Prediction(
                sql=answer.sql,
                rows=[],
                explanation=answer.explanation,
                translate_ms=answer.translate_ms,
                documents=answer.results,
            )
        return Prediction(
            sql=answer.sql,
            rows=[tuple(row.values()) for row in answer.results],
            explanation=answer.explanation,
            translate_ms=answer.translate_ms,
        )

    def run_gold(self, query: str) -> list[Any]:
        if self.documents:
            return self._source.execute(query, max_items=EVAL_MAX_ROWS).documents
        answer = self.assistant.run_sql(self.source, query, max_rows=EVAL_MAX_ROWS)
        return [tuple(row.values()) for row in answer.results]

    def close(self) -> None:
        self.assistant.close()
