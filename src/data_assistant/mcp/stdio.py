"""`data-assistant mcp`: the tools over stdin and stdout, for desktop clients.

Stdout carries the protocol only; logs go to stderr. The principal is the configured
token's (or the anonymous one with auth mode none), checked before serving and on every call.
"""

from __future__ import annotations

import threading
from typing import Any

import anyio
from mcp.server import Server, ServerRequestContext
from mcp.server.stdio import stdio_server

from data_assistant.app import warm_up
from data_assistant.mcp.auth import TokenPrincipal
from data_assistant.mcp.server import build_server, client_name
from data_assistant.pipeline import Assistant, Caller
from data_assistant.settings import Settings


def run_stdio(settings: Settings, principal: TokenPrincipal) -> None:
    """Serve until the client closes stdin, acting as `principal` (checked on every call)."""

    def identify(ctx: ServerRequestContext[Any, Any]) -> Caller:
        return Caller(principal=principal(), user_agent=client_name(ctx), surface="mcp")

    assistant = Assistant(settings)
    try:
        server = build_server(assistant, identify)
        threading.Thread(target=warm_up, args=(assistant,), daemon=True).start()
        anyio.run(serve, server)
    finally:
        assistant.close()


async def serve(server: Server[Any]) -> None:
    """Run `server` on this process's stdin and stdout until the client closes them."""
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
