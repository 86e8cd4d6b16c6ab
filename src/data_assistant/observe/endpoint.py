"""/metrics for Prometheus, and who may read it.

`metrics.token` set: the request must carry `Authorization: Bearer <token>`.
`metrics.scope` set: the caller's own credentials (the server's auth mode) must hold it.
Either may be set, or both (one passing is enough). Neither: the page is open only while
the server listens on a loopback address; on any other it is refused, saying what to set,
since what it shows (source names, traffic) is for operators.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from data_assistant.auth.challenge import unauthorized
from data_assistant.errors import DataAssistantError, Forbidden
from data_assistant.observe import metrics
from data_assistant.settings import Settings, is_loopback

router = APIRouter()
REALM = "metrics"


@router.get("/metrics", include_in_schema=False)
def metrics_page(request: Request) -> Response:
    settings: Settings = request.app.state.assistant.settings
    if not settings.metrics.enabled:
        raise HTTPException(404, "Not Found")
    check_access(request, settings)
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)


def check_access(request: Request, settings: Settings) -> None:
    """Return when the request may read the metrics; raise 401 or 403 otherwise."""
    config = settings.metrics
    if config.token is None and config.scope is None:
        if is_loopback(settings.server.host):
            return
        raise Forbidden(
            "The metrics are open only on a loopback address; set metrics.token or "
            "metrics.scope to serve them on this one."
        )
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if config.token is not None and scheme.lower() == "bearer":
        expected = config.token.get_secret_value().encode()
        if hmac.compare_digest(credentials.strip().encode(), expected):
            return
    if config.scope is not None and authorization:
        authenticator = getattr(request.app.state, "authenticator", None)
        try:
            principal = authenticator(request) if authenticator is not None else None
        except DataAssistantError:
            principal = None
        if principal is not None and not principal.anonymous:
            if principal.has_scope(config.scope):
                return
            raise Forbidden(f"Reading the metrics needs the scope {config.scope}.")
    raise unauthorized("Reading the metrics needs a bearer token.", error=None, realm=REALM)
