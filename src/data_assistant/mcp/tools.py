"""The MCP tools as a model sees them: names, descriptions, argument and result schemas, hints.

Every result schema is an answer object of the HTTP API (the presenters' models, or the
source listing), so a client gets the same shapes through either surface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mcp_types as types
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from data_assistant.api.models import CosmosQueryRequest, SourceList, SqlQueryRequest
from data_assistant.auth.principal import Principal
from data_assistant.mcp.models import NoArguments, RunQueryRequest, SourceDescription, SourceRequest
from data_assistant.present import presenter_for
from data_assistant.sources.source import COSMOS, SQL


def result_schema(*models: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of a result that is one of `models`, as an object at the root
    (2025-11-25 clients require `type: object` there)."""
    if len(models) == 1:
        return models[0].model_json_schema(mode="serialization")
    _, top = models_json_schema([(m, "serialization") for m in models])
    return {
        "type": "object",
        "anyOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in models],
        "$defs": top["$defs"],
    }


@dataclass(frozen=True)
class ToolSpec:
    """One tool: what the model reads, what it sends, what it gets back."""

    name: str
    title: str
    description: str
    arguments: type[BaseModel]
    result: dict[str, Any]
    # Queries written by the client's model: listed and callable with the raw-query scope only.
    raw_query: bool = False

    def tool(self) -> types.Tool:
        """The tool as tools/list shows it."""
        return types.Tool(
            name=self.name,
            title=self.title,
            description=self.description,
            input_schema=self.arguments.model_json_schema(),
            output_schema=self.result,
            annotations=types.ToolAnnotations(
                title=self.title,
                # Facts, not hopes: every tool only reads, through a guard that admits reads
                # only, from the configured sources (a closed world).
                read_only_hint=True,
                destructive_hint=False,
                idempotent_hint=True,
                open_world_hint=False,
            ),
        )


SQL_ANSWER = presenter_for(SQL.name).model
DOCUMENTS_ANSWER = presenter_for(COSMOS.name).model

SPECS = (
    ToolSpec(
        name="list_sources",
        title="List data sources",
        description=(
            "List the SQL databases and document containers you may query, with each one's "
            "kind, query language (sql or cosmos), SQL dialect and a description of its data. "
            "Call this first when you do not know a source's name. Ask sources whose language "
            "is sql with `ask`, and sources whose language is cosmos with `ask_documents`."
        ),
        arguments=NoArguments,
        result=result_schema(SourceList),
    ),
    ToolSpec(
        name="describe_source",
        title="Describe a source's schema",
        description=(
            "Show one source's schema as the query writer sees it: tables and views with "
            "their columns, types, keys and sample values (for a container, the paths of its "
            "documents), leaving out whatever your access policies hide. Use it to phrase a "
            "question in the data's own terms"
            " or to find table and column names before writing a query."
        ),
        arguments=SourceRequest,
        result=result_schema(SourceDescription),
    ),
    ToolSpec(
        name="ask",
        title="Ask a SQL database",
        description=(
            "Answer a question about a SQL database, asked in plain language. The server "
            "writes one read-only SQL query, checks it (a single SELECT over allowed tables, "
            "a row cap, your row filters and column masks applied), runs it and returns the "
            "SQL, the rows as objects, the total row count and whether the rows were "
            "truncated. Send the user's question as they would say it, e.g. 'top 5 customers "
            "by revenue in 2024'; include the period, filters and how many rows they want. "
            "Show the SQL with the answer. When the question cannot be read with confidence "
            "no query runs and the error says why: rephrase it rather than guess."
        ),
        arguments=SqlQueryRequest,
        result=result_schema(SQL_ANSWER),
    ),
    ToolSpec(
        name="ask_documents",
        title="Ask a document container",
        description=(
            "Answer a question about a document container (a source whose language is "
            "cosmos), asked in plain language. The server writes one Cosmos DB for NoSQL "
            "query with the question's values as @parameters, checks it, runs it and "
            "returns the query, its parameters, the matching documents or values, the total "
            "count and whether the results were truncated. Show the query with the answer."
        ),
        arguments=CosmosQueryRequest,
        result=result_schema(DOCUMENTS_ANSWER),
    ),
    ToolSpec(
        name="run_query",
        title="Run your own read-only query",
        description=(
            "Run a query you wrote against a source: SQL in the source's dialect (see "
            "list_sources) for a SQL database, or a Cosmos DB for NoSQL query (SELECT ... "
            "FROM c) for a container. It is checked exactly as a generated query is: one "
            "read-only statement, allowed tables and functions only, the row cap added, your "
            "row filters and column masks applied; anything else comes back as an error "
            "naming the reason. Read the schema with describe_source first. Returns the "
            "same answer object as ask (SQL) or ask_documents (container)."
        ),
        arguments=RunQueryRequest,
        result=result_schema(SQL_ANSWER, DOCUMENTS_ANSWER),
        raw_query=True,
    ),
)
TOOLS = {spec.name: spec for spec in SPECS}


def visible_tools(principal: Principal, raw_query_scope: str) -> list[types.Tool]:
    """The tools `principal` is offered: run_query only with the raw-query scope."""
    return [
        spec.tool() for spec in SPECS if not spec.raw_query or principal.has_scope(raw_query_scope)
    ]
