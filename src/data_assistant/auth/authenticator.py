"""The FastAPI dependency that turns a request's Authorization header into a Principal.

Credentials come only from `Authorization: Bearer ...`: a token in the URL
(`?access_token=`) is refused, since URLs end up in logs, histories and Referer headers.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request

from data_assistant.auth.apikeys import ApiKeyVerifier
from data_assistant.auth.challenge import unauthorized
from data_assistant.auth.principal import ANONYMOUS, Principal, claim_values, granted_sources
from data_assistant.auth.tokens import JwtVerifier
from data_assistant.errors import ConfigError, Unauthorized
from data_assistant.settings import AuthSettings, is_loopback

log = logging.getLogger("data_assistant.auth")


class Authenticator:
    """Callable dependency: `Depends(authenticator)` yields the request's Principal."""

    def __init__(self, settings: AuthSettings, *, jwt_verifier: JwtVerifier | None = None) -> None:
        self.settings = settings
        self.realm = settings.realm
        self.jwt: JwtVerifier | None = None
        self.api_keys: ApiKeyVerifier | None = None
        if settings.mode == "jwt":
            assert settings.jwt is not None  # AuthSettings requires it in this mode
            self.jwt = jwt_verifier or JwtVerifier(settings.jwt, realm=self.realm)
        elif settings.mode == "oauth":
            if jwt_verifier is None:
                # Mode oauth verifies per protected resource (auth.oauth.resource builds it).
                raise ConfigError("auth.mode oauth needs the OAuth runtime (install_auth)")
            self.jwt = jwt_verifier
        elif settings.mode == "api-key":
            try:
                self.api_keys = ApiKeyVerifier(settings.api_keys)
            except ValueError as exc:
                raise ConfigError(f"auth.api_keys: {exc}") from None

    def __call__(self, request: Request) -> Principal:
        """The principal of `request`, or Unauthorized with its challenge."""
        if self.settings.mode == "none":
            return ANONYMOUS
        if "access_token" in request.query_params:
            raise unauthorized(
                "Send the token in the Authorization header, not in the URL.",
                error="invalid_request",
                realm=self.realm,
            )
        headers = request.headers.getlist("authorization")
        if len(headers) > 1:
            raise unauthorized(
                "Send one Authorization header.", error="invalid_request", realm=self.realm
            )
        return self.authenticate(headers[0] if headers else None)

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal for an Authorization header value (also used by MCP and the CLI)."""
        if self.settings.mode == "none":
            return ANONYMOUS
        scheme, _, credentials = (authorization or "").strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            # RFC 6750 §3.1: a request without credentials gets a challenge but no error code.
            raise unauthorized(
                "This server requires a bearer token in the Authorization header.",
                error=None,
                realm=self.realm,
            )
        if self.jwt is not None:
            method = "oauth" if self.settings.mode == "oauth" else "jwt"
            return self.principal_from_claims(self.jwt.verify(credentials), method=method)
        assert self.api_keys is not None
        entry = self.api_keys.verify(credentials)
        if entry is None:
            raise unauthorized("The API key is not valid.", realm=self.realm)
        return Principal(
            subject=entry.subject,
            scopes=frozenset(entry.scopes),
            sources=granted_sources(entry.databases),
            claims={**entry.claims, "sub": entry.subject},
            method="api-key",
        )

    def principal_from_claims(self, claims: dict[str, Any], *, method: str) -> Principal:
        """The principal a verified token describes."""
        s = self.settings
        subject = claims.get(s.subject_claim)
        if not isinstance(subject, str) or not subject:
            raise unauthorized(f"The token has no '{s.subject_claim}' claim.", realm=self.realm)
        scopes = frozenset(v for name in s.scope_claims for v in claim_values(claims.get(name)))
        return Principal(
            subject=subject,
            scopes=scopes,
            sources=granted_sources(claim_values(claims.get(s.sources_claim))),
            claims=claims,
            method=method,
        )


def principal_dependency(settings: Any) -> Authenticator:
    """The dependency for `settings` (the whole Settings, or its AuthSettings)."""
    return Authenticator(auth_settings(settings))


def install_auth(app: FastAPI, settings: Any) -> Any:
    """Create the authenticator once and keep it on `app.state` for `current_principal`.

    In mode oauth the authenticator is the HTTP API's protected resource, and the OAuth
    runtime (authorization server, store, keys, resources) is `app.state.oauth`.
    """
    if auth_settings(settings).mode == "oauth":
        from data_assistant.auth.oauth.runtime import OAuthRuntime

        runtime = OAuthRuntime(settings)
        app.state.oauth = runtime
        app.state.authenticator = runtime.resource("api")
        return app.state.authenticator
    authenticator = principal_dependency(settings)
    app.state.authenticator = authenticator
    return authenticator


def current_principal(request: Request) -> Principal:
    """Route dependency: `principal: Principal = Depends(current_principal)`."""
    authenticator = getattr(request.app.state, "authenticator", None)
    if authenticator is None:
        # An app built without install_auth must fail closed, not serve anonymously.
        raise Unauthorized("Authentication is not configured on this server.")
    return authenticator(request)


def check_auth_mode_allowed(settings: Any, host: str, insecure: bool = False) -> None:
    """Refuse mode none on a non-loopback address unless `--insecure` (or auth.insecure)."""
    auth = auth_settings(settings)
    if auth.mode != "none" or is_loopback(host):
        return
    if not (insecure or auth.insecure):
        raise ConfigError(
            f"auth.mode: none lets anyone who can reach {host} query every source; listen on "
            "127.0.0.1, set auth.mode to jwt, api-key or oauth, or pass --insecure"
        )
    log.warning(
        "auth.mode is none and the server listens on %s: anyone who can reach it may query "
        "every source (--insecure)",
        host,
    )


def auth_settings(settings: Any) -> AuthSettings:
    """The AuthSettings of a Settings object (none when it has no `auth` yet)."""
    if isinstance(settings, AuthSettings):
        return settings
    auth = getattr(settings, "auth", None)
    return auth if isinstance(auth, AuthSettings) else AuthSettings()
