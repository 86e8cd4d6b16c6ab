"""create_app(settings): the FastAPI application with every surface mounted."""

from __future__ import annotations

from fastapi import FastAPI

from data_assistant import __version__
from data_assistant.api.openapi import build_openapi
from data_assistant.api.problems import install_problem_handlers
from data_assistant.api.routes import router
from data_assistant.auth.authenticator import install_auth
from data_assistant.config import Settings
from data_assistant.pipeline import Assistant


def create_app(settings: Settings, *, assistant: Assistant | None = None) -> FastAPI:
    """The application for `settings`; pass `assistant` to share one (tests, CLI)."""
    app = FastAPI(
        title=settings.manifest.name_for_human,
        version=__version__,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.assistant = assistant or Assistant(settings)
    install_auth(app, settings)
    install_problem_handlers(app)
    app.include_router(router)
    app.openapi = lambda: build_openapi(app, settings)  # type: ignore[method-assign]
    return app


def app_from_worker_env() -> FastAPI:
    """Factory for uvicorn worker processes (`serve --workers N`)."""
    from data_assistant.config import settings_from_worker_env

    return create_app(settings_from_worker_env())
