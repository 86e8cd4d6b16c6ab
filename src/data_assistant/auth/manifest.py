"""What the plugin manifest and the OpenAPI document say about auth, derived from the config.

Both are computed from the same AuthSettings the server enforces, so they cannot drift.
"""

from __future__ import annotations

from typing import Any

from data_assistant.auth.authenticator import auth_settings
from data_assistant.auth.oauth.metadata import endpoints
from data_assistant.auth.oauth.pages import SCOPE_TEXT
from data_assistant.settings import AuthSettings


def manifest_auth_type(auth: AuthSettings) -> str:
    """`none`, `service_http`, `user_http` or `oauth`: the configured type, or the mode's."""
    if auth.manifest != "auto":
        return auth.manifest
    if auth.mode == "none":
        return "none"
    if auth.mode == "oauth":
        return "oauth"
    if auth.mode == "api-key" and "openai" in auth.verification_tokens:
        # One key registered with OpenAI, sent by ChatGPT for every user.
        return "service_http"
    return "user_http"


def manifest_auth(settings: Any) -> dict[str, Any]:
    """The `auth` block of `/.well-known/ai-plugin.json`."""
    auth = auth_settings(settings)
    kind = manifest_auth_type(auth)
    if kind == "none":
        return {"type": "none"}
    if kind == "service_http":
        return {
            "type": "service_http",
            "authorization_type": "bearer",
            "verification_tokens": dict(auth.verification_tokens),
        }
    if kind == "user_http":
        return {"type": "user_http", "authorization_type": "bearer"}
    oauth = auth.oauth
    assert oauth is not None  # AuthSettings requires it for manifest oauth
    client_url, token_url = endpoints(oauth, getattr(settings, "public_url", None))
    return {
        "type": "oauth",
        "client_url": client_url,
        "scope": oauth.scope,
        "authorization_url": token_url,
        "authorization_content_type": oauth.authorization_content_type,
        "verification_tokens": dict(oauth.verification_tokens),
    }


def security_schemes(settings: Any) -> dict[str, dict[str, Any]]:
    """`components.securitySchemes` for the OpenAPI document (empty in mode none)."""
    auth = auth_settings(settings)
    if auth.mode == "none":
        return {}
    if auth.mode == "api-key":
        return {
            "apiKey": {
                "type": "http",
                "scheme": "bearer",
                "description": "An API key sent as `Authorization: Bearer <key>`.",
            }
        }
    if auth.oauth is not None:
        # The manifest's client_url is the page users sign in on; its authorization_url
        # is where codes are exchanged for tokens.
        client_url, token_url = endpoints(auth.oauth, getattr(settings, "public_url", None))
        return {
            "oauth2": {
                "type": "oauth2",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": client_url,
                        "tokenUrl": token_url,
                        "scopes": {s: SCOPE_TEXT.get(s, s) for s in auth.oauth.scopes},
                    }
                },
            }
        }
    return {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}


def security_requirement(settings: Any) -> list[dict[str, list[str]]]:
    """The `security` list each protected operation carries (empty in mode none)."""
    auth = auth_settings(settings)
    return [
        {name: [auth.required_scope] if scheme["type"] == "oauth2" else []}
        for name, scheme in security_schemes(settings).items()
    ]
