"""The OpenAPI 3.1 document, written for a model to read, served as JSON and YAML."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from data_assistant.api.models import Problem
from data_assistant.auth.manifest import security_requirement, security_schemes
from data_assistant.settings import Settings

API_DESCRIPTION = (
    "Ask questions about the user's databases in plain language. The service writes one "
    "safe read-only query, runs it and returns the query with the rows."
)


def build_openapi(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """The document for `app`, with one server (the public base URL) and problem responses."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=settings.manifest.name_for_human,
        version=app.version,
        openapi_version="3.1.0",
        description=API_DESCRIPTION,
        routes=app.routes,
        servers=[{"url": settings.public_url}],
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for path in doc.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            # FastAPI documents its own 422 for a malformed request; this server answers
            # those with a 400 problem, and keeps 422 for a question it cannot read.
            if responses.get("422", {}).get("description") == "Validation Error":
                del responses["422"]
                responses.setdefault("400", _problem_response("The request is malformed."))
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    if schemes := security_schemes(settings):
        doc["components"]["securitySchemes"] = schemes
        for path, item in doc.get("paths", {}).items():
            if path.startswith("/api/v1/"):
                for operation in item.values():
                    operation["security"] = security_requirement(settings)
    app.openapi_schema = doc
    return doc


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def problem_responses(codes: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for a route: status code -> description, as problem JSON."""
    return {code: _problem_response(text) for code, text in codes.items()}
