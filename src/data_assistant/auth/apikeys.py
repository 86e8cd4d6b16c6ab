"""API keys (the manifest's `service_http`): stored hashed, compared in constant time.

A stored hash is `sha256:<hex>` (enough for the long random keys `new_api_key` makes),
`pbkdf2_sha256:<iterations>:<salt>:<hex>` or `scrypt:<n>:<r>:<p>:<salt>:<hex>` for keys
chosen by people. Every entry is compared on every request, with no early exit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Sequence

from data_assistant.settings import ApiKeyEntry

MAX_KEY_LENGTH = 512
KEY_PREFIX = "da_"
PBKDF2_ITERATIONS = 600_000
SCRYPT_PARAMS = (2**14, 8, 1)
_CACHE_SIZE = 1024


def new_api_key() -> str:
    """A fresh random key to hand to a client (256 bits)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str, scheme: str = "sha256", *, salt: bytes | None = None) -> str:
    """The stored form of `key` for the config file."""
    if scheme == "sha256":
        return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    salt = salt if salt is not None else secrets.token_bytes(16)
    if scheme == "pbkdf2_sha256":
        digest = hashlib.pbkdf2_hmac("sha256", key.encode(), salt, PBKDF2_ITERATIONS)
        return f"pbkdf2_sha256:{PBKDF2_ITERATIONS}:{salt.hex()}:{digest.hex()}"
    if scheme == "scrypt":
        n, r, p = SCRYPT_PARAMS
        digest = hashlib.scrypt(key.encode(), salt=salt, n=n, r=r, p=p)
        return f"scrypt:{n}:{r}:{p}:{salt.hex()}:{digest.hex()}"
    raise ValueError(f"unknown hash scheme {scheme!r}; use sha256, pbkdf2_sha256 or scrypt")


class ApiKeyVerifier:
    """Finds the entry whose hash matches a presented key."""

    def __init__(self, entries: Sequence[ApiKeyEntry]) -> None:
        self.entries = list(entries)
        self._parsed = [_parse(entry.hash) for entry in self.entries]
        # Slow hashes cost tens of milliseconds; a key that matched once is remembered by
        # its SHA-256, never in plain text.
        self._recent: OrderedDict[bytes, int] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, key: str) -> ApiKeyEntry | None:
        """The matching entry, or None."""
        if not key or len(key) > MAX_KEY_LENGTH:
            return None
        raw = key.encode()
        fingerprint = hashlib.sha256(raw).digest()
        with self._lock:
            cached = self._recent.get(fingerprint)
            if cached is not None:
                self._recent.move_to_end(fingerprint)
                return self.entries[cached]
        found: int | None = None
        for index, (scheme, params, expected) in enumerate(self._parsed):
            if scheme == "sha256":
                candidate = fingerprint
            elif scheme == "pbkdf2_sha256":
                iterations, salt = params
                candidate = hashlib.pbkdf2_hmac("sha256", raw, salt, iterations)
            else:
                n, r, p, salt = params
                candidate = hashlib.scrypt(raw, salt=salt, n=n, r=r, p=p, dklen=len(expected))
            # No early exit: the time taken does not tell which entry matched.
            if hmac.compare_digest(candidate, expected) and found is None:
                found = index
        if found is None:
            return None
        if self._parsed[found][0] != "sha256":
            with self._lock:
                self._recent[fingerprint] = found
                if len(self._recent) > _CACHE_SIZE:
                    self._recent.popitem(last=False)
        return self.entries[found]


def _parse(stored: str) -> tuple[str, tuple, bytes]:
    scheme, _, rest = stored.partition(":")
    parts = rest.split(":")
    try:
        if scheme == "sha256" and len(parts) == 1:
            return scheme, (), _digest(parts[0], 32)
        if scheme == "pbkdf2_sha256" and len(parts) == 3:
            return scheme, (int(parts[0]), bytes.fromhex(parts[1])), _digest(parts[2])
        if scheme == "scrypt" and len(parts) == 5:
            n, r, p = (int(v) for v in parts[:3])
            return scheme, (n, r, p, bytes.fromhex(parts[3])), _digest(parts[4])
    except ValueError:
        pass
    # Only the scheme is shown: the rest of the hash is as good as a secret to a guesser.
    raise ValueError(f"API key hash of scheme {scheme!r} is malformed")


def _digest(text: str, length: int | None = None) -> bytes:
    value = bytes.fromhex(text)
    if (length is not None and len(value) != length) or len(value) < 16:
        raise ValueError("wrong digest length")
    return value
