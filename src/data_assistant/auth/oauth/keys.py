"""Signing keys of the built-in server: made, rotated and retired in the store, published as JWKS.

The newest key signs. A new one is made once the newest is `rotation_s` old; the one it
replaces stays published (and accepted) for `retain_s`, the life of the tokens it signed.
Keys are records in the shared store, so every process signs with the same key: a new key
is written with `add` under its predecessor's id, so when two processes rotate at once one
write wins and both use it.

`SigningKeys` also serves as the key set of the project's JwtVerifier (`key_for`, `issuer`),
so tokens of the built-in server are checked on the same path as any issuer's.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from data_assistant.auth.challenge import DEFAULT_REALM, unauthorized
from data_assistant.auth.oauth.store import Record, Store

KIND = "signing_key"
GENESIS = "genesis"
_RELOAD_S = 30.0


@dataclass(frozen=True)
class SigningKey:
    """One key: its id, algorithm, private key (to sign) and public JWK (to publish)."""

    kid: str
    alg: str
    created_at: float
    after: str
    private: Any
    public_jwk: dict[str, Any]

    @property
    def public_key(self) -> Any:
        return self.private.public_key()

    def sign(self, claims: dict[str, Any], *, typ: str = "JWT") -> str:
        """A JWS over `claims` with this key."""
        return jwt.encode(
            claims, self.private, algorithm=self.alg, headers={"kid": self.kid, "typ": typ}
        )


def new_key(alg: str, *, after: str, now: float) -> Record:
    """A fresh key record (RSA 2048 for RS256, P-256 for ES256)."""
    if alg == "RS256":
        private: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif alg == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
    else:
        raise ValueError(f"unsupported signing algorithm {alg}")
    kid = f"{int(now)}-{secrets.token_hex(4)}"
    jwk = json.loads(jwt.get_algorithm_by_name(alg).to_jwk(private.public_key()))
    jwk.update(kid=kid, use="sig", alg=alg)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {"kid": kid, "alg": alg, "created_at": now, "after": after, "pem": pem, "jwk": jwk}


def _load(record: Record) -> SigningKey:
    private = serialization.load_pem_private_key(record["pem"].encode(), password=None)
    return SigningKey(
        kid=record["kid"],
        alg=record["alg"],
        created_at=float(record["created_at"]),
        after=record["after"],
        private=private,
        public_jwk=dict(record["jwk"]),
    )


class SigningKeys:
    """The key ring in the store, cached in this process."""

    def __init__(
        self,
        store: Store,
        *,
        algorithm: str,
        rotation_s: float,
        retain_s: float,
        realm: str = DEFAULT_REALM,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.algorithm = algorithm
        self.rotation_s = rotation_s
        self.retain_s = retain_s
        self.realm = realm
        self._clock = clock
        self._keys: list[SigningKey] = []
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()

    issuer = None  # the verifier takes the issuer from its settings

    def current(self) -> SigningKey:
        """The key to sign with now, rotating first when the newest is due."""
        now = self._clock()
        with self._lock:
            keys = self._ring(now)
            newest = keys[-1] if keys else None
            if newest is None or now - newest.created_at >= self.rotation_s:
                keys = self._rotate(newest, now)
            return keys[-1]

    def rotate(self) -> SigningKey:
        """Make a new signing key now (the previous one stays published for `retain_s`)."""
        now = self._clock()
        with self._lock:
            keys = self._ring(now, force=True)
            return self._rotate(keys[-1] if keys else None, now)[-1]

    def jwks(self) -> dict[str, Any]:
        """The public keys, for `jwks_uri` (the signing key is made first if there is none)."""
        self.current()
        now = self._clock()
        with self._lock:
            keys = self._ring(now)
        return {"keys": [key.public_jwk for key in keys]}

    def key_for(self, kid: str | None, alg: str) -> Any:
        """The public key for a token's `kid` and `alg` (JwtVerifier's key-set interface)."""
        now = self._clock()
        with self._lock:
            key = self._find(self._ring(now), kid, alg)
            if key is None and now - self._loaded_at > 1.0:
                # Another process may have rotated: read the store once more.
                key = self._find(self._ring(now, force=True), kid, alg)
        if key is None:
            raise unauthorized(
                "The token is signed with a key this server does not know.", realm=self.realm
            )
        return key.public_key

    @staticmethod
    def _find(keys: list[SigningKey], kid: str | None, alg: str) -> SigningKey | None:
        return next((k for k in keys if k.kid == kid and k.alg == alg), None)

    def _ring(self, now: float, *, force: bool = False) -> list[SigningKey]:
        if force or now - self._loaded_at > _RELOAD_S:
            records = sorted(self.store.values(KIND), key=lambda r: (r["created_at"], r["kid"]))
            known = {k.kid: k for k in self._keys}
            self._keys = [known.get(r["kid"]) or _load(r) for r in records]
            self._loaded_at = now
            self._retire(now)
        return self._keys

    def _rotate(self, newest: SigningKey | None, now: float) -> list[SigningKey]:
        after = newest.kid if newest is not None else GENESIS
        self.store.add(KIND, after, new_key(self.algorithm, after=after, now=now))
        # Whether this process's key won or another's, the store now has the successor.
        return self._ring(now, force=True)

    def _retire(self, now: float) -> None:
        kept = []
        for older, newer in itertools.pairwise(self._keys):
            if now - newer.created_at > self.retain_s:
                # Every token `older` signed has expired: stop publishing it.
                self.store.delete(KIND, older.after)
            else:
                kept.append(older)
        self._keys = [*kept, *self._keys[-1:]]
