"""One error shape: RFC 9457 problem JSON, rendered from the exception tree."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from data_assistant.errors import DataAssistantError, GuardRejection, QueryFailed, RateLimited

PROBLEM_TYPE_BASE = "https://data-assistant.dev/problems/"
log = logging.getLogger("data_assistant")


def problem(
    status: int, title: str, detail: str, *, slug: str, instance: str | None = None, **extra
) -> JSONResponse:
    """A problem+json response."""
    body = {"type": PROBLEM_TYPE_BASE + slug, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error as problem JSON; nothing else ever reaches a client."""

    @app.exception_handler(DataAssistantError)
    async def _known(request: Request, exc: DataAssistantError) -> JSONResponse:
        extra: dict[str, object] = {}
        if isinstance(exc, (GuardRejection, QueryFailed)) and exc.sql:
            extra["sql"] = exc.sql
        response = problem(
            exc.status,
            exc.title,
            exc.reason,
            slug=exc.type_slug,
            instance=request.url.path,
            **extra,
        )
        if isinstance(exc, RateLimited):
            response.headers["Retry-After"] = str(exc.retry_after)
        for name, value in getattr(exc, "headers", {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        return problem(
            422,
            "Invalid request",
            f"{where}: {first.get('msg', 'invalid value')}.",
            slug="invalid-request",
            instance=request.url.path,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
        return problem(
            exc.status_code,
            detail,
            detail,
            slug=f"http-{exc.status_code}",
            instance=request.url.path,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem(
            500,
            "Internal error",
            "The server failed to answer; the error has been logged.",
            slug="internal-error",
            instance=request.url.path,
        )
