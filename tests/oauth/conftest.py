"""Fixtures for the OAuth tests: a shop database, settings with the built-in server, the app
served by uvicorn on loopback, and a small OAuth client that drives the sign-in over HTTP."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from data_assistant.settings import Settings, load_settings

# Fixtures shared with the auth tests: the real Redis, and a loopback identity provider.
from tests.auth.conftest import (  # noqa: F401
    ec_signer,
    ed_signer,
    idp,
    redis_client,
    rsa_signer,
)
from tests.conftest import llm_env

# Cheap argon2 parameters for test users: the hash format and the check are the real ones.
_FAST = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
PASSWORDS = {"alice": "alice-password-1", "bob": "bob-password-2", "nobody": "nobody-pw-3"}
CALLBACK = "http://127.0.0.1:9/callback"


def fast_hash(password: str) -> str:
    return _FAST.hash(password)


def users() -> dict[str, Any]:
    """alice may read `shop` in EMEA; bob every source; nobody may grant no scope."""
    return {
        "alice": {
            "password_hash": fast_hash(PASSWORDS["alice"]),
            "databases": ["shop"],
            "claims": {"region": "EMEA"},
        },
        "bob": {"password_hash": fast_hash(PASSWORDS["bob"]), "databases": ["*"]},
        "nobody": {
            "password_hash": fast_hash(PASSWORDS["nobody"]),
            "databases": ["shop"],
            "scopes": [],
        },
    }


def free_socket() -> socket.socket:
    """A listening socket on a free loopback port (handed to uvicorn, so no race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def oauth_settings(
    base_url: str,
    data_dir: Path,
    shop_db: Path,
    llm_url_env: dict[str, str],
    **builtin: Any,
) -> Settings:
    """Settings serving the shop database with the built-in OAuth server."""
    settings = load_settings(None, dbs=[f"sqlite:///{shop_db}"], environ=llm_url_env)
    return settings.merged(
        {
            "base_url": base_url,
            "data_dir": str(data_dir),
            "translator": {"max_retries": 0},
            "sources": {"shop": {"denied_tables": ["secrets"]}},
            "auth": {"mode": "oauth", "oauth": {"builtin": {"users": users(), **builtin}}},
        }
    )


@dataclass
class Live:
    """An app served on loopback by uvicorn."""

    url: str
    app: Any
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.state.assistant.close()


def serve(settings: Settings, sock: socket.socket) -> Live:
    """Start the app for `settings` on `sock`; returns once it accepts connections."""
    from data_assistant.app import create_app

    app = create_app(settings)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    host, port = sock.getsockname()
    url = f"http://{host}:{port}"
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    assert server.started, "uvicorn did not start"
    return Live(url, app, server, thread)


@pytest.fixture
def make_live(tmp_path, shop_db, llm) -> Iterator:
    """Start apps with the built-in server; `make_live(**builtin)` -> Live."""
    started: list[Live] = []

    def start(*, sock: socket.socket | None = None, base_url: str | None = None, **builtin):
        sock = sock or free_socket()
        host, port = sock.getsockname()
        url = base_url or f"http://{host}:{port}"
        settings = oauth_settings(url, tmp_path / "data", shop_db, llm_env(llm), **builtin)
        live = serve(settings, sock)
        started.append(live)
        return live

    yield start
    for live in started:
        live.stop()


@pytest.fixture
def live(make_live) -> Live:
    return make_live()


@pytest.fixture
def app_client(tmp_path, shop_db, llm) -> Iterator:
    """`app_client(**builtin)`: an in-process TestClient of an app with the built-in server."""
    made: list[TestClient] = []

    def make(**builtin: Any) -> TestClient:
        base = "http://127.0.0.1:8765"
        settings = oauth_settings(base, tmp_path / "data", shop_db, llm_env(llm), **builtin)
        from data_assistant.app import create_app

        client = TestClient(create_app(settings), base_url=base, follow_redirects=False)
        client.__enter__()
        made.append(client)
        return client

    yield make
    for client in made:
        client.__exit__(None, None, None)
        client.app.state.assistant.close()


# --- an OAuth client ----------------------------------------------------------------------------


def pkce() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name} in the page"
    return match.group(1)


@dataclass
class Flow:
    """A client's view of one authorization: what it sent and what came back."""

    http: Any  # httpx.Client or TestClient, with cookies
    client_id: str
    redirect_uri: str = CALLBACK
    verifier: str | None = None
    state: str = field(default_factory=lambda: secrets.token_urlsafe(8))
    extra: dict[str, Any] = field(default_factory=dict)

    def params(self, **overrides: Any) -> dict[str, Any]:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "read:data",
            "state": self.state,
            **self.extra,
        }
        if self.verifier is not None:
            params.update(
                code_challenge=pkce_challenge(self.verifier), code_challenge_method="S256"
            )
        params.update(overrides)
        return {k: v for k, v in params.items() if v is not None}

    def open(self, **overrides: Any) -> httpx.Response:
        return self.http.get("/oauth/authorize", params=self.params(**overrides))

    def sign_in(self, user: str = "alice", password: str | None = None) -> httpx.Response:
        page = self.open()
        assert page.status_code == 200, page.text
        return self.http.post(
            "/oauth/authorize",
            data={
                "txn": hidden(page.text, "txn"),
                "csrf": hidden(page.text, "csrf"),
                "step": "sign-in",
                "username": user,
                "password": PASSWORDS.get(user, "") if password is None else password,
            },
        )

    def consent(self, user: str = "alice", decision: str = "allow") -> httpx.Response:
        page = self.sign_in(user)
        assert page.status_code == 200, page.text
        return self.http.post(
            "/oauth/authorize",
            data={
                "txn": hidden(page.text, "txn"),
                "csrf": hidden(page.text, "csrf"),
                "step": "consent",
                "decision": decision,
            },
        )

    def code(self, user: str = "alice") -> str:
        answer = self.consent(user)
        assert answer.status_code == 303, answer.text
        query = callback_query(answer.headers["location"], self.redirect_uri)
        assert query["state"] == self.state
        return query["code"]

    def exchange(self, code: str, *, auth: Any = None, **form: Any) -> httpx.Response:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "client_id": self.client_id,
        }
        if self.verifier is not None:
            data["code_verifier"] = self.verifier
        data.update(form)
        data = {k: v for k, v in data.items() if v is not None}
        return self.http.post("/oauth/token", data=data, auth=auth)

    def refresh(self, refresh_token: str, **form: Any) -> httpx.Response:
        data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        data.update(form)
        data.setdefault("client_id", self.client_id)
        return self.http.post("/oauth/token", data={k: v for k, v in data.items() if v})


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def callback_query(location: str, redirect_uri: str) -> dict[str, str]:
    """The query of a redirect to `redirect_uri`, one value per name."""
    assert location.startswith(redirect_uri + "?"), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def public_client(app: Any, *, redirect_uris: tuple[str, ...] = (CALLBACK,)) -> str:
    """Register a public client through the server's own client store; its id."""
    client, _ = app.state.oauth.server.clients.create(
        client_id="app-" + secrets.token_hex(4),
        name="Test app",
        redirect_uris=redirect_uris,
        confidential=False,
    )
    return client.client_id


def confidential_client(app: Any, *, redirect_uris: tuple[str, ...] = (CALLBACK,)):
    """Register a confidential client; (id, secret)."""
    client, secret = app.state.oauth.server.clients.create(
        client_id="gpt-" + secrets.token_hex(4),
        name="A GPT",
        redirect_uris=redirect_uris,
        confidential=True,
    )
    return client.client_id, secret


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
