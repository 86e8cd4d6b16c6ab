"""Authlib's authorization server, fitted to Starlette: requests in, (status, body, headers) out.

Starlette reads bodies asynchronously and Authlib works synchronously, so a route reads
the form (or JSON) first and hands over an `HttpRequest` built from it. The URI Authlib sees
is built from the issuer, not from the request's Host header.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import JsonPayload, JsonRequest, OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7591 import ClientRegistrationEndpoint
from authlib.oauth2.rfc7591.errors import InvalidClientMetadataError, InvalidRedirectURIError
from authlib.oauth2.rfc9207 import IssuerParameter

from data_assistant.auth.oauth.client_documents import ClientDocuments, looks_like_document_id
from data_assistant.auth.oauth.clients import (
    Client,
    ClientStore,
    check_redirect_uri,
    new_client_secret,
)
from data_assistant.auth.oauth.grants import AuthorizationCodeGrant, PkceS256, RefreshTokenGrant
from data_assistant.auth.oauth.issuance import SignedInUser, TokenIssuer
from data_assistant.auth.oauth.store import Store
from data_assistant.settings.oauth import BuiltinServerSettings


@dataclass
class Reply:
    """An Authlib answer: status, body (dict or text) and headers; `location` for redirects."""

    status: int
    body: Any
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def location(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "location"), None)

    @location.setter
    def location(self, value: str) -> None:
        self.headers = [(k, v) for k, v in self.headers if k.lower() != "location"]
        self.headers.append(("Location", value))


class _Payload(OAuth2Payload):
    def __init__(self, params: Mapping[str, list[str]]) -> None:
        self._datalist = defaultdict(list, {k: list(v) for k, v in params.items()})
        self._data = {k: v[0] for k, v in params.items() if v}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list]:
        return self._datalist


class HttpRequest(OAuth2Request):
    """An OAuth request built from parameters a route has already read."""

    def __init__(
        self,
        method: str,
        uri: str,
        headers: Mapping[str, str],
        query: Mapping[str, list[str]],
        form: Mapping[str, list[str]] | None = None,
    ) -> None:
        # Starlette's Headers: Authlib looks up "Authorization", the mapping is case-blind.
        super().__init__(method=method, uri=uri, headers=headers)
        merged: dict[str, list[str]] = {k: list(v) for k, v in query.items()}
        for key, values in (form or {}).items():
            merged.setdefault(key, []).extend(values)
        self.payload = _Payload(merged)
        self._args = {k: v[0] for k, v in query.items() if v}
        self._form = {k: v[0] for k, v in (form or {}).items() if v}

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _Json(JsonPayload):
    def __init__(self, data: Any) -> None:
        self._data = data

    @property
    def data(self) -> Any:
        return self._data


class HttpJsonRequest(JsonRequest):
    """A JSON request (client registration) built from an already-parsed body."""

    def __init__(self, method: str, uri: str, headers: Mapping[str, str], data: Any) -> None:
        super().__init__(method, uri, headers)
        self.payload = _Json(data)


class _Issuer(IssuerParameter):
    def __init__(self, issuer: str) -> None:
        self.issuer = issuer

    def get_issuer(self) -> str:
        return self.issuer


class Revocation(RevocationEndpoint):
    """RFC 7009: a refresh token revokes its grant's family; an access token its `jti`."""

    CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")
    SUPPORTED_TOKEN_TYPES = ("access_token", "refresh_token")

    def query_token(self, token_string: str, token_type_hint: str | None) -> Any:
        server: BuiltinAuthorizationServer = self.server
        if token_string.count(".") == 2:
            claims = server.read_own_access_token(token_string)
            return _Revocable("access", claims) if claims else None
        record = server.issuer.find_refresh_token(token_string)
        return _Revocable("refresh", record) if record else None

    def revoke_token(self, token: _Revocable, request: Any) -> None:
        issuer = self.server.issuer
        if token.kind == "access":
            issuer.revoke_access_token(token.data["jti"], float(token.data["exp"]))
            return
        issuer.revoke_family(token.data["family"])


@dataclass(frozen=True)
class _Revocable:
    kind: str
    data: dict[str, Any]

    def check_client(self, client: Any) -> bool:
        return client.get_client_id() == self.data.get("client_id")


class Registration(ClientRegistrationEndpoint):
    """RFC 7591 dynamic registration, open to anyone (turn it off with the setting)."""

    def authenticate_token(self, request: Any) -> bool:
        # Open registration: the consent page names the client and where it sends the user.
        return True

    def get_server_metadata(self) -> dict[str, Any]:
        return self.server.metadata

    def generate_client_id(self, request: Any) -> str:
        return "dyn-" + secrets.token_urlsafe(18)

    def generate_client_info(self, request: Any) -> dict[str, Any]:
        info = super().generate_client_info(request)
        if request.payload.data.get("token_endpoint_auth_method") == "none":
            # A public client gets no secret at all.
            info.pop("client_secret", None)
            info.pop("client_secret_expires_at", None)
        else:
            info["client_secret"] = new_client_secret()
        return info

    def save_client(
        self, client_info: dict[str, Any], client_metadata: dict[str, Any], request: Any
    ) -> Client:
        uris = client_metadata.get("redirect_uris") or []
        if not uris:
            raise InvalidRedirectURIError("Register at least one redirect URI.")
        try:
            for uri in uris:
                check_redirect_uri(uri)
        except ValueError as exc:
            raise InvalidRedirectURIError(_ascii(str(exc))) from None
        method = client_metadata.get("token_endpoint_auth_method", "client_secret_basic")
        name = str(client_metadata.get("client_name") or client_info["client_id"])[:100]
        try:
            client, _ = self.server.clients.create(
                client_id=client_info["client_id"],
                name=name,
                redirect_uris=uris,
                confidential=method != "none",
                scope=client_metadata.get("scope"),
                origin="registration",
                secret=client_info.get("client_secret"),
            )
        except ValueError as exc:
            raise InvalidClientMetadataError(_ascii(str(exc))) from None
        return client


class BuiltinAuthorizationServer(AuthorizationServer):
    """The Authlib server with this project's store, clients, users and token issuer."""

    def __init__(
        self,
        *,
        issuer_url: str,
        settings: BuiltinServerSettings,
        store: Store,
        issuer: TokenIssuer,
        scopes: list[str],
        resources: list[str],
        metadata: dict[str, Any],
    ) -> None:
        super().__init__(scopes_supported=scopes)
        self.issuer_url = issuer_url
        self.settings = settings
        self.store = store
        self.issuer = issuer
        self.resources = resources
        self.default_resource = resources[0]
        self.metadata = metadata
        self.clients = ClientStore(store)
        self.documents = ClientDocuments(settings.client_metadata_documents)
        self.register_grant(AuthorizationCodeGrant, [PkceS256(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(Revocation)
        if settings.dynamic_registration:
            self.register_endpoint(Registration)
        self.register_extension(_Issuer(issuer_url))

    # --- Authlib's hooks --------------------------------------------------------------------

    def query_client(self, client_id: str) -> Client | None:
        if not client_id or len(client_id) > 2048:
            return None
        if looks_like_document_id(client_id):
            return self.documents.client(client_id)
        return self.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        """Nothing to do: the issuer stores refresh tokens as it makes them."""

    def create_oauth2_request(self, request: Any) -> Any:
        return request

    def create_json_request(self, request: Any) -> Any:
        return request

    def handle_response(self, status: int, body: Any, headers: list) -> Reply:
        return Reply(status, body, [(str(k), str(v)) for k, v in headers])

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signals are listened to."""

    # --- this project's ---------------------------------------------------------------------

    def user(self, name: str) -> SignedInUser | None:
        """A configured user by name (users live in the config, not the store)."""
        entry = self.settings.users.get(name)
        return SignedInUser(name, entry) if entry is not None else None

    def read_own_access_token(self, token: str) -> dict[str, Any] | None:
        """The claims of a token this server signed, expired or not; None otherwise."""
        import jwt

        try:
            header = jwt.get_unverified_header(token)
            key = self.issuer.keys.key_for(header.get("kid"), header.get("alg", ""))
            claims = jwt.decode(
                token,
                key,
                algorithms=[header.get("alg", "")],
                issuer=self.issuer_url,
                options={"verify_exp": False, "verify_aud": False},
            )
        except Exception:  # any token that is not ours is simply not found (RFC 7009 §2.2)
            return None
        return claims if isinstance(claims, dict) and "jti" in claims else None


def json_body(raw: bytes) -> Any:
    """A registration body; InvalidRequestError when it is not a JSON object."""
    try:
        data = json.loads(raw or b"null")
    except ValueError:
        raise InvalidRequestError("The body must be a JSON object.") from None
    if not isinstance(data, dict):
        raise InvalidRequestError("The body must be a JSON object.")
    return data


def _ascii(text: str) -> str:
    return "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else "?" for c in text)[:300]
