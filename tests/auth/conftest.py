"""Fixtures for auth tests: signing keys, a JWKS/OIDC server on loopback, a tiny app,
and real PostgreSQL and Redis servers (skipped when absent unless servers are required)."""

from __future__ import annotations

import functools
import json
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from data_assistant.api.problems import install_problem_handlers
from data_assistant.auth import (
    Principal,
    authorize,
    current_principal,
    install_auth,
)
from data_assistant.settings import AuthSettings
from tests.conftest import LOCAL

ISSUER = "https://login.example.test/tenant/v2.0"
AUDIENCE = "api://data-assistant"
SECRET = "s" * 40
REQUIRE_SERVERS = os.environ.get("DATA_ASSISTANT_REQUIRE_SERVERS") == "1"
# The same override as tests/servers.py: an admin URL to an existing database.
PG_URL = os.environ.get(
    "DATA_ASSISTANT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = "redis://127.0.0.1:6379/0"


def unavailable(what: str, exc: BaseException) -> None:
    """Skip (or fail when servers are required) because a test server is missing."""
    first_line = (str(exc).strip().splitlines() or [""])[0]
    message = f"{what} is not reachable ({type(exc).__name__}: {first_line})"
    if REQUIRE_SERVERS:
        pytest.fail(message + " and DATA_ASSISTANT_REQUIRE_SERVERS=1")
    pytest.skip(message)


# --- keys -----------------------------------------------------------------------------------


@dataclass
class SigningKey:
    """A private key with its kid and algorithm, and its public JWK."""

    kid: str
    alg: str
    private: Any

    @property
    def jwk(self) -> dict[str, Any]:
        return json.loads(_public_jwk(self))

    def sign(self, claims: dict[str, Any], **headers: Any) -> str:
        return jwt.encode(
            claims, self.private, algorithm=self.alg, headers={"kid": self.kid, **headers}
        )


def _public_jwk(key: SigningKey) -> str:
    algorithm = jwt.get_algorithm_by_name(key.alg)
    data = json.loads(algorithm.to_jwk(key.private.public_key()))
    data.update(kid=key.kid, use="sig", alg=key.alg)
    return json.dumps(data)


@functools.cache
def rsa_key(kid: str = "rsa-1") -> SigningKey:
    """An RSA key per kid, made once per session (key generation is slow)."""
    return SigningKey(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="session")
def rsa_signer() -> SigningKey:
    return rsa_key("rsa-1")


@pytest.fixture(scope="session")
def ec_signer() -> SigningKey:
    return SigningKey("ec-1", "ES256", ec.generate_private_key(ec.SECP256R1()))


@pytest.fixture(scope="session")
def ed_signer() -> SigningKey:
    return SigningKey("ed-1", "EdDSA", ed25519.Ed25519PrivateKey.generate())


# --- JWKS / OIDC server -----------------------------------------------------------------------


@dataclass
class IdentityProvider:
    """What the loopback identity provider serves, and the requests it saw."""

    keys: list[SigningKey] = field(default_factory=list)
    url: str = ""
    jwks_requests: int = 0
    discovery_requests: int = 0
    status: int = 200

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/keys"

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"


def _idp_handler(idp: IdentityProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/keys":
                idp.jwks_requests += 1
                body: dict[str, Any] = {"keys": [k.jwk for k in idp.keys]}
            elif self.path == "/.well-known/openid-configuration":
                idp.discovery_requests += 1
                body = {"issuer": ISSUER, "jwks_uri": idp.jwks_url}
            else:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            self.send_response(idp.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture
def idp(rsa_signer: SigningKey, ec_signer: SigningKey, ed_signer: SigningKey) -> Iterator:
    """An identity provider on 127.0.0.1 serving a JWKS and an OIDC discovery document."""
    provider = IdentityProvider(keys=[rsa_signer, ec_signer, ed_signer])
    server = ThreadingHTTPServer(("127.0.0.1", 0), _idp_handler(provider))
    server.daemon_threads = True
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield provider
    server.shutdown()
    server.server_close()


def jwks_auth(idp: IdentityProvider, **jwt_overrides: Any) -> AuthSettings:
    jwt_settings = {
        "jwks_url": idp.jwks_url,
        "issuer": ISSUER,
        "audience": AUDIENCE,
        **jwt_overrides,
    }
    return AuthSettings(mode="jwt", jwt=jwt_settings)


# --- a tiny app using the dependency ----------------------------------------------------------


def tiny_app(auth: AuthSettings, *, sources: tuple[str, ...] = ("sales", "hr")) -> TestClient:
    """An app with the project's problem handlers and one protected route."""
    app = FastAPI()
    install_problem_handlers(app)
    install_auth(app, auth)

    @app.get("/whoami")
    def whoami(principal: Principal = Depends(current_principal)) -> dict[str, Any]:
        return {
            "subject": principal.subject,
            "sources": sorted(principal.sources) if principal.sources is not None else None,
            "scopes": sorted(principal.scopes) if principal.scopes is not None else None,
        }

    @app.post("/query/{source}")
    def query(source: str, principal: Principal = Depends(current_principal)) -> dict[str, str]:
        authorize(principal, source, configured=sources, realm=auth.realm)
        return {"source": source}

    return TestClient(app, base_url=LOCAL, raise_server_exceptions=False)


def claims(**overrides: Any) -> dict[str, Any]:
    """Valid claims for the JWKS issuer; override or drop (value None) any of them."""
    import time

    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "alice",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "scp": "read:data",
        "databases": ["sales"],
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


# --- servers ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[tuple[str, str]]:
    """Two fresh PostgreSQL databases (`full`, `only`), dropped afterwards."""
    import sqlalchemy as sa

    try:
        admin = sa.create_engine(
            PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:
        unavailable("PostgreSQL at 127.0.0.1:5432", exc)
    base = f"da_auth_{secrets.token_hex(4)}"
    names = (f"{base}_full", f"{base}_only")
    with admin.connect() as conn:
        for name in names:
            # A name the test made itself from hex digits; CREATE DATABASE takes no binds.
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = sa.make_url(PG_URL)
        yield tuple(url.set(database=n).render_as_string(hide_password=False) for n in names)
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def redis_client() -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable("Redis at 127.0.0.1:6379", exc)
    yield client
    client.close()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def policy_db(request, tmp_path_factory) -> Iterator:
    """The multi-tenant database on SQLite and on PostgreSQL, full and filtered."""
    import sqlalchemy as sa

    from tests.auth.policy_db import Database, load

    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("policy")
        engines = [sa.create_engine(f"sqlite:///{folder / name}.db") for name in ("full", "only")]
        schema = "main"
    else:
        full, only = request.getfixturevalue("pg_databases")
        engines = [sa.create_engine(full), sa.create_engine(only)]
        schema = "public"
    load(engines[0], filtered=False)
    load(engines[1], filtered=True)
    db = Database(request.param, schema, *engines)
    yield db
    db.dispose()
