"""The streamable HTTP transport at `/mcp`, inside the app that serves the HTTP API.

The SDK's StreamableHTTPSessionManager (what `Server.streamable_http_app()` wraps in a
Starlette app of its own) is routed at `/mcp` directly and run in the host app's lifespan,
so that other paths keep the API's problem JSON. It runs stateless, answering in JSON: no
session lives in a process, so `serve --workers N` and a load balancer need no stickiness,
and 2025-11-25 clients (initialize handshake) and 2026-07-28 clients (per-request envelope)
are served on the same path.

Host and Origin (DNS rebinding) are checked before this by the app's HostGuard
(api/hosts.py, `server.allowed_hosts` and `server.allowed_origins`) for every path, /mcp
included; the SDK's own check is off so that the rules are written once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from mcp.server import ServerRequestContext
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from data_assistant.api.problems import error_response, problem
from data_assistant.auth.principal import Principal
from data_assistant.errors import DataAssistantError, Unauthorized
from data_assistant.mcp.auth import mcp_principal
from data_assistant.mcp.server import build_server, client_name
from data_assistant.pipeline import Assistant, Caller

PATH = "/mcp"
# Where the endpoint leaves the principal for the tools: the request's state.
PRINCIPAL = "mcp_principal"


def http_caller(ctx: ServerRequestContext[Any, Any]) -> Caller:
    """The caller of a tool over HTTP: the principal the endpoint authenticated."""
    request = ctx.request
    principal = getattr(request.state, PRINCIPAL, None) if isinstance(request, Request) else None
    if not isinstance(request, Request) or not isinstance(principal, Principal):
        # Never reached through McpHttp; fail closed if the server is wired otherwise.
        raise Unauthorized("This request was not authenticated.")
    return Caller(
        principal=principal,
        address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent") or client_name(ctx),
        surface="mcp",
    )


class McpHttp:
    """ASGI endpoint: authenticate the request, then hand it to the SDK's transport."""

    def __init__(self, assistant: Assistant) -> None:
        self.server = build_server(assistant, http_caller)
        self._manager: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the transport for the host app's lifespan (a fresh manager each time: the
        SDK's runs once)."""
        manager = StreamableHTTPSessionManager(
            app=self.server,
            stateless=True,
            json_response=True,
            security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        async with manager.run():
            self._manager = manager
            try:
                yield
            finally:
                self._manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            # The authenticator may block (a key set fetched): a worker thread, as for routes.
            principal = await anyio.to_thread.run_sync(mcp_principal, request)
        except DataAssistantError as exc:
            await error_response(exc, PATH)(scope, receive, send)
            return
        manager = self._manager
        if manager is None:
            response = problem(
                503,
                "Service unavailable",
                "The MCP endpoint is not running; the server is starting or stopping.",
                slug="mcp-not-running",
                instance=PATH,
            )
            await response(scope, receive, send)
            return
        setattr(request.state, PRINCIPAL, principal)
        await manager.handle_request(scope, receive, send)


def install_mcp(app: FastAPI, assistant: Assistant) -> McpHttp:
    """Route `/mcp` to the MCP endpoint; the app's lifespan runs `app.state.mcp.running()`."""
    endpoint = McpHttp(assistant)
    # POST only: with no sessions the server never sends a message of its own, so a GET
    # stream would only hold a connection open, and there is no session to DELETE.
    app.router.routes.append(
        Route(PATH, endpoint=endpoint, methods=["POST"], include_in_schema=False)
    )
    app.state.mcp = endpoint
    return endpoint
