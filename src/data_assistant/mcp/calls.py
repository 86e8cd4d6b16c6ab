"""A tool call run through the one pipeline, as an MCP result or an MCP tool error.

Blocking (databases, the LLM): the server runs it in a worker thread. A tool error's text
starts with the same one-sentence reason as the HTTP problem's `detail`, followed by what
the problem adds (the rejected query, suggested questions); never a stack trace.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import mcp_types as types
from pydantic import BaseModel, ValidationError

from data_assistant.answers import Answer
from data_assistant.api.models import SourceList, source_info
from data_assistant.api.problems import invalid_request_reason
from data_assistant.auth.principal import insufficient_scope
from data_assistant.errors import DataAssistantError
from data_assistant.mcp.models import RunQueryRequest, SourceDescription, SourceRequest
from data_assistant.mcp.tools import TOOLS
from data_assistant.pipeline import Assistant, Caller
from data_assistant.present import answer_body, presenter_for
from data_assistant.sources.source import COSMOS, SQL

log = logging.getLogger("data_assistant.mcp")

# The HTTP API's words for an unexpected failure (api/problems.py).
INTERNAL_ERROR = "The server failed to answer; the error has been logged."

Runner = Callable[[Assistant, Any, Caller], dict[str, Any]]


def call_tool(
    assistant: Assistant, name: str, arguments: dict[str, Any], caller: Caller
) -> types.CallToolResult:
    """Run tool `name` (known to TOOLS) for `caller`; errors become tool errors."""
    spec = TOOLS[name]
    try:
        raw_scope = assistant.settings.mcp.raw_query_scope
        if spec.raw_query and not caller.principal.has_scope(raw_scope):
            raise insufficient_scope(raw_scope, realm=assistant.settings.auth.realm)
        body = RUNNERS[name](assistant, spec.arguments.model_validate(arguments), caller)
    except ValidationError as exc:
        return tool_error(invalid_request_reason(exc))
    except DataAssistantError as exc:
        return tool_error(error_text(exc))
    except Exception:
        log.exception("tool %s failed", name)
        return tool_error(INTERNAL_ERROR)
    text = json.dumps(body, ensure_ascii=False)
    # The JSON as text too, for clients that read no structured content (the spec's SHOULD).
    return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=body)


def tool_error(text: str) -> types.CallToolResult:
    """An MCP tool error (`isError: true`) saying `text`."""
    return types.CallToolResult(content=[types.TextContent(text=text)], is_error=True)


def error_text(exc: DataAssistantError) -> str:
    """The problem's detail, then its extras as a model reads them: the query, the
    suggested questions."""
    lines = [exc.reason]
    extras = exc.problem_extras()
    if sql := extras.get("sql"):
        lines.append(f"{exc.title}: {sql}")
    if suggestions := extras.get("suggestions"):
        lines.append("Questions that can be answered instead:")
        lines.extend(f"- {question}" for question in suggestions)
    return "\n".join(lines)


# ------------------------------------------------------------------------------ the tools


def list_sources(assistant: Assistant, _: BaseModel, caller: Caller) -> dict[str, Any]:
    """The caller's sources, as `GET /api/v1/sources` lists them."""
    sources = [source_info(s) for s in assistant.sources_for(caller.principal)]
    return SourceList(sources=sources).model_dump(mode="json")


def describe_source(assistant: Assistant, args: SourceRequest, caller: Caller) -> dict[str, Any]:
    """A source and the schema the caller's translator sees, structured and as text."""
    snapshot = assistant.schema_for(args.source, caller.principal)
    source = assistant.sources.get(args.source, visible_to=caller.principal)
    description = SourceDescription(
        **source_info(source).model_dump(),
        tables=list(snapshot.tables),
        latest_date=snapshot.latest_date,
        schema_text=presenter_for(source.language.name).schema_text(snapshot),
    )
    return description.model_dump(mode="json")


def ask(assistant: Assistant, args: Any, caller: Caller) -> dict[str, Any]:
    """A question to a SQL source: the querySqlDatabase answer object."""
    answer = assistant.ask(
        args.database, args.question, max_rows=args.max_rows, language=SQL.name, caller=caller
    )
    return presented(answer, assistant)


def ask_documents(assistant: Assistant, args: Any, caller: Caller) -> dict[str, Any]:
    """A question to a container: the queryCosmosDb answer object."""
    answer = assistant.ask(
        args.container, args.question, max_rows=args.max_items, language=COSMOS.name, caller=caller
    )
    return presented(answer, assistant)


def run_query(assistant: Assistant, args: RunQueryRequest, caller: Caller) -> dict[str, Any]:
    """A query the caller wrote, guarded as a generated one: its language's answer object."""
    answer = assistant.run_query(args.source, args.query, max_rows=args.max_rows, caller=caller)
    return presented(answer, assistant)


def presented(answer: Answer, assistant: Assistant) -> dict[str, Any]:
    """The answer object exactly as the HTTP API sends it: through the response model,
    unset fields left out."""
    body = answer_body(answer, debug=assistant.settings.debug)
    model = presenter_for(answer.result.language).model
    return model.model_validate(body).model_dump(mode="json", exclude_unset=True)


RUNNERS: dict[str, Runner] = {
    "list_sources": list_sources,
    "describe_source": describe_source,
    "ask": ask,
    "ask_documents": ask_documents,
    "run_query": run_query,
}
