"""Public signing keys from a JWKS or OIDC discovery URL, cached and refreshed on an unknown kid.

Keys are fetched with httpx from the configured URL only, never from a URL in a token
(`jku`, `x5u`). An unknown `kid` triggers at most one refresh per interval, so a flood of
forged tokens cannot turn into a flood of requests to the identity provider.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from data_assistant.auth.challenge import DEFAULT_REALM, unauthorized
from data_assistant.errors import DataAssistantError
from data_assistant.settings import require_https_or_loopback

log = logging.getLogger("data_assistant.auth")

# alg -> (JWK kty, EC curve or None): a key is used only with the algorithm it was made for.
_KEY_KINDS: dict[str, tuple[str, str | None]] = {
    **{f"RS{n}": ("RSA", None) for n in (256, 384, 512)},
    **{f"PS{n}": ("RSA", None) for n in (256, 384, 512)},
    "ES256": ("EC", "P-256"),
    "ES384": ("EC", "P-384"),
    "ES512": ("EC", "P-521"),
    "EdDSA": ("OKP", None),
}


class IdentityProviderUnavailable(DataAssistantError):
    """The identity provider's keys cannot be fetched, so no token can be checked."""

    status = 503
    title = "Identity provider unavailable"
    type_slug = "identity-provider-unavailable"


class JwksCache:
    """The key set of one issuer, fetched lazily and refreshed when stale or on a new kid."""

    def __init__(
        self,
        *,
        jwks_url: str | None = None,
        discovery_url: str | None = None,
        refresh_min_interval_s: float = 30.0,
        max_age_s: float = 3600.0,
        timeout_s: float = 5.0,
        realm: str = DEFAULT_REALM,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if (jwks_url is None) == (discovery_url is None):
            raise ValueError("give exactly one of jwks_url and discovery_url")
        self._jwks_url = jwks_url
        self._discovery_url = discovery_url
        self._discovered_issuer: str | None = None
        self._min_interval = refresh_min_interval_s
        self._max_age = max_age_s
        self._timeout = timeout_s
        self._realm = realm
        self._clock = clock
        self._keys: list[tuple[dict[str, Any], jwt.PyJWK]] | None = None
        self._fetched_at = 0.0
        self._attempted_at: float | None = None
        self._lock = threading.Lock()
        self.fetches = 0  # how many times the key set was fetched; tests and metrics read it

    @property
    def issuer(self) -> str | None:
        """The issuer named by the discovery document, once it has been read."""
        if self._discovery_url is not None and self._discovered_issuer is None:
            with self._lock:
                if self._discovered_issuer is None:
                    self._discover()
        return self._discovered_issuer

    def key_for(self, kid: str | None, alg: str) -> Any:
        """The public key to check a token signed with `alg` by key `kid`; 401 if none fits."""
        with self._lock:
            now = self._clock()
            if self._keys is None or now - self._fetched_at > self._max_age:
                self._refresh(now, required=self._keys is None)
            key = self._find(kid, alg)
            if key is None and self._may_refresh(now):
                # A kid we have not seen may be a rotated-in key: look once more.
                self._refresh(now, required=False)
                key = self._find(kid, alg)
        if key is None:
            raise unauthorized(
                "The token is signed with a key this server does not know.", realm=self._realm
            )
        return key

    def _may_refresh(self, now: float) -> bool:
        return self._attempted_at is None or now - self._attempted_at >= self._min_interval

    def _refresh(self, now: float, *, required: bool) -> None:
        if not required and not self._may_refresh(now):
            return
        self._attempted_at = now
        try:
            url = self._jwks_url or self._discover()
            document = self._get_json(url)
        except IdentityProviderUnavailable:
            if required or self._keys is None:
                raise
            log.warning("could not refresh the signing keys; keeping the ones cached")
            return
        self._keys = _parse_key_set(document)
        self._fetched_at = now
        self.fetches += 1

    def _discover(self) -> str:
        assert self._discovery_url is not None
        document = self._get_json(self._discovery_url)
        jwks_uri, issuer = document.get("jwks_uri"), document.get("issuer")
        if not isinstance(jwks_uri, str) or not isinstance(issuer, str):
            raise IdentityProviderUnavailable(
                "The OpenID discovery document has no jwks_uri or issuer."
            )
        try:
            require_https_or_loopback(jwks_uri)
        except ValueError as exc:
            raise IdentityProviderUnavailable(f"The discovery document's jwks_uri {exc}.") from None
        self._discovered_issuer = issuer
        self._jwks_url = jwks_uri
        return jwks_uri

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = httpx.get(url, timeout=self._timeout, follow_redirects=False)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("fetching %s failed: %s", url, type(exc).__name__)
            raise IdentityProviderUnavailable(
                "The identity provider's signing keys cannot be fetched right now."
            ) from exc
        if not isinstance(document, dict):
            raise IdentityProviderUnavailable("The identity provider sent no JSON object.")
        return document

    def _find(self, kid: str | None, alg: str) -> Any:
        fitting = [
            key
            for jwk, key in self._keys or ()
            if _fits(jwk, alg) and (kid is None or jwk.get("kid") == kid)
        ]
        # Without a kid, only an unambiguous key set can be used.
        if len(fitting) == 1 or (kid is not None and fitting):
            return fitting[0].key
        return None


def _fits(jwk: dict[str, Any], alg: str) -> bool:
    kind = _KEY_KINDS.get(alg)
    if kind is None or jwk.get("kty") != kind[0]:
        return False
    if kind[1] is not None and jwk.get("crv") != kind[1]:
        return False
    if jwk.get("use", "sig") != "sig":
        return False
    return jwk.get("alg", alg) == alg


def _parse_key_set(document: dict[str, Any]) -> list[tuple[dict[str, Any], jwt.PyJWK]]:
    keys = []
    for jwk in document.get("keys") or ():
        if not isinstance(jwk, dict) or "d" in jwk or jwk.get("kty") == "oct":
            # Never accept a private or symmetric key from a public key set.
            continue
        try:
            keys.append((jwk, jwt.PyJWK(jwk)))
        except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError):
            log.info("skipping a key of kind %s that cannot be used", jwk.get("kty"))
    return keys
