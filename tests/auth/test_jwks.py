"""Keys from a real JWKS / OIDC server on loopback: caching, rotation, bounded refreshes."""

from __future__ import annotations

import pytest

from data_assistant.auth import IdentityProviderUnavailable, JwksCache
from data_assistant.auth.tokens import JwtVerifier
from data_assistant.errors import Unauthorized
from data_assistant.settings import AuthSettings
from tests.auth.conftest import (
    AUDIENCE,
    ISSUER,
    IdentityProvider,
    claims,
    jwks_auth,
    rsa_key,
    tiny_app,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def verifier(idp: IdentityProvider, clock: FakeClock, *, discovery: bool = False) -> JwtVerifier:
    settings = jwks_auth(idp).jwt
    assert settings is not None
    cache = JwksCache(
        jwks_url=None if discovery else idp.jwks_url,
        discovery_url=idp.discovery_url if discovery else None,
        refresh_min_interval_s=30,
        max_age_s=3600,
        clock=clock,
    )
    return JwtVerifier(settings, jwks=cache)


def test_keys_are_fetched_once_and_cached(idp: IdentityProvider, rsa_signer, ec_signer) -> None:
    check = verifier(idp, FakeClock())
    for _ in range(5):
        assert check.verify(rsa_signer.sign(claims()))["sub"] == "alice"
        assert check.verify(ec_signer.sign(claims(sub="bob")))["sub"] == "bob"
    assert idp.jwks_requests == 1


def test_rotation_is_picked_up_on_a_new_kid(idp: IdentityProvider, rsa_signer) -> None:
    clock = FakeClock()
    check = verifier(idp, clock)
    check.verify(rsa_signer.sign(claims()))
    rotated = rsa_key("rsa-2025")
    idp.keys.append(rotated)
    clock.now += 31
    assert check.verify(rotated.sign(claims(sub="carol")))["sub"] == "carol"
    assert idp.jwks_requests == 2
    # The retired key goes away at the provider; tokens signed with it stop working after
    # the next refresh (a new kid or the cache's age triggers it).
    idp.keys.remove(rsa_signer)
    clock.now += 3601
    with pytest.raises(Unauthorized):
        check.verify(rsa_signer.sign(claims()))


def test_unknown_kids_refresh_at_most_once_per_interval(idp: IdentityProvider) -> None:
    clock = FakeClock()
    check = verifier(idp, clock)
    rogue = rsa_key("rogue-kid")
    for _ in range(20):
        with pytest.raises(Unauthorized):
            check.verify(rogue.sign(claims()))
    # The first fetch, then nothing more within 30 s however many forged kids arrive.
    assert idp.jwks_requests == 1
    clock.now += 30
    with pytest.raises(Unauthorized):
        check.verify(rogue.sign(claims()))
    assert idp.jwks_requests == 2


def test_oidc_discovery_gives_the_key_set_and_the_issuer(idp: IdentityProvider, ed_signer) -> None:
    auth = AuthSettings(
        mode="jwt", jwt={"oidc_discovery_url": idp.discovery_url, "audience": AUDIENCE}
    )
    client = tiny_app(auth)
    token = ed_signer.sign(claims())
    assert client.get("/whoami", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    forged_issuer = ed_signer.sign(claims(iss="https://other.example.test/"))
    response = client.get("/whoami", headers={"Authorization": f"Bearer {forged_issuer}"})
    assert response.status_code == 401
    assert idp.discovery_requests == 1
    assert idp.jwks_requests == 1


def test_discovery_issuer_is_read_once(idp: IdentityProvider) -> None:
    cache = JwksCache(discovery_url=idp.discovery_url)
    assert cache.issuer == ISSUER
    assert cache.issuer == ISSUER
    assert idp.discovery_requests == 1


def test_unreachable_provider_is_503_not_401(idp: IdentityProvider, rsa_signer) -> None:
    idp.status = 500
    client = tiny_app(jwks_auth(idp))
    response = client.get(
        "/whoami", headers={"Authorization": f"Bearer {rsa_signer.sign(claims())}"}
    )
    assert response.status_code == 503
    assert "signing keys" in response.json()["detail"]


def test_cached_keys_survive_a_provider_outage(idp: IdentityProvider, rsa_signer) -> None:
    clock = FakeClock()
    check = verifier(idp, clock)
    check.verify(rsa_signer.sign(claims()))
    idp.status = 500
    clock.now += 4000  # stale: a refresh is tried, fails, and the old keys are kept
    assert check.verify(rsa_signer.sign(claims()))["sub"] == "alice"


def test_private_and_symmetric_keys_in_a_key_set_are_ignored() -> None:
    from data_assistant.auth.jwks import _parse_key_set

    keys = _parse_key_set(
        {
            "keys": [
                {"kty": "oct", "k": "c2VjcmV0", "kid": "x"},
                {"kty": "RSA", "d": "x", "kid": "y"},
            ]
        }
    )
    assert keys == []


def test_provider_error_class_is_503() -> None:
    assert IdentityProviderUnavailable("x").status == 503
