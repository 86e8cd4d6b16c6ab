"""The OAuth runtime of one app: built once from the settings, kept on `app.state.oauth`.

It decides the URLs (issuer and resources come from `base_url`), opens the store, and
builds the verifier of each protected resource: the built-in server's own keys, or the
delegated issuer's JWKS through the project's JwtVerifier.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from data_assistant.auth.authenticator import auth_settings
from data_assistant.auth.jwks import JwksCache
from data_assistant.auth.oauth.issuance import LEEWAY_S, TokenIssuer
from data_assistant.auth.oauth.keys import SigningKeys
from data_assistant.auth.oauth.metadata import (
    AUTHORIZE_PATH,
    JWKS_PATH,
    TOKEN_PATH,
    authorization_server_metadata,
    protected_resource_metadata,
)
from data_assistant.auth.oauth.resource import ProtectedResource
from data_assistant.auth.oauth.server import BuiltinAuthorizationServer
from data_assistant.auth.oauth.store import SqliteStore, Store
from data_assistant.auth.tokens import JwtVerifier
from data_assistant.errors import ConfigError
from data_assistant.settings import JwtSettings, require_https_or_loopback
from data_assistant.settings.oauth import OAuthSettings, StoreSettings

MCP_PATH = "/mcp"
SURFACES = ("api", "mcp")
STORE_FILE = "oauth.sqlite3"
_BUILTIN_ALGORITHMS = ["RS256", "ES256"]


def public_base(settings: Any) -> str:
    """This server's public origin, checked: https (or http on loopback), no path."""
    base = getattr(settings, "public_url", None)
    if not isinstance(base, str):
        raise ConfigError("auth.mode oauth needs the whole settings (base_url)")
    try:
        require_https_or_loopback(base)
    except ValueError as exc:
        raise ConfigError(
            f"base_url: with OAuth it {exc}; set it to the address clients reach this server at"
        ) from None
    parts = urlsplit(base)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError("base_url: with OAuth it must be an origin, without a path")
    return f"{parts.scheme}://{parts.netloc}"


def open_store(settings: StoreSettings, data_dir: Path, app_settings: Any = None) -> Store:
    """The configured store: Redis when the store's `redis_url` is set (or, without a
    `path` of its own, the top-level `redis_url`), else a SQLite file."""
    url, prefix = settings.redis_url, settings.key_prefix or "data-assistant:oauth:"
    if hasattr(app_settings, "shared_redis"):
        url, prefix = app_settings.shared_redis("oauth", url, settings.key_prefix)
        if settings.path is not None and settings.redis_url is None:
            url = None
    if url:
        from data_assistant.auth.oauth.redis_store import RedisStore

        return RedisStore(url, prefix=prefix)
    return SqliteStore(settings.path or Path(data_dir) / STORE_FILE)


class OAuthRuntime:
    """Everything OAuth for one app: URLs, store, keys, server and protected resources."""

    def __init__(self, settings: Any, *, store: Store | None = None) -> None:
        auth = auth_settings(settings)
        if auth.oauth is None:
            raise ConfigError("auth.oauth: mode oauth needs an oauth section")
        self.auth = auth
        self.settings: OAuthSettings = auth.oauth
        self.base = public_base(settings)
        self.builtin = self.settings.server == "builtin"
        self.resources = {"api": self.base, "mcp": self.base + MCP_PATH}
        self.issuer = self.base if self.builtin else str(self.settings.issuer)
        self.store: Store | None = None
        self.keys: SigningKeys | None = None
        self.server: BuiltinAuthorizationServer | None = None
        self.metadata: dict[str, Any] | None = None
        issuer_for_revocations: TokenIssuer | None = None
        if self.builtin:
            built = self.settings.builtin
            self.store = store or open_store(
                built.store, getattr(settings, "data_dir", Path("data")), settings
            )
            self.keys = SigningKeys(
                self.store,
                algorithm=built.signing_algorithm,
                rotation_s=built.key_rotation_days * 86_400,
                retain_s=built.access_token_ttl_s + LEEWAY_S,
                realm=auth.realm,
            )
            tokens = TokenIssuer(
                keys=self.keys,
                store=self.store,
                issuer=self.issuer,
                builtin=built,
                auth=auth,
                sources=getattr(settings, "sources", {}),
            )
            issuer_for_revocations = tokens
            self.metadata = authorization_server_metadata(
                self.issuer,
                scopes=self.settings.scopes,
                signing_algorithm=built.signing_algorithm,
                registration=built.dynamic_registration,
                client_documents=built.client_metadata_documents.enabled,
            )
            self.server = BuiltinAuthorizationServer(
                issuer_url=self.issuer,
                settings=built,
                store=self.store,
                issuer=tokens,
                scopes=self.settings.scopes,
                resources=[self.base, self.base + "/", self.resources["mcp"]],
                metadata=self.metadata,
            )
        self._resources = {
            surface: self._protected(surface, issuer_for_revocations) for surface in SURFACES
        }

    def resource(self, surface: str) -> ProtectedResource:
        """The protected resource of a surface: "api" or "mcp"."""
        return self._resources[surface]

    @property
    def authorization_endpoint(self) -> str:
        """Where users sign in: the built-in page, or the configured `client_url`."""
        return self.settings.client_url or self.issuer + AUTHORIZE_PATH

    @property
    def token_endpoint(self) -> str:
        return self.settings.authorization_url or self.issuer + TOKEN_PATH

    def _protected(self, surface: str, revocations: TokenIssuer | None) -> ProtectedResource:
        resource = self.resources[surface]
        if self.builtin:
            audience = [resource, resource + "/"]
            jwt_settings = JwtSettings(
                jwks_url=self.issuer + JWKS_PATH,
                issuer=self.issuer,
                audience=audience,
                algorithms=_BUILTIN_ALGORITHMS,
                require_claims=["exp", "iat", "sub", "jti"],
            )
            verifier = JwtVerifier(jwt_settings, realm=self.auth.realm, jwks=self.keys)
        else:
            verifier = self._delegated_verifier(resource)
        name = "Data Assistant API" if surface == "api" else "Data Assistant MCP"
        metadata = protected_resource_metadata(
            resource,
            authorization_servers=[self.issuer],
            scopes=self.settings.scopes,
            name=name,
        )
        return ProtectedResource(
            resource=resource,
            auth=self.auth,
            verifier=verifier,
            metadata=metadata,
            required_scopes=[self.auth.required_scope],
            scope=self.settings.scope,
            revocations=revocations,
        )

    def _delegated_verifier(self, resource: str) -> JwtVerifier:
        oauth = self.settings
        issuer = str(oauth.issuer)
        key_source = (
            {"jwks_url": oauth.jwks_url}
            if oauth.jwks_url
            else {"oidc_discovery_url": issuer.rstrip("/") + "/.well-known/openid-configuration"}
        )
        try:
            jwt_settings = JwtSettings.model_validate(
                {**key_source, "issuer": issuer, "audience": oauth.audience or [resource]}
            )
        except ValueError as exc:
            raise ConfigError(f"auth.oauth: {exc}") from None
        if getattr(self, "_jwks", None) is None:
            # One key set for both surfaces: the issuer's keys are fetched once.
            self._jwks = JwksCache(
                jwks_url=jwt_settings.jwks_url,
                discovery_url=jwt_settings.oidc_discovery_url,
                realm=self.auth.realm,
            )
        return JwtVerifier(jwt_settings, realm=self.auth.realm, jwks=self._jwks)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
