"""create_app(settings): the FastAPI application with every surface mounted."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from data_assistant import __version__
from data_assistant.api.golden import router as golden_router
from data_assistant.api.hosts import HostGuard, allowed_hosts, allowed_origins
from data_assistant.api.openapi import build_openapi
from data_assistant.api.problems import install_problem_handlers
from data_assistant.api.routes import router
from data_assistant.auth.authenticator import install_auth
from data_assistant.auth.oauth.routes import CROSS_ORIGIN_PATHS
from data_assistant.auth.oauth.routes import router as oauth_router
from data_assistant.errors import DataAssistantError
from data_assistant.mcp.http_endpoint import install_mcp
from data_assistant.observe import metrics
from data_assistant.observe.endpoint import router as metrics_router
from data_assistant.observe.requests import RequestContext
from data_assistant.pipeline import Assistant
from data_assistant.schema.notices import SchemaNotices, start_schema_notices
from data_assistant.settings import Settings
from data_assistant.web import router as web_router

log = logging.getLogger("data_assistant")


def create_app(
    settings: Settings, *, assistant: Assistant | None = None, close_assistant: bool | None = None
) -> FastAPI:
    """The application for `settings`; pass `assistant` to share one (tests, CLI).

    At shutdown (after the answers in flight) the assistant's connections are closed when
    the app made it, or when `close_assistant` says so.
    """
    the_assistant = assistant or Assistant(settings)
    closing = assistant is None if close_assistant is None else close_assistant
    metrics.state.enabled = settings.metrics.enabled

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.tracing.enabled:
            from data_assistant.observe.tracing import start_tracing

            start_tracing()
        notices = start_schema_notices(the_assistant)
        app.state.schema_notices = notices
        # Schemas (and document containers) load in the background so that start-up never
        # waits on a database, and the first question does not pay for introspection.
        threading.Thread(target=warm_up, args=(the_assistant,), daemon=True).start()
        try:
            # The MCP transport runs for as long as the app (the SDK's session manager).
            async with app.state.mcp.running():
                yield
        finally:
            shut_down(the_assistant, notices, close=closing, tracing=settings.tracing.enabled)
            oauth = getattr(app.state, "oauth", None)
            if closing and oauth is not None:
                oauth.close()

    app = FastAPI(
        title=settings.manifest.name_for_human,
        version=__version__,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.assistant = the_assistant
    app.add_middleware(
        HostGuard,
        hosts=allowed_hosts(settings),
        origins=allowed_origins(settings),
        cross_origin_paths=CROSS_ORIGIN_PATHS,
    )
    # Outermost: every answer, a refused Host included, carries its X-Request-Id.
    app.add_middleware(RequestContext)
    install_auth(app, settings)
    install_problem_handlers(app)
    app.include_router(router)
    app.include_router(golden_router)
    app.include_router(oauth_router)
    app.include_router(web_router)
    app.include_router(metrics_router)
    install_mcp(app, the_assistant)
    app.openapi = lambda: build_openapi(app, settings)  # type: ignore[method-assign]
    return app


def shut_down(
    assistant: Assistant, notices: SchemaNotices | None, *, close: bool, tracing: bool
) -> None:
    """After the last answer: stop listening for notices, close the sources' connections and
    the audit log, send the spans still queued, and drop this process's live gauges."""
    if notices is not None:
        notices.stop()
    if close:
        assistant.close()
        log.info("connections closed")
    if tracing:
        from data_assistant.observe.tracing import stop_tracing

        stop_tracing()
    metrics.forget_this_process()


def warm_up(assistant: Assistant) -> None:
    """Read every source's schema once; a source that is down is only logged."""
    for source in assistant.sources:
        try:
            source.schema()
        except DataAssistantError as exc:
            log.warning("source %s not ready: %s", source.name, exc.reason)


def app_from_worker_env() -> FastAPI:
    """Factory for uvicorn worker processes (`serve --workers N`)."""
    from data_assistant.settings import settings_from_worker_env

    return create_app(settings_from_worker_env())
