"""The MCP server (the SDK's low-level Server) serving the tools over any transport.

The low-level server rather than MCPServer: the tool list depends on who asks (run_query
needs the raw-query scope), and the schemas are the HTTP API's models rather than ones
inferred from function signatures. The transport says who asks through `identify`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import mcp_types as types
from mcp.server import CacheHint, Server, ServerRequestContext
from mcp.shared.exceptions import MCPError

from data_assistant import __version__
from data_assistant.errors import DataAssistantError
from data_assistant.mcp.calls import call_tool, error_text, tool_error
from data_assistant.mcp.tools import TOOLS, visible_tools
from data_assistant.pipeline import Assistant, Caller

# Who asks, from a request's context; raises Unauthorized (or another error) when unknown.
Identify = Callable[[ServerRequestContext[Any, Any]], Caller]

INSTRUCTIONS = (
    "Answers questions about the user's SQL databases and document containers, read-only. "
    "Call list_sources to learn the source names; ask SQL databases with ask and document "
    "containers with ask_documents, in plain language; show the user the query that ran with "
    "the answer. describe_source shows a source's schema."
)
# The tool list differs per principal: a client may keep it for a minute, for that caller only.
TOOL_LIST_CACHE = CacheHint(ttl_ms=60_000, scope="private")


def build_server(assistant: Assistant, identify: Identify) -> Server[Any]:
    """A server whose tools ask `assistant` on behalf of whoever `identify` names."""
    settings = assistant.settings
    input_schemas = {name: spec.arguments.model_json_schema() for name, spec in TOOLS.items()}

    async def list_tools(
        ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        try:
            # Identifying may block (a token checked again, keys fetched).
            caller = await anyio.to_thread.run_sync(identify, ctx)
        except DataAssistantError as exc:
            raise MCPError(code=types.INVALID_REQUEST, message=exc.reason) from None
        tools = visible_tools(caller.principal, settings.mcp.raw_query_scope)
        return types.ListToolsResult(tools=tools)

    async def call(
        ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        if params.name not in TOOLS:
            raise MCPError(code=types.INVALID_PARAMS, message=f"Unknown tool: {params.name}")

        def run() -> types.CallToolResult:
            try:
                caller = identify(ctx)
            except DataAssistantError as exc:
                return tool_error(error_text(exc))
            return call_tool(assistant, params.name, params.arguments or {}, caller)

        # The pipeline blocks on databases and the LLM: a worker thread, as FastAPI runs
        # the HTTP routes, under the same thread limit.
        return await anyio.to_thread.run_sync(run)

    return Server(
        "data-assistant",
        version=__version__,
        title=settings.manifest.name_for_human,
        instructions=INSTRUCTIONS,
        cache_hints={"tools/list": TOOL_LIST_CACHE},
        get_tool_input_schema=input_schemas.get,
        on_list_tools=list_tools,
        on_call_tool=call,
    )


def client_name(ctx: ServerRequestContext[Any, Any]) -> str | None:
    """`name/version` of the MCP client, as it introduced itself."""
    params = ctx.session.client_params
    info = params.client_info if params is not None else None
    return f"{info.name}/{info.version}" if info is not None else None
