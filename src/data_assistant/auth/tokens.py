"""JSON Web Tokens: verification with pinned algorithms, and minting for shared-secret mode.

Verification checks the header before any key is chosen: the algorithm must be one this
mode accepts (so `alg: none` and HS/RS confusion fail here), `crit` is refused, and key
URLs in the header (`jku`, `x5u`, `jwk`) are ignored. Then PyJWT checks the signature,
`exp`, `nbf`, `iat` (with leeway), the issuer and the audience.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import jwt

from data_assistant.auth.challenge import DEFAULT_REALM, unauthorized
from data_assistant.auth.jwks import JwksCache
from data_assistant.errors import Unauthorized
from data_assistant.settings import JwtSettings

MAX_TOKEN_LENGTH = 16_384
MAX_TTL_S = 366 * 86_400
_JWS_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_TTL = re.compile(r"(\d+)\s*([smhd]?)")
_TTL_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86_400}
# Claims the CLI sets itself; `--claim` may not override them.
RESERVED_CLAIMS = frozenset({"sub", "iss", "aud", "exp", "nbf", "iat", "jti", "scope"})

_REASONS: list[tuple[type[Exception], str]] = [
    (jwt.ExpiredSignatureError, "The token has expired."),
    (jwt.ImmatureSignatureError, "The token is not valid yet."),
    (jwt.InvalidAudienceError, "The token was issued for another audience."),
    (jwt.InvalidIssuerError, "The token was issued by an issuer this server does not trust."),
    (jwt.InvalidSignatureError, "The token's signature is not valid."),
    (jwt.InvalidAlgorithmError, "The token's algorithm is not accepted."),
    (jwt.DecodeError, "The token is malformed."),
]


class KeySource(Protocol):
    """Where public keys come from: an issuer's JWKS, or this server's own signing keys."""

    @property
    def issuer(self) -> str | None: ...

    def key_for(self, kid: str | None, alg: str) -> Any: ...


class JwtVerifier:
    """Checks bearer JWTs against one secret or one issuer's key set."""

    def __init__(
        self, settings: JwtSettings, *, realm: str = DEFAULT_REALM, jwks: KeySource | None = None
    ) -> None:
        self.settings = settings
        self.realm = realm
        self.algorithms = tuple(settings.algorithms or ())
        self._secret = settings.secret.get_secret_value().encode() if settings.secret else None
        if self._secret is None and jwks is None:
            jwks = JwksCache(
                jwks_url=settings.jwks_url,
                discovery_url=settings.oidc_discovery_url,
                refresh_min_interval_s=settings.jwks_refresh_min_interval_s,
                max_age_s=settings.jwks_max_age_s,
                timeout_s=settings.http_timeout_s,
                realm=realm,
            )
        self.jwks = jwks

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims; Unauthorized with a one-line reason if it does not check out."""
        if len(token) > MAX_TOKEN_LENGTH or not _JWS_SHAPE.fullmatch(token):
            raise self._reject("The token is malformed.")
        header = _header(token)
        if header is None:
            raise self._reject("The token's header is malformed.")
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.algorithms:
            raise self._reject(f"The token's algorithm {str(alg)[:16]!r} is not accepted.")
        if "crit" in header:
            raise self._reject("The token has critical header parameters this server ignores.")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise self._reject("The token's key id is malformed.")
        key: Any = self._secret
        issuer = self.settings.issuer
        if self.jwks is not None:
            key = self.jwks.key_for(kid, alg)
            issuer = issuer or self.jwks.issuer
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.settings.audience,
                issuer=issuer,
                leeway=self.settings.leeway_s,
                options={
                    "require": list(self.settings.require_claims),
                    "verify_aud": True,
                    "verify_iss": issuer is not None,
                },
            )
        except jwt.MissingRequiredClaimError as exc:
            raise self._reject(f"The token lacks the '{exc.claim}' claim.") from None
        except jwt.InvalidTokenError as exc:
            raise self._reject(_reason(exc)) from None
        if not isinstance(claims, dict):
            raise self._reject("The token's claims are not an object.")
        return claims

    def _reject(self, reason: str) -> Unauthorized:
        return unauthorized(reason, realm=self.realm)


def _header(token: str) -> dict[str, Any] | None:
    """The JOSE header, read without PyJWT's slower per-character checks (the shape regex
    has already allowed only base64url characters); None when it is not a JSON object."""
    segment = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except ValueError:
        return None
    return header if isinstance(header, dict) else None


def _reason(exc: Exception) -> str:
    return next((text for cls, text in _REASONS if isinstance(exc, cls)), "The token is invalid.")


def mint_token(
    secret: str,
    *,
    sub: str,
    databases: Iterable[str] = (),
    scopes: Iterable[str] = ("read:data",),
    claims: Mapping[str, Any] | None = None,
    ttl_s: int = 3600,
    issuer: str | None = None,
    audience: str | list[str] | None = None,
    sources_claim: str = "databases",
    now: float | None = None,
) -> str:
    """An HS256 token for shared-secret mode (`data-assistant token`)."""
    if not sub:
        raise ValueError("sub must not be empty")
    if not 0 < ttl_s <= MAX_TTL_S:
        raise ValueError(f"ttl must be between 1 s and {MAX_TTL_S // 86_400} days")
    issued = int(time.time() if now is None else now)
    payload: dict[str, Any] = dict(claims or {})
    clash = RESERVED_CLAIMS.intersection(payload) | ({sources_claim} & payload.keys())
    if clash:
        raise ValueError(f"claims {sorted(clash)} are set by the token itself")
    payload.update(
        sub=sub,
        scope=" ".join(scopes),
        iat=issued,
        nbf=issued,
        exp=issued + int(ttl_s),
        jti=secrets.token_urlsafe(12),
    )
    payload[sources_claim] = list(databases)
    if issuer:
        payload["iss"] = issuer
    if audience:
        payload["aud"] = audience
    return jwt.encode(payload, secret, algorithm="HS256")


def parse_ttl(text: str | int) -> int:
    """Seconds from `3600`, `45s`, `30m`, `1h` or `7d`."""
    if isinstance(text, int):
        value = text
    else:
        match = _TTL.fullmatch(text.strip().lower())
        if not match:
            raise ValueError(f"cannot read the duration {text!r}; use e.g. 3600, 30m, 1h or 7d")
        value = int(match.group(1)) * _TTL_UNITS[match.group(2)]
    if not 0 < value <= MAX_TTL_S:
        raise ValueError(f"the duration must be between 1 s and {MAX_TTL_S // 86_400} days")
    return value


def parse_claim_args(items: Iterable[str]) -> dict[str, Any]:
    """`name=value` pairs; a value that reads as JSON (42, true, ["a","b"]) keeps its type."""
    claims: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"claim {item!r} must be name=value")
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        claims[name] = value
    return claims
