"""OAuth routes: metadata (both modes), and the built-in server's endpoints.

Included in every app; with OAuth off (or, for the server's own endpoints, in delegated
mode) each answers 404. The protocol endpoints answer in OAuth's own error format
(`{"error": ..., "error_description": ...}`), which clients expect; the pages answer HTML.
Endpoints a browser-based client calls directly allow any origin: they use no cookies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from data_assistant.auth.oauth.metadata import (
    AS_WELL_KNOWN,
    AUTHORIZE_PATH,
    JWKS_PATH,
    OIDC_WELL_KNOWN,
    PRM_WELL_KNOWN,
    REGISTER_PATH,
    REVOKE_PATH,
    TOKEN_PATH,
)
from data_assistant.auth.oauth.runtime import MCP_PATH, OAuthRuntime
from data_assistant.auth.oauth.server import (
    BuiltinAuthorizationServer,
    HttpJsonRequest,
    HttpRequest,
    Reply,
    json_body,
)
from data_assistant.auth.oauth.signin import COOKIE, SignInFlow

router = APIRouter(include_in_schema=False)

MAX_FORM_BYTES = 64 * 1024
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, MCP-Protocol-Version",
    "Access-Control-Max-Age": "600",
}


def _runtime(request: Request) -> OAuthRuntime:
    runtime = getattr(request.app.state, "oauth", None)
    if runtime is None:
        raise HTTPException(404, "OAuth is not enabled on this server.")
    return runtime


def _builtin(request: Request) -> OAuthRuntime:
    runtime = _runtime(request)
    if runtime.server is None:
        raise HTTPException(404, "This server delegates sign-in to its identity provider.")
    return runtime


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={**_CORS, **(headers or {})})


def _reply(reply: Reply) -> Response:
    headers = {**_CORS, **dict(reply.headers)}
    if isinstance(reply.body, dict):
        headers.pop("Content-Type", None)
        return JSONResponse(reply.body, status_code=reply.status, headers=headers)
    return Response(reply.body or "", status_code=reply.status, headers=headers)


async def _form(request: Request) -> dict[str, list[str]]:
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        raise HTTPException(413, "The form is too large.")
    form = await request.form()
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(key, []).append(value)
    return values


def _oauth_request(runtime: OAuthRuntime, request: Request, path: str, form: dict) -> HttpRequest:
    query: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        query.setdefault(key, []).append(value)
    return HttpRequest("POST", runtime.issuer + path, request.headers, query, form)


# --- metadata ---------------------------------------------------------------------------------


@router.get(PRM_WELL_KNOWN)
def protected_resource(request: Request) -> JSONResponse:
    """RFC 9728 metadata of the HTTP API."""
    return _json(_runtime(request).resource("api").metadata)


@router.get(PRM_WELL_KNOWN + MCP_PATH)
def protected_resource_mcp(request: Request) -> JSONResponse:
    """RFC 9728 metadata of the MCP endpoint."""
    return _json(_runtime(request).resource("mcp").metadata)


@router.get(AS_WELL_KNOWN)
@router.get(OIDC_WELL_KNOWN)
def server_metadata(request: Request) -> JSONResponse:
    """RFC 8414 metadata (also at the OpenID discovery path, where some clients look)."""
    return _json(_builtin(request).metadata)


@router.get(JWKS_PATH)
def jwks(request: Request) -> JSONResponse:
    runtime = _builtin(request)
    assert runtime.keys is not None
    return _json(runtime.keys.jwks(), headers={"Cache-Control": "max-age=300"})


# --- the authorization endpoint -----------------------------------------------------------------


@router.get(AUTHORIZE_PATH)
def authorize(request: Request) -> Response:
    """Check the request and show the sign-in page (or send the error back to the app)."""
    runtime = _builtin(request)
    assert runtime.server is not None
    return SignInFlow(runtime.server).start(
        request.query_params.multi_items(), request.headers, request.cookies.get(COOKIE)
    )


@router.post(AUTHORIZE_PATH)
async def authorize_form(request: Request) -> Response:
    """The sign-in and consent forms."""
    runtime = _builtin(request)
    assert runtime.server is not None
    form = {k: v[0] for k, v in (await _form(request)).items()}
    flow = SignInFlow(runtime.server)
    return await run_in_threadpool(flow.post, form, request.headers, request.cookies.get(COOKIE))


# --- token, revocation, registration -------------------------------------------------------------


async def _endpoint(
    request: Request, path: str, answer: Callable[[BuiltinAuthorizationServer, Any], Reply]
) -> Response:
    runtime = _builtin(request)
    server = runtime.server
    assert server is not None  # _builtin answers 404 unless the server is built in
    form = await _form(request)
    oauth_request = _oauth_request(runtime, request, path, form)
    try:
        return _reply(await run_in_threadpool(answer, server, oauth_request))
    except ValueError:
        # Authlib refuses to build an error description holding quotes or backslashes.
        body = {"error": "invalid_request", "error_description": "The request is malformed."}
        return _json(body, 400, {"Cache-Control": "no-store"})


@router.post(TOKEN_PATH)
async def token(request: Request) -> Response:
    """Codes and refresh tokens for access tokens."""
    return await _endpoint(request, TOKEN_PATH, lambda server, r: server.create_token_response(r))


@router.post(REVOKE_PATH)
async def revoke(request: Request) -> Response:
    """RFC 7009 revocation; answers 200 for a token it does not know, as the RFC says."""
    return await _endpoint(
        request, REVOKE_PATH, lambda server, r: server.create_endpoint_response("revocation", r)
    )


@router.post(REGISTER_PATH)
async def register(request: Request) -> Response:
    """RFC 7591 dynamic client registration (404 when `dynamic_registration` is off)."""
    runtime = _builtin(request)
    if not runtime.settings.builtin.dynamic_registration:
        raise HTTPException(404, "Dynamic client registration is turned off on this server.")
    assert runtime.server is not None
    from authlib.oauth2.rfc6749.errors import OAuth2Error

    raw = await request.body()
    try:
        data = json_body(raw)
    except OAuth2Error as error:
        status, body, _ = error()
        return _json(dict(body), status)
    oauth_request = HttpJsonRequest("POST", runtime.issuer + REGISTER_PATH, request.headers, data)
    server = runtime.server
    reply = await run_in_threadpool(
        server.create_endpoint_response, "client_registration", oauth_request
    )
    return _reply(reply)


# Called by browser-based clients of other origins; they answer CORS themselves, so the
# app's Origin check (api/hosts.py) lets them through.
CROSS_ORIGIN_PATHS = (TOKEN_PATH, REVOKE_PATH, REGISTER_PATH)


def _preflight() -> Response:
    return Response(status_code=204, headers=_CORS)


for _path in (
    TOKEN_PATH,
    REVOKE_PATH,
    REGISTER_PATH,
    JWKS_PATH,
    AS_WELL_KNOWN,
    OIDC_WELL_KNOWN,
    PRM_WELL_KNOWN,
    PRM_WELL_KNOWN + MCP_PATH,
):
    router.add_api_route(_path, _preflight, methods=["OPTIONS"])
