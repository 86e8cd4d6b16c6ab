"""The MCP tools' own argument and result shapes; the answers reuse the HTTP API's models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from data_assistant.api.models import SourceInfo
from data_assistant.schema.model import Table

SourceName = Annotated[
    str,
    Field(min_length=1, max_length=64, description="The source's name, as list_sources lists it."),
]


class NoArguments(BaseModel):
    """A tool that takes no arguments (and refuses any)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class SourceRequest(BaseModel):
    """One source, by name."""

    # Strict, as the HTTP request bodies are: "2" is not a number.
    model_config = ConfigDict(extra="forbid", strict=True)

    source: SourceName


class RunQueryRequest(BaseModel):
    """A query the client's model wrote, for one source."""

    model_config = ConfigDict(extra="forbid", strict=True)

    source: SourceName
    query: str = Field(
        min_length=1,
        max_length=20_000,
        description="One read-only query: SQL in the source's dialect, or a Cosmos DB for "
        "NoSQL query (SELECT ... FROM c) for a container.",
    )
    max_rows: int | None = Field(
        default=None, ge=1, le=100_000, description="Return at most this many rows (or items)."
    )


class SourceDescription(SourceInfo):
    """A source and its schema as the principal's translator sees it."""

    tables: list[Table] = Field(
        description="Tables and views (for a container: its document paths) with their "
        "columns, keys and sample values; what the caller's policies hide is left out."
    )
    latest_date: str | None = Field(
        default=None,
        description="The latest date in the data: relative periods count back from it.",
    )
    schema_text: str = Field(description="The same schema as the query writer is shown it.")
