"""Request and response bodies of the HTTP API, as the OpenAPI document shows them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SqlQueryRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class Attempt(BaseModel):
    sql: str | None
    error: str | None


class SqlQueryResponse(BaseModel):
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


class SourceInfo(BaseModel):
    name: str
    kind: str
    dialect: str
    description: str | None = None


class SourceList(BaseModel):
    sources: list[SourceInfo]


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


class CosmosQueryRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class CosmosQueryResponse(BaseModel):
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
