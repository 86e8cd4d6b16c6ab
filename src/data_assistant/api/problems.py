"""One error shape: RFC 9457 problem JSON, rendered from the exception tree."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from data_assistant.errors import DataAssistantError, InvalidRequest

PROBLEM_TYPE_BASE = "https://data-assistant.dev/problems/"
log = logging.getLogger("data_assistant")


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response."""
    body = {"type": PROBLEM_TYPE_BASE + slug, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def error_response(exc: DataAssistantError, instance: str | None = None) -> JSONResponse:
    """The problem response of one of the project's errors, with its headers."""
    return problem(
        exc.status,
        exc.title,
        exc.reason,
        slug=exc.type_slug,
        instance=instance,
        headers=exc.headers or None,
        **exc.problem_extras(),
    )


def invalid_request_reason(exc: RequestValidationError | ValidationError) -> str:
    """One sentence naming the first field that is wrong (of a request body or tool call)."""
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    if first.get("type") == "json_invalid":
        return "The request body is not valid JSON (UTF-8)."
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
    return f"{where}: {first.get('msg', 'invalid value')}."


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error as problem JSON; nothing else ever reaches a client."""

    @app.exception_handler(DataAssistantError)
    async def _known(request: Request, exc: DataAssistantError) -> JSONResponse:
        return error_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # A malformed request is a 400; 422 is kept for a question that cannot be read.
        return error_response(InvalidRequest(invalid_request_reason(exc)), request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
        return problem(
            exc.status_code,
            detail,
            detail,
            slug=f"http-{exc.status_code}",
            instance=request.url.path,
            # 405 carries Allow, 401 its challenge.
            headers=dict(exc.headers) if exc.headers else None,
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
