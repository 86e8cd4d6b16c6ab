"""The two grants of the built-in server, on Authlib's: authorization code (with PKCE S256,
required of public clients, and resource indicators) and refresh token (rotated, reuse
revokes the family). Codes are single-use through the store's `consume`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import (
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
)
from authlib.oauth2.rfc7636 import CodeChallenge

from data_assistant.auth.oauth.issuance import SignedInUser, digest, new_family

CODE = "code"
CLIENT_AUTH = ("client_secret_basic", "client_secret_post", "none")


class InvalidTargetError(OAuth2Error):
    """RFC 8707: a `resource` this server does not protect."""

    error = "invalid_target"


@dataclass(frozen=True)
class AuthorizationCode:
    """A stored code, as Authlib's AuthorizationCodeMixin."""

    client_id: str
    redirect_uri: str | None
    scope: str
    user: str
    resources: list[str]
    family: str
    code_challenge: str | None = None
    code_challenge_method: str | None = None

    def get_redirect_uri(self) -> str | None:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass(frozen=True)
class RefreshToken:
    """A used refresh token's record, as Authlib's TokenMixin."""

    record: dict[str, Any]

    def check_client(self, client: Any) -> bool:
        return client.get_client_id() == self.record["client_id"]

    def get_scope(self) -> str:
        return self.record["scope"]


def requested_resources(request: Any, allowed: list[str]) -> list[str]:
    """The `resource` parameters of a request, each one this server protects."""
    values = [v for v in request.payload.datalist.get("resource", []) if v]
    for value in values:
        if value not in allowed:
            raise InvalidTargetError(description="The resource is not served by this server.")
    return list(dict.fromkeys(values))


class PkceS256(CodeChallenge):
    """PKCE with S256 only; a public client must use it, a confidential one may."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ("S256",)
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        challenge, method = data.get("code_challenge"), data.get("code_challenge_method")
        if not challenge and not grant.request.client.confidential:
            raise InvalidRequestError("A public client must send a PKCE code_challenge (S256).")
        if challenge and method != "S256":
            raise InvalidRequestError("The code_challenge_method must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    """Authorization code grant: codes in the store, tokens from the issuer."""

    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH

    @staticmethod
    def validate_authorization_redirect_uri(request: Any, client: Any) -> str:
        # The error never echoes the URI: it is the attacker's text, shown on our page.
        uri = request.payload.redirect_uri
        if uri:
            if not client.check_redirect_uri(uri):
                raise InvalidRequestError("The redirect_uri is not one this client registered.")
            return uri
        default = client.get_default_redirect_uri()
        if not default:
            raise InvalidRequestError("Send a redirect_uri: this client registered several.")
        return default

    def validate_authorization_request(self) -> str:
        redirect_uri = super().validate_authorization_request()
        try:
            requested_resources(self.request, self.server.resources)
        except OAuth2Error as error:
            error.redirect_uri = redirect_uri
            raise
        return redirect_uri

    def save_authorization_code(self, code: str, request: Any) -> None:
        user: SignedInUser = request.user
        scope = user.granted_scopes(request.scope or "", self.server.scopes_supported)
        resources = requested_resources(request, self.server.resources)
        data = request.payload.data
        record = AuthorizationCode(
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=scope,
            user=user.name,
            resources=resources or [self.server.default_resource],
            family=new_family(),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )
        self.server.store.put(CODE, digest(code), record.__dict__, self.server.settings.code_ttl_s)

    def query_authorization_code(self, code: str, client: Any) -> AuthorizationCode | None:
        # Kept as used for ten code lifetimes: a second use inside them revokes what the
        # first one obtained (RFC 6749 §4.1.2).
        record, used = self.server.store.consume(
            CODE, digest(code), keep_s=self.server.settings.code_ttl_s * 10
        )
        if used is not None:
            self.server.issuer.revoke_family(used["family"])
            return None
        if record is None or record["client_id"] != client.get_client_id():
            return None
        return AuthorizationCode(**record)

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Nothing to do: `query_authorization_code` used the code up."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> SignedInUser | None:
        return self.server.user(authorization_code.user)

    def create_token_response(self) -> tuple[int, dict[str, Any], list]:
        client = self.request.client
        code: AuthorizationCode = self.request.authorization_code
        user = self.authenticate_user(code)
        if user is None:
            raise InvalidGrantError("The user of this code no longer exists.")
        resources = requested_resources(self.request, code.resources) or code.resources
        token = self.server.issuer.issue(
            user=user,
            client_id=client.get_client_id(),
            scope=code.scope,
            resources=resources,
            family=code.family,
            refresh=client.check_grant_type("refresh_token"),
        )
        return 200, token, self.TOKEN_RESPONSE_HEADER


class RefreshTokenGrant(grants.RefreshTokenGrant):
    """Refresh token grant: every use returns a new refresh token; a reuse revokes all."""

    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshToken | None:
        record = self.server.issuer.use_refresh_token(refresh_token)
        return RefreshToken(record) if record else None

    def authenticate_user(self, refresh_token: RefreshToken) -> SignedInUser | None:
        return self.server.user(refresh_token.record["user"])

    def revoke_old_credential(self, refresh_token: RefreshToken) -> None:
        """Nothing to do: the token was used up when it was read."""

    def create_token_response(self) -> tuple[int, dict[str, Any], list]:
        old: RefreshToken = self.request.refresh_token
        user = self.authenticate_user(old)
        if user is None:
            raise InvalidGrantError("The user of this token no longer exists.")
        scope = self.request.payload.scope or old.get_scope()
        if not set(scope.split()) <= set(old.get_scope().split()):
            raise InvalidScopeError()
        granted = old.record["resources"]
        resources = requested_resources(self.request, granted) or granted
        token = self.server.issuer.issue(
            user=user,
            client_id=old.record["client_id"],
            # The user's scopes may have narrowed in the config since the first grant.
            scope=user.granted_scopes(scope, self.server.scopes_supported),
            resources=resources,
            family=old.record["family"],
            refresh=True,
        )
        return 200, token, self.TOKEN_RESPONSE_HEADER
