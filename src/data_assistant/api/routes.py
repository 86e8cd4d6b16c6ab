"""HTTP routes: thin wrappers that turn requests into pipeline calls and answers into JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from data_assistant.answers import Answer
from data_assistant.api.manifest import plugin_manifest
from data_assistant.api.models import (
    CosmosQueryRequest,
    SourceList,
    SourceSchema,
    SqlQueryRequest,
    source_info,
)
from data_assistant.api.openapi import build_openapi, problem_responses
from data_assistant.auth.authenticator import current_principal
from data_assistant.auth.principal import Principal
from data_assistant.errors import DataAssistantError
from data_assistant.pipeline import Assistant, Caller
from data_assistant.present import CosmosQueryResponse, SqlQueryResponse, answer_body
from data_assistant.present.csv import MEDIA_TYPE, answer_csv, attachment_name, wants_csv

router = APIRouter()

QUERY_ERRORS = {
    400: "The request is malformed, or the generated query was rejected by the guard or by "
    "the database.",
    401: "The bearer token or API key is missing or not valid.",
    403: "The credentials do not grant this database or the read:data scope.",
    404: "There is no database with that name.",
    422: "The question could not be read with confidence; no query was run.",
    429: "Too many questions; wait for the number of seconds in Retry-After.",
    502: "The language model gave no usable query.",
    503: "The database cannot be reached.",
    504: "The language model or the database took too long.",
}
# `Accept: text/csv` on a query operation gets the rows as CSV (present/csv.py has the rules).
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The answer; with `Accept: text/csv`, its rows as CSV (header row first).",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def assistant(request: Request) -> Assistant:
    return request.app.state.assistant


def caller(request: Request, principal: Principal) -> Caller:
    """The pipeline's view of who asks over HTTP."""
    return Caller(
        principal=principal,
        address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
        surface="api",
    )


def ask(
    request: Request,
    principal: Principal,
    source: str,
    question: str,
    max_rows: int | None,
    language: str,
) -> dict[str, Any] | Response:
    """The pipeline call both query operations make, presented as the API's answer object
    (or as CSV when the request's Accept header prefers it)."""
    the_assistant = assistant(request)
    answer = the_assistant.ask(
        source,
        question,
        max_rows=max_rows,
        language=language,
        caller=caller(request, principal),
    )
    if wants_csv(request.headers.get("accept")):
        return csv_answer(answer)
    return answer_body(answer, debug=the_assistant.settings.debug)


def csv_answer(answer: Answer) -> Response:
    """The answer's rows as CSV; the count and truncation travel as headers."""
    result = answer.result
    return Response(
        answer_csv(answer),
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{attachment_name(answer.source)}"',
            "X-Row-Count": "" if result.row_count is None else str(result.row_count),
            "X-Truncated": "true" if result.truncated else "false",
        },
    )


@router.post(
    "/api/v1/query/sql",
    operation_id="querySqlDatabase",
    summary="Answer a question about a SQL database",
    description=(
        "Send the user's question in plain language and the database name. Returns the "
        "read-only SQL that was run, the rows as objects, the total row count and whether "
        "the rows were truncated. Show the SQL to the user with the answer."
    ),
    response_model=SqlQueryResponse,
    response_model_exclude_unset=True,
    responses={**CSV_RESPONSE, **problem_responses(QUERY_ERRORS)},
)
def query_sql(
    body: SqlQueryRequest,
    request: Request,
    principal: Principal = Depends(current_principal),
) -> dict[str, Any] | Response:
    return ask(request, principal, body.database, body.question, body.max_rows, "sql")


@router.post(
    "/api/v1/query/cosmos",
    operation_id="queryCosmosDb",
    summary="Answer a question about a document container",
    description=(
        "Send the user's question in plain language and the container name. Returns the "
        "Cosmos DB query that was run, its parameters, the matching documents or values, "
        "the total count and whether the results were truncated."
    ),
    response_model=CosmosQueryResponse,
    response_model_exclude_unset=True,
    responses={**CSV_RESPONSE, **problem_responses(QUERY_ERRORS)},
)
def query_cosmos(
    body: CosmosQueryRequest,
    request: Request,
    principal: Principal = Depends(current_principal),
) -> dict[str, Any] | Response:
    return ask(request, principal, body.container, body.question, body.max_items, "cosmos")


@router.get(
    "/api/v1/sources",
    operation_id="listSources",
    summary="List the databases that can be queried",
    description=(
        "Returns each database's name, kind, query language, SQL dialect and a description "
        "of its data: ask sql sources with querySqlDatabase and cosmos ones with queryCosmosDb."
    ),
    response_model=SourceList,
    responses=problem_responses({401: QUERY_ERRORS[401]}),
)
def list_sources(request: Request, principal: Principal = Depends(current_principal)) -> SourceList:
    return SourceList(sources=[source_info(s) for s in assistant(request).sources_for(principal)])


@router.get(
    "/api/v1/sources/{name}/schema",
    operation_id="describeSource",
    summary="Describe the tables and columns of a source",
    description=(
        "Returns the tables (or the container) and columns the caller may query, with "
        "descriptions and sample values: the schema the translator sees for this caller."
    ),
    response_model=SourceSchema,
    responses=problem_responses({k: QUERY_ERRORS[k] for k in (401, 403, 404, 503, 504)}),
)
def describe_source(
    name: str, request: Request, principal: Principal = Depends(current_principal)
) -> SourceSchema:
    the_assistant = assistant(request)
    snapshot = the_assistant.schema_for(name, principal)
    source = the_assistant.sources.get(name)
    return SourceSchema.model_validate(
        {
            "source": source.name,
            "kind": source.kind,
            "dialect": source.dialect,
            "tables": snapshot.to_dict()["tables"],
        }
    )


@router.post("/api/v1/sources/{name}/refresh", include_in_schema=False)
def refresh_schema(
    name: str, request: Request, principal: Principal = Depends(current_principal)
) -> dict[str, object]:
    """Re-read a source's schema (after a migration) instead of waiting for a restart."""
    snapshot = assistant(request).refresh(name, caller(request, principal))
    return {"source": name, "tables": len(snapshot.tables)}


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    # Async: it needs no worker thread, so it answers while every thread waits on a model.
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
def readyz(request: Request) -> JSONResponse:
    """Ready when every source answers. Without credentials only the status and counts are
    shown; the sources a principal may use are named for it, with their problems."""
    principal = readiness_principal(request)
    checks: dict[str, str] = {}
    skipped: dict[str, list[str]] = {}
    for source in assistant(request).sources:
        try:
            source.ping()
            checks[source.name] = "ok"
        except DataAssistantError as exc:
            checks[source.name] = exc.reason
            continue
        # A container with skipped documents still answers, but says so loudly.
        if problems := source.problems:
            skipped[source.name] = problems[:5] + (
                [f"... {len(problems) - 5} more"] if len(problems) > 5 else []
            )
    ready = all(v == "ok" for v in checks.values())
    body: dict[str, object] = {
        "status": "ready" if ready else "unavailable",
        "sources_ready": sum(v == "ok" for v in checks.values()),
        "sources_total": len(checks),
    }
    if principal is not None:
        body["sources"] = {k: v for k, v in checks.items() if principal.may_use(k)}
        visible = {k: v for k, v in skipped.items() if principal.may_use(k)}
        if visible:
            body["skipped_documents"] = visible
    return JSONResponse(body, status_code=200 if ready else 503)


def readiness_principal(request: Request) -> Principal | None:
    """The caller of /readyz if it sent valid credentials (or auth is off), else None."""
    authenticator = getattr(request.app.state, "authenticator", None)
    if authenticator is None:
        return None
    try:
        return authenticator(request)
    except DataAssistantError:
        return None


@router.get("/.well-known/ai-plugin.json", include_in_schema=False)
def ai_plugin(request: Request) -> JSONResponse:
    return JSONResponse(plugin_manifest(assistant(request).settings))


@router.get("/openapi.yaml", include_in_schema=False)
def openapi_yaml(request: Request) -> Response:
    import yaml

    doc = build_openapi(request.app, assistant(request).settings)
    return Response(yaml.safe_dump(doc, sort_keys=False), media_type="application/yaml")


@router.get("/logo.svg", include_in_schema=False)
def logo() -> Response:
    return Response(LOGO_SVG, media_type="image/svg+xml")


@router.get("/legal", include_in_schema=False)
def legal(request: Request) -> PlainTextResponse:
    name = assistant(request).settings.manifest.name_for_human
    return PlainTextResponse(
        f"{name} is self-hosted. Questions and queries are logged by its operator; "
        f"contact {assistant(request).settings.manifest.contact_email}."
    )


LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<rect width="64" height="64" rx="12" fill="#2563eb"/>'
    '<ellipse cx="32" cy="18" rx="16" ry="6" fill="#fff"/>'
    '<path d="M16 18v28c0 3.3 7.2 6 16 6s16-2.7 16-6V18" fill="none" stroke="#fff" '
    'stroke-width="4"/></svg>'
)
