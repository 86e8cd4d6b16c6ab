"""Who calls the MCP tools: over HTTP, the request's bearer token; over stdio, a configured one.

Both go through the app's one Authenticator (auth/authenticator.py), so a token means the
same principal, scopes, sources and policy claims on every surface. With OAuth on, MCP is a
protected resource of its own (auth/oauth/resource.py): a token must name it in `aud`, and a
401 points the client at its Protected Resource Metadata.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

from data_assistant.auth.authenticator import Authenticator, auth_settings
from data_assistant.auth.oauth.resource import authenticate_request
from data_assistant.auth.principal import Principal, insufficient_scope
from data_assistant.errors import ConfigError
from data_assistant.settings import Settings


def mcp_principal(request: Request) -> Principal:
    """The principal of an MCP HTTP request, or Unauthorized / Forbidden carrying its
    `WWW-Authenticate` challenge.

    The one place MCP HTTP requests are authenticated: the token comes from the
    Authorization header only (`?access_token=` is refused), and a principal without the
    query scope gets 403 `insufficient_scope`, since every tool needs it.
    """
    principal = authenticate_request(request, surface="mcp")
    auth = auth_settings(request.app.state.assistant.settings)
    if not principal.has_scope(auth.required_scope):
        raise insufficient_scope(auth.required_scope, realm=auth.realm)
    return principal


class TokenPrincipal:
    """The principal of `data-assistant mcp` (stdio): its token checked on every call, so
    an expired token stops working mid-session as it would over HTTP."""

    def __init__(self, settings: Settings, token: str | None) -> None:
        self.authenticate: Callable[[str | None], Principal]
        if settings.auth.mode == "oauth":
            from data_assistant.auth.oauth.runtime import OAuthRuntime

            # The same resource as /mcp: a token must be issued for it (its `aud`).
            self.authenticate = OAuthRuntime(settings).resource("mcp").authenticate
        else:
            self.authenticate = Authenticator(settings.auth).authenticate
        self.token = token
        if settings.auth.mode != "none" and not token:
            raise ConfigError(
                f"auth.mode is {settings.auth.mode}: data-assistant mcp acts with a token or "
                "API key; pass --token, set mcp.token or DATA_ASSISTANT_MCP__TOKEN"
            )
        self.required_scope = settings.auth.required_scope
        self.realm = settings.auth.realm

    def __call__(self) -> Principal:
        """The principal now; Unauthorized when the token is not (or no longer) valid."""
        principal = self.authenticate(f"Bearer {self.token}" if self.token else None)
        if not principal.has_scope(self.required_scope):
            raise insufficient_scope(self.required_scope, realm=self.realm)
        return principal
