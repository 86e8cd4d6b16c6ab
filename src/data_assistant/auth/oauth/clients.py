"""OAuth clients: what one may do, the rules for its redirect URIs, and where clients live.

A redirect URI is compared as an exact string with a registered one, never as a prefix or
after normalising, so `https://app.example/cb/../x`, `https://app.example/cb?x`,
`https://app.example@evil.example/cb` and their encoded forms all fail. The one exception
is RFC 8252 §7.3: a native app's loopback address (`http://127.0.0.1` or `http://[::1]`) may
use any port. Registered URIs are https, http on loopback, or a native app's private-use
scheme (one with a dot, RFC 8252 §7.1); none has a fragment or user information.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin

from data_assistant.auth.apikeys import hash_api_key
from data_assistant.auth.oauth.store import Store
from data_assistant.settings.oauth import is_loopback

KIND = "client"
PUBLIC = "none"
SECRET_METHODS = ("client_secret_basic", "client_secret_post")
GRANT_TYPES = ("authorization_code", "refresh_token")
MAX_REDIRECT_URIS = 20
MAX_URI_LENGTH = 2000
_CLIENT_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_LOOPBACK_REDIRECT = re.compile(r"http://(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?(/[^#]*)?")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")


@dataclass(frozen=True)
class Client(ClientMixin):
    """A registered (or metadata-document) client, as Authlib's ClientMixin."""

    client_id: str
    name: str
    redirect_uris: tuple[str, ...]
    confidential: bool = False
    secret_hash: str | None = None
    scope: str | None = None
    origin: str = "cli"  # cli | registration | document
    created_at: float = field(default_factory=time.time)

    def to_record(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "name": self.name,
            "redirect_uris": list(self.redirect_uris),
            "confidential": self.confidential,
            "secret_hash": self.secret_hash,
            "scope": self.scope,
            "origin": self.origin,
            "created_at": self.created_at,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Client:
        return cls(**{**record, "redirect_uris": tuple(record["redirect_uris"])})

    @property
    def auth_methods(self) -> tuple[str, ...]:
        """Token endpoint authentication methods this client uses."""
        return SECRET_METHODS if self.confidential else (PUBLIC,)

    # --- Authlib's ClientMixin ------------------------------------------------------------

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        # OAuth 2.1: with several registered URIs the request must name one.
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = self.scope.split() if self.scope else None
        wanted = (scope or "").split() or (allowed or [])
        return " ".join(s for s in wanted if allowed is None or s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return any(redirect_matches(r, redirect_uri) for r in self.redirect_uris)

    def check_client_secret(self, client_secret: str) -> bool:
        if not self.confidential or not self.secret_hash or not client_secret:
            return False
        return hmac.compare_digest(hash_api_key(client_secret), self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in self.auth_methods

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


def redirect_matches(registered: str, requested: str) -> bool:
    """Exact match, or the same loopback URI on another port (RFC 8252 §7.3)."""
    if hmac.compare_digest(registered.encode(), requested.encode()):
        return True
    mine, theirs = _LOOPBACK_REDIRECT.fullmatch(registered), _LOOPBACK_REDIRECT.fullmatch(requested)
    if not mine or not theirs:
        return False
    return mine.group(1) == theirs.group(1) and (mine.group(3) or "") == (theirs.group(3) or "")


def check_redirect_uri(uri: str) -> str:
    """`uri` if it may be registered; ValueError saying why not."""
    if not isinstance(uri, str) or not uri or len(uri) > MAX_URI_LENGTH:
        raise ValueError("a redirect URI must be a URL of at most 2000 characters")
    if any(c.isspace() or ord(c) < 0x21 or c in "\\*" for c in uri):
        raise ValueError(f"redirect URI {uri!r} has spaces, backslashes or wildcards")
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise ValueError(f"redirect URI {uri!r} is not a valid URL") from None
    if parts.fragment or "#" in uri:
        raise ValueError(f"redirect URI {uri!r} must not have a fragment")
    if "@" in parts.netloc:
        raise ValueError(f"redirect URI {uri!r} must not have user information")
    scheme = parts.scheme
    if scheme == "https":
        if not parts.hostname:
            raise ValueError(f"redirect URI {uri!r} has no host")
        return uri
    if scheme == "http":
        if not is_loopback(parts.hostname or ""):
            raise ValueError(f"redirect URI {uri!r} must be https (http only on loopback)")
        return uri
    if _SCHEME.fullmatch(scheme) and "." in scheme:
        # A native app's private-use scheme in reverse-domain form (com.example.app:/cb).
        return uri
    raise ValueError(f"redirect URI {uri!r} must be https, loopback http or an app's scheme")


def check_client_name(name: str) -> str:
    """A client name usable as its id (`oauth client add NAME`)."""
    if not _CLIENT_NAME.fullmatch(name or ""):
        raise ValueError("a client name must be 1-64 letters, digits, _ . or -")
    return name


def gpt_callbacks(gpt_id: str) -> list[str]:
    """Both callback forms of a GPT (`g-...`): chatgpt.com and chat.openai.com."""
    if not re.fullmatch(r"g-[A-Za-z0-9]{1,64}", gpt_id):
        raise ValueError("a GPT id looks like g-XXXXXXXX (from the GPT editor's address)")
    return [
        f"https://chatgpt.com/aip/{gpt_id}/oauth/callback",
        f"https://chat.openai.com/aip/{gpt_id}/oauth/callback",
    ]


def new_client_secret() -> str:
    """A fresh client secret (256 bits)."""
    return secrets.token_urlsafe(32)


class ClientStore:
    """Clients registered by the CLI or by dynamic registration, in the state store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, client_id: str) -> Client | None:
        record = self.store.get(KIND, _key(client_id))
        return Client.from_record(record) if record else None

    def create(
        self,
        *,
        client_id: str,
        name: str,
        redirect_uris: Iterable[str],
        confidential: bool,
        scope: str | None = None,
        origin: str = "cli",
        secret: str | None = None,
    ) -> tuple[Client, str | None]:
        """Register a client; its secret (shown once, stored hashed) when confidential."""
        uris = tuple(check_redirect_uri(u) for u in redirect_uris)
        if not uris or len(uris) > MAX_REDIRECT_URIS:
            raise ValueError(f"give between 1 and {MAX_REDIRECT_URIS} redirect URIs")
        secret = (secret or new_client_secret()) if confidential else None
        client = Client(
            client_id=client_id,
            name=name,
            redirect_uris=uris,
            confidential=confidential,
            secret_hash=hash_api_key(secret) if secret else None,
            scope=scope,
            origin=origin,
        )
        if not self.store.add(KIND, _key(client_id), client.to_record()):
            raise ValueError(f"a client {client_id!r} already exists; remove it first")
        return client, secret

    def remove(self, client_id: str) -> bool:
        if self.get(client_id) is None:
            return False
        self.store.delete(KIND, _key(client_id))
        return True

    def all(self) -> list[Client]:
        return [Client.from_record(r) for r in self.store.values(KIND)]


def _key(client_id: str) -> str:
    # Client ids from registration are ours; those from the CLI are names. Hashing keeps
    # any id a fixed-size key without characters a store treats specially.
    return hashlib.sha256(client_id.encode()).hexdigest()
