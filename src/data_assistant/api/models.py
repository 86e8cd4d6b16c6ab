"""Request bodies of the HTTP API and its listings; answer objects live in present/."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from data_assistant.sources import Source


class SqlQueryRequest(BaseModel):
    # Strict: "2" is not a number and true is not 1, as the OpenAPI document says.
    model_config = ConfigDict(extra="forbid", strict=True)

    database: str = Field(
        min_length=1, max_length=64, description="Name of the database, as listed by listSources."
    )
    question: str = Field(
        min_length=1,
        max_length=2000,
        description="The user's question in plain language, e.g. 'top 5 customers by revenue'.",
    )
    max_rows: int | None = Field(
        default=None, ge=1, le=100_000, description="Return at most this many rows."
    )


class SourceInfo(BaseModel):
    name: str
    kind: str = Field(description="sql, documents (a local container) or cosmos.")
    language: str = Field(
        description="sql (ask with querySqlDatabase) or cosmos (ask with queryCosmosDb)."
    )
    dialect: str
    description: str | None = None


class SourceList(BaseModel):
    sources: list[SourceInfo]


def source_info(source: Source) -> SourceInfo:
    """How a source is listed to the principals that may use it."""
    return SourceInfo(
        name=source.name,
        kind=source.kind,
        language=source.language.name,
        dialect=source.dialect,
        description=source.description,
    )


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    sql: str | None = Field(default=None, description="The query that was rejected or failed.")
    suggestions: list[str] | None = Field(
        default=None, description="Questions the translator can answer on the same data."
    )


class CosmosQueryRequest(BaseModel):
    # Strict: "2" is not a number and true is not 1, as the OpenAPI document says.
    model_config = ConfigDict(extra="forbid", strict=True)

    container: str = Field(
        min_length=1,
        max_length=64,
        description="Name of the document container, as listed by listSources.",
    )
    question: str = Field(
        min_length=1,
        max_length=2000,
        description="The user's question in plain language, e.g. 'open tickets per priority'.",
    )
    max_items: int | None = Field(
        default=None, ge=1, le=100_000, description="Return at most this many items."
    )


class ColumnInfo(BaseModel):
    name: str
    type: str
    nullable: bool = True
    primary_key: bool = False
    comment: str | None = None
    samples: list[str] = Field(
        default_factory=list, description="Up to 20 values of a low-cardinality text column."
    )


class ForeignKeyInfo(BaseModel):
    columns: list[str]
    ref_table: str
    ref_columns: list[str]
    ref_schema: str | None = None


class TableInfo(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str
    schema_: str | None = Field(
        default=None, alias="schema", description="Schema, when not the default one."
    )
    kind: str = Field(default="table", description="table or view (container for documents).")
    comment: str | None = None
    columns: list[ColumnInfo]
    foreign_keys: list[ForeignKeyInfo] = Field(default_factory=list)


class SourceSchema(BaseModel):
    source: str
    kind: str
    dialect: str
    tables: list[TableInfo] = Field(
        description="The tables and columns the caller may query, as the translator sees them."
    )


class GoldenQueryRequest(BaseModel):
    """A question and the query verified to answer it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    question: str = Field(min_length=1, max_length=2000, description="The question, as asked.")
    query: str = Field(
        min_length=1,
        max_length=20_000,
        description="The read-only query (SQL, or a Cosmos DB query) that answers it.",
    )


class GoldenQueryInfo(BaseModel):
    id: str = Field(description="Stable id of the question on this source.")
    question: str
    query: str
    origin: str = Field(description="file (a knowledge file; edit it there) or store (the API).")
    added_by: str | None = None
    added_at: str | None = Field(default=None, description="ISO 8601, UTC.")


class GoldenQueryList(BaseModel):
    golden: list[GoldenQueryInfo]


class GoldenCheck(BaseModel):
    id: str
    question: str
    ok: bool
    reason: str | None = Field(default=None, description="Why the query no longer works.")


class GoldenVerification(BaseModel):
    source: str
    checked: int
    broken: int
    results: list[GoldenCheck]
