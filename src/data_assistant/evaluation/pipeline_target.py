"""Evaluate through the real pipeline: the configured translator, guard and source."""

from __future__ import annotations

from data_assistant.evaluation.harness import Prediction
from data_assistant.pipeline import Assistant

# Gold answers may hold thousands of rows; comparing them needs them all.
EVAL_MAX_ROWS = 100_000


class PipelineTarget:
    """Answers questions with `Assistant.ask` and runs gold SQL with `Assistant.run_sql`."""

    def __init__(self, assistant: Assistant, source: str) -> None:
        self.assistant = assistant
        self.source = source
        assistant.source(source).settings.max_rows = EVAL_MAX_ROWS

    def answer(self, question: str) -> Prediction:
        answer = self.assistant.ask(self.source, question, max_rows=EVAL_MAX_ROWS)
        return Prediction(
            sql=answer.sql,
            rows=[tuple(row.values()) for row in answer.results],
            explanation=answer.explanation,
            translate_ms=answer.translate_ms,
        )

    def run_gold(self, sql: str) -> list[tuple]:
        answer = self.assistant.run_sql(self.source, sql, max_rows=EVAL_MAX_ROWS)
        return [tuple(row.values()) for row in answer.results]

    def close(self) -> None:
        self.assistant.close()
