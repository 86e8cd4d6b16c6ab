"""The resource-server side of OAuth, for every protected surface (the HTTP API, MCP).

A `ProtectedResource` has an identifier (RFC 8707: a token must name it in `aud`), its
metadata (RFC 9728), and `__call__(request) -> Principal`, which takes the token only from
the Authorization header and raises `Unauthorized` (401) or `Forbidden` (403) whose
`headers` carry the challenge a client needs:

    401  WWW-Authenticate: Bearer realm="...", resource_metadata="<metadata URL>",
         scope="read:data"[, error="invalid_token", error_description="..."]
    403  WWW-Authenticate: Bearer ..., error="insufficient_scope", scope="..."

`authenticate_request(request, surface)` is what a surface calls: it uses the surface's
protected resource in mode oauth, and the app's authenticator in the other modes.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from data_assistant.auth.authenticator import Authenticator
from data_assistant.auth.challenge import unauthorized
from data_assistant.auth.oauth.issuance import TokenIssuer
from data_assistant.auth.oauth.metadata import resource_metadata_url
from data_assistant.auth.principal import Principal, insufficient_scope
from data_assistant.auth.tokens import JwtVerifier
from data_assistant.errors import Unauthorized
from data_assistant.settings import AuthSettings


class ProtectedResource:
    """One surface protected by OAuth: its identifier, metadata and token check."""

    def __init__(
        self,
        *,
        resource: str,
        auth: AuthSettings,
        verifier: JwtVerifier,
        metadata: dict[str, Any],
        required_scopes: list[str],
        scope: str,
        revocations: TokenIssuer | None = None,
    ) -> None:
        self.resource = resource
        self.metadata_url = resource_metadata_url(resource)
        self.metadata = metadata
        self.required_scopes = list(required_scopes)
        self.scope = scope  # what a client should ask for, named in the 401 challenge
        self.realm = auth.realm
        self._authenticator = Authenticator(auth, jwt_verifier=verifier)
        self._revocations = revocations

    def __call__(self, request: Request) -> Principal:
        """The principal of a Starlette request; Unauthorized or Forbidden with the challenge.

        Synchronous (it may read the store or fetch an issuer's keys): from async code call
        it through `starlette.concurrency.run_in_threadpool`.
        """
        try:
            principal = self._authenticator(request)
        except Unauthorized as exc:
            raise self._challenge(exc.reason, getattr(exc, "error", "invalid_token")) from None
        return self._checked(principal)

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal of an Authorization header value (for transports without a request)."""
        try:
            principal = self._authenticator.authenticate(authorization)
        except Unauthorized as exc:
            raise self._challenge(exc.reason, getattr(exc, "error", "invalid_token")) from None
        return self._checked(principal)

    def require_scopes(self, principal: Principal, *scopes: str) -> None:
        """Raise Forbidden (403 `insufficient_scope`) unless the principal has every scope."""
        for scope in scopes:
            if not principal.has_scope(scope):
                raise insufficient_scope(
                    scope, realm=self.realm, resource_metadata=self.metadata_url
                )

    def _checked(self, principal: Principal) -> Principal:
        if self._revocations is not None and self._revocations.is_revoked(principal.claims):
            raise self._challenge("The token has been revoked.", "invalid_token")
        self.require_scopes(principal, *self.required_scopes)
        return principal

    def _challenge(self, reason: str, error: str | None) -> Unauthorized:
        return unauthorized(
            reason,
            error=error,
            realm=self.realm,
            resource_metadata=self.metadata_url,
            scope=self.scope,
        )


def authenticate_request(request: Request, surface: str = "api") -> Principal:
    """The principal of a request to `surface` ("api" or "mcp") in any auth mode."""
    runtime = getattr(request.app.state, "oauth", None)
    if runtime is not None:
        return runtime.resource(surface)(request)
    authenticator = getattr(request.app.state, "authenticator", None)
    if authenticator is None:
        # An app built without install_auth must fail closed, not serve anonymously.
        raise Unauthorized("Authentication is not configured on this server.")
    return authenticator(request)
