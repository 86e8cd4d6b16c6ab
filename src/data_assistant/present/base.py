"""What every presenter shares: the attempts shown in debug mode, and the Presenter protocol."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, Field

from data_assistant.answers import Answer
from data_assistant.schema.model import SchemaSnapshot


class Attempt(BaseModel):
    """One query tried for a question, and why it was sent back (null when it ran)."""

    sql: str | None
    error: str | None


class Presenter(Protocol):
    """Turns an answer in one query language into the API's answer object."""

    # The response model, as the OpenAPI document and MCP output schema show it.
    model: ClassVar[type[BaseModel]]

    def body(self, answer: Answer, *, debug: bool = False) -> dict[str, Any]:
        """The answer object; the attempts only in debug mode."""
        ...

    def schema_text(self, snapshot: SchemaSnapshot) -> str:
        """The schema as the translator is shown it, for people."""
        ...


def attempts(answer: Answer) -> list[dict[str, str | None]]:
    """The attempts of an answer as the API shows them."""
    return [{"sql": a.query, "error": a.error} for a in answer.attempts]


class Provenance(BaseModel):
    """Where a translated answer's query came from: a golden query, the cache."""

    verified: bool | None = Field(
        default=None,
        description="True when the query is a golden query verified by people for this "
        "question (its values perhaps rebound).",
    )
    cached: bool | None = Field(
        default=None,
        description="True when the query was reused from an earlier translation of the same "
        "question; it ran again now, under the asker's policies.",
    )
    translated_at: str | None = Field(
        default=None, description="When a cached query was first written (ISO 8601, UTC)."
    )


def provenance(answer: Answer) -> dict[str, Any]:
    """The provenance fields of a translated answer (none for a query the client wrote)."""
    if answer.question is None:
        return {}
    fields: dict[str, Any] = {"verified": answer.verified, "cached": answer.cached}
    if answer.cached and answer.translated_at is not None:
        when = datetime.fromtimestamp(answer.translated_at, tz=UTC)
        fields["translated_at"] = when.isoformat(timespec="seconds").replace("+00:00", "Z")
    return fields
