"""Principals, the source intersection, scopes, mode none and API keys."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from data_assistant.auth import (
    ANONYMOUS,
    Principal,
    authorize,
    check_auth_mode_allowed,
    claim_values,
    hash_api_key,
    mint_token,
    new_api_key,
    visible_sources,
)
from data_assistant.auth.apikeys import ApiKeyVerifier
from data_assistant.errors import ConfigError, Forbidden
from data_assistant.settings import ApiKeyEntry, AuthSettings, SourcePolicies
from tests.auth.conftest import SECRET, IdentityProvider, claims, jwks_auth, tiny_app


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["sales", "hr"], ["sales", "hr"]),
        ("sales hr", ["sales", "hr"]),
        ("sales,hr", ["sales", "hr"]),
        (" sales , hr ", ["sales", "hr"]),
        (None, []),
        ({"sales": True}, []),
        (42, []),
    ],
    ids=["list", "spaces", "commas", "padded", "missing", "object", "number"],
)
def test_claim_values(value, expected) -> None:
    assert claim_values(value) == expected


def principal(**kw) -> Principal:
    base = {"subject": "alice", "scopes": frozenset({"read:data"}), "sources": frozenset({"sales"})}
    return Principal(**{**base, **kw})


def test_sources_are_the_intersection_of_token_and_server() -> None:
    p = principal(sources=frozenset({"sales", "legacy"}))
    authorize(p, "sales", configured=["sales", "hr"])
    with pytest.raises(Forbidden, match="'hr'"):
        authorize(p, "hr", configured=["sales", "hr"])  # configured, not granted
    with pytest.raises(Forbidden, match="'legacy'"):
        authorize(p, "legacy", configured=["sales", "hr"])  # granted, not configured
    assert visible_sources(p, ["sales", "hr"]) == ["sales"]


def test_query_scope_is_required() -> None:
    with pytest.raises(Forbidden) as caught:
        authorize(principal(scopes=frozenset({"profile"})), "sales")
    challenge = caught.value.headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="read:data"' in challenge


def test_source_may_require_more_scopes() -> None:
    policies = SourcePolicies(require_scopes=["sales:read"])
    with pytest.raises(Forbidden, match="sales:read"):
        authorize(principal(), "sales", required_scopes=policies.require_scopes)
    authorize(
        principal(scopes=frozenset({"read:data", "sales:read"})),
        "sales",
        required_scopes=policies.require_scopes,
    )


def test_a_wildcard_in_a_token_grants_nothing() -> None:
    # A token's claims may come from an identity provider whose users can edit them; only
    # the operator's own config (API keys, built-in users) may say `*`.
    auth = AuthSettings(mode="jwt", jwt={"secret": SECRET})
    client = tiny_app(auth)
    token = mint_token(SECRET, sub="ops", databases=["*"], scopes=["read:data"])
    response = client.post("/query/hr", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_a_wildcard_is_expanded_to_the_configured_sources_when_a_token_is_made() -> None:
    from data_assistant.auth.principal import expand_sources

    assert expand_sources(["*"], ["sales", "hr"]) == ["sales", "hr"]
    assert expand_sources(["hr", "*"], ["sales", "hr"]) == ["hr", "sales"]
    assert expand_sources(["sales"], ["sales", "hr"]) == ["sales"]


def test_http_statuses_through_the_app(idp: IdentityProvider, rsa_signer) -> None:
    client = tiny_app(jwks_auth(idp))

    def post(source: str, **claim_overrides) -> object:
        token = rsa_signer.sign(claims(**claim_overrides))
        return client.post(f"/query/{source}", headers={"Authorization": f"Bearer {token}"})

    assert post("sales").status_code == 200
    denied = post("hr")
    assert denied.status_code == 403
    assert "hr" in denied.json()["detail"]
    no_scope = post("sales", scp="profile email")
    assert no_scope.status_code == 403
    assert 'error="insufficient_scope"' in no_scope.headers["www-authenticate"]
    # Entra puts app roles in `roles` and delegated scopes in `scp`; `scope` is OAuth's.
    assert post("sales", scp=None, scope="read:data").status_code == 200
    # A token without the databases claim grants nothing.
    assert post("sales", databases=None).status_code == 403
    # A space-separated string is a list too.
    assert post("hr", databases="sales hr").status_code == 200


def test_sources_claim_is_configurable(idp: IdentityProvider, rsa_signer) -> None:
    auth = jwks_auth(idp)
    auth = auth.model_copy(update={"sources_claim": "dbs"})
    client = tiny_app(auth)
    token = rsa_signer.sign(claims(databases=None, dbs="hr,sales"))
    assert client.post("/query/hr", headers={"Authorization": f"Bearer {token}"}).status_code == 200


# --- mode none ------------------------------------------------------------------------------


def test_mode_none_is_anonymous_with_everything() -> None:
    client = tiny_app(AuthSettings())
    assert client.get("/whoami").json() == {"subject": "anonymous", "sources": None, "scopes": None}
    assert client.post("/query/hr").status_code == 200
    assert ANONYMOUS.anonymous and ANONYMOUS.may_use("anything")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_mode_none_is_fine_on_loopback(host: str) -> None:
    check_auth_mode_allowed(AuthSettings(), host, insecure=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "example.com"])
def test_mode_none_elsewhere_needs_insecure(host: str, caplog) -> None:
    with pytest.raises(ConfigError, match="--insecure"):
        check_auth_mode_allowed(AuthSettings(), host, insecure=False)
    with caplog.at_level(logging.WARNING, logger="data_assistant.auth"):
        check_auth_mode_allowed(AuthSettings(), host, insecure=True)
    assert "anyone who can reach it" in caplog.text
    check_auth_mode_allowed(AuthSettings(insecure=True), host)


def test_modes_with_credentials_listen_anywhere() -> None:
    check_auth_mode_allowed(AuthSettings(mode="jwt", jwt={"secret": SECRET}), "0.0.0.0")


# --- API keys -------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["sha256", "pbkdf2_sha256", "scrypt"])
def test_api_key_schemes(scheme: str) -> None:
    key = new_api_key()
    entries = [
        ApiKeyEntry(hash=hash_api_key(new_api_key()), subject="other"),
        ApiKeyEntry(hash=hash_api_key(key, scheme), subject="chatgpt", databases=["sales"]),
    ]
    verifier = ApiKeyVerifier(entries)
    assert verifier.verify(key).subject == "chatgpt"
    assert verifier.verify(key).subject == "chatgpt"  # the second time from the cache
    assert verifier.verify(key + "x") is None
    assert verifier.verify("") is None
    assert verifier.verify("k" * 10_000) is None


def test_api_key_mode_through_the_app() -> None:
    key = new_api_key()
    auth = AuthSettings(
        mode="api-key",
        api_keys=[
            {
                "hash": hash_api_key(key),
                "subject": "chatgpt-plugin",
                "scopes": ["read:data"],
                "databases": ["sales"],
                "claims": {"region": "EMEA"},
            }
        ],
    )
    client = tiny_app(auth)
    ok = client.get("/whoami", headers={"Authorization": f"Bearer {key}"})
    assert ok.json() == {"subject": "chatgpt-plugin", "sources": ["sales"], "scopes": ["read:data"]}
    assert client.post("/query/hr", headers={"Authorization": f"Bearer {key}"}).status_code == 403
    wrong = client.get("/whoami", headers={"Authorization": f"Bearer {key[:-1]}"})
    assert wrong.status_code == 401
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]
    assert client.get("/whoami", params={"access_token": key}).status_code == 401


def test_malformed_stored_hash_is_a_config_error() -> None:
    from data_assistant.auth import Authenticator

    auth = AuthSettings(mode="api-key", api_keys=[{"hash": "sha256:abc", "subject": "x"}])
    with pytest.raises(ConfigError, match=r"auth\.api_keys"):
        Authenticator(auth)


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"mode": "jwt"}, "needs a jwt section"),
        ({"mode": "api-key"}, "at least one entry"),
        ({"mode": "jwt", "jwt": {"secret": "short"}}, "at least 32"),
        ({"mode": "jwt", "jwt": {"secret": SECRET, "jwks_url": "https://x/k"}}, "exactly one"),
        ({"mode": "jwt", "jwt": {"secret": SECRET, "algorithms": ["RS256"]}}, "do not fit"),
        (
            {
                "mode": "jwt",
                "jwt": {
                    "jwks_url": "https://x/k",
                    "issuer": "i",
                    "audience": "a",
                    "algorithms": ["HS256"],
                },
            },
            "do not fit",
        ),
        ({"mode": "jwt", "jwt": {"jwks_url": "https://x/k", "issuer": "i"}}, "audience"),
        (
            {
                "mode": "jwt",
                "jwt": {"jwks_url": "http://idp.example/k", "issuer": "i", "audience": "a"},
            },
            "https",
        ),
        ({"mode": "jwt", "jwt": {"secret": SECRET}, "manifest": "none"}, "hide"),
        ({"mode": "api-key", "api_keys": [{"hash": "md5:x", "subject": "s"}]}, "sha256"),
        ({"mode": "none", "unknown": 1}, "Extra inputs"),
    ],
    ids=[
        "jwt-without-section",
        "api-key-without-keys",
        "short-secret",
        "two-key-sources",
        "rs-with-secret",
        "hs-with-jwks",
        "jwks-without-audience",
        "jwks-over-plain-http",
        "manifest-that-lies",
        "unknown-hash-scheme",
        "typo",
    ],
)
def test_bad_auth_settings(config, message) -> None:
    with pytest.raises(ValidationError, match=message):
        AuthSettings(**config)
