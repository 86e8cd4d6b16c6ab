"""The request id and per-request timing: one plain ASGI middleware, outermost.

Each HTTP request gets an id: the caller's `X-Request-Id` when it is sane (1-128 letters,
digits and `._:-`, as a load balancer or gateway sends), else a new random one. It is
returned in the response's `X-Request-Id`, put on every log line and written to the audit
record, so that a user's report, a log line and an audit row can be matched. The request is
counted and timed by route template (never by the raw path, which a client controls), and,
with tracing on, is the root span that the pipeline's step spans hang from.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from data_assistant.observe import metrics
from data_assistant.observe.tracing import current

HEADER = "x-request-id"
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_request_id: ContextVar[str | None] = ContextVar("data_assistant_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the HTTP request being answered, or None outside one."""
    return _request_id.get()


def request_id_from(incoming: str | None) -> str:
    """The caller's id when it is sane, else a new one."""
    if incoming is not None and _SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestContext:
    """Give each request an id, count and time it, and trace it when tracing is on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = request_id_from(incoming)
        header = (b"x-request-id", request_id.encode("latin-1"))
        token = _request_id.set(request_id)
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        started = time.perf_counter()
        try:
            if current.tracer is None:
                await self.app(scope, receive, send_with_id)
            else:
                await self._traced(scope, receive, send_with_id, request_id, lambda: status)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            metrics.http_request(
                path, scope.get("method", "GET"), status, time.perf_counter() - started
            )
            _request_id.reset(token)

    async def _traced(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        request_id: str,
        status: Callable[[], int],
    ) -> None:
        from data_assistant.observe.tracing import extract_context, server_kind

        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope.get("method", "GET")
        with current.tracer.start_as_current_span(
            method,
            context=extract_context(headers),
            kind=server_kind(),
            attributes={"http.request.method": method, "data_assistant.request_id": request_id},
        ) as span:
            await self.app(scope, receive, send)
            route = getattr(scope.get("route"), "path", None)
            if route:
                span.update_name(f"{method} {route}")
                span.set_attribute("http.route", route)
            span.set_attribute("http.response.status_code", status())
