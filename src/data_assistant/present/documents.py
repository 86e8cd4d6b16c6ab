"""The answer object of document containers (`queryCosmosDb`), for every surface."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from data_assistant.answers import Answer, DocumentsResult
from data_assistant.present.base import Attempt, Provenance, attempts, provenance
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.translate.cosmos_prompts import render_container


class CosmosQueryResponse(Provenance):
    query: str = Field(description="The Cosmos DB for NoSQL query that was run.")
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Values bound to the query's @parameters."
    )
    documents: list[Any] = Field(description="The query's results: documents or values.")
    count: int | None = Field(
        description="How many results the query yields in all; null when not counted."
    )
    truncated: bool = Field(description="True when documents holds only the first results.")
    explanation: str | None = Field(default=None, description="How the question was read.")
    attempts: list[Attempt] | None = Field(
        default=None, description="Every query tried, shown in debug mode only."
    )


class DocumentsPresenter:
    """Documents or values, with the query that ran and its parameters."""

    model: ClassVar[type[BaseModel]] = CosmosQueryResponse

    def body(self, answer: Answer, *, debug: bool = False) -> dict[str, Any]:
        result = answer.result
        assert isinstance(result, DocumentsResult)
        body: dict[str, Any] = {
            "query": result.query,
            "parameters": result.parameters,
            "documents": result.documents,
            "count": result.count,
            "truncated": result.truncated,
            "explanation": answer.explanation,
            **provenance(answer),
        }
        if debug:
            body["attempts"] = attempts(answer)
        return body

    def schema_text(self, snapshot: SchemaSnapshot) -> str:
        # No token budget for people: every path is shown.
        return "\n\n".join(render_container(t, token_budget=10**9) for t in snapshot.tables)
