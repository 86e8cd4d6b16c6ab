"""The manifest's auth block and the OpenAPI security schemes follow the config; minted tokens."""

from __future__ import annotations

import time

import jwt
import pytest

from data_assistant.auth import (
    Authenticator,
    hash_api_key,
    manifest_auth,
    mint_token,
    parse_claim_args,
    parse_ttl,
    security_requirement,
    security_schemes,
)
from data_assistant.settings import AuthSettings
from tests.auth.conftest import AUDIENCE, SECRET

# A delegated issuer: the manifest points at its sign-in page and token endpoint.
OAUTH = {
    "server": "delegated",
    "issuer": "https://login.example.test",
    "audience": AUDIENCE,
    "client_url": "https://login.example.test/authorize",
    "authorization_url": "https://login.example.test/token",
    "scope": "read:data",
    "verification_tokens": {"openai": "oa-verify"},
}
JWKS = {"jwks_url": "https://login.example.test/keys", "issuer": "i", "audience": AUDIENCE}
KEYS = [{"hash": hash_api_key("k" * 40), "subject": "chatgpt"}]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, {"type": "none"}),
        (
            {"mode": "api-key", "api_keys": KEYS, "verification_tokens": {"openai": "v-123"}},
            {
                "type": "service_http",
                "authorization_type": "bearer",
                "verification_tokens": {"openai": "v-123"},
            },
        ),
        (
            {"mode": "api-key", "api_keys": KEYS},
            {"type": "user_http", "authorization_type": "bearer"},
        ),
        (
            {"mode": "jwt", "jwt": {"secret": SECRET}},
            {"type": "user_http", "authorization_type": "bearer"},
        ),
        (
            {"mode": "oauth", "oauth": OAUTH},
            {
                "type": "oauth",
                "client_url": OAUTH["client_url"],
                "scope": "read:data",
                "authorization_url": OAUTH["authorization_url"],
                "authorization_content_type": "application/x-www-form-urlencoded",
                "verification_tokens": {"openai": "oa-verify"},
            },
        ),
    ],
    ids=["none", "service-http", "user-http-api-key", "user-http-jwt", "oauth"],
)
def test_manifest_auth_follows_the_mode(config, expected) -> None:
    assert manifest_auth(AuthSettings(**config)) == expected


def test_manifest_auth_reads_settings_objects() -> None:
    class Settings:
        auth = AuthSettings(mode="jwt", jwt={"secret": SECRET})

    assert manifest_auth(Settings())["type"] == "user_http"
    assert manifest_auth(object()) == {"type": "none"}


def test_service_http_needs_its_verification_token() -> None:
    with pytest.raises(ValueError, match=r"verification_tokens\.openai"):
        AuthSettings(mode="api-key", api_keys=KEYS, manifest="service_http")


@pytest.mark.parametrize(
    ("config", "scheme", "requirement"),
    [
        ({}, {}, []),
        (
            {"mode": "jwt", "jwt": {"secret": SECRET}},
            {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            [{"bearerAuth": []}],
        ),
        ({"mode": "api-key", "api_keys": KEYS}, "apiKey", [{"apiKey": []}]),
        ({"mode": "oauth", "oauth": OAUTH}, "oauth2", [{"oauth2": ["read:data"]}]),
    ],
    ids=["none", "jwt", "api-key", "oauth"],
)
def test_security_schemes(config, scheme, requirement) -> None:
    auth = AuthSettings(**config)
    schemes = security_schemes(auth)
    if isinstance(scheme, dict):
        assert schemes == scheme
    else:
        assert list(schemes) == [scheme]
    assert security_requirement(auth) == requirement
    if scheme == "oauth2":
        flow = schemes["oauth2"]["flows"]["authorizationCode"]
        assert flow["authorizationUrl"] == OAUTH["client_url"]
        assert flow["tokenUrl"] == OAUTH["authorization_url"]


def test_security_schemes_make_a_valid_openapi_document() -> None:
    from openapi_spec_validator import validate

    for config in (
        {"mode": "oauth", "oauth": OAUTH},
        {"mode": "api-key", "api_keys": KEYS},
    ):
        auth = AuthSettings(**config)
        doc = {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/q": {
                    "post": {
                        "security": security_requirement(auth),
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            },
            "components": {"securitySchemes": security_schemes(auth)},
        }
        validate(doc)


# --- minted tokens --------------------------------------------------------------------------


def test_minted_token_round_trips_through_the_authenticator() -> None:
    auth = AuthSettings(
        mode="jwt", jwt={"secret": SECRET, "issuer": "data-assistant", "audience": "da"}
    )
    token = mint_token(
        SECRET,
        sub="alice",
        databases=["sales"],
        scopes=["read:data"],
        claims=parse_claim_args(["region=EMEA", "tid=42", 'groups=["a","b"]']),
        ttl_s=parse_ttl("1h"),
        issuer="data-assistant",
        audience="da",
    )
    principal = Authenticator(auth).authenticate(f"Bearer {token}")
    assert principal.subject == "alice"
    assert principal.sources == {"sales"}
    assert principal.scopes == {"read:data"}
    assert principal.claims["region"] == "EMEA"
    assert principal.claims["tid"] == 42
    assert principal.claims["groups"] == ["a", "b"]
    payload = jwt.decode(token, SECRET, algorithms=["HS256"], audience="da")
    assert payload["exp"] - payload["iat"] == 3600
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_minted_token_cannot_override_its_own_claims() -> None:
    with pytest.raises(ValueError, match="exp"):
        mint_token(SECRET, sub="a", claims={"exp": int(time.time()) + 10**9})
    with pytest.raises(ValueError, match="databases"):
        mint_token(SECRET, sub="a", claims={"databases": ["*"]})


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3600", 3600), ("45s", 45), ("30m", 1800), ("1h", 3600), ("7d", 604800), (" 2H ", 7200)],
)
def test_parse_ttl(text, seconds) -> None:
    assert parse_ttl(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "1w", "-5m", "1.5h", "400d", "h"])
def test_parse_ttl_rejects(text) -> None:
    with pytest.raises(ValueError):
        parse_ttl(text)


def test_parse_claim_args_rejects_a_missing_value() -> None:
    with pytest.raises(ValueError, match="name=value"):
        parse_claim_args(["region"])
