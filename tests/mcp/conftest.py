"""Fixtures for the MCP tests: the demo data behind a config file with tokens and policies,
the app served by a real uvicorn on a loopback port, and the SDK's own client."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
import uvicorn
import yaml
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from data_assistant.app import create_app
from data_assistant.auth.tokens import mint_token
from data_assistant.sample_data.sales import ensure_demo_db
from data_assistant.sample_data.tickets import ensure_demo_tickets
from data_assistant.settings import Settings, load_settings

SECRET = "mcp-test-secret-" + "x" * 32
# What alice may do: both demo sources, her region's customers, and queries of her own.
REGION = 2
ALL_SCOPES = ("read:data", "query:raw")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo sales database and tickets container, generated once."""
    folder = tmp_path_factory.mktemp("demo")
    ensure_demo_tickets(folder, ensure_demo_db(folder))
    return folder


def write_config(
    folder: Path, data: Path, *, mode: str = "jwt", translator: dict[str, Any] | None = None
) -> Path:
    """A config file for the demo data: auth `mode`, a row filter and a masked column on
    customers, the offline translator (or `translator`), an audit log."""
    config = {
        "sources": {
            "sales": {
                "url": f"sqlite:///{data}/sales.db",
                "description": "Demo sales data.",
                "policies": {
                    "tables": {
                        "customers": {
                            "rows": "region_id = :claims.region",
                            "mask_columns": ["email"],
                        }
                    }
                },
            },
            "tickets": {
                "kind": "documents",
                "path": str(data / "tickets"),
                "description": "Demo support tickets.",
            },
        },
        "translator": translator or {"provider": "offline"},
        "auth": {"mode": mode, "jwt": {"secret": SECRET}},
        "server": {"allowed_hosts": ["127.0.0.1", "localhost"]},
        "audit": {"path": str(folder / "audit.jsonl")},
    }
    path = folder / "data-assistant.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def config_file(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_config(tmp_path_factory.mktemp("config"), demo_data)


def token(
    sub: str = "alice",
    *,
    scopes: tuple[str, ...] = ALL_SCOPES,
    region: int | None = REGION,
    ttl_s: int = 600,
    now: float | None = None,
) -> str:
    """A token for both demo sources; `region` is the claim the customers' row policy reads."""
    return mint_token(
        SECRET,
        sub=sub,
        databases=["sales", "tickets"],
        scopes=scopes,
        claims={} if region is None else {"region": region},
        ttl_s=ttl_s,
        now=now,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """The app served by uvicorn on a loopback port."""

    url: str
    settings: Settings

    @property
    def mcp_url(self) -> str:
        return f"{self.url}/mcp"

    def api(self, path: str, body: dict[str, Any], bearer: str) -> httpx.Response:
        """POST to the HTTP API as the holder of `bearer`."""
        return httpx.post(
            f"{self.url}{path}", json=body, headers={"authorization": f"Bearer {bearer}"}
        )

    def audit(self) -> list[dict[str, Any]]:
        assert self.settings.audit.path is not None
        lines = self.settings.audit.path.read_text().splitlines()
        return [json.loads(line) for line in lines]


def serve(settings: Settings) -> Iterator[LiveServer]:
    """Run create_app(settings) in uvicorn on a free loopback port until the generator ends."""
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.assistant.close()


@pytest.fixture(scope="session")
def live(config_file: Path) -> Iterator[LiveServer]:
    """The demo behind JWT auth and policies, as `data-assistant serve --config` loads it."""
    yield from serve(load_settings(config_file, environ={}))


@asynccontextmanager
async def mcp_client(
    url: str, bearer: str | None, *, mode: str = "auto", statuses: list[int] | None = None
) -> AsyncIterator[Client]:
    """The SDK's client over streamable HTTP, sending `bearer` in the Authorization header;
    the HTTP status of each response is appended to `statuses`."""
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else None
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=300))
    if statuses is not None:

        async def record(response: httpx2.Response) -> None:
            statuses.append(response.status_code)

        http.event_hooks["response"].append(record)
    async with (
        http,
        Client(streamable_http_client(url, http_client=http), mode=mode) as client,
    ):
        yield client
