"""What the built-in server hands out: JWT access tokens, rotating refresh tokens, and the
revocations that stop both.

An access token carries the same claims as every other token this project accepts (the
subject, `scope`, the sources claim and the user's policy claims), plus `aud` (the resource
asked for, RFC 8707), `client_id`, and `sid`, the grant's family: every token issued from one
authorization shares it, so reusing a spent refresh token or code revokes them all.
Refresh tokens are random strings stored hashed; each is used once.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from data_assistant.auth.oauth.keys import SigningKeys
from data_assistant.auth.oauth.store import Record, Store
from data_assistant.settings import AuthSettings
from data_assistant.settings.oauth import BuiltinServerSettings, OAuthUser

REFRESH = "refresh"
REVOKED = "revoked"
LEEWAY_S = 60


@dataclass(frozen=True)
class SignedInUser:
    """A configured user, once their password checked out."""

    name: str
    entry: OAuthUser

    def get_user_id(self) -> str:
        return self.name

    def granted_scopes(self, requested: str, offered: Collection[str]) -> str:
        """The requested scopes this user may grant, in their order."""
        mine = self.entry.scopes
        return " ".join(
            s for s in requested.split() if s in offered and (mine is None or s in mine)
        )


def digest(secret: str) -> str:
    """How a code or refresh token is keyed in the store (never in plain text)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_family() -> str:
    return secrets.token_urlsafe(16)


class TokenIssuer:
    """Signs access tokens and keeps refresh tokens and revocations in the store."""

    def __init__(
        self,
        *,
        keys: SigningKeys,
        store: Store,
        issuer: str,
        builtin: BuiltinServerSettings,
        auth: AuthSettings,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keys = keys
        self.store = store
        self.issuer = issuer
        self.settings = builtin
        self.auth = auth
        self._clock = clock

    def issue(
        self,
        *,
        user: SignedInUser,
        client_id: str,
        scope: str,
        resources: list[str],
        family: str,
        refresh: bool,
    ) -> dict[str, Any]:
        """The token response: a signed access token, and a new refresh token if `refresh`."""
        now = int(self._clock())
        ttl = self.settings.access_token_ttl_s
        claims: dict[str, Any] = dict(user.entry.claims)
        claims.update(
            iss=self.issuer,
            sub=user.name,
            aud=resources[0] if len(resources) == 1 else list(resources),
            iat=now,
            nbf=now,
            exp=now + ttl,
            jti=secrets.token_urlsafe(16),
            client_id=client_id,
            sid=family,
            scope=scope,
        )
        claims[self.auth.subject_claim] = user.name
        claims[self.auth.sources_claim] = list(user.entry.databases)
        if "scope" not in self.auth.scope_claims and self.auth.scope_claims:
            claims[self.auth.scope_claims[0]] = scope
        token: dict[str, Any] = {
            "access_token": self.keys.current().sign(claims, typ="at+jwt"),
            "token_type": "Bearer",
            "expires_in": ttl,
            "scope": scope,
        }
        if refresh:
            value = secrets.token_urlsafe(32)
            record = {
                "client_id": client_id,
                "user": user.name,
                "scope": scope,
                "resources": list(resources),
                "family": family,
            }
            self.store.put(REFRESH, digest(value), record, self.settings.refresh_token_ttl_s)
            token["refresh_token"] = value
        return token

    def use_refresh_token(self, value: str) -> Record | None:
        """The refresh token's record, used up; a second use revokes its whole family."""
        record, used = self.store.consume(
            REFRESH, digest(value), keep_s=self.settings.refresh_token_ttl_s
        )
        if used is not None:
            self.revoke_family(used["family"])
            return None
        if record is None or self.family_revoked(record["family"]):
            return None
        return record

    def find_refresh_token(self, value: str) -> Record | None:
        """The live record of a refresh token, without using it (revocation)."""
        return self.store.get(REFRESH, digest(value))

    def revoke_family(self, family: str) -> None:
        """Stop every token of one grant: its refresh tokens and its access tokens."""
        ttl = self.settings.refresh_token_ttl_s + self.settings.access_token_ttl_s + LEEWAY_S
        self.store.put(REVOKED, f"sid:{family}", {"at": self._clock()}, ttl)

    def revoke_access_token(self, jti: str, exp: float) -> None:
        """Stop one access token until it would have expired anyway."""
        ttl = max(1.0, exp - self._clock() + LEEWAY_S)
        self.store.put(REVOKED, f"jti:{jti}", {"at": self._clock()}, ttl)

    def family_revoked(self, family: str) -> bool:
        return self.store.exists(REVOKED, [f"sid:{family}"])

    def is_revoked(self, claims: Mapping[str, Any]) -> bool:
        """Whether a verified access token (or its grant) was revoked."""
        keys = [f"{name}:{claims[name]}" for name in ("sid", "jti") if claims.get(name)]
        return self.store.exists(REVOKED, keys)
