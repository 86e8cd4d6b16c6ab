"""The answer object of SQL sources (`querySqlDatabase`), for every surface."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from data_assistant.answers import Answer, RowsResult
from data_assistant.present.base import Attempt, Provenance, attempts, provenance
from data_assistant.schema.context import render_table
from data_assistant.schema.model import SchemaSnapshot


class SqlQueryResponse(Provenance):
    sql: str = Field(description="The read-only SQL query that was run.")
    results: list[dict[str, Any]] = Field(description="The rows, one object per row.")
    row_count: int | None = Field(
        description="How many rows the query yields in all; null when it could not be counted."
    )
    columns: list[str] = Field(description="Column names in order.")
    truncated: bool = Field(description="True when results holds only the first rows.")
    explanation: str | None = Field(default=None, description="How the question was read.")
    attempts: list[Attempt] | None = Field(
        default=None, description="Every query tried, shown in debug mode only."
    )


class SqlPresenter:
    """Rows as objects, with the SQL that ran and the count of all rows."""

    model: ClassVar[type[BaseModel]] = SqlQueryResponse

    def body(self, answer: Answer, *, debug: bool = False) -> dict[str, Any]:
        result = answer.result
        assert isinstance(result, RowsResult)
        body: dict[str, Any] = {
            "sql": result.query,
            "results": result.rows,
            "row_count": result.row_count,
            "columns": result.columns,
            "truncated": result.truncated,
            "explanation": answer.explanation,
            **provenance(answer),
        }
        if debug:
            body["attempts"] = attempts(answer)
        return body

    def schema_text(self, snapshot: SchemaSnapshot) -> str:
        return "\n\n".join(render_table(t, snapshot.dialect) for t in snapshot.tables)
