"""What every presenter shares: the attempts shown in debug mode, and the Presenter protocol."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from pydantic import BaseModel

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
