"""Every forged, stale or misplaced token is answered 401 with an RFC 6750 challenge."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from data_assistant.settings import AuthSettings
from tests.auth.conftest import (
    ISSUER,
    SECRET,
    IdentityProvider,
    SigningKey,
    claims,
    jwks_auth,
    rsa_key,
    tiny_app,
)


def b64(data: bytes | dict[str, Any]) -> str:
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def alg_none(key: SigningKey) -> str:
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims(sub='admin'))}."


def hs256_signed_with_rsa_public_key(key: SigningKey) -> str:
    # The classic confusion: the public key (which anyone has) used as an HMAC secret.
    pem = key.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{b64({'alg': 'HS256', 'typ': 'JWT', 'kid': key.kid})}.{b64(claims())}"
    signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def expired(key: SigningKey) -> str:
    now = int(time.time())
    return key.sign(claims(iat=now - 7200, nbf=now - 7200, exp=now - 120))


def not_yet_valid(key: SigningKey) -> str:
    return key.sign(claims(nbf=int(time.time()) + 600))


def issued_in_the_future(key: SigningKey) -> str:
    return key.sign(claims(iat=int(time.time()) + 600))


def wrong_issuer(key: SigningKey) -> str:
    return key.sign(claims(iss="https://evil.example.test/"))


def wrong_audience(key: SigningKey) -> str:
    return key.sign(claims(aud="api://another-service"))


def tampered_payload(key: SigningKey) -> str:
    header, _, signature = key.sign(claims()).split(".")
    forged = b64(claims(sub="admin", databases=["*"], scp="read:data admin"))
    return f"{header}.{forged}.{signature}"


def bad_signature(key: SigningKey) -> str:
    # Another key that claims the trusted key's kid.
    return SigningKey(key.kid, "RS256", rsa_key("impostor").private).sign(claims())


def unknown_kid(key: SigningKey) -> str:
    return rsa_key("rogue-kid").sign(claims())


def jku_header_pointing_elsewhere(key: SigningKey) -> str:
    rogue = rsa_key("rogue-kid")
    return rogue.sign(claims(), jku="https://evil.example.test/keys")


def embedded_jwk_header(key: SigningKey) -> str:
    rogue = SigningKey(key.kid, "RS256", rsa_key("impostor").private)
    return rogue.sign(claims(), jwk=rogue.jwk)


def malformed_header(key: SigningKey) -> str:
    _, payload, signature = key.sign(claims()).split(".")
    return f"{b64(b'{not json')}.{payload}.{signature}"


def not_a_jwt(key: SigningKey) -> str:
    return "definitely-not-a-token"


def missing_exp(key: SigningKey) -> str:
    return key.sign(claims(exp=None))


def missing_subject(key: SigningKey) -> str:
    return key.sign(claims(sub=None))


def critical_header(key: SigningKey) -> str:
    return key.sign(claims(), crit=["exp"])


def hs256_with_the_rsa_kid_and_a_guessed_secret(key: SigningKey) -> str:
    return jwt.encode(claims(), "x" * 40, algorithm="HS256", headers={"kid": key.kid})


# Each forgery with the reason the server gives for it.
ATTACKS: list[tuple[Callable[[SigningKey], str], str]] = [
    (alg_none, "algorithm 'none' is not accepted"),
    (hs256_signed_with_rsa_public_key, "algorithm 'HS256' is not accepted"),
    (hs256_with_the_rsa_kid_and_a_guessed_secret, "algorithm 'HS256' is not accepted"),
    (expired, "has expired"),
    (not_yet_valid, "not valid yet"),
    (issued_in_the_future, "not valid yet"),
    (wrong_issuer, "issuer this server does not trust"),
    (wrong_audience, "another audience"),
    (tampered_payload, "signature is not valid"),
    (bad_signature, "signature is not valid"),
    (unknown_kid, "key this server does not know"),
    (jku_header_pointing_elsewhere, "key this server does not know"),
    (embedded_jwk_header, "signature is not valid"),
    (malformed_header, "header is malformed"),
    (not_a_jwt, "malformed"),
    (missing_exp, "lacks the 'exp' claim"),
    (missing_subject, "no 'sub' claim"),
    (critical_header, "critical header parameters"),
]


@pytest.mark.parametrize(
    ("attack", "reason"), ATTACKS, ids=[a.__name__.replace("_", "-") for a, _ in ATTACKS]
)
def test_jwks_mode_rejects(attack, reason, idp: IdentityProvider, rsa_signer) -> None:
    client = tiny_app(jwks_auth(idp, jwks_refresh_min_interval_s=0))
    response = client.get("/whoami", headers={"Authorization": f"Bearer {attack(rsa_signer)}"})
    assert response.status_code == 401, response.text
    assert reason in response.json()["detail"]
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="data-assistant", error="invalid_token"')
    assert "error_description=" in challenge
    assert response.headers["content-type"] == "application/problem+json"


def test_token_in_the_query_string_is_refused(idp: IdentityProvider, rsa_signer) -> None:
    client = tiny_app(jwks_auth(idp))
    token = rsa_signer.sign(claims())
    response = client.get("/whoami", params={"access_token": token})
    assert response.status_code == 401
    assert 'error="invalid_request"' in response.headers["www-authenticate"]
    # Even alongside a good header: the token has already leaked into a URL.
    response = client.get(
        "/whoami", params={"access_token": token}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer   ", "Basic YWxpY2U6cGFzcw==", "Token abc"],
    ids=["absent", "empty", "scheme-only", "blank-token", "basic", "other-scheme"],
)
def test_no_credentials_get_a_challenge_without_error(header, idp: IdentityProvider) -> None:
    client = tiny_app(jwks_auth(idp))
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/whoami", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="data-assistant"'


@pytest.mark.parametrize("signer", ["rsa_signer", "ec_signer", "ed_signer"])
def test_valid_tokens_of_each_key_kind_pass(signer, request, idp: IdentityProvider) -> None:
    key: SigningKey = request.getfixturevalue(signer)
    client = tiny_app(jwks_auth(idp))
    response = client.get("/whoami", headers={"Authorization": f"Bearer {key.sign(claims())}"})
    assert response.status_code == 200, response.text
    assert response.json() == {"subject": "alice", "sources": ["sales"], "scopes": ["read:data"]}


def test_leeway_tolerates_small_clock_skew(idp: IdentityProvider, rsa_signer) -> None:
    now = int(time.time())
    client = tiny_app(jwks_auth(idp))
    token = rsa_signer.sign(claims(exp=now - 10, nbf=now + 10, iat=now + 10))
    assert client.get("/whoami", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    strict = tiny_app(jwks_auth(idp, leeway_s=0))
    assert strict.get("/whoami", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_algorithm_list_is_pinned(idp: IdentityProvider, ec_signer) -> None:
    client = tiny_app(jwks_auth(idp, algorithms=["RS256"]))
    response = client.get(
        "/whoami", headers={"Authorization": f"Bearer {ec_signer.sign(claims())}"}
    )
    assert response.status_code == 401
    assert "ES256" in response.json()["detail"]


# --- shared-secret mode -----------------------------------------------------------------------


def secret_app() -> Any:
    return tiny_app(AuthSettings(mode="jwt", jwt={"secret": SECRET, "issuer": ISSUER}))


def hs_claims(**overrides: Any) -> dict[str, Any]:
    return claims(aud=None, **overrides)


@pytest.mark.filterwarnings("ignore:The HMAC key")
@pytest.mark.parametrize(
    "make",
    [
        lambda: f"{b64({'alg': 'none'})}.{b64(hs_claims())}.",
        lambda: jwt.encode(hs_claims(), "w" * 40, algorithm="HS256"),
        lambda: jwt.encode(hs_claims(), SECRET, algorithm="HS512"),
        lambda: rsa_key("rogue-kid").sign(hs_claims()),
        lambda: jwt.encode(hs_claims(iss="someone-else"), SECRET, algorithm="HS256"),
        lambda: jwt.encode(hs_claims(exp=int(time.time()) - 100), SECRET, algorithm="HS256"),
    ],
    ids=["alg-none", "wrong-secret", "hs512-not-pinned", "rs256", "wrong-issuer", "expired"],
)
def test_shared_secret_mode_rejects(make) -> None:
    response = secret_app().get("/whoami", headers={"Authorization": f"Bearer {make()}"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_shared_secret_mode_accepts_its_own_tokens() -> None:
    token = jwt.encode(hs_claims(), SECRET, algorithm="HS256")
    response = secret_app().get("/whoami", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["subject"] == "alice"
