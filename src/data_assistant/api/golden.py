"""HTTP routes of golden queries: list, add, remove and verify (the knowledge admin scope)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request, Response

from data_assistant.api.models import (
    GoldenCheck,
    GoldenQueryInfo,
    GoldenQueryList,
    GoldenQueryRequest,
    GoldenVerification,
)
from data_assistant.api.openapi import problem_responses
from data_assistant.api.routes import assistant, caller
from data_assistant.auth.authenticator import current_principal
from data_assistant.auth.principal import Principal
from data_assistant.knowledge import GoldenQuery

router = APIRouter()

ADMIN_ERRORS = {
    401: "The bearer token or API key is missing or not valid.",
    403: "The credentials do not grant this database or the knowledge admin scope.",
    404: "There is no database (or golden query) with that name.",
    429: "Too many requests; wait for the number of seconds in Retry-After.",
}


def info(golden: GoldenQuery) -> GoldenQueryInfo:
    """The API's view of a golden query."""
    added = None
    if golden.added_at is not None:
        when = datetime.fromtimestamp(golden.added_at, tz=UTC)
        added = when.isoformat(timespec="seconds").replace("+00:00", "Z")
    return GoldenQueryInfo(
        id=golden.id,
        question=golden.question,
        query=golden.query,
        origin=golden.origin,
        added_by=golden.added_by,
        added_at=added,
    )


@router.get(
    "/api/v1/sources/{name}/golden",
    operation_id="listGoldenQueries",
    summary="Admin: list a database's golden queries",
    description="The verified question and query pairs of a database, from its knowledge "
    "files and those added through the API. Needs the knowledge admin scope.",
    response_model=GoldenQueryList,
    responses=problem_responses(ADMIN_ERRORS),
)
def list_golden(
    name: str, request: Request, principal: Principal = Depends(current_principal)
) -> GoldenQueryList:
    found = assistant(request).golden_list(name, caller(request, principal))
    return GoldenQueryList(golden=[info(g) for g in found])


@router.post(
    "/api/v1/sources/{name}/golden",
    operation_id="addGoldenQuery",
    summary="Admin: add a golden query",
    description="Keep a question with the query verified to answer it; the query must pass "
    "the guard and run. Questions like it then get this query. Needs the admin scope.",
    response_model=GoldenQueryInfo,
    status_code=201,
    responses=problem_responses(
        {
            400: "The request is malformed, or the query was rejected or failed.",
            409: "A knowledge file already answers this question.",
            **ADMIN_ERRORS,
        }
    ),
)
def add_golden(
    name: str,
    body: GoldenQueryRequest,
    request: Request,
    principal: Principal = Depends(current_principal),
) -> GoldenQueryInfo:
    golden = assistant(request).golden_add(
        name, body.question, body.query, caller(request, principal)
    )
    return info(golden)


@router.delete(
    "/api/v1/sources/{name}/golden/{golden_id}",
    operation_id="removeGoldenQuery",
    summary="Admin: remove a golden query",
    description="Forget a golden query added through the API (one from a knowledge file is "
    "removed from the file). Needs the knowledge admin scope.",
    status_code=204,
    response_class=Response,
    responses=problem_responses(
        {409: "The golden query is kept in a knowledge file.", **ADMIN_ERRORS}
    ),
)
def remove_golden(
    name: str, golden_id: str, request: Request, principal: Principal = Depends(current_principal)
) -> Response:
    assistant(request).golden_remove(name, golden_id, caller(request, principal))
    return Response(status_code=204)


@router.post(
    "/api/v1/sources/{name}/golden/verify",
    operation_id="verifyGoldenQueries",
    summary="Admin: check every golden query on the live schema",
    description="Reads the schema again, then prepares (guard and policies) and runs each "
    "golden query for one row; lists the ones that broke and why. Needs the admin scope.",
    response_model=GoldenVerification,
    responses=problem_responses(ADMIN_ERRORS),
)
def verify_golden(
    name: str, request: Request, principal: Principal = Depends(current_principal)
) -> GoldenVerification:
    results = assistant(request).golden_verify(name, caller(request, principal))
    checks = [
        GoldenCheck(id=r.golden.id, question=r.golden.question, ok=r.ok, reason=r.reason)
        for r in results
    ]
    return GoldenVerification(
        source=name,
        checked=len(checks),
        broken=sum(not c.ok for c in checks),
        results=checks,
    )
