"""The metadata documents: authorization server (RFC 8414, also served at the OpenID
discovery path) and protected resource (RFC 9728), with the URLs they are served at."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from data_assistant.auth.oauth.clients import SECRET_METHODS

AS_WELL_KNOWN = "/.well-known/oauth-authorization-server"
OIDC_WELL_KNOWN = "/.well-known/openid-configuration"
PRM_WELL_KNOWN = "/.well-known/oauth-protected-resource"

AUTHORIZE_PATH = "/oauth/authorize"
TOKEN_PATH = "/oauth/token"
REVOKE_PATH = "/oauth/revoke"
REGISTER_PATH = "/oauth/register"
JWKS_PATH = "/oauth/jwks"


def endpoints(oauth: Any, public_url: str | None) -> tuple[str, str]:
    """(authorization URL, token URL) clients are configured with: the configured
    `client_url` and `authorization_url`, else the built-in server's at `public_url`."""
    base = (public_url or "").rstrip("/")
    return (
        oauth.client_url or base + AUTHORIZE_PATH,
        oauth.authorization_url or base + TOKEN_PATH,
    )


def resource_metadata_url(resource: str) -> str:
    """Where the metadata of `resource` is (RFC 9728 §3.1: the well-known path is inserted
    between the host and the resource's path)."""
    parts = urlsplit(resource)
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{PRM_WELL_KNOWN}{path}"


def authorization_server_metadata(
    issuer: str,
    *,
    scopes: list[str],
    signing_algorithm: str,
    registration: bool,
    client_documents: bool,
) -> dict[str, Any]:
    """RFC 8414 metadata of the built-in server."""
    methods = ["none", *SECRET_METHODS]
    document: dict[str, Any] = {
        "issuer": issuer,
        "authorization_endpoint": issuer + AUTHORIZE_PATH,
        "token_endpoint": issuer + TOKEN_PATH,
        "jwks_uri": issuer + JWKS_PATH,
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "token_endpoint_auth_methods_supported": methods,
        "revocation_endpoint": issuer + REVOKE_PATH,
        "revocation_endpoint_auth_methods_supported": methods,
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": True,
        "client_id_metadata_document_supported": client_documents,
        "access_token_signing_alg_values_supported": [signing_algorithm],
    }
    if registration:
        document["registration_endpoint"] = issuer + REGISTER_PATH
    return document


def protected_resource_metadata(
    resource: str,
    *,
    authorization_servers: list[str],
    scopes: list[str],
    name: str,
    documentation: str | None = None,
) -> dict[str, Any]:
    """RFC 9728 metadata of one protected resource (the HTTP API, or MCP)."""
    document: dict[str, Any] = {
        "resource": resource,
        "authorization_servers": authorization_servers,
        "scopes_supported": scopes,
        # Tokens are accepted only in the Authorization header, never in a URL or a form.
        "bearer_methods_supported": ["header"],
        "resource_name": name,
    }
    if documentation:
        document["resource_documentation"] = documentation
    return document
